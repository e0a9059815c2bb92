//! The Antom spec: YAML source of truth → validated IR.
pub mod ir;
