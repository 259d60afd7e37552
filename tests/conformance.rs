//! Conformance with controller-gen: each fixture under fixtures/conformance/ ports the Go types of
//! one of controller-gen's own test cases to Rust. The real binary's YAML and controller-gen's
//! golden (fixtures/conformance/controller-tools/, copied from controller-tools' test data) are
//! parsed into JSON trees and compared path by path.
//!
//! Normalized before comparing (not a difference): controller-gen's
//! `controller-gen.kubebuilder.io/version` annotation, which crd-gen does not write (the CRD would
//! change with every tool release). `required` lists are compared as written: both tools sort them.
//!
//! Every other difference must be listed in the fixture's case below, with the same words as in
//! the fixture's README.md. A new difference fails the test, and so does a listed one that went
//! away (then update the list and the README).

use crd_gen_tests::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

const VERSION_ANNOTATION: &str = "controller-gen.kubebuilder.io/version";

/// One fixture against one controller-gen golden.
struct Case {
    /// Directory under fixtures/conformance/.
    fixture: &'static str,
    /// Golden file under fixtures/conformance/controller-tools/.
    golden: &'static str,
    /// Extra `manifests` arguments.
    args: &'static [&'static str],
    /// Subtrees (JSON pointers) that inline Kubernetes API types from k8s-openapi: their
    /// descriptions are the OpenAPI spec's, which joins the Go comment's lines, so they are
    /// compared with runs of whitespace made one space.
    k8s: &'static [&'static str],
    /// The remaining differences, as [`differences`] prints them (`vN:` is
    /// `/spec/versions/N/schema/openAPIV3Schema`).
    known: &'static [&'static str],
}

fn golden_dir() -> PathBuf {
    fixture("conformance/controller-tools")
}

/// Parses one YAML document (a file may start with `---`).
fn parse_yaml(text: &str, what: &str) -> Value {
    let mut docs: Vec<Value> = serde_saphyr::from_multiple(text).unwrap_or_else(|e| panic!("{what}: not YAML: {e}"));
    assert_eq!(docs.len(), 1, "{what}: expected one YAML document, found {}", docs.len());
    docs.remove(0)
}

fn generate(case: &Case) -> Value {
    let manifest = fixture(&format!("conformance/{}", case.fixture)).join("Cargo.toml");
    let mut args = vec!["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--color", "never"];
    args.extend_from_slice(case.args);
    let out = run(&args);
    assert!(out.status.success(), "{}: crd-gen failed ({:?}):\n{}", case.fixture, out.status, stderr(&out));
    parse_yaml(&stdout(&out), &format!("crd-gen output for {}", case.fixture))
}

/// Removes what the comparison ignores (see the module comment).
fn normalize(v: &mut Value) {
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            ann.remove(VERSION_ANNOTATION);
        }
        if meta.get("annotations").and_then(Value::as_object).is_some_and(|a| a.is_empty()) {
            meta.remove("annotations");
        }
    }
}

/// Every `description` below `v` with its runs of whitespace made one space.
fn collapse_descriptions(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(text) if k == "description" => *text = text.split_whitespace().collect::<Vec<_>>().join(" "),
                    _ => collapse_descriptions(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(collapse_descriptions),
        _ => {}
    }
}

/// `/spec/versions/1/schema/openAPIV3Schema/properties/x` -> `v1:/properties/x`.
fn short(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/spec/versions/")
        && let Some((n, tail)) = rest.split_once('/')
        && let Some(tail) = tail.strip_prefix("schema/openAPIV3Schema")
    {
        return format!("v{n}:{tail}");
    }
    path.to_string()
}

fn brief(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 100 { format!("{}...", s.chars().take(100).collect::<String>()) } else { s }
}

/// Path-by-path differences: `- path` only controller-gen has it, `+ path` only crd-gen has it,
/// `~ path` both, with different values. Each comes with the values, for the failure message.
fn differences(golden: &Value, ours: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(golden, ours, String::new(), &mut out);
    out
}

