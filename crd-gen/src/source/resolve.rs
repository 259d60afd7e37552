//! Resolve: what a path written in a module names. The first segment is `crate`, `self`,
//! `super`, `::crate`, or a name looked up in the module (its items, imports and globs, see
//! `lookup.rs`), then the extern prelude (dependencies, std), then for types the std prelude;
//! each further segment is a name in the module reached so far.

pub use super::lookup::{Ambiguity, Binding, Key, PathError, Res, SETTLED};
use super::{CrateSource, ModId, Program, Scope};
use crate::diag::{Diagnostics, Loc, SourceMap};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a path names (a [`Res`]).
pub type Resolved = Res;

/// Why a path could not be resolved, for the message at the place it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// `name` is neither defined, imported nor a crate, as seen from `scope`.
    NotFound {
        name: String,
        scope: Scope,
        is_first: bool,
    },
    /// Two glob imports of `scope`-reachable modules bring different things as `name`.
    Ambiguous {
        name: String,
        both: Box<Ambiguity>,
    },
    /// A module on the way could not be read or parsed (that was reported already).
    Unreadable,
    Other(String),
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::NotFound { name, .. } => write!(f, "`{name}` is not defined or imported here"),
            ResolveError::Ambiguous { name, .. } => write!(f, "`{name}` is ambiguous"),
            ResolveError::Unreadable => f.write_str("a module on the way could not be read"),
            ResolveError::Other(m) => f.write_str(m),
        }
    }
}

impl From<PathError> for ResolveError {
    fn from(e: PathError) -> Self {
        match e {
            PathError::NotFound { name, scope, first } => ResolveError::NotFound { name, scope, is_first: first },
            PathError::Ambiguous { name, both } => ResolveError::Ambiguous { name, both },
            PathError::Unreadable => ResolveError::Unreadable,
            PathError::Invalid(m) => ResolveError::Other(m),
        }
    }
}

/// Names every Rust module sees without a `use` (the std prelude, for the types that matter).
const PRELUDE: &[&str] = &["Option", "Vec", "String", "Box", "Result"];
const STD_CRATES: &[&str] = &["std", "core", "alloc"];

pub struct Resolver<'a> {
    pub program: &'a mut Program,
    pub sources: &'a mut SourceMap,
    pub diags: &'a mut Diagnostics,
}

/// How a path's first segment is looked up: in a `use` (module names, then crates) or in a
/// type (also the std prelude).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Use,
    Type,
}

impl Resolver<'_> {
    /// Resolves a type path as written in `scope`.
    pub fn resolve_path(&mut self, scope: Scope, path: &syn::Path) -> Result<Resolved, ResolveError> {
        use syn::ext::IdentExt;
        let mut segs: Vec<String> = Vec::with_capacity(path.segments.len() + 1);
        if path.leading_colon.is_some() {
            segs.push("::".into());
        }
        segs.extend(path.segments.iter().map(|s| s.ident.unraw().to_string()));
        let mut low = SETTLED;
        Ok(self.walk(scope, &segs, None, Mode::Type, &mut low)?)
    }

    /// A `use` path (or a glob's) of `scope`, leaving import `skip` out of its first segment.
    pub(crate) fn walk_use_path(&mut self, scope: Scope, segs: &[String], skip: Option<usize>, low: &mut usize) -> Result<Res, PathError> {
        self.walk(scope, segs, skip, Mode::Use, low)
    }

    fn walk(&mut self, scope: Scope, segs: &[String], skip: Option<usize>, mode: Mode, low: &mut usize) -> Result<Res, PathError> {
        let Some(first) = segs.first() else { return Ok(Res::Module(scope)) };
        let (start, rest) = match first.as_str() {
            "::" => {
                let name = segs.get(1).ok_or_else(|| PathError::Invalid("a path cannot be `::` alone".into()))?;
                let res = self.extern_crate(scope, name).ok_or_else(|| PathError::NotFound { name: name.clone(), scope, first: true })?;
                (res, &segs[2..])
            }
            "crate" => (Res::Module(Scope { krate: scope.krate, module: ModId(0) }), &segs[1..]),
            "self" => (Res::Module(scope), &segs[1..]),
            "super" => (Res::Module(self.parent(scope)?), &segs[1..]),
            name => (self.first_segment(scope, name, skip, mode, low)?, &segs[1..]),
        };
        self.walk_rest(start, rest, low)
    }

    fn first_segment(&mut self, scope: Scope, name: &str, skip: Option<usize>, mode: Mode, low: &mut usize) -> Result<Res, PathError> {
        let binding = self.use_path_start(scope, name, skip, low)?;
        match binding {
            Binding::Found { res, .. } => Ok(res),
            Binding::NotFound if mode == Mode::Type && PRELUDE.contains(&name) => {
                Ok(Res::External { krate: "std".into(), path: vec![name.into()] })
            }
            other => Err(binding_error(other, name, scope, true)),
        }
    }

    /// Segments after the first: each a name in the module reached so far.
    fn walk_rest(&mut self, mut cur: Res, rest: &[String], low: &mut usize) -> Result<Res, PathError> {
        for (i, seg) in rest.iter().enumerate() {
            cur = match cur {
                Res::Module(m) if seg == "super" => Res::Module(self.parent(m)?),
                Res::Module(m) if seg == "self" => Res::Module(m),
                Res::Module(m) => match self.lookup(Key::new(m, seg), low) {
                    Binding::Found { res, .. } => res,
                    other => return Err(binding_error(other, seg, m, false)),
                },
                Res::External { krate, mut path } => {
                    path.extend(rest[i..].iter().cloned());
                    return Ok(Res::External { krate, path });
                }
                Res::Item(_) => {
                    let before = rest[..i].join("::");
                    return Err(PathError::Invalid(format!("`{before}` is a type, not a module, so `{seg}` cannot be looked up in it")));
                }
            };
        }
        Ok(cur)
    }

    fn parent(&self, scope: Scope) -> Result<Scope, PathError> {
        self.program.parent(scope).ok_or_else(|| PathError::Invalid("`super` at the crate root".into()))
    }

    /// The root module of a dependency crate (registered on first use, read lazily), or an
    /// external marker for std and its siblings.
    pub(crate) fn extern_crate(&mut self, scope: Scope, name: &str) -> Option<Res> {
        if STD_CRATES.contains(&name) {
            return Some(Res::External { krate: name.to_string(), path: vec![] });
        }
        let source: &Arc<CrateSource> = &self.program.krate(scope.krate).source;
        if source.name == name {
            return Some(Res::Module(Scope { krate: scope.krate, module: ModId(0) }));
        }
        let dep = source.deps.get(name)?.clone();
        let id = self.program.add_crate(dep);
        Some(Res::Module(Scope { krate: id, module: ModId(0) }))
    }

    /// Names visible in `scope` (its own, its globs', crates, the prelude), for "did you mean".
    pub fn names_in(&mut self, scope: Scope) -> Vec<String> {
        let mut names = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut todo = vec![scope];
        while let Some(m) = todo.pop() {
            if !seen.insert(m) {
                continue;
            }
            let Some(body) = self.program.load_module(m, self.sources, self.diags) else { continue };
            names.extend(body.names.own_names().map(str::to_string));
            for glob in &body.names.globs {
                let mut low = SETTLED;
                if let Ok(Res::Module(target)) = self.walk_use_path(m, &glob.path, None, &mut low) {
                    todo.push(target);
                }
            }
        }
        let deps = self.program.krate(scope.krate).source.deps.keys().cloned();
        names.extend(deps.chain(PRELUDE.iter().map(|s| s.to_string())));
        names.into_iter().collect()
    }
}

