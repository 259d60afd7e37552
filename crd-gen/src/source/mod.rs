//! Source: finding the crates (`discover`, via cargo metadata), reading and parsing their module
//! trees (`load`, with `cfg` applied as cargo builds the crate: `cfg`), each module's names
//! (`names`), and resolving paths to the items they name (`resolve`, on the name lookup of
//! `lookup`, which computes glob imports as the fixpoint rustc computes).

pub mod cfg;
#[cfg(feature = "cargo")]
pub mod discover;
pub mod expand;
#[cfg(feature = "cargo")]
pub mod file_cache;
#[cfg(test)]
pub(crate) mod fixture;
pub mod load;
#[cfg(feature = "cargo")]
pub mod locked;
pub mod lookup;
pub mod names;
pub mod partition;
pub mod resolve;
pub mod skim;
#[cfg(feature = "cargo")]
pub mod workspace_cache;

use crate::diag::FileId;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

/// Index of a crate in a [`Program`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CrateId(pub usize);

/// Index of a module in its [`Crate`]; the crate root is module 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModId(pub usize);

/// A module scope: where names are looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub krate: CrateId,
    pub module: ModId,
}

/// An item (struct, enum, type alias, trait, union) in a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    pub scope: Scope,
    pub index: usize,
}

/// A crate whose source the engine can read: the package being generated, or a dependency.
#[derive(Clone, Debug)]
pub struct CrateSource {
    /// The name paths use (`k8s_openapi`).
    pub name: String,
    /// The package name (`k8s-openapi`).
    pub package: String,
    /// lib.rs / main.rs.
    pub root_file: PathBuf,
    /// Extern names this crate may use, with their sources.
    pub deps: BTreeMap<String, Arc<CrateSource>>,
    /// Enabled cargo features, as cargo resolved them (k8s-openapi's version feature is one).
    pub features: Vec<String>,
}

impl CrateSource {
    /// A crate with no dependencies and no features (tests, benchmarks, the fuzzer).
    pub fn standalone(name: &str, root_file: PathBuf) -> CrateSource {
        CrateSource { name: name.into(), package: name.into(), root_file, deps: BTreeMap::new(), features: Vec::new() }
    }
}

#[derive(Debug)]
pub struct Crate {
    pub source: Arc<CrateSource>,
    pub modules: Vec<ModuleSlot>,
    /// Read whole (a crate resources are generated for): `cfg`s crd-gen cannot know are reported.
    pub is_target: bool,
}

/// A module: declared by its parent, parsed the first time something looks into it.
#[derive(Debug)]
pub struct ModuleSlot {
    pub name: String,
    pub parent: Option<ModId>,
    pub state: ModState,
}

#[derive(Debug)]
pub enum ModState {
    /// `mod x;` seen; its file is one of `files` (the first that exists); its own `mod y;`
    /// files live in `child_dir`.
    Pending {
        files: Vec<PathBuf>,
        child_dir: PathBuf,
        declared_at: Option<crate::diag::Loc>,
    },
    Loaded(Rc<ModuleBody>),
    /// Could not be read or parsed (already reported).
    Failed,
}

#[derive(Debug)]
pub struct ModuleBody {
    pub file: FileId,
    /// The module's items after `cfg` and `cfg_attr` (what rustc compiles); see [`Self::items`].
    items: OnceCell<Vec<syn::Item>>,
    /// How to read the items again once [`Program::forget_items`] dropped them (None: they are
    /// never dropped).
    reread: Option<load::Reread>,
    pub children: BTreeMap<String, ModId>,
    /// What the module declares and imports, by name (see `names.rs`).
    pub names: names::Names,
    /// The module's inner attributes (`//!` docs, `#![..]`) after `cfg` and `cfg_attr`: its
    /// docs, which hold Go package markers (`crd-gen-markers/src/package.rs`).
    pub attrs: Vec<syn::Attribute>,
}

impl ModuleBody {
    pub fn new(file: FileId, items: Vec<syn::Item>, children: BTreeMap<String, ModId>, names: names::Names) -> ModuleBody {
        ModuleBody { file, items: OnceCell::from(items), reread: None, children, names, attrs: Vec::new() }
    }

