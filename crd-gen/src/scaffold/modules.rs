//! The `mod` declarations from the crate root to the kind's module (`pub mod api;` in the root,
//! `pub mod v1;` in `api`, `pub mod guestbook;` in `v1`), each added only where it is missing,
//! in the files rustc reads: `api.rs` or `api/mod.rs`, whichever exists, else `api/mod.rs`.
//! An existing file gets one line, after its last `mod` declaration (or after its inner doc
//! comments and attributes), in its own line endings.

use crate::diag::{Diagnostic, Place};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;

/// A file to create (`before: None`) or to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    pub before: Option<String>,
    pub after: String,
    /// What changed, for the user: "declared `pub mod api;`".
    pub what: String,
}

/// The changes that declare the module path `chain` (e.g. `api`, `v1`, `guestbook`) from the
/// crate root `root`, and the file of the last module (which this does not create).
/// `bin_root`: the root is a binary's main.rs, whose modules need not be `pub`.
pub fn plan(root: &Path, chain: &[String], bin_root: bool) -> Result<(Vec<FileChange>, PathBuf), Box<Diagnostic>> {
    let mut changes: Vec<FileChange> = Vec::new();
    let mut parent = root.to_path_buf();
    let mut dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
    for (i, name) in chain.iter().enumerate() {
        let last = i + 1 == chain.len();
        let bare = name.trim_start_matches("r#");
        let text = current_text(&changes, &parent)?;
        let file = module_file(&dir, bare, last)?;
        if find_declaration(&parent, &text, bare)?.is_none() {
            let vis = if i == 0 && bin_root { "" } else { "pub " };
            let line = format!("{vis}mod {name};");
            let after = insert_line(&parent, &text, &line)?;
            record(&mut changes, &parent, after, format!("declared `{line}`"));
        }
        if !last && !file.exists() && !changes.iter().any(|c| c.path == file) {
            changes.push(FileChange { path: file.clone(), before: None, after: String::new(), what: "created".into() });
        }
        parent = file;
        dir = dir.join(bare);
    }
    Ok((changes, parent))
}

/// The text a file will have so far: planned, or on disk.
fn current_text(changes: &[FileChange], path: &Path) -> Result<String, Box<Diagnostic>> {
    if let Some(c) = changes.iter().find(|c| c.path == path) {
        return Ok(c.after.clone());
    }
    std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", path.display()), Place::File(path.into())).io().into())
}

fn record(changes: &mut Vec<FileChange>, path: &Path, after: String, what: String) {
    match changes.iter_mut().find(|c| c.path == path) {
        Some(c) => {
            c.after = after;
            if c.before.is_some() {
                c.what = what;
            }
        }
        None => {
            let before = std::fs::read_to_string(path).ok();
            changes.push(FileChange { path: path.to_path_buf(), before, after, what });
        }
    }
}

/// `dir/name.rs` or `dir/name/mod.rs`: the one that exists, else the conventional one for a
/// module with children (`mod.rs`) or a leaf (`name.rs`).
fn module_file(dir: &Path, name: &str, leaf: bool) -> Result<PathBuf, Box<Diagnostic>> {
    let flat = dir.join(format!("{name}.rs"));
    let nested = dir.join(name).join("mod.rs");
    match (flat.exists(), nested.exists()) {
        (true, true) => Err(Box::new(
            Diagnostic::error(
                format!("module `{name}` has two files, {} and {}", flat.display(), nested.display()),
                Place::File(flat.clone()),
            )
            .with_help("rustc refuses this too (E0761): remove one of them"),
        )),
        (true, false) => Ok(flat),
        (false, true) => Ok(nested),
        (false, false) => Ok(if leaf { flat } else { nested }),
    }
}

/// The line of `mod name;` in the file, or None; an inline module or one with `#[path]` is an
/// error, since create api writes the conventional files.
fn find_declaration(path: &Path, text: &str, name: &str) -> Result<Option<usize>, Box<Diagnostic>> {
    use syn::ext::IdentExt;
    let file = parse(path, text)?;
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident.unraw() != name {
            continue;
        }
        let line = m.ident.span().start().line;
        let at = Place::FileLine(path.into(), line, m.ident.span().start().column + 1);
        if m.content.is_some() {
            return Err(Box::new(
                Diagnostic::error(format!("module `{name}` is written inline here; create api puts each module in its own file"), at)
                    .with_help(format!("move the contents of `mod {name} {{ .. }}` into its own file and write `pub mod {name};` instead")),
            ));
        }
        if m.attrs.iter().any(|a| a.path().is_ident("path")) {
            return Err(Box::new(
                Diagnostic::error(format!("module `{name}` has a `#[path]` attribute; create api writes the conventional files only"), at)
                    .with_help(format!("remove `#[path]` and move the module to `{name}.rs` or `{name}/mod.rs`")),
            ));
        }
        return Ok(Some(line));
    }
    Ok(None)
}

