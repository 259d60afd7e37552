//! Ownership: a resource removed or renamed (a new plural, a new group) leaves no CRD file
//! behind, `--check` fails until `manifests` removed it, and crd-gen never removes or claims a
//! file it did not write (a kustomization, a user's own CRD, a file a user replaced, a path a
//! tampered record names).

use crd_gen_tests::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Crate {
    dir: PathBuf,
    manifest: PathBuf,
    out: PathBuf,
}

impl Crate {
    fn new(name: &str, package: &str, lib_rs: &str) -> Crate {
        let dir = scratch(name);
        let manifest = write_crate(&dir, package, lib_rs);
        let out = dir.join("config/crd/bases");
        Crate { dir, manifest, out }
    }
    fn source(&self, lib_rs: &str) {
        std::fs::write(self.dir.join("src/lib.rs"), lib_rs).unwrap();
    }
    fn run(&self, extra: &[&str]) -> std::process::Output {
        let m = self.manifest.to_str().unwrap().to_string();
        run_in(&self.dir, &[&["manifests", "--manifest-path", &m, "--color", "never"], extra].concat())
    }
    fn file(&self, name: &str) -> PathBuf {
        self.out.join(name)
    }
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "exit {:?}\n{}", out.status.code(), stderr(out));
    stderr(out)
}

fn fails(out: &std::process::Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
    stderr(out)
}

/// What `kubectl apply -f DIR` would install: every CRD document of every .yaml/.yml/.json file,
/// as (group, kind) -> files defining it.
fn installed(dir: &Path) -> BTreeMap<(String, String), Vec<String>> {
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for d in docs.iter().filter(|d| d["kind"] == "CustomResourceDefinition") {
            let key = (d["spec"]["group"].as_str().unwrap().to_string(), d["spec"]["names"]["kind"].as_str().unwrap().to_string());
            out.entry(key).or_default().push(name.clone());
        }
    }
    out
}

const KUSTOMIZATION: &str = "resources:\n- a.example.com_foos.yaml\n";
const USERS_CRD: &str = "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.other.io\nspec:\n  group: other.io\n  names:\n    kind: Thing\n    listKind: ThingList\n    plural: things\n    singular: thing\n  scope: Namespaced\n  versions: []\n";
const USERS_WIDGET: &str = "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.a.example.com\nspec:\n  group: a.example.com\n  names:\n    kind: Widget\n    listKind: WidgetList\n    plural: widgets\n    singular: widget\n  scope: Namespaced\n  versions: []\n";

