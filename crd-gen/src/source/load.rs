//! Load: reading a crate's files and parsing them with syn, one module at a time, following
//! `mod x;` (as `x.rs`, `x/mod.rs` or `#[path]`) and inline `mod x { .. }` blocks.

use super::{Crate, CrateId, CrateSource, ModId, ModState, ModuleBody, ModuleSlot, Program, Scope};
use crate::diag::{Diagnostic, Diagnostics, Loc, Place, SourceMap};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use syn::spanned::Spanned;

impl Program {
    /// Registers a crate (nothing is read yet); a crate added twice keeps one id.
    pub fn add_crate(&mut self, source: Rc<CrateSource>) -> CrateId {
        if let Some(i) = self.crates.iter().position(|c| c.source.root_file == source.root_file) {
            return CrateId(i);
        }
        let dir = source.root_file.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = ModuleSlot {
            name: source.name.clone(),
            parent: None,
            state: ModState::Pending { files: vec![source.root_file.clone()], child_dir: dir, declared_at: None },
        };
        self.crates.push(Crate { source, modules: vec![root] });
        CrateId(self.crates.len() - 1)
    }

    /// The module's parsed body, reading and parsing its file the first time.
    pub fn load_module(&mut self, scope: Scope, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<Rc<ModuleBody>> {
        let krate = &mut self.crates[scope.krate.0];
        let slot = &mut krate.modules[scope.module.0];
        let (files, child_dir, declared_at) = match &slot.state {
            ModState::Loaded(body) => return Some(body.clone()),
            ModState::Failed => return None,
            ModState::Pending { files, child_dir, declared_at } => (files.clone(), child_dir.clone(), *declared_at),
        };
        slot.state = ModState::Failed;
        let name = slot.name.clone();
        // The first candidate that exists is the module's file, whatever it is: a directory or a
        // FIFO there is an error that names it, never "not found" (nor a read that hangs).
        let Some(path) = files.iter().find(|f| f.symlink_metadata().is_ok()).cloned() else {
            let tried: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let place = declared_at.map(Place::Source).unwrap_or_else(|| Place::File(files[0].clone()));
            diags.push(
                Diagnostic::error(format!("file for module `{name}` not found"), place)
                    .with_help(format!("looked for {}", tried.join(" and "))),
            );
            return None;
        };
        let bytes = match read_source(&path) {
            Ok(b) => b,
            Err((message, help)) => {
                let mut d = Diagnostic::error(message, Place::File(path)).with_help(help).io();
                if let Some(at) = declared_at {
                    d = d.with_note(Place::Source(at), format!("module `{name}` is declared here"));
                }
                diags.push(d);
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let bytes = e.as_bytes();
                let valid = e.utf8_error().valid_up_to();
                let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
                let col = valid - bytes[..valid].iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0) + 1;
                let id = sources.add(path.clone(), String::from_utf8_lossy(bytes).into_owned());
                let loc = Loc { file: id, line, col, end_line: line, end_col: col + 1 };
                diags.push(
                    Diagnostic::error(format!("{} is not valid UTF-8", path.display()), Place::Source(loc))
                        .with_help("Rust source must be UTF-8: save the file as UTF-8"),
                );
                return None;
            }
        };
        let file_id = sources.add(path.clone(), text);
        let parsed = match syn::parse_file(&sources.get(file_id).text) {
            Ok(f) => f,
            Err(e) => {
                let loc = Loc::from_span(file_id, e.span());
                diags.push(
                    Diagnostic::error(format!("cannot parse this Rust file: {e}"), Place::Source(loc))
                        .with_help("crd-gen reads the source as rustc would; fix the syntax error (`cargo check` shows it too)"),
                );
                return None;
            }
        };
        let file_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let ctx = Ctx { file: file_id, file_dir: &file_dir };
        let mut body = build_body(krate_mut(self, scope.krate), scope.module, parsed.items, &child_dir, &ctx);
        body.attrs = parsed.attrs;
        let body = Rc::new(body);
        self.crates[scope.krate.0].modules[scope.module.0].state = ModState::Loaded(body.clone());
        Some(body)
    }

    /// Loads every module of a crate (the crates whose resources are generated).
    pub fn load_all(&mut self, krate: CrateId, sources: &mut SourceMap, diags: &mut Diagnostics) {
        let mut i = 0;
        while i < self.crates[krate.0].modules.len() {
            self.load_module(Scope { krate, module: ModId(i) }, sources, diags);
            i += 1;
        }
    }
}

/// A source file's bytes; only a regular file (through symlinks) is read.
fn read_source(path: &Path) -> Result<Vec<u8>, (String, String)> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err((
                format!("{shown} is a directory, not a Rust source file"),
                "rename or remove the directory, or point `#[path]` at the module's file".into(),
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err((
                format!("{shown} is not a regular file (a FIFO, socket or device)"),
                "crd-gen reads source files as rustc does; replace it with the module's `.rs` file".into(),
            ));
        }
        Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) => {
            let to = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            return Err((
                format!("{shown} is a symlink to `{to}`, which cannot be followed: {e}"),
                "restore the file the link points at, or replace the link with the file".into(),
            ));
        }
        _ => {}
    }
    std::fs::read(path).map_err(|e| {
        let help = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "make the file readable by this user".to_string(),
            _ => "the file system could not read it: check the disk (and the file's target, if it is a link), then run again".to_string(),
        };
        (format!("cannot read {shown}: {e}"), help)
    })
}

