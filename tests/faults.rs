//! Faults injected into real runs of the binary on a crate of 200 resources: kill -9 at random
//! points, a file-size limit (what a full disk does to a write, without root), two runs at once.
//! Whatever happens, the output directory holds whole files only (each the old or the new one),
//! the ownership record lists every file crd-gen may have written, and no temporary file survives
//! the next run.
#![cfg(unix)]

use crd_gen_tests::*;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MODULES: usize = 20;
const KINDS: usize = 10;
const DEADLINE: Duration = Duration::from_secs(120);

/// A generated crate and the output directory it is written to.
struct Big {
    krate: PathBuf,
    manifest: PathBuf,
    out: PathBuf,
}

impl Big {
    fn new(name: &str) -> Big {
        let root = scratch(name);
        let krate = root.join("crate");
        std::fs::create_dir_all(&krate).unwrap();
        let manifest = big_crate::write_manifest(&krate, "big");
        Big { krate, manifest, out: root.join("out") }
    }
    fn write_source(&self, modules: usize, kinds: usize, note: &str) {
        let _ = std::fs::remove_dir_all(self.krate.join("api"));
        big_crate::write_crate(&self.krate, modules, kinds, note);
    }
    /// Rewrites the crate's source; returns the files `manifests` generates for it.
    fn version(&self, modules: usize, kinds: usize, note: &str) -> BTreeMap<String, String> {
        self.write_source(modules, kinds, note);
        let plan = crd_gen::Generator::new().manifest_path(&self.manifest).output_dir(&self.out).plan();
        assert!(plan.failure.is_none(), "{}", plan.generated.render_diagnostics(false));
        plan.files.iter().map(|f| (name_of(&f.path), f.contents.to_string())).collect()
    }
    fn args(&self) -> Vec<String> {
        ["manifests", "--manifest-path", self.manifest.to_str().unwrap(), "--output-dir", self.out.to_str().unwrap(), "--color", "never"]
            .map(String::from)
            .to_vec()
    }
    fn command(&self) -> Command {
        let args = self.args();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        command_in(&self.krate, &refs)
    }
    fn run(&self) -> std::process::Output {
        self.command().output().unwrap()
    }
    /// Dates the manifest a minute back and runs once: crd-gen keeps cargo's answer about the
    /// workspace in the target directory then (`source/workspace_cache.rs`), so the runs after
    /// it write only their output (a file-size limit meant for the output cannot hit the cache).
    fn keep_workspace_answer(&self) {
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options().write(true).open(&self.manifest).unwrap().set_modified(then).unwrap();
        assert!(self.command().arg("--check").output().unwrap().status.code().is_some());
    }
    fn spawn(&self, log: &Path) -> Child {
        self.command().stdout(Stdio::null()).stderr(std::fs::File::create(log).unwrap()).spawn().unwrap()
    }
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// The CRD files of a directory, by name.
fn crd_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".tmp") && name.contains(".crd-gen-")
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_temp(n))
        .collect()
}

fn record(dir: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(dir.join(".crd-gen-owned")).expect("the ownership record exists");
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split_whitespace().next().unwrap().to_string()).collect()
}

/// The invariant after any fault: every CRD file is whole (one of the versions), nothing but
/// crd-gen's files is there, and the record lists every CRD file (so none can become an orphan
/// that crd-gen no longer knows it owns).
fn assert_whole(out: &Path, versions: &[&BTreeMap<String, String>], context: &str) {
    for e in std::fs::read_dir(out).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let known = name == ".crd-gen-owned" || is_temp(&name) || versions.iter().any(|v| v.contains_key(&name));
        assert!(known, "{context}: unexpected file {name}");
    }
    let listed = record(out);
    for (name, bytes) in crd_files(out) {
        let whole = versions.iter().any(|v| v.get(&name).is_some_and(|c| c.as_bytes() == bytes));
        assert!(whole, "{context}: {name} is not a whole file of any version ({} bytes)", bytes.len());
        assert!(listed.contains(&name), "{context}: {name} is on disk but not in the ownership record");
    }
}

