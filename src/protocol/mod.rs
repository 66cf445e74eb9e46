//! The Terraform plugin protocol (tfplugin6): generated wire types, the value codec,
//! schema and diagnostics types, and the gRPC server that translates every RPC into calls
//! on the framework layer. Nothing here knows about HAR.

pub mod convert;
pub mod diagnostics;
pub mod proto;
pub mod schema;
pub mod server;
pub mod value;

pub use server::{GrpcProvider, MAX_MESSAGE_SIZE};
