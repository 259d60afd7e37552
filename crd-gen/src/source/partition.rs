//! Partition: how the engine's workers share a target crate. Parsed trees cannot cross threads
//! (proc-macro2's spans point into a per-thread source map), so each worker parses what it
//! lowers. Every worker reads the crate's skeleton (the root and every module that may have child
//! modules: its directory exists); the leaf modules are taken as the workers come to them, each
//! by one worker, which reads it (and everything below it) and collects its resources. A worker
//! slowed down (its core busy with something else) so takes fewer; a static deal left the other
//! waiting for it at the exchange, up to a fifth of a 1000-resource run. A worker still reads
//! another's module when a type it lowers lives there, as any module is read on demand.

use super::{Crate, CrateId, ModId, ModState, Program, Scope};
use crate::diag::{Diagnostics, SourceMap};
use std::collections::HashSet;
use std::sync::Mutex;

/// This worker's place among the workers, and the leaves they have taken so far.
#[derive(Clone, Copy, Debug)]
pub struct Share<'a> {
    pub worker: usize,
    pub taken: &'a Taken,
}

/// The leaf modules of one crate some worker has taken (by module number: the skeleton, and so
/// the leaves' numbers, are the same in every worker).
#[derive(Debug, Default)]
pub struct Taken(Mutex<HashSet<usize>>);

impl Taken {
    /// Takes `leaf` unless another worker has.
    fn take(&self, leaf: ModId) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(leaf.0)
    }
}

/// Which modules of a crate a worker collects resources from: the leaves it took and what lies
/// below them, and (worker 0) the skeleton. A module declared after the skeleton (inside a leaf)
/// is its parent's worker's.
#[derive(Debug)]
pub struct Owned<'a> {
    /// None: a leaf not come to yet.
    owned: Vec<Option<bool>>,
    taken: &'a Taken,
}

impl Owned<'_> {
    /// Whether this worker collects `m`; a leaf not come to before is taken now if no other
    /// worker has taken it.
    pub fn take(&mut self, krate: &Crate, m: ModId) -> bool {
        let mut cur = Some(m);
        while let Some(at) = cur {
            match self.owned.get(at.0) {
                Some(Some(owned)) => return *owned,
                Some(None) => {
                    let mine = self.taken.take(at);
                    self.owned[at.0] = Some(mine);
                    return mine;
                }
                None => cur = krate.modules[at.0].parent,
            }
        }
        false
    }
}

impl Program {
    /// Reads the skeleton of `krate`; its leaf modules are taken and read as the workers come
    /// to them.
    pub fn plan_share<'a>(&mut self, krate: CrateId, share: Share<'a>, sources: &mut SourceMap, diags: &mut Diagnostics) -> Owned<'a> {
        self.crates[krate.0].is_target = true;
        let leaves = self.load_skeleton(krate, sources, diags);
        let mut owned = vec![Some(share.worker == 0); self.crates[krate.0].modules.len()];
        for leaf in leaves {
            owned[leaf.0] = None;
        }
        Owned { owned, taken: share.taken }
    }

    /// Loads the root and every module that may declare modules of its own, in declaration
    /// order (the same in every worker, as no leaf is read yet); returns the leaves.
    fn load_skeleton(&mut self, krate: CrateId, sources: &mut SourceMap, diags: &mut Diagnostics) -> Vec<ModId> {
        let mut leaves = Vec::new();
        let mut i = 0;
        while i < self.crates[krate.0].modules.len() {
            let module = ModId(i);
            match &self.crates[krate.0].modules[i].state {
                ModState::Pending { child_dir, .. } if i > 0 && !child_dir.is_dir() => leaves.push(module),
                _ => {
                    self.load_module(Scope { krate, module }, sources, diags);
                }
            }
            i += 1;
        }
        leaves
    }

    /// The module at `path` (names below the crate root), read on the way if need be.
    pub fn module_at(&mut self, krate: CrateId, path: &[String], sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<ModId> {
        let mut module = ModId(0);
        for name in path {
            let body = self.load_module(Scope { krate, module }, sources, diags)?;
            module = *body.children.get(name)?;
        }
        self.load_module(Scope { krate, module }, sources, diags)?;
        Some(module)
    }

    /// The names from the crate root down to `m`, for [`Program::module_at`] in another worker.
    pub fn module_names(&self, krate: CrateId, m: ModId) -> Vec<String> {
        let modules = &self.crates[krate.0].modules;
        let mut names: Vec<String> =
            std::iter::successors(Some(m), |m| modules[m.0].parent).filter(|m| m.0 != 0).map(|m| modules[m.0].name.clone()).collect();
        names.reverse();
        names
    }
}

/// How many workers a run over crates of `bytes` of source should have: one per this many bytes
/// of source (below it, a second thread costs more than it saves), at most one per core.
pub const BYTES_PER_WORKER: u64 = 128 * 1024;

pub fn workers_for(bytes: u64, cores: usize) -> usize {
    ((bytes / BYTES_PER_WORKER) as usize).clamp(1, cores.max(1))
}

/// The bytes of Rust source under `dir` (where a crate's modules live), counted until `limit`.
pub fn source_bytes(dir: &std::path::Path, limit: u64) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() && e.path().extension().is_some_and(|x| x == "rs") {
                total += e.metadata().map_or(0, |m| m.len());
            }
            if total >= limit {
                return total;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leaves go to whichever worker comes to them first; a worker that comes later gets what
    /// is left, and the skeleton is worker 0's.
    #[test]
    fn a_worker_takes_the_leaves_no_other_worker_has_taken() {
        use crate::source::CrateSource;
        let leaf = "pub struct S;\n";
        let tree =
            crate::source::fixture::TempTree::of(&[("lib.rs", "mod a;\nmod b;\nmod c;\n"), ("a.rs", leaf), ("b.rs", leaf), ("c.rs", leaf)]);
        let dir = &tree.0;
        let taken = Taken::default();
        let plan = |worker| {
            let mut program = Program::default();
            let krate = program.add_crate(std::sync::Arc::new(CrateSource::standalone("demo", dir.join("lib.rs"))));
            let share = Share { worker, taken: &taken };
            let owned = program.plan_share(krate, share, &mut SourceMap::default(), &mut Diagnostics::default());
            (program, krate, owned)
        };
        let (p1, k1, mut one) = plan(1);
        let (p0, k0, mut zero) = plan(0);
        let takes = |p: &Program, k: CrateId, o: &mut Owned, m: usize| o.take(p.krate(k), ModId(m));
        assert!(takes(&p1, k1, &mut one, 1), "worker 1 comes to `a` first");
        assert!(!takes(&p0, k0, &mut zero, 1));
        assert!(takes(&p0, k0, &mut zero, 2) && takes(&p0, k0, &mut zero, 3));
        assert!(!takes(&p1, k1, &mut one, 2) && !takes(&p1, k1, &mut one, 3));
        assert!(takes(&p0, k0, &mut zero, 0) && !takes(&p1, k1, &mut one, 0), "the root is worker 0's");
        assert!(takes(&p1, k1, &mut one, 1), "asked again, the same answer");
    }

    #[test]
    fn a_small_crate_has_one_worker() {
        assert_eq!(workers_for(10_000, 2), 1);
        assert_eq!(workers_for(4 * BYTES_PER_WORKER, 2), 2);
        assert_eq!(workers_for(4 * BYTES_PER_WORKER, 1), 1);
    }
}
