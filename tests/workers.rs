//! The engine on several threads (`-j N`) writes the same bytes as on one, and reports the same
//! problems: every fixture, a synthetic operator crate, and crates built to split what must stay
//! together (a kind's versions, kinds sharing a plural, a macro and its calls) across workers.

use crd_gen::{Generated, Options};
use crd_gen_tests::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "../crd-gen/benches/support/synth.rs"]
#[allow(dead_code)]
mod synth;

/// Files (name, bytes), root entries, and the diagnostics as (severity, file, line, message)
/// sorted: workers report in their own order.
type Answer = (Vec<(String, String)>, Vec<String>, Vec<String>);

fn answer(g: &Generated) -> Answer {
    let files = g.crates.iter().flat_map(|c| &c.files).map(|f| (f.name.clone(), f.contents.to_string())).collect();
    let roots = g.crates.iter().flat_map(|c| &c.roots).map(|r| format!("{r:?}")).collect();
    let mut diags: Vec<String> = g
        .diagnostics
        .iter()
        .map(|d| {
            let at = match &d.place {
                crd_gen::diag::Place::Source(l) => format!("{}:{}:{}", g.sources.get(l.file).path.display(), l.line, l.col),
                other => format!("{other:?}"),
            };
            let notes: Vec<String> = d
                .notes
                .iter()
                .map(|(p, n)| match p {
                    crd_gen::diag::Place::Source(l) => format!("{}:{} {n}", g.sources.get(l.file).path.display(), l.line),
                    other => format!("{other:?} {n}"),
                })
                .collect();
            format!("{:?} {at} {} {:?} {notes:?}", d.severity, d.message, d.help)
        })
        .collect();
    diags.sort();
    (files, roots, diags)
}

fn run_crate(root_file: &Path, jobs: usize) -> Answer {
    let source = Arc::new(crd_gen::source::CrateSource::standalone("split", root_file.to_path_buf()));
    answer(&crd_gen::run(&[source], &Options { jobs: Some(jobs), ..Options::default() }))
}

#[track_caller]
/// Which worker takes which module varies from run to run (the first to come to it), so each
/// number of workers runs twice.
fn assert_same_on_any_number_of_workers(root_file: &Path) -> Answer {
    let one = run_crate(root_file, 1);
    for jobs in [2, 3, 5, 2, 3] {
        let many = run_crate(root_file, jobs);
        assert_eq!(one.0.len(), many.0.len(), "-j {jobs}: number of files");
        for (a, b) in one.0.iter().zip(&many.0) {
            assert!(a == b, "-j {jobs}: {} differs from the one-thread run's", a.0);
        }
        assert_eq!(one.1, many.1, "-j {jobs}: root entries");
        assert_eq!(one.2, many.2, "-j {jobs}: diagnostics");
    }
    one
}

fn write_tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir.join("lib.rs")
}

#[test]
fn every_fixture_is_the_same_bytes_on_several_threads() {
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(repo_root().join("fixtures"))
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path().join("Cargo.toml")))
        .filter(|m| m.is_file())
        .collect();
    manifests.push(repo_root().join("fixtures/ports/flux-image/Cargo.toml"));
    manifests.sort();
    assert!(manifests.len() >= 12, "{manifests:?}");
    for manifest in manifests {
        let plan = |jobs| answer(&crd_gen::Generator::new().manifest_path(&manifest).jobs(jobs).plan().generated);
        let one = plan(1);
        assert!(!one.0.is_empty() || !one.2.is_empty(), "{}: nothing generated", manifest.display());
        for jobs in [2, 4] {
            assert!(one == plan(jobs), "{}: -j {jobs} differs from -j 1", manifest.display());
        }
    }
}

#[test]
fn a_synthetic_operator_crate_is_the_same_bytes_on_several_threads() {
    let dir = scratch("workers-synth");
    synth::write(&dir, 60, 7, synth::Status::Plain);
    let one = assert_same_on_any_number_of_workers(&dir.join("src/lib.rs"));
    assert_eq!(one.0.len(), 60);
    assert!(one.2.iter().all(|d| !d.starts_with("Error")), "{:?}", one.2);
}

const SHARED: &str = "pub mod a;\npub mod b;\npub mod c;\npub mod common;\n";

fn spec(kind: &str, version: &str, extra: &str) -> String {
    format!(
        "#[derive(CustomResource)]\n#[crd(group = \"split.example.com\", version = \"{version}\"{extra})]\npub struct {kind}Spec {{\n    pub shared: crate::common::Shared,\n    #[crd(minimum = 1)]\n    pub size: i32,\n}}\n"
    )
}

