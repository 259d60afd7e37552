//! The generated part of `crd-gen/src/lower/k8s_markers.txt` is what controller-gen wrote for the
//! Kubernetes API types the conformance cronjob inlines (batch/v1 JobTemplateSpec, core/v1
//! ObjectReference), read from controller-gen's golden CRD: for each k8s-openapi type crd-gen
//! inlines there (it marks each node with its type), the markers the golden has and the OpenAPI
//! spec does not. `CRD_GEN_BLESS=1` rewrites that part; `tests/conformance.rs` then checks that
//! the inlined types equal controller-gen's.

use crd_gen::schema::Schema;
use crd_gen_tests::*;
use serde_json::Value;
use std::collections::BTreeMap;

const GENERATED: &str = "\n# --- generated\n";

/// Type path -> field (`.` for the type) -> marker lines, in first-seen order.
type Markers = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn golden_version() -> Value {
    let text = std::fs::read_to_string(fixture("conformance/controller-tools/testdata.kubebuilder.io_cronjobs.yaml")).unwrap();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

fn ours_version() -> Schema {
    let manifest = fixture("conformance/cronjob").join("Cargo.toml");
    let plan = crd_gen::Generator::new().manifest_path(manifest.to_str().unwrap()).plan();
    assert!(!plan.generated.has_errors(), "{}", plan.generated.render_diagnostics(false));
    let crd = &plan.generated.crates[0].files[0].crd();
    crd.spec.versions.iter().find(|v| v.name == "v1").unwrap().schema.open_api_v3_schema.clone()
}

fn push(out: &mut Markers, ty: &str, field: &str, marker: String) {
    let list = out.entry(ty.to_string()).or_default().entry(field.to_string()).or_default();
    if !list.contains(&marker) {
        list.push(marker);
    }
}

/// Whether `ours` has `key` from k8s-openapi itself (not from a marker crd-gen applied).
fn from_openapi(ours: &Schema, key: &str, marker_name: &str) -> bool {
    ours.to_json().get(key).is_some() && !ours.marker_locs.iter().any(|(n, _)| n.name() == marker_name)
}

/// The Go markers for what `g` (controller-gen's node) says and k8s-openapi's `ours` does not.
fn value_markers(g: &Value, ours: &Schema, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let num = |v: &Value| v.to_string();
    let simple: [(&str, &str, &str); 10] = [
        ("maxLength", "MaxLength", "max_length"),
        ("minLength", "MinLength", "min_length"),
        ("minimum", "Minimum", "minimum"),
        ("maximum", "Maximum", "maximum"),
        ("multipleOf", "MultipleOf", "multiple_of"),
        ("maxItems", "MaxItems", "max_items"),
        ("minItems", "MinItems", "min_items"),
        ("maxProperties", "MaxProperties", "max_properties"),
        ("minProperties", "MinProperties", "min_properties"),
        ("format", "Format", "format"),
    ];
    for (key, go, name) in simple {
        if let Some(v) = g.get(key)
            && !from_openapi(ours, key, name)
        {
            let text = v.as_str().map(str::to_string).unwrap_or_else(|| num(v));
            out.push(format!("kubebuilder:validation:{prefix}{go}={text}"));
        }
    }
    if let Some(p) = g.get("pattern").and_then(Value::as_str)
        && !from_openapi(ours, "pattern", "pattern")
    {
        out.push(format!("kubebuilder:validation:{prefix}Pattern=`{p}`"));
    }
    if let Some(values) = g.get("enum").and_then(Value::as_array)
        && !from_openapi(ours, "enum", "enum_values")
    {
        let list: Vec<String> = values.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect();
        out.push(format!("kubebuilder:validation:{prefix}Enum={}", list.join(";")));
    }
    for rule in g.get("x-kubernetes-validations").and_then(Value::as_array).into_iter().flatten() {
        let mut args = vec![format!("rule={}", rule["rule"])];
        if let Some(m) = rule.get("message") {
            args.push(format!("message={m}"));
        }
        out.push(format!("kubebuilder:validation:{prefix}XValidation:{}", args.join(",")));
    }
    out
}

/// The markers of field `name` (controller-gen's `g`, crd-gen's `ours`) that belong to the type
/// holding it.
fn field_markers(g: &Value, ours: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = g.get("x-kubernetes-list-type").and_then(Value::as_str) {
        out.push(format!("listType={t}"));
    }
    for k in g.get("x-kubernetes-list-map-keys").and_then(Value::as_array).into_iter().flatten() {
        out.push(format!("listMapKey={}", k.as_str().unwrap()));
    }
    // A map's map type is the field's; a struct's is its type's (its own node says it).
    if let Some(t) = g.get("x-kubernetes-map-type").and_then(Value::as_str)
        && ours.k8s_type.is_none()
    {
        out.push(format!("mapType={t}"));
    }
    if let Some(d) = g.get("default") {
        out.push(format!("default={d}"));
    }
    if ours.k8s_type.is_none() {
        out.extend(value_markers(g, ours, ""));
    }
    if let (Some(gi), Some(oi)) = (g.get("items"), ours.items.as_deref())
        && oi.k8s_type.is_none()
    {
        out.extend(value_markers(gi, oi, "items:"));
    }
    out
}

fn walk(g: &Value, ours: &Schema, out: &mut Markers) {
    if let Some(ty) = &ours.k8s_type {
        if g.get("x-kubernetes-map-type").and_then(Value::as_str) == Some("atomic") {
            push(out, ty, ".", "structType=atomic".into());
        }
        for (name, o) in ours.properties.iter().flatten() {
            if let Some(gp) = g.get("properties").and_then(|p| p.get(name)) {
                for m in field_markers(gp, o) {
                    push(out, ty, name, m);
                }
            }
        }
    }
    for (name, o) in ours.properties.iter().flatten() {
        if let Some(gp) = g.get("properties").and_then(|p| p.get(name)) {
            walk(gp, o, out);
        }
    }
    if let (Some(gi), Some(oi)) = (g.get("items"), ours.items.as_deref()) {
        walk(gi, oi, out);
    }
    if let (Some(ga), Some(oa)) = (g.get("additionalProperties"), ours.additional_properties.as_deref()) {
        walk(ga, oa, out);
    }
}

fn render(markers: &Markers) -> String {
    let mut text = String::new();
    for (ty, fields) in markers {
        text.push_str(&format!("\n[{ty}]\n"));
        for (field, lines) in fields {
            for l in lines {
                text.push_str(&format!("{field} +{l}\n"));
            }
        }
    }
    text
}

#[test]
fn generated_markers_are_controller_gens() {
    let golden = golden_version();
    let ours = ours_version();
    let mut markers = Markers::new();
    for path in [["spec", "jobTemplate"], ["status", "active"]] {
        let (g, o) = (&golden["properties"][path[0]]["properties"][path[1]], &ours.properties.as_ref().unwrap()[path[0]]);
        walk(g, &o.properties.as_ref().unwrap()[path[1]], &mut markers);
    }
    let file = repo_root().join("crd-gen/src/lower/k8s_markers.txt");
    let current = std::fs::read_to_string(&file).unwrap();
    let (head, generated) = current.split_once(GENERATED).expect("k8s_markers.txt has a generated section");
    let fresh = render(&markers);
    if std::env::var_os("CRD_GEN_BLESS").is_some() {
        std::fs::write(&file, format!("{head}{GENERATED}{}", fresh.trim_start())).unwrap();
        return;
    }
    assert!(
        generated.trim() == fresh.trim(),
        "k8s_markers.txt's generated section is stale: run `CRD_GEN_BLESS=1 cargo test -p crd-gen-tests --test k8s_markers` and review the diff"
    );
}
