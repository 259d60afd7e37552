//! Name lookup: what one name stands for in the type namespace of one module, as rustc's import
//! resolution decides it. A module's own definitions and its single imports (`use a::X`) shadow
//! what its glob imports (`use a::*`) bring; a glob brings only the names the importing module
//! may see; two globs that bring different things under one name make it ambiguous (an error
//! only where that name is used); two that bring the same thing do not.
//!
//! Glob imports are a fixpoint: in `mod.rs` with `pub use a::*; pub use b::*;` and
//! `use super::*;` in `a` and `b`, what each module sees depends on what the others see. Lookups
//! are demand-driven (a dependency crate's module is read only when a lookup leads into it) and
//! memoized; a lookup that meets itself again (a cycle of imports) takes what is known so far
//! (nothing, at first), and the outermost lookup of the cycle recomputes the cycle until nothing
//! changes. Every step only adds what an import brings, so this ends, and it ends with what rustc
//! finds; each lookup of a cycle runs once per round, and the rounds are few (two, typically).

use super::names::{DefKind, Glob, Vis};
use super::resolve::Resolver;
use super::{ItemRef, ModuleBody, Scope};
use crate::diag::Loc;
use std::collections::HashMap;
use std::rc::Rc;

/// What a name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Res {
    /// A struct, enum, type alias, trait or union whose source is loaded.
    Item(ItemRef),
    Module(Scope),
    /// A type of a crate whose source is not available (std, or a crate missing from the
    /// dependency graph): its crate name and path inside that crate.
    External {
        krate: String,
        path: Vec<String>,
    },
}

/// The outcome of looking one name up in one module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    NotFound,
    /// A module on the way could not be read (that was reported when it was read).
    Unreadable,
    Found {
        res: Res,
        vis: Vis,
    },
    /// Two glob imports bring different things under this name.
    Ambiguous {
        vis: Vis,
        both: Box<Ambiguity>,
    },
}

/// The two things two glob imports bring under one name, each with the glob that brings it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguity {
    pub first: (Res, Loc),
    pub second: (Res, Loc),
}

/// One name in one module's type namespace; `skip_import` leaves one import out (a `use`
/// path's first segment is looked up without the import being resolved, as rustc does).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub scope: Scope,
    pub name: String,
    pub skip_import: Option<usize>,
}

impl Key {
    pub fn new(scope: Scope, name: &str) -> Key {
        Key { scope, name: name.to_string(), skip_import: None }
    }
}

/// Rounds after which a cycle is taken as it stands. Each round that does not end the
/// iteration adds to some binding, so real code ends in two or three; this only bounds work
/// on input built to be pathological.
const MAX_ROUNDS: usize = 64;

/// Lookups in progress at once (a chain of imports this long): beyond it, an error, not a
/// stack overflow (each level takes up to ~25 KiB of the engine's stack unoptimized).
pub const MAX_DEPTH: usize = 10_000;

/// "Depends on no lookup in progress".
pub const SETTLED: usize = usize::MAX;

#[derive(Debug, Default)]
pub struct Memo {
    slots: HashMap<Key, Slot>,
    stack: Vec<Frame>,
    next_round: u64,
    /// Lookups computed (each round of a cycle counts each of its lookups): the measure of work
    /// the tests bound.
    pub work: u64,
}

#[derive(Debug)]
enum Slot {
    Done(Binding),
    /// Being computed, at this depth of the stack.
    Active(usize),
    /// Computed in round `round` of the cycle whose outermost lookup is at depth `low`; valid
    /// for that round only.
    Provisional {
        value: Binding,
        low: usize,
        round: u64,
    },
}

#[derive(Debug)]
struct Frame {
    /// The value others see while this lookup is in progress.
    value: Binding,
    round: u64,
    read_while_active: bool,
    /// A lookup of this cycle ended with another value than the one read while it ran.
    dirty: bool,
    /// Provisional lookups that depend on this one, finalized with it.
    members: Vec<Key>,
}

impl Memo {
    fn new_round(&mut self) -> u64 {
        self.next_round += 1;
        self.next_round
    }
    fn current(&self, low: usize, round: u64) -> bool {
        self.stack.get(low).is_some_and(|f| f.round == round)
    }
}

