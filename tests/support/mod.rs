#![allow(dead_code)]

pub mod har_local;
