//! Load: reading a crate's files and parsing them with syn, one module at a time, following
//! `mod x;` (as `x.rs`, `x/mod.rs` or `#[path]`) and inline `mod x { .. }` blocks.

use super::cfg::{BuildCfg, Eval};
use super::expand::Expander;
use super::{Crate, CrateId, CrateSource, ModId, ModState, ModuleBody, ModuleSlot, Program, Scope, names};
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Place, SourceMap};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

impl Program {
    /// Registers a crate (nothing is read yet); a crate added twice keeps one id.
    pub fn add_crate(&mut self, source: Arc<CrateSource>) -> CrateId {
        if let Some(i) = self.crates.iter().position(|c| c.source.root_file == source.root_file) {
            return CrateId(i);
        }
        let dir = source.root_file.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = ModuleSlot {
            name: source.name.clone(),
            parent: None,
            state: ModState::Pending { files: vec![source.root_file.clone()], child_dir: dir, declared_at: None },
        };
        self.crates.push(Crate { source, modules: vec![root], is_target: false });
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
        let (path, text) = read_module_file(&name, &files, declared_at, sources, diags)?;
        let file_id = sources.add(path.clone(), text);
        let text = &sources.get(file_id).text;
        // A dependency is read for its types only (see `skim.rs`).
        let skimmed = if self.crates[scope.krate.0].is_target { None } else { super::skim::skim(text) };
        let parsed = skimmed.and_then(|s| syn::parse_file(&s).ok()).map_or_else(|| syn::parse_file(text), Ok);
        let parsed = match parsed {
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
        let krate = &self.crates[scope.krate.0];
        let (source, is_target) = (krate.source.clone(), krate.is_target);
        let mut expander = Expander {
            eval: Eval::new(&self.cfg, &source),
            report: is_target,
            file: file_id,
            file_dir: &file_dir,
            sources,
            diags,
            included: false,
        };
        let (attrs, items) = expand(parsed, &mut expander);
        // A target crate's module can be parsed again as it was, unless its text was skimmed
        // (dependencies are never forgotten) or its expansion read other files.
        let rereadable = is_target && !expander.included;
        let mut body = build_body(&mut self.crates[scope.krate.0], scope, items, &child_dir, file_id, &file_dir);
        body.attrs = attrs;
        if rereadable {
            let text = sources.get(file_id).text.clone();
            body.reread = Some(Reread { text, file_dir, cfg: self.cfg.clone(), source });
        }
        let body = Rc::new(body);
        self.crates[scope.krate.0].modules[scope.module.0].state = ModState::Loaded(body.clone());
        Some(body)
    }

    /// Loads every module of a crate (the crates whose resources are generated).
    pub fn load_all(&mut self, krate: CrateId, sources: &mut SourceMap, diags: &mut Diagnostics) {
        self.crates[krate.0].is_target = true;
        let mut i = 0;
        while i < self.crates[krate.0].modules.len() {
            self.load_module(Scope { krate, module: ModId(i) }, sources, diags);
            i += 1;
        }
    }
}

/// A file's inner attributes and items as rustc compiles them; `#![cfg(..)]` at the top of a
/// file that is off leaves the module empty.
fn expand(parsed: syn::File, expander: &mut Expander) -> (Vec<syn::Attribute>, Vec<syn::Item>) {
    match expander.attrs(parsed.attrs) {
        Some(attrs) => (attrs, expander.items(parsed.items)),
        None => (Vec::new(), Vec::new()),
    }
}

/// What [`ModuleBody::items`] needs to parse a module's file again as it was parsed first.
#[derive(Debug)]
pub struct Reread {
    text: Arc<str>,
    file_dir: PathBuf,
    cfg: BuildCfg,
    source: Arc<CrateSource>,
}

impl Reread {
    /// The module's items, as [`Program::load_module`] made them: expanded, with the contents
    /// of inline modules taken out (those modules keep their own items). What expanding reports
    /// was reported the first time.
    pub(super) fn items(&self, file: FileId) -> Vec<syn::Item> {
        let Ok(parsed) = syn::parse_file(&self.text) else { return Vec::new() };
        let (mut sources, mut diags) = (SourceMap::default(), Diagnostics::default());
        let eval = Eval::new(&self.cfg, &self.source);
        let mut expander =
            Expander { eval, report: false, file, file_dir: &self.file_dir, sources: &mut sources, diags: &mut diags, included: false };
        let (_, mut items) = expand(parsed, &mut expander);
        for item in &mut items {
            if let syn::Item::Mod(m) = item {
                m.content = None;
            }
        }
        items
    }
}

/// The first of `files` that exists, as UTF-8 text (or None, reported). The first candidate that
/// exists is the module's file, whatever it is: a directory or a FIFO there is an error that names
/// it, never "not found" (nor a read that hangs).
fn read_module_file(
    name: &str,
    files: &[PathBuf],
    declared_at: Option<Loc>,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, String)> {
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
    match String::from_utf8(bytes) {
        Ok(t) => Some((path, t)),
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
            None
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

/// Turns a module's (expanded) items into its body, registering child modules (inline ones
/// built at once). `path_dir` is where `#[path]` on a `mod x;` is relative to.
fn build_body(krate: &mut Crate, scope: Scope, items: Vec<syn::Item>, child_dir: &Path, file: FileId, path_dir: &Path) -> ModuleBody {
    let mut kept = Vec::with_capacity(items.len());
    let mut children = BTreeMap::new();
    for item in items {
        let syn::Item::Mod(mut m) = item else {
            kept.push(item);
            continue;
        };
        let name = m.ident.unraw().to_string();
        let id = ModId(krate.modules.len());
        match m.content.take() {
            Some((_, inner)) => {
                krate.modules.push(ModuleSlot { name: name.clone(), parent: Some(scope.module), state: ModState::Failed });
                let dir = child_dir.join(&name);
                // `#[path]` inside an inline module is relative to that module's directory.
                let mut body = build_body(krate, Scope { krate: scope.krate, module: id }, inner, &dir, file, &dir);
                body.attrs = m.attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_))).cloned().collect();
                krate.modules[id.0].state = ModState::Loaded(Rc::new(body));
            }
            None => {
                let (files, dir) = match path_attr(&m.attrs) {
                    Some(p) => {
                        let file = path_dir.join(p);
                        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        (vec![file], dir)
                    }
                    None => (vec![child_dir.join(format!("{name}.rs")), child_dir.join(&name).join("mod.rs")], child_dir.join(&name)),
                };
                let declared_at = Some(Loc::from_span(file, m.span()));
                krate.modules.push(ModuleSlot {
                    name: name.clone(),
                    parent: Some(scope.module),
                    state: ModState::Pending { files, child_dir: dir, declared_at },
                });
            }
        }
        children.insert(name, id);
        // Keep the (now empty) `mod` item so positions of other items stay meaningful.
        kept.push(syn::Item::Mod(m));
    }
    let ancestors: Vec<(ModId, String)> =
        std::iter::successors(Some(scope.module), |m| krate.modules[m.0].parent).map(|m| (m, krate.modules[m.0].name.clone())).collect();
    let names = names::build(&kept, &children, &names::Site { scope, file, ancestors: &ancestors });
    ModuleBody::new(file, kept, children, names)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::fixture::crate_of;
    use quote::ToTokens;