fn assert_exactly(out: &Path, version: &BTreeMap<String, String>, context: &str) {
    let on_disk = crd_files(out);
    let names: Vec<&String> = on_disk.keys().collect();
    assert_eq!(names, version.keys().collect::<Vec<_>>(), "{context}: the CRD files are not the generated set");
    for (name, bytes) in &on_disk {
        assert!(version[name].as_bytes() == bytes.as_slice(), "{context}: {name} differs from the generated file");
    }
    assert_eq!(record(out), version.keys().cloned().collect::<BTreeSet<_>>(), "{context}: record");
    assert!(temps(out).is_empty(), "{context}: temporary files left: {:?}", temps(out));
}

/// A small xorshift generator; the seed is printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("CRD_GEN_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1);
        eprintln!("fault seed: CRD_GEN_SEED={seed}");
        Rng(seed)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > DEADLINE {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    true
}

#[test]
fn kill_9_at_any_point_leaves_whole_files_and_the_next_run_finishes_the_set() {
    let big = Big::new("faults-kill");
    let old = big.version(MODULES, KINDS, "");
    let start = Instant::now();
    let first = big.run();
    let full_run = start.elapsed();
    assert!(first.status.success(), "{}", stderr(&first));
    assert_exactly(&big.out, &old, "first run");

    // New versions remove 20 resources (kind 9 of 20 modules) and add 18 (two new modules):
    // every file changes, some go, some appear, so the record grows and shrinks in one run.
    let one = big.version(MODULES + 2, KINDS - 1, " One.");
    let two = big.version(MODULES + 2, KINDS - 1, " Two.");
    let mut rng = Rng::new();
    let log = big.out.parent().unwrap().join("kill.log");
    for round in 0..9 {
        let target = if round % 2 == 0 { &one } else { &two };
        let note = if round % 2 == 0 { " One." } else { " Two." };
        big.write_source(MODULES + 2, KINDS - 1, note);
        let first_file = big.out.join(target.keys().next().unwrap());
        let mut child = big.spawn(&log);
        let how = match round % 3 {
            0 => {
                std::thread::sleep(Duration::from_millis(rng.below(full_run.as_millis() as u64)));
                "at a random time"
            }
            1 => {
                wait_until("a temporary file", || !temps(&big.out).is_empty() || child.try_wait().unwrap().is_some());
                std::thread::sleep(Duration::from_micros(rng.below(3000)));
                "while staging"
            }
            _ => {
                let new = target.values().next().unwrap().as_bytes().to_vec();
                wait_until("the first rename", || {
                    std::fs::read(&first_file).is_ok_and(|b| b == new) || child.try_wait().unwrap().is_some()
                });
                "right after the first rename"
            }
        };
        let _ = child.kill();
        let status = child.wait().unwrap();
        let context = format!("round {round}, killed {how} ({status:?})");
        assert_whole(&big.out, &[&old, &one, &two], &context);
    }
    // The next complete run finishes the set, removes orphans and litter.
    big.write_source(MODULES + 2, KINDS - 1, " Two.");
    let last = big.run();
    assert!(last.status.success(), "{}", stderr(&last));
    assert_exactly(&big.out, &two, "after the last run");
    let check = big.command().arg("--check").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// A file-size limit makes `write` fail with EFBIG, as a full disk fails it with ENOSPC; with
/// SIGXFSZ at its default the process is killed in the middle of writing instead.
fn file_size_limit(cmd: &mut Command, bytes: u64, ignore_signal: bool) {
    // SAFETY: only async-signal-safe calls (setrlimit, signal) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if ignore_signal {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
            Ok(())
        });
    }
}

