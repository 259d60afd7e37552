//! Messages that name the real cause, with the exit code the README documents: a toolchain that
//! cannot run, a source file that cannot be read, a golden whose bytes differ only in encoding,
//! a CRD too large for etcd. And the streams: stdout carries only YAML (`--stdout`) or the diff
//! (`--check`), in every message format; everything else goes to stderr.
#![cfg(unix)]

use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::process::Output;

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

fn small(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let manifest = write_crate(&dir, "shop", &resource("Foo", "a.example.com", ""));
    (dir, manifest)
}

fn manifests(dir: &Path, manifest: &Path, extra: &[&str]) -> std::process::Command {
    let mut cmd = command_in(dir, &["manifests", "--manifest-path", manifest.to_str().unwrap(), "--color", "never"]);
    cmd.args(extra);
    cmd
}

#[test]
fn cargo_that_cannot_run_is_named() {
    let (dir, manifest) = small("messages-no-cargo");
    let empty = dir.join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let o = manifests(&dir, &manifest, &[]).env_remove("CARGO").env("PATH", &empty).output().unwrap();
    assert_eq!(code(&o), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot run `cargo`: it is not on PATH") && stderr(&o).contains("https://rustup.rs"), "{}", stderr(&o));

    let o = manifests(&dir, &manifest, &[]).env("CARGO", "/nonexistent/cargo").output().unwrap();
    assert_eq!(code(&o), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("cannot run cargo `/nonexistent/cargo` (named by the CARGO environment variable): No such file"), "{err}");
}

/// CARGO_HOME under a plain file: cargo cannot create its package cache lock there (a fault
/// that bites as root too, unlike permissions). cargo's own text is kept whole.
#[test]
fn an_unusable_cargo_home_is_named_with_cargos_own_words() {
    let dir = scratch("messages-cargo-home");
    let manifest = write_crate(&dir, "shop", &resource("Foo", "a.example.com", ""));
    let toml = std::fs::read_to_string(&manifest).unwrap().replace("[workspace]", "[dependencies]\nserde = \"1\"\n\n[workspace]");
    std::fs::write(&manifest, toml).unwrap();
    std::fs::write(dir.join("plain-file"), "not a directory").unwrap();
    let home = dir.join("plain-file/cargo-home");
    let o = manifests(&dir, &manifest, &[]).env("CARGO_HOME", &home).output().unwrap();
    let err = stderr(&o);
    assert_eq!(code(&o), Some(2), "{err}");
    assert!(err.contains("`cargo metadata` failed") && err.contains("cargo says:"), "{err}");
    assert!(err.contains("Caused by:") && err.contains("Not a directory (os error 20)"), "cargo's text must be whole: {err}");
    assert!(err.contains(&format!("cargo cannot write its registry cache in CARGO_HOME (`{}`)", home.display())), "{err}");
}

#[test]
fn a_source_file_that_cannot_be_read_is_named_and_exits_2() {
    let (dir, manifest) = small("messages-source");
    std::fs::write(dir.join("src/lib.rs"), format!("mod api;\n{}", resource("Foo", "a.example.com", ""))).unwrap();
    let api = dir.join("src/api.rs");
    let expect = |what: &str| {
        let o = manifests(&dir, &manifest, &["--stdout"]).output().unwrap();
        let err = stderr(&o);
        assert_eq!(code(&o), Some(2), "{what}: {err}");
        assert!(err.contains(what), "{what}: {err}");
        assert!(err.contains("module `api` is declared here") && err.contains("src/lib.rs:1:1"), "{err}");
        assert!(stdout(&o).is_empty());
    };
    std::fs::create_dir(&api).unwrap();
    expect(&format!("{} is a directory, not a Rust source file", api.display()));
    std::fs::remove_dir(&api).unwrap();
    let c = std::ffi::CString::new(api.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // Reading a FIFO would wait for a writer forever; crd-gen does not open it.
    expect(&format!("{} is not a regular file (a FIFO, socket or device)", api.display()));
    std::fs::remove_file(&api).unwrap();
    std::os::unix::fs::symlink("gone.rs", &api).unwrap();
    expect(&format!("{} is a symlink to `gone.rs`, which cannot be followed", api.display()));
    std::fs::remove_file(&api).unwrap();
    // A read that fails in the file system: offset 0 of a process's memory is never mapped.
    #[cfg(target_os = "linux")]
    {
        std::os::unix::fs::symlink("/proc/self/mem", &api).unwrap();
        expect(&format!("cannot read {}: Input/output error (os error 5)", api.display()));
    }
}

/// Files the source pulls in beside modules (`include_str!` docs, `include!`) are read only when
/// they are regular files: a FIFO would block the run forever, a directory has no text.
#[test]
fn included_files_that_are_not_regular_files_never_hang() {
    let (dir, manifest) = small("messages-included");
    let docs = dir.join("src/docs");
    std::fs::create_dir_all(&docs).unwrap();
    let fifo = |path: &Path| {
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    };
    fifo(&docs.join("size.md"));
    fifo(&dir.join("src/pasted.rs"));
    let lib = "use crd_gen_derive::CustomResource;\n#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\", kind = \"Foo\")]\n\
               pub struct FooSpec {\n    #[doc = include_str!(\"docs/size.md\")]\n    pub size: i32,\n    #[doc = include_str!(\"docs\")]\n    pub other: i32,\n}\n\
               include!(\"pasted.rs\");\n";
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    let args: Vec<String> =
        ["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--color", "never"].map(String::from).to_vec();
    let o = run_with_timeout(&dir, &args, &dir.join("log"), std::time::Duration::from_secs(30)).expect("crd-gen blocked on a FIFO");
    let err = stderr(&o);
    assert_eq!(code(&o), Some(1), "{err}");
    for (what, line) in [("docs/size.md", 5), ("docs", 7)] {
        let message = format!("cannot read this doc comment: `{}` is not a regular file", dir.join("src").join(what).display());
        assert!(err.contains(&message) && err.contains(&format!("src/lib.rs:{line}:")), "{what}: {err}");
    }
    assert!(stdout(&o).is_empty());
}

#[test]
fn check_names_line_endings_bom_and_final_newline_instead_of_a_diff() {
    let (dir, manifest) = small("messages-encoding");
    assert!(manifests(&dir, &manifest, &[]).output().unwrap().status.success());
    let file = dir.join("config/crd/bases/a.example.com_foos.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    let check = |bytes: &[u8], words: &str, diff_lines: usize| {
        std::fs::write(&file, bytes).unwrap();
        let o = manifests(&dir, &manifest, &["--check"]).output().unwrap();
        assert_eq!(code(&o), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(&format!("{}: {words}", file.display())), "{words}: {}", stderr(&o));
        let changed = stdout(&o)
            .lines()
            .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---") && !l.starts_with("+++"))
            .count();
        assert_eq!(changed, diff_lines, "{words}: {}", stdout(&o));
    };
    let lines = good.lines().count();
    assert!(lines > 20);
    check(good.replace('\n', "\r\n").as_bytes(), "line endings differ (CRLF on disk, LF generated)", 0);
    check(format!("\u{feff}{good}").as_bytes(), "the file starts with a UTF-8 byte order mark (BOM)", 0);
    check(good.trim_end().as_bytes(), "no newline at end of file on disk", 0);
    // A real change under CRLF shows that one line, not every line.
    let changed = good.replace("plural: foos", "plural: fooz").replace('\n', "\r\n");
    check(changed.as_bytes(), "out of date, and line endings differ (CRLF on disk, LF generated)", 2);
    assert!(manifests(&dir, &manifest, &[]).output().unwrap().status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), good);
    assert!(manifests(&dir, &manifest, &["--check"]).output().unwrap().status.success());
}

/// The fixture's goldens, concatenated in name order: what `--stdout` prints.
fn goldens(fixture_name: &str) -> String {
    let bases = fixture(fixture_name).join("config/crd/bases");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&bases).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "yaml")).collect();
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

