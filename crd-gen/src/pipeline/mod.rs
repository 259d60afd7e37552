//! The engine's stages in order, for a set of crates:
//! load -> collect -> lower -> assemble -> validate -> emit.
//! Every front end (CLI, build.rs, derive) ends up here.

use crate::assemble::{self, LoweredVersion};
use crate::collect;
use crate::crd::CustomResourceDefinition;
use crate::diag::{Diagnostics, SourceMap};
use crate::emit;
use crate::lower::{Env, Lowerer};
use crate::source::resolve::Resolver;
use crate::source::{CrateSource, Program};
use crate::validate;
use std::rc::Rc;
use std::sync::Arc;

mod workers;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// controller-gen's maxDescLen: 0 drops descriptions, N truncates them.
    pub max_desc_len: Option<usize>,
    /// The `cfg` options of the build (target, profile, `--cfg`); features are per crate.
    pub cfg: crate::source::cfg::BuildCfg,
    /// The Kubernetes version (its minor: 34 for 1.34) whose API server must accept the CRDs'
    /// CEL rules. Default: the `v1_NN` feature of each crate's k8s-openapi dependency, else the
    /// newest version crd-gen's CEL table knows.
    pub kube_version: Option<u32>,
    /// How many threads the engine runs on (`-j`): default one per 128 KiB of the crates'
    /// source, at most one per core. The files are the same bytes whatever the number.
    pub jobs: Option<usize>,
    /// Frees each CRD once its YAML is made, keeping only the YAML ([`CrdFile::crd`] is None):
    /// for a caller that only writes or compares files (the CLI), the schemas of a thousand CRDs
    /// are no longer held beside their YAML.
    pub drop_crds: bool,
}

/// One generated file.
#[derive(Clone, Debug)]
pub struct CrdFile {
    /// `<group>_<plural>.yaml`
    pub name: String,
    pub contents: Arc<str>,
    /// The CRD the YAML was made from; None when [`Options::drop_crds`] freed it.
    pub crd: Option<CustomResourceDefinition>,
}

impl CrdFile {
    /// The CRD the YAML was made from (kept unless [`Options::drop_crds`]).
    pub fn crd(&self) -> &CustomResourceDefinition {
        self.crd.as_ref().expect("the CRD is kept unless `Options::drop_crds` is set")
    }
}

/// What the engine made of one crate.
#[derive(Debug)]
pub struct CrateResult {
    pub source: Arc<CrateSource>,
    pub files: Vec<CrdFile>,
    /// The root types the derive generates for the crate's spec structs.
    pub roots: Vec<crate::roots::index::RootEntry>,
}

/// The engine's answer: files per crate, and every diagnostic. When `diagnostics` has errors,
/// nothing may be written.
#[derive(Debug, Default)]
pub struct Generated {
    pub crates: Vec<CrateResult>,
    pub diagnostics: Diagnostics,
    pub sources: SourceMap,
}

impl Generated {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
    pub fn render_diagnostics(&self, color: bool) -> String {
        self.diagnostics.render(&self.sources, color)
    }
    /// All source files read, for build.rs `rerun-if-changed`.
    pub fn source_files(&self) -> impl Iterator<Item = &std::path::Path> {
        (0..).map_while(move |i| self.sources.try_get(crate::diag::FileId(i)).map(|f| f.path.as_path()))
    }
}

/// The engine's stack. Every stage recurses over what it reads (nested modules and imports,
/// nested types, schemas, JSON values, CEL expressions), and unoptimized builds (build.rs runs
/// crd-gen unoptimized) take up to ~25 KiB of stack per level, so the engine runs on a thread
/// whose stack holds tens of thousands of levels; the stages bound their depth below that
/// (`MAX_NESTING` in lower/, `MAX_DEPTH` in lookup) with an error that says so. Only the pages
/// touched are ever committed.
const ENGINE_STACK: usize = if cfg!(target_pointer_width = "64") { 1 << 30 } else { 1 << 28 };

/// The stacks tried in turn: the engine's, then smaller ones that an address-space limit
/// (`ulimit -v`) beside an allocator's reserved arenas may still allow (the depth limits are
/// reached within a quarter of the engine's stack in an optimized build).
const STACKS: [usize; 3] = [ENGINE_STACK, ENGINE_STACK / 2, ENGINE_STACK / 4];