impl Resolver<'_> {
    /// The binding of `key`, lowering `low` to the stack depth of the outermost lookup in
    /// progress that the answer depends on ([`SETTLED`] when it depends on none).
    pub fn lookup(&mut self, key: Key, low: &mut usize) -> Binding {
        let memo = &mut self.program.lookups;
        let mut initial = Binding::NotFound;
        match memo.slots.get(&key) {
            Some(Slot::Done(b)) => return b.clone(),
            Some(Slot::Active(d)) => {
                let d = *d;
                memo.stack[d].read_while_active = true;
                *low = (*low).min(d);
                return memo.stack[d].value.clone();
            }
            Some(Slot::Provisional { value, low: l, round }) => {
                if memo.current(*l, *round) {
                    *low = (*low).min(*l);
                    return value.clone();
                }
                initial = value.clone();
            }
            None => {}
        }
        let depth = memo.stack.len();
        if depth >= MAX_DEPTH {
            self.too_deep(&key);
            return Binding::Unreadable;
        }
        let round = memo.new_round();
        memo.stack.push(Frame { value: initial, round, read_while_active: false, dirty: false, members: Vec::new() });
        memo.slots.insert(key.clone(), Slot::Active(depth));
        let mut rounds = 0;
        loop {
            self.program.lookups.work += 1;
            let mut my_low = SETTLED;
            let value = self.compute(&key, &mut my_low);
            let memo = &mut self.program.lookups;
            let frame = &mut memo.stack[depth];
            let stale = frame.dirty || (frame.read_while_active && value != frame.value);
            if my_low < depth {
                // Part of a cycle that an outer lookup drives: provisional until it settles.
                let frame = memo.stack.pop().expect("own frame");
                let outer = &mut memo.stack[my_low];
                outer.dirty |= stale;
                outer.members.push(key.clone());
                outer.members.extend(frame.members);
                let round = outer.round;
                memo.slots.insert(key, Slot::Provisional { value: value.clone(), low: my_low, round });
                *low = (*low).min(my_low);
                return value;
            }
            rounds += 1;
            if stale && rounds < MAX_ROUNDS {
                let round = memo.new_round();
                let frame = &mut memo.stack[depth];
                frame.value = value;
                frame.read_while_active = false;
                frame.dirty = false;
                frame.members.clear();
                frame.round = round;
                continue;
            }
            let frame = memo.stack.pop().expect("own frame");
            for member in frame.members {
                if let Some(Slot::Provisional { value, .. }) = memo.slots.remove(&member) {
                    memo.slots.insert(member, Slot::Done(value));
                }
            }
            memo.slots.insert(key, Slot::Done(value.clone()));
            return value;
        }
    }

    fn too_deep(&mut self, key: &Key) {
        let krate = self.program.krate(key.scope.krate);
        let place = match krate.loaded(key.scope.module) {
            Some(body) => crate::diag::Place::File(self.sources.get(body.file).path.clone()),
            None => crate::diag::Place::File(krate.source.root_file.clone()),
        };
        let module = krate.module_path(key.scope.module);
        self.diags.push(
            crate::diag::Diagnostic::error(
                format!("looking up `{}` in `{module}` leads through more than {MAX_DEPTH} imports", key.name),
                place,
            )
            .with_help("crd-gen follows chains of `use` up to that length; import the item from where it is defined"),
        );
    }

    /// One round of a lookup: own definitions, then single imports, then glob imports.
    fn compute(&mut self, key: &Key, low: &mut usize) -> Binding {
        let Some(body) = self.program.load_module(key.scope, self.sources, self.diags) else { return Binding::Unreadable };
        if let Some(def) = body.names.defs.get(&key.name) {
            let res = match &def.kind {
                DefKind::Item(index) => Res::Item(ItemRef { scope: key.scope, index: *index }),
                DefKind::Module(m) => Res::Module(Scope { krate: key.scope.krate, module: *m }),
                DefKind::ExternCrate(name) => match self.extern_crate(key.scope, name) {
                    Some(res) => res,
                    None => Res::External { krate: name.clone(), path: Vec::new() },
                },
            };
            return Binding::Found { res, vis: def.vis };
        }
        let mut found = Candidates::default();
        for &i in body.names.by_name.get(&key.name).map(Vec::as_slice).unwrap_or_default() {
            if Some(i) == key.skip_import {
                continue;
            }
            match self.single_import(key.scope, &body, i, low) {
                b @ (Binding::Found { .. } | Binding::Ambiguous { .. }) => return b,
                Binding::Unreadable => found.value = Binding::Unreadable,
                Binding::NotFound => {}
            }
        }
        // An import that binds nothing here (it names a function or a macro) leaves the
        // name to the globs, as in rustc, where an import binds per namespace.
        for glob in &body.names.globs {
            let candidate = self.glob_candidate(key.scope, glob, &key.name, low);
            found.add(candidate, glob.loc, self.program);
        }
        found.value
    }

    /// What import `i` of `scope` binds in the type namespace.
    fn single_import(&mut self, scope: Scope, body: &Rc<ModuleBody>, i: usize, low: &mut usize) -> Binding {
        let import = &body.names.imports[i];
        let (last, module_path) = import.path.split_last().expect("an import has a path");
        // The import's own name is not in scope while its path is resolved.
        let skip = (import.path.first() == Some(&import.name)).then_some(i);
        let target = if module_path.is_empty() {
            self.use_path_start(scope, last, skip, low)
        } else {
            self.walk_use_path(scope, module_path, skip, low).map(|res| match res {
                Res::Module(m) => self.lookup(Key::new(m, last), low),
                Res::External { krate, mut path } => {
                    path.push(last.clone());
                    Binding::Found { res: Res::External { krate, path }, vis: Vis::Public }
                }
                // `use Enum::Variant;`: a variant, not a type.
                Res::Item(_) => Binding::NotFound,
            })
        };
        match target {
            Ok(Binding::Found { res, vis }) => Binding::Found { res, vis: Vis::through(import.vis, vis, self.program) },
            Ok(Binding::Ambiguous { vis, both }) => Binding::Ambiguous { vis: Vis::through(import.vis, vis, self.program), both },
            Ok(other) => other,
            Err(PathError::Unreadable) => Binding::Unreadable,
            Err(_) => Binding::NotFound,
        }
    }

    /// What `glob` (an import of `scope`) brings under `name`.
    fn glob_candidate(&mut self, scope: Scope, glob: &Glob, name: &str, low: &mut usize) -> Binding {
        match self.walk_use_path(scope, &glob.path, None, low) {
            Ok(Res::Module(m)) if m == scope => Binding::NotFound,
            Ok(Res::Module(m)) => match self.lookup(Key::new(m, name), low) {
                Binding::Found { res, vis } if vis.accessible_from(scope, self.program) => {
                    Binding::Found { res, vis: Vis::through(glob.vis, vis, self.program) }
                }
                Binding::Ambiguous { vis, both } if vis.accessible_from(scope, self.program) => {
                    Binding::Ambiguous { vis: Vis::through(glob.vis, vis, self.program), both }
                }
                Binding::Unreadable => Binding::Unreadable,
                _ => Binding::NotFound,
            },
            // `use std::collections::*;`: std has no source here, so a glob into it brings the
            // std types crd-gen knows by name.
            Ok(Res::External { krate, mut path }) if (self.program.external_types.0)(&krate, name) => {
                path.push(name.to_string());
                Binding::Found { res: Res::External { krate, path }, vis: glob.vis }
            }
            Ok(_) => Binding::NotFound,
            Err(PathError::Unreadable) => Binding::Unreadable,
            Err(_) => Binding::NotFound,
        }
    }

    /// The first segment of a `use` path that is not `crate`/`self`/`super`/`::`: a name of
    /// the module (other than the import being resolved), else an extern crate.
    pub(crate) fn use_path_start(&mut self, scope: Scope, name: &str, skip: Option<usize>, low: &mut usize) -> Result<Binding, PathError> {
        match self.lookup(Key { scope, name: name.to_string(), skip_import: skip }, low) {
            Binding::NotFound => match self.extern_crate(scope, name) {
                Some(res) => Ok(Binding::Found { res, vis: Vis::Public }),
                None => Ok(Binding::NotFound),
            },
            found => Ok(found),
        }
    }
}