#[test]
fn renamed_and_removed_resources_leave_no_file_and_users_files_stay() {
    let c = Crate::new("orphans-rename", "shop", &(resource("Foo", "a.example.com", "") + &resource("Bar", "b.example.com", "")));
    std::fs::create_dir_all(&c.out).unwrap();
    let users: [(&str, &str); 4] = [
        ("kustomization.yaml", KUSTOMIZATION),
        ("other.io_things.yaml", USERS_CRD),
        ("a.example.com_widgets.yaml", USERS_WIDGET),
        ("README.md", "CRDs of the shop\n"),
    ];
    for (name, text) in users {
        std::fs::write(c.file(name), text).unwrap();
    }
    ok(&c.run(&[]));
    assert!(c.file("a.example.com_foos.yaml").is_file() && c.file("b.example.com_bars.yaml").is_file());
    let record = std::fs::read_to_string(c.file(".crd-gen-owned")).unwrap();
    assert!(record.ends_with("a.example.com_foos.yaml shop\nb.example.com_bars.yaml shop\n"), "{record}");

    // A new plural: the old file is an orphan; --check says so, manifests removes it.
    c.source(&(resource("Foo", "a.example.com", ", plural = \"foobies\"") + &resource("Bar", "b.example.com", "")));
    let check = c.run(&["--check"]);
    let err = fails(&check, 1);
    let old = c.file("a.example.com_foos.yaml");
    assert!(
        err.contains(&format!(
            "{} is no longer generated (its resource was removed or renamed: it holds CRD `foos.a.example.com`, kind `Foo`); `manifests` removes it",
            old.display()
        )),
        "{err}"
    );
    assert!(err.contains("a.example.com_foobies.yaml is missing"), "{err}");
    let err = ok(&c.run(&[]));
    assert!(err.contains(&format!("removed {}: its resource was removed or renamed", old.display())), "{err}");
    assert!(!old.exists());
    ok(&c.run(&["--check"]));

    // A new group: the old file's group is no longer the crate's; the record still knows it.
    c.source(&(resource("Foo", "a.example.com", ", plural = \"foobies\"") + &resource("Bar", "c.example.com", "")));
    assert!(fails(&c.run(&["--check"]), 1).contains("b.example.com_bars.yaml is no longer generated"));
    ok(&c.run(&[]));
    assert!(!c.file("b.example.com_bars.yaml").exists() && c.file("c.example.com_bars.yaml").is_file());
    ok(&c.run(&["--check"]));
    // kubectl would install exactly one CRD per kind.
    for ((group, kind), files) in installed(&c.out) {
        assert_eq!(files.len(), 1, "{group}/{kind} is defined by {files:?}");
    }

    // A resource removed: its file goes.
    c.source(&resource("Bar", "c.example.com", ""));
    assert!(ok(&c.run(&[])).contains("a.example.com_foobies.yaml: its resource was removed or renamed"));
    // Every resource gone: a run that finds none is an error (they may hide where crd-gen cannot
    // see) and removes nothing.
    c.source("pub struct NotAResource;\n");
    let err = fails(&c.run(&[]), 1);
    assert!(err.contains("no resources found in `shop`") && err.contains("nothing is written or removed"), "{err}");
    assert!(c.file("c.example.com_bars.yaml").is_file() && c.file(".crd-gen-owned").is_file());
    fails(&c.run(&["--check"]), 1);
    // Skipped on purpose: their files go, and then the record.
    c.source(&format!("pub mod retired {{\n//! +kubebuilder:skip\n{}}}\n", resource("Bar", "c.example.com", "")));
    let err = fails(&c.run(&["--check"]), 1);
    assert!(err.contains("c.example.com_bars.yaml is no longer generated"), "{err}");
    let err = ok(&c.run(&[]));
    assert!(err.contains("c.example.com_bars.yaml: its resource was removed") && err.contains("no CRDs generated"), "{err}");
    assert!(!c.file(".crd-gen-owned").exists(), "an empty record is removed");
    ok(&c.run(&["--check"]));

    // Through all of it, the user's files were not touched.
    for (name, text) in users {
        assert_eq!(std::fs::read_to_string(c.file(name)).unwrap(), text, "{name}");
    }
}