    /// The module's items, parsed again from its file's text if they were forgotten (a type a
    /// later resource uses in a module whose own resources are done): the same items, as the
    /// text and the `cfg`s are the same.
    pub fn items(&self) -> &[syn::Item] {
        self.items.get_or_init(|| self.reread.as_ref().map(|r| r.items(self.file)).unwrap_or_default())
    }
}

impl Crate {
    /// `a::b::c` path of a module, for messages.
    pub fn module_path(&self, id: ModId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(m) = cur {
            let slot = &self.modules[m.0];
            if slot.parent.is_some() {
                parts.push(slot.name.clone());
            }
            cur = slot.parent;
        }
        parts.push(self.source.name.clone());
        parts.reverse();
        parts.join("::")
    }
    pub fn loaded(&self, id: ModId) -> Option<&Rc<ModuleBody>> {
        match &self.modules[id.0].state {
            ModState::Loaded(b) => Some(b),
            _ => None,
        }
    }
    /// Whether `inner` is `outer` or inside it.
    pub fn is_within(&self, inner: ModId, outer: ModId) -> bool {
        let mut cur = Some(inner);
        while let Some(m) = cur {
            if m == outer {
                return true;
            }
            cur = self.modules[m.0].parent;
        }
        false
    }
}

/// Every crate read so far. Dependency crates are read when a path first leads into them, and
/// only the modules on the way, so a resource that uses one k8s-openapi type parses a few files.
#[derive(Debug, Default)]
pub struct Program {
    pub crates: Vec<Crate>,
    /// The `cfg`s that hold for the build (target, profile, `--cfg`); features are per crate.
    pub cfg: cfg::BuildCfg,
    /// Name lookups computed so far (see `lookup.rs`).
    pub lookups: lookup::Memo,
    /// The types crates without source here (std, serde_json, ..) are known to have.
    pub external_types: ExternalTypes,
}

/// Whether crate `krate`, whose source crd-gen does not read, has a type `name` (so that
/// `use std::collections::*;` brings `HashMap`). Lowering knows which types those are; the
/// pipeline tells resolution.
#[derive(Clone, Copy)]
pub struct ExternalTypes(pub fn(krate: &str, name: &str) -> bool);

impl Default for ExternalTypes {
    fn default() -> Self {
        ExternalTypes(|_, _| false)
    }
}

impl std::fmt::Debug for ExternalTypes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExternalTypes")
    }
}

impl Program {
    pub fn with_cfg(cfg: cfg::BuildCfg) -> Program {
        Program { cfg, ..Program::default() }
    }
    /// A program whose resolution knows the types of crates without source (see [`ExternalTypes`]).
    pub fn knowing(self, types: fn(krate: &str, name: &str) -> bool) -> Program {
        Program { external_types: ExternalTypes(types), ..self }
    }
    pub fn krate(&self, id: CrateId) -> &Crate {
        &self.crates[id.0]
    }
    /// The parsed body of a module that is already loaded.
    pub fn body(&self, scope: Scope) -> &Rc<ModuleBody> {
        self.crates[scope.krate.0].loaded(scope.module).expect("module is loaded")
    }
    pub fn item(&self, r: ItemRef) -> &syn::Item {
        &self.body(r.scope).items()[r.index]
    }
    /// Drops the parsed items of a module whose resources are lowered (they are most of a
    /// run's memory); a later look into the module parses its file again. Modules that cannot
    /// be read again as they were (inline ones, ones that include files) keep theirs.
    pub fn forget_items(&mut self, scope: Scope) {
        if let ModState::Loaded(body) = &mut self.crates[scope.krate.0].modules[scope.module.0].state
            && let Some(body) = Rc::get_mut(body)
            && body.reread.is_some()
        {
            body.items.take();
        }
    }
    pub fn file_of(&self, scope: Scope) -> FileId {
        self.body(scope).file
    }
    pub fn parent(&self, scope: Scope) -> Option<Scope> {
        self.krate(scope.krate).modules[scope.module.0].parent.map(|module| Scope { krate: scope.krate, module })
    }
}
