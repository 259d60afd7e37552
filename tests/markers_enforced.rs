//! fixtures/all-markers uses every marker of docs/markers.md; here each marker is shown to do
//! what it says: objects serde writes from the fixture's Rust values are accepted, and for each
//! constraint an object that breaks it is rejected (by the structural schema, a CEL rule or a
//! `x-kubernetes-*` extension, as the API server would), defaults fill in what is missing, and
//! the resource markers land in the CRD.

use all_markers::v1::*;
use crd_gen::markers::vocab;
use crd_gen_tests::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const API_VERSION: &str = "markers.example.com/v1";

fn schema() -> Value {
    fixture_schema("all-markers", "Gizmo", "v1")
}

fn gizmo(spec: Value, status: Option<Value>) -> Value {
    object(API_VERSION, "Gizmo", spec, status)
}

fn sample_spec() -> GizmoSpec {
    GizmoSpec {
        replicas: 3,
        min_replicas: 1,
        max_replicas: Some(5),
        ratio: 0.5,
        step: 15,
        name: "gizmo-1".into(),
        color: "green".into(),
        size: 4,
        region: "eu-west".into(),
        not_before: Some("2026-11-27T10:00:00Z".into()),
        tags: vec!["fast".into(), "blue".into()],
        ports: vec![
            Port { name: "ssh".into(), protocol: "TCP".into(), port: 22 },
            Port { name: "dns".into(), protocol: "TCP".into(), port: 53 },
            Port { name: "dns".into(), protocol: "UDP".into(), port: 53 },
        ],
        args: vec!["--verbose".into()],
        selector_labels: [("app".to_string(), "gizmo".to_string())].into(),
        annotations: [("note".to_string(), "hi".to_string())].into(),
        settings: Settings { mode: Some(Mode::Safe), level: Some(5) },
        limit: IntOrPercent::Percent("50%".into()),
        timeout: Seconds(90),
        note: None,
        raw: json!({ "anything": [1, "two", { "three": null }] }),
        template: Some(json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "cm" }, "data": { "k": "v" } })),
        owner: "alice".into(),
        comment: "first".into(),
        cache_key: "not in the schema".into(),
        revision: 7,
    }
}

fn sample_status() -> GizmoStatus {
    GizmoStatus {
        replicas: 3,
        selector: "app=gizmo".into(),
        phase: Some("Running".into()),
        conditions: vec![Condition {
            type_: "Ready".into(),
            status: "True".into(),
            last_transition_time: "2026-11-27T10:00:00Z".into(),
            message: Some("all good".into()),
        }],
    }
}

fn good_spec() -> Value {
    serde_json::to_value(sample_spec()).unwrap()
}

/// `value` with the node at `pointer` replaced or added (or removed, for `None`).
fn edit(value: &Value, pointer: &str, new: Option<Value>) -> Value {
    let mut value = value.clone();
    if let (Some(node), Some(new)) = (value.pointer_mut(pointer), new.clone()) {
        *node = new;
        return value;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = value.pointer_mut(parent).and_then(|p| p.as_object_mut()).unwrap_or_else(|| panic!("no object at {parent}"));
    match new {
        Some(new) => drop(parent.insert(key.to_string(), new)),
        None => drop(parent.remove(key)),
    }
    value
}

// ---------------------------------------------------------------------------------------------
// The fixture is complete.

/// The identifiers (outside string literals) inside every `#[crd(...)]` attribute of `src`.
fn crd_attribute_idents(src: &str) -> BTreeSet<String> {
    let mut idents = BTreeSet::new();
    let bytes = src.as_bytes();
    let mut from = 0;
    while let Some(at) = src[from..].find("#[crd(") {
        let mut i = from + at + "#[crd(".len();
        let mut depth = 1;
        while depth > 0 && i < bytes.len() {
            match bytes[i] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'r' if bytes.get(i + 1).is_some_and(|b| *b == b'#' || *b == b'"') && !bytes[i - 1].is_ascii_alphanumeric() => {
                    // A raw string: r"..", r#".."#.
                    let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    let close = format!("\"{}", "#".repeat(hashes));
                    let start = i + 1 + hashes + 1;
                    i = start + src[start..].find(&close).expect("raw string ends") + close.len() - 1;
                }
                b'"' => {
                    i += 1;
                    while bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let end = i + src[i..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(src.len() - i);
                    idents.insert(src[i..end].to_string());
                    i = end - 1;
                }
                _ => {}
            }
            i += 1;
        }
        from = i;
    }
    idents
}

fn fixture_source() -> String {
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir(fixture("all-markers").join("src")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).unwrap());
    }
    text
}