fn all_json(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("a stderr line is not JSON ({e}): {l}"))).collect()
}

#[test]
fn stdout_carries_only_yaml_in_every_message_format() {
    // cronjob has a warning (over kubectl's client-side apply limit): it must not reach stdout.
    for fixture_name in ["cronjob", "guestbook"] {
        let manifest = fixture(fixture_name).join("Cargo.toml");
        let expected = goldens(fixture_name);
        for format in ["human", "json"] {
            let o = manifests(&repo_root(), &manifest, &["--stdout", "--message-format", format]).output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(stdout(&o) == expected, "{fixture_name} {format}: stdout is not exactly the YAML");
            if format == "json" {
                let lines = all_json(&stderr(&o));
                assert_eq!(fixture_name == "cronjob", lines.iter().any(|v| v["severity"] == "warning"), "{}", stderr(&o));
            } else if fixture_name == "cronjob" {
                assert!(stderr(&o).contains("warning: CRD `cronjobs.batch.tutorial.kubebuilder.io`"), "{}", stderr(&o));
            }
        }
    }
    // Errors: nothing on stdout, the diagnostics on stderr.
    let (dir, manifest) = small("messages-stream-error");
    std::fs::write(dir.join("src/lib.rs"), resource("Foo", "a.example.com", ", plural = \"Not Valid\"")).unwrap();
    for format in ["human", "json"] {
        let o = manifests(&dir, &manifest, &["--stdout", "--message-format", format]).output().unwrap();
        assert_eq!(code(&o), Some(1), "{}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{format}: {}", stdout(&o));
        if format == "json" {
            assert!(all_json(&stderr(&o)).iter().any(|v| v["severity"] == "error"));
        }
    }
}

