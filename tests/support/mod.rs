#![allow(dead_code)]

pub mod terraform;
