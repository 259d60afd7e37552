//! Assemble: lowered resource versions grouped into CRDs (one per group + kind), with names,
//! scope, versions in controller-gen's order and exactly one storage version.

mod agree;

use crate::collect::ResourceDecl;
use crate::crd::{
    CrdMetadata, CrdSpec, CrdVersion, CustomResourceDefinition, Names, PrinterColumn, Scale, SelectableField, Subresources, VersionSchema,
};
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Place};
use crate::markers::{ArgKey, Marker, MarkerKey};
use crate::schema::Schema;
use indexmap::IndexMap;

/// One resource version after lowering.
#[derive(Clone, Debug)]
pub struct LoweredVersion {
    pub decl: ResourceDecl,
    pub file: FileId,
    pub spec: Schema,
    pub status: Option<Schema>,
}

/// A CRD with the source locations its parts came from (for the validator's messages).
#[derive(Clone, Debug)]
pub struct AssembledCrd {
    pub crd: CustomResourceDefinition,
    /// Per version (same order as `crd.spec.versions`): where it was declared.
    pub version_decls: Vec<(ResourceDecl, FileId)>,
}

impl AssembledCrd {
    /// Where CRD-wide marker `key` was written (on whichever version wrote it), else the first
    /// version's spec struct.
    pub fn marker_loc(&self, key: MarkerKey) -> crate::diag::Loc {
        let (decl, file) = self.version_decls.iter().find(|(d, _)| d.marker(key).is_some()).unwrap_or(&self.version_decls[0]);
        decl.marker_loc(key, *file)
    }
}

const API_VERSION_DESC: &str = "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DESC: &str = "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

pub fn assemble(versions: Vec<LoweredVersion>, diags: &mut Diagnostics) -> Vec<AssembledCrd> {
    let mut groups: IndexMap<(String, String), Vec<LoweredVersion>> = IndexMap::new();
    for v in versions {
        groups.entry((v.decl.group.clone(), v.decl.kind.clone())).or_default().push(v);
    }
    let mut out: Vec<AssembledCrd> = Vec::new();
    // Each CRD name with the CRD that has it (looking through `out` was quadratic in N).
    let mut by_name: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for ((group, kind), all) in groups {
        let Some(mut versions) = without_skipped(&group, &kind, all, diags) else { continue };
        versions.sort_by(|a, b| a.decl.version.cmp(&b.decl.version));
        if let Some(crd) = assemble_one(&group, &kind, versions, diags) {
            // Two kinds with one plural would be one CRD name (and one file): the API server
            // keeps only one of them.
            if let Some(other) = by_name.get(&crd.crd.metadata.name).map(|&i| &out[i]) {
                let (this, that) = (&crd.version_decls[0].0, &other.version_decls[0].0);
                diags.push(
                    Diagnostic::error(
                        format!(
                            "kinds `{}` and `{}` both use the plural `{}` (CRD `{}`)",
                            that.kind, this.kind, crd.crd.spec.names.plural, crd.crd.metadata.name
                        ),
                        Place::Source(crd.marker_loc(MarkerKey::Plural)),
                    )
                    .with_note(Place::Source(other.marker_loc(MarkerKey::Plural)), format!("`{}` is declared here", that.kind))
                    .with_help("give each kind its own `plural`"),
                );
                continue;
            }
            by_name.insert(crd.crd.metadata.name.clone(), out.len());
            out.push(crd);
        }
    }
    out.sort_by_key(|c| c.crd.file_name());
    out
}

/// The versions not marked `skip_version` (controller-gen's `+kubebuilder:skipversion`, for
/// internal versions); a kind with no other version is an error, as in controller-gen.
fn without_skipped(group: &str, kind: &str, all: Vec<LoweredVersion>, diags: &mut Diagnostics) -> Option<Vec<LoweredVersion>> {
    let (skipped, kept): (Vec<_>, Vec<_>) = all.into_iter().partition(|v| v.decl.crd().flag(MarkerKey::SkipVersion));
    if kept.is_empty() {
        let v = &skipped[0];
        diags.push(
            Diagnostic::error(
                format!("version `{}` of {kind}.{group} is `skip_version`, and the kind has no other version", v.decl.version),
                Place::Source(v.decl.marker_loc(MarkerKey::SkipVersion, v.file)),
            )
            .with_help("a CRD needs at least one version: remove `skip_version`, or declare the served versions"),
        );
        return None;
    }
    Some(kept)
}

fn place(decl: &ResourceDecl) -> Place {
    Place::Source(decl.loc)
}