#[test]
fn crd_attribute_idents_reads_markers_not_strings() {
    let src = r####"#[crd(minimum = 0, rule = "maximum", j = r#"{"x": "format"}"#)] #[crd(items(min_length = 1))] crd(skip)"####;
    let idents: Vec<String> = crd_attribute_idents(src).into_iter().collect();
    assert_eq!(idents, ["items", "j", "min_length", "minimum", "rule"]);
}

/// Every marker (and every key of the grouped ones) appears in a `#[crd(...)]` attribute of the
/// fixture, so adding a marker to the vocabulary without adding it here fails.
#[test]
fn fixture_uses_every_marker() {
    let src = fixture_source();
    let idents = crd_attribute_idents(&src);
    let mut missing: Vec<&str> = vocab::MARKERS.iter().map(|m| m.name).filter(|n| *n != "unique_items" && !idents.contains(*n)).collect();
    for group in [vocab::SCALE, vocab::PRINTCOLUMN, vocab::KEY_VALUE, vocab::EXTERNAL_DOCS, vocab::VALIDATION] {
        missing.extend(group.iter().map(|m| m.name).filter(|n| !idents.contains(*n)));
    }
    assert!(missing.is_empty(), "markers not used by fixtures/all-markers: {missing:?}");
    // The API server forbids `uniqueItems: true`; crd-gen refuses the marker.
    assert!(!idents.contains("unique_items"), "unique_items cannot be in a valid CRD");
    // Some fields say theirs as Go comment markers.
    let go = src.lines().filter(|l| l.trim_start().starts_with("/// +")).count();
    assert!(go >= 8, "{go} Go comment markers");
}

// ---------------------------------------------------------------------------------------------
// Valid objects pass.

#[test]
fn objects_from_serde_validate() {
    let check = SchemaCheck::new(&schema());
    let status = serde_json::to_value(sample_status()).unwrap();
    let mut specs = vec![sample_spec()];
    let mut other = sample_spec();
    other.limit = IntOrPercent::Count(2);
    other.note = Some("a note".into());
    other.max_replicas = None;
    other.not_before = None;
    other.args = vec![];
    other.annotations.clear();
    other.settings = Settings { mode: None, level: Some(0) };
    other.raw = Value::Null;
    other.template = None;
    other.tags = vec!["a".into(), "b".into(), "c".into(), "d".into()];
    specs.push(other);
    for spec in specs {
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(serde_json::from_value::<GizmoSpec>(json.clone()).unwrap().cache_key, spec.cache_key, "serde round trip");
        check.assert_valid(&gizmo(json.clone(), Some(status.clone())));
        check.assert_valid(&gizmo(json, None));
    }
    check.assert_valid(&gizmo(good_spec(), Some(json!({}))));
}

