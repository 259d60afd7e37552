//! The broken-input corpus: bad input never panics and never leaves a partial output.
//!
//! Every directory under `tests/broken/` is a tiny crate with an `expect.toml`:
//!
//! ```toml
//! exit = 1                                   # the exit code: 1 source errors, 2 usage/workspace/I-O
//! at = "src/lib.rs:7"                        # where the diagnostic points (`path` alone for a whole file)
//! contains = ["unknown crd marker `min_lenght`", "did you mean `min_length`"]
//! absent = ["a misleading phrase"]          # optional: phrases the output must not contain
//! args = ["--output-dir", "{case}/out.txt"]  # optional extra arguments; `{case}` is the copy's path
//! known_gap = "what crd-gen does wrong"      # optional: list the case, skip its assertions (fails once they pass)
//! ```
//!
//! For each case the runner copies the crate to a scratch directory and runs the real binary
//! (`manifests --manifest-path <copy>/Cargo.toml --color never`, from inside the copy) twice:
//! human output and `--message-format json`. It checks the exit code, the phrases, the
//! ` --> file:line:` location (and the same file and line in a JSON diagnostic, which must carry a
//! help), that stdout is empty and every stderr line is JSON in JSON mode, that nothing panicked,
//! and that the copy's tree is byte for byte what it was (cargo metadata may add a `Cargo.lock`;
//! nothing else may appear or change). All failing cases are reported together.

use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MIN_CASES: usize = 40;
const TIMEOUT: Duration = Duration::from_secs(120);

struct Expect {
    exit: i32,
    /// File (relative to the case) and optional line.
    at_file: String,
    at_line: Option<usize>,
    contains: Vec<String>,
    absent: Vec<String>,
    args: Vec<String>,
    known_gap: Option<String>,
}

fn read_expect(dir: &Path) -> Result<Expect, String> {
    let text = std::fs::read_to_string(dir.join("expect.toml")).map_err(|e| format!("cannot read expect.toml: {e}"))?;
    let table: toml::Table = text.parse().map_err(|e| format!("expect.toml is not valid TOML: {e}"))?;
    for key in table.keys() {
        if !["exit", "at", "contains", "absent", "args", "known_gap"].contains(&key.as_str()) {
            return Err(format!("expect.toml: unknown key `{key}`"));
        }
    }
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match table.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(|| format!("expect.toml: `{key}` must be a list of strings")))
                .collect(),
            Some(_) => Err(format!("expect.toml: `{key}` must be a list of strings")),
        }
    };
    let exit = table.get("exit").and_then(toml::Value::as_integer).ok_or("expect.toml: `exit` (an integer) is required")? as i32;
    let at = table.get("at").and_then(toml::Value::as_str).ok_or("expect.toml: `at` (\"file:line\") is required")?;
    let (at_file, at_line) = match at.rsplit_once(':') {
        Some((f, l)) => (f.to_string(), Some(l.parse::<usize>().map_err(|_| format!("expect.toml: bad line in `at = {at:?}`"))?)),
        None => (at.to_string(), None),
    };
    let contains = strings("contains")?;
    if contains.is_empty() {
        return Err("expect.toml: `contains` must name at least one phrase of the message".into());
    }
    let known_gap = match table.get("known_gap") {
        None => None,
        Some(v) => Some(v.as_str().ok_or("expect.toml: `known_gap` must be a string")?.to_string()),
    };
    Ok(Expect { exit, at_file, at_line, contains, absent: strings("absent")?, args: strings("args")?, known_gap })
}

