//! Which files of an output directory are crd-gen's.
//!
//! The rule: crd-gen owns exactly the files its ownership record lists. The record,
//! `.crd-gen-owned` in the output directory, is a small text file `manifests` keeps (one line per
//! CRD file: its name and the package that generates it) and the user commits; `kubectl apply -f
//! DIR` and Helm read only `.yaml`/`.yml`/`.json` files, so they skip it. A listed file that this
//! run's packages no longer generate is an orphan (its resource was removed, or renamed: a new
//! plural, kind or group gives a new file name): `manifests` removes it and `--check` fails on it.
//! Nothing else is ever removed, whatever its name or contents, so a user's own files are safe;
//! and a listed file that no longer holds the CRD its name stands for was edited or replaced by
//! someone else, so it is left alone (and dropped from the record, with a warning).
//!
//! A record, not a rule on contents: a renamed group leaves a file whose group the crate no longer
//! has, and only a record remembers it was crd-gen's; committed, it is there on a clean CI
//! checkout, so `--check` sees orphans there too. Lines of packages outside this run are kept as
//! they are, so packages sharing an `--output-dir` and generated one at a time (`-p`) keep each
//! other's files.
//!
//! A file crd-gen does not own but that defines a generated CRD's kind (or the same CRD) in the
//! same group is an error: `kubectl apply -f DIR` would install both, and the API server accepts
//! the names of only one (`NamesAccepted=False`, `KindConflict`/`ListKindConflict`). Typically it
//! is crd-gen's own output from before the record existed; the message says to delete it.

use super::paths::{Layout, Target, io_diag};
use super::{Error, ErrorKind, Mismatch, Problem};
use crate::diag::{Diagnostic, Place};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const RECORD_NAME: &str = ".crd-gen-owned";

const HEADER: &str = "\
# Written by crd-gen: the CRD files `cargo crd-gen manifests` generated in this directory, and the
# package of each. It removes a listed file it no longer generates and never touches other files.
# Commit this file (kubectl and Helm read only .yaml, .yml and .json files, so they skip it).
";

/// File name -> package.
type Entries = BTreeMap<String, String>;

/// What a write does with the record.
#[derive(Debug, PartialEq, Eq)]
pub enum RecordStep {
    Keep,
    Write(String),
    Remove,
}

/// A file crd-gen owns and no longer generates.
#[derive(Debug)]
pub struct Orphan {
    pub entry: PathBuf,
    pub reason: String,
}

/// The ownership side of a run in one directory.
#[derive(Debug)]
pub struct DirPlan {
    /// The record to put in place before any CRD file (when the run adds files).
    pub record_first: Option<String>,
    /// `record_first` is already the final record (then `record_last` is `Keep`).
    pub record_first_is_final: bool,
    /// The record after the CRD files and orphans.
    pub record_last: RecordStep,
    /// The record `manifests` leaves (None: no record, as no file is owned).
    pub expected: Option<String>,
    pub orphans: Vec<Orphan>,
    pub warnings: Vec<Diagnostic>,
}

pub fn plan(layout: &Layout) -> Result<DirPlan, Error> {
    let dir = &layout.out.dir;
    let OnDisk { entries: old, bytes: on_disk, mut warnings } = read_record(&layout.record)?;
    let generated: Entries = layout.files.iter().map(|(t, f)| (file_name(&t.entry), f.package.clone())).collect();
    let in_run = |p: &str| layout.out.packages.iter().any(|q| q == p);
    let mut new = generated.clone();
    let mut orphans = Vec::new();
    for (file, package) in &old {
        if let Some(now) = generated.get(file) {
            if now != package && !in_run(package) {
                warnings.push(takeover_warning(&dir.join(file), package, now));
            }
        } else if !in_run(package) {
            new.insert(file.clone(), package.clone());
        } else {
            match orphan_check(&dir.join(file)) {
                OrphanCheck::Gone => {}
                OrphanCheck::Orphan(reason) => orphans.push(Orphan { entry: dir.join(file), reason }),
                OrphanCheck::NotOurs(why) => warnings.push(not_ours_warning(&dir.join(file), &why)),
            }
        }
    }
    let clashes = clashes(layout, &generated, &orphans, &new);
    if !clashes.is_empty() {
        return Err(Error { kind: ErrorKind::Conflict, diagnostics: clashes });
    }
    let expected = (!new.is_empty()).then(|| render(&new));
    let mut plan = DirPlan { record_first: None, record_first_is_final: false, record_last: RecordStep::Keep, expected, orphans, warnings };
    if plan.expected.as_deref().map(str::as_bytes) == on_disk.as_deref() {
        return Ok(plan);
    }
    let adds = new.keys().any(|f| !old.contains_key(f));
    let removes = old.keys().any(|f| !new.contains_key(f));
    match (&plan.expected, adds, removes) {
        (None, _, _) => plan.record_last = RecordStep::Remove,
        (Some(text), true, false) => {
            plan.record_first = Some(text.clone());
            plan.record_first_is_final = true;
        }
        (Some(text), true, true) => {
            let mut union = old.clone();
            union.extend(new.clone());
            plan.record_first = Some(render(&union));
            plan.record_last = RecordStep::Write(text.clone());
        }
        (Some(text), false, _) => plan.record_last = RecordStep::Write(text.clone()),
    }
    Ok(plan)
}

