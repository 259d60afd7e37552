//! crd-gen: controller-gen for Rust. Reads Rust source (never compiles it) and writes the
//! CustomResourceDefinition YAML for the resources it declares.
//!
//! The engine is a row of stages, each a module with a typed input and output:
//!
//! | stage | module | in -> out |
//! |---|---|---|
//! | discover | [`source::discover`] | Cargo.toml -> crates and their dependencies |
//! | load | [`source::load`] | crate -> parsed modules (syn) |
//! | collect | [`collect`] | modules -> resource declarations + markers |
//! | resolve | [`source::resolve`] | path in a module -> the item it names |
//! | lower | [`lower`] | Rust types + serde attributes + markers -> [`schema::Schema`] |
//! | assemble | [`assemble`] | lowered versions -> [`crd::CustomResourceDefinition`]s |
//! | validate | [`validate`] | CRDs -> diagnostics (the API server's rules) |
//! | emit | [`emit`] | CRD -> YAML text |
//! | output | `output` | files -> disk, or a diff against disk |
//!
//! Markers are crd-gen-markers' (re-exported as [`markers`], vocabulary in [`markers::vocab`]); the
//! derive uses that crate too, so compile-time checks and generation share one parser and one set
//! of rules. Each item's attributes are read once ([`attrs`]).

pub mod assemble;
pub mod attrs;
pub mod collect;
pub mod crd;
pub mod derive_origin;
pub mod diag;
pub mod emit;
pub mod hidden;
pub mod lower;
pub mod markers;
pub mod pipeline;
pub mod roots;
pub mod schema;
pub mod source;
pub mod timings;
pub mod validate;

#[cfg(feature = "cargo")]
mod generator;
#[cfg(feature = "cargo")]
pub mod output;
#[cfg(feature = "scaffold")]
pub mod scaffold;

#[cfg(feature = "cargo")]
pub use generator::{BuildError, FailureKind, Generator, NoProgress, Outcome, Plan, Progress};
pub use pipeline::{CrdFile, Generated, Options, run};
