//! `cargo bench -p crd-gen --bench speed`: the figures of the README's speed table.
//!
//! For N = 10, 100, 1000 resources of the synthetic operator crate (`support/synth.rs`) it runs
//! the release CLI end to end (`cargo crd-gen manifests`, `cargo metadata` included) and
//! `manifests --check` with nothing changed, and the floor: reading and `syn`-parsing the same
//! files crd-gen reads, on one thread, plus `cargo metadata --no-deps` alone (where the sources
//! are: crd-gen reads the rest from Cargo.lock). It does so in `--runs` rounds of one of each, so
//! that a run and the floor it is compared with see the same load on a shared machine; each
//! figure is the median over the rounds (peak RSS of the process from `wait4`), and the ratio to
//! the floor the median of the rounds' ratios. Then the fixtures (Guestbook, CronJob with
//! k8s-openapi types) and, with `--build-rs`, a no-op rebuild of `fixtures/build-rs`.
//!
//! Options (after `--`): `--runs 5`, `--sizes 10,100,1000`, `--status conditions|plain|none`,
//! `--per-module 10`, `--build-rs`. `CRD_GEN_BIN=path` times another build of the CLI.

#[path = "support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    runs: usize,
    sizes: Vec<usize>,
    status: synth::Status,
    per_module: usize,
    build_rs: bool,
    /// Child modes: print the files crd-gen reads for this manifest, one per line...
    floor_list: Option<PathBuf>,
    /// ...or read and parse the files this file lists, `--runs` times, and print `files micros`.
    floor: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        runs: 5,
        sizes: vec![10, 100, 1000],
        status: synth::Status::Conditions,
        per_module: 10,
        build_rs: false,
        floor_list: None,
        floor: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => a.runs = value().parse().expect("--runs N"),
            "--sizes" => a.sizes = value().split(',').map(|s| s.parse().expect("--sizes 10,100")).collect(),
            "--status" => a.status = synth::Status::parse(&value()).expect("--status conditions|plain|none"),
            "--per-module" => a.per_module = value().parse().expect("--per-module N"),
            "--build-rs" => a.build_rs = true,
            "--floor-list" => a.floor_list = Some(value().into()),
            "--floor" => a.floor = Some(value().into()),
            "--bench" => {}
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// One child process run: wall time and peak resident set.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    /// User + system CPU time: less disturbed than wall time by other load on the machine.
    cpu: Duration,
    peak_kib: u64,
}

fn run_child(cmd: &mut Command) -> Sample {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).spawn().expect("spawn");
    let (status, cpu, peak_kib) = wait_with_peak(child);
    let wall = start.elapsed();
    assert!(status == 0, "{cmd:?} exited with {status}");
    Sample { wall, cpu, peak_kib }
}

#[cfg(target_os = "linux")]
fn wait_with_peak(child: std::process::Child) -> (i32, Duration, u64) {
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, once; usage and status are valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    let time = |t: libc::timeval| Duration::from_micros(t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64);
    (libc::WEXITSTATUS(status), time(usage.ru_utime) + time(usage.ru_stime), usage.ru_maxrss as u64)
}

#[cfg(not(target_os = "linux"))]
fn wait_with_peak(mut child: std::process::Child) -> (i32, Duration, u64) {
    (child.wait().expect("wait").code().unwrap_or(-1), Duration::ZERO, 0)
}

fn median(mut samples: Vec<Sample>) -> Sample {
    let mid = samples.len() / 2;
    samples.sort_by_key(|s| s.cpu);
    let cpu = samples[mid].cpu;
    samples.sort_by_key(|s| s.wall);
    Sample { wall: samples[mid].wall, cpu, peak_kib: samples.iter().map(|s| s.peak_kib).max().unwrap_or(0) }
}

fn repeat(runs: usize, mut f: impl FnMut() -> Sample) -> Sample {
    median((0..runs).map(|_| f()).collect())
}

/// The CLI built with this bench, or the one `CRD_GEN_BIN` names (to compare two builds).
fn cli() -> Command {
    let bin = std::env::var_os("CRD_GEN_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_cargo-crd-gen").into());
    let mut c = Command::new(bin);
    c.arg("crd-gen");
    c
}

