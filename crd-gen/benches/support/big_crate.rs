//! A generated crate of many resources, for the benchmark and the fault-injection tests
//! (`tests/faults.rs` includes this file): `modules` modules of `kinds_per_module` kinds, each
//! spec with nested structs, a map-list, an enum, a shared type, markers, CEL rules and doc
//! comments. `note` is appended to every spec's documentation, so two notes give two versions
//! of every CRD.

use std::path::{Path, PathBuf};

pub fn write_crate(dir: &Path, modules: usize, kinds_per_module: usize, note: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("api")).unwrap();
    let mut lib = String::from("//! Generated for the benchmark.\npub mod common;\n");
    for m in 0..modules {
        lib.push_str(&format!("#[path = \"api/m{m}.rs\"]\npub mod m{m};\n"));
    }
    std::fs::write(dir.join("lib.rs"), lib).unwrap();
    std::fs::write(
        dir.join("common.rs"),
        r#"
/// A reference to another object.
pub struct Reference {
    /// Name of the object.
    #[crd(min_length = 1, max_length = 253)]
    pub name: String,
    /// Its namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// How often.
#[serde(rename_all = "camelCase")]
pub enum Frequency { Hourly, Daily, Weekly }
"#,
    )
    .unwrap();
    for m in 0..modules {
        let mut src = String::from("use crate::common::{Frequency, Reference};\nuse std::collections::BTreeMap;\n");
        for k in 0..kinds_per_module {
            let kind = format!("Kind{m}x{k}");
            src.push_str(&format!(
                r#"
/// {kind}Spec is the desired state of a {kind}.
/// It has a second line of documentation.{note}
#[derive(CustomResource)]
#[crd(group = "g{m}.example.com", version = "v1", status = "{kind}Status", short_name = "k{m}x{k}")]
#[crd(printcolumn(name = "Replicas", type = "integer", json_path = ".spec.replicas"))]
#[crd(validation(rule = "self.replicas <= 100", message = "too many"))]
#[serde(rename_all = "camelCase")]
pub struct {kind}Spec {{
    /// How many.
    #[crd(minimum = 0, maximum = 1000)]
    pub replicas: i32,
    /// Image to run.
    #[crd(pattern = "^[a-z0-9./:-]+$")]
    pub image: String,
    /// Labels to add.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Targets.
    #[crd(max_items = 16, list_type = "map", list_map_key = "name")]
    pub targets: Vec<{kind}Target>,
    /// Owner.
    pub owner: Reference,
    /// Schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
}}

/// A target of {kind}.
pub struct {kind}Target {{
    /// Key.
    pub name: String,
    /// Weight of this target.
    #[crd(minimum = 1, default = 1)]
    #[serde(default)]
    pub weight: u32,
}}

/// {kind}Status is the observed state.
pub struct {kind}Status {{
    /// Ready replicas.
    #[serde(default)]
    pub ready: i32,
    /// Conditions.
    #[serde(default)]
    pub conditions: Vec<String>,
}}
"#
            ));
        }
        std::fs::write(dir.join(format!("api/m{m}.rs")), src).unwrap();
    }
    dir.join("lib.rs")
}

/// A Cargo.toml for the crate (its own workspace, no dependencies: crd-gen reads source only).
pub fn write_manifest(dir: &Path, name: &str) -> PathBuf {
    let manifest = dir.join("Cargo.toml");
    let text =
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[lib]\npath = \"lib.rs\"\n\n[workspace]\n");
    std::fs::write(&manifest, text).unwrap();
    manifest
}
