//! A crate of files in a temp directory, read whole as a target crate (for the source stages'
//! tests); the directory is removed when the fixture is dropped.

use crate::diag::{Diagnostics, SourceMap};
use crate::source::{CrateId, CrateSource, ModId, Program, Scope};
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) struct Fixture {
    _tree: TempTree,
    pub program: Program,
    pub sources: SourceMap,
    pub diags: Diagnostics,
    pub krate: CrateId,
}

/// Files in a temp directory of their own, removed when this is dropped.
pub(crate) struct TempTree(pub PathBuf);

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TempTree {
    /// `files` (path, text) under a new directory.
    pub fn of(files: &[(&str, &str)]) -> TempTree {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let tree =
            TempTree(std::env::temp_dir().join(format!("crd-gen-source-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))));
        tree.write(files);
        tree
    }
    /// Writes `files` (path, text) into the tree, over what is there.
    pub fn write(&self, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = self.0.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
}

/// The crate of `files` (`lib.rs` is its root), read without a diagnostic.
pub(crate) fn crate_of(files: &[(&str, &str)]) -> Fixture {
    let tree = TempTree::of(files);
    let mut program = Program::default().knowing(crate::lower::known::is_known);
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let krate = program.add_crate(Arc::new(CrateSource::standalone("demo", tree.0.join("lib.rs"))));
    program.load_all(krate, &mut sources, &mut diags);
    assert!(diags.is_empty(), "{}", diags.render(&sources, false));
    Fixture { _tree: tree, program, sources, diags, krate }
}

impl Fixture {
    /// The module at `demo::a::b`.
    pub fn scope(&self, module: &str) -> Scope {
        let mut m = ModId(0);
        for seg in module.split("::").skip(1) {
            m = self.program.krate(self.krate).loaded(m).unwrap().children[seg];
        }
        Scope { krate: self.krate, module: m }
    }
}
