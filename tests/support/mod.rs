#![allow(dead_code)]

pub mod acc;
pub mod front;
pub mod har_local;
pub mod plugin_tls;
pub mod reliability;
pub mod terraform;
