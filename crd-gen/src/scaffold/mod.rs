//! `cargo crd-gen create api`: kubebuilder's `create api` for a Rust crate. It writes the types
//! module of a new kind (`src/api/<version>/<kind>.rs`), declares the modules leading to it and
//! adds the dependencies it needs to Cargo.toml, so the crate builds and `cargo crd-gen
//! manifests` writes the CRD right after.
//!
//! - `request.rs`: the names, checked with the engine's rules, and the API group they make;
//! - `manifest.rs`: Cargo.toml (crate root, recorded domain, dependency edits);
//! - `modules.rs`: the `mod` declarations;
//! - `template.rs`: the module's text and its dependencies.
//!
//! Every change is planned in memory and checked before the first file is written.

mod manifest;
mod modules;
mod request;
pub mod template;

pub use modules::FileChange;
pub use request::{Request, Resource, check_names, resolve, snake_case};

use crate::collect;
use crate::diag::{Diagnostic, Diagnostics, Place, SourceMap};
use crate::source::{CrateSource, Program};
use manifest::Manifest;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why nothing was written: bad names or flags, or a package that cannot be read (exit 2);
/// a file or a kind that exists already (exit 1); the file system failed (exit 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    Usage,
    Exists,
    Io,
}

#[derive(Debug)]
pub struct Failure {
    pub kind: FailureKind,
    pub diagnostics: Diagnostics,
    /// The source files the diagnostics quote.
    pub sources: SourceMap,
}

impl Failure {
    fn one(kind: FailureKind, d: Diagnostic) -> Failure {
        Failure { kind, diagnostics: one(d), sources: SourceMap::default() }
    }
    /// Usage (exit 2), or I/O when the file system failed (exit 2 too, said differently).
    fn usage(d: Diagnostic) -> Failure {
        let kind = if d.io { FailureKind::Io } else { FailureKind::Usage };
        Failure { kind, diagnostics: one(d), sources: SourceMap::default() }
    }
}

/// What `create api` did.
#[derive(Debug)]
pub struct Created {
    pub resource: Resource,
    /// The package's directory.
    pub package_dir: PathBuf,
    /// The kind's module file.
    pub types_file: PathBuf,
    /// Every file created or changed, in the order written.
    pub changes: Vec<FileChange>,
}

/// Plans every change, checks them all, then writes them.
pub fn create_api(manifest_path: Option<&Path>, req: &Request) -> Result<Created, Failure> {
    let (created, _) = plan(manifest_path, req)?;
    for change in &created.changes {
        write(change, req.force).map_err(|d| Failure::one(FailureKind::Io, *d))?;
    }
    Ok(created)
}

/// The changes `create_api` would make, and the crate's source map (for messages).
pub fn plan(manifest_path: Option<&Path>, req: &Request) -> Result<(Created, SourceMap), Failure> {
    let errors = check_names(req);
    if !errors.is_empty() {
        let mut diagnostics = Diagnostics::default();
        errors.into_iter().for_each(|d| diagnostics.push(d));
        return Err(Failure { kind: FailureKind::Usage, diagnostics, sources: SourceMap::default() });
    }
    let mut manifest = Manifest::find(manifest_path).map_err(|d| Failure::usage(*d))?;
    let root = manifest.crate_root().map_err(|d| Failure::usage(*d))?;
    let recorded = manifest.recorded_domain();
    let resource = resolve(req, recorded.as_deref()).map_err(|d| Failure::usage(*d))?;
    let chain = ["api".to_string(), resource.version.clone(), resource.module.clone()];
    let (mut changes, types_file) = modules::plan(&root.file, &chain, root.bin).map_err(|d| Failure::usage(*d))?;
    let sources = refuse_existing(&root.file, &manifest.all_features(), &resource, &types_file, req.force)?;
    let before = types_file.is_file().then(|| std::fs::read_to_string(&types_file).unwrap_or_default());
    let what = if before.is_some() { "overwrote (--force)" } else { "created" };
    changes.push(FileChange { path: types_file.clone(), before, after: template::types_module(&resource), what: what.into() });
    let mut edits = manifest.add_dependencies(&template::dependencies());
    if let (Some(domain), None) = (&req.domain, &recorded) {
        manifest.record_domain(domain);
        edits.push(format!("the domain `{domain}` in [package.metadata.crd-gen], for the next `create api`"));
    }
    if !edits.is_empty() {
        let what = format!("added {}", edits.join("; "));
        changes.push(FileChange { path: manifest.path.clone(), before: Some(manifest.text.clone()), after: manifest.to_text(), what });
    }
    let package_dir = manifest.dir().to_path_buf();
    Ok((Created { resource, package_dir, types_file, changes }, sources))
}

/// Refuses a kind that exists in that version and group already (anywhere in the crate, as
/// the engine reads it with every feature on, so a kind behind a feature counts too; a
/// resource in a `+kubebuilder:skip` module generates nothing, so it does not), and an existing
/// module file without `--force`.
fn refuse_existing(root: &Path, features: &[String], r: &Resource, types_file: &Path, force: bool) -> Result<SourceMap, Failure> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let mut program = Program::default();
    let krate = program.add_crate(Arc::new(CrateSource {
        name: "crate".into(),
        package: "crate".into(),
        root_file: root.to_path_buf(),
        deps: Default::default(),
        features: features.to_vec(),
    }));
    program.load_all(krate, &mut sources, &mut diags);
    let decls = collect::collect(&program, krate, &mut crate::attrs::Memo::default(), &mut Diagnostics::default()).decls;
    let same = decls.iter().find(|d| d.group == r.group && d.version == r.version && d.kind == r.kind);
    if let Some(d) = same {
        let file = &sources.get(d.loc.file).path;
        if !(force && file == types_file) {
            let help = if file == types_file {
                "pass `--force` to overwrite it with a new scaffold, or choose another kind".to_string()
            } else {
                "choose another kind or version, or remove this one first".to_string()
            };
            let d = Diagnostic::error(format!("kind `{}` already exists in {}/{}", r.kind, r.group, r.version), Place::Source(d.loc))
                .with_help(help);
            return Err(Failure { kind: FailureKind::Exists, diagnostics: one(d), sources });
        }
    }
    if types_file.exists() && !force {
        let d = Diagnostic::error(format!("{} exists already", types_file.display()), Place::File(types_file.to_path_buf()))
            .with_help("pass `--force` to overwrite it with a new scaffold (its contents are lost), or choose another kind");
        return Err(Failure { kind: FailureKind::Exists, diagnostics: one(d), sources });
    }
    Ok(sources)
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(d);
    diagnostics
}

/// Writes one planned file: a new one is created exclusively (a file that appeared since the
/// plan is not overwritten without `--force`); an edit replaces the file by a rename.
fn write(change: &FileChange, force: bool) -> Result<(), Box<Diagnostic>> {
    let path = &change.path;
    let fail =
        |what: &str, e: std::io::Error| Diagnostic::error(format!("cannot {what} {}: {e}", path.display()), Place::File(path.clone())).io();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("create the directory of", e))?;
    }
    if change.before.is_none() && !force {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| fail("create", e))?;
        f.write_all(change.after.as_bytes()).map_err(|e| fail("write", e))?;
        return Ok(());
    }
    let tmp =
        path.with_file_name(format!(".{}.crd-gen-{}.tmp", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
    std::fs::write(&tmp, &change.after).map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("replace", e).into()
    })
}