/// Why a path leads nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// `name` is not bound in `scope` (`first`: it was the path's first segment).
    NotFound {
        name: String,
        scope: Scope,
        first: bool,
    },
    Ambiguous {
        name: String,
        both: Box<Ambiguity>,
    },
    Unreadable,
    /// `super` above the crate root, `::` alone, a segment after a type.
    Invalid(String),
}

/// The glob candidates of one name, merged as rustc merges glob bindings.
struct Candidates {
    value: Binding,
    loc: Option<Loc>,
}

impl Default for Candidates {
    fn default() -> Self {
        Candidates { value: Binding::NotFound, loc: None }
    }
}

impl Candidates {
    fn add(&mut self, candidate: Binding, loc: Loc, program: &super::Program) {
        let acc = std::mem::replace(&mut self.value, Binding::NotFound);
        self.value = match (acc, candidate) {
            (a @ Binding::Ambiguous { .. }, _) => a,
            (Binding::NotFound | Binding::Unreadable, c @ (Binding::Found { .. } | Binding::Ambiguous { .. })) => {
                self.loc = Some(loc);
                c
            }
            (Binding::NotFound, c) => c,
            (a, Binding::NotFound | Binding::Unreadable) => a,
            (Binding::Found { .. }, c @ Binding::Ambiguous { .. }) => c,
            (Binding::Found { res: r1, vis: v1 }, Binding::Found { res: r2, vis: v2 }) => {
                let vis = Vis::wider(v1, v2, program);
                if r1 == r2 {
                    Binding::Found { res: r1, vis }
                } else {
                    Binding::Ambiguous { vis, both: Box::new(Ambiguity { first: (r1, self.loc.unwrap_or(loc)), second: (r2, loc) }) }
                }
            }
        };
    }
}
