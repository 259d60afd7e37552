//! The generator in a build script: `Generator::from_build_env()?.run()?`.
//!
//! cargo runs build.rs before it compiles the package, so the CRDs written here are fresh when
//! `#[derive(CustomResource)]` expands: the derive embeds `$OUT_DIR/crd-gen/<file>.yaml` (with
//! `include_str!`, so rustc rebuilds when it changes) and reads the root-type facts of
//! `$OUT_DIR/crd-gen/roots.tsv`. `cargo::rerun-if-changed` names exactly the files the engine
//! read, so a no-op `cargo build` does not run the script at all.

use super::{Generator, Outcome};
use crate::diag::{Diagnostic, Severity};
use crate::output::Change;
use crate::roots::index;
use crate::source::cfg::BuildCfg;
use std::path::{Path, PathBuf};

/// Where cargo builds the package whose build script this is.
#[derive(Clone, Debug)]
pub(super) struct BuildEnv {
    pub(super) manifest_dir: PathBuf,
    pub(super) out_dir: PathBuf,
}

/// Why a build script's run failed; the diagnostics are already printed (cargo shows a failed
/// script's output), so this says only what kind of failure it was.
#[derive(Debug)]
pub struct BuildError(String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

fn env_dir(name: &str) -> Result<PathBuf, BuildError> {
    std::env::var_os(name).map(PathBuf::from).ok_or_else(|| {
        BuildError(format!(
            "crd-gen: `{name}` is not set: `Generator::from_build_env()` runs inside a build script (build.rs); elsewhere use `Generator::new()`"
        ))
    })
}

impl Generator {
    /// The generator for the package whose build script is running: its manifest, the features
    /// and cfg options cargo builds it with, the CRDs into OUT_DIR unless
    /// [`Generator::output_dir`] says where (relative to the package root).
    pub fn from_build_env() -> Result<Generator, BuildError> {
        let manifest_dir = env_dir("CARGO_MANIFEST_DIR")?;
        let out_dir = env_dir("OUT_DIR")?;
        let mut g = Generator::new().manifest_path(manifest_dir.join("Cargo.toml"));
        g.options.cfg = BuildCfg::from_build_script_env();
        g.features.no_default_features = true;
        g.features.add(&std::env::var("CARGO_CFG_FEATURE").unwrap_or_default());
        g.output_dir = Some(out_dir.clone());
        g.build_env = Some(BuildEnv { manifest_dir, out_dir });
        Ok(g)
    }

    /// Generates and writes the CRDs (all or none), the root-type index for the derive, and the
    /// `cargo::` lines: `rerun-if-changed` for every file read, a warning per warning, an error
    /// per error (pointing at the Rust source), the rendered diagnostics on stderr.
    pub fn run(self) -> Result<Outcome, BuildError> {
        let env = match &self.build_env {
            Some(env) => env.clone(),
            None => Generator::from_build_env()?.build_env.expect("set by from_build_env"),
        };
        let outcome = self.write();
        let plan = &outcome.plan;
        rerun_if_changed(&env.manifest_dir, plan.generated.source_files());
        let sources = &plan.generated.sources;
        for d in plan.generated.diagnostics.sorted(sources) {
            let kind = if d.severity == Severity::Error { "error" } else { "warning" };
            println!("cargo::{kind}={}", one_line(d, sources));
        }
        if plan.failure.is_some() {
            eprintln!("{}", plan.generated.render_diagnostics(false));
            return Err(BuildError("crd-gen could not generate the CRDs (the errors are above)".into()));
        }
        for change in &outcome.report.changes {
            if let Change::Removed { path, reason } = change {
                println!("cargo::warning=crd-gen removed {}: {reason}", path.display());
            }
        }
        write_for_derive(&env.out_dir.join("crd-gen"), &outcome).map_err(|e| BuildError(format!("crd-gen: {e}")))?;
        Ok(outcome)
    }

    /// For build.rs, the older spelling: [`Generator::run`] with the CRDs in
    /// `config/crd/bases` (or the output dir), exiting the script on failure.
    pub fn build_script(self) {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let mut g = match Generator::from_build_env() {
            Ok(g) => g,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
        g.output_dir = self.output_dir.or_else(|| manifest_dir.map(|d| d.join("config/crd/bases")));
        g.options.max_desc_len = self.options.max_desc_len;
        g.options.kube_version = self.options.kube_version;
        g.options.jobs = self.options.jobs;
        g.cfgs = self.cfgs;
        if self.features != Default::default() {
            g.features = self.features;
        }
        if let Err(e) = g.run() {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// `path:line:col: message` (cargo prints a `cargo::` line as one line).
fn one_line(d: &Diagnostic, sources: &crate::diag::SourceMap) -> String {
    let place = match &d.place {
        crate::diag::Place::Source(loc) => format!("{}:{}:{}: ", sources.get(loc.file).path.display(), loc.line, loc.col),
        crate::diag::Place::File(p) => format!("{}: ", p.display()),
        crate::diag::Place::FileLine(p, l, c) => format!("{}:{l}:{c}: ", p.display()),
        _ => String::new(),
    };
    format!("{place}{}", d.message.replace('\n', " "))
}

/// The files the engine read, and the manifest and lock file discovery read.
fn rerun_if_changed<'a>(manifest_dir: &Path, read: impl Iterator<Item = &'a Path>) {
    let mut files: Vec<PathBuf> = read.map(Path::to_path_buf).collect();
    files.push(manifest_dir.join("Cargo.toml"));
    if let Some(lock) = manifest_dir.ancestors().map(|d| d.join("Cargo.lock")).find(|p| p.is_file()) {
        files.push(lock);
    }
    files.sort();
    files.dedup();
    for f in files {
        println!("cargo::rerun-if-changed={}", f.display());
    }
}

/// `$OUT_DIR/crd-gen/`: each CRD as YAML (what `crd_yaml()` returns) and JSON (what `crd()`
/// parses), and the root-type index. A file is rewritten only when its bytes change.
fn write_for_derive(dir: &Path, outcome: &Outcome) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut index = index::Index::default();
    for krate in &outcome.plan.generated.crates {
        for dep in krate.source.deps.iter() {
            if index::NAMED_CRATES.contains(&dep.1.package.as_str()) {
                index.crates.insert(dep.1.package.clone(), dep.0.clone());
            }
        }
        for f in &krate.files {
            write_if_changed(&dir.join(&f.name), &f.contents)?;
            let json = serde_json::to_string(&f.crd().to_json()).expect("a JSON value serializes");
            write_if_changed(&dir.join(f.name.replace(".yaml", ".json")), &json)?;
        }
        index.roots.extend(krate.roots.iter().cloned());
    }
    write_if_changed(&dir.join(index::FILE), &index::write(&index))
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    let tmp = path.with_extension("crd-gen-tmp");
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path)
}
