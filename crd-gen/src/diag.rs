//! Diagnostics: every stage reports problems here instead of returning on the first one, each with
//! the Rust source location it came from, and they are printed rustc-style (or as JSON for tools).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Every source file the engine read, so diagnostics can quote the offending line.
#[derive(Default, Debug)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Shared with the modules parsed from it, which read it again after their trees are
    /// freed (`source::Reread`).
    pub text: std::sync::Arc<str>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: impl Into<std::sync::Arc<str>>) -> FileId {
        self.files.push(SourceFile { path, text: text.into() });
        FileId(self.files.len() as u32 - 1)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }
    /// Adds `other`'s files to this map (a file read by both, by path, once) and returns the new
    /// id of each of `other`'s ids, for [`Diagnostic::map_files`].
    pub fn merge(&mut self, other: SourceMap) -> Vec<FileId> {
        let mut known: std::collections::HashMap<PathBuf, FileId> =
            self.files.iter().enumerate().map(|(i, f)| (f.path.clone(), FileId(i as u32))).collect();
        other.files.into_iter().map(|f| *known.entry(f.path.clone()).or_insert_with(|| self.add(f.path, f.text))).collect()
    }
}

/// A place in a source file: 1-based line and column (columns count characters, as rustc does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

impl Loc {
    /// The location of a span produced by parsing `file` with syn (proc-macro2 fallback spans).
    pub fn from_span(file: FileId, span: proc_macro2::Span) -> Loc {
        let (start, end) = (span.start(), span.end());
        Loc { file, line: start.line.max(1), col: start.column + 1, end_line: end.line.max(start.line.max(1)), end_col: end.column + 1 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a diagnostic points: a span in Rust source, or a whole file (a Cargo.toml, an output path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Source(Loc),
    File(PathBuf),
    /// A line and column of a file that is not Rust source (a Cargo.toml).
    FileLine(PathBuf, usize, usize),
    Nowhere,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub place: Place,
    /// Short text shown under the `^^^` marker.
    pub label: Option<String>,
    /// `= help: ...` lines: what to do instead.
    pub help: Vec<String>,
    /// Secondary places (`note: ...`), e.g. the other storage version.
    pub notes: Vec<(Place, String)>,
    /// The file system failed (a file that cannot be read), not the input: exit code 2.
    pub io: bool,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, place: Place) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            place,
            label: None,
            help: Vec::new(),
            notes: Vec::new(),
            io: false,
        }
    }
    pub fn warning(message: impl Into<String>, place: Place) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message, place) }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_note(mut self, place: Place, note: impl Into<String>) -> Self {
        self.notes.push((place, note.into()));
        self
    }
    /// A marker problem found in `file`: the one place a [`MarkerError`] becomes a diagnostic.
    pub fn from_marker(file: FileId, e: crate::markers::MarkerError) -> Self {
        let d = Diagnostic::error(e.message, Place::Source(Loc::from_span(file, e.span)));
        match e.help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
    /// Marks an error as the file system's (an unreadable source file).
    pub fn io(mut self) -> Self {
        self.io = true;
        self
    }
    /// The same diagnostic with its source places' file ids renumbered (`ids[old]`), when the
    /// map it was made against is merged into another.
    pub fn map_files(mut self, ids: &[FileId]) -> Self {
        for place in std::iter::once(&mut self.place).chain(self.notes.iter_mut().map(|(p, _)| p)) {
            if let Place::Source(loc) = place {
                loc.file = ids[loc.file.0 as usize];
            }
        }
        self
    }
}

