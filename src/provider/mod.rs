//! provider (in progress)