fn walk(g: &Value, o: &Value, path: String, out: &mut Vec<(String, String)>) {
    match (g, o) {
        (Value::Object(gm), Value::Object(om)) => {
            let keys: BTreeSet<&String> = gm.keys().chain(om.keys()).collect();
            for k in keys {
                let p = format!("{path}/{k}");
                match (gm.get(k), om.get(k)) {
                    (Some(gv), Some(ov)) => walk(gv, ov, p, out),
                    (Some(gv), None) => out.push((format!("- {}", short(&p)), format!("controller-gen: {}", brief(gv)))),
                    (None, Some(ov)) => out.push((format!("+ {}", short(&p)), format!("crd-gen: {}", brief(ov)))),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(ga), Value::Array(oa)) if path.ends_with("/required") && !same_members(ga, oa) => {
            for g in ga.iter().filter(|g| !oa.contains(g)) {
                out.push((format!("- {}[{}]", short(&path), g.as_str().unwrap_or_default()), "only controller-gen requires it".into()));
            }
            for o in oa.iter().filter(|o| !ga.contains(o)) {
                out.push((format!("+ {}[{}]", short(&path), o.as_str().unwrap_or_default()), "only crd-gen requires it".into()));
            }
        }
        (Value::Array(ga), Value::Array(oa)) if ga.len() == oa.len() => {
            for (i, (gv, ov)) in ga.iter().zip(oa).enumerate() {
                walk(gv, ov, format!("{path}/{i}"), out);
            }
        }
        _ if g != o => {
            out.push((format!("~ {}", short(&path)), format!("controller-gen: {}\n      crd-gen:        {}", brief(g), brief(o))))
        }
        _ => {}
    }
}

/// The same names, in any order (then a difference in order shows as `~ .../required`).
fn same_members(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

fn check(case: &Case) {
    let golden_path = golden_dir().join(case.golden);
    let text = std::fs::read_to_string(&golden_path).unwrap_or_else(|e| panic!("read {}: {e}", golden_path.display()));
    let mut golden = parse_yaml(&text, case.golden);
    let mut ours = generate(case);
    normalize(&mut golden);
    normalize(&mut ours);
    for pointer in case.k8s {
        for tree in [&mut golden, &mut ours] {
            if let Some(sub) = tree.pointer_mut(pointer) {
                collapse_descriptions(sub);
            }
        }
    }
    let found = differences(&golden, &ours);
    let known: BTreeSet<&str> = case.known.iter().copied().collect();
    let unexpected: Vec<&(String, String)> = found.iter().filter(|(d, _)| !known.contains(d.as_str())).collect();
    let found_keys: BTreeSet<&str> = found.iter().map(|(d, _)| d.as_str()).collect();
    let gone: Vec<&&str> = case.known.iter().filter(|k| !found_keys.contains(**k)).collect();
    if unexpected.is_empty() && gone.is_empty() {
        return;
    }
    let mut msg = format!(
        "fixtures/conformance/{} vs controller-gen's {} (`-` only controller-gen, `+` only crd-gen, `~` both, different):\n",
        case.fixture, case.golden
    );
    if !unexpected.is_empty() {
        msg.push_str("\nnew differences (fix crd-gen or the port, or list them in the case and the fixture's README.md):\n");
        for (d, detail) in unexpected {
            msg.push_str(&format!("  {d}\n      {detail}\n"));
        }
    }
    if !gone.is_empty() {
        msg.push_str("\nlisted differences that are gone (remove them from the case and the README.md):\n");
        for d in gone {
            msg.push_str(&format!("  {d}\n"));
        }
    }
    panic!("{msg}");
}

#[test]
fn plural() {
    check(&Case {
        fixture: "plural",
        golden: "plural/plural.example.com_testquotas.yaml",
        args: &[],
        k8s: &[],
        known: &[
            // The Go type has its field beside `metadata`; a crd-gen resource's fields are under `spec`.
            "- v0:/properties/test",
            "+ v0:/properties/spec",
        ],
    });
}

#[test]
fn enums() {
    check(&Case { fixture: "enums", golden: "testdata.kubebuilder.io_enums.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn foos() {
    check(&Case { fixture: "foos", golden: "gen/bar.example.com_foos.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn foos_max_desc_len() {
    check(&Case {
        fixture: "foos",
        golden: "gen/bar.example.com_foos_maxdesclen.yaml",
        args: &["--max-desc-len", "50"],
        k8s: &[],
        known: &[],
    });
}

#[test]
fn zoo() {
    check(&Case { fixture: "zoo", golden: "gen/zoo/bar.example.com_zoos.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn multiple_versions() {
    check(&Case {
        fixture: "multiple_versions",
        golden: "multiple_versions/testdata.kubebuilder.io_versionedresources.yaml",
        args: &[],
        k8s: &[],
        known: &[],
    });
}

#[test]
fn oneofs() {
    check(&Case { fixture: "oneofs", golden: "testdata.kubebuilder.io_oneofs.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn externaldocs() {
    check(&Case { fixture: "externaldocs", golden: "testdata.kubebuilder.io_externaldocs.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn immutabletypes() {
    check(&Case { fixture: "immutabletypes", golden: "testdata.kubebuilder.io_immutabletypes.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn job() {
    check(&Case { fixture: "job", golden: "testdata.kubebuilder.io_jobs.yaml", args: &[], k8s: &[], known: &[] });
}

#[test]
fn cronjob() {
    check(&Case {
        fixture: "cronjob",
        golden: "testdata.kubebuilder.io_cronjobs.yaml",
        args: &[],
        k8s: &[
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/jobTemplate",
            "/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/active",
        ],
        known: &[
            // controller-gen read k8s.io/api 1.36; the port uses k8s-openapi's v1_34 (as the
            // other fixtures): fields added since, and descriptions that changed.
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/schedulingGroup",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/volumes/items/properties/projected/properties/sources/items/properties/podCertificate/properties/userAnnotations",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/managedBy/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/containers/items/properties/resizePolicy/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/containers/items/properties/securityContext/properties/procMount/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/ephemeralContainers/items/properties/securityContext/properties/procMount/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/hostUsers/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/initContainers/items/properties/resizePolicy/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/initContainers/items/properties/securityContext/properties/procMount/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/resourceClaims/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/resourceClaims/items/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/resourceClaims/items/properties/resourceClaimTemplateName/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/tolerations/items/properties/operator/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/volumes/items/properties/ephemeral/properties/volumeClaimTemplate/properties/spec/properties/resources/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/volumes/items/properties/image/description",
            "~ v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/volumes/items/properties/portworxVolume/description",
            // The OpenAPI spec has no description for the items of a list of a named string type
            // (`[]Capability`); controller-gen writes the type's doc comment.
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/containers/items/properties/securityContext/properties/capabilities/properties/add/items/description",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/containers/items/properties/securityContext/properties/capabilities/properties/drop/items/description",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/ephemeralContainers/items/properties/securityContext/properties/capabilities/properties/add/items/description",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/ephemeralContainers/items/properties/securityContext/properties/capabilities/properties/drop/items/description",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/initContainers/items/properties/securityContext/properties/capabilities/properties/add/items/description",
            "- v0:/properties/spec/properties/jobTemplate/properties/spec/properties/template/properties/spec/properties/initContainers/items/properties/securityContext/properties/capabilities/properties/drop/items/description",
            // Go `int`/`float64` have no format; Rust's i64/f64 do.
            "+ v0:/properties/spec/properties/array/items/format",
            "+ v0:/properties/spec/properties/associativeList/items/properties/secondary/format",
            "+ v0:/properties/spec/properties/enumSlice/items/format",
            "+ v0:/properties/spec/properties/float64WithValidations/format",
            "+ v0:/properties/spec/properties/floatWithValidations/format",
            "+ v0:/properties/spec/properties/forbiddenInt/format",
            "+ v0:/properties/spec/properties/intWithValidations/format",
            "+ v0:/properties/spec/properties/k8sAssociativeList/items/properties/secondary/format",
            "+ v0:/properties/spec/properties/k8sNestedAssociativeList/items/properties/secondary/format",
            "+ v0:/properties/spec/properties/nestedassociativeList/items/properties/secondary/format",
            // A Rust array `[T; 3]` has exactly three items.
            "+ v0:/properties/spec/properties/array/maxItems",
            "+ v0:/properties/spec/properties/array/minItems",
            "+ v0:/properties/spec/properties/arrayUsingCompositeLiteral/maxItems",
            "+ v0:/properties/spec/properties/arrayUsingCompositeLiteral/minItems",
            // Field markers replace the type's; controller-gen keeps both in an allOf.
            "- v0:/properties/spec/properties/fieldLevelAliasOverride/allOf",
            "+ v0:/properties/spec/properties/fieldLevelAliasOverride/maxLength",
            "+ v0:/properties/spec/properties/fieldLevelAliasOverride/minLength",
            "- v0:/properties/spec/properties/fieldLevelLocalDeclarationOverride/allOf",
            "+ v0:/properties/spec/properties/fieldLevelLocalDeclarationOverride/minLength",
            // The type's CEL rule comes before the field's; controller-gen puts the field's first.
            "~ v0:/properties/spec/properties/stringWithEvenLengthAndGoodPrefix/x-kubernetes-validations/0/message",
            "~ v0:/properties/spec/properties/stringWithEvenLengthAndGoodPrefix/x-kubernetes-validations/0/rule",
            "~ v0:/properties/spec/properties/stringWithEvenLengthAndGoodPrefix/x-kubernetes-validations/1/message",
            "~ v0:/properties/spec/properties/stringWithEvenLengthAndGoodPrefix/x-kubernetes-validations/1/rule",
            // The Go v1beta2 root has no spec; a crd-gen resource always has a spec struct.
            "+ v2:/properties/spec",
        ],
    });
}

/// controller-gen writes `group: ""` (CRD name `cronjobs.`), which the API server rejects;
/// crd-gen refuses the resource and says which line to fix.
#[test]
fn nogroup_is_refused() {
    let manifest = fixture("conformance/nogroup").join("Cargo.toml");
    let out = run(&["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "", "nothing is printed when the resource is refused");
    let err = stderr(&out);
    assert!(err.contains("error: group `` must be a lowercase DNS subdomain with at least one dot"), "{err}");
    assert!(err.contains("fixtures/conformance/nogroup/src/lib.rs:11:7"), "{err}");
    // The golden it is compared against: controller-gen's output has the empty group.
    let golden = parse_yaml(&std::fs::read_to_string(golden_dir().join("testdata._cronjobs.yaml")).unwrap(), "testdata._cronjobs.yaml");
    assert_eq!(golden["spec"]["group"], Value::String(String::new()));
    assert_eq!(golden["metadata"]["name"], "cronjobs.");
}

/// The comparison itself: it finds each kind of difference and ignores what it should.
#[test]
fn differences_are_found_and_normalized() {
    let mut a: Value = serde_json::json!({
        "metadata": {"annotations": {VERSION_ANNOTATION: "(devel)"}, "name": "x"},
        "spec": {"versions": [{"schema": {"openAPIV3Schema": {"required": ["b", "a"], "properties": {"p": {"type": "string"}}}}}]}
    });
    let mut b: Value = serde_json::json!({
        "metadata": {"name": "x"},
        "spec": {"versions": [{"schema": {"openAPIV3Schema": {"required": ["a", "c"], "properties": {"p": {"type": "integer"}, "q": {}}}}}]}
    });
    normalize(&mut a);
    normalize(&mut b);
    let found: Vec<String> = differences(&a, &b).into_iter().map(|(d, _)| d).collect();
    assert_eq!(found, ["~ v0:/properties/p/type", "+ v0:/properties/q", "- v0:/required[b]", "+ v0:/required[c]"]);
    // Same names in another order is a difference too: both tools sort `required`.
    let order = |r: [&str; 2]| serde_json::json!({"spec": {"versions": [{"schema": {"openAPIV3Schema": {"required": r}}}]}});
    let found: Vec<String> = differences(&order(["a", "b"]), &order(["b", "a"])).into_iter().map(|(d, _)| d).collect();
    assert_eq!(found, ["~ v0:/required/0", "~ v0:/required/1"]);
}
