//! [`Generator`]: the engine driven from a cargo workspace, for the CLI and for build.rs.
//!
//! In build.rs: `crd_gen::Generator::new().build_script();`

use crate::diag::Diagnostics;
use crate::output::{self, Mismatch, PlannedFile};
use crate::pipeline::{self, Generated, Options};
use crate::source::cfg::BuildCfg;
use crate::source::discover::{self, FeatureSelection};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct Generator {
    manifest_path: Option<PathBuf>,
    packages: Vec<String>,
    output_dir: Option<PathBuf>,
    options: Options,
    features: FeatureSelection,
    /// `--cfg` options, checked when the plan is made.
    cfgs: Vec<String>,
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
    /// Features to enable, as cargo's `--features`: each argument names one or more, separated
    /// by commas or spaces (`package/feature` for a workspace member's).
    pub fn features<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, lists: I) -> Self {
        for list in lists {
            self.features.add(list.as_ref());
        }
        self
    }
    /// cargo's `--all-features`.
    pub fn all_features(mut self) -> Self {
        self.features.all_features = true;
        self
    }
    /// cargo's `--no-default-features`.
    pub fn no_default_features(mut self) -> Self {
        self.features.no_default_features = true;
        self
    }
    /// A cfg option the build sets that crd-gen cannot know (from a build script's
    /// `cargo::rustc-cfg`): `name` or `name="value"`, as rustc's `--cfg`.
    pub fn cfg(mut self, spec: impl Into<String>) -> Self {
        self.cfgs.push(spec.into());
        self
    }

    /// The build's cfg options: the target's, `--cfg` in RUSTFLAGS (as cargo passes them to
    /// rustc), and [`Generator::cfg`].
    fn build_cfg(&self, diags: &mut Diagnostics) -> Option<BuildCfg> {
        let mut cfg = self.options.cfg.clone().with_rustflags(&rustflags());
        for spec in &self.cfgs {
            match cfg.clone().with_cfg(spec) {
                Ok(with) => cfg = with,
                Err(e) => diags.push(
                    crate::diag::Diagnostic::error(e, crate::diag::Place::Nowhere)
                        .with_help("write `--cfg name` or `--cfg 'name=\"value\"'`, as rustc takes it"),
                ),
            }
        }
        (!diags.has_errors()).then_some(cfg)
    }

    /// Runs discovery and the engine; writes nothing.
    pub fn plan(&self) -> Plan {
        let mut diags = Diagnostics::default();
        let cfg = self.build_cfg(&mut diags);
        let targets =
            cfg.as_ref().and_then(|_| discover::discover(self.manifest_path.as_deref(), &self.packages, &self.features, &mut diags));
        let (Some(cfg), Some(targets)) = (cfg, targets) else {
            let generated = Generated { diagnostics: diags, ..Generated::default() };
            return Plan { generated, files: Vec::new(), failure: Some(FailureKind::Workspace) };
        };
        let sources: Vec<_> = targets.iter().map(|t| t.source.clone()).collect();
        let options = Options { cfg, ..self.options.clone() };
        let mut generated = pipeline::run(&sources, &options);
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
    ///
    /// The package's features are the ones cargo builds it with (`CARGO_CFG_FEATURE`), and the
    /// cfg options the target's (`CARGO_CFG_*`), unless the builder set them.
    pub fn build_script(self) {
        let mut this = match (&self.manifest_path, std::env::var_os("CARGO_MANIFEST_DIR")) {
            (None, Some(dir)) => self.manifest_path(Path::new(&dir).join("Cargo.toml")),
            _ => self,
        };
        this.options.cfg = BuildCfg::from_build_script_env();
        if this.features == FeatureSelection::default() && std::env::var_os("CARGO_MANIFEST_DIR").is_some() {
            this.features.no_default_features = true;
            this.features.add(&std::env::var("CARGO_CFG_FEATURE").unwrap_or_default());
        }
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

/// The flags cargo passes to rustc from the environment (`CARGO_ENCODED_RUSTFLAGS`, else
/// `RUSTFLAGS`), where `--cfg` may stand.
fn rustflags() -> Vec<String> {
    if let Ok(encoded) = std::env::var("CARGO_ENCODED_RUSTFLAGS") {
        return encoded.split('\x1f').filter(|f| !f.is_empty()).map(str::to_string).collect();
    }
    std::env::var("RUSTFLAGS").map(|f| f.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}