/// Runs `f` on a thread with the engine's stack (on this thread if none can be made).
pub fn on_engine_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let once = std::sync::Mutex::new(Some(f));
    let take = || once.lock().unwrap_or_else(|e| e.into_inner()).take().expect("runs once");
    std::thread::scope(|s| {
        for size in STACKS {
            let thread = std::thread::Builder::new().name("crd-gen engine".into()).stack_size(size);
            if let Ok(h) = thread.spawn_scoped(s, || take()()) {
                return h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        }
        take()()
    })
}

/// Starts `f` on a thread named `name` with the largest of [`STACKS`] the system gives; `f` back
/// when it gives none.
fn spawn_engine<T, F>(name: String, f: F) -> Result<std::thread::JoinHandle<T>, F>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let job = Arc::new(std::sync::Mutex::new(Some(f)));
    let take = |job: &std::sync::Mutex<Option<F>>| job.lock().unwrap_or_else(|e| e.into_inner()).take();
    for size in STACKS {
        let mine = job.clone();
        let thread = std::thread::Builder::new().name(name.clone()).stack_size(size);
        if let Ok(h) = thread.spawn(move || take(&mine).expect("runs once")()) {
            return Ok(h);
        }
    }
    Err(take(&job).expect("no thread took it"))
}

pub fn run(crates: &[Arc<CrateSource>], options: &Options) -> Generated {
    let jobs = options.jobs.unwrap_or_else(|| default_jobs(crates));
    if jobs > 1
        && let Some(generated) = workers::run(crates, options, jobs)
    {
        return generated;
    }
    let owned = (crates.to_vec(), options.clone());
    match spawn_engine("crd-gen engine".into(), move || run_here(&owned.0, &owned.1)) {
        Ok(h) => h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(_) => run_here(crates, options),
    }
}

/// One worker per [`BYTES_PER_WORKER`](crate::source::partition::BYTES_PER_WORKER) of the target
/// crates' source below their root files, at most one per core.
fn default_jobs(crates: &[Arc<CrateSource>]) -> usize {
    use crate::source::partition::{BYTES_PER_WORKER, source_bytes, workers_for};
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        return 1;
    }
    // Workers share the files below the crate root: a crate of one file has nothing to share.
    let root_size = |c: &CrateSource| std::fs::metadata(&c.root_file).map_or(0, |m| m.len());
    let limit = BYTES_PER_WORKER * cores as u64 + crates.iter().map(|c| root_size(c)).sum::<u64>();
    let below_roots = crates.iter().filter_map(|c| Some(source_bytes(c.root_file.parent()?, limit).saturating_sub(root_size(c)))).sum();
    workers_for(below_roots, cores)
}

/// One thread's engine: the crates it read and what it learnt of them. Attributes read and types
/// lowered are kept until every crate is lowered: a type two crates use is read, lowered and
/// reported once.
struct Engine {
    program: Program,
    attrs: crate::attrs::Memo,
    cache: crate::lower::Cache,
    out: Generated,
    time: crate::timings::Stages,
}

/// A crate's resources as read and lowered.
struct Read {
    id: crate::source::CrateId,
    /// The crate's resources this thread found (all of them, on one thread), lowered.
    versions: Vec<LoweredVersion>,
    /// Resources seen, skipped ones included (a crate of only skipped ones is not an error).
    seen: usize,
    scanned: crate::hidden::Scanned,
}

impl Engine {
    fn new(options: &Options, thread: String) -> Engine {
        Engine {
            program: Program::with_cfg(options.cfg.clone()).knowing(crate::lower::known::is_known),
            attrs: crate::attrs::Memo::default(),
            cache: crate::lower::Cache::default(),
            out: Generated::default(),
            time: crate::timings::Stages::start(thread),
        }
    }

    /// Reads a crate (or this worker's share of it) module by module, collecting and lowering
    /// each module's resources as it is read and forgetting its parsed items once they are: the
    /// trees of a whole crate (most of a run's memory) never exist at once.
    fn read(&mut self, source: &Arc<CrateSource>, share: Option<crate::source::partition::Share<'_>>) -> Read {
        let out = &mut self.out;
        let id = self.program.add_crate(source.clone());
        let mut owned = match share {
            Some(share) => Some(self.program.plan_share(id, share, &mut out.sources, &mut out.diagnostics)),
            None => {
                self.program.crates[id.0].is_target = true;
                None
            }
        };
        let mut read = Read { id, versions: Vec::new(), seen: 0, scanned: Default::default() };
        // Modules are numbered as they are declared, so this also reaches the ones that reading
        // an earlier one declares.
        let mut m = 0;
        while m < self.program.krate(id).modules.len() {
            let module = crate::source::ModId(m);
            m += 1;
            if owned.as_mut().is_none_or(|o| o.take(self.program.krate(id), module)) {
                self.read_module(crate::source::Scope { krate: id, module }, &mut read);
            }
        }
        read.scanned.settle(&mut self.out.diagnostics);
        self.time.flush();
        read
    }