/// Run as a user runs it: in the package's directory, without `--manifest-path`.
fn manifests(manifest: &Path, out: &Path, check: bool) -> Sample {
    let mut c = cli();
    c.current_dir(manifest.parent().unwrap());
    c.args(["manifests", "-q", "--output-dir"]).arg(out);
    if check {
        c.arg("--check");
    }
    run_child(&mut c)
}

/// `cargo metadata`, resolving (`no_deps` false: what a run without an up-to-date Cargo.lock
/// asks) or for the workspace only (`--no-deps`: what crd-gen asks when the lock file answers).
fn cargo_metadata(manifest: &Path, no_deps: bool) -> Sample {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = Command::new(cargo);
    c.args(["metadata", "--format-version", "1", "--manifest-path"]).arg(manifest);
    if no_deps {
        c.arg("--no-deps");
    }
    run_child(&mut c)
}

/// The floor's parts run in child processes (this program with `--floor-list`, `--floor`), so
/// that this process stays small: a child forked from a large process starts with its peak
/// resident set. This one writes the list of files crd-gen reads for `manifest` to `list`.
fn floor_files_in_child(manifest: &Path, list: &Path) {
    let out = Command::new(std::env::current_exe().unwrap()).arg("--floor-list").arg(manifest).output().expect("list the floor's files");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(list, out.stdout).expect("write the floor's file list");
}

/// [`parse_floor`] of the files `list` names, once, in a child process.
fn parse_floor_in_child(list: &Path) -> (usize, Duration) {
    let out =
        Command::new(std::env::current_exe().unwrap()).arg("--floor").arg(list).args(["--runs", "1"]).output().expect("run the floor");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let (files, micros) = text.trim().split_once(' ').expect("files micros");
    (files.parse().unwrap(), Duration::from_micros(micros.parse().unwrap()))
}

/// The files crd-gen reads for `manifest`, found by running the engine once.
fn floor_files(manifest: &Path) -> Vec<PathBuf> {
    let mut diags = crd_gen::diag::Diagnostics::default();
    let targets = crd_gen::source::discover::discover(Some(manifest), &[], &Default::default(), &mut diags).expect("discover");
    let sources: Vec<_> = targets.iter().map(|t| t.source.clone()).collect();
    let out = crd_gen::run(&sources, &crd_gen::Options::default());
    assert!(!out.has_errors(), "{}", out.render_diagnostics(false));
    out.source_files().map(Path::to_path_buf).collect()
}

