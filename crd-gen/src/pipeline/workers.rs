//! The engine on several cores. Parsed trees are not `Send` (proc-macro2's spans point into a
//! per-thread source map), so each worker runs the whole engine over its share of each crate
//! (`source::partition`): it parses what it collects, and reads other modules on demand as any
//! run does. Only `Send` results meet: which resources each worker found (to give every kind,
//! with all its versions, to one worker), then the CRD files, root entries, diagnostics and the
//! source text they point into. The files are the single-threaded run's, byte for byte.

use super::{CrateResult, Emit, Engine, Generated, Lowered, Options};
use crate::assemble::LoweredVersion;
use crate::collect::ResourceDecl;
use crate::diag::{Diagnostics, Loc};
use crate::markers::MarkerKey;
use crate::source::partition::{Share, Taken};
use crate::source::{CrateSource, ModId};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

/// What a worker tells the others of a resource it found: enough to find it again, and the
/// names that must land on one worker (a kind's versions; kinds that may share a plural).
#[derive(Clone, Debug)]
struct Found {
    keys: Vec<String>,
    module: Vec<String>,
    ident: String,
}

impl Found {
    fn of(d: &ResourceDecl, module: Vec<String>) -> Found {
        let plural = |marker| crate::markers::names::plural_of(&d.kind, marker);
        let keys = vec![
            format!("kind {} {}", d.group, d.kind),
            format!("plural {} {}", d.group, plural(d.str(MarkerKey::Plural))),
            format!("plural {} {}", d.group, plural(None)),
        ];
        Found { keys, module, ident: d.ident.clone() }
    }
}

/// The workers' meeting point, once per crate: each posts what it found and waits for the rest.
/// A worker that panics marks it abandoned, so the others stop instead of waiting for ever.
struct Exchange {
    workers: usize,
    /// Per crate, the leaf modules taken so far.
    taken: Vec<Taken>,
    state: Mutex<Rounds>,
    changed: Condvar,
}

#[derive(Default)]
struct Rounds {
    posted: Vec<Vec<Option<Vec<Found>>>>,
    abandoned: bool,
}

impl Exchange {
    fn post(&self, round: usize, worker: usize, found: Vec<Found>) -> Option<Vec<Vec<Found>>> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while st.posted.len() <= round {
            st.posted.push(vec![None; self.workers]);
        }
        st.posted[round][worker] = Some(found);
        self.changed.notify_all();
        loop {
            if st.abandoned {
                return None;
            }
            if st.posted[round].iter().all(Option::is_some) {
                return Some(st.posted[round].iter().map(|f| f.clone().unwrap_or_default()).collect());
            }
            st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }
    fn abandon(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).abandoned = true;
        self.changed.notify_all();
    }
}

/// Marks the exchange abandoned when its worker ends without finishing (a panic unwinding).
struct Guard<'a>(&'a Exchange, bool);

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if !self.1 {
            self.0.abandon();
        }
    }
}