/// Objects that only the markers make valid (serde would disagree or does not care).
#[test]
fn what_markers_allow_is_accepted() {
    let check = SchemaCheck::new(&schema());
    let good = good_spec();
    for (why, pointer, value) in [
        ("`optional`: comment may be missing", "/comment", None),
        ("`nullable`: null is kept and valid", "/note", Some(json!(null))),
        ("`int_or_string`: an integer", "/limit", Some(json!(10))),
        ("`int_or_string`: a string", "/limit", Some(json!("10%"))),
        ("`schemaless` + `preserve_unknown_fields`: any JSON", "/raw", Some(json!([1, { "a": true }]))),
        ("`preserve_unknown_fields`: a scalar too", "/raw", Some(json!("text"))),
        ("`list_type = map`: same name, other protocol", "/ports/1/protocol", Some(json!("UDP"))),
        ("`minimum` itself (Go Minimum=0)", "/minReplicas", Some(json!(0))),
        ("`maximum` itself (u16)", "/ports/0/port", Some(json!(65535))),
        ("`exclusive_minimum`: just above", "/ratio", Some(json!(0.001))),
        ("`multiple_of`: zero is a multiple", "/step", Some(json!(0))),
        ("`skip`: cacheKey is pruned, anything goes", "/cacheKey", Some(json!({ "not": "a string" }))),
        ("`embedded_resource`: an object with unknown fields", "/template/spec", Some(json!({ "x": 1 }))),
    ] {
        let mut spec = edit(&good, pointer, value);
        if why.starts_with("`list_type = map`") {
            spec["ports"][1]["port"] = json!(5353);
            spec["ports"].as_array_mut().unwrap().pop();
        }
        let errors = check.errors(&gizmo(spec.clone(), None));
        assert!(errors.is_empty(), "{why}: {errors:?} for {spec}");
    }
    let mut pruned = gizmo(good_spec(), None);
    prune(&schema(), &mut pruned);
    assert!(pruned["spec"].get("cacheKey").is_none(), "`skip`: the field is not in the schema");
    assert_eq!(pruned["spec"]["raw"], good["raw"], "`preserve_unknown_fields` keeps everything");
    assert_eq!(pruned["spec"]["template"]["data"], json!({ "k": "v" }), "an embedded resource keeps unknown fields");
    let mut null_note = gizmo(edit(&good, "/note", Some(json!(null))), None);
    prune(&schema(), &mut null_note);
    assert_eq!(null_note["spec"]["note"], json!(null), "`nullable`: null is not pruned");
}

// ---------------------------------------------------------------------------------------------
// Objects breaking a constraint are rejected.

