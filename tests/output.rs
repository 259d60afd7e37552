//! What the CLI says, as its help promises: one summary line per run (`-v` per file, `-q` only
//! errors), the JSON summary event last, no resources an error and all-skipped ones explained,
//! colored diffs only when asked or on a terminal, no progress line off a terminal, help that
//! documents every flag with its default and the exit codes, and completion scripts that
//! complete `cargo crd-gen ...`.

use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::process::Output;

fn small(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let manifest = write_crate(&dir, "shop", &format!("{}{}", resource("Foo", "a.example.com", ""), resource("Bar", "a.example.com", "")));
    (dir, manifest)
}

fn manifests(dir: &Path, manifest: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["manifests", "--manifest-path", manifest.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

/// The line without its duration, which varies: `crd-gen: wrote 2, unchanged 0`.
fn without_time(line: &str) -> String {
    let (head, time) = line.rsplit_once(", in ").unwrap_or_else(|| panic!("no duration in {line:?}"));
    let ok = time.strip_suffix(" ms").is_some_and(|n| n.parse::<u64>().is_ok())
        || time.strip_suffix(" s").is_some_and(|n| n.parse::<f64>().is_ok());
    assert!(ok, "duration {time:?}");
    head.to_string()
}

#[test]
fn one_summary_line_by_default_per_file_with_v_nothing_with_q() {
    let (dir, manifest) = small("output-summary");
    let o = manifests(&dir, &manifest, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(without_time(err.trim_end()), "crd-gen: wrote 2, unchanged 0");

    let o = manifests(&dir, &manifest, &["-v"]);
    let bases = dir.join("config/crd/bases");
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert_eq!(lines[0], format!("crd-gen: up to date: {}", bases.join("a.example.com_bars.yaml").display()));
    assert_eq!(lines[1], format!("crd-gen: up to date: {}", bases.join("a.example.com_foos.yaml").display()));
    assert_eq!(without_time(lines[2]), "crd-gen: wrote 0, unchanged 2");

    // A removed resource: its file is named (crd-gen deleting a file is never silent) and counted.
    std::fs::write(dir.join("src/lib.rs"), resource("Foo", "a.example.com", ", plural = \"foozes\"")).unwrap();
    let o = manifests(&dir, &manifest, &[]);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("crd-gen: removed {}: ", bases.join("a.example.com_bars.yaml").display()))),
        "{err}"
    );
    assert_eq!(without_time(lines[2]), "crd-gen: wrote 1, unchanged 0, removed 2");

    // -q: nothing at all on success, also before or after the command name.
    for args in [vec!["-q", "manifests"], vec!["manifests", "--quiet"]] {
        let mut all = args.clone();
        all.extend(["--manifest-path", manifest.to_str().unwrap()]);
        let o = run_in(&dir, &all);
        assert!(o.status.success() && o.stderr.is_empty() && o.stdout.is_empty(), "{args:?}: {}", stderr(&o));
    }
    let o = manifests(&dir, &manifest, &["--check", "-q"]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
    // -q keeps errors.
    std::fs::write(dir.join("src/lib.rs"), resource("Foo", "a.example.com", ", plural = \"Not Valid\"")).unwrap();
    let o = manifests(&dir, &manifest, &["-q", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: plural `Not Valid` must be a lowercase DNS label"), "{}", stderr(&o));
    let o = run_in(&dir, &["manifests", "-q", "-v"]);
    assert_eq!(o.status.code(), Some(2), "-q and -v conflict: {}", stderr(&o));
}

#[test]
fn the_json_summary_is_the_last_event_with_the_counts() {
    let (dir, manifest) = small("output-json");
    let events = |o: &Output| -> Vec<serde_json::Value> { stderr(o).lines().map(|l| serde_json::from_str(l).unwrap()).collect() };
    let o = manifests(&dir, &manifest, &["--message-format", "json"]);
    let ev = events(&o);
    assert_eq!(ev.iter().filter(|e| e["event"] == "wrote").count(), 3, "two CRDs and the record, per file for tools: {ev:?}");
    let last = ev.last().unwrap();
    assert_eq!((last["event"].as_str(), last["success"].as_bool()), (Some("summary"), Some(true)), "{last}");
    assert_eq!((last["wrote"].as_u64(), last["unchanged"].as_u64(), last["removed"].as_u64()), (Some(2), Some(0), Some(0)));
    assert_eq!((last["errors"].as_u64(), last["warnings"].as_u64()), (Some(0), Some(0)));
    assert!(last["elapsed_ms"].is_u64() && last["message"] == "wrote 2, unchanged 0", "{last}");

    for (extra, key, value) in [(&["--check"][..], "up_to_date", 2), (&["--stdout"][..], "printed", 2)] {
        let mut args = vec!["--message-format", "json"];
        args.extend_from_slice(extra);
        let o = manifests(&dir, &manifest, &args);
        let last = events(&o).pop().unwrap();
        assert_eq!((last["event"].as_str(), last[key].as_u64()), (Some("summary"), Some(value)), "{extra:?}: {last}");
    }
    let o = run_in(&dir, &["check", "--manifest-path", manifest.to_str().unwrap(), "--message-format", "json"]);
    assert_eq!(events(&o).pop().unwrap()["crds"], 2);

    // A failed run ends with a summary too, with its exit code.
    std::fs::write(dir.join("src/lib.rs"), resource("Foo", "a.example.com", ", plural = \"Not Valid\"")).unwrap();
    let o = manifests(&dir, &manifest, &["--message-format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let ev = events(&o);
    assert_eq!(ev[0]["severity"], "error");
    let last = ev.last().unwrap();
    assert_eq!((last["success"].as_bool(), last["exit_code"].as_u64(), last["errors"].as_u64()), (Some(false), Some(1), Some(1)), "{last}");
    // --check that finds Bar's file no longer generated, and the record out of date.
    std::fs::write(dir.join("src/lib.rs"), resource("Foo", "a.example.com", "")).unwrap();
    let o = manifests(&dir, &manifest, &["--check", "--message-format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let ev = events(&o);
    assert_eq!(ev.iter().filter(|e| e["event"] == "stale").count(), 2, "{ev:?}");
    let last = ev.last().unwrap();
    assert_eq!((last["success"].as_bool(), last["stale"].as_u64(), last["exit_code"].as_u64()), (Some(false), Some(2), Some(1)), "{last}");
}

#[test]
fn check_diffs_are_colored_only_when_asked_or_on_a_terminal() {
    let (dir, manifest) = small("output-color");
    assert!(manifests(&dir, &manifest, &[]).status.success());
    let file = dir.join("config/crd/bases/a.example.com_foos.yaml");
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("plural: foos", "plural: fooz")).unwrap();
    // stdout is a pipe here: auto means no color.
    let plain = manifests(&dir, &manifest, &["--check"]);
    assert_eq!(plain.status.code(), Some(1));
    assert!(!stdout(&plain).contains('\x1b') && stdout(&plain).contains("\n-    plural: fooz\n+    plural: foos\n"), "{}", stdout(&plain));
    let colored = manifests(&dir, &manifest, &["--check", "--color", "always"]);
    let diff = stdout(&colored);
    assert!(diff.contains("\x1b[31m-    plural: fooz\x1b[0m\n\x1b[32m+    plural: foos\x1b[0m\n"), "{diff:?}");
    assert!(diff.starts_with("\x1b[1m--- a/"), "{diff:?}");
    assert!(!stderr(&plain).contains('\x1b'));
    let never = manifests(&dir, &manifest, &["--check", "--color", "never"]);
    assert_eq!(never.stdout, plain.stdout);
    // stderr: the stale file, and what to do.
    assert!(stderr(&plain).contains(&format!("crd-gen: {} is out of date\n", file.display())), "{}", stderr(&plain));
    assert!(
        stderr(&plain).ends_with("crd-gen: 1 file not what `manifests` writes; run `cargo crd-gen manifests` to update\n"),
        "{}",
        stderr(&plain)
    );
}

/// A run of a few seconds (the benchmark's crate, 300 resources) with stderr a pipe: no
/// progress line, no carriage return or escape, just the summary.
#[test]
fn no_progress_line_off_a_terminal() {
    let dir = scratch("output-progress");
    let manifest = big_crate::write_manifest(&dir, "big");
    big_crate::write_crate(&dir, 30, 10, "");
    let started = std::time::Instant::now();
    let o = run_in(&dir, &["manifests", "--manifest-path", manifest.to_str().unwrap(), "--output-dir", dir.join("out").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(without_time(err.trim_end()), "crd-gen: wrote 300, unchanged 0");
    eprintln!("the run took {:.1} s", started.elapsed().as_secs_f64());
}

/// The same run with stderr a terminal: a progress line after a second, redrawn in place and
/// erased before the summary.
#[cfg(target_os = "linux")]
#[test]
fn a_progress_line_on_a_terminal_for_a_long_run() {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let dir = scratch("output-progress-tty");
    let manifest = big_crate::write_manifest(&dir, "big");
    // Long enough, in a test build, to pass the second on most machines.
    const RESOURCES: usize = 500;
    big_crate::write_crate(&dir, RESOURCES / 10, 10, "");
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new file descriptors; the other arguments may be null.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd =
        command_in(&dir, &["manifests", "--manifest-path", manifest.to_str().unwrap(), "--output-dir", dir.join("out").to_str().unwrap()]);
    let mut child = cmd.stderr(std::process::Stdio::from(slave)).stdout(std::process::Stdio::null()).spawn().unwrap();
    drop(cmd);
    let reader = std::thread::spawn(move || {
        let mut f = std::fs::File::from(master);
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // The terminal reports EIO once the child, its last writer, has closed it.
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let started = std::time::Instant::now();
    assert!(child.wait().unwrap().success());
    let took = started.elapsed();
    let text = reader.join().unwrap();
    let summary = format!("crd-gen: wrote {RESOURCES}, unchanged 0, in ");
    // The line is drawn once the run has taken a second: a run within the second shows none,
    // and one that ends just after it may end before the line is drawn.
    if took < std::time::Duration::from_secs(1) || (took < std::time::Duration::from_millis(1500) && !text.contains('\x1b')) {
        assert!(text.starts_with(&summary) && !text.contains('\x1b'), "{text:?}");
        return;
    }
    let phases = ["reading the workspace (cargo metadata) (", "generating CRDs for 1 package (", &format!("writing {RESOURCES} files (")];
    assert!(phases.iter().any(|p| text.contains(&format!("\r\x1b[2Kcrd-gen: {p}"))), "no progress line in a {took:?} run: {text:?}");
    let (progress, last) = text.rsplit_once("\r\x1b[2K").unwrap();
    assert!(progress.ends_with(" s)"), "{text:?}");
    assert!(last.starts_with(&summary), "the line is erased before the summary: {last:?}");
}

/// Finding no resources is an error, whatever the verbosity; a crate whose resources are all
/// skipped succeeds, and every command says why it generated nothing before its summary.
#[test]
fn no_resources_fail_every_summary_and_all_skipped_ones_say_why() {
    let dir = scratch("output-no-resources");
    let manifest = write_crate(&dir, "shop", "pub fn helper() {}\n");
    let events = |o: &Output| -> Vec<serde_json::Value> { stderr(o).lines().map(|l| serde_json::from_str(l).unwrap()).collect() };
    for extra in [&[][..], &["-v"], &["--check"], &["--stdout"]] {
        let o = manifests(&dir, &manifest, &[extra, &["--color", "never"][..]].concat());
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("error: no resources found in `shop`\n  --> src/lib.rs\n"), "{extra:?}: {err}");
        assert!(err.ends_with("error: could not generate CRDs due to 1 previous error\n") && o.stdout.is_empty(), "{extra:?}: {err}");
    }
    let o = manifests(&dir, &manifest, &["-q", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: no resources found in `shop`"), "-q keeps the error: {}", stderr(&o));
    let o = manifests(&dir, &manifest, &["--message-format", "json"]);
    let ev = events(&o);
    assert_eq!((ev.len(), ev[0]["severity"].as_str(), ev[0]["message"].as_str()), (2, Some("error"), Some("no resources found in `shop`")));
    assert_eq!((ev[1]["event"].as_str(), ev[1]["success"].as_bool(), ev[1]["exit_code"].as_u64()), (Some("summary"), Some(false), Some(1)));
    assert!(!dir.join("config").exists(), "a failed run writes nothing");

    std::fs::write(
        dir.join("src/lib.rs"),
        format!("pub mod retired {{\n//! +kubebuilder:skip\n{}}}\n", resource("Foo", "a.example.com", "")),
    )
    .unwrap();
    let why = "crd-gen: no CRDs generated: every resource is in a module marked `+kubebuilder:skip`";
    let check = ["check", "--manifest-path", manifest.to_str().unwrap()];
    let runs: [(Output, &str); 4] = [
        (manifests(&dir, &manifest, &[]), "crd-gen: wrote 0, unchanged 0"),
        (manifests(&dir, &manifest, &["--check"]), "crd-gen: 0 CRD files up to date"),
        (manifests(&dir, &manifest, &["--stdout"]), "crd-gen: printed 0 CRDs"),
        (run_in(&dir, &check), "crd-gen: 0 CRDs valid"),
    ];
    for (o, summary) in runs {
        assert!(o.status.success() && o.stdout.is_empty(), "{}", stderr(&o));
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert_eq!((lines[0], without_time(lines[1]).as_str()), (why, summary));
    }
    let o = manifests(&dir, &manifest, &["-q"]);
    assert!(o.status.success() && o.stderr.is_empty(), "-q: {}", stderr(&o));
    let o = run_in(&dir, &[&check[..], &["--message-format", "json"]].concat());
    let ev = events(&o);
    assert_eq!((ev.len(), ev[0]["event"].as_str(), ev[0]["message"].as_str()), (2, Some("all-skipped"), why.strip_prefix("crd-gen: ")));
    assert_eq!((ev[1]["event"].as_str(), ev[1]["success"].as_bool(), ev[1]["crds"].as_u64()), (Some("summary"), Some(true), Some(0)));
}

#[test]
fn help_reads_like_a_manual() {
    let long = stdout(&run(&["--help"]));
    for needle in ["Exit status:", "  0  Success", "  1  The sources have errors", "  2  Usage", "Streams: stdout carries only the product"]
    {
        assert!(long.contains(needle), "top-level --help lacks {needle:?}:\n{long}");
    }
    assert!(long.contains("cargo crd-gen create api --group webapp --version v1 --kind Guestbook --domain my.domain"), "{long}");
    let short = stdout(&run(&["-h"]));
    assert!(short.len() < long.len() / 2 && !short.contains("Exit status:") && short.contains("see more with '--help'"), "{short}");
    for cmd in [&["manifests"][..], &["check"], &["create", "api"], &["completions"]] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let o = run(&args);
        assert!(o.status.success(), "{cmd:?}");
        let text = stdout(&o);
        assert!(text.contains("Example") || text.contains("Install:"), "{cmd:?} --help has no example:\n{text}");
        // Every flag is explained: each option line is followed by its description.
        let flags: Vec<&str> = text.lines().filter(|l| l.starts_with("  -") || l.starts_with("      --")).collect();
        assert!(!flags.is_empty());
        for (i, line) in text.lines().enumerate() {
            if flags.contains(&line) {
                let next = text.lines().nth(i + 1).unwrap_or("");
                assert!(!next.trim().is_empty(), "{cmd:?}: `{line}` has no description:\n{text}");
            }
        }
    }
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let manifests = flat(&stdout(&run(&["manifests", "--help"])));
    for needle in [
        "[default: config/crd/bases under each package]",
        "[default: human]",
        "[default: auto]",
        "NO_COLOR",
        "[default: the nearest Cargo.toml from the current directory up, as cargo finds it]",
        "cargo crd-gen manifests --stdout | kubectl apply -f -",
        "Exit status:",
        "-F, --features <FEATURES>",
        "[default: each package's `default` feature]",
        "--all-features",
        "--no-default-features",
        "--cfg <SPEC>",
        "`cargo::rustc-cfg`",
    ] {
        assert!(manifests.contains(needle), "manifests --help lacks {needle:?}:\n{manifests}");
    }
    let check = flat(&stdout(&run(&["check", "--help"])));
    assert!(check.contains("-F, --features <FEATURES>") && check.contains("--cfg <SPEC>"), "check --help:\n{check}");
    let api = flat(&stdout(&run(&["create", "api", "--help"])));
    for needle in ["--group <GROUP>", "<group>.<domain>", "[package.metadata.crd-gen] domain", "--cluster", "--force", " 1 The kind exists"]
    {
        assert!(api.contains(needle), "create api --help lacks {needle:?}:\n{api}");
    }
    // As cargo runs it: `cargo-crd-gen crd-gen --help`.
    assert_eq!(stdout(&run(&["crd-gen", "--help"])), long);
}

/// bash: the script is produced, names the subcommands, and completes `cargo crd-gen ...` in a
/// real bash (the completion functions called as bash calls them), while leaving every other
/// `cargo ...` to the completion cargo had.
#[test]
fn completions_complete_cargo_crd_gen() {
    let o = run(&["completions", "bash"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = stdout(&o);
    for sub in ["manifests", "check", "create", "markers", "cel-env", "completions"] {
        assert!(script.contains(sub), "{sub}");
    }
    let dir = scratch("output-completions");
    std::fs::write(dir.join("crd-gen.bash"), &script).unwrap();
    let probe = r#"
_cargo_before() { COMPREPLY=(cargo-own-completion); }
complete -F _cargo_before cargo
source ./crd-gen.bash
comp() {
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    local fn; fn=$(complete -p "$1" | sed -E 's/.*-F ([^ ]+).*/\1/')
    "$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    echo "${COMPREPLY[*]}"
}
comp cargo crd-gen ""
comp cargo crd-gen create ""
comp cargo crd-gen create api --ki
comp cargo crd-gen manifests --message-format ""
comp cargo crd-gen completions ""
comp cargo b
comp cargo-crd-gen man
"#;
    let out = std::process::Command::new("bash").arg("-c").arg(probe).current_dir(&dir).output().expect("bash");
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    for sub in ["manifests", "check", "create", "markers", "cel-env", "completions"] {
        assert!(lines[0].split(' ').any(|w| w == sub), "`cargo crd-gen <TAB>` lacks {sub}: {}", lines[0]);
    }
    assert!(lines[1].split(' ').any(|w| w == "api"), "{}", lines[1]);
    assert_eq!(lines[2], "--kind");
    assert_eq!(lines[3], "human json");
    assert!(lines[4].contains("bash") && lines[4].contains("zsh") && lines[4].contains("fish"), "{}", lines[4]);
    assert_eq!(lines[5], "cargo-own-completion", "other cargo commands keep cargo's completion");
    assert_eq!(lines[6], "manifests");

    // zsh: cargo's zsh completion calls `_cargo-crd-gen` for `cargo crd-gen ...`.
    let zsh = stdout(&run(&["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef cargo-crd-gen\n") && zsh.contains("\n_cargo-crd-gen() {\n") && zsh.contains("'manifests:"), "{zsh}");
    // fish: completions under `cargo` too.
    let fish = stdout(&run(&["completions", "fish"]));
    assert!(
        fish.contains("complete -c cargo-crd-gen ")
            && fish.contains("complete -c cargo -n \"__fish_cargo_crd_gen_hook_needs_command\" -f -a \"crd-gen\""),
        "{fish}"
    );
    assert!(!fish.contains("function __fish_cargo_needs_command"), "no helper may shadow fish's own cargo completions");
    let bad = run(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}
