//! A module's names as rustc sees them: what it defines in the type namespace (structs, enums,
//! aliases, traits, unions, modules, `extern crate`s), the names it defines only outside it
//! (functions, constants, statics, macros: so a `use` of one is told from a missing name), its
//! single imports by the name they bind, its glob imports, and its item-position macro calls.
//! Every definition and import carries its visibility.

use super::{ModId, Program, Scope};
use crate::diag::{FileId, Loc};
use std::collections::{BTreeMap, HashMap, HashSet};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

/// Who may name a definition or import: everyone, or the code of one module and the modules
/// inside it (`pub(crate)` is the crate root, a private item its own module).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vis {
    Public,
    Restricted(Scope),
}

impl Vis {
    pub fn accessible_from(self, from: Scope, program: &Program) -> bool {
        match self {
            Vis::Public => true,
            Vis::Restricted(m) => m.krate == from.krate && program.krate(m.krate).is_within(from.module, m.module),
        }
    }
    /// Whether everyone who may see `other` may see `self` too.
    pub fn is_at_least(self, other: Vis, program: &Program) -> bool {
        match (self, other) {
            (Vis::Public, _) => true,
            (Vis::Restricted(_), Vis::Public) => false,
            (Vis::Restricted(a), Vis::Restricted(b)) => a.krate == b.krate && program.krate(a.krate).is_within(b.module, a.module),
        }
    }
    /// The visibility of a binding imported with `import`'s visibility (rustc: the import's,
    /// unless the binding itself is seen by fewer).
    pub fn through(import: Vis, binding: Vis, program: &Program) -> Vis {
        if binding.is_at_least(import, program) { import } else { binding }
    }
    /// The wider of two (the first when neither contains the other).
    pub fn wider(a: Vis, b: Vis, program: &Program) -> Vis {
        if b.is_at_least(a, program) && !a.is_at_least(b, program) { b } else { a }
    }
}

/// A definition in the type namespace.
#[derive(Clone, Debug)]
pub struct Def {
    pub kind: DefKind,
    pub vis: Vis,
}

#[derive(Clone, Debug)]
pub enum DefKind {
    /// A struct, enum, type alias, trait or union: its index in the module's items.
    Item(usize),
    Module(ModId),
    /// `extern crate name as alias;`: the crate's extern name.
    ExternCrate(String),
}

/// `use path;` / `use path as name;`: `path` includes the imported name (`use a::b::{self}`
/// is the path `a::b`). A leading `::` is the first segment `"::"`.
#[derive(Clone, Debug)]
pub struct Import {
    pub path: Vec<String>,
    pub name: String,
    pub vis: Vis,
    pub loc: Loc,
}

/// `use path::*;`
#[derive(Clone, Debug)]
pub struct Glob {
    pub path: Vec<String>,
    pub vis: Vis,
    pub loc: Loc,
}

/// `name! { .. }` at item position: what it expands to cannot be read from source.
#[derive(Clone, Debug)]
pub struct MacroCall {
    pub name: String,
    pub loc: Loc,
}

#[derive(Debug, Default)]
pub struct Names {
    pub defs: HashMap<String, Def>,
    /// Names bound only in the value or macro namespace.
    pub values: HashSet<String>,
    pub imports: Vec<Import>,
    /// Name -> indices in `imports` of the imports that bind it.
    pub by_name: HashMap<String, Vec<usize>>,
    pub globs: Vec<Glob>,
    pub macro_calls: Vec<MacroCall>,
}

/// Where a module sits, to turn `pub(in path)`, `pub(super)` and private into modules.
pub struct Site<'a> {
    pub scope: Scope,
    pub file: FileId,
    /// The module and its ancestors, innermost first, with their names.
    pub ancestors: &'a [(ModId, String)],
}

impl Site<'_> {
    fn vis(&self, v: &syn::Visibility) -> Vis {
        let at = |i: usize| Vis::Restricted(Scope { krate: self.scope.krate, module: self.ancestors[i.min(self.ancestors.len() - 1)].0 });
        match v {
            syn::Visibility::Public(_) => Vis::Public,
            syn::Visibility::Inherited => at(0),
            syn::Visibility::Restricted(r) => {
                let segs: Vec<String> = r.path.segments.iter().map(|s| s.ident.unraw().to_string()).collect();
                self.restricted_to(&segs).map(at).unwrap_or_else(|| at(self.ancestors.len() - 1))
            }
        }
    }

    /// `crate::a::b`, `self`, `super::super`: the index in `ancestors` of the module named.
    fn restricted_to(&self, segs: &[String]) -> Option<usize> {
        let root = self.ancestors.len() - 1;
        let (mut at, rest) = match segs.first().map(String::as_str) {
            Some("crate") => (root, &segs[1..]),
            Some("self") => (0, &segs[1..]),
            Some("super") => (0, segs),
            _ => return None,
        };
        for seg in rest {
            at = match seg.as_str() {
                "super" => at.checked_add(1).filter(|i| *i <= root)?,
                "self" => at,
                name => at.checked_sub(1).filter(|i| self.ancestors[*i].1 == name)?,
            };
        }
        Some(at)
    }
}

