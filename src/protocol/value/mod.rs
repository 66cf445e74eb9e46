//! The cty value layer: Terraform's types and values, and their two wire encodings
//! (msgpack for `DynamicValue`, JSON for `RawState.json` and JSON `DynamicValue`s).
//!
//! Both codecs are driven by the schema type, as Terraform's are (object-wire-format.md):
//! the bytes alone do not say whether an array is a list, a set or a tuple.

mod error;
pub mod json;
mod json_de;
pub mod msgpack;
mod number;
mod path;
mod types;
mod values;

pub use error::CodecError;
pub use path::{AttributePath, PathStep};
pub use types::Type;
pub use values::{Number, Value};
