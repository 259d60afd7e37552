//! `cargo crd-gen create api` as a user runs it, on real crates: a fresh `cargo new` crate that
//! then builds and gives the golden CRD, a second kind in the same version, an existing module
//! tree (a main.rs crate with `mod api;` and other modules, the guestbook fixture's flat
//! `v1.rs`), a kind behind a feature found, refusing to overwrite and `--force`, and bad names,
//! each with its message and exit code and nothing written.

use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory for a test crate outside the repository: `cargo new` inside the repo's
/// workspace would make the crate a member of it.
fn outside(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crd-gen-create-api-{}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn cargo_new(dir: &Path, kind: &str) {
    let o = cargo().args(["new", "--offline", "--vcs", "none", "--quiet", kind]).arg(dir).output().unwrap();
    assert!(o.status.success(), "cargo new: {}", stderr(&o));
}

fn crd_gen(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = command_in(dir, args);
    cmd.args(["--color", "never"]);
    cmd.output().unwrap()
}

fn create(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["create", "api"];
    all.extend_from_slice(args);
    crd_gen(dir, &all)
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn golden(name: &str) -> PathBuf {
    repo_root().join("tests/create_api").join(name)
}

/// The stderr lines without the run's duration (`, in 12 ms`).
fn lines(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .map(|l| match l.rfind(", in ") {
            Some(i) if l.ends_with(" ms") || l.ends_with(" s") => l[..i].to_string(),
            _ => l.to_string(),
        })
        .collect()
}

/// `cargo build --offline` of a test crate into the workspace's target directory, so the
/// dependencies it shares with the workspace (serde, syn, the derive) are built once.
fn build(dir: &Path) {
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    let started = std::time::Instant::now();
    let o = cargo().args(["build", "--offline", "--quiet"]).current_dir(dir).env("CARGO_TARGET_DIR", target).output().unwrap();
    assert!(o.status.success(), "cargo build of the scaffolded crate failed:\n{}", stderr(&o));
    eprintln!("cargo build of {} took {:.1} s", dir.display(), started.elapsed().as_secs_f64());
}

#[test]
fn a_fresh_crate_builds_and_gives_the_golden_crd_and_takes_a_second_kind() {
    let dir = outside("guestbook");
    cargo_new(&dir, "--lib");
    let lib_before = read(dir.join("src/lib.rs"));
    let o = create(&dir, &["--group", "webapp", "--version", "v1", "--kind", "Guestbook", "--domain", "my.domain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "stdout carries no messages: {}", stdout(&o));
    let derive = repo_root().join("crd-gen-derive");
    assert_eq!(
        lines(&o),
        [
            "crd-gen: edited src/lib.rs: declared `pub mod api;`".to_string(),
            "crd-gen: created src/api/mod.rs".into(),
            "crd-gen: created src/api/v1/mod.rs".into(),
            "crd-gen: created src/api/v1/guestbook.rs".into(),
            format!(
                "crd-gen: edited Cargo.toml: added serde 1 with `derive`; crd-gen-derive from {} (the crd-gen checkout this binary was built from); k8s-openapi 0.29 with `v1_34`; the domain `my.domain` in [package.metadata.crd-gen], for the next `create api`",
                derive.display()
            ),
            "crd-gen: created kind Guestbook (namespaced) in webapp.my.domain/v1".into(),
            "crd-gen: next: edit GuestbookSpec in src/api/v1/guestbook.rs, then run `cargo crd-gen manifests` to write config/crd/bases/webapp.my.domain_guestbooks.yaml".into(),
        ]
    );
    assert_eq!(read(dir.join("src/lib.rs")), format!("pub mod api;\n\n{lib_before}"));
    assert_eq!(read(dir.join("src/api/mod.rs")), "pub mod v1;\n");
    assert_eq!(read(dir.join("src/api/v1/mod.rs")), "pub mod guestbook;\n");
    assert_golden(&golden("guestbook.rs"), &read(dir.join("src/api/v1/guestbook.rs")));
    assert_eq!(
        read(dir.join("Cargo.toml")),
        format!(
            "[package]\nname = \"guestbook\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[package.metadata.crd-gen]\ndomain = \"my.domain\"\n\n[dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\ncrd-gen-derive = {{ path = \"{}\" }}\nk8s-openapi = {{ version = \"0.29\", features = [\"v1_34\"] }}\n",
            derive.display()
        )
    );

    build(&dir);
    let o = crd_gen(&dir, &["manifests"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(lines(&o), ["crd-gen: wrote 1, unchanged 0"]);
    assert_golden(&golden("webapp.my.domain_guestbooks.yaml"), &read(dir.join("config/crd/bases/webapp.my.domain_guestbooks.yaml")));
    assert_eq!(crd_gen(&dir, &["manifests", "--check"]).status.code(), Some(0));

    // A second kind in the same version takes the recorded domain and one line in v1/mod.rs.
    let toml = read(dir.join("Cargo.toml"));
    let o = create(&dir, &["--group", "webapp", "--version", "v1", "--kind", "Visitor"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o)[..2],
        ["crd-gen: edited src/api/v1/mod.rs: declared `pub mod visitor;`", "crd-gen: created src/api/v1/visitor.rs"]
    );
    assert_eq!(read(dir.join("src/api/v1/mod.rs")), "pub mod guestbook;\npub mod visitor;\n");
    assert_eq!(read(dir.join("Cargo.toml")), toml, "nothing to add");
    assert_eq!(read(dir.join("src/lib.rs")).matches("pub mod api;").count(), 1);
    assert!(read(dir.join("src/api/v1/visitor.rs")).contains("#[crd(group = \"webapp.my.domain\", version = \"v1\", kind = \"Visitor\""));
    build(&dir);
    let o = crd_gen(&dir, &["manifests"]);
    assert_eq!(lines(&o), ["crd-gen: wrote 1, unchanged 1"], "{}", stderr(&o));

    // The same kind again: refused, pointing at the declaration.
    let guestbook = dir.join("src/api/v1/guestbook.rs");
    std::fs::write(&guestbook, read(&guestbook).replace("pub foo: Option<String>,", "pub foo: Option<String>,\n    pub size: i32,"))
        .unwrap();
    let before = snapshot_tree(&dir);
    let o = create(&dir, &["--group", "webapp", "--version", "v1", "--kind", "Guestbook"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: kind `Guestbook` already exists in webapp.my.domain/v1\n"), "{err}");
    assert!(err.contains("--> src/api/v1/guestbook.rs:16:12\n"), "paths relative to the current directory: {err}");
    assert!(err.contains("= help: pass `--force` to overwrite it with a new scaffold, or choose another kind"), "{err}");
    assert!(err.ends_with("error: could not create the API due to 1 previous error\n"), "{err}");
    assert!(tree_changes(&before, &snapshot_tree(&dir)).is_empty());
    // --force overwrites that file, and only it.
    let o = create(&dir, &["--group", "webapp", "--version", "v1", "--kind", "Guestbook", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(lines(&o)[0], "crd-gen: overwrote (--force) src/api/v1/guestbook.rs");
    assert_eq!(tree_changes(&before, &snapshot_tree(&dir)), ["changed src/api/v1/guestbook.rs"]);
    assert_golden(&golden("guestbook.rs"), &read(&guestbook));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_existing_module_tree_gets_one_line_where_one_is_missing() {
    let dir = outside("tree");
    std::fs::create_dir_all(dir.join("src/api")).unwrap();
    let derive = repo_root().join("crd-gen-derive");
    let toml = format!(
        "[package]\nname = \"tree\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n# serialization\nserde = \"1\"\ncrd-gen-derive = {{ path = \"{}\" }} # the derive\n",
        derive.display()
    );
    std::fs::write(dir.join("Cargo.toml"), &toml).unwrap();
    let main = "//! A controller.\n\nmod api;\nmod reconcile;\n\nfn main() {}\n";
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    std::fs::write(dir.join("src/reconcile.rs"), "").unwrap();
    std::fs::write(dir.join("src/api/mod.rs"), "//! The APIs.\n\npub mod common;\n").unwrap();
    std::fs::write(dir.join("src/api/common.rs"), "pub struct Shared;\n").unwrap();
    let o = create(&dir, &["--group", "batch.example.com", "--version", "v1alpha1", "--kind", "CronJob", "--cluster"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        lines(&o)[..4],
        [
            "crd-gen: edited src/api/mod.rs: declared `pub mod v1alpha1;`",
            "crd-gen: created src/api/v1alpha1/mod.rs",
            "crd-gen: created src/api/v1alpha1/cron_job.rs",
            "crd-gen: edited Cargo.toml: added the `derive` feature of serde; k8s-openapi 0.29 with `v1_34`",
        ]
    );
    assert_eq!(read(dir.join("src/main.rs")), main, "`mod api;` is there already");
    assert_eq!(read(dir.join("src/api/mod.rs")), "//! The APIs.\n\npub mod common;\npub mod v1alpha1;\n");
    assert_eq!(read(dir.join("src/api/v1alpha1/mod.rs")), "pub mod cron_job;\n");
    let k8s = "k8s-openapi = { version = \"0.29\", features = [\"v1_34\"] }\n";
    assert_eq!(read(dir.join("Cargo.toml")), toml.replace("serde = \"1\"", "serde = { version = \"1\", features = [\"derive\"] }") + k8s);
    let module = read(dir.join("src/api/v1alpha1/cron_job.rs"));
    assert!(
        module.contains("#[crd(group = \"batch.example.com\", version = \"v1alpha1\", kind = \"CronJob\", status = \"CronJobStatus\", scope = \"Cluster\")]"),
        "{module}"
    );
    assert!(module.contains("Edit cron_job.rs to remove/update"), "{module}");
    let o = crd_gen(&dir, &["manifests", "--stdout"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("  name: cronjobs.batch.example.com\n") && stdout(&o).contains("  scope: Cluster\n"), "{}", stdout(&o));

    // A main.rs crate without the module gets a private `mod api;` after its last `mod`.
    std::fs::write(dir.join("src/main.rs"), "//! A controller.\n\nmod reconcile;\n\nfn main() {}\n").unwrap();
    std::fs::remove_dir_all(dir.join("src/api")).unwrap();
    let o = create(&dir, &["--group", "batch.example.com", "--version", "v1", "--kind", "CronJob"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(dir.join("src/main.rs")), "//! A controller.\n\nmod reconcile;\nmod api;\n\nfn main() {}\n");
    assert_eq!(read(dir.join("src/api/mod.rs")), "pub mod v1;\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The guestbook fixture keeps its version in a flat `src/api/v1.rs`: a new kind goes beside
/// it (`src/api/v1/visitor.rs`, declared in v1.rs); its own kind is found where it is.
#[test]
fn a_flat_version_module_and_a_kind_declared_elsewhere() {
    let dir = scratch("create-api-flat");
    copy_dir(&fixture("guestbook"), &dir);
    let toml = read(dir.join("Cargo.toml"))
        .replace("../../crd-gen-derive", repo_root().join("crd-gen-derive").to_str().unwrap())
        .replace("../../crd-gen", repo_root().join("crd-gen").to_str().unwrap());
    std::fs::write(dir.join("Cargo.toml"), toml + "\n[workspace]\n").unwrap();
    let before = snapshot_tree(&dir);
    let o = create(&dir, &["--group", "webapp.my.domain", "--version", "v1", "--kind", "Guestbook", "--force"]);
    assert_eq!(o.status.code(), Some(1), "--force does not make a second Guestbook: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error: kind `Guestbook` already exists in webapp.my.domain/v1"), "{err}");
    assert!(err.contains("--> src/api/v1.rs:7:12\n"), "{err}");
    assert!(err.contains("= help: choose another kind or version, or remove this one first"), "{err}");
    assert!(tree_changes(&before, &snapshot_tree(&dir)).is_empty());

    let o = create(&dir, &["--group", "webapp.my.domain", "--version", "v1", "--kind", "Visitor"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v1 = read(dir.join("src/api/v1.rs"));
    assert!(v1.starts_with("pub mod visitor;\n\nuse crd_gen_derive::"), "{v1}");
    assert!(dir.join("src/api/v1/visitor.rs").is_file());
    let o = crd_gen(&dir, &["manifests", "-v"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("webapp.my.domain_visitors.yaml"), "{}", stderr(&o));
}

/// A kind exists whatever features a build enables: one behind a declared feature, or behind an
/// optional dependency's implicit one, is found although neither is on by default.
#[test]
fn a_kind_behind_a_feature_exists() {
    let dir = scratch("create-api-feature");
    for (feature, toml) in
        [("beta", "[features]\nbeta = []\n"), ("chrono", "[dependencies]\nchrono = { version = \"0.4\", optional = true }\n")]
    {
        let manifest = format!("[package]\nname = \"shop\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{toml}\n[workspace]\n");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        let gated = resource("Guestbook", "webapp.my.domain", "");
        std::fs::write(dir.join("src/lib.rs"), format!("#[cfg(feature = \"{feature}\")]\npub mod gated {{\n{gated}}}\n")).unwrap();
        let before = snapshot_tree(&dir);
        let o = create(&dir, &["--group", "webapp.my.domain", "--version", "v1", "--kind", "Guestbook"]);
        assert_eq!(o.status.code(), Some(1), "{feature}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with("error: kind `Guestbook` already exists in webapp.my.domain/v1\n  --> src/lib.rs:5:12\n"),
            "{feature}: {err}"
        );
        assert!(tree_changes(&before, &snapshot_tree(&dir)).is_empty(), "{feature}: nothing written");
    }
}

#[test]
fn an_existing_file_is_not_overwritten_without_force() {
    let dir = outside("exists");
    cargo_new(&dir, "--lib");
    std::fs::create_dir_all(dir.join("src/api/v1")).unwrap();
    std::fs::write(dir.join("src/api/v1/guestbook.rs"), "// my notes\n").unwrap();
    let before = snapshot_tree(&dir);
    let o = create(&dir, &["--group", "webapp.example.com", "--version", "v1", "--kind", "Guestbook"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let file = dir.join("src/api/v1/guestbook.rs");
    assert!(err.starts_with(&format!("error: {} exists already\n  --> ", file.display())), "{err}");
    assert!(
        err.contains("= help: pass `--force` to overwrite it with a new scaffold (its contents are lost), or choose another kind"),
        "{err}"
    );
    assert!(tree_changes(&before, &snapshot_tree(&dir)).is_empty(), "nothing is written when anything is refused");
    let o = create(&dir, &["--group", "webapp.example.com", "--version", "v1", "--kind", "Guestbook", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(&file).starts_with("//! The Guestbook API, version v1 of group webapp.example.com."));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_names_are_refused_with_the_fix_and_exit_2() {
    let dir = outside("names");
    cargo_new(&dir, "--lib");
    let before = snapshot_tree(&dir);
    let refused = |args: &[&str], expect: &[&str]| {
        let o = create(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        for e in expect {
            assert!(err.contains(e), "{args:?}: missing {e:?} in\n{err}");
        }
        assert!(tree_changes(&before, &snapshot_tree(&dir)).is_empty(), "{args:?} wrote something");
        err
    };
    refused(
        &["--group", "webapp", "--domain", "my.domain", "--version", "v1", "--kind", "guestbook"],
        &[
            "error: kind `guestbook` is not UpperCamelCase\n",
            "= help: a kind starts with an uppercase letter and has only letters and digits: `--kind Guestbook`\n",
        ],
    );
    refused(
        &["--group", "web_app", "--domain", "my.domain", "--version", "v1", "--kind", "Guestbook"],
        &["error: group `web_app` is not a valid DNS-1123 subdomain\n", "= help: use lowercase letters, digits and '-'"],
    );
    refused(
        &["--group", "webapp", "--domain", "my.domain", "--version", "1.0", "--kind", "Guestbook"],
        &["error: version `1.0` is not a Kubernetes API version\n", "`v1`, `v1alpha1`, `v2beta3`"],
    );
    refused(
        &["--group", "webapp", "--domain", "My.Domain", "--version", "v1", "--kind", "Guestbook"],
        &["error: domain `My.Domain` is not a valid DNS-1123 subdomain\n"],
    );
    refused(
        &["--group", "webapp", "--version", "v1", "--kind", "Guestbook"],
        &["error: group `webapp` needs a domain: the API group is `<group>.<domain>`\n", "pass `--domain my.domain`"],
    );
    // Every bad name at once, in one run.
    let err = refused(
        &["--group", "Web", "--version", "v1beta", "--kind", "cron-job"],
        &[
            "kind `cron-job`",
            "`--kind CronJob`",
            "version `v1beta`",
            "group `Web`",
            "error: could not create the API due to 3 previous errors\n",
        ],
    );
    assert_eq!(err.matches("error: ").count(), 4, "{err}");
    // A flag clap refuses is a usage error too.
    refused(&["--group", "webapp", "--version", "v1"], &["--kind <KIND>"]);
    refused(&["--group", "a.b", "--version", "v1", "--kind", "A", "--cluster", "--namespaced"], &["cannot be used with"]);

    // For tools: each error a JSON line, then the summary with the exit code.
    let o = crd_gen(&dir, &["create", "api", "--group", "webapp", "--version", "v1", "--kind", "guestbook", "--message-format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let events: Vec<serde_json::Value> = stderr(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events[0]["severity"], "error");
    assert_eq!(events[0]["message"], "kind `guestbook` is not UpperCamelCase");
    assert_eq!(events.last().unwrap()["event"], "summary");
    assert_eq!(events.last().unwrap()["exit_code"], 2);
    assert_eq!(events.last().unwrap()["success"], false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn modules_it_cannot_extend_are_named_with_the_fix() {
    let dir = outside("inline");
    cargo_new(&dir, "--lib");
    std::fs::write(dir.join("src/lib.rs"), "pub mod api {\n    pub mod v1 {}\n}\n").unwrap();
    let before = snapshot_tree(&dir);
    let o = create(&dir, &["--group", "a.example.com", "--version", "v1", "--kind", "Widget"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error: module `api` is written inline here; create api puts each module in its own file"), "{err}");
    assert!(err.contains("--> src/lib.rs:1:9\n"), "{err}");
    assert!(err.contains("= help: move the contents of `mod api { .. }` into its own file"), "{err}");
    std::fs::write(dir.join("src/lib.rs"), "pub mod api;\nfn broken( {}\n").unwrap();
    let o = create(&dir, &["--group", "a.example.com", "--version", "v1", "--kind", "Widget"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: cannot parse this Rust file"), "{}", stderr(&o));
    assert!(tree_changes(&before, &snapshot_tree(&dir)) == ["changed src/lib.rs"], "only the test's own edit");
    // No Cargo.toml anywhere up from here.
    let bare = outside("no-manifest");
    std::fs::create_dir_all(&bare).unwrap();
    let o = create(&bare, &["--group", "a.example.com", "--version", "v1", "--kind", "Widget"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("error: no Cargo.toml in {} or any parent directory", bare.display())), "{}", stderr(&o));
    assert!(stderr(&o).contains("= help: create the crate first (`cargo new --lib <name>`, then `cd <name>`)"), "{}", stderr(&o));
    assert!(snapshot_tree(&bare).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