fn assemble_one(group: &str, kind: &str, versions: Vec<LoweredVersion>, diags: &mut Diagnostics) -> Option<AssembledCrd> {
    let first = &versions[0];
    let shared = agree::shared(group, kind, &versions, diags);
    let mut ok = shared.is_some();
    for pair in versions.windows(2) {
        if pair[0].decl.version == pair[1].decl.version {
            diags.push(
                Diagnostic::error(format!("version `{}` of {kind}.{group} is declared twice", pair[1].decl.version), place(&pair[1].decl))
                    .with_note(place(&pair[0].decl), "first declared here")
                    .with_help("each spec struct of a kind needs its own `version`"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let storage: Vec<&LoweredVersion> = versions.iter().filter(|v| v.decl.crd().flag(MarkerKey::StorageVersion)).collect();
    let storage_name = match (versions.len(), storage.as_slice()) {
        (1, _) => versions[0].decl.version.clone(),
        (_, [one]) => one.decl.version.clone(),
        (_, []) => {
            let names: Vec<&str> = versions.iter().map(|v| v.decl.version.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    format!("{kind}.{group} has {} versions ({}) and none is the storage version", versions.len(), names.join(", ")),
                    place(&first.decl),
                )
                .with_help("mark exactly one spec struct `#[crd(storage_version)]`"),
            );
            return None;
        }
        (_, [a, b, ..]) => {
            diags.push(
                Diagnostic::error(
                    format!("{kind}.{group} has more than one storage version (`{}` and `{}`)", a.decl.version, b.decl.version),
                    place(&b.decl),
                )
                .with_note(place(&a.decl), format!("`{}` is also marked `storage_version` here", a.decl.version))
                .with_help("keep `storage_version` on exactly one version"),
            );
            return None;
        }
    };
    let agree::Shared { names, scope, annotations, labels } = shared?;
    // The lowered schemas move into the CRD (they are the largest part of a run's memory).
    let mut version_decls = Vec::with_capacity(versions.len());
    let mut crd_versions = Vec::with_capacity(versions.len());
    for v in versions {
        let storage = v.decl.version == storage_name;
        crd_versions.push(version(&v.decl, v.file, v.spec, v.status, &names, storage));
        version_decls.push((v.decl, v.file));
    }
    let crd = CustomResourceDefinition {
        api_version: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: CrdMetadata { annotations, labels, name: format!("{}.{group}", names.plural) },
        spec: CrdSpec { group: group.to_string(), names, scope, versions: crd_versions },
    };
    Some(AssembledCrd { crd, version_decls })
}

fn version(decl: &ResourceDecl, file: FileId, spec: Schema, status: Option<Schema>, names: &Names, storage: bool) -> CrdVersion {
    let has_status = status.is_some();
    let mut props = IndexMap::new();
    props.insert("apiVersion".to_string(), Schema { description: Some(API_VERSION_DESC.into()), ..Schema::string() });
    props.insert("kind".to_string(), Schema { description: Some(KIND_DESC.into()), ..Schema::string() });
    props.insert("metadata".to_string(), Schema::object());
    props.insert("spec".to_string(), spec);
    if let Some(status) = status {
        props.insert("status".to_string(), status);
    }
    let required = if decl.crd().flag(MarkerKey::SpecRequired) { vec!["spec".to_string()] } else { Vec::new() };
    let mut root = Schema {
        required,
        description: root_description(decl, &names.plural),
        properties: Some(props),
        // The Go root type's `+kubebuilder:validation:XValidation` rules, from `root(...)`.
        validations: decl.crd().root_rules.iter().map(|m| crate::lower::apply::validation_rule(m, Loc::from_span(file, m.span))).collect(),
        ..Schema::object()
    };
    root.sort_required();
    let text = |m: &Marker, key| m.arg_str(key).map(str::to_string);
    let printcolumns = decl
        .crd()
        .all(MarkerKey::Printcolumn)
        .map(|m| PrinterColumn {
            description: text(m, ArgKey::Description),
            format: text(m, ArgKey::Format),
            json_path: text(m, ArgKey::JsonPath).unwrap_or_default(),
            name: text(m, ArgKey::Name).unwrap_or_default(),
            priority: column_priority(m),
            type_: text(m, ArgKey::Type).unwrap_or_default(),
        })
        .collect();
    let scale = decl.marker(MarkerKey::Scale).map(|m| Scale {
        label_selector_path: text(m, ArgKey::LabelSelectorPath),
        spec_replicas_path: text(m, ArgKey::SpecReplicasPath).unwrap_or_default(),
        status_replicas_path: text(m, ArgKey::StatusReplicasPath).unwrap_or_default(),
    });
    let (deprecated, deprecation_warning) = match decl.marker(MarkerKey::Deprecated) {
        Some(m) => (true, m.as_str().map(str::to_string)),
        None => (false, None),
    };
    CrdVersion {
        additional_printer_columns: printcolumns,
        deprecated,
        deprecation_warning,
        name: decl.version.clone(),
        schema: VersionSchema { open_api_v3_schema: root },
        selectable_fields: decl
            .crd()
            .all(MarkerKey::SelectableField)
            .filter_map(|m| m.as_str())
            .map(|p| SelectableField { json_path: p.to_string() })
            .collect(),
        served: decl.marker(MarkerKey::Served).map(|m| m.as_bool()).unwrap_or(true),
        storage,
        subresources: Subresources {
            scale,
            // A status type gives the subresource unless turned off; it may also be asked for alone
            // (controller-gen allows it; every status write is then pruned to nothing).
            status: match decl.marker(MarkerKey::StatusSubresource) {
                Some(m) => m.as_bool(),
                None => has_status,
            }
            .then(serde_json::Map::new),
        },
    }
}

/// A printer column's priority; 0 is the API server's default and is left out, as controller-gen
/// leaves it out.
fn column_priority(column: &Marker) -> Option<u64> {
    column.arg(ArgKey::Priority).and_then(|p| p.as_count()).filter(|p| *p != 0)
}

/// The root object's description: the doc comment in `root(/// ..)` (none if it is empty, as a
/// Go root type without a doc comment), else the spec struct's `description` marker (`""`: none),
/// else the sentence kubebuilder scaffolds on the root type.
fn root_description(decl: &ResourceDecl, plural: &str) -> Option<String> {
    if let Some(docs) = decl.crd().root_docs() {
        return docs.text.clone();
    }
    match decl.str(MarkerKey::Description) {
        Some("") => None,
        Some(text) => Some(text.to_string()),
        None => Some(format!("{} is the Schema for the {plural} API", decl.kind)),
    }
}

#[cfg(test)]
mod root_tests;