#[test]
fn files_crd_gen_did_not_write_are_never_claimed() {
    let c = Crate::new("orphans-not-ours", "shop", &(resource("Foo", "a.example.com", "") + &resource("Bar", "b.example.com", "")));
    ok(&c.run(&[]));

    // Output from before the record existed: an unrecorded file defines the kind crd-gen now
    // generates under a new plural. Both would be installed; crd-gen refuses, and removes nothing.
    std::fs::remove_file(c.file(".crd-gen-owned")).unwrap();
    c.source(&(resource("Foo", "a.example.com", ", plural = \"foobies\"") + &resource("Bar", "b.example.com", "")));
    let before = snapshot_tree(&c.dir);
    let old = c.file("a.example.com_foos.yaml");
    let clash = format!(
        "`{}` also defines kind `Foo` of group `a.example.com` (as CRD `foos.a.example.com`), which crd-gen generates as `{}`",
        old.display(),
        c.file("a.example.com_foobies.yaml").display()
    );
    for args in [&[][..], &["--check"]] {
        let err = fails(&c.run(args), 1);
        assert!(err.contains(&clash) && err.contains("KindConflict") && err.contains("delete it"), "{args:?}: {err}");
        let changes = tree_changes(&before, &snapshot_tree(&c.dir));
        assert!(changes.is_empty(), "{args:?}: {changes:?}");
    }
    std::fs::remove_file(&old).unwrap();
    ok(&c.run(&[]));

    // A recorded file the user replaced with something else is left alone, and disowned.
    std::fs::write(c.file("b.example.com_bars.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n").unwrap();
    c.source(&resource("Foo", "a.example.com", ", plural = \"foobies\""));
    let err = ok(&c.run(&[]));
    assert!(err.contains("is listed in `.crd-gen-owned`, but it no longer holds the CRD its name stands for"), "{err}");
    assert!(std::fs::read_to_string(c.file("b.example.com_bars.yaml")).unwrap().contains("ConfigMap"));
    assert!(!std::fs::read_to_string(c.file(".crd-gen-owned")).unwrap().contains("bars"));

    // A tampered record cannot reach outside the directory.
    let outside = c.out.parent().unwrap().join("escape.yaml");
    std::fs::write(&outside, USERS_CRD).unwrap();
    let mut record = std::fs::read_to_string(c.file(".crd-gen-owned")).unwrap();
    record.push_str("../escape.yaml shop\n/etc/hostname shop\n");
    std::fs::write(c.file(".crd-gen-owned"), record).unwrap();
    let err = ok(&c.run(&[]));
    assert!(err.contains("is not `<file>.yaml <package>`; it is ignored"), "{err}");
    assert!(outside.is_file() && Path::new("/etc/hostname").exists());
    ok(&c.run(&["--check"]));
}

#[test]
fn packages_sharing_an_output_directory_keep_each_others_files() {
    let shared = scratch("orphans-shared").join("crds");
    let alpha = Crate::new("orphans-shared-alpha", "alpha", &resource("Foo", "a.example.com", ""));
    let beta = Crate::new("orphans-shared-beta", "beta", &resource("Bar", "b.example.com", ""));
    let dir = shared.to_str().unwrap();
    ok(&alpha.run(&["--output-dir", dir]));
    ok(&beta.run(&["--output-dir", dir]));
    ok(&alpha.run(&["--output-dir", dir]));
    let record = std::fs::read_to_string(shared.join(".crd-gen-owned")).unwrap();
    assert!(record.contains("a.example.com_foos.yaml alpha\n") && record.contains("b.example.com_bars.yaml beta\n"), "{record}");
    ok(&alpha.run(&["--output-dir", dir, "--check"]));
    ok(&beta.run(&["--output-dir", dir, "--check"]));

    // alpha's resource is skipped: only alpha's file goes.
    alpha.source(&format!("pub mod retired {{\n//! +kubebuilder:skip\n{}}}\n", resource("Foo", "a.example.com", "")));
    assert!(fails(&alpha.run(&["--output-dir", dir, "--check"]), 1).contains("a.example.com_foos.yaml is no longer generated"));
    ok(&alpha.run(&["--output-dir", dir]));
    assert!(!shared.join("a.example.com_foos.yaml").exists() && shared.join("b.example.com_bars.yaml").is_file());
    ok(&beta.run(&["--output-dir", dir, "--check"]));
}

#[test]
fn one_kind_generated_twice_into_one_directory_is_an_error() {
    let root = scratch("orphans-twice");
    std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = [\"one\", \"two\"]\nresolver = \"3\"\n").unwrap();
    let write_member = |name: &str, lib: &str| {
        std::fs::create_dir_all(root.join(name).join("src")).unwrap();
        std::fs::write(
            root.join(name).join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n"),
        )
        .unwrap();
        std::fs::write(root.join(name).join("src/lib.rs"), lib).unwrap();
    };
    let shared = root.join("crds");
    let args = |extra: &[&str]| {
        let manifest = root.join("Cargo.toml");
        let out = run_in(
            &root,
            &[&["manifests", "--manifest-path", manifest.to_str().unwrap(), "--output-dir", shared.to_str().unwrap()], extra].concat(),
        );
        assert!(!shared.exists() || std::fs::read_dir(&shared).unwrap().next().is_none(), "nothing may be written");
        out
    };
    // Two plurals of one kind: two CRDs, one kind.
    write_member("one", &resource("Foo", "a.example.com", ""));
    write_member("two", &resource("Foo", "a.example.com", ", plural = \"foozes\""));
    let err = fails(&args(&[]), 1);
    assert!(err.contains("a.example.com_foos.yaml` and `") && err.contains("both define kind `Foo` of group `a.example.com`"), "{err}");
    // One CRD from two packages: one file would overwrite the other.
    write_member("two", &resource("Foo", "a.example.com", ""));
    let err = fails(&args(&[]), 1);
    assert!(err.contains("would both be written to") && err.contains("(the second by package `two`)"), "{err}");
    fails(&args(&["--check"]), 1);
}

#[test]
fn a_run_with_nothing_to_write_creates_no_directory() {
    // No resources: an error, and nothing is created.
    let c = Crate::new("orphans-none", "empty", "pub struct NotAResource;\n");
    assert!(fails(&c.run(&[]), 1).contains("no resources found in `empty`"));
    assert!(!c.out.exists(), "an output directory was created for a failed run");
    // Every resource skipped: success, and still no directory.
    c.source(&format!("pub mod internal {{\n//! +kubebuilder:skip\n{}}}\n", resource("Foo", "a.example.com", "")));
    let err = ok(&c.run(&[]));
    assert!(err.contains("no CRDs generated: every resource is in a module marked `+kubebuilder:skip`"), "{err}");
    assert!(!c.out.exists(), "an empty output directory was created");
    ok(&c.run(&["--check"]));
}