/// The worker of every resource found (per worker, in the order found): all resources that
/// share a key go to the worker of the first of them, so every kind is assembled whole.
fn assign(found: &[Vec<Found>]) -> Vec<Vec<usize>> {
    let all: Vec<(usize, &Found)> = found.iter().enumerate().flat_map(|(w, f)| f.iter().map(move |f| (w, f))).collect();
    let mut parent: Vec<usize> = (0..all.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, (_, f)) in all.iter().enumerate() {
        for key in &f.keys {
            let j = *first.entry(key).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            // The earlier resource stays the root, so a group's worker is its first one's.
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut out: Vec<Vec<usize>> = found.iter().map(|f| Vec::with_capacity(f.len())).collect();
    for (i, (w, _)) in all.iter().enumerate() {
        let r = root(&mut parent, i);
        out[*w].push(all[r].0);
    }
    out
}

/// One worker's answer: its crate results, diagnostics and the sources they point into.
struct WorkerOut {
    crates: Vec<(CrateResult, usize, crate::hidden::Scanned)>,
    generated: Generated,
}

fn work(worker: usize, crates: &[Arc<CrateSource>], options: &Options, exchange: &Exchange) -> Option<WorkerOut> {
    let mut engine = Engine::new(options, format!("worker{worker}"));
    let mut lowered = Vec::new();
    for (round, source) in crates.iter().enumerate() {
        let share = Share { worker, taken: &exchange.taken[round] };
        // Each worker lowers what it finds as it reads (so that it need not keep the trees);
        // a resource whose kind another worker also has versions of is then lowered again there.
        let read = engine.read(source, Some(share));
        let module_of = |d: &ResourceDecl| engine.program.module_names(read.id, d.item.scope.module);
        let found: Vec<Found> = read.versions.iter().map(|v| Found::of(&v.decl, module_of(&v.decl))).collect();
        let all = exchange.post(round, share.worker, found)?;
        let owners = assign(&all);
        let mut versions: Vec<LoweredVersion> =
            read.versions.into_iter().zip(&owners[share.worker]).filter(|(_, w)| **w == share.worker).map(|(v, _)| v).collect();
        let mut foreign = ForeignModules::default();
        let mut decls = Vec::new();
        for (w, found) in all.iter().enumerate().filter(|(w, _)| *w != share.worker) {
            for (f, _) in found.iter().zip(&owners[w]).filter(|(_, owner)| **owner == share.worker) {
                decls.extend(foreign.decl(&mut engine, read.id, f));
            }
        }
        versions.extend(engine.lower(decls));
        lowered.push((Lowered::of(versions), read.seen, read.scanned));
    }
    engine.forget_trees();
    let results = crates
        .iter()
        .zip(lowered)
        .map(|(source, (lowered, seen, scanned))| (engine.finish(source, lowered, options, Emit::Here), seen, scanned))
        .collect();
    Some(WorkerOut { crates: results, generated: engine.out })
}

/// Resources of modules another worker reads, collected here once per module.
#[derive(Default)]
struct ForeignModules {
    collected: HashMap<ModId, Vec<ResourceDecl>>,
}

impl ForeignModules {
    fn decl(&mut self, engine: &mut Engine, krate: crate::source::CrateId, f: &Found) -> Option<ResourceDecl> {
        let out = &mut engine.out;
        let module = engine.program.module_at(krate, &f.module, &mut out.sources, &mut out.diagnostics)?;
        let decls = self.collected.entry(module).or_insert_with(|| {
            crate::collect::collect_in(&engine.program, krate, &|m| m == module, &mut engine.attrs, &mut out.diagnostics).decls
        });
        decls.iter().find(|d| d.ident == f.ident).cloned()
    }
}

/// Runs the engine on `workers` threads; None when a thread could not be started (the caller
/// then runs it on one).
pub(super) fn run(crates: &[Arc<CrateSource>], options: &Options, workers: usize) -> Option<Generated> {
    let taken = crates.iter().map(|_| Taken::default()).collect();
    let exchange = Arc::new(Exchange { workers, taken, state: Mutex::default(), changed: Condvar::new() });
    let (tx, rx) = std::sync::mpsc::channel();
    let mut handles = Vec::new();
    for worker in 0..workers {
        let (crates, options, shared, tx) = (crates.to_vec(), options.clone(), exchange.clone(), tx.clone());
        let spawned = super::spawn_engine(format!("crd-gen worker {worker}"), move || {
            let mut guard = Guard(&shared, false);
            let answer = work(worker, &crates, &options, &shared);
            guard.1 = true;
            if let Some(out) = answer {
                let _ = tx.send((worker, out));
            }
        });
        match spawned {
            Ok(h) => handles.push(h),
            Err(_) => {
                // The workers started stop at the exchange; their stacks are given back before
                // the caller starts its one engine thread (under an address-space limit, the
                // stacks are what ran out).
                exchange.abandon();
                for h in handles {
                    if let Err(panic) = h.join() {
                        std::panic::resume_unwind(panic);
                    }
                }
                return None;
            }
        }
    }
    drop(tx);
    let mut outs: Vec<Option<WorkerOut>> = (0..workers).map(|_| None).collect();
    for (worker, out) in rx.iter().take(workers) {
        outs[worker] = Some(out);
    }
    if outs.iter().any(Option::is_none) {
        // A worker panicked: its panic is the answer, as on one thread.
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
        unreachable!("a worker that did not answer panicked");
    }
    Some(merge(crates, outs.into_iter().flatten().collect()))
}

/// The workers' answers as one: sources merged by path, diagnostics renumbered (one found by
/// several workers kept once), each crate's files in the single-threaded run's order.
fn merge(crates: &[Arc<CrateSource>], outs: Vec<WorkerOut>) -> Generated {
    let mut merged = Generated::default();
    let mut per_crate: Vec<(Vec<super::CrdFile>, Vec<crate::roots::index::RootEntry>)> =
        crates.iter().map(|_| Default::default()).collect();
    let (mut seen, mut hidden) = (0, Vec::new());
    let mut macros: Vec<MacroSites> = Vec::new();
    for (w, out) in outs.into_iter().enumerate() {
        let ids = merged.sources.merge(out.generated.sources);
        merged.diagnostics.merge_worker(out.generated.diagnostics, &ids);
        let relocate = |loc: Loc| Loc { file: ids[loc.file.0 as usize], ..loc };
        for (i, (result, n, scanned)) in out.crates.into_iter().enumerate() {
            per_crate[i].0.extend(result.files);
            per_crate[i].1.extend(result.roots);
            seen += n;
            hidden.extend(scanned.hidden.into_iter().map(|h| crate::hidden::Hidden { loc: relocate(h.loc), ..h }));
            let relocate_all = |v: Vec<(String, Loc)>| v.into_iter().map(|(n, l)| (n, relocate(l))).collect();
            macros.push(MacroSites {
                worker: w,
                krate: i,
                defs: relocate_all(scanned.deriving_macros),
                calls: relocate_all(scanned.other_calls),
            });
        }
    }
    match_macro_calls(&macros, &mut merged.diagnostics);
    let failed = merged.diagnostics.has_errors();
    for (source, (mut files, mut roots)) in crates.iter().zip(per_crate) {
        if failed {
            (files, roots) = (Vec::new(), Vec::new());
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        roots.sort_by(|a, b| (&a.file, &a.spec).cmp(&(&b.file, &b.spec)));
        merged.crates.push(CrateResult { source: source.clone(), files, roots });
    }
    if seen == 0 && !crates.is_empty() && !failed {
        merged.diagnostics.push(crate::hidden::no_resources(crates, &hidden));
    }
    merged
}

/// One worker's deriving `macro_rules!` and unmatched macro calls in one crate.
struct MacroSites {
    worker: usize,
    krate: usize,
    defs: Vec<(String, Loc)>,
    calls: Vec<(String, Loc)>,
}

/// A call of a deriving macro that another worker's modules of the same crate define (the calls
/// and definitions in one worker's modules met there).
fn match_macro_calls(macros: &[MacroSites], diags: &mut Diagnostics) {
    for site in macros {
        for (name, loc) in &site.calls {
            let others = macros.iter().filter(|o| o.worker != site.worker && o.krate == site.krate);
            if let Some((_, at)) = others.flat_map(|o| &o.defs).find(|(n, _)| n == name) {
                diags.push(crate::hidden::deriving_macro_call(name, *loc, *at));
            }
        }
    }
}