/// The names of a module whose (cfg-expanded) items are `items` and child modules `children`.
pub fn build(items: &[syn::Item], children: &BTreeMap<String, ModId>, site: &Site) -> Names {
    let mut names = Names::default();
    let loc = |span: proc_macro2::Span| Loc::from_span(site.file, span);
    for (index, item) in items.iter().enumerate() {
        let def = |vis: &syn::Visibility| Def { kind: DefKind::Item(index), vis: site.vis(vis) };
        match item {
            syn::Item::Struct(s) => {
                names.define(&s.ident, def(&s.vis));
                if !matches!(s.fields, syn::Fields::Named(_)) {
                    names.values.insert(s.ident.unraw().to_string());
                }
            }
            syn::Item::Enum(e) => names.define(&e.ident, def(&e.vis)),
            syn::Item::Type(t) => names.define(&t.ident, def(&t.vis)),
            syn::Item::Trait(t) => names.define(&t.ident, def(&t.vis)),
            syn::Item::TraitAlias(t) => names.define(&t.ident, def(&t.vis)),
            syn::Item::Union(u) => names.define(&u.ident, def(&u.vis)),
            syn::Item::Mod(m) => {
                let name = m.ident.unraw().to_string();
                if let Some(&id) = children.get(&name) {
                    names.define(&m.ident, Def { kind: DefKind::Module(id), vis: site.vis(&m.vis) });
                }
            }
            syn::Item::ExternCrate(e) => {
                let krate = e.ident.unraw().to_string();
                let bound = e.rename.as_ref().map(|(_, i)| i.clone()).unwrap_or_else(|| e.ident.clone());
                if bound != "_" {
                    names.define(&bound, Def { kind: DefKind::ExternCrate(krate), vis: site.vis(&e.vis) });
                }
            }
            syn::Item::Use(u) => {
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    prefix.push("::".to_string());
                }
                names.add_use(&u.tree, &mut prefix, site.vis(&u.vis), &loc);
            }
            syn::Item::Fn(f) => {
                names.values.insert(f.sig.ident.unraw().to_string());
            }
            syn::Item::Const(c) => {
                names.values.insert(c.ident.unraw().to_string());
            }
            syn::Item::Static(s) => {
                names.values.insert(s.ident.unraw().to_string());
            }
            syn::Item::Macro(m) => match &m.ident {
                Some(ident) => {
                    names.values.insert(ident.unraw().to_string());
                }
                None => {
                    let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    names.macro_calls.push(MacroCall { name, loc: loc(m.mac.path.span()) });
                }
            },
            _ => {}
        }
    }
    names
}

impl Names {
    /// The first definition of a name wins (a second one is rustc's E0428).
    fn define(&mut self, ident: &syn::Ident, def: Def) {
        self.defs.entry(ident.unraw().to_string()).or_insert(def);
    }

    /// `use a::{b, c as d, e::*, self}`: one import per name bound, one glob per `*`.
    fn add_use(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>, vis: Vis, loc: &dyn Fn(proc_macro2::Span) -> Loc) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.unraw().to_string());
                self.add_use(&p.tree, prefix, vis, loc);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.unraw().to_string();
                if name == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        self.add_import(Import { path: prefix.clone(), name: last, vis, loc: loc(n.ident.span()) });
                    }
                } else {
                    let mut path = prefix.clone();
                    path.push(name.clone());
                    self.add_import(Import { path, name, vis, loc: loc(n.ident.span()) });
                }
            }
            syn::UseTree::Rename(r) => {
                let to = r.rename.unraw().to_string();
                if to == "_" {
                    return;
                }
                let mut path = prefix.clone();
                let from = r.ident.unraw().to_string();
                if from != "self" {
                    path.push(from);
                }
                self.add_import(Import { path, name: to, vis, loc: loc(r.span()) });
            }
            syn::UseTree::Glob(g) => self.globs.push(Glob { path: prefix.clone(), vis, loc: loc(g.span()) }),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.add_use(t, prefix, vis, loc);
                }
            }
        }
    }

    fn add_import(&mut self, import: Import) {
        self.by_name.entry(import.name.clone()).or_default().push(self.imports.len());
        self.imports.push(import);
    }

    /// Every name the module binds itself (not through globs), for "did you mean".
    pub fn own_names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().chain(self.by_name.keys()).map(String::as_str)
    }
}
