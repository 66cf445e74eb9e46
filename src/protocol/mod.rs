//! The Terraform plugin protocol (tfplugin6): generated wire types, the value codec,
//! schema and diagnostics types, and the gRPC server that translates every RPC into calls
//! on the framework layer. Nothing here knows about HAR.

pub mod proto;
