#![allow(dead_code)]

pub mod acc;
pub mod har_local;
pub mod terraform;