fn krate_mut(p: &mut Program, id: CrateId) -> &mut Crate {
    &mut p.crates[id.0]
}

struct Ctx<'a> {
    file: crate::diag::FileId,
    file_dir: &'a Path,
}

/// Turns a module's items into its body, registering child modules (inline ones loaded at once).
fn build_body(krate: &mut Crate, me: ModId, items: Vec<syn::Item>, child_dir: &Path, ctx: &Ctx) -> ModuleBody {
    let mut kept = Vec::with_capacity(items.len());
    let mut children = BTreeMap::new();
    for item in items {
        // Impls are kept whatever their cfg: they are read as data (k8s-openapi's schemas sit in
        // `#[cfg(feature = "schemars")]` impls), never as part of the type namespace.
        if !matches!(item, syn::Item::Impl(_)) && !super::cfg::enabled(item_attrs(&item), &krate.source) {
            continue;
        }
        let syn::Item::Mod(mut m) = item else {
            kept.push(item);
            continue;
        };
        let name = m.ident.unraw_string();
        let id = ModId(krate.modules.len());
        match m.content.take() {
            Some((_, inner)) => {
                krate.modules.push(ModuleSlot { name: name.clone(), parent: Some(me), state: ModState::Failed });
                let dir = child_dir.join(&name);
                // `#[path]` inside an inline module is relative to that module's directory.
                let inner_ctx = Ctx { file: ctx.file, file_dir: &dir };
                let mut body = build_body(krate, id, inner, &dir, &inner_ctx);
                body.attrs = m.attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_))).cloned().collect();
                krate.modules[id.0].state = ModState::Loaded(Rc::new(body));
            }
            None => {
                let (files, dir) = match path_attr(&m.attrs) {
                    Some(p) => {
                        let file = ctx.file_dir.join(p);
                        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        (vec![file], dir)
                    }
                    None => (vec![child_dir.join(format!("{name}.rs")), child_dir.join(&name).join("mod.rs")], child_dir.join(&name)),
                };
                let declared_at = Some(Loc::from_span(ctx.file, m.span()));
                krate.modules.push(ModuleSlot {
                    name: name.clone(),
                    parent: Some(me),
                    state: ModState::Pending { files, child_dir: dir, declared_at },
                });
            }
        }
        children.insert(name, id);
        // Keep the (now empty) `mod` item so positions of other items stay meaningful.
        kept.push(syn::Item::Mod(m));
    }
    let mut types = HashMap::new();
    let mut uses = HashMap::new();
    let mut globs = Vec::new();
    for (i, item) in kept.iter().enumerate() {
        match item {
            syn::Item::Struct(s) => {
                types.insert(s.ident.unraw_string(), i);
            }
            syn::Item::Enum(e) => {
                types.insert(e.ident.unraw_string(), i);
            }
            syn::Item::Type(t) => {
                types.insert(t.ident.unraw_string(), i);
            }
            syn::Item::Use(u) => {
                let mut prefix = Vec::new();
                if u.leading_colon.is_some() {
                    prefix.push("::".to_string());
                }
                flatten_use(&u.tree, &mut prefix, &mut uses, &mut globs);
            }
            _ => {}
        }
    }
    ModuleBody { file: ctx.file, attrs: Vec::new(), items: kept, children, types, uses, globs }
}

/// `use a::{b, c as d, e::*}` -> uses {b: a::b, d: a::c}, globs [a::e].
fn flatten_use(tree: &syn::UseTree, prefix: &mut Vec<String>, uses: &mut HashMap<String, Vec<String>>, globs: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.unraw_string());
            flatten_use(&p.tree, prefix, uses, globs);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.unraw_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    uses.insert(last.clone(), prefix.clone());
                }
            } else {
                let mut full = prefix.clone();
                full.push(name.clone());
                uses.insert(name, full);
            }
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            let from = r.ident.unraw_string();
            if from != "self" {
                full.push(from);
            }
            let to = r.rename.unraw_string();
            if to != "_" {
                uses.insert(to, full);
            }
        }
        syn::UseTree::Glob(_) => globs.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, uses, globs);
            }
        }
    }
}

trait UnrawString {
    fn unraw_string(&self) -> String;
}
impl UnrawString for syn::Ident {
    fn unraw_string(&self) -> String {
        use syn::ext::IdentExt;
        self.unraw().to_string()
    }
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<PathBuf> {
    attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(PathBuf::from(s.value())),
            _ => None,
        },
        _ => None,
    })
}

pub fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}