/// (why, JSON pointer into the spec or `status:` pointer into the status, value; `None` removes it)
fn violations() -> Vec<(&'static str, &'static str, Option<Value>)> {
    vec![
        // numbers
        ("minimum = 0", "/replicas", Some(json!(-1))),
        ("maximum = 10", "/replicas", Some(json!(11))),
        ("Go Minimum=0", "/minReplicas", Some(json!(-1))),
        ("Go Maximum=10", "/minReplicas", Some(json!(11))),
        ("exclusive_minimum: at the minimum", "/ratio", Some(json!(0))),
        ("exclusive_maximum: at the maximum", "/ratio", Some(json!(1))),
        ("below the exclusive minimum", "/ratio", Some(json!(-0.5))),
        ("above the exclusive maximum", "/ratio", Some(json!(1.5))),
        ("multiple_of = 5", "/step", Some(json!(7))),
        ("enum_values of integers", "/size", Some(json!(3))),
        ("u16 maximum", "/ports/0/port", Some(json!(65536))),
        ("minimum = 1 on u16", "/ports/0/port", Some(json!(0))),
        ("maximum = 5 on a type's field", "/settings/level", Some(json!(6))),
        // strings
        ("min_length = 3", "/name", Some(json!("ab"))),
        ("max_length = 20", "/name", Some(json!("a".repeat(21)))),
        ("pattern", "/name", Some(json!("Gizmo"))),
        ("enum_values of strings", "/color", Some(json!("purple"))),
        ("min_length = 1 with immutable", "/region", Some(json!(""))),
        ("format = date-time", "/notBefore", Some(json!("yesterday"))),
        ("schema_type = string", "/timeout", Some(json!(30))),
        ("pattern on a schema_type string", "/timeout", Some(json!("30m"))),
        ("max_length with nullable", "/note", Some(json!("n".repeat(101)))),
        ("Go MaxLength=15 on a type's field", "/ports/0/name", Some(json!("p".repeat(16)))),
        ("min_length = 1 on a type's field", "/ports/0/name", Some(json!(""))),
        ("enum_values on a list-map key", "/ports/0/protocol", Some(json!("SCTP"))),
        ("enum of a unit enum", "/settings/mode", Some(json!("slow"))),
        // lists
        ("min_items = 1", "/tags", Some(json!([]))),
        ("max_items = 4", "/tags", Some(json!(["a", "b", "c", "d", "e"]))),
        ("list_type = set: duplicate items", "/tags", Some(json!(["a", "b", "a"]))),
        ("items(pattern)", "/tags", Some(json!(["Upper"]))),
        ("items(min_length)", "/tags", Some(json!([""]))),
        ("items(max_length)", "/tags", Some(json!(["abcdefghijk"]))),
        ("list_type = map: duplicate keys", "/ports/2/protocol", Some(json!("TCP"))),
        ("list_type = map: a defaulted key counts", "/ports/2/protocol", None),
        (
            "max_items = 8 on a map list",
            "/ports",
            Some(json!((1..=9).map(|p| json!({ "name": format!("p{p}"), "port": p })).collect::<Vec<_>>())),
        ),
        ("Go MaxItems=3", "/args", Some(json!(["a", "b", "c", "d"]))),
        ("a list is a list", "/args", Some(json!("a"))),
        // objects
        ("min_properties = 1", "/selectorLabels", Some(json!({}))),
        ("max_properties = 3", "/selectorLabels", Some(json!({ "a": "1", "b": "2", "c": "3", "d": "4" }))),
        ("map values keep their type", "/annotations", Some(json!({ "a": 1 }))),
        ("min_properties = 1 on a type", "/settings", Some(json!({}))),
        ("int_or_string: not a boolean", "/limit", Some(json!(true))),
        ("int_or_string: not a number", "/limit", Some(json!(1.5))),
        ("int_or_string: not an object", "/limit", Some(json!({}))),
        ("embedded_resource: an object", "/template", Some(json!("ConfigMap"))),
        ("embedded_resource: apiVersion and kind", "/template", Some(json!({ "metadata": { "name": "x" } }))),
        // required and optional
        ("required: serde defaults owner, the marker requires it", "/owner", None),
        ("serde requires name", "/name", None),
        ("the description marker does not change the type", "/owner", Some(json!(1))),
        // status
        ("status minimum = 0", "status:/replicas", Some(json!(-1))),
        ("Go Enum", "status:/phase", Some(json!("Done"))),
        (
            "status map list: duplicate type",
            "status:/conditions/1",
            Some(json!({ "type": "Ready", "status": "False", "lastTransitionTime": "2026-11-27T11:00:00Z" })),
        ),
        ("condition type pattern", "status:/conditions/0/type", Some(json!("ready"))),
        ("condition type max_length", "status:/conditions/0/type", Some(json!(format!("R{}", "e".repeat(64))))),
        ("condition status enum", "status:/conditions/0/status", Some(json!("Maybe"))),
        ("condition time format", "status:/conditions/0/lastTransitionTime", Some(json!("11 o'clock"))),
        ("condition message max_length", "status:/conditions/0/message", Some(json!("m".repeat(1025)))),
        ("a list-map key is required", "status:/conditions/0/type", None),
    ]
}

#[test]
fn objects_breaking_a_marker_are_rejected() {
    let check = SchemaCheck::new(&schema());
    let (spec, status) = (good_spec(), serde_json::to_value(sample_status()).unwrap());
    let mut accepted = Vec::new();
    for (why, pointer, value) in violations() {
        let object = match pointer.strip_prefix("status:") {
            Some(p) => {
                let mut status = status.clone();
                if p.starts_with("/conditions/1") {
                    status["conditions"].as_array_mut().unwrap().push(json!({}));
                }
                gizmo(spec.clone(), Some(edit(&status, p, value)))
            }
            None => gizmo(edit(&spec, pointer, value), Some(status.clone())),
        };
        let errors = check.errors(&object);
        if std::env::var_os("SHOW_ERRORS").is_some() {
            eprintln!("{why}: {errors:?}");
        }
        if errors.is_empty() {
            accepted.push(format!("{why}: {}", if pointer.starts_with("status:") { &object["status"] } else { &object["spec"] }));
        }
    }
    assert!(accepted.is_empty(), "accepted although a marker forbids it:\n{}", accepted.join("\n"));
}

#[test]
fn spec_required_rejects_an_object_without_spec() {
    let check = SchemaCheck::new(&schema());
    let mut no_spec = gizmo(json!({}), None);
    no_spec.as_object_mut().unwrap().remove("spec");
    check.assert_invalid(&no_spec, "spec_required");
}

