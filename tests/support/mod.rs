#![allow(dead_code)]

pub mod har_local;
pub mod terraform;
