//! Every fixture through the real binary: `manifests --stdout` equals the golden file in the
//! fixture's config/crd/bases, and `manifests --check` agrees.

use crd_gen_tests::*;

fn golden_case(name: &str) {
    let dir = fixture(name);
    golden_check(name, &dir.join("Cargo.toml"), &dir.join("config/crd/bases"), &[]);
}

/// `manifests` on `manifest` (with `extra` arguments, e.g. `-p NAME`) prints exactly the golden
/// files in `bases`, and `--check` agrees.
fn golden_check(name: &str, manifest: &std::path::Path, bases: &std::path::Path, extra: &[&str]) {
    let manifest = manifest.to_str().unwrap();
    let run_args = |args: &[&str]| run(&[args, extra].concat());
    let out = run_args(&["manifests", "--manifest-path", manifest, "--stdout", "--color", "never"]);
    assert!(out.status.success(), "{name}: exit {:?}\n{}", out.status, stderr(&out));
    let text = stdout(&out);
    // --stdout prints the files in name order; split them back on the document markers.
    let docs: Vec<String> =
        text.split("\n---\n").enumerate().map(|(i, d)| if i == 0 { d.to_string() } else { format!("---\n{d}") }).collect();
    let mut names: Vec<String> = std::fs::read_dir(bases)
        .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".yaml")).collect())
        .unwrap_or_default();
    names.sort();
    if std::env::var_os("CRD_GEN_BLESS").is_some() {
        let out = run_args(&["manifests", "--manifest-path", manifest]);
        assert!(out.status.success(), "{}", stderr(&out));
        return;
    }
    assert_eq!(docs.len(), names.len(), "{name}: {} documents generated, {} golden files ({names:?})", docs.len(), names.len());
    for (doc, file) in docs.iter().zip(&names) {
        let doc = if doc.ends_with('\n') { doc.clone() } else { format!("{doc}\n") };
        assert_golden(&bases.join(file), &doc);
    }
    let check = run_args(&["manifests", "--manifest-path", manifest, "--check"]);
    assert!(check.status.success(), "{name}: --check failed:\n{}{}", stdout(&check), stderr(&check));
    // The YAML reads back as exactly the CRD the engine built (the emitter loses nothing).
    let mut plan_for = crd_gen::Generator::new().manifest_path(manifest);
    for pair in extra.windows(2) {
        match pair[0] {
            "-p" => plan_for = plan_for.package(pair[1]),
            "-F" | "--features" => plan_for = plan_for.features([pair[1]]),
            _ => {}
        }
    }
    for flag in extra {
        match *flag {
            "--all-features" => plan_for = plan_for.all_features(),
            "--no-default-features" => plan_for = plan_for.no_default_features(),
            _ => {}
        }
    }
    let plan = plan_for.plan();
    let built: Vec<serde_json::Value> = plan.generated.crates.iter().flat_map(|c| &c.files).map(|f| f.crd().to_json()).collect();
    let read: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text).unwrap_or_else(|e| panic!("{name}: output is not YAML: {e}"));
    assert_eq!(read.len(), built.len(), "{name}");
    for (r, b) in read.iter().zip(&built) {
        assert!(json_eq(r, b), "{name}: the YAML does not read back as the CRD built for {}", b["metadata"]["name"]);
    }
}

/// JSON equality with numbers compared by value (YAML `2` and JSON `2.0` are the same number).
fn json_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => x.as_f64() == y.as_f64(),
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (V::Object(x), V::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w))),
        _ => a == b,
    }
}

#[test]
fn guestbook() {
    golden_case("guestbook");
}

#[test]
fn kube_derive_migrated() {
    golden_case("kube-derive-migrated");
}

#[test]
fn cronjob() {
    golden_case("cronjob");
}

#[test]
fn go_port() {
    golden_case("go-port");
}

#[test]
fn enums() {
    golden_case("enums");
}

#[test]
fn generics() {
    golden_case("generics");
}

/// A workspace of its own whose resources (in `operator`) use types of another member (`api`):
/// the virtual manifest generates every member with resources, `-p operator` the same files.
#[test]
fn workspace() {
    let dir = fixture("workspace");
    let bases = dir.join("operator/config/crd/bases");
    golden_check("workspace", &dir.join("Cargo.toml"), &bases, &[]);
    golden_check("workspace -p operator", &dir.join("Cargo.toml"), &bases, &["-p", "operator"]);
    golden_check("workspace/operator", &dir.join("operator/Cargo.toml"), &bases, &[]);
}

/// One source, two release channels behind a cargo feature: each invocation generates what
/// `cargo build` with the same flags compiles (fields, a variant, markers through `cfg_attr`, a
/// whole kind, a `#[cfg_attr(.., path = ..)]` module), each into its own directory.
#[test]
fn channels() {
    let dir = fixture("channels");
    let manifest = dir.join("Cargo.toml");
    let standard = dir.join("config/crd/standard");
    let experimental = dir.join("config/crd/experimental");
    golden_check("channels standard", &manifest, &standard, &["--output-dir", standard.to_str().unwrap()]);
    golden_check(
        "channels experimental",
        &manifest,
        &experimental,
        &["--output-dir", experimental.to_str().unwrap(), "--features", "experimental"],
    );
    // cargo's other spellings of the same feature sets.
    golden_check("channels -F", &manifest, &experimental, &["--output-dir", experimental.to_str().unwrap(), "-F", "channels/experimental"]);
    golden_check("channels --all-features", &manifest, &experimental, &["--output-dir", experimental.to_str().unwrap(), "--all-features"]);
    // Without the default feature, the status has no conditions.
    let out = run(&["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--no-default-features"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = stdout(&out);
    assert!(yaml.contains("accepted:") && !yaml.contains("conditions:"), "{yaml}");
    let with_default = std::fs::read_to_string(standard.join("gateway.example.com_routes.yaml")).unwrap();
    assert!(with_default.contains("conditions:"));
    // A feature the package does not have is cargo's error.
    let out = run(&["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--features", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}

#[test]
fn printcolumns_scale() {
    golden_case("printcolumns-scale");
}

// The conformance fixtures' own goldens: what crd-gen writes for controller-gen's test cases
// (tests/conformance.rs compares them with controller-gen's output).

#[test]
fn conformance_plural() {
    golden_case("conformance/plural");
}

#[test]
fn conformance_enums() {
    golden_case("conformance/enums");
}

#[test]
fn conformance_foos() {
    golden_case("conformance/foos");
}

#[test]
fn conformance_zoo() {
    golden_case("conformance/zoo");
}

#[test]
fn conformance_multiple_versions() {
    golden_case("conformance/multiple_versions");
}

#[test]
fn conformance_oneofs() {
    golden_case("conformance/oneofs");
}

#[test]
fn conformance_externaldocs() {
    golden_case("conformance/externaldocs");
}

#[test]
fn conformance_immutabletypes() {
    golden_case("conformance/immutabletypes");
}

#[test]
fn conformance_job() {
    golden_case("conformance/job");
}

#[test]
fn conformance_cronjob() {
    golden_case("conformance/cronjob");
}

/// A kube-rs 5 controller on crd-gen's root type (group from the module docs, version from the
/// module name, k8s-openapi's Condition in the status).
#[test]
fn kube_operator() {
    golden_case("kube-operator");
}

#[test]
fn build_rs() {
    golden_case("build-rs");
}

/// Every marker of docs/markers.md on one kind (tests/markers_enforced.rs checks what each does).
#[test]
fn all_markers() {
    golden_case("all-markers");
}
