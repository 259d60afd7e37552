//! Resolve: what a path written in a module names, following `use` (renames, groups, globs,
//! `self`/`super`/`crate`), re-exports, nested modules and dependency crates, as rustc would.

use super::{CrateSource, ItemRef, ModId, Program, Scope};
use crate::diag::{Diagnostics, SourceMap};
use std::rc::Rc;

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A struct, enum or type alias whose source is loaded.
    Item(ItemRef),
    Module(Scope),
    /// A type of a crate whose source is not available (std, or a crate missing from the
    /// dependency graph): its crate name and path inside that crate.
    External {
        krate: String,
        path: Vec<String>,
    },
}

/// Why a path could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// `name` is neither defined, imported nor a crate, as seen from `scope`.
    NotFound {
        name: String,
        scope: Scope,
        is_first: bool,
    },
    /// A module on the way could not be read or parsed (that was reported already).
    Unreadable,
    Other(String),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::NotFound { name, .. } => write!(f, "`{name}` is not defined or imported here"),
            ResolveError::Unreadable => f.write_str("a module on the way could not be read"),
            ResolveError::Other(m) => f.write_str(m),
        }
    }
}

impl From<&str> for ResolveError {
    fn from(s: &str) -> Self {
        ResolveError::Other(s.to_string())
    }
}

impl From<String> for ResolveError {
    fn from(s: String) -> Self {
        ResolveError::Other(s)
    }
}

/// Names every Rust module sees without a `use` (the std prelude, for the types that matter).
const PRELUDE: &[&str] = &["Option", "Vec", "String", "Box", "Result"];
const STD_CRATES: &[&str] = &["std", "core", "alloc"];
/// `use` chains and glob cycles deeper than this are a cycle.
const MAX_DEPTH: usize = 64;

pub struct Resolver<'a> {
    pub program: &'a mut Program,
    pub sources: &'a mut SourceMap,
    pub diags: &'a mut Diagnostics,
}

