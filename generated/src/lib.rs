//! Typed Antom API generated from the spec.