    /// Reads one module, then collects, checks and lowers its resources.
    fn read_module(&mut self, scope: crate::source::Scope, read: &mut Read) {
        let out = &mut self.out;
        self.program.load_module(scope, &mut out.sources, &mut out.diagnostics);
        self.time.add("read and parse");
        let collected = collect::collect_module(&self.program, scope, &mut self.attrs, &mut out.diagnostics);
        read.scanned.scan_module(&self.program, &out.sources, scope, &mut out.diagnostics);
        crate::roots::check_collisions(&self.program, &collected.decls, &mut out.diagnostics);
        self.time.add("collect");
        read.seen += collected.decls.len() + collected.skipped;
        read.versions.extend(self.lower(collected.decls));
        self.program.forget_items(scope);
    }

    /// Lowers `decls`: the last stage that reads the parsed trees.
    fn lower(&mut self, decls: Vec<collect::ResourceDecl>) -> Vec<LoweredVersion> {
        if decls.is_empty() {
            return Vec::new();
        }
        let out = &mut self.out;
        let mut versions = Vec::with_capacity(decls.len());
        let res = Resolver { program: &mut self.program, sources: &mut out.sources, diags: &mut out.diagnostics };
        let mut lw = Lowerer::new(res, &mut self.attrs, &mut self.cache);
        for decl in decls {
            lw.attrs.keep(decl.item, decl.attrs.clone());
            let env = Env::new(decl.item.scope);
            let spec = lw.lower_resource_spec(decl.item);
            let status = decl.status.as_ref().map(|(ty, _)| lw.lower_type(ty, &env).schema);
            let file = lw.res.program.file_of(decl.item.scope);
            versions.push(LoweredVersion { decl, file, spec, status });
            // Most of a resource's types are its own: what their attributes said is in its
            // schema now, and keeping them all would add a third to the peak.
            lw.attrs.forget_items();
        }
        // What serde says of the spec struct's fields is in the schema now; assembling reads
        // only the resource's own markers.
        for v in &mut versions {
            if let Some(attrs) = Rc::get_mut(&mut v.decl.attrs) {
                attrs.serde = None;
            }
        }
        self.time.add("lower");
        versions
    }

    /// Frees the parsed trees, the attributes read from them and the types lowered: once every
    /// crate is lowered nothing reads them, and they are as large as all the CRDs and their YAML.
    fn forget_trees(&mut self) {
        self.program = Program::default();
        self.attrs = crate::attrs::Memo::default();
        self.cache = crate::lower::Cache::default();
        self.time.lap("free the trees");
    }

    /// Assembles, validates and emits the CRDs of a crate's lowered resources.
    fn finish(&mut self, source: &Arc<CrateSource>, lowered: Lowered, options: &Options, emit: Emit) -> CrateResult {
        let out = &mut self.out;
        let Lowered { mut versions, derived } = lowered;
        // In source order, whichever worker read which module first: what assembling reports
        // (which of two kinds with one plural is the second) does not depend on it then.
        versions.sort_by_cached_key(|v| (out.sources.get(v.decl.loc.file).path.clone(), v.decl.loc.line, v.decl.loc.col));
        let mut crds = assemble::assemble(versions, &mut out.diagnostics);
        self.time.lap("assemble");
        if let Some(max) = options.max_desc_len {
            for c in &mut crds {
                for v in &mut c.crd.spec.versions {
                    v.schema.open_api_v3_schema.truncate_descriptions(max);
                }
            }
        }
        // The root types' facts come from the assembled CRDs, which emitting consumes; they
        // are kept only when nothing failed, as the files are.
        let roots = crate::roots::entries(&derived, &crds, &out.sources);
        let files = validate_and_emit(crds, kube_target(source, options), &mut out.diagnostics, emit, options.drop_crds);
        self.time.lap("validate and emit");
        let mut roots = if out.diagnostics.has_errors() { Vec::new() } else { roots };
        // The index is written in this order, whichever worker found which root.
        roots.sort_by(|a, b| (&a.file, &a.spec).cmp(&(&b.file, &b.spec)));
        CrateResult { source: source.clone(), files, roots }
    }
}