/// CEL rules fail with their message (or the message their `message_expression` produces).
#[test]
fn cel_rules_fail_with_their_messages() {
    let schema = schema();
    let good = good_spec();
    let cases = [
        ("/minReplicas", json!(4), ".spec: replicas must not be below minReplicas"),
        ("/ports/0/protocol", json!("UDP"), ".spec.ports[0]: port 22 is TCP only"),
    ];
    for (pointer, value, message) in cases {
        let object = gizmo(edit(&good, pointer, Some(value)), None);
        let failures = cel_failures(&schema, &object);
        assert!(failures.iter().any(|f| f.starts_with(message)), "expected {message:?}, got {failures:?}");
        SchemaCheck::new(&schema).assert_invalid(&object, message);
    }
    // The rule with a message_expression: the helper reports the rule; the API server reports
    // what the expression says.
    let spec = edit(&good, "/maxReplicas", Some(json!(2)));
    let failures = cel_failures(&schema, &gizmo(spec.clone(), None));
    assert_eq!(failures.len(), 1, "{failures:?}");
    let rule = schema["properties"]["spec"]["x-kubernetes-validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("messageExpression").is_some())
        .expect("a rule with a messageExpression");
    assert!(failures[0].contains(rule["rule"].as_str().unwrap()));
    // `format` is cel-go's strings extension, which the API server enables (see docs/cel.md).
    let mut env = cel::Env::stdlib();
    env.add_extension(cel::extensions::strings).unwrap();
    let env = std::sync::Arc::new(env);
    let mut context = cel::Context::with_env(env.clone());
    context.add_variable("self", &spec).unwrap();
    let message = env.compile(rule["messageExpression"].as_str().unwrap()).unwrap().execute(&context).unwrap();
    assert_eq!(message, cel::Value::String(std::sync::Arc::new("maxReplicas 2 is below replicas 3".into())));
    // The rules hold for the good object and where they do not apply.
    assert!(cel_failures(&schema, &gizmo(edit(&good, "/maxReplicas", None), None)).is_empty());
    assert!(cel_failures(&schema, &gizmo(edit(&good, "/ports/1/protocol", Some(json!("UDP"))), None)).is_empty());
}

/// Transition rules (`oldSelf`) need an old object; the helper cannot run them: they must be in
/// the schema, as the markers say.
#[test]
fn transition_rules_are_in_the_schema() {
    let schema = schema();
    let spec = &schema["properties"]["spec"]["properties"];
    assert_eq!(spec["region"]["x-kubernetes-validations"], json!([{ "rule": "self == oldSelf", "message": "field is immutable" }]));
    assert_eq!(
        spec["revision"]["x-kubernetes-validations"],
        json!([{
            "rule": "!oldSelf.hasValue() || self >= oldSelf.value()",
            "message": "revision must not decrease",
            "optionalOldSelf": true,
        }])
    );
    let root_rules = &schema["properties"]["spec"]["x-kubernetes-validations"];
    assert_eq!(root_rules[0]["reason"], "FieldValueInvalid");
    assert_eq!(root_rules[0]["fieldPath"], ".replicas");
    assert_eq!(spec["ports"]["items"]["x-kubernetes-validations"][0]["reason"], "FieldValueForbidden");
}

// ---------------------------------------------------------------------------------------------
// Defaults.

#[test]
fn missing_fields_get_their_defaults() {
    let schema = schema();
    let check = SchemaCheck::new(&schema);
    let mut spec = good_spec();
    for field in ["replicas", "minReplicas", "color", "settings", "timeout"] {
        spec.as_object_mut().unwrap().remove(field);
    }
    spec["ports"][0].as_object_mut().unwrap().remove("protocol");
    spec["note"] = json!(null);
    let mut object = gizmo(spec, None);
    prune(&schema, &mut object);
    apply_defaults(&schema, &mut object);
    let spec = &object["spec"];
    assert_eq!(spec["replicas"], json!(1), "default = 1");
    assert_eq!(spec["minReplicas"], json!(0), "Go +kubebuilder:default=0");
    assert_eq!(spec["color"], json!("red"), "default = \"red\"");
    assert_eq!(spec["settings"], json!({ "mode": "fast", "level": 3 }), "default_json");
    assert_eq!(spec["timeout"], json!("30s"), "default on a schema_type string");
    assert_eq!(spec["ports"][0]["protocol"], json!("TCP"), "default of a list-map key");
    assert_eq!(spec["note"], json!(null), "nullable: null stays null");
    check.assert_valid(&object);
    // The schema's defaults are serde's: the defaulted object reads as the Rust defaults.
    let parsed: GizmoSpec = serde_json::from_value(object["spec"].clone()).unwrap();
    let serde_defaults: GizmoSpec =
        serde_json::from_value(json!({ "ratio": 0.5, "step": 0, "name": "abc", "size": 1, "region": "r", "tags": ["t"], "ports": [], "selectorLabels": {}, "limit": 1, "note": null, "comment": "" }))
            .unwrap();
    assert_eq!(
        (parsed.replicas, parsed.min_replicas, &parsed.color, &parsed.settings, parsed.timeout),
        (serde_defaults.replicas, serde_defaults.min_replicas, &serde_defaults.color, &serde_defaults.settings, serde_defaults.timeout)
    );
    assert_eq!(parsed.ports[0].protocol, "TCP");
}

#[test]
fn defaults_do_not_replace_values() {
    let mut object = gizmo(good_spec(), None);
    apply_defaults(&schema(), &mut object);
    assert_eq!(object["spec"], good_spec());
}

// ---------------------------------------------------------------------------------------------
// Resource markers.

#[test]
fn resource_markers_land_in_the_crd() {
    let dir = fixture("all-markers").join("config/crd/bases");
    let text = std::fs::read_to_string(dir.join("markers.example.com_gizmos.yaml")).unwrap();
    let crd: Value = serde_saphyr::from_str(&text).unwrap();
    let meta = &crd["metadata"];
    assert_eq!(meta["name"], "gizmos.markers.example.com");
    assert_eq!(meta["annotations"]["api-approved.kubernetes.io"], "https://example.com/gizmos", "annotation");
    assert_eq!(meta["labels"]["app.kubernetes.io/part-of"], "all-markers", "label");
    let spec = &crd["spec"];
    assert_eq!(spec["group"], "markers.example.com");
    assert_eq!(spec["scope"], "Namespaced");
    assert_eq!(
        spec["names"],
        json!({ "kind": "Gizmo", "listKind": "GizmoList", "plural": "gizmos", "singular": "gizmo", "shortNames": ["gz", "gzm"], "categories": ["all", "markers"] })
    );
    let versions = spec["versions"].as_array().unwrap();
    // v1 and v1beta1; the `skip_version` v1alpha1 is left out.
    assert_eq!(versions.iter().map(|v| v["name"].as_str().unwrap()).collect::<Vec<_>>(), ["v1", "v1beta1"], "skip_version");
    let v1 = &versions[0];
    assert_eq!((&v1["name"], &v1["served"], &v1["storage"]), (&json!("v1"), &json!(true), &json!(true)));
    assert!(v1.get("deprecated").is_none());
    assert_eq!(
        v1["subresources"],
        json!({ "status": {}, "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector" } })
    );
    let columns: Vec<&str> = v1["additionalPrinterColumns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    // Source order, whichever syntax: the Go comment column stands first in the source.
    assert_eq!(columns, ["Phase", "Replicas", "Color"]);
    assert_eq!(v1["additionalPrinterColumns"][1]["priority"], 1);
    assert_eq!(v1["selectableFields"], json!([{ "jsonPath": ".spec.color" }, { "jsonPath": ".spec.region" }]));
    let root = &v1["schema"]["openAPIV3Schema"];
    assert_eq!(root["description"], "A Gizmo uses every crd-gen marker, one field per marker.", "description on the spec struct");
    assert_eq!(root["required"], json!(["spec"]), "spec_required");
    let v1beta1 = &versions[1];
    assert_eq!((&v1beta1["name"], &v1beta1["served"], &v1beta1["storage"]), (&json!("v1beta1"), &json!(true), &json!(false)));
    assert_eq!(v1beta1["deprecated"], true);
    assert_eq!(v1beta1["deprecationWarning"], "markers.example.com/v1beta1 Gizmo is deprecated; use markers.example.com/v1");
    let root = &v1beta1["schema"]["openAPIV3Schema"];
    assert_eq!(root["description"], "A Gizmo as v1beta1 serves it: the root object's doc comment.", "root");
    assert_eq!(
        root["x-kubernetes-validations"],
        json!([{ "rule": "self.metadata.name.size() <= 63", "message": "gizmo names are DNS labels" }]),
        "a Go root type's rule in root(...)"
    );
}

// ---------------------------------------------------------------------------------------------
// Engine gaps found while writing the fixture.

/// `int_or_string` replaces a value's schema, so the natural Rust type for it, an untagged enum of
/// an integer and a string, is accepted with the marker; without it, the enum is int-or-string by
/// itself (the `i32` adds no bounds).
#[test]
fn refused_or_handled_int_or_string_untagged_enum() {
    let src = r#"use crd_gen_derive::{CrdSchema, CustomResource};
use serde::{Deserialize, Serialize};
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gaps.example.com", version = "v1", kind = "Limited")]
pub struct LimitedSpec {
    #[crd(int_or_string)]
    pub limit: IntOrPercent,
}
#[derive(CrdSchema, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrPercent {
    Count(i32),
    Percent(String),
}
"#;
    let spec = scratch_spec_schema("gap-int-or-string-untagged", src).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec["properties"]["limit"]["x-kubernetes-int-or-string"], true);
    let unmarked = src.replace("    #[crd(int_or_string)]\n", "");
    let spec = scratch_spec_schema("gap-int-or-string-untagged-unmarked", &unmarked).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        spec["properties"]["limit"],
        json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true })
    );
}

