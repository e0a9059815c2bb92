//! Generator engine: spec IR → `TokenStream`.