/// A crate's resources lowered: what assembling needs, none of it pointing into a parsed tree.
struct Lowered {
    versions: Vec<LoweredVersion>,
    /// The resources whose spec struct derives `CustomResource` (they get a root type).
    derived: Vec<collect::ResourceDecl>,
}

impl Lowered {
    fn of(versions: Vec<LoweredVersion>) -> Lowered {
        let derived = versions.iter().filter(|v| v.decl.derives_custom_resource).map(|v| v.decl.clone()).collect();
        Lowered { versions, derived }
    }
}

fn run_here(crates: &[Arc<CrateSource>], options: &Options) -> Generated {
    let mut engine = Engine::new(options, "engine".into());
    let (mut hidden, mut seen, mut lowered) = (Vec::new(), 0, Vec::new());
    for source in crates {
        let read = engine.read(source, None);
        seen += read.seen;
        hidden.extend(read.scanned.hidden);
        lowered.push(Lowered::of(read.versions));
    }
    engine.forget_trees();
    for (source, lowered) in crates.iter().zip(lowered) {
        let result = engine.finish(source, lowered, options, Emit::OnSecondThread);
        engine.out.crates.push(result);
    }
    // Exit 0 with nothing written would hide a resource crd-gen could not see.
    if seen == 0 && !crates.is_empty() && !engine.out.diagnostics.has_errors() {
        engine.out.diagnostics.push(crate::hidden::no_resources(crates, &hidden));
    }
    engine.out
}

/// Where YAML is emitted: beside validation on a second thread, or (when every core already has
/// a worker) on the validating thread.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    OnSecondThread,
    Here,
}

/// Validates the CRDs and makes their YAML, on two threads: each CRD's JSON, made once for
/// both, goes to an emitter thread (it is `Send`, the CRD's source references are not) when the
/// engine thread has validated it, and is dropped there once written as YAML, so at most a few
/// CRDs' JSON exist at a time. The YAML is kept only when nothing failed (nothing is written
/// then), and each CRD only when `drop_crds` is not set. Validation of a schema that already
/// failed to lower would only repeat those errors, so then neither runs.
fn validate_and_emit(
    crds: Vec<assemble::AssembledCrd>,
    kube: validate::cel::KubeTarget,
    diags: &mut Diagnostics,
    emit: Emit,
    drop_crds: bool,
) -> Vec<CrdFile> {
    if diags.has_errors() {
        return Vec::new();
    }
    let mut kept = Vec::with_capacity(crds.len());
    let mut validated = |a: assemble::AssembledCrd, diags: &mut Diagnostics| {
        let json = a.crd.to_json();
        validate::validate(&a, &json, kube, diags);
        kept.push((a.crd.file_name(), (!drop_crds).then_some(a.crd)));
        json
    };
    let yaml = if emit == Emit::Here {
        crds.into_iter().map(|a| emit::to_yaml(&validated(a, diags))).collect()
    } else {
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<serde_json::Value>(4);
            // The emitter recurses over the JSON (whose depth is checked first), as the engine does.
            let emitter = std::thread::Builder::new().name("crd-gen emit".into()).stack_size(ENGINE_STACK);
            let emitting = emitter.spawn_scoped(s, move || rx.into_iter().map(|json| emit::to_yaml(&json)).collect::<Vec<_>>());
            let mut here = Vec::new();
            for a in crds {
                let json = validated(a, diags);
                if emitting.is_ok() {
                    tx.send(json).expect("the emitter runs until the channel closes");
                } else {
                    here.push(emit::to_yaml(&json));
                }
            }
            drop(tx);
            match emitting {
                Ok(h) => h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => here,
            }
        })
    };
    if diags.has_errors() {
        return Vec::new();
    }
    kept.into_iter().zip(yaml).map(|((name, crd), contents)| CrdFile { name, contents: contents.into(), crd }).collect()
}

