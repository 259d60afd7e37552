//! The CLI as a user runs it: writing, `--check` (match, mismatch, missing), `--output-dir`,
//! exit codes, and the guestbook output described in the kubebuilder quick-start.

use crd_gen_tests::*;

#[test]
fn guestbook_yaml_is_the_kubebuilder_quickstart_crd() {
    let out = run(&["manifests", "--manifest-path", "fixtures/guestbook/Cargo.toml", "--stdout"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let y = stdout(&out);
    assert!(y.starts_with("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"), "{y}");
    for needle in [
        "  name: guestbooks.webapp.my.domain\n",
        "  group: webapp.my.domain\n",
        "    kind: Guestbook\n    listKind: GuestbookList\n    plural: guestbooks\n    singular: guestbook\n",
        "  scope: Namespaced\n",
        "  - name: v1\n",
        "        description: Guestbook is the Schema for the guestbooks API\n",
        "          metadata:\n            type: object\n",
        "            description: GuestbookSpec defines the desired state of Guestbook\n",
        "                description: Foo is an example field of Guestbook. Edit guestbook_types.go\n                  to remove/update\n",
        "            description: GuestbookStatus defines the observed state of Guestbook\n",
        "    served: true\n    storage: true\n    subresources:\n      status: {}\n",
    ] {
        assert!(y.contains(needle), "missing {needle:?} in\n{y}");
    }
}

#[test]
fn writes_into_output_dir_and_check_detects_stale_and_missing() {
    let dir = scratch("check-cycle");
    let out_dir = dir.join("crds");
    let manifest = fixture("guestbook").join("Cargo.toml");
    let args = |extra: &[&str]| {
        let mut v = vec!["manifests", "--manifest-path", manifest.to_str().unwrap(), "--output-dir", out_dir.to_str().unwrap()];
        v.extend_from_slice(extra);
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run_args = |extra: &[&str]| {
        let a = args(extra);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        run(&refs)
    };
    let file = out_dir.join("webapp.my.domain_guestbooks.yaml");

    // Missing file: --check fails, names it, writes nothing.
    let missing = run_args(&["--check"]);
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("webapp.my.domain_guestbooks.yaml is missing"), "{}", stderr(&missing));
    assert!(stdout(&missing).contains("+++ b/"), "{}", stdout(&missing));
    assert!(!file.exists());

    // Write, then --check passes.
    let write = run_args(&[]);
    assert!(write.status.success(), "{}", stderr(&write));
    assert!(file.exists());
    let ok = run_args(&["--check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    // A stale file: --check fails with a unified diff, and leaves the file alone.
    let good = std::fs::read_to_string(&file).unwrap();
    let stale = good.replace("plural: guestbooks", "plural: guestbookz");
    std::fs::write(&file, &stale).unwrap();
    let bad = run_args(&["--check"]);
    assert_eq!(bad.status.code(), Some(1));
    let diff = stdout(&bad);
    assert!(diff.contains("-    plural: guestbookz") && diff.contains("+    plural: guestbooks"), "{diff}");
    assert!(stderr(&bad).contains("is out of date"), "{}", stderr(&bad));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stale);

    // Writing again restores it, byte for byte.
    assert!(run_args(&[]).status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), good);
}

#[test]
fn default_output_dir_is_config_crd_bases_of_the_package_and_runs_from_its_directory() {
    let dir = scratch("guestbook-copy");
    copy_dir(&fixture("guestbook"), &dir);
    // A standalone copy: point its path dependency back at the repo's derive crate.
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), standalone_manifest(&toml)).unwrap();
    // The workspace's lock: k8s-openapi resolves offline, from the registry cache.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::remove_dir_all(dir.join("config")).unwrap();
    let out = run_in(&dir, &["manifests"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.join("config/crd/bases/webapp.my.domain_guestbooks.yaml")).unwrap();
    let golden = std::fs::read_to_string(fixture("guestbook").join("config/crd/bases/webapp.my.domain_guestbooks.yaml")).unwrap();
    assert_eq!(written, golden);
    // As a cargo subcommand, cargo passes the subcommand name first.
    let again = run_in(&dir, &["crd-gen", "manifests", "--check"]);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["manifests", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["manifests", "--manifest-path", "does/not/exist/Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}

#[test]
fn same_bytes_on_every_run() {
    let a = run(&["manifests", "--manifest-path", "fixtures/guestbook/Cargo.toml", "--stdout"]);
    let b = run(&["manifests", "--manifest-path", "fixtures/guestbook/Cargo.toml", "--stdout"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn markers_reference_is_generated_from_the_vocabulary() {
    let generated = crd_gen::markers::reference::markdown();
    let path = repo_root().join("docs/markers.md");
    assert_golden(&path, &generated);
    // And the CLI prints the same text.
    let out = run(&["markers"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), generated);
}

#[test]
fn cel_reference_is_generated_from_the_environment_table() {
    let generated = crd_gen::validate::cel::reference::markdown();
    assert_golden(&repo_root().join("docs/cel.md"), &generated);
    let out = run(&["cel-env"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), generated);
    for lib in crd_gen::validate::cel::env::LIBRARIES {
        assert!(generated.contains(lib.title), "{} is not in docs/cel.md", lib.title);
    }
}

#[test]
fn kube_version_flag_is_checked_and_documented() {
    let out = run(&["manifests", "--help"]);
    assert!(stdout(&out).contains("--kube-version"), "{}", stdout(&out));
    let bad = run(&["check", "--kube-version", "2.0", "--manifest-path", "fixtures/guestbook/Cargo.toml"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a Kubernetes version"));
}

/// One engine, same bytes from every front end: the CRD a crate's build.rs generated (and
/// compiled into the crate) equals what `cargo crd-gen manifests` prints for it.
#[test]
fn build_rs_and_cli_give_the_same_bytes() {
    let out = run(&["manifests", "--manifest-path", "fixtures/build-rs/Cargo.toml", "--stdout"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), build_rs::Backup::crd_yaml());
    let golden = std::fs::read_to_string(fixture("build-rs").join("config/crd/bases/ops.example.com_backups.yaml")).unwrap();
    assert_eq!(golden, build_rs::Backup::crd_yaml());
    // The derive's constants name the same CRD the engine wrote.
    assert!(
        build_rs::Backup::crd_yaml().contains(&format!("\n  name: {}\n", build_rs::BackupSpec::CRD_NAME)),
        "{}",
        build_rs::BackupSpec::CRD_NAME
    );
    assert_eq!(build_rs::BackupSpec::CRD_PLURAL, "backups");
    // build.rs's `output_dir("deploy/crds")` is taken from the package root.
    let deployed = std::fs::read_to_string(fixture("build-rs").join("deploy/crds/ops.example.com_backups.yaml")).unwrap();
    assert_eq!(deployed, build_rs::Backup::crd_yaml());
    // `crd()` is the same CRD as k8s-openapi's type.
    let crd = build_rs::Backup::crd();
    assert_eq!(crd.metadata.name.as_deref(), Some("backups.ops.example.com"));
    let from_yaml: k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition =
        serde_saphyr::from_str(build_rs::Backup::crd_yaml()).unwrap();
    assert_eq!(crd, from_yaml);
}

/// A package whose Cargo.lock is up to date is placed from the lock file (`cargo metadata
/// --no-deps`, no resolver: most of a small run); a missing or stale lock file (a dependency it
/// lacks, a version the manifest no longer allows) or `--all-features` go to cargo's resolver.
/// Seen through a `cargo` that logs its arguments.
#[cfg(unix)]
#[test]
fn an_up_to_date_lock_file_spares_cargos_resolver() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("discover-locked");
    let log = dir.join("cargo.log");
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let wrapper = dir.join("cargo-logging");
    std::fs::write(&wrapper, format!("#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n", log.display())).unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let krate = dir.join("widget");
    let manifest = write_crate(&krate, "widget", &resource("Widget", "logged.example.com", ""));
    let run_in = |cwd: &std::path::Path, args: &[&str]| {
        let _ = std::fs::remove_file(&log);
        let out = command_in(cwd, &[&["crd-gen", "manifests", "--stdout"], args].concat()).env("CARGO", &wrapper).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("name: widgets.logged.example.com"), "{}", stdout(&out));
        std::fs::read_to_string(&log).unwrap_or_default()
    };
    let calls = |extra: &[&str]| run_in(&dir, &[&["--manifest-path", manifest.to_str().unwrap()], extra].concat());
    let resolved = |log: &str| log.lines().any(|l| l.starts_with("metadata") && !l.contains("--no-deps"));
    let first = calls(&[]);
    assert!(resolved(&first), "no lock file yet: cargo resolves (and writes one)\n{first}");
    assert!(krate.join("Cargo.lock").is_file());
    let second = calls(&[]);
    assert!(!resolved(&second), "{second}");
    assert!(!resolved(&calls(&["--no-default-features"])));
    // Without `--manifest-path` the nearest Cargo.toml up from the current directory is the
    // package, as for cargo itself: the lock file answers there too.
    for cwd in [krate.clone(), krate.join("src")] {
        let log = run_in(&cwd, &[]);
        assert!(!resolved(&log) && log.contains("--no-deps"), "from {}: {log}", cwd.display());
    }
    assert!(resolved(&calls(&["--all-features"])));
    // A dependency the lock file does not have yet (a path crate, so nothing is downloaded).
    write_crate(&dir.join("helper"), "helper", "pub struct Helper;\n");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("[workspace]", "[dependencies]\nhelper = { path = \"../helper\" }\n\n[workspace]")).unwrap();
    let text = std::fs::read_to_string(dir.join("helper/Cargo.toml")).unwrap();
    std::fs::write(dir.join("helper/Cargo.toml"), text.replace("\n[workspace]\n", "\n")).unwrap();
    let edited = calls(&[]);
    assert!(resolved(&edited), "{edited}");
    // cargo wrote it into the lock file: placed from there again.
    let again = calls(&[]);
    assert!(!resolved(&again), "{again}");
    // Once the workspace's files are a second old, its `--no-deps` answer is kept in the target
    // directory: nothing is asked of cargo until a manifest changes.
    backdate(&dir);
    assert!(calls(&[]).contains("--no-deps"), "the backdated files are new inputs");
    let kept = calls(&[]);
    assert!(kept.is_empty(), "nothing asked of cargo: {kept}");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("[workspace]", "[features]\nextra = []\n\n[workspace]")).unwrap();
    let edited = calls(&[]);
    assert!(edited.contains("--no-deps") && !resolved(&edited), "{edited}");
}

/// Dates every file and directory under `dir` a minute back.
#[cfg(unix)]
fn backdate(dir: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
        std::fs::File::open(&path).unwrap().set_modified(then).unwrap();
    }
}