/// A crate of [`SHARED`]'s layout: one v1 kind (with extra markers) in each of a.rs, b.rs, c.rs,
/// and `common` as common.rs.
fn three_leaves(name: &str, kinds: [(&str, &str); 3], common: &str) -> PathBuf {
    let specs = kinds.map(|(kind, extra)| spec(kind, "v1", extra));
    write_tree(name, &[("lib.rs", SHARED), ("a.rs", &specs[0]), ("b.rs", &specs[1]), ("c.rs", &specs[2]), ("common.rs", common)])
}

#[test]
fn a_kind_whose_versions_live_in_different_leaves_is_one_crd() {
    let (a, b) = (spec("Widget", "v1", ", storage_version"), spec("Widget", "v2", ""));
    let lib = write_tree(
        "workers-versions",
        &[
            ("lib.rs", SHARED),
            ("a.rs", &a),
            ("b.rs", &b),
            ("c.rs", &spec("Gadget", "v1", "")),
            ("common.rs", "/// Shared by every kind.\npub struct Shared {\n    pub name: String,\n}\n"),
        ],
    );
    let one = assert_same_on_any_number_of_workers(&lib);
    let widgets = one.0.iter().find(|(n, _)| n == "split.example.com_widgets.yaml").unwrap_or_else(|| panic!("{:?}", one.2));
    assert!(widgets.1.contains("name: v1") && widgets.1.contains("name: v2"), "{}", widgets.1);
    assert_eq!(one.0.len(), 2);
}

#[test]
fn kinds_sharing_a_plural_in_different_leaves_are_reported_once() {
    let plural = ", plural = \"things\"";
    let lib = three_leaves(
        "workers-plural",
        [("Widget", plural), ("Gadget", plural), ("Other", "")],
        "pub struct Shared {\n    pub name: String,\n}\n",
    );
    let one = assert_same_on_any_number_of_workers(&lib);
    assert_eq!(one.2.iter().filter(|d| d.contains("both use the plural `things`")).count(), 1, "{:?}", one.2);
}

/// The other conflicts between resources in different leaves: which one a message calls the
/// first must not depend on which worker read which leaf.
#[test]
fn conflicting_versions_in_different_leaves_are_reported_alike_on_any_number_of_workers() {
    let storage = ", storage_version";
    let cases = [
        ("workers-two-storage", [spec("Widget", "v1", storage), spec("Widget", "v2", storage), spec("Other", "v1", "")], "storage"),
        ("workers-same-version", [spec("Widget", "v1", ""), spec("Other", "v1", ""), spec("Widget", "v1", "")], "v1"),
    ];
    for (name, [a, b, c], needle) in cases {
        let common = "pub struct Shared {\n    pub name: String,\n}\n";
        let lib = write_tree(name, &[("lib.rs", SHARED), ("a.rs", &a), ("b.rs", &b), ("c.rs", &c), ("common.rs", common)]);
        let one = assert_same_on_any_number_of_workers(&lib);
        assert!(one.2.iter().any(|d| d.starts_with("Error") && d.contains(needle)), "{name}: {:?}", one.2);
    }
}

#[test]
fn a_problem_in_a_type_every_worker_lowers_is_reported_once() {
    let common = "pub struct Shared {\n    #[crd(maximum = \"ten\")]\n    pub n: i32,\n    pub what: Unknown,\n}\n";
    let lib = three_leaves("workers-shared-error", [("Widget", ""), ("Gadget", ""), ("Other", "")], common);
    let one = assert_same_on_any_number_of_workers(&lib);
    assert!(one.0.is_empty());
    assert_eq!(one.2.iter().filter(|d| d.contains("common.rs:4:")).count(), 1, "{:?}", one.2);
    assert_eq!(one.2.iter().filter(|d| d.contains("common.rs:2:")).count(), 1, "{:?}", one.2);
}

#[test]
fn a_deriving_macro_called_in_another_leaf_is_an_error_at_the_call() {
    let lib = write_tree(
        "workers-macro",
        &[
            ("lib.rs", "#[macro_use]\npub mod a;\npub mod b;\npub mod c;\npub mod common;\n"),
            (
                "a.rs",
                "macro_rules! resource {\n    ($n:ident) => {\n        #[derive(CustomResource)]\n        pub struct $n { pub a: String }\n    };\n}\n",
            ),
            ("b.rs", "resource!(HiddenSpec);\n"),
            ("c.rs", &spec("Widget", "v1", "")),
            ("common.rs", "pub struct Shared {\n    pub name: String,\n}\n"),
        ],
    );
    let one = assert_same_on_any_number_of_workers(&lib);
    assert_eq!(one.2.iter().filter(|d| d.contains("`resource!` derives `CustomResource` in its body")).count(), 1, "{:?}", one.2);
}

