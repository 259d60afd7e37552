//! [`Generator`]: the engine driven from a cargo workspace, for the CLI and for build.rs.
//!
//! In build.rs: `crd_gen::Generator::from_build_env()?.output_dir("deploy/crds").run()?;`
//! (see [`build_script`]).

mod build_script;

pub use build_script::BuildError;

use crate::diag::Diagnostics;
use crate::output::{self, OutputDir, PlannedFile};
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
    /// Set in a build script: where cargo builds the package (discovery asks cargo nothing that
    /// can wait on its locks, and the root-type index goes into OUT_DIR).
    build_env: Option<build_script::BuildEnv>,
}

/// Why a run produced no files: discovery failed (the workspace could not be read), the sources
/// have errors, the output could not be written (a path or I/O problem), or files in the output
/// directory clash with the generated ones. The CLI maps these to exit codes 2, 1, 2 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Workspace,
    Source,
    Io,
    Conflict,
}

/// What a write or check did: the plan (whose `failure` says whether it failed) and, when it did
/// not fail, the output stage's report (changes, mismatches).
pub struct Outcome {
    pub plan: Plan,
    pub report: output::Report,
}

/// Planned files of a run, with the engine's full answer.
pub struct Plan {
    pub generated: Generated,
    /// Every file, in the order `--stdout` prints them.
    pub files: Vec<PlannedFile>,
    /// The same files by output directory, with the packages writing into each.
    pub outputs: Vec<OutputDir>,
    pub failure: Option<FailureKind>,
}

/// What a run is doing, for a progress display (the CLI shows a line on a terminal when a run
/// takes more than a second). Every method has a default that does nothing.
pub trait Progress {
    /// A phase begins: "reading the workspace (cargo metadata)", "generating CRDs for 3
    /// packages", "writing 1000 files".
    fn phase(&mut self, _what: &str) {}
    /// The run waits for another crd-gen run that holds the lock of `dir`.
    fn waiting(&mut self, _dir: &Path) {}
}

/// No progress display.
pub struct NoProgress;

impl Progress for NoProgress {}

fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
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
    /// In a build script, a relative directory is taken from the package root.
    pub fn output_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        self.output_dir = Some(match &self.build_env {
            Some(env) if dir.is_relative() => env.manifest_dir.join(dir),
            _ => dir,
        });
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
    /// The Kubernetes version whose API server must accept the CEL rules, by its minor number
    /// (34 for 1.34). Default: each crate's k8s-openapi `v1_NN` feature, else the newest known.
    pub fn kube_version(mut self, minor: u32) -> Self {
        self.options.kube_version = Some(minor);
        self
    }
    /// How many threads the engine runs on (default: one per 128 KiB of source, at most one per
    /// core). The output is the same bytes whatever the number.
    pub fn jobs(mut self, n: usize) -> Self {
        self.options.jobs = Some(n.max(1));
        self
    }
    /// Keeps only each CRD's YAML, freeing the CRD once the YAML is made (`CrdFile::crd` is
    /// None): for a caller that only writes or compares files, it lowers the run's peak memory.
    pub fn drop_crds(mut self) -> Self {
        self.options.drop_crds = true;
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

    /// The packages to generate for: in a build script, the script's own package, placed without
    /// cargo's resolver where it can be (see `source::locked`).
    fn discover(&self, diags: &mut Diagnostics) -> Option<Vec<discover::TargetPackage>> {
        if let Some(env) = &self.build_env {
            match crate::source::locked::discover(&env.manifest_dir.join("Cargo.toml"), &self.features.features) {
                Ok((manifest_dir, source)) => {
                    let name = source.package.clone();
                    return Some(vec![discover::TargetPackage { name, manifest_dir, source }]);
                }
                Err(e) => diags.push(crate::diag::Diagnostic::warning(
                    format!(
                        "crd-gen asks `cargo metadata` where the dependencies are, which can wait for cargo's package cache lock: {}",
                        e.0
                    ),
                    crate::diag::Place::Nowhere,
                )),
            }
        }
        if let Some(found) = self.discover_without_resolver() {
            return Some(vec![found]);
        }
        discover::discover(self.manifest_path.as_deref(), &self.packages, &self.features, diags)
    }

    /// One package, placed from its workspace's Cargo.lock as a build script places it (see
    /// `source::locked`): `cargo metadata --no-deps` instead of cargo's resolver, which is most
    /// of a small run. Whatever the lock file cannot answer (a virtual manifest, `-p`, a stale
    /// lock: a dependency it lacks or a version the manifest no longer allows; a dependency not
    /// unpacked) goes to `cargo metadata`.
    fn discover_without_resolver(&self) -> Option<discover::TargetPackage> {
        let manifest = self.manifest_path.clone().or_else(discover::find_manifest)?;
        let f = &self.features;
        if !self.packages.is_empty() || f.all_features {
            return None;
        }
        let asked = crate::source::locked::RootFeatures::Asked { features: &f.features, default: !f.no_default_features };
        let (manifest_dir, source) = crate::source::locked::discover_package(&manifest, asked).ok()?;
        Some(discover::TargetPackage { name: source.package.clone(), manifest_dir, source })
    }

    /// Runs discovery and the engine; writes nothing.
    pub fn plan(&self) -> Plan {
        self.plan_with(&mut NoProgress)
    }

    /// [`Generator::plan`], telling `progress` each phase.
    pub fn plan_with(&self, progress: &mut dyn Progress) -> Plan {
        let mut diags = Diagnostics::default();
        let mut time = crate::timings::Stages::start("main");
        let cfg = self.build_cfg(&mut diags);
        progress.phase("reading the workspace (cargo metadata)");
        let targets = cfg.as_ref().and_then(|_| self.discover(&mut diags));
        time.lap("discover");
        let (Some(cfg), Some(targets)) = (cfg, targets) else {
            let generated = Generated { diagnostics: diags, ..Generated::default() };
            return Plan { generated, files: Vec::new(), outputs: Vec::new(), failure: Some(FailureKind::Workspace) };
        };
        let sources: Vec<_> = targets.iter().map(|t| t.source.clone()).collect();
        progress.phase(&format!("generating CRDs for {}", plural(sources.len(), "package")));
        let options = Options { cfg, ..self.options.clone() };
        let mut generated = pipeline::run(&sources, &options);
        time.lap("engine");
        generated.diagnostics.extend(diags);
        let mut files = Vec::new();
        let mut outputs: Vec<OutputDir> = Vec::new();
        for (target, result) in targets.iter().zip(&generated.crates) {
            let dir = match &self.output_dir {
                Some(d) => d.clone(),
                None => target.manifest_dir.join("config/crd/bases"),
            };
            let planned: Vec<PlannedFile> = result
                .files
                .iter()
                .map(|f| PlannedFile { path: dir.join(&f.name), contents: f.contents.clone(), package: target.name.clone() })
                .collect();
            files.extend(planned.iter().cloned());
            match outputs.iter_mut().find(|o| o.dir == dir) {
                Some(o) => {
                    o.packages.push(target.name.clone());
                    o.files.extend(planned);
                }
                None => outputs.push(OutputDir { dir, packages: vec![target.name.clone()], files: planned }),
            }
        }
        if generated.has_errors() {
            let kind = if generated.diagnostics.has_io_errors() { FailureKind::Io } else { FailureKind::Source };
            return Plan { generated, files: Vec::new(), outputs: Vec::new(), failure: Some(kind) };
        }
        Plan { generated, files, outputs, failure: None }
    }

    /// Generates and writes every file (all or none), removes orphaned CRD files crd-gen owns, and
    /// says on stderr when it waits for another run writing the same directory. On failure
    /// `plan.failure` says why and the diagnostics how.
    pub fn write(&self) -> Outcome {
        self.write_with(&mut WaitMessage)
    }

    /// [`Generator::write`], telling `progress` each phase and when it waits for another run's
    /// directory lock.
    pub fn write_with(&self, progress: &mut dyn Progress) -> Outcome {
        let plan = self.plan_with(progress);
        if plan.failure.is_some() {
            return Outcome { plan, report: output::Report::default() };
        }
        progress.phase(&format!("writing {}", plural(plan.files.len(), "file")));
        let mut time = crate::timings::Stages::start("main");
        let result = output::write_all(&plan.outputs, &mut |dir| progress.waiting(dir));
        time.lap("write");
        finish(plan, result)
    }

    /// Generates and compares with the files on disk (orphans and the ownership record
    /// included); writes nothing.
    pub fn check(&self) -> Outcome {
        self.check_with(&mut NoProgress)
    }

    /// [`Generator::check`], telling `progress` each phase.
    pub fn check_with(&self, progress: &mut dyn Progress) -> Outcome {
        let plan = self.plan_with(progress);
        if plan.failure.is_some() {
            return Outcome { plan, report: output::Report::default() };
        }
        progress.phase(&format!("comparing {} with disk", plural(plan.files.len(), "file")));
        let result = output::check_all(&plan.outputs);
        finish(plan, result)
    }
}

/// For build.rs and library users: says on stderr when the run waits for another one.
struct WaitMessage;

impl Progress for WaitMessage {
    fn waiting(&mut self, dir: &Path) {
        eprintln!("crd-gen: waiting for another crd-gen run to finish writing {}", dir.display());
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

/// The plan with the output stage's warnings, or its errors and failure kind.
fn finish(mut plan: Plan, result: Result<output::Report, output::Error>) -> Outcome {
    match result {
        Ok(mut report) => {
            for w in report.warnings.drain(..) {
                plan.generated.diagnostics.push(w);
            }
            Outcome { plan, report }
        }
        Err(e) => {
            for d in e.diagnostics {
                plan.generated.diagnostics.push(d);
            }
            plan.failure = Some(match e.kind {
                output::ErrorKind::Io => FailureKind::Io,
                output::ErrorKind::Conflict => FailureKind::Conflict,
            });
            Outcome { plan, report: output::Report::default() }
        }
    }
}