/// Why a name is missing from a module, for notes under "cannot find type": the imports of
/// that name that lead nowhere (and whether they form a cycle), and the macro calls that might
/// define it.
#[derive(Debug, Default)]
pub struct Missing {
    pub notes: Vec<(Loc, String)>,
    /// A `use` of the name leads back to itself with nothing defining it.
    pub cycle: bool,
}

impl Resolver<'_> {
    pub fn why_missing(&mut self, scope: Scope, name: &str) -> Missing {
        let mut missing = Missing::default();
        self.follow_imports(scope, name, &mut Vec::new(), &mut missing);
        if let Some(body) = self.program.krate(scope.krate).loaded(scope.module).cloned() {
            for call in &body.names.macro_calls {
                missing.notes.push((
                    call.loc,
                    format!("`{}!` expands to items crd-gen cannot see: if it defines `{name}`, crd-gen cannot read it", call.name),
                ));
            }
        }
        missing
    }

    /// Follows the imports that bind `name` in `scope`, noting where each leads nowhere.
    fn follow_imports(&mut self, scope: Scope, name: &str, chain: &mut Vec<(Scope, String)>, missing: &mut Missing) {
        let Some(body) = self.program.krate(scope.krate).loaded(scope.module).cloned() else { return };
        let Some(indices) = body.names.by_name.get(name) else { return };
        let here = format!("{}::{name}", self.program.krate(scope.krate).module_path(scope.module));
        if let Some(at) = chain.iter().position(|(s, n)| *s == scope && n == name) {
            let mut path: Vec<String> =
                chain[at..].iter().map(|(s, n)| format!("{}::{n}", self.program.krate(s.krate).module_path(s.module))).collect();
            path.push(here);
            missing.cycle = true;
            if let Some(&i) = indices.first() {
                let loc = body.names.imports[i].loc;
                missing.notes.push((loc, format!("this `use` is part of a cycle that defines nothing: {}", path.join(" -> "))));
            }
            return;
        }
        chain.push((scope, name.to_string()));
        for &i in indices {
            let import = body.names.imports[i].clone();
            let (last, module_path) = import.path.split_last().expect("an import has a path");
            let mut low = SETTLED;
            let target =
                if module_path.is_empty() { Ok(Res::Module(scope)) } else { self.walk_use_path(scope, module_path, None, &mut low) };
            match target {
                Ok(Res::Module(m)) if !module_path.is_empty() => {
                    let found = self.lookup(Key::new(m, last), &mut low);
                    if matches!(found, Binding::NotFound) {
                        let before = missing.notes.len();
                        self.follow_imports(m, last, chain, missing);
                        if missing.notes.len() == before {
                            let module = self.program.krate(m.krate).module_path(m.module);
                            missing.notes.push((import.loc, format!("this `use` names nothing: there is no `{last}` in `{module}`")));
                        }
                    }
                }
                Err(e) => missing.notes.push((import.loc, format!("this `use` leads nowhere: {}", ResolveError::from(e)))),
                _ => {}
            }
        }
        chain.pop();
    }
}

fn binding_error(b: Binding, name: &str, scope: Scope, first: bool) -> PathError {
    match b {
        Binding::Unreadable => PathError::Unreadable,
        Binding::Ambiguous { both, .. } => PathError::Ambiguous { name: name.to_string(), both },
        _ => PathError::NotFound { name: name.to_string(), scope, first },
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