/// crd-gen must refuse `fields` (of a spec struct on line 6, with an `Item { x: String }` type
/// beside it) with an error containing `message` at `at` (`line:column` of src/lib.rs); every
/// case is tried, then the ones crd-gen accepted, or refused for another reason or elsewhere, are
/// reported.
fn assert_refused(cases: &[(&str, String, &str, &str)]) {
    let mut wrong = Vec::new();
    for (name, fields, message, at) in cases {
        let src = format!(
            "use crd_gen_derive::{{CrdSchema, CustomResource}};\nuse serde::{{Deserialize, Serialize}};\n\
             #[derive(CustomResource, Serialize, Deserialize)]\n#[crd(group = \"gaps.example.com\", version = \"v1\", kind = \"Gap\")]\n\
             pub struct GapSpec {{\n{fields}\n}}\n\
             #[derive(CrdSchema, Serialize, Deserialize)]\npub struct Item {{\n    pub x: String,\n}}\n"
        );
        let case = fields.chars().take(120).collect::<String>();
        match scratch_spec_schema(name, &src) {
            Ok(_) => wrong.push(format!("accepted, should say {message:?}: {case}")),
            Err(e) if !e.contains(&format!("error: {message}")) => wrong.push(format!("should say {message:?}: {case}\n{e}")),
            Err(e) if !e.contains(&format!("/src/lib.rs:{at}\n")) => wrong.push(format!("should point at lib.rs:{at}: {case}\n{e}")),
            Err(_) => {}
        }
    }
    assert!(wrong.is_empty(), "crd-gen did not refuse these as it should:\n{}", wrong.join("\n"));
}