/// What `--check` says about the record: what `manifests` would leave against what is there.
pub fn record_mismatch(layout: &Layout, plan: &DirPlan) -> Option<Mismatch> {
    match &plan.expected {
        Some(text) => super::compare::compare(&layout.record, text),
        None if layout.record.exists => Some(Mismatch {
            path: layout.record.entry.clone(),
            problem: Problem::Orphan("it lists no CRD file that is still generated".into()),
            diff: String::new(),
        }),
        None => None,
    }
}

/// The record as it is on disk.
struct OnDisk {
    entries: Entries,
    /// None: there is no record.
    bytes: Option<Vec<u8>>,
    /// Lines that are not entries.
    warnings: Vec<Diagnostic>,
}

fn read_record(record: &Target) -> Result<OnDisk, Error> {
    if !record.exists {
        return Ok(OnDisk { entries: Entries::new(), bytes: None, warnings: Vec::new() });
    }
    let bytes = std::fs::read(&record.real)
        .map_err(|e| Error::io(*io_diag(&record.entry, format!("cannot read the ownership record `{}`", record.entry.display()), &e)))?;
    let mut warnings = Vec::new();
    let mut entries = Entries::new();
    let text = String::from_utf8_lossy(&bytes);
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [file, package] if is_entry_name(file) => {
                entries.insert(file.to_string(), package.to_string());
            }
            _ => warnings.push(
                Diagnostic::warning(
                    format!("line {} of `{}` is not `<file>.yaml <package>`; it is ignored and dropped", i + 1, record.entry.display()),
                    Place::FileLine(record.entry.clone(), i + 1, 1),
                )
                .with_help("crd-gen writes this file; let `cargo crd-gen manifests` rewrite it"),
            ),
        }
    }
    Ok(OnDisk { entries, bytes: Some(bytes), warnings })
}

/// A record line may only name a file in the directory itself, never a path out of it.
fn is_entry_name(name: &str) -> bool {
    !name.starts_with('.') && !name.contains(['/', '\\']) && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

fn render(entries: &Entries) -> String {
    let mut out = HEADER.to_string();
    for (file, package) in entries {
        out.push_str(&format!("{file} {package}\n"));
    }
    out
}

enum OrphanCheck {
    Gone,
    Orphan(String),
    NotOurs(String),
}

fn orphan_check(path: &Path) -> OrphanCheck {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return OrphanCheck::Gone };
    if meta.is_symlink() {
        // crd-gen wrote through this link; the link goes, the file it points at stays.
        let to = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
        return OrphanCheck::Orphan(format!("its resource was removed or renamed; the symlink goes, the file it points at (`{to}`) stays"));
    }
    if !meta.is_file() {
        return OrphanCheck::NotOurs("it is no longer a regular file".into());
    }
    let name = file_name(path);
    let Ok(text) = std::fs::read_to_string(path) else { return OrphanCheck::NotOurs("it is no longer UTF-8 text".into()) };
    match identities(&text).into_iter().find(|id| id.file_name() == name) {
        Some(id) => {
            OrphanCheck::Orphan(format!("its resource was removed or renamed: it holds CRD `{}`, kind `{}`", id.crd_name(), id.kind))
        }
        None => OrphanCheck::NotOurs(format!("it no longer holds the CRD its name stands for ({})", name.trim_end_matches(".yaml"))),
    }
}

