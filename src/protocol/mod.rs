//! protocol (in progress)
pub mod value;
