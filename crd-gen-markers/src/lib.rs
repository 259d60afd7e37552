//! crd-gen's markers: the vocabulary ([`vocab`]: every `#[crd(...)]` key, typed by
//! [`MarkerKey`]), the `#[crd(...)]` parser ([`parse`]), doc comments and the Go comment markers
//! they may hold ([`docs`], [`go`], [`package`]), the root-type index build.rs writes for the
//! derive ([`roots`]), the rules for markers that contradict each other
//! ([`rules`]) or their value's type ([`check`]), and the names derived from a kind ([`names`]).
//!
//! Both the engine (`crd-gen`) and the derive (`crd-gen-derive`) read markers with this crate, so
//! `cargo build` and `cargo crd-gen` accept and refuse the same input with the same words. It
//! needs only syn and proc-macro2, so a user's build compiles nothing else for the derive (as
//! serde_derive_internals serves serde_derive). Marker values that are data are a small
//! [`Literal`] the engine turns into JSON.

pub mod attrs;
pub mod check;
pub mod dialect;
pub mod docs;
pub mod go;
pub mod literal;
pub mod names;
pub mod package;
pub mod parse;
pub mod roots;
pub mod rules;
pub mod vocab;

pub use attrs::CrdAttrs;
pub use docs::{Docs, docs};
pub use literal::{Literal, Number};
pub use parse::{Arg, AttrSite, Marker, MarkerError, Value, parse_attrs};
pub use vocab::{ArgKey, MarkerKey};