#[test]
fn a_full_disk_changes_nothing_and_a_write_killed_midway_is_cleaned_up() {
    let big = Big::new("faults-fsize");
    let old = big.version(MODULES, KINDS, "");
    assert!(big.run().status.success());
    let before = snapshot_tree(&big.out);
    let new = big.version(MODULES, KINDS, " Longer documentation, so that every file grows.");
    big.keep_workspace_answer();
    // Room for the smaller files but not the largest: some are staged before one fails.
    let sizes: Vec<usize> = new.values().map(String::len).collect();
    let limit = (*sizes.iter().max().unwrap() - 1) as u64;
    assert!(sizes.iter().any(|&s| (s as u64) <= limit), "the files must differ in size");

    let mut cmd = big.command();
    file_size_limit(&mut cmd, limit, true);
    let full = cmd.output().unwrap();
    let err = stderr(&full);
    assert_eq!(full.status.code(), Some(2), "{err}");
    assert!(err.contains("File too large") && err.contains("a file-size limit (`ulimit -f`) stopped the write"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    let changes = tree_changes(&before, &snapshot_tree(&big.out));
    assert!(changes.is_empty(), "a failed write changed the output directory: {changes:?}");

    // Killed by SIGXFSZ mid-write: the old files stay whole; only crd-gen's temporary files remain.
    let mut cmd = big.command();
    file_size_limit(&mut cmd, limit, false);
    let killed = cmd.output().unwrap();
    assert_eq!(killed.status.signal(), Some(libc::SIGXFSZ), "{}", stderr(&killed));
    assert!(crd_files(&big.out) == crd_files_of(&old), "the old files must stay whole");
    let left = temps(&big.out);
    assert!(!left.is_empty(), "a killed write leaves its temporary files");

    let next = big.run();
    let err = stderr(&next);
    assert!(next.status.success(), "{err}");
    for t in &left {
        assert!(
            err.contains(&format!("removed {} (a temporary file left by an interrupted run)", big.out.join(t).display())),
            "{t}: {err}"
        );
    }
    assert_exactly(&big.out, &new, "after the next run");
}

fn crd_files_of(version: &BTreeMap<String, String>) -> BTreeMap<String, Vec<u8>> {
    version.iter().map(|(k, v)| (k.clone(), v.as_bytes().to_vec())).collect()
}

#[test]
fn a_live_runs_temporary_files_are_never_removed_and_two_runs_at_once_serialize() {
    let big = Big::new("faults-live");
    let old = big.version(4, KINDS, "");
    assert!(big.run().status.success());
    let new = big.version(4, KINDS, " New.");

    // Another run is writing: it holds the directory's lock and has a temporary file there.
    let lock = std::fs::File::open(&big.out).unwrap();
    lock.lock().unwrap();
    let live = big.out.join(format!(".{}.crd-gen-{}-0.tmp", old.keys().next().unwrap(), std::process::id()));
    std::fs::write(&live, "half a file").unwrap();
    let log = big.out.parent().unwrap().join("live.log");
    let mut child = big.spawn(&log);
    let waiting = format!("crd-gen: waiting for another crd-gen run to finish writing {}", big.out.canonicalize().unwrap().display());
    wait_until("the waiting message", || std::fs::read_to_string(&log).unwrap_or_default().contains(&waiting));
    std::thread::sleep(Duration::from_millis(300));
    assert!(live.exists(), "the live run's temporary file was removed");
    assert!(crd_files(&big.out) == crd_files_of(&old), "files changed while another run held the lock");
    // That run dies without cleaning up: its file is stale now, and is removed.
    drop(lock);
    assert!(child.wait().unwrap().success(), "{}", std::fs::read_to_string(&log).unwrap());
    let err = std::fs::read_to_string(&log).unwrap();
    assert!(err.contains(&format!("removed {} (a temporary file left by an interrupted run)", live.display())), "{err}");
    assert_exactly(&big.out, &new, "after waiting");

    // Two real runs at once, of two versions: each finishes, and the directory holds one whole
    // version (the lock serializes the writes), never a mix.
    let other = Big { krate: big.krate.parent().unwrap().join("crate2"), manifest: PathBuf::new(), out: big.out.clone() };
    std::fs::create_dir_all(&other.krate).unwrap();
    let other = Big { manifest: big_crate::write_manifest(&other.krate, "big"), ..other };
    let mine = big.version(4, KINDS, " Mine.");
    let theirs = other.version(4, KINDS, " Theirs.");
    for round in 0..4 {
        let (log_a, log_b) = (big.out.parent().unwrap().join("a.log"), big.out.parent().unwrap().join("b.log"));
        let (mut a, mut b) = (big.spawn(&log_a), other.spawn(&log_b));
        assert!(a.wait().unwrap().success(), "{}", std::fs::read_to_string(&log_a).unwrap());
        assert!(b.wait().unwrap().success(), "{}", std::fs::read_to_string(&log_b).unwrap());
        let on_disk = crd_files(&big.out);
        assert!(on_disk == crd_files_of(&mine) || on_disk == crd_files_of(&theirs), "round {round}: a mix of two runs");
        assert!(temps(&big.out).is_empty(), "round {round}: {:?}", temps(&big.out));
    }
}
