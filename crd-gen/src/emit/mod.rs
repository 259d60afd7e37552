//! Emit: the CRD as YAML text, byte-for-byte deterministic.

pub mod yaml;

pub use yaml::to_yaml;