fn not_ours_warning(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning(
        format!(
            "`{}` is listed in `{RECORD_NAME}`, but {why}: someone else changed it, so it is left alone and no longer crd-gen's",
            path.display()
        ),
        Place::File(path.to_path_buf()),
    )
    .with_help("delete it if it is not needed")
}

fn takeover_warning(path: &Path, old: &str, now: &str) -> Diagnostic {
    Diagnostic::warning(
        format!("`{}` was generated by package `{old}` and is now generated by package `{now}`", path.display()),
        Place::File(path.to_path_buf()),
    )
    .with_help("if both packages still exist they define the same CRD: give them different output directories, groups or plurals")
}

/// Files crd-gen does not own (and is not about to remove) that define a generated CRD's kind
/// or name in its group.
fn clashes(layout: &Layout, generated: &Entries, orphans: &[Orphan], owned: &Entries) -> Vec<Diagnostic> {
    let ours: Vec<(Identity, &Path)> =
        layout.files.iter().flat_map(|(t, f)| identities(&f.contents).into_iter().map(move |id| (id, t.entry.as_path()))).collect();
    if !layout.exists {
        return twice_generated(&ours);
    }
    let mut out = twice_generated(&ours);
    let Ok(entries) = std::fs::read_dir(&layout.out.dir) else { return out };
    let mut names: Vec<String> = entries.flatten().filter_map(|e| e.file_name().to_str().map(str::to_string)).collect();
    names.sort();
    for name in names {
        let path = layout.out.dir.join(&name);
        let is_manifest = name.ends_with(".yaml") || name.ends_with(".yml");
        if !is_manifest || generated.contains_key(&name) || orphans.iter().any(|o| o.entry == path) {
            continue;
        }
        // Only regular files (through links): reading a FIFO would wait forever.
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for id in identities(&text) {
            for (g, gpath) in ours.iter().filter(|(g, _)| g.group == id.group && (g.kind == id.kind || g.plural == id.plural)) {
                out.push(clash(&path, &id, g, gpath, owned.get(&name)));
            }
        }
    }
    out
}

/// One kind of one group generated into two files of one directory (two packages of a run).
fn twice_generated(ours: &[(Identity, &Path)]) -> Vec<Diagnostic> {
    // The files of each kind, found through a map: comparing every pair was quadratic in N.
    let mut by_kind: std::collections::HashMap<(&str, &str), Vec<usize>> = std::collections::HashMap::new();
    let mut pairs = Vec::new();
    for (j, (b, _)) in ours.iter().enumerate() {
        let earlier = by_kind.entry((b.group.as_str(), b.kind.as_str())).or_default();
        pairs.extend(earlier.iter().map(|&i| (i, j)));
        earlier.push(j);
    }
    // In the order of a walk over every pair, first file first.
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(i, j)| {
            let ((a, a_path), (_, b_path)) = (&ours[i], &ours[j]);
            Diagnostic::error(
                format!("`{}` and `{}` both define kind `{}` of group `{}`", a_path.display(), b_path.display(), a.kind, a.group),
                Place::File(b_path.to_path_buf()),
            )
            .with_help("two packages define one kind: the API server accepts the names of only one CRD (`KindConflict`); rename one kind or move it to another group")
        })
        .collect()
}