/// Runs one case in one message format; returns what is wrong (empty when all is well).
fn check_case(name: &str, case_dir: &Path, expect: &Expect, json: bool, scratch_root: &Path) -> Vec<String> {
    let format = if json { "json" } else { "human" };
    let copy = scratch_root.join(format).join(name);
    copy_dir(case_dir, &copy);
    std::fs::remove_file(copy.join("expect.toml")).expect("remove expect.toml from the copy");
    let copy = copy.canonicalize().expect("canonical scratch path");
    let copy_str = copy.to_str().expect("UTF-8 scratch path").to_string();

    let mut args: Vec<String> =
        ["manifests", "--manifest-path", &format!("{copy_str}/Cargo.toml"), "--color", "never"].iter().map(|s| s.to_string()).collect();
    if json {
        args.extend(["--message-format".to_string(), "json".to_string()]);
    }
    args.extend(expect.args.iter().map(|a| a.replace("{case}", &copy_str)));

    let before = snapshot_tree(&copy);
    let Some(out) = run_with_timeout(&copy, &args, &scratch_root.join("logs").join(format).join(name), TIMEOUT) else {
        return vec![format!("[{format}] did not finish within {TIMEOUT:?}")];
    };
    let mut after = snapshot_tree(&copy);
    if !before.contains_key("Cargo.lock") {
        after.remove("Cargo.lock");
    }

    let mut problems = Vec::new();
    // Paths inside the copy read as they do in the case directory.
    let prefix = format!("{copy_str}/");
    let stderr_text = stderr(&out).replace(&prefix, "");
    let stdout_text = stdout(&out).replace(&prefix, "");
    let shown = || format!("--- stderr:\n{stderr_text}--- stdout:\n{stdout_text}");

    if out.status.code() != Some(expect.exit) {
        problems.push(format!("[{format}] exit code {:?}, expected {}", out.status.code(), expect.exit));
    }
    for needle in ["panicked at", "RUST_BACKTRACE"] {
        if stderr_text.contains(needle) || stdout_text.contains(needle) {
            problems.push(format!("[{format}] panicked (`{needle}` in the output)"));
        }
    }
    if before != after {
        let mut changed = Vec::new();
        for (path, content) in &after {
            match before.get(path) {
                None => changed.push(format!("created {path}")),
                Some(old) if old != content => changed.push(format!("changed {path}")),
                _ => {}
            }
        }
        changed.extend(before.keys().filter(|p| !after.contains_key(*p)).map(|p| format!("removed {p}")));
        problems.push(format!("[{format}] the tree changed: {}", changed.join(", ")));
    }

    // In JSON the phrases are looked for in the decoded messages, labels, helps and notes.
    let objects: Vec<serde_json::Value> =
        if json { stderr_text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect() } else { Vec::new() };
    let text = if json { json_text(&objects) } else { stderr_text.clone() };
    for phrase in &expect.contains {
        if !text.contains(phrase.as_str()) {
            problems.push(format!("[{format}] the output does not contain {phrase:?}"));
        }
    }
    for phrase in &expect.absent {
        if text.contains(phrase.as_str()) {
            problems.push(format!("[{format}] the output contains {phrase:?}, which it should not"));
        }
    }

    // stdout is for the product (YAML, a diff); a failed run has none.
    if !stdout_text.trim().is_empty() {
        problems.push(format!("[{format}] stdout is not empty"));
    }
    if json {
        for line in stderr_text.lines().filter(|l| !l.trim().is_empty()) {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
                problems.push(format!("[json] a stderr line is not JSON ({e}): {line}"));
            }
        }
        let hit = objects.iter().find(|v| {
            v["severity"] == "error"
                && v["file"].as_str() == Some(expect.at_file.as_str())
                && expect.at_line.is_none_or(|l| v["line"].as_u64() == Some(l as u64))
        });
        match hit {
            None => problems.push(format!("[json] no error diagnostic at {}{}", expect.at_file, line_suffix(expect.at_line))),
            Some(v) if v["help"].as_array().is_none_or(Vec::is_empty) => {
                problems.push(format!("[json] the diagnostic at {}{} has no help", expect.at_file, line_suffix(expect.at_line)))
            }
            Some(_) => {}
        }
    } else {
        let at = format!("--> {}", expect.at_file);
        let found = stderr_text.lines().map(str::trim_start).any(|l| match expect.at_line {
            Some(line) => l.starts_with(&format!("{at}:{line}:")),
            None => l == at || l.starts_with(&format!("{at}:")),
        });
        if !found {
            problems.push(format!("[human] no ` --> {}{}` location", expect.at_file, line_suffix(expect.at_line)));
        }
        if !stderr_text.contains("= help:") {
            problems.push("[human] no `= help:` line".to_string());
        }
    }
    if !problems.is_empty() {
        problems.push(shown());
    }
    problems
}

fn json_text(objects: &[serde_json::Value]) -> String {
    let mut text = String::new();
    for v in objects {
        for s in [&v["message"], &v["label"]].into_iter().filter_map(serde_json::Value::as_str) {
            text.push_str(s);
            text.push('\n');
        }
        for h in v["help"].as_array().into_iter().flatten().filter_map(serde_json::Value::as_str) {
            text.push_str(h);
            text.push('\n');
        }
        for n in v["notes"].as_array().into_iter().flatten().filter_map(|n| n["message"].as_str()) {
            text.push_str(n);
            text.push('\n');
        }
    }
    text
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

fn case_dirs() -> Vec<(String, PathBuf)> {
    let root = repo_root().join("tests/broken");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .expect("read tests/broken")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn broken_inputs_fail_cleanly_and_write_nothing() {
    assert!(bin().is_file(), "{} is missing: build it first (`cargo build -p crd-gen`, or run `cargo test --workspace`)", bin().display());
    let cases = case_dirs();
    assert!(cases.len() >= MIN_CASES, "the corpus has {} cases, at least {MIN_CASES} are required", cases.len());
    // Only the cases named in CRD_GEN_BROKEN (comma-separated), when set.
    let only: Option<Vec<String>> = std::env::var("CRD_GEN_BROKEN").ok().map(|s| s.split(',').map(str::to_string).collect());
    let scratch_root = scratch("broken");

    let (mut passed, mut failures, mut gaps, mut fixed) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, dir) in &cases {
        if only.as_ref().is_some_and(|o| !o.contains(name)) {
            continue;
        }
        let expect = match read_expect(dir) {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut problems = check_case(name, dir, &expect, false, &scratch_root);
        problems.extend(check_case(name, dir, &expect, true, &scratch_root));
        match (&expect.known_gap, problems.is_empty()) {
            (Some(gap), true) => fixed.push(format!("{name}: {gap}")),
            (Some(gap), false) => gaps.push(format!("{name}: {gap}")),
            (None, true) => passed.push(name.clone()),
            (None, false) => failures.push(format!("{name}:\n  {}", problems.join("\n  "))),
        }
    }

    eprintln!("broken-input corpus: {} passed, {} known gaps, {} failed", passed.len(), gaps.len(), failures.len());
    for g in &gaps {
        eprintln!("  known gap: {g}");
    }
    for f in &fixed {
        eprintln!("  known gap now passes every check, remove `known_gap` from its expect.toml: {f}");
    }
    assert!(failures.is_empty(), "{} broken-input case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
    // A gap that closed must say so, as tests/conformance.rs does: the case then checks it.
    assert!(fixed.is_empty(), "known gap(s) now pass every check; remove `known_gap` from their expect.toml:\n{}", fixed.join("\n"));
}
