//! Validate: every CRD is checked against the rules the API server applies to
//! apiextensions.k8s.io/v1 objects before anything is written. Each problem points at the Rust
//! field or type the offending schema node came from.
//!
//! - `names.rs`: the group, the kind's names, the version names;
//! - `labels.rs`: the CRD's label and annotation keys and values;
//! - `columns.rs`, `subresources.rs`, `selectable.rs`: printer columns, the status and scale
//!   subresources, selectable fields (JSON paths into the schema);
//! - `approval.rs`: the API-approval annotation that community-owned groups need;
//! - `structural.rs`: structural schema rules and `x-kubernetes-*` extensions;
//! - `defaults.rs`: defaults and enum values checked against their own schema;
//! - `cel/`: CEL rules, compiled as the target Kubernetes version's API server compiles them;
//! - `size.rs`: what etcd can store, with room for the status the API server writes;
//! - `depth.rs`: how deeply the CRD nests as JSON, which the API server's decoder bounds.

pub mod approval;
pub mod cel;
pub mod columns;
pub mod defaults;
pub mod depth;
pub mod labels;
pub mod names;
pub mod regexes;
pub mod selectable;
pub mod size;
pub mod structural;
pub mod subresources;

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::schema::Schema;

/// Checks one CRD against the API server's rules; `json` is `a.crd.to_json()`, made once for
/// the checks of the whole object (size, depth) and for the emitter.
pub fn validate(a: &AssembledCrd, json: &serde_json::Value, kube: cel::KubeTarget, diags: &mut Diagnostics) {
    names::check(a, diags);
    labels::check(a, diags);
    for (v, (decl, file)) in a.crd.spec.versions.iter().zip(&a.version_decls) {
        subresources::check(v, decl, *file, diags);
        columns::check(v, decl, *file, diags);
        selectable::check(v, decl, *file, diags);
    }
    approval::check(a, diags);
    size::check(a, json, diags);
    depth::check(a, json, diags);
    for (i, v) in a.crd.spec.versions.iter().enumerate() {
        let fallback = a.version_decls[i].0.loc;
        let root = &v.schema.open_api_v3_schema;
        let mut ctx = Ctx { diags, fallback, version: &v.name, kube };
        structural::check_root(root, &mut ctx);
        walk(root, &mut Path::root(), None, &mut ctx, &mut |s, path, origin, ctx| {
            structural::check_node(s, path, origin, ctx);
            defaults::check_node(s, path, origin, ctx);
        });
        cel::check_version(root, &mut ctx);
    }
}

/// An error at a place in the source.
pub(crate) fn source_error(diags: &mut Diagnostics, loc: Loc, message: String, help: &str) {
    diags.push(Diagnostic::error(message, Place::Source(loc)).with_help(help));
}

/// The schema at a simple JSON path like `.spec.replicas`.
pub fn schema_at<'s>(root: &'s Schema, path: &str) -> Option<&'s Schema> {
    let mut cur = root;
    for part in path.trim_start_matches('.').split('.') {
        cur = cur.properties.as_ref()?.get(part)?;
    }
    Some(cur)
}

/// Where the validator is: diagnostics, and where to point when a node has no origin.
pub struct Ctx<'a> {
    pub diags: &'a mut Diagnostics,
    pub fallback: Loc,
    pub version: &'a str,
    /// The Kubernetes version whose API server must accept the CRD (CEL rules depend on it).
    pub kube: cel::KubeTarget,
}

impl Ctx<'_> {
    pub fn error(&mut self, origin: Option<Loc>, path: &Path, message: impl std::fmt::Display, help: impl Into<String>) {
        let loc = origin.unwrap_or(self.fallback);
        self.diags
            .push(Diagnostic::error(format!("{message} (at `{path}` in version {})", self.version), Place::Source(loc)).with_help(help));
    }
    pub fn warning(&mut self, origin: Option<Loc>, path: &Path, message: impl std::fmt::Display, help: impl Into<String>) {
        let loc = origin.unwrap_or(self.fallback);
        self.diags
            .push(Diagnostic::warning(format!("{message} (at `{path}` in version {})", self.version), Place::Source(loc)).with_help(help));
    }
}

/// A JSON path into the object (`.spec.items[*].name`), as messages show it.
#[derive(Clone, Debug, Default)]
pub struct Path {
    parts: Vec<String>,
    /// Inside allOf/anyOf/oneOf/not.
    pub in_junctor: bool,
    /// Below a list whose items the server cannot pair between old and new objects (any list
    /// that is not `x-kubernetes-list-type: map`): `oldSelf` is not available there.
    pub uncorrelatable: bool,
}

impl Path {
    pub fn root() -> Path {
        Path::default()
    }
    pub fn is_root(&self) -> bool {
        self.parts.is_empty()
    }
    pub fn push(&mut self, part: String) {
        self.parts.push(part);
    }
    pub fn pop(&mut self) {
        self.parts.pop();
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.parts.is_empty() {
            return f.write_str(".");
        }
        for p in &self.parts {
            f.write_str(p)?;
        }
        Ok(())
    }
}

type Visit<'v> = dyn FnMut(&Schema, &Path, Option<Loc>, &mut Ctx) + 'v;

/// Visits every node with its path and the nearest Rust origin.
pub fn walk(s: &Schema, path: &mut Path, origin: Option<Loc>, ctx: &mut Ctx, visit: &mut Visit) {
    let origin = s.origin.or(origin);
    visit(s, path, origin, ctx);
    let child = |c: &Schema, part: String, junctor: bool, path: &mut Path, ctx: &mut Ctx, visit: &mut Visit| {
        path.parts.push(part);
        let (was_junctor, was_uncorrelatable) = (path.in_junctor, path.uncorrelatable);
        path.in_junctor |= junctor;
        walk(c, path, origin, ctx, visit);
        path.in_junctor = was_junctor;
        path.uncorrelatable = was_uncorrelatable;
        path.parts.pop();
    };
    if let Some(props) = &s.properties {
        for (k, v) in props {
            child(v, format!(".{k}"), false, path, ctx, visit);
        }
    }
    if let Some(a) = &s.additional_properties {
        child(a, "[*]".into(), false, path, ctx, visit);
    }
    if let Some(i) = &s.items {
        let was = path.uncorrelatable;
        path.uncorrelatable |= s.list_type.as_deref() != Some("map");
        child(i, "[*]".into(), false, path, ctx, visit);
        path.uncorrelatable = was;
    }
    for (name, list) in [("allOf", &s.all_of), ("anyOf", &s.any_of), ("oneOf", &s.one_of)] {
        for (i, c) in list.iter().enumerate() {
            child(c, format!("({name}[{i}])"), true, path, ctx, visit);
        }
    }
    if let Some(n) = &s.not {
        child(n, "(not)".into(), true, path, ctx, visit);
    }
}
