//! Partition: how the engine's workers share a target crate. Parsed trees cannot cross threads
//! (proc-macro2's spans point into a per-thread source map), so each worker parses what it
//! lowers. Every worker reads the crate's skeleton (the root and every module that may have child
//! modules: its directory exists); the leaf modules' files are dealt out by size, each to one
//! worker, which reads it (and everything below it) and collects its resources. A worker still
//! reads another's module when a type it lowers lives there, as any module is read on demand.

use super::{Crate, CrateId, ModId, ModState, Program, Scope};
use crate::diag::{Diagnostics, SourceMap};

/// This worker's place among the workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub worker: usize,
    pub workers: usize,
}

/// Which modules of a crate a worker collects resources from: its own leaves and what lies below
/// them, and (worker 0) the skeleton. A module declared after the deal (inside a leaf) is its
/// parent's worker's.
#[derive(Debug)]
pub struct Owned {
    owned: Vec<bool>,
}

impl Owned {
    pub fn contains(&self, krate: &Crate, m: ModId) -> bool {
        let mut cur = Some(m);
        while let Some(m) = cur {
            if let Some(&owned) = self.owned.get(m.0) {
                return owned;
            }
            cur = krate.modules[m.0].parent;
        }
        false
    }
}

impl Program {
    /// Reads the skeleton of `krate` and deals its leaf modules out; the leaves are read as
    /// their worker comes to them.
    pub fn plan_share(&mut self, krate: CrateId, share: Share, sources: &mut SourceMap, diags: &mut Diagnostics) -> Owned {
        self.crates[krate.0].is_target = true;
        let leaves = self.load_skeleton(krate, sources, diags);
        let mut owned = vec![share.worker == 0; self.crates[krate.0].modules.len()];
        let sizes: Vec<u64> = leaves.iter().map(|&m| self.pending_size(krate, m)).collect();
        for (&leaf, worker) in leaves.iter().zip(deal(&sizes, share.workers)) {
            owned[leaf.0] = worker == share.worker;
        }
        Owned { owned }
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

    /// The size of a module's file before it is read (0 if none exists: reading reports that).
    fn pending_size(&self, krate: CrateId, m: ModId) -> u64 {
        match &self.crates[krate.0].modules[m.0].state {
            ModState::Pending { files, .. } => files.iter().find_map(|f| std::fs::metadata(f).ok()).map_or(0, |m| m.len()),
            _ => 0,
        }
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

/// The worker of each leaf: the one with the fewest bytes so far (the first of equals), in
/// declaration order, so every worker computes the same deal.
pub fn deal(sizes: &[u64], workers: usize) -> Vec<usize> {
    let mut load = vec![0u64; workers.max(1)];
    sizes
        .iter()
        .map(|&size| {
            let w = (0..load.len()).min_by_key(|&w| (load[w], w)).unwrap_or(0);
            // An empty file still costs a read and a parse.
            load[w] += size.max(1);
            w
        })
        .collect()
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

    #[test]
    fn leaves_go_to_the_least_loaded_worker_in_order() {
        assert_eq!(deal(&[10, 10, 10, 10], 2), [0, 1, 0, 1]);
        assert_eq!(deal(&[100, 10, 10, 10], 2), [0, 1, 1, 1]);
        assert_eq!(deal(&[0, 0, 0], 2), [0, 1, 0]);
        assert_eq!(deal(&[5, 5], 1), [0, 0]);
    }

    #[test]
    fn a_small_crate_has_one_worker() {
        assert_eq!(workers_for(10_000, 2), 1);
        assert_eq!(workers_for(4 * BYTES_PER_WORKER, 2), 2);
        assert_eq!(workers_for(4 * BYTES_PER_WORKER, 1), 1);
    }
}