/// The time to read and parse `files` (median of `runs`), the least any source-reading
/// generator must spend.
fn parse_floor(files: &[PathBuf], runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            for f in files {
                let text = std::fs::read_to_string(f).expect("read");
                std::hint::black_box(syn::parse_file(&text).expect("parse"));
            }
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Waits until the crate's manifest and layout are over a second old, as in a checkout being
/// worked on: crd-gen keeps cargo's workspace answer only for inputs not modified in the second
/// before it asked (`source/workspace_cache.rs`), and a first run then keeps it for the timed
/// ones.
fn settle(dir: &Path) {
    let newest =
        ["Cargo.toml", "Cargo.lock", "src/lib.rs"].iter().filter_map(|f| std::fs::metadata(dir.join(f)).ok()?.modified().ok()).max();
    let age = newest.and_then(|t| t.elapsed().ok()).unwrap_or_default();
    std::thread::sleep(Duration::from_millis(1100).saturating_sub(age));
    manifests(&dir.join("Cargo.toml"), &dir.join("crds"), false);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn bench_size(a: &Args, root: &Path, n: usize) {
    let dir = root.join(format!("synth-{n}"));
    let manifest = synth::write(&dir, n, a.per_module, a.status);
    // Resolves and writes the crate's Cargo.lock once, so every timed run only reads it.
    cargo_metadata(&manifest, false);
    settle(&dir);
    let out = dir.join("crds");
    let list = root.join(format!("synth-{n}.floor-files"));
    floor_files_in_child(&manifest, &list);
    let (mut runs, mut checks, mut metas, mut floors, mut ratios) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut files = 0;
    for _ in 0..a.runs {
        let run = manifests(&manifest, &out, false);
        checks.push(manifests(&manifest, &out, true));
        let meta = cargo_metadata(&manifest, true);
        let (n, floor) = parse_floor_in_child(&list);
        files = n;
        ratios.push(ms(run.wall) / (ms(floor) + ms(meta.wall)));
        runs.push(run);
        metas.push(meta);
        floors.push(floor);
    }
    let (run, check, meta) = (median(runs), median(checks), median(metas));
    floors.sort();
    let floor = floors[floors.len() / 2];
    ratios.sort_by(f64::total_cmp);
    let over = ratios[ratios.len() / 2];
    let yaml: u64 = std::fs::read_dir(&out).unwrap().filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    println!(
        "N={n:<5} manifests {:>7.1} ms (cpu {:>7.1} ms) {:>6.1} MiB | --check {:>7.1} ms | floor: parse {files} files {:>6.1} ms + cargo metadata --no-deps {:>5.1} ms = {:>6.1} ms ({over:.2}x) | {:.1} MB YAML",
        ms(run.wall),
        ms(run.cpu),
        mib(run.peak_kib),
        ms(check.wall),
        ms(floor),
        ms(meta.wall),
        ms(floor) + ms(meta.wall),
        yaml as f64 / 1e6
    );
}

fn bench_fixture(a: &Args, root: &Path, name: &str) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(name).join("Cargo.toml");
    let out = root.join(format!("fixture-{name}"));
    let run = repeat(a.runs, || manifests(&manifest, &out, false));
    let meta = repeat(a.runs, || cargo_metadata(&manifest, true));
    let resolving = repeat(a.runs, || cargo_metadata(&manifest, false));
    println!(
        "{name:<9} manifests {:>7.1} ms (cpu {:>7.1} ms) {:>6.1} MiB | of which cargo metadata --no-deps {:>5.1} ms (resolving: {:>5.1} ms)",
        ms(run.wall),
        ms(run.cpu),
        mib(run.peak_kib),
        ms(meta.wall),
        ms(resolving.wall)
    );
}

/// A no-op `cargo build` of fixtures/build-rs (nothing changed: cargo must not rerun build.rs),
/// and one after touching a source file (build.rs reruns the engine, unoptimized as build
/// scripts are, and the crate recompiles).
fn bench_build_rs(a: &Args) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build = || {
        let mut c = Command::new(&cargo);
        c.args(["build", "-q", "--locked", "-p", "build-rs"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        run_child(&mut c)
    };
    build();
    let noop = repeat(a.runs, build);
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/build-rs/src/lib.rs");
    let touched = repeat(a.runs, || {
        let f = std::fs::File::options().append(true).open(&lib).expect("open lib.rs");
        f.set_modified(std::time::SystemTime::now()).expect("touch");
        build()
    });
    println!("build.rs  no-op rebuild {:>7.1} ms | after touching src/lib.rs {:>7.1} ms", ms(noop.wall), ms(touched.wall));
}

fn main() {
    let a = args();
    if let Some(manifest) = &a.floor_list {
        for f in floor_files(manifest) {
            println!("{}", f.display());
        }
        return;
    }
    if let Some(list) = &a.floor {
        let files: Vec<PathBuf> = std::fs::read_to_string(list).expect("read the file list").lines().map(PathBuf::from).collect();
        println!("{} {}", files.len(), parse_floor(&files, a.runs).as_micros());
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/crd-gen-speed");
    std::fs::create_dir_all(&root).unwrap();
    println!(
        "median of {} rounds (each: manifests, --check, the floor); status shape {:?}; {} resources per module",
        a.runs, a.status, a.per_module
    );
    for &n in &a.sizes {
        bench_size(&a, &root, n);
    }
    bench_fixture(&a, &root, "guestbook");
    bench_fixture(&a, &root, "cronjob");
    if a.build_rs {
        bench_build_rs(&a);
    }
}
