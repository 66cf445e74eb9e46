//! The Terraform plugin protocol (tfplugin6): generated wire types (including the
//! `Provider` service trait the framework implements), the value codec, schema and
//! diagnostics types, and the conversions between them. It imports nothing above it: it
//! knows neither the framework nor HAR.

pub(crate) mod convert;
pub(crate) mod diagnostics;
pub mod proto;
pub(crate) mod schema;
pub mod value;
