//! [`Generator`]: the engine driven from a cargo workspace, for the CLI and for build.rs.
//!
//! In build.rs: `crd_gen::Generator::new().build_script();`

use crate::diag::Diagnostics;
use crate::output::{self, Mismatch, PlannedFile};
use crate::pipeline::{self, Generated, Options};
use crate::source::discover;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct Generator {
    manifest_path: Option<PathBuf>,
    packages: Vec<String>,
    output_dir: Option<PathBuf>,
    options: Options,
}

/// Why a run produced no files: discovery failed (the workspace could not be read), or the
/// sources have errors. The CLI maps these to exit codes 2 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Workspace,
    Source,
}

/// Planned files of a run, with the engine's full answer.
pub struct Plan {
    pub generated: Generated,
    pub files: Vec<PlannedFile>,
    pub failure: Option<FailureKind>,
}

impl Generator {
    pub fn new() -> Self {
        Self::default()
    }
    /// The Cargo.toml of the package or workspace (default: found from the current directory).
    pub fn manifest_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.manifest_path = Some(path.into());
        self
    }
    /// Only these workspace members (default: the manifest's package, or every member).
    pub fn package(mut self, name: impl Into<String>) -> Self {
        self.packages.push(name.into());
        self
    }
    /// Where the YAML goes (default: `config/crd/bases` under each package).
    pub fn output_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.output_dir = Some(dir.into());
        self
    }
    pub fn max_desc_len(mut self, n: usize) -> Self {
        self.options.max_desc_len = Some(n);
        self
    }
    /// The Kubernetes version whose API server must accept the CEL rules, by its minor number
    /// (34 for 1.34). Default: each crate's k8s-openapi `v1_NN` feature, else the newest known.
    pub fn kube_version(mut self, minor: u32) -> Self {
        self.options.kube_version = Some(minor);
        self
    }

    /// Runs discovery and the engine; writes nothing.
    pub fn plan(&self) -> Plan {
        let mut diags = Diagnostics::default();
        let Some(targets) = discover::discover(self.manifest_path.as_deref(), &self.packages, &mut diags) else {
            let generated = Generated { diagnostics: diags, ..Generated::default() };
            return Plan { generated, files: Vec::new(), failure: Some(FailureKind::Workspace) };
        };
        let sources: Vec<_> = targets.iter().map(|t| t.source.clone()).collect();
        let mut generated = pipeline::run(&sources, &self.options);
        generated.diagnostics.extend(diags);
        let mut files = Vec::new();
        for (target, result) in targets.iter().zip(&generated.crates) {
            let dir = match &self.output_dir {
                Some(d) => d.clone(),
                None => target.manifest_dir.join("config/crd/bases"),
            };
            files.extend(result.files.iter().map(|f| PlannedFile { path: dir.join(&f.name), contents: f.contents.clone() }));
        }
        if generated.has_errors() {
            return Plan { generated, files: Vec::new(), failure: Some(FailureKind::Source) };
        }
        Plan { generated, files, failure: None }
    }

    /// Generates and writes every file (all or none). On failure the diagnostics say why.
    pub fn write(&self) -> Result<(Plan, Vec<PathBuf>), (Plan, FailureKind)> {
        let mut plan = self.plan();
        if let Some(kind) = plan.failure {
            return Err((plan, kind));
        }
        match output::write_all(&plan.files) {
            Ok(written) => Ok((plan, written)),
            Err(d) => {
                plan.generated.diagnostics.push(*d);
                Err((plan, FailureKind::Workspace))
            }
        }
    }

    /// Generates and compares with the files on disk; writes nothing.
    pub fn check(&self) -> Result<(Plan, Vec<Mismatch>), (Plan, FailureKind)> {
        let plan = self.plan();
        if let Some(kind) = plan.failure {
            return Err((plan, kind));
        }
        let mismatches = output::check_all(&plan.files);
        Ok((plan, mismatches))
    }

    /// For build.rs: generates the package's CRDs into `config/crd/bases` (or the output dir),
    /// tells cargo to rerun when any source file read changes, and fails the build with the
    /// diagnostics when there are errors.
    pub fn build_script(self) {
        let this = match (&self.manifest_path, std::env::var_os("CARGO_MANIFEST_DIR")) {
            (None, Some(dir)) => self.manifest_path(Path::new(&dir).join("Cargo.toml")),
            _ => self,
        };
        match this.write() {
            Ok((plan, _)) => {
                for f in plan.generated.source_files() {
                    println!("cargo::rerun-if-changed={}", f.display());
                }
                for d in plan.generated.diagnostics.iter() {
                    println!("cargo::warning={}", d.message);
                }
            }
            Err((plan, _)) => {
                eprintln!("{}", plan.generated.render_diagnostics(false));
                for f in plan.generated.source_files() {
                    println!("cargo::rerun-if-changed={}", f.display());
                }
                println!("cargo::error=crd-gen: could not generate CRDs (see the output above)");
                std::process::exit(1);
            }
        }
    }
}
