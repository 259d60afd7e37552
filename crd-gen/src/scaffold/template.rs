//! What `create api` writes: the types module of a kind, in kubebuilder's words, and the
//! dependencies it needs (k8s-openapi for the root type's metadata). The one place to change
//! when the scaffold changes.

use super::request::Resource;
use std::path::{Path, PathBuf};

/// A dependency the module needs in `[dependencies]`.
pub struct Dependency {
    pub name: &'static str,
    pub source: Source,
    /// Features it must have (added to an existing entry that lacks them).
    pub features: &'static [&'static str],
    /// Features a new entry gets, an existing one keeps its own (k8s-openapi's version feature:
    /// a crate that has one must not get a second).
    pub new_features: &'static [&'static str],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Version(String),
    /// A path dependency (absolute), and why that path.
    Path(PathBuf),
}

/// The dependencies of the module [`types_module`] writes.
pub fn dependencies() -> Vec<Dependency> {
    vec![
        Dependency { name: "serde", source: Source::Version("1".into()), features: &["derive"], new_features: &[] },
        Dependency { name: "crd-gen-derive", source: derive_source(), features: &[], new_features: &[] },
        // The root type's `metadata` is k8s-openapi's ObjectMeta, as with kube-derive; the version
        // feature is the Kubernetes version CEL rules are checked for (crd-gen's default).
        Dependency { name: "k8s-openapi", source: Source::Version("0.29".into()), features: &[], new_features: &["v1_34"] },
    ]
}

/// crd-gen-derive is not on crates.io: when this binary was built from a crd-gen checkout that
/// is still there, the new crate uses that checkout's derive (the same version as the engine);
/// otherwise a version requirement of this release.
fn derive_source() -> Source {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(|p| p.join("crd-gen-derive"));
    match checkout {
        Some(dir) if dir.join("Cargo.toml").is_file() => Source::Path(dir),
        _ => Source::Version(env!("CARGO_PKG_VERSION").into()),
    }
}

/// The types module of a kind, like kubebuilder's `<kind>_types.go`: spec and status structs
/// with kubebuilder's doc comments, the resource markers (status subresource on), and the
/// example field `foo`.
pub fn types_module(r: &Resource) -> String {
    let Resource { group, version, kind, .. } = r;
    let file = r.file_name();
    let scope = if r.cluster { ", scope = \"Cluster\"" } else { "" };
    format!(
        r#"//! The {kind} API, version {version} of group {group}.
//!
//! EDIT THIS FILE! THIS IS SCAFFOLDING FOR YOU TO OWN!
//! NOTE: serde decides the JSON form and so the schema: fields are camelCase in JSON
//! (`rename_all`), and a field that is not an `Option` or `#[serde(default)]` is required.

use crd_gen_derive::{{CrdSchema, CustomResource}};
use serde::{{Deserialize, Serialize}};

/// {kind}Spec defines the desired state of {kind}.
// `status = ..` adds the status and the status subresource (kubebuilder's
// `+kubebuilder:subresource:status`).
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[crd(group = "{group}", version = "{version}", kind = "{kind}", status = "{kind}Status"{scope})]
#[serde(rename_all = "camelCase")]
pub struct {kind}Spec {{
    // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster
    // Important: Run "cargo crd-gen manifests" to regenerate the CRD after modifying this file
    // Markers validate a field, e.g. `#[crd(min_length = 1)]`; `cargo crd-gen markers` lists them.

    /// Foo is an example field of {kind}. Edit {file} to remove/update
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foo: Option<String>,
}}

/// {kind}Status defines the observed state of {kind}.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct {kind}Status {{
    // INSERT ADDITIONAL STATUS FIELD - define observed state of cluster
    // Important: Run "cargo crd-gen manifests" to regenerate the CRD after modifying this file
}}
"#
    )
}