fn parse(path: &Path, text: &str) -> Result<syn::File, Box<Diagnostic>> {
    syn::parse_file(text).map_err(|e| {
        let start = e.span().start();
        Diagnostic::error(format!("cannot parse this Rust file: {e}"), Place::FileLine(path.into(), start.line.max(1), start.column + 1))
            .with_help("fix the syntax error (`cargo check` shows it too), then run create api again")
            .into()
    })
}

/// `text` with `line` added after the last `mod x;` declaration, or else after the inner doc
/// comments and attributes (and the blank lines after them), keeping the file's line endings.
fn insert_line(path: &Path, text: &str, line: &str) -> Result<String, Box<Diagnostic>> {
    let file = parse(path, text)?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let last_mod = file.items.iter().filter_map(|i| match i {
        syn::Item::Mod(m) => m.semi.map(|s| s.span.end().line),
        _ => None,
    });
    let (at, spaced) = match last_mod.max() {
        Some(end) => (end, false),
        None => {
            let mut at = file.attrs.iter().map(|a| a.span().end().line).max().unwrap_or(0);
            while lines.get(at).is_some_and(|l| l.trim().is_empty()) {
                at += 1;
            }
            (at, true)
        }
    };
    let at = at.min(lines.len());
    if at == lines.len()
        && let Some(prev) = lines.last_mut()
        && !prev.ends_with('\n')
    {
        prev.push_str(eol);
    }
    let mut insert = format!("{line}{eol}");
    if spaced && lines.get(at).is_some_and(|l| !l.trim().is_empty()) {
        insert.push_str(eol);
    }
    lines.insert(at, insert);
    Ok(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(text: &str) -> String {
        insert_line(Path::new("lib.rs"), text, "pub mod api;").unwrap()
    }

    #[test]
    fn a_line_goes_after_the_last_mod_or_the_inner_docs() {
        assert_eq!(insert(""), "pub mod api;\n");
        assert_eq!(insert("fn main() {}\n"), "pub mod api;\n\nfn main() {}\n");
        assert_eq!(insert("//! Docs.\n\nuse x::y;\n"), "//! Docs.\n\npub mod api;\n\nuse x::y;\n");
        assert_eq!(insert("//! Docs.\n#![allow(x)]\nfn f() {}"), "//! Docs.\n#![allow(x)]\npub mod api;\n\nfn f() {}");
        assert_eq!(insert("mod a;\n/// B.\npub mod b;\n\nfn f() {}\n"), "mod a;\n/// B.\npub mod b;\npub mod api;\n\nfn f() {}\n");
        assert_eq!(insert("mod a;"), "mod a;\npub mod api;\n");
        assert_eq!(insert("//! D.\r\n\r\nfn f() {}\r\n"), "//! D.\r\n\r\npub mod api;\r\n\r\nfn f() {}\r\n");
        // An inline module is not a `mod x;` line to follow.
        assert_eq!(insert("mod t { fn f() {} }\n"), "pub mod api;\n\nmod t { fn f() {} }\n");
    }

    #[test]
    fn declarations_are_found_by_their_unraw_name_and_odd_ones_refused() {
        let p = Path::new("src/lib.rs");
        assert_eq!(find_declaration(p, "mod a;\npub(crate) mod api;\n", "api").unwrap(), Some(2));
        assert_eq!(find_declaration(p, "pub mod r#type;\n", "type").unwrap(), Some(1));
        assert_eq!(find_declaration(p, "mod apis;\n", "api").unwrap(), None);
        let inline = find_declaration(p, "mod api {\n}\n", "api").unwrap_err();
        assert!(inline.message.contains("written inline"), "{}", inline.message);
        assert_eq!(inline.place, Place::FileLine(p.into(), 1, 5));
        let path = find_declaration(p, "#[path = \"x.rs\"]\nmod api;\n", "api").unwrap_err();
        assert!(path.message.contains("`#[path]`"), "{}", path.message);
        let broken = find_declaration(p, "fn (\n", "api").unwrap_err();
        assert!(broken.message.starts_with("cannot parse this Rust file"), "{}", broken.message);
    }
}
