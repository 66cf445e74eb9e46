//! The HAR API: wire models shared with har-local, ref encoding, and the HTTP client.

pub mod client;
pub mod error;
pub mod lifecycle;
pub mod metadata;
pub mod model;
pub mod redact;
pub mod refs;
pub mod retry;
pub mod stop;
pub mod webhook;

pub use client::{Client, Config, Deleted, ListQuery, ListScope, USER_AGENT};
pub use error::Error;
pub use retry::RetryPolicy;
pub use stop::StopSignal;