    fn tokens(program: &Program, scope: Scope) -> String {
        program.body(scope).items().iter().map(|i| i.to_token_stream().to_string()).collect::<Vec<_>>().join("\n")
    }

    fn forgotten(program: &Program, scope: Scope) -> bool {
        program.body(scope).items.get().is_none()
    }

    #[test]
    fn forgotten_items_read_again_are_the_items_first_read() {
        let a = "//! Docs.\n\
            #[cfg(feature = \"off\")] pub struct Gone;\n\
            #[cfg_attr(not(feature = \"off\"), derive(Clone))] pub struct Kept { #[cfg(feature = \"off\")] pub x: u8, pub y: u8 }\n\
            /// A doc.\n#[doc = concat!(\"two \", \"parts\")]\npub enum E { A, #[cfg(feature = \"off\")] B }\n\
            pub mod inline { pub struct In; }\n\
            mod child;\n";
        let mut r = crate_of(&[("lib.rs", "mod a;\n"), ("a.rs", a), ("a/child.rs", "pub struct C;\n")]);
        let scope = r.scope("demo::a");
        let first = tokens(&r.program, scope);
        assert!(first.contains("Kept") && !first.contains("Gone") && first.contains("two parts"), "{first}");
        r.program.forget_items(scope);
        assert!(forgotten(&r.program, scope));
        assert_eq!(tokens(&r.program, scope), first);
        // The inline module and the child keep their own items; neither is declared again.
        let modules = r.program.crates[0].modules.len();
        assert_eq!(tokens(&r.program, r.scope("demo::a::inline")), "pub struct In ;");
        assert_eq!(tokens(&r.program, r.scope("demo::a::child")), "pub struct C ;");
        assert_eq!(r.program.crates[0].modules.len(), modules);
    }

    #[test]
    fn items_that_the_text_alone_does_not_give_are_kept() {
        let a = "#[doc = include_str!(\"a.md\")]\npub struct Documented;\npub mod inline { pub struct In; }\n";
        let mut r = crate_of(&[("lib.rs", "mod a;\n"), ("a.rs", a), ("a.md", "From a file.")]);
        for name in ["demo::a", "demo::a::inline"] {
            let scope = r.scope(name);
            r.program.forget_items(scope);
            assert!(!forgotten(&r.program, scope), "module `{name}` was forgotten");
        }
    }
}
