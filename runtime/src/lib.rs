//! Hand-written runtime for the generated Antom client.
pub mod protocol;
pub use protocol::*;