/// The collector every stage writes to (serde_derive's `Ctxt`, without the panic on drop).
#[derive(Default, Debug)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds a diagnostic. Every problem is found once (attributes are read once per item,
    /// a type with an error is lowered once), so nothing is filtered here.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        for d in other.items {
            self.push(d);
        }
    }
    /// Adds another worker's diagnostics (its file ids renumbered by `ids`). Two workers that
    /// both read a type the resources of each use report its problems each: a diagnostic equal to
    /// one already here is that same problem, and is kept once.
    pub fn merge_worker(&mut self, other: Diagnostics, ids: &[FileId]) {
        let before = self.items.len();
        for d in other.items {
            let d = d.map_files(ids);
            if !self.items[..before].contains(&d) {
                self.items.push(d);
            }
        }
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    /// Some error is the file system's, not the input's.
    pub fn has_io_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error && d.io)
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// How many diagnostics were reported so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Drops what was reported after the first `len`.
    pub fn truncate(&mut self, len: usize) {
        self.items.truncate(len);
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    /// Sorted by place so the output is the same whatever order stages ran in.
    pub fn sorted(&self, sources: &SourceMap) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| sort_key(d, sources));
        v
    }

    /// rustc-style text: `error: msg`, ` --> file:line:col`, the source line, `^^^`, help lines.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        self.render_for(sources, color, "generate CRDs")
    }

    /// [`Diagnostics::render`], the last line saying what could not be done ("create the API").
    pub fn render_for(&self, sources: &SourceMap, color: bool, action: &str) -> String {
        let mut out = String::new();
        for d in self.sorted(sources) {
            render_one(&mut out, d, sources, color);
            out.push('\n');
        }
        let (errors, warnings) = self.items.iter().fold((0, 0), |(e, w), d| match d.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
        });
        if errors > 0 {
            let s = if errors == 1 { "" } else { "s" };
            let _ = writeln!(out, "{}: could not {action} due to {errors} previous error{s}", paint("error", RED, color));
        } else if warnings > 0 {
            let s = if warnings == 1 { "" } else { "s" };
            let _ = writeln!(out, "{}: {warnings} warning{s} emitted", paint("warning", YELLOW, color));
        }
        out
    }

    /// One JSON object per line (`--message-format json`), for editors and CI annotations.
    pub fn to_json_lines(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        for d in self.sorted(sources) {
            let mut v = serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message,
                "help": d.help,
            });
            place_json(&mut v, &d.place, sources);
            if let Some(l) = &d.label {
                v["label"] = l.clone().into();
            }
            let notes: Vec<serde_json::Value> = d
                .notes
                .iter()
                .map(|(p, m)| {
                    let mut n = serde_json::json!({ "message": m });
                    place_json(&mut n, p, sources);
                    n
                })
                .collect();
            v["notes"] = notes.into();
            out.push_str(&v.to_string());
            out.push('\n');
        }
        out
    }
}

fn place_json(v: &mut serde_json::Value, place: &Place, sources: &SourceMap) {
    match place {
        Place::Source(loc) => {
            v["file"] = sources.get(loc.file).path.display().to_string().into();
            v["line"] = loc.line.into();
            v["column"] = loc.col.into();
            v["end_line"] = loc.end_line.into();
            v["end_column"] = loc.end_col.into();
        }
        Place::File(p) => v["file"] = p.display().to_string().into(),
        Place::FileLine(p, line, col) => {
            v["file"] = p.display().to_string().into();
            v["line"] = (*line).into();
            v["column"] = (*col).into();
        }
        Place::Nowhere => {}
    }
}

