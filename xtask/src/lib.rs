//! Maintainer tasks (`cargo xtask …`), as a library so tests can run them.
//!
//! Place in the data path: the driver of spec → IR → codegen → generated
//! (it writes the generated files and checks they are fresh).

use std::path::PathBuf;

pub mod bench;
pub mod codegen;
pub mod drift;
pub mod git;
pub mod spec_diff;

/// The workspace root (the parent of this crate's directory).
pub fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