/// The API server type-checks each rule: "cel expression must evaluate to a bool".
#[test]
fn refused_or_handled_cel_rule_must_be_bool() {
    assert_refused(&[(
        "gap-rule-not-bool",
        "#[crd(validation(rule = \"self.x\"))]\npub item: Item,".into(),
        "CEL rule `self.x` evaluates to string, but the API server requires a bool (\"cel expression must evaluate to a bool\")",
        "6:7",
    )]);
}

/// The API server compiles each messageExpression: "messageExpression must evaluate to a string",
/// and it must name fields that exist, as rules must.
#[test]
fn refused_or_handled_message_expression_is_type_checked() {
    assert_refused(&[
        (
            "gap-message-expression-int",
            "#[crd(validation(rule = \"self.x != ''\", message_expression = \"1\"))]\npub item: Item,".into(),
            "CEL message_expression `1` evaluates to int, but the API server requires a string (\"messageExpression must evaluate to a string\")",
            "6:7",
        ),
        (
            "gap-message-expression-field",
            "#[crd(validation(rule = \"self.x != ''\", message_expression = \"self.nope\"))]\npub item: Item,".into(),
            "CEL message_expression `self.nope`: undefined field `nope` on object `.spec.item`",
            "6:7",
        ),
    ]);
}

/// apiextensions validation of `x-kubernetes-validations[*].message` (the API server's words:
/// "message must not contain line breaks", "message must be non-empty if specified", "message
/// must have a maximum length of 2048 characters", "message must be specified if rule contains
/// line breaks").
#[test]
fn refused_or_handled_validation_messages() {
    let rule = "rule = \"self.x != ''\"";
    let cases: Vec<(&str, String, &str, &str)> = [
        ("gap-message-newline", format!("{rule}, message = \"line\\nbreak\""), "a validation `message` must not contain line breaks"),
        ("gap-message-blank", format!("{rule}, message = \"   \""), "a validation `message` must not be blank"),
        (
            "gap-message-long",
            format!("{rule}, message = \"{}\"", "m".repeat(2049)),
            "a validation `message` may be at most 2048 characters",
        ),
        (
            "gap-multiline-rule",
            "rule = \"self.x != ''\\n  && self.x != 'a'\"".to_string(),
            "a rule that spans several lines needs a `message`",
        ),
    ]
    .into_iter()
    .map(|(name, marker, message)| (name, format!("#[crd(validation({marker}))]\npub item: Item,"), message, "6:7"))
    .collect();
    assert_refused(&cases);
}