#[test]
fn progress_and_summaries_are_json_lines_on_stderr_in_json_mode() {
    let (dir, manifest) = small("messages-stream-progress");
    let o = manifests(&dir, &manifest, &["--message-format", "json"]).output().unwrap();
    assert!(o.status.success() && stdout(&o).is_empty(), "{}{}", stdout(&o), stderr(&o));
    let events = all_json(&stderr(&o));
    let file = dir.join("config/crd/bases/a.example.com_foos.yaml").display().to_string();
    assert!(events.iter().any(|v| v["event"] == "wrote" && v["file"] == file.as_str()), "{events:?}");
    let o = manifests(&dir, &manifest, &["--check", "--message-format", "json"]).output().unwrap();
    assert!(o.status.success() && stdout(&o).is_empty(), "{}{}", stdout(&o), stderr(&o));
    assert!(all_json(&stderr(&o)).iter().any(|v| v["event"] == "summary"));
    std::fs::write(&file, "stale\n").unwrap();
    let o = manifests(&dir, &manifest, &["--check", "--message-format", "json"]).output().unwrap();
    assert_eq!(code(&o), Some(1));
    assert!(stdout(&o).starts_with("--- a/") && stdout(&o).contains("-stale"), "the diff is the product of --check: {}", stdout(&o));
    let stale = all_json(&stderr(&o));
    assert!(stale.iter().any(|v| v["event"] == "stale" && v["file"] == file.as_str()), "{stale:?}");
}

/// cronjob's CRD inlines k8s-openapi's JobTemplateSpec (300 KiB); five more of them leave no
/// room in etcd for the status. The message names each inlined type at its field and the fixes.
#[test]
fn a_crd_too_large_for_etcd_names_its_largest_parts_and_the_fixes() {
    let dir = scratch("messages-size");
    copy_dir(&fixture("cronjob"), &dir);
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), standalone_manifest(&toml)).unwrap();
    // The workspace's lock: k8s-openapi resolves offline, from the registry cache.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let v1 = std::fs::read_to_string(dir.join("src/v1.rs")).unwrap();
    let more: String = (2..=6).map(|i| format!("    /// Template {i}.\n    pub job_template{i}: JobTemplateSpec,\n")).collect();
    std::fs::write(
        dir.join("src/v1.rs"),
        v1.replacen("    pub job_template: JobTemplateSpec,\n", &format!("    pub job_template: JobTemplateSpec,\n{more}"), 1),
    )
    .unwrap();
    let manifest = dir.join("Cargo.toml");

    let o = manifests(&dir, &manifest, &["--stdout"]).env("CARGO_NET_OFFLINE", "true").output().unwrap();
    let err = stderr(&o).replace(&format!("{}/", dir.display()), "");
    assert_eq!(code(&o), Some(1), "{err}");
    assert!(stdout(&o).is_empty());
    assert!(err.contains("error: CRD `cronjobs.batch.tutorial.kubebuilder.io` would take about 1"), "{err}");
    assert!(
        err.contains(
            "which stores at most 1536 KiB per object: the API server could not write its status, so it would never be Established"
        ),
        "{err}"
    );
    assert!(err.contains("note: k8s-openapi `api::batch::v1::JobTemplateSpec` inlined at `.spec.jobTemplate3` (version v1)"), "{err}");
    assert!(err.contains("--> src/v1.rs:"), "each inlined type is shown at its field: {err}");
    assert!(
        err.contains("`--max-desc-len 0` drops them")
            && err.contains("`#[crd(schemaless, preserve_unknown_fields)]` on a field stops inlining"),
        "{err}"
    );

    // Either fix works.
    let o = manifests(&dir, &manifest, &["--stdout", "--max-desc-len", "0"]).env("CARGO_NET_OFFLINE", "true").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v1 = std::fs::read_to_string(dir.join("src/v1.rs")).unwrap();
    let unlined: String = (2..=6)
        .map(|i| {
            format!("    /// Template {i}.\n    #[crd(schemaless, preserve_unknown_fields)]\n    pub job_template{i}: JobTemplateSpec,\n")
        })
        .collect();
    std::fs::write(dir.join("src/v1.rs"), v1.replace(&more, &unlined)).unwrap();
    let o = manifests(&dir, &manifest, &["--stdout"]).env("CARGO_NET_OFFLINE", "true").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "jobTemplate6:\n                description: Template 6.\n                x-kubernetes-preserve-unknown-fields: true\n"
        )
    );
}
