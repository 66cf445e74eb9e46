//! Codec errors. Each names what was expected and where (the attribute path), so the
//! protocol layer can turn it into a diagnostic pointing at the attribute.

use super::path::AttributePath;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The encoded value (or the `Value` to encode) has the wrong kind for the schema type.
    #[error("at {}: expected {expected}, found {found}", .path.describe())]
    TypeMismatch {
        path: AttributePath,
        expected: String,
        found: String,
    },
    /// An object carries an attribute its type does not declare.
    #[error("at {}: unsupported attribute {name:?} (not in the object type)", .path.describe())]
    UnsupportedAttribute { path: AttributePath, name: String },
    /// A tuple with the wrong number of elements.
    #[error("at {}: expected a tuple of {expected} elements, found {found}", .path.describe())]
    TupleLength {
        path: AttributePath,
        expected: usize,
        found: usize,
    },
    /// A number in a form that is not a decimal number.
    #[error("at {}: expected a number, found the string {text:?}", .path.describe())]
    InvalidNumber { path: AttributePath, text: String },
    /// Unknown values have no JSON form.
    #[error("at {}: an unknown value cannot be encoded as JSON", .path.describe())]
    UnknownInJson { path: AttributePath },
    /// The bytes are not well-formed (truncated msgpack, bad UTF-8, invalid JSON...).
    #[error("at {}: malformed input: {message}", .path.describe())]
    Malformed {
        path: AttributePath,
        message: String,
    },
    /// Bytes left over after the value.
    #[error("{count} unexpected bytes after the value")]
    TrailingBytes { count: usize },
    /// A cty type in JSON notation that is not valid.
    #[error("invalid type constraint {json}: {message}")]
    InvalidType { json: String, message: String },
    /// A collection too long for msgpack's 32-bit lengths.
    #[error("at {}: {len} elements exceed the msgpack limit", .path.describe())]
    TooLong { path: AttributePath, len: usize },
}

impl CodecError {
    /// The attribute path the error is about, if it is about one.
    pub fn path(&self) -> Option<&AttributePath> {
        match self {
            CodecError::TypeMismatch { path, .. }
            | CodecError::UnsupportedAttribute { path, .. }
            | CodecError::TupleLength { path, .. }
            | CodecError::InvalidNumber { path, .. }
            | CodecError::UnknownInJson { path }
            | CodecError::Malformed { path, .. }
            | CodecError::TooLong { path, .. } => Some(path),
            CodecError::TrailingBytes { .. } | CodecError::InvalidType { .. } => None,
        }
    }
}