impl Resolver<'_> {
    /// Resolves `path` as written in `scope`. `Err` carries a message naming what was missing.
    /// Names visible in `scope` (types, imports, modules), for "did you mean" help.
    pub fn names_in(&mut self, scope: Scope) -> Vec<String> {
        let Some(body) = self.program.load_module(scope, self.sources, self.diags) else { return Vec::new() };
        let mut names: Vec<String> = body.types.keys().chain(body.uses.keys()).cloned().collect();
        names.sort();
        names
    }

    pub fn resolve_path(&mut self, scope: Scope, path: &syn::Path) -> Result<Resolved, ResolveError> {
        use syn::ext::IdentExt;
        let mut segs: Vec<String> = Vec::with_capacity(path.segments.len() + 1);
        if path.leading_colon.is_some() {
            segs.push("::".into());
        }
        segs.extend(path.segments.iter().map(|s| s.ident.unraw().to_string()));
        self.resolve_segments(scope, &segs, 0)
    }

    pub fn resolve_segments(&mut self, scope: Scope, segs: &[String], depth: usize) -> Result<Resolved, ResolveError> {
        if depth > MAX_DEPTH {
            return Err(format!("`{}` is part of a `use` cycle", segs.join("::")).into());
        }
        let Some(first) = segs.first() else { return Ok(Resolved::Module(scope)) };
        let (mut cur, rest) = match first.as_str() {
            "::" => {
                let name = segs.get(1).ok_or(ResolveError::from("a path cannot be `::` alone"))?;
                (self.extern_crate(scope, name)?, &segs[2..])
            }
            "crate" => (Resolved::Module(Scope { krate: scope.krate, module: ModId(0) }), &segs[1..]),
            "self" => (Resolved::Module(scope), &segs[1..]),
            "super" => (Resolved::Module(self.parent(scope)?), &segs[1..]),
            name => (self.lookup(scope, name, depth)?, &segs[1..]),
        };
        for (i, seg) in rest.iter().enumerate() {
            cur = match cur {
                Resolved::Module(m) if seg == "super" => Resolved::Module(self.parent(m)?),
                Resolved::Module(m) if seg == "self" => Resolved::Module(m),
                Resolved::Module(m) => self.lookup_in(m, seg, depth)?.ok_or_else(|| {
                    let krate = self.program.krate(m.krate);
                    ResolveError::Other(format!("no `{seg}` in module `{}`", krate.module_path(m.module)))
                })?,
                Resolved::External { krate, mut path } => {
                    path.extend(rest[i..].iter().cloned());
                    return Ok(Resolved::External { krate, path });
                }
                Resolved::Item(_) => return Err(format!("`{}` is not a module", segs[..=i].join("::")).into()),
            };
        }
        Ok(cur)
    }

    fn parent(&self, scope: Scope) -> Result<Scope, ResolveError> {
        let parent =
            self.program.krate(scope.krate).modules[scope.module.0].parent.ok_or(ResolveError::from("`super` at the crate root"))?;
        Ok(Scope { krate: scope.krate, module: parent })
    }

    /// A single name as seen from inside `scope`: its items, modules, imports, extern crates, prelude.
    fn lookup(&mut self, scope: Scope, name: &str, depth: usize) -> Result<Resolved, ResolveError> {
        if let Some(found) = self.lookup_in(scope, name, depth)? {
            return Ok(found);
        }
        if let Ok(found) = self.extern_crate(scope, name) {
            return Ok(found);
        }
        if PRELUDE.contains(&name) {
            return Ok(Resolved::External { krate: "std".into(), path: vec![name.into()] });
        }
        Err(ResolveError::NotFound { name: name.to_string(), scope, is_first: depth == 0 })
    }

    /// A name defined in or imported into module `scope` (what `scope::name` reaches).
    fn lookup_in(&mut self, scope: Scope, name: &str, depth: usize) -> Result<Option<Resolved>, ResolveError> {
        let Some(body) = self.program.load_module(scope, self.sources, self.diags) else {
            return Err(ResolveError::Unreadable);
        };
        if let Some(&index) = body.types.get(name) {
            return Ok(Some(Resolved::Item(ItemRef { scope, index })));
        }
        if let Some(&child) = body.children.get(name) {
            return Ok(Some(Resolved::Module(Scope { krate: scope.krate, module: child })));
        }
        if let Some(path) = body.uses.get(name) {
            return self.resolve_use(scope, path, depth).map(Some);
        }
        for glob in &body.globs {
            match self.resolve_use(scope, glob, depth) {
                Ok(Resolved::Module(target)) if target != scope => {
                    if let Ok(Some(found)) = self.lookup_in(target, name, depth + 1) {
                        return Ok(Some(found));
                    }
                }
                // `use std::collections::*;`: std has no source here, so a glob into it brings
                // the std types crd-gen knows by name.
                Ok(Resolved::External { krate, mut path }) if crate::lower::known::crate_type(&krate, name).is_some() => {
                    path.push(name.to_string());
                    return Ok(Some(Resolved::External { krate, path }));
                }
                _ => {}
            }
        }
        Ok(None)
    }

    /// A `use` path: absolute (`crate::`, `::`, an extern crate) or relative to the module.
    fn resolve_use(&mut self, scope: Scope, path: &[String], depth: usize) -> Result<Resolved, ResolveError> {
        let first = path.first().map(String::as_str).unwrap_or("");
        if !matches!(first, "crate" | "self" | "super" | "::") {
            // 2018 paths: a name of this module first, then an extern crate.
            let body = self.program.load_module(scope, self.sources, self.diags);
            let local = body.is_some_and(|b| b.types.contains_key(first) || b.children.contains_key(first));
            if !local && let Ok(ext) = self.extern_crate(scope, first) {
                return self.continue_from(ext, &path[1..], depth);
            }
        }
        self.resolve_segments(scope, path, depth + 1)
    }

    fn continue_from(&mut self, start: Resolved, rest: &[String], depth: usize) -> Result<Resolved, ResolveError> {
        match start {
            Resolved::Module(m) => {
                let mut segs = vec!["self".to_string()];
                segs.extend(rest.iter().cloned());
                self.resolve_segments(m, &segs, depth + 1)
            }
            Resolved::External { krate, mut path } => {
                path.extend(rest.iter().cloned());
                Ok(Resolved::External { krate, path })
            }
            item => Ok(item),
        }
    }

    /// The root module of a dependency crate (read lazily), or an external marker for std and
    /// crates whose source is not known.
    fn extern_crate(&mut self, scope: Scope, name: &str) -> Result<Resolved, ResolveError> {
        if STD_CRATES.contains(&name) {
            return Ok(Resolved::External { krate: name.to_string(), path: vec![] });
        }
        let source: &Rc<CrateSource> = &self.program.krate(scope.krate).source;
        if source.name == name {
            return Ok(Resolved::Module(Scope { krate: scope.krate, module: ModId(0) }));
        }
        match source.deps.get(name) {
            Some(dep) => {
                let dep = dep.clone();
                let id = self.program.add_crate(dep);
                Ok(Resolved::Module(Scope { krate: id, module: ModId(0) }))
            }
            None => Err(ResolveError::Other(format!("no crate `{name}`"))),
        }
    }
}
