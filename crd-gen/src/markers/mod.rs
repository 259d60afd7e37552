//! Markers as the engine reads them. The vocabulary, the parsers and the rules are
//! `crd-gen-markers`' (re-exported here), which the derive uses too; this module adds what needs
//! the engine: which modules' package markers hold for an item ([`package`]) and the generated
//! reference ([`reference`]).

pub mod inherited;
pub mod reference;

pub use crd_gen_markers::*;
