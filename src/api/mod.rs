//! The HAR API: wire models shared with har-local, ref encoding, and the HTTP client.

pub mod model;
pub mod refs;