#[test]
fn resources_in_the_skeleton_and_below_leaves_are_found_once() {
    let lib = write_tree(
        "workers-skeleton",
        &[
            ("lib.rs", &format!("pub mod api;\npub mod common;\n{}", spec("Root", "v1", ""))),
            ("api/mod.rs", "pub mod a;\npub mod b;\nmod inline {\n    pub mod deeper {}\n}\n"),
            ("api/a.rs", &format!("use super::*;\n{}\npub mod nested {{\n{}}}\n", spec("Widget", "v1", ""), spec("Nested", "v1", ""))),
            ("api/b.rs", &format!("#[path = \"b_more.rs\"]\nmod more;\npub use more::*;\n{}", spec("Gadget", "v1", ""))),
            ("api/b_more.rs", &spec("More", "v1", "")),
            ("common.rs", "pub struct Shared {\n    pub name: String,\n}\n"),
        ],
    );
    let one = assert_same_on_any_number_of_workers(&lib);
    let names: Vec<&str> = one.0.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "split.example.com_gadgets.yaml",
            "split.example.com_mores.yaml",
            "split.example.com_nesteds.yaml",
            "split.example.com_roots.yaml",
            "split.example.com_widgets.yaml"
        ]
    );
}

#[test]
fn a_crate_with_no_resources_is_the_same_error_on_several_threads() {
    let lib = write_tree(
        "workers-none",
        &[("lib.rs", SHARED), ("a.rs", "some_macro!();\n"), ("b.rs", "pub struct B;\n"), ("c.rs", ""), ("common.rs", "")],
    );
    let one = assert_same_on_any_number_of_workers(&lib);
    assert!(one.2.iter().any(|d| d.contains("no resources found")), "{:?}", one.2);
}

/// Every k8s-openapi source file skims (`source/skim.rs`: bodies blanked before parsing a
/// dependency) to a file that parses to the same items, with the same signatures and lines.
#[test]
fn every_k8s_openapi_file_skims_to_the_same_items() {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).unwrap();
    let version =
        lock.split("name = \"k8s-openapi\"\nversion = \"").nth(1).and_then(|r| r.split('"').next()).expect("k8s-openapi in Cargo.lock");
    let home =
        std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let src = std::fs::read_dir(home.join("registry/src"))
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path().join(format!("k8s-openapi-{version}/src"))))
        .find(|p| p.is_dir())
        .expect("k8s-openapi's source in the cargo registry (a dependency of this test crate)");
    let (mut files, mut stack) = (0, vec![src]);
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let skimmed = crd_gen::source::skim::skim(&text).unwrap_or_else(|| text.clone());
            assert_eq!(skimmed.lines().count(), text.lines().count(), "{}", path.display());
            let (a, b) = (syn::parse_file(&text).unwrap(), syn::parse_file(&skimmed).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
            assert_eq!(shapes(&a.items), shapes(&b.items), "{}", path.display());
            files += 1;
        }
    }
    assert!(files > 500, "{files} files");
}

/// What of each item a skim must keep: all of it, but an `impl`'s and a function's body
/// (a `JsonSchema` impl is kept whole: crd-gen reads it); inline modules item by item.
fn shapes(items: &[syn::Item]) -> Vec<String> {
    use quote::ToTokens;
    let text = |t: &dyn ToTokens| t.to_token_stream().to_string();
    items
        .iter()
        .flat_map(|item| match item {
            syn::Item::Impl(i) if !text(&i.trait_.as_ref().map(|t| t.0.clone())).contains("JsonSchema") => {
                vec![format!("impl {} for {}", text(&i.trait_.as_ref().map(|t| t.0.clone())), text(&i.self_ty))]
            }
            syn::Item::Fn(f) => vec![text(&f.sig)],
            syn::Item::Mod(m) if m.content.is_some() => {
                let mut v = vec![format!("mod {}", m.ident)];
                v.extend(shapes(&m.content.as_ref().unwrap().1));
                v
            }
            other => vec![text(other)],
        })
        .collect()
}
