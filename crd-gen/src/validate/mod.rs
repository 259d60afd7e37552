//! Validate: every CRD is checked against the rules the API server applies to
//! apiextensions.k8s.io/v1 objects before anything is written. Each problem points at the Rust
//! field or type the offending schema node came from.
//!
//! - `names.rs`: group, names, versions, printer columns, subresource paths;
//! - `structural.rs`: structural schema rules and `x-kubernetes-*` extensions;
//! - `defaults.rs`: defaults and enum values checked against their own schema.

pub mod cel;
pub mod defaults;
pub mod names;
pub mod structural;

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::schema::Schema;

/// kubectl's client-side apply stores the whole object in an annotation, which may hold 256 KiB.
const CLIENT_SIDE_APPLY_LIMIT: usize = 256 * 1024;
/// Go's JSON decoder (the API server's) refuses objects nested deeper than this.
const JSON_DEPTH_LIMIT: usize = 10_000;
/// etcd refuses requests over 1.5 MiB, so the API server cannot store a larger CRD.
const ETCD_REQUEST_LIMIT: usize = 3 * 512 * 1024;

pub fn validate(crds: &[AssembledCrd], diags: &mut Diagnostics) {
    for a in crds {
        names::check(a, diags);
        let json = a.crd.to_json();
        let size = json.to_string().len();
        let place = Place::Source(a.version_decls[0].0.loc);
        let depth = json_depth(&json);
        if depth > JSON_DEPTH_LIMIT {
            diags.push(
                Diagnostic::error(
                    format!(
                        "CRD `{}` nests {depth} levels deep as JSON; the API server decodes at most {JSON_DEPTH_LIMIT}",
                        a.crd.metadata.name
                    ),
                    place.clone(),
                )
                .with_help("cut the nesting with a field of type `serde_json::Value` marked `#[crd(schemaless, preserve_unknown_fields)]`"),
            );
        }
        if size > ETCD_REQUEST_LIMIT {
            diags.push(
                Diagnostic::error(format!("CRD `{}` is {} KiB as JSON; etcd stores at most 1536 KiB per object", a.crd.metadata.name, size / 1024), place)
                    .with_help("shrink it: drop descriptions with `--max-desc-len 0`, or replace large embedded types (PodSpec) with `#[crd(schemaless, preserve_unknown_fields)]`"),
            );
        } else if size > CLIENT_SIDE_APPLY_LIMIT {
            diags.push(
                Diagnostic::warning(
                    format!(
                        "CRD `{}` is {} KiB as JSON: `kubectl apply` (client-side) fails on objects over 256 KiB",
                        a.crd.metadata.name,
                        size / 1024
                    ),
                    place,
                )
                .with_help("install it with `kubectl apply --server-side` (or `kubectl create`), or shrink it with `--max-desc-len`"),
            );
        }
        for (i, v) in a.crd.spec.versions.iter().enumerate() {
            let fallback = a.version_decls[i].0.loc;
            let root = &v.schema.open_api_v3_schema;
            let mut ctx = Ctx { diags, fallback, version: &v.name };
            structural::check_root(root, &mut ctx);
            walk(root, &mut Path::root(), None, &mut ctx, &mut |s, path, origin, ctx| {
                structural::check_node(s, path, origin, ctx);
                defaults::check_node(s, path, origin, ctx);
                cel::check_node(s, path, origin, ctx);
            });
        }
    }
}

/// How deeply arrays and objects nest in `v` (a scalar is 0), without recursion.
fn json_depth(v: &serde_json::Value) -> usize {
    let mut deepest = 0;
    let mut todo = vec![(v, 0)];
    while let Some((v, d)) = todo.pop() {
        match v {
            serde_json::Value::Array(a) => todo.extend(a.iter().map(|x| (x, d + 1))),
            serde_json::Value::Object(o) => todo.extend(o.values().map(|x| (x, d + 1))),
            _ => deepest = deepest.max(d),
        }
        if matches!(v, serde_json::Value::Array(_) | serde_json::Value::Object(_)) {
            deepest = deepest.max(d + 1);
        }
    }
    deepest
}

/// Where the validator is: diagnostics, and where to point when a node has no origin.
pub struct Ctx<'a> {
    pub diags: &'a mut Diagnostics,
    pub fallback: Loc,
    pub version: &'a str,
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
