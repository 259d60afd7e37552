//! 50 sibling modules that all glob-import each other through their parent, as `mod.rs` + `use super::*;` code bases do.
pub mod api;
pub use api::*;