/// The version CEL rules are checked for: the option, else the crate's k8s-openapi feature.
fn kube_target(source: &CrateSource, options: &Options) -> validate::cel::KubeTarget {
    use validate::cel::{KubeTarget, TargetFrom};
    match (options.kube_version, crate::source::cfg::k8s_openapi_minor(source)) {
        (Some(minor), _) => KubeTarget { minor, from: TargetFrom::Option },
        (None, Some(minor)) => KubeTarget { minor, from: TargetFrom::K8sOpenapi },
        (None, None) => KubeTarget::default(),
    }
}

/// Runs the engine on one in-memory `lib.rs` (for unit tests of the stages).
#[cfg(test)]
pub(crate) fn run_source(src: &str) -> Generated {
    run_files(&[("lib.rs", src)])
}

/// Asserts that the engine reports, on `src`, a diagnostic of `severity` whose message starts
/// with `message` at line `line` of lib.rs: one line per rule in the tests of the module that
/// owns it.
#[cfg(test)]
#[track_caller]
fn assert_reported(src: &str, severity: crate::diag::Severity, message: &str, line: usize) {
    let g = run_source(src);
    let found = g.diagnostics.iter().any(|d| {
        d.severity == severity && d.message.starts_with(message) && matches!(d.place, crate::diag::Place::Source(loc) if loc.line == line)
    });
    assert!(found, "no {severity:?} `{message}..` at lib.rs:{line}:\n{}\n--- source:\n{src}", g.render_diagnostics(false));
}

/// A spec struct whose field `v` (on line 4) has type `ty` and `markers`, for the one-line rule
/// tests of the validators.
#[cfg(test)]
pub(crate) fn spec_with_field(markers: &str, ty: &str) -> String {
    format!(
        "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{\n    #[crd({markers})] pub v: {ty},\n}}\n"
    )
}

#[cfg(test)]
#[track_caller]
pub(crate) fn assert_error(src: &str, message: &str, line: usize) {
    assert_reported(src, crate::diag::Severity::Error, message, line);
}

#[cfg(test)]
#[track_caller]
pub(crate) fn assert_warning(src: &str, message: &str, line: usize) {
    assert_reported(src, crate::diag::Severity::Warning, message, line);
}

/// Runs the engine on a crate of in-memory files (`lib.rs` first), written to a temp directory.
#[cfg(test)]
pub(crate) fn run_files(files: &[(&str, &str)]) -> Generated {
    run_files_with(files, &Options::default())
}

/// [`run_files`] with `options`.
#[cfg(test)]
pub(crate) fn run_files_with(files: &[(&str, &str)], options: &Options) -> Generated {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("crd-gen-unit-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("in the dir")).expect("temp dir");
        std::fs::write(&path, text).expect("write source");
    }
    let source = Arc::new(CrateSource::standalone("unit", dir.join("lib.rs")));
    let out = run(&[source], options);
    let _ = std::fs::remove_dir_all(&dir);
    assert_reported_once(&out);
    out
}

/// Each problem is found once: no diagnostic is reported twice at one place.
#[cfg(test)]
#[track_caller]
fn assert_reported_once(g: &Generated) {
    let all: Vec<_> = g.diagnostics.iter().map(|d| (format!("{:?}", d.place), d.message.clone())).collect();
    for (i, d) in all.iter().enumerate() {
        assert!(!all[..i].contains(d), "reported twice: {} at {}\n{}", d.1, d.0, g.render_diagnostics(false));
    }
}

/// [`diagnostics_of`] with the CEL rules checked for Kubernetes 1.`minor`.
#[cfg(test)]
pub(crate) fn diagnostics_for(src: &str, minor: u32) -> String {
    let dir = std::env::temp_dir().join(format!("crd-gen-unit-k{minor}-{}-{}", std::process::id(), src.len() ^ (src.as_ptr() as usize)));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let root = dir.join("lib.rs");
    std::fs::write(&root, src).expect("write lib.rs");
    let source = Arc::new(CrateSource::standalone("unit", root));
    let g = run(&[source], &Options { kube_version: Some(minor), ..Options::default() });
    let _ = std::fs::remove_dir_all(&dir);
    g.diagnostics.render(&g.sources, false)
}

/// The rendered diagnostics of [`run_source`], for assertions.
#[cfg(test)]
pub(crate) fn diagnostics_of(src: &str) -> String {
    let g = run_source(src);
    g.diagnostics.render(&g.sources, false)
}

