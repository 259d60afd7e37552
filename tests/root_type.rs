//! The root type in a real crate built by cargo: `crd_yaml()` follows every edit of a type the
//! resource reaches (build.rs reruns for exactly the files the engine read), a no-op
//! `cargo build` runs nothing, and a name the derive cannot take is an error with the fix.

use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A crate outside the repository (inside it, it would join the workspace).
fn outside(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crd-gen-root-type-{}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

/// A Guestbook crate whose spec reaches a type in another module, and a binary printing its CRD.
/// `name` is the package name: tests share the target directory, so each needs its own.
fn guestbook_crate(dir: &Path, name: &str) {
    let root = repo_root();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ncrd-gen-derive = {{ path = \"{}\" }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nk8s-openapi = {{ version = \"0.29\", features = [\"v1_34\"] }}\n\n[build-dependencies]\ncrd-gen = {{ path = \"{}\", default-features = false, features = [\"cargo\"] }}\n",
        root.join("crd-gen-derive").display(),
        root.join("crd-gen").display()
    );
    write(dir, "Cargo.toml", &manifest);
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    write(
        dir,
        "build.rs",
        "fn main() -> Result<(), crd_gen::BuildError> {\n    crd_gen::Generator::from_build_env()?.run()?;\n    Ok(())\n}\n",
    );
    write(
        dir,
        "src/main.rs",
        "mod types;\n\nuse crd_gen_derive::CustomResource;\nuse serde::{Deserialize, Serialize};\n\n/// A guestbook.\n#[derive(CustomResource, Serialize, Deserialize, Clone, Debug)]\n#[crd(group = \"webapp.my.domain\", version = \"v1\")]\npub struct GuestbookSpec {\n    pub page: types::Page,\n}\n\nfn main() {\n    print!(\"{}\", Guestbook::crd_yaml());\n}\n",
    );
    write(
        dir,
        "src/types.rs",
        "use serde::{Deserialize, Serialize};\n\n#[derive(Serialize, Deserialize, Clone, Debug)]\npub struct Page {\n    pub title: String,\n}\n",
    );
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo).args(args).arg("--offline").current_dir(dir).env("CARGO_TARGET_DIR", target).output().unwrap()
}

fn run_ok(dir: &Path) -> String {
    let o = cargo(dir, &["run", "--quiet"]);
    assert!(o.status.success(), "cargo run failed:\n{}", stderr(&o));
    stdout(&o)
}

#[test]
fn crd_yaml_follows_an_edit_of_a_reached_type_and_a_no_op_build_runs_nothing() {
    let dir = outside("fresh");
    guestbook_crate(&dir, "fresh-guestbook");
    let first = run_ok(&dir);
    assert!(first.contains("                  title:\n"), "{first}");
    assert!(!first.contains("subtitle"), "{first}");

    // Nothing changed: cargo runs neither the build script nor rustc.
    let started = std::time::Instant::now();
    let noop = cargo(&dir, &["build", "-v"]);
    let took = started.elapsed();
    assert!(noop.status.success(), "{}", stderr(&noop));
    let log = stderr(&noop);
    assert!(log.contains("Fresh fresh-guestbook"), "{log}");
    assert!(!log.contains("Running `") && !log.contains("Compiling fresh-guestbook"), "{log}");
    eprintln!("no-op cargo build: {:.0} ms", took.as_secs_f64() * 1000.0);

    // An edit in the other module: the next build has the new field in its CRD.
    write(
        &dir,
        "src/types.rs",
        "use serde::{Deserialize, Serialize};\n\n#[derive(Serialize, Deserialize, Clone, Debug)]\npub struct Page {\n    pub title: String,\n    /// Shown under the title.\n    pub subtitle: Option<String>,\n}\n",
    );
    let second = run_ok(&dir);
    assert!(second.contains("                  subtitle:\n                    description: Shown under the title.\n"), "{second}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_type_of_the_root_types_name_is_an_error_with_the_fix() {
    let dir = outside("collision");
    guestbook_crate(&dir, "colliding-guestbook");
    write(
        &dir,
        "src/types.rs",
        "use serde::{Deserialize, Serialize};\n\n#[derive(Serialize, Deserialize, Clone, Debug)]\npub struct Page {\n    pub title: String,\n}\n\npub struct Guestbook;\n",
    );
    let main = std::fs::read_to_string(dir.join("src/main.rs"))
        .unwrap()
        .replace("mod types;\n", "mod types;\nuse types::Guestbook as _Taken;\npub struct Guestbook;\n");
    write(&dir, "src/main.rs", &main);
    let o = cargo(&dir, &["build"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("`#[derive(CustomResource)]` on `GuestbookSpec` generates a root type `Guestbook`, which this module already has"),
        "{err}"
    );
    assert!(err.contains("src/main.rs:3:12"), "the other `Guestbook`: {err}");
    assert!(err.contains("`#[crd(root_type = \"GuestbookResource\")]`, or generate none with `#[crd(no_root_type)]`"), "{err}");

    // The fix the message names.
    let main = main
        .replace("#[crd(group", "#[crd(root_type = \"GuestbookResource\", group")
        .replace("Guestbook::crd_yaml", "GuestbookResource::crd_yaml");
    write(&dir, "src/main.rs", &main);
    let o = cargo(&dir, &["run", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("    kind: Guestbook\n"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