/// crd-gen's own check (the API server accepts these, but no value can satisfy them): an empty
/// range from exclusive bounds or `multiple_of`, reported at the marker that empties it.
#[test]
fn refused_or_handled_impossible_numeric_bounds() {
    let cases: Vec<(&str, String, &str, &str)> = [
        (
            "gap-bounds-exclusive-equal",
            "minimum = 1, maximum = 1, exclusive_maximum",
            "no value satisfies these bounds: the only value, 1, is excluded",
            "6:33",
        ),
        (
            "gap-bounds-no-integer-between",
            "minimum = 1, maximum = 2, exclusive_minimum, exclusive_maximum",
            "no value satisfies these bounds: no integer lies between 1 and 2",
            "6:52",
        ),
        (
            "gap-bounds-no-multiple",
            "minimum = 1, maximum = 3, multiple_of = 5",
            "no value satisfies these bounds: no multiple of 5 lies between 1 and 3",
            "6:33",
        ),
    ]
    .into_iter()
    .map(|(name, markers, message, at)| (name, format!("#[crd({markers})]\npub n: i32,"), message, at))
    .collect();
    assert_refused(&cases);
}

/// `printcolumn` is "repeatable, in order"; a Go comment `+kubebuilder:printcolumn` written between
/// two `#[crd(printcolumn(..))]` attributes comes last instead (all `#[crd]` columns first).
#[test]
fn refused_or_handled_printcolumn_source_order() {
    let dir = scratch("gap-printcolumn-order");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"gap-printcolumn-order\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let src = r#"use crd_gen_derive::CustomResource;
use serde::{Deserialize, Serialize};
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gaps.example.com", version = "v1", kind = "Ordered")]
#[crd(printcolumn(name = "A", type = "string", json_path = ".spec.a"))]
/// +kubebuilder:printcolumn:name="B",type=string,JSONPath=".spec.b"
#[crd(printcolumn(name = "C", type = "integer", json_path = ".spec.c"))]
pub struct OrderedSpec {
    pub a: String,
    pub b: String,
    pub c: i32,
}
"#;
    std::fs::write(dir.join("src/lib.rs"), src).unwrap();
    let plan = crd_gen::Generator::new().manifest_path(dir.join("Cargo.toml")).plan();
    assert!(plan.failure.is_none(), "{}", plan.generated.render_diagnostics(false));
    let file = plan.generated.crates.iter().flat_map(|c| &c.files).next().unwrap();
    let columns: Vec<&str> = file.crd().spec.versions[0].additional_printer_columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["A", "B", "C"]);
}