#[cfg(test)]
mod tests {
    /// Dropping the CRDs changes no byte of the files, on one thread and on workers.
    #[test]
    fn dropped_crds_leave_the_same_yaml() {
        let module = |i: usize| {
            format!(
                "#[derive(CustomResource)]\n#[crd(group = \"g{i}.example.com\", version = \"v1\")]\npub struct K{i}Spec {{ #[crd(minimum = {i})] pub a: i32 }}\n"
            )
        };
        let sources: Vec<(String, String)> = (0..6).map(|i| (format!("m{i}.rs"), module(i))).collect();
        let lib: String = (0..6).map(|i| format!("mod m{i};\n")).collect();
        let mut files = vec![("lib.rs", lib.as_str())];
        files.extend(sources.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let kept = super::run_files(&files);
        for jobs in [1, 2] {
            let options = super::Options { drop_crds: true, jobs: Some(jobs), ..Default::default() };
            let dropped = super::run_files_with(&files, &options);
            let yaml =
                |g: &super::Generated| g.crates[0].files.iter().map(|f| (f.name.clone(), f.contents.to_string())).collect::<Vec<_>>();
            assert_eq!(yaml(&dropped), yaml(&kept), "-j {jobs}");
            assert_eq!(yaml(&kept).len(), 6);
            assert!(dropped.crates[0].files.iter().all(|f| f.crd.is_none()), "-j {jobs}");
        }
    }

    /// Each module's items are forgotten once its resources are lowered: a type there that a
    /// later module's resource uses (alone, or generic with another argument) is read again,
    /// with the same schema, and its problems are reported once.
    #[test]
    fn types_of_a_module_already_lowered_are_read_again() {
        let a = |marker: &str| {
            format!(
                "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct AlphaSpec {{ pub pair: Pair<i64> }}\n\
                 /// A pair.\npub struct Pair<T> {{ pub v: T, #[crd({marker})] pub n: i32 }}\n/// Only beta's.\npub struct OnlyBeta {{ #[crd(max_length = 4)] pub s: String }}\n"
            )
        };
        let b = "#[derive(CustomResource)]\n#[crd(group = \"b.example.com\", version = \"v1\")]\n\
                 pub struct BetaSpec { pub pair: crate::a::Pair<String>, pub only: crate::a::OnlyBeta }\n";
        let g = super::run_files(&[("lib.rs", "mod a;\nmod b;\n"), ("a.rs", &a("minimum = 3")), ("b.rs", b)]);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let beta = &g.crates[0].files.iter().find(|f| f.name.starts_with("b.example.com")).expect("beta's CRD").contents;
        for expected in ["description: A pair.", "minimum: 3", "description: Only beta's.", "maxLength: 4"] {
            assert!(beta.contains(expected), "no `{expected}` in\n{beta}");
        }
        let g = super::run_files(&[("lib.rs", "mod a;\nmod b;\n"), ("a.rs", &a("minimun = 3")), ("b.rs", b)]);
        let d = g.render_diagnostics(false);
        assert!(d.contains("a.rs:5:") && d.matches("minimun").count() >= 1, "{d}");
    }

    /// The YAML made on the emitter thread, while the engine thread validates, is byte for byte
    /// what emitting each CRD on one thread gives, in the same order, for many CRDs (more than
    /// the channel holds) of several versions.
    #[test]
    fn yaml_from_the_emitter_thread_is_the_single_threaded_yaml() {
        let mut src = String::new();
        for i in 0..12 {
            for v in ["v1", "v2"] {
                let storage = if v == "v1" { ", storage_version" } else { "" };
                src.push_str(&format!(
                    "pub mod m{i}{v} {{\n/// Kind {i}.\n#[derive(CustomResource)]\n#[crd(group = \"g{i}.example.com\", version = \"{v}\", kind = \"K{i}\"{storage})]\npub struct K{i}Spec {{\n    /// A <field> & more.\n    #[crd(minimum = {i})]\n    pub a: i32,\n    pub b: Vec<String>,\n}}\n}}\n"
                ));
            }
        }
        let g = super::run_source(&src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let files = &g.crates[0].files;
        assert_eq!(files.len(), 12);
        for f in files {
            assert_eq!(*f.contents, crate::emit::to_yaml(&f.crd().to_json()), "{}", f.name);
        }
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, super::run_source(&src).crates[0].files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>());
    }
}