fn clash(path: &Path, id: &Identity, g: &Identity, gpath: &Path, owner: Option<&String>) -> Diagnostic {
    let what = if id.plural == g.plural {
        format!("also defines CRD `{}`", g.crd_name())
    } else {
        format!("also defines kind `{}` of group `{}` (as CRD `{}`)", g.kind, g.group, id.crd_name())
    };
    let d = Diagnostic::error(format!("`{}` {what}, which crd-gen generates as `{}`", path.display(), gpath.display()), Place::File(path.to_path_buf()))
        .with_help("`kubectl apply -f` on the directory would install both, and the API server accepts the names of only one (`NamesAccepted=False`, reason `KindConflict` or `ListKindConflict`)");
    match owner {
        Some(package) => d.with_help(format!("package `{package}` generates it: two packages define one kind; give them different groups or kinds")),
        None => d.with_help("if it is an older output of crd-gen (from before the ownership record, or of a renamed resource), delete it; crd-gen never removes a file it does not own"),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The group, kind and plural of a CRD document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub group: String,
    pub kind: String,
    pub plural: String,
}

impl Identity {
    pub fn file_name(&self) -> String {
        format!("{}_{}.yaml", self.group, self.plural)
    }
    pub fn crd_name(&self) -> String {
        format!("{}.{}", self.plural, self.group)
    }
}

/// The CRDs of a YAML file laid out as crd-gen and controller-gen write it (block style, two
/// spaces per level; several documents allowed). Other layouts yield nothing: this is only used
/// to recognise such files, never to claim one.
pub fn identities(text: &str) -> Vec<Identity> {
    let mut out = Vec::new();
    let mut doc = DocScan::default();
    let mut rest = text;
    while !rest.is_empty() {
        if doc.found() && !rest.starts_with("---") {
            // The rest of a document already known is not read, up to a line that may end it.
            let Some(at) = rest.find("\n---") else { break };
            rest = &rest[at + 1..];
        }
        let (line, next) = rest.split_once('\n').unwrap_or((rest, ""));
        let line = line.trim_end_matches('\r');
        if line.trim_end() == "---" {
            out.extend(std::mem::take(&mut doc).identity());
        } else if !doc.found() {
            doc.line(line);
        }
        rest = next;
    }
    out.extend(doc.identity());
    out
}

/// What one document has said so far. Once it is a CRD with a group, kind and plural, its other
/// lines (the versions and their schemas: most of the file) are not read; a later line could
/// only repeat a key, which YAML does not allow.
#[derive(Default)]
struct DocScan {
    is_crd: bool,
    in_spec: bool,
    in_names: bool,
    group: Option<String>,
    kind: Option<String>,
    plural: Option<String>,
}

impl DocScan {
    fn line(&mut self, line: &str) {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            return;
        }
        match line.len() - body.len() {
            0 => {
                self.in_spec = body == "spec:";
                self.in_names = false;
                if let Some(v) = value(body, "kind") {
                    self.is_crd = v == "CustomResourceDefinition";
                }
            }
            2 if self.in_spec => {
                self.in_names = body == "names:";
                if let Some(v) = value(body, "group") {
                    self.group = Some(v);
                }
            }
            4 if self.in_names => {
                if let Some(v) = value(body, "kind") {
                    self.kind = Some(v);
                } else if let Some(v) = value(body, "plural") {
                    self.plural = Some(v);
                }
            }
            _ => {}
        }
    }

    fn found(&self) -> bool {
        self.is_crd && self.group.is_some() && self.kind.is_some() && self.plural.is_some()
    }

    fn identity(self) -> Option<Identity> {
        self.is_crd.then_some(())?;
        Some(Identity { group: self.group?, kind: self.kind?, plural: self.plural? })
    }
}

