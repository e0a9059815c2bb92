//! Proc-macro entry point over the generator engine.