fn sort_key(d: &Diagnostic, sources: &SourceMap) -> (u8, PathBuf, usize, usize, String) {
    match &d.place {
        Place::File(p) => (0, p.clone(), 0, 0, d.message.clone()),
        Place::FileLine(p, l, c) => (0, p.clone(), *l, *c, d.message.clone()),
        Place::Source(l) => (1, sources.get(l.file).path.clone(), l.line, l.col, d.message.clone()),
        Place::Nowhere => (2, PathBuf::new(), 0, 0, d.message.clone()),
    }
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";

fn paint(s: &str, code: &str, color: bool) -> String {
    if color { format!("{code}{s}\x1b[0m") } else { s.to_string() }
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &SourceMap, color: bool) {
    let (word, code) = match d.severity {
        Severity::Error => ("error", RED),
        Severity::Warning => ("warning", YELLOW),
    };
    let _ = writeln!(out, "{}{}", paint(word, code, color), paint(&format!(": {}", d.message), BOLD, color));
    render_place(out, &d.place, d.label.as_deref(), sources, color, code);
    for (place, note) in &d.notes {
        let _ = writeln!(out, "{} {}", paint("note:", BOLD, color), note);
        render_place(out, place, None, sources, color, BLUE);
    }
    for h in &d.help {
        let _ = writeln!(out, "  {} {}", paint("= help:", BOLD, color), h);
    }
}

fn render_place(out: &mut String, place: &Place, label: Option<&str>, sources: &SourceMap, color: bool, code: &str) {
    match place {
        Place::Nowhere => {}
        Place::File(p) => {
            let _ = writeln!(out, "  {} {}", paint("-->", BLUE, color), display_path(p));
        }
        Place::FileLine(p, line, col) => {
            let _ = writeln!(out, "  {} {}:{line}:{col}", paint("-->", BLUE, color), display_path(p));
            if let Some(text) = std::fs::read_to_string(p).ok().and_then(|t| t.lines().nth(line.saturating_sub(1)).map(str::to_string)) {
                let num = line.to_string();
                let pad = " ".repeat(num.len());
                let bar = paint("|", BLUE, color);
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(out, "{} {bar} {text}", paint(&num, BLUE, color));
                let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(col.saturating_sub(1)), paint("^", code, color));
            }
        }
        Place::Source(loc) => {
            let file = sources.get(loc.file);
            let _ = writeln!(out, "  {} {}:{}:{}", paint("-->", BLUE, color), display_path(&file.path), loc.line, loc.col);
            let Some(text) = file.text.lines().nth(loc.line - 1) else { return };
            let num = loc.line.to_string();
            let pad = " ".repeat(num.len());
            let bar = paint("|", BLUE, color);
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{} {bar} {}", paint(&num, BLUE, color), text.replace('\t', "    "));
            let width = if loc.end_line == loc.line && loc.end_col > loc.col {
                loc.end_col - loc.col
            } else {
                text.chars().count().saturating_sub(loc.col - 1).max(1)
            };
            let lead: String = text.chars().take(loc.col - 1).map(|c| if c == '\t' { "    " } else { " " }).collect();
            let marks = paint(&"^".repeat(width), code, color);
            match label {
                Some(l) => {
                    let _ = writeln!(out, "{pad} {bar} {lead}{marks} {}", paint(l, code, color));
                }
                None => {
                    let _ = writeln!(out, "{pad} {bar} {lead}{marks}");
                }
            }
        }
    }
}

/// Paths relative to the current directory read better and are stable across machines.
fn display_path(p: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = p.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rustc_style_with_snippet_and_help() {
        let mut sources = SourceMap::default();
        let f = sources.add("/x/src/lib.rs".into(), "struct A {\n    #[crd(min_lenght = 1)]\n}\n");
        let mut diags = Diagnostics::default();
        let loc = Loc { file: f, line: 2, col: 11, end_line: 2, end_col: 21 };
        diags.push(
            Diagnostic::error("unknown marker `min_lenght`", Place::Source(loc))
                .with_label("not a crd marker")
                .with_help("did you mean `min_length`?"),
        );
        let text = diags.render(&sources, false);
        assert!(text.contains("error: unknown marker `min_lenght`"), "{text}");
        assert!(text.contains("--> /x/src/lib.rs:2:11"), "{text}");
        assert!(text.contains("2 |     #[crd(min_lenght = 1)]"), "{text}");
        assert!(text.contains("  |           ^^^^^^^^^^ not a crd marker"), "{text}");
        assert!(text.contains("= help: did you mean `min_length`?"), "{text}");
        let json = diags.to_json_lines(&sources);
        let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        assert_eq!(v["line"], 2);
        assert_eq!(v["column"], 11);
    }
}