fn value(line: &str, key: &str) -> Option<String> {
    let v = line.strip_prefix(key)?.strip_prefix(':')?.trim();
    let unquoted =
        v.strip_prefix('"').and_then(|s| s.strip_suffix('"')).or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')));
    Some(unquoted.unwrap_or(v).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of files with one kind is named once, in the order of the files, whatever
    /// other kinds stand between them.
    #[test]
    fn each_pair_of_files_with_one_kind_is_an_error() {
        let id = |kind: &str| Identity { group: "g".into(), kind: kind.into(), plural: kind.to_lowercase() };
        let paths: Vec<PathBuf> = (0..5).map(|i| PathBuf::from(format!("f{i}"))).collect();
        let ours: Vec<(Identity, &Path)> = ["A", "B", "B", "A", "A"].iter().zip(&paths).map(|(k, p)| (id(k), p.as_path())).collect();
        let said: Vec<String> = twice_generated(&ours).iter().map(|d| d.message.clone()).collect();
        let pair = |a: usize, b: usize, k: &str| format!("`f{a}` and `f{b}` both define kind `{k}` of group `g`");
        assert_eq!(said, [pair(0, 3, "A"), pair(0, 4, "A"), pair(1, 2, "B"), pair(3, 4, "A")]);
    }

    #[test]
    fn reads_the_identity_of_crd_gen_and_controller_gen_layouts() {
        let crd = "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.14.0\n  name: foos.example.com\nspec:\n  group: example.com\n  names:\n    kind: Foo\n    listKind: FooList\n    plural: foos\n    singular: foo\n  scope: Namespaced\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        properties:\n          kind:\n            type: string\n";
        let ids = identities(crd);
        assert_eq!(ids, vec![Identity { group: "example.com".into(), kind: "Foo".into(), plural: "foos".into() }]);
        assert_eq!(ids[0].file_name(), "example.com_foos.yaml");
        // Two documents, CRLF, quoted values.
        let two = format!(
            "{}---\r\nkind: CustomResourceDefinition\r\nspec:\r\n  group: 'b.io'\r\n  names:\r\n    kind: \"Bar\"\r\n    plural: bars\r\n",
            crd
        );
        assert_eq!(identities(&two).len(), 2);
        assert_eq!(identities(&two)[1].group, "b.io");
        // A line that only starts like a separator does not end the document it is in.
        let three = format!("{crd}----\n--- \n{}", two.trim_start_matches("---\n").replace("\r", ""));
        let groups: Vec<String> = identities(&three).into_iter().map(|i| i.group).collect();
        assert_eq!(groups, ["example.com", "example.com", "b.io"]);
        // Not a CRD, or another layout: nothing.
        assert!(identities("apiVersion: v1\nkind: ConfigMap\nspec:\n  group: x\n  names:\n    kind: Foo\n    plural: foos\n").is_empty());
        assert!(identities("resources:\n- bases/example.com_foos.yaml\n").is_empty());
        assert!(identities("{\"kind\": \"CustomResourceDefinition\"}").is_empty());
    }

    /// The record lists every file crd-gen may have written at every point of a run: when a run
    /// adds files and removes others, the union goes first and the final record last.
    #[test]
    fn the_record_grows_before_files_appear_and_shrinks_after_they_go() {
        use crate::output::{OutputDir, PlannedFile};
        let dir = std::env::temp_dir().join(format!("crd-gen-owned-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let crd = |group: &str, plural: &str| {
            format!(
                "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: {group}\n  names:\n    kind: K{plural}\n    plural: {plural}\n"
            )
        };
        let planned = |plural: &str| PlannedFile {
            path: dir.join(format!("g.io_{plural}.yaml")),
            contents: crd("g.io", plural).into(),
            package: "p".into(),
        };
        let plan_for = |files: Vec<PlannedFile>| {
            let out = OutputDir { dir: dir.clone(), packages: vec!["p".into()], files };
            let mut warnings = Vec::new();
            let layouts = crate::output::paths::prepare(std::slice::from_ref(&out), &mut warnings).unwrap();
            plan(&layouts[0]).unwrap()
        };
        let entries = |names: &[&str]| names.iter().map(|n| (format!("g.io_{n}.yaml"), "p".to_string())).collect::<Entries>();
        std::fs::write(dir.join("g.io_olds.yaml"), crd("g.io", "olds")).unwrap();
        std::fs::write(dir.join(RECORD_NAME), render(&entries(&["olds", "keeps"]))).unwrap();

        // Adds `news`, removes `olds`: union first, final last, `olds` an orphan.
        let p = plan_for(vec![planned("keeps"), planned("news")]);
        assert_eq!(p.record_first.as_deref(), Some(render(&entries(&["keeps", "news", "olds"])).as_str()));
        assert!(!p.record_first_is_final);
        assert_eq!(p.record_last, RecordStep::Write(render(&entries(&["keeps", "news"]))));
        assert_eq!(p.orphans.len(), 1);
        assert!(p.orphans[0].entry.ends_with("g.io_olds.yaml"), "{:?}", p.orphans);
        // Only adds: the final record goes first.
        let p = plan_for(vec![planned("keeps"), planned("news"), planned("olds")]);
        assert!(p.record_first_is_final && p.record_last == RecordStep::Keep);
        // Only removes (`keeps` is gone from disk: dropped without a word): the record goes last.
        let p = plan_for(vec![]);
        assert!(p.record_first.is_none() && p.record_last == RecordStep::Remove && p.orphans.len() == 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn record_lines_name_files_of_the_directory_only() {
        assert!(is_entry_name("example.com_foos.yaml"));
        for bad in ["../x.yaml", "/etc/passwd", "a/b.yaml", ".crd-gen-owned", "x.json", "x", "..\\x.yaml"] {
            assert!(!is_entry_name(bad), "{bad}");
        }
        let mut e = Entries::new();
        e.insert("b.io_bars.yaml".into(), "two".into());
        e.insert("a.io_foos.yaml".into(), "one".into());
        let text = render(&e);
        assert!(text.starts_with("# Written by crd-gen"));
        assert!(text.ends_with("a.io_foos.yaml one\nb.io_bars.yaml two\n"), "{text}");
    }
}
