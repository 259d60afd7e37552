//! Objects serde produces from the fixtures' Rust types validate against the generated schemas
//! (checked with a real JSON Schema validator), and objects serde rejects are rejected by the
//! schema too, wherever a schema can say so.

use crd_gen_tests::*;
use serde_json::json;

fn cronjob_spec() -> cronjob::v1::CronJobSpec {
    use k8s_openapi::api::batch::v1::{JobSpec, JobTemplateSpec};
    use k8s_openapi::api::core::v1::{Container, ContainerPort, PodSpec, PodTemplateSpec, ResourceRequirements};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    let container = Container {
        name: "hello".into(),
        image: Some("busybox".into()),
        args: Some(vec!["/bin/sh".into(), "-c".into(), "date".into()]),
        ports: Some(vec![ContainerPort { container_port: 8080, name: Some("http".into()), ..Default::default() }]),
        resources: Some(ResourceRequirements {
            limits: Some([("cpu".to_string(), Quantity("500m".into())), ("memory".to_string(), Quantity("128Mi".into()))].into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    cronjob::v1::CronJobSpec {
        schedule: "*/1 * * * *".into(),
        starting_deadline_seconds: Some(30),
        concurrency_policy: cronjob::v1::ConcurrencyPolicy::Forbid,
        suspend: Some(false),
        job_template: JobTemplateSpec {
            metadata: None,
            spec: Some(JobSpec {
                template: PodTemplateSpec {
                    spec: Some(PodSpec { containers: vec![container], restart_policy: Some("OnFailure".into()), ..Default::default() }),
                    ..Default::default()
                },
                backoff_limit: Some(3),
                ..Default::default()
            }),
        },
        successful_jobs_history_limit: Some(3),
        failed_jobs_history_limit: None,
    }
}

#[test]
fn cronjob_objects_from_serde_validate() {
    let check = SchemaCheck::new(&fixture_schema("cronjob", "CronJob", "v1"));
    let spec = serde_json::to_value(cronjob_spec()).unwrap();
    let status = serde_json::to_value(cronjob::v1::CronJobStatus {
        active: vec![k8s_openapi::api::core::v1::ObjectReference {
            kind: Some("Job".into()),
            name: Some("hello-1".into()),
            ..Default::default()
        }],
        last_schedule_time: Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time("2026-11-27T10:00:00Z".parse().unwrap())),
        conditions: vec![ready_condition()],
    })
    .unwrap();
    check.assert_valid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec.clone(), Some(status)));
    check.assert_valid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec, Some(json!({}))));
}

fn ready_condition() -> k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition {
    k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition {
        type_: "example.com/Ready".into(),
        status: "True".into(),
        observed_generation: Some(3),
        last_transition_time: k8s_openapi::apimachinery::pkg::apis::meta::v1::Time("2026-11-27T10:00:00Z".parse().unwrap()),
        reason: "JobsScheduled".into(),
        message: String::new(),
    }
}

/// `metav1.Condition` keeps the validations of its Go source (apimachinery's kubebuilder markers)
/// where it is inlined; k8s-openapi's schema has none of them, and serde checks none either.
#[test]
fn cronjob_conditions_carry_the_go_validations() {
    let check = SchemaCheck::new(&fixture_schema("cronjob", "CronJob", "v1"));
    let spec = serde_json::to_value(cronjob_spec()).unwrap();
    let good = serde_json::to_value(ready_condition()).unwrap();
    let cases = [
        ("status is True, False or Unknown", "status", json!("Maybe")),
        ("reason is not empty", "reason", json!("")),
        ("reason is CamelCase", "reason", json!("not camel case")),
        ("reason is at most 1024 characters", "reason", json!("A".repeat(1025))),
        ("type is a qualified name", "type", json!("-bad/type")),
        ("type is at most 316 characters", "type", json!(format!("a{}", "b".repeat(316)))),
        ("observedGeneration is not negative", "observedGeneration", json!(-1)),
        ("message is at most 32768 characters", "message", json!("m".repeat(32769))),
    ];
    for (why, field, value) in cases {
        let mut condition = good.clone();
        condition[field] = value;
        assert!(
            serde_json::from_value::<k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition>(condition.clone()).is_ok(),
            "{why}: serde accepts it"
        );
        let status = json!({ "conditions": [condition] });
        check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec.clone(), Some(status)), why);
    }
    // Two conditions of one type: `conditions` is a map list keyed by `type`.
    let status = json!({ "conditions": [good.clone(), good] });
    check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec, Some(status)), "one condition per type");
}

#[test]
fn cronjob_objects_serde_rejects_are_rejected() {
    let check = SchemaCheck::new(&fixture_schema("cronjob", "CronJob", "v1"));
    let good = serde_json::to_value(cronjob_spec()).unwrap();
    let mut cases = Vec::new();
    let mut no_schedule = good.clone();
    no_schedule.as_object_mut().unwrap().remove("schedule");
    cases.push(("missing required schedule", no_schedule));
    let mut bad_policy = good.clone();
    bad_policy["concurrencyPolicy"] = json!("Sometimes");
    cases.push(("unknown enum value", bad_policy));
    let mut bad_type = good.clone();
    bad_type["successfulJobsHistoryLimit"] = json!("3");
    cases.push(("string for an integer", bad_type));
    for (why, spec) in cases {
        assert!(serde_json::from_value::<cronjob::v1::CronJobSpec>(spec.clone()).is_err(), "serde should reject: {why}");
        check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec, None), why);
    }
    // The schema is stricter than serde where Kubernetes is: k8s-openapi defaults a missing
    // `containers` (or `containerPort`) to empty/zero, the API server requires them.
    let mut no_containers = good.clone();
    no_containers["jobTemplate"]["spec"]["template"]["spec"].as_object_mut().unwrap().remove("containers");
    check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", no_containers, None), "PodSpec requires containers");
    let mut bad_port = good.clone();
    bad_port["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["ports"][0] = json!({ "name": "http" });
    check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", bad_port, None), "ContainerPort requires containerPort");
    // Markers are stricter than serde: a negative deadline deserializes but `minimum = 0` rejects it.
    let mut negative = good;
    negative["startingDeadlineSeconds"] = json!(-1);
    assert!(serde_json::from_value::<cronjob::v1::CronJobSpec>(negative.clone()).is_ok());
    check.assert_invalid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", negative, None), "minimum = 0");
}

#[test]
fn guestbook_objects_validate() {
    let check = SchemaCheck::new(&fixture_schema("guestbook", "Guestbook", "v1"));
    let spec = serde_json::to_value(guestbook::api::v1::GuestbookSpec { foo: "bar".into() }).unwrap();
    check.assert_valid(&object("webapp.my.domain/v1", "Guestbook", spec, Some(json!({}))));
    check.assert_valid(&object("webapp.my.domain/v1", "Guestbook", json!({}), None));
    check.assert_invalid(&object("webapp.my.domain/v1", "Guestbook", json!({ "foo": 1 }), None), "foo must be a string");
}

// ---------------------------------------------------------------------------------------------
// fixtures/enums: every serde enum representation.

fn pipeline(spec: serde_json::Value) -> serde_json::Value {
    object("enums.example.com/v1", "Pipeline", spec, None)
}

/// Specs covering every variant of every enum of the enums fixture (cycled side by side).
fn pipeline_specs() -> Vec<enums::PipelineSpec> {
    use enums::*;
    let colors = [Color::DeepBlue, Color::BrightRed, Color::Green];
    let powers = [None, Some(Power::On), Some(Power::Off), Some(Power::Yes)];
    let shapes = [Shape::Circle { radius: 3 }, Shape::Square { side: 0 }, Shape::Polygon(255)];
    let sources = [
        Source::Git { url: "https://example.com/r.git".into(), revision: None },
        Source::Git { url: "https://example.com/r.git".into(), revision: Some("main".into()) },
        Source::Bucket { bucket: "b".into(), prefix: "p/".into() },
        Source::Inline(InlineSource { script: "echo hi".into() }),
        Source::Empty,
    ];
    let actions = [None, Some(Action::Scale { replicas: 2 }), Some(Action::Notify { channel: "#ops".into() }), Some(Action::Stop)];
    let endpoints =
        [None, Some(Endpoint::Url { url: "https://e.example.com".into() }), Some(Endpoint::HostPort { host: "h".into(), port: 65535 })];
    (0..5 * 4 * 3)
        .map(|i| PipelineSpec {
            color: colors[i % 3],
            power: powers[i % 4],
            shape: shapes[i % 3].clone(),
            source: sources[i % 5].clone(),
            action: actions[i % 4].clone(),
            endpoint: endpoints[i % 3].clone(),
        })
        .collect()
}

#[test]
fn enums_objects_from_serde_validate() {
    let check = SchemaCheck::new(&fixture_schema("enums", "Pipeline", "v1"));
    for spec in pipeline_specs() {
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(serde_json::from_value::<enums::PipelineSpec>(json.clone()).unwrap(), spec);
        check.assert_valid(&pipeline(json));
    }
}

/// Objects serde accepts although no Rust value serializes to them: the schema accepts them too.
#[test]
fn enums_objects_serde_accepts_validate() {
    let check = SchemaCheck::new(&fixture_schema("enums", "Pipeline", "v1"));
    let base = json!({ "color": "green", "shape": { "square": { "side": 1 } }, "source": { "type": "empty" } });
    let cases = [
        // serde ignores the fields of other variants of an internally tagged enum.
        ("source", json!({ "type": "git", "url": "u", "bucket": "b" })),
        // An untagged enum takes the first variant whose fields are there.
        ("endpoint", json!({ "url": "u", "port": 80 })),
        ("action", json!({ "kind": "stop" })),
    ];
    for (field, value) in cases {
        let mut spec = base.clone();
        spec[field] = value;
        assert!(serde_json::from_value::<enums::PipelineSpec>(spec.clone()).is_ok(), "serde accepts {spec}");
        check.assert_valid(&pipeline(spec));
    }
}

#[test]
fn enums_objects_serde_rejects_are_rejected() {
    let schema = fixture_schema("enums", "Pipeline", "v1");
    let check = SchemaCheck::new(&schema);
    let good = serde_json::to_value(&pipeline_specs()[7]).unwrap();
    // (why, field, value; `None` removes the field), rejected by the structural schema.
    let structural: Vec<(&str, &str, Option<serde_json::Value>)> = vec![
        ("missing required color", "color", None),
        ("missing required shape", "shape", None),
        ("missing required source", "source", None),
        ("unknown unit variant", "color", Some(json!("purple"))),
        ("the Rust name, not the renamed one", "color", Some(json!("DeepBlue"))),
        ("a YAML 1.1 boolean is not the string variant", "power", Some(json!(true))),
        ("two variants of an externally tagged enum", "shape", Some(json!({ "circle": { "radius": 1 }, "square": { "side": 1 } }))),
        ("no variant of an externally tagged enum", "shape", Some(json!({}))),
        ("unknown variant of an externally tagged enum", "shape", Some(json!({ "triangle": {} }))),
        ("unit string for a data variant", "shape", Some(json!("circle"))),
        ("u8 out of range", "shape", Some(json!({ "polygon": 256 }))),
        ("negative u32", "shape", Some(json!({ "circle": { "radius": -1 } }))),
        ("missing field of a struct variant", "shape", Some(json!({ "circle": {} }))),
        ("missing tag of an internally tagged enum", "source", Some(json!({ "url": "u" }))),
        ("unknown tag", "source", Some(json!({ "type": "svn", "url": "u" }))),
        ("wrong field type in a variant", "source", Some(json!({ "type": "git", "url": 1 }))),
        ("missing tag of an adjacently tagged enum", "action", Some(json!({ "params": { "replicas": 1 } }))),
        ("unknown adjacent tag", "action", Some(json!({ "kind": "restart" }))),
        ("wrong content type", "action", Some(json!({ "kind": "notify", "params": { "channel": 1 } }))),
        ("untagged variant with a wrong field type", "endpoint", Some(json!({ "host": "h", "port": "80" }))),
        ("untagged port out of u16 range", "endpoint", Some(json!({ "host": "h", "port": 65536 }))),
    ];
    // Rules only CEL can state: which fields a variant needs.
    let by_cel: Vec<(&str, &str, Option<serde_json::Value>)> = vec![
        ("git needs url", "source", Some(json!({ "type": "git" }))),
        ("bucket needs bucket and prefix", "source", Some(json!({ "type": "bucket", "bucket": "b" }))),
        ("inline needs script", "source", Some(json!({ "type": "inline" }))),
        ("scale needs params", "action", Some(json!({ "kind": "scale" }))),
        ("scale needs replicas in params", "action", Some(json!({ "kind": "scale", "params": { "channel": "c" } }))),
        ("stop takes no params", "action", Some(json!({ "kind": "stop", "params": { "replicas": 1 } }))),
        ("none of the untagged variants", "endpoint", Some(json!({ "host": "h" }))),
        ("an empty untagged object", "endpoint", Some(json!({}))),
    ];
    for (cases, cel_only) in [(structural, false), (by_cel, true)] {
        for (why, field, value) in cases {
            let mut spec = good.clone();
            match value {
                Some(v) => spec[field] = v,
                None => drop(spec.as_object_mut().unwrap().remove(field)),
            }
            assert!(serde_json::from_value::<enums::PipelineSpec>(spec.clone()).is_err(), "serde should reject ({why}): {spec}");
            let object = pipeline(spec);
            check.assert_invalid(&object, why);
            if cel_only {
                assert!(!cel_failures(&schema, &object).is_empty(), "a CEL rule should reject ({why}): {object}");
            }
        }
    }
    // Markers are stricter than serde.
    let mut long_prefix = good;
    long_prefix["source"] = json!({ "type": "bucket", "bucket": "b", "prefix": "p".repeat(257) });
    assert!(serde_json::from_value::<enums::PipelineSpec>(long_prefix.clone()).is_ok());
    check.assert_invalid(&pipeline(long_prefix), "max_length = 256");
}

#[test]
fn cel_rules_are_evaluated_where_they_stand() {
    let schema = json!({
        "type": "object",
        "properties": {
            "list": { "type": "array", "items": { "type": "object", "x-kubernetes-validations": [{ "rule": "has(self.a)", "message": "a" }] } },
            "map": { "type": "object", "additionalProperties": { "type": "integer", "x-kubernetes-validations": [{ "rule": "self > 0" }] } },
            "moved": { "type": "string", "x-kubernetes-validations": [{ "rule": "self == oldSelf" }] },
        },
    });
    assert!(cel_failures(&schema, &json!({ "list": [{ "a": 1 }], "map": { "x": 1 }, "moved": "m" })).is_empty());
    assert_eq!(cel_failures(&schema, &json!({ "list": [{ "a": 1 }, {}], "map": { "x": 1, "y": 0 } })).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// fixtures/generics: generic types with concrete arguments, newtypes, pointers, maps, sets,
// flatten, renames, defaults, into/from.

fn gadget(spec: serde_json::Value, status: Option<serde_json::Value>) -> serde_json::Value {
    object("generics.example.com/v1", "Gadget", spec, status)
}

fn gadget_specs() -> Vec<generics::GadgetSpec> {
    use generics::cases::*;
    use generics::wrappers::*;
    let name = |s: &str| Name(s.into());
    let endpoint = |p: u16| Foo { port_number: p, host_name: "db.example.com".into() };
    let bar = |n: &str, tags: &[&str]| Bar { display_name: n.into(), tag_list: tags.iter().map(|t| t.to_string()).collect() };
    let base = generics::GadgetSpec {
        primary: Wrapper { value: endpoint(5432), weight_percent: Some(100) },
        pages: Page {
            items: vec![
                Wrapper { value: bar("One", &[]), weight_percent: None },
                Wrapper { value: bar("Two", &["a", "b"]), weight_percent: Some(0) },
            ],
            continue_token: Some("abc".into()),
        },
        source: Some(Source::Inline(endpoint(1))),
        weighted: Some(Wrapper { value: bar("w", &[]), weight_percent: Some(5) }),
        pair: Pair { key: name("k"), value: -7 },
        owner: name("owner-1"),
        names: vec![name("a"), name("b-2")],
        labels: Labels::new([("app".to_string(), "web".to_string())].into()),
        id: Id { value: "foo-1".into(), kind: std::marker::PhantomData },
        marker: Marker {},
        boxed: Box::new(endpoint(80)),
        shared: std::rc::Rc::new(bar("shared", &["x"])),
        counted: std::sync::Arc::new(name("counted")),
        title: "Title".into(),
        by_name: [("first".to_string(), endpoint(1))].into(),
        weights: [("w".to_string(), Wrapper { value: i64::MIN, weight_percent: None })].into(),
        tags: ["t1".to_string(), "t2".to_string()].into(),
        ordered: [name("x"), name("y")].into(),
        note: Some("n".into()),
        extra: json!({ "anything": [1, "two", { "three": null }] }),
        tagged: Tagged {
            name: name("tagged"),
            common: Common { replica_count: 3, reason: Some("why".into()) },
            extra: [("team".to_string(), "blue".to_string())].into(),
        },
        cases: Cases {
            lower: Lower { max_surge: 1 },
            upper: Upper { max_surge: 2 },
            snake: Snake::RunOnce,
            screaming_kebab: ScreamingKebab { max_surge: 3 },
        },
        gate: Gate::Schedule { open_at: "08:00".into(), close_at: "18:00".into() },
        mode: "fast".into(),
        cache: Vec::new(),
        replicas: 0,
        port: 8080,
        tuning: Tuning::default(),
        image: ImageRef { repository: "ghcr.io/x/y".into(), tag: "v1".into() },
        per_policy: [(Snake::RunAlways, 2)].into(),
        initial: Some('é'),
    };
    let gates = [
        Gate::Signal { signal_name: "go".into(), timeout_seconds: None },
        Gate::Signal { signal_name: "go".into(), timeout_seconds: Some(30) },
        Gate::AlwaysOpen,
        Gate::Unrecognized,
    ];
    let mut specs = vec![base.clone()];
    for (i, gate) in gates.into_iter().enumerate() {
        let mut s = base.clone();
        s.gate = gate;
        s.source = [None, Some(Source::ConfigMapKeyRef { name: name("cm"), key: "k".into() })][i % 2].clone();
        s.weighted = None;
        s.note = None; // serde writes `"note": null`
        s.labels = Labels::default();
        s.marker = Marker {};
        s.extra = serde_json::Value::Null;
        s.names = Vec::new();
        s.cases.snake = Snake::RunAlways;
        s.tagged.common.reason = None;
        s.tagged.extra.clear();
        s.tuning = Tuning { workers: 65535, verbose: true };
        s.replicas = u32::MAX;
        s.port = 0;
        s.initial = None;
        specs.push(s);
    }
    specs
}

#[test]
fn generics_objects_from_serde_validate() {
    let check = SchemaCheck::new(&fixture_schema("generics", "Gadget", "v1"));
    let status = generics::GadgetStatus {
        observed: Some(generics::wrappers::Page { items: vec![], continue_token: None }),
        ready_replicas: Some(1),
    };
    let status = serde_json::to_value(status).unwrap();
    for spec in gadget_specs() {
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(serde_json::from_value::<generics::GadgetSpec>(json.clone()).unwrap(), spec, "serde round trip");
        check.assert_valid(&gadget(json.clone(), Some(status.clone())));
        check.assert_valid(&gadget(json, Some(json!({}))));
    }
}

/// Objects serde accepts (defaults fill in what is missing): the schema accepts them too.
#[test]
fn generics_minimal_object_validates() {
    let check = SchemaCheck::new(&fixture_schema("generics", "Gadget", "v1"));
    let mut spec = serde_json::to_value(&gadget_specs()[1]).unwrap();
    let map = spec.as_object_mut().unwrap();
    for optional in [
        "source",
        "weighted",
        "labels",
        "marker",
        "byName",
        "weights",
        "tags",
        "ordered",
        "note",
        "extra",
        "replicas",
        "port",
        "perPolicy",
        "initial",
    ] {
        map.remove(optional);
    }
    spec["tuning"] = json!({});
    spec["tagged"]["unknown"] = json!("kept by the flattened map");
    let parsed: generics::GadgetSpec = serde_json::from_value(spec.clone()).expect("serde accepts the minimal spec");
    assert_eq!((parsed.port, parsed.tuning.workers), (8080, 4), "serde's defaults");
    check.assert_valid(&gadget(spec, None));
}

#[test]
fn generics_objects_serde_rejects_are_rejected() {
    let schema = fixture_schema("generics", "Gadget", "v1");
    let check = SchemaCheck::new(&schema);
    let good = serde_json::to_value(&gadget_specs()[0]).unwrap();
    // (why, JSON pointer, value; `None` removes it)
    let cases: Vec<(&str, &str, Option<serde_json::Value>)> = vec![
        ("missing required generic field", "/primary/value", None),
        ("T's fields, renamed SCREAMING_SNAKE_CASE, are required", "/primary/value", Some(json!({ "port_number": 1, "host_name": "h" }))),
        ("u16 in T out of range", "/primary/value/PORT_NUMBER", Some(json!(70000))),
        ("u8 out of range", "/primary/weightPercent", Some(json!(256))),
        ("nested generic: Bar's kebab-case field is required", "/pages/items/0/value", Some(json!({ "displayName": "x" }))),
        ("nested generic: items must be a list", "/pages/items", Some(json!({}))),
        (
            "two variants of the generic enum",
            "/source",
            Some(json!({ "inline": { "PORT_NUMBER": 1, "HOST_NAME": "h" }, "configMapKeyRef": { "name": "a", "key": "k" } })),
        ),
        ("no variant of the generic enum", "/source", Some(json!({}))),
        ("T of the generic enum is checked", "/source", Some(json!({ "inline": { "PORT_NUMBER": "1", "HOST_NAME": "h" } }))),
        ("second type parameter", "/pair/value", Some(json!("7"))),
        ("first type parameter (a newtype of String)", "/pair/key", Some(json!(7))),
        ("newtype is its content", "/owner", Some(json!({ "0": "owner" }))),
        ("null for a required field is dropped, then missing", "/owner", Some(json!(null))),
        ("alias of Vec<Name>", "/names", Some(json!("a"))),
        ("transparent map values", "/labels", Some(json!({ "app": 1 }))),
        ("transparent struct is its field", "/id", Some(json!({ "value": "x" }))),
        ("Box<Foo> is Foo", "/boxed/HOST_NAME", None),
        ("Rc<Bar> is Bar", "/shared/display-name", Some(json!(["x"]))),
        ("Arc<Name> is Name", "/counted", Some(json!(1))),
        ("HashMap<String, Foo> values", "/byName/first", Some(json!({ "PORT_NUMBER": 1 }))),
        ("BTreeMap<String, Wrapper<i64>> values", "/weights/w/value", Some(json!(1.5))),
        ("HashSet<String> items", "/tags", Some(json!(["a", 1]))),
        ("BTreeSet<Name> items", "/ordered", Some(json!([true]))),
        ("Option<String> is a string when present", "/note", Some(json!(1))),
        ("flattened struct's required field", "/tagged/replicaCount", None),
        ("flattened struct's field type", "/tagged/replicaCount", Some(json!(-1))),
        ("PascalCase field names are required", "/cases/Lower", None),
        ("lowercase", "/cases/Lower", Some(json!({ "maxSurge": 1 }))),
        ("UPPERCASE", "/cases/Upper", Some(json!({ "max_surge": 1 }))),
        ("SCREAMING-KEBAB-CASE", "/cases/ScreamingKebab", Some(json!({ "MAX_SURGE": 1 }))),
        ("snake_case variant names", "/cases/Snake", Some(json!("RunOnce"))),
        ("missing tag of the rename_all_fields enum", "/gate", Some(json!({ "openAt": "a", "closeAt": "b" }))),
        ("field default keeps the type", "/replicas", Some(json!(-1))),
        ("u16 default field out of range", "/port", Some(json!(65536))),
        ("container default keeps the types", "/tuning", Some(json!({ "verbose": "yes" }))),
        ("into/from String: a string", "/image", Some(json!({ "repository": "r", "tag": "t" }))),
    ];
    let by_cel: Vec<(&str, &str, Option<serde_json::Value>)> = vec![
        (
            "rename_all_fields: the camelCase fields are required",
            "/gate",
            Some(json!({ "type": "Schedule", "open_at": "a", "close_at": "b" })),
        ),
        ("Schedule needs closeAt", "/gate", Some(json!({ "type": "Schedule", "openAt": "a" }))),
        ("Signal needs signalName", "/gate", Some(json!({ "type": "Signal", "timeoutSeconds": 1 }))),
    ];
    for (cases, cel_only) in [(cases, false), (by_cel, true)] {
        for (why, pointer, value) in cases {
            let spec = edit(&good, pointer, value);
            assert!(serde_json::from_value::<generics::GadgetSpec>(spec.clone()).is_err(), "serde should reject ({why}): {spec}");
            let object = gadget(spec, None);
            check.assert_invalid(&object, why);
            if cel_only {
                assert!(!cel_failures(&schema, &object).is_empty(), "a CEL rule should reject ({why})");
            }
        }
    }
    // Where the schema is stricter than serde, on purpose: markers, and `alias` (Kubernetes
    // would prune the old name, so only the new one is described).
    for (why, pointer, value) in [
        ("marker maximum = 100", "/primary/weightPercent", Some(json!(101))),
        ("marker min_length on a newtype", "/owner", Some(json!(""))),
        ("marker pattern on a newtype in a set", "/ordered", Some(json!(["Upper"]))),
        ("marker minimum = 1 in a container-default struct", "/tuning/workers", Some(json!(0))),
        ("alias is not described", "/mode", None),
    ] {
        let mut spec = edit(&good, pointer, value);
        if why.starts_with("alias") {
            spec["legacyMode"] = json!("fast");
        }
        assert!(serde_json::from_value::<generics::GadgetSpec>(spec.clone()).is_ok(), "serde accepts ({why}): {spec}");
        check.assert_invalid(&gadget(spec, None), why);
    }
}

/// `value` with the node at `pointer` replaced (or removed, for `None`).
fn edit(value: &serde_json::Value, pointer: &str, new: Option<serde_json::Value>) -> serde_json::Value {
    let mut value = value.clone();
    match new {
        Some(new) => *value.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = new,
        None => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            value
                .pointer_mut(parent)
                .and_then(|p| p.as_object_mut())
                .unwrap_or_else(|| panic!("no {parent}"))
                .remove(key)
                .expect("present");
        }
    }
    value
}

// ---------------------------------------------------------------------------------------------
// Engine gaps: what serde reads and writes that the generated schema does not describe (or that
// crd-gen cannot generate). Each test says what the schema should do; it is ignored until the
// engine does it.

fn gadget_check_and_good() -> (SchemaCheck, serde_json::Value) {
    (SchemaCheck::new(&fixture_schema("generics", "Gadget", "v1")), serde_json::to_value(&gadget_specs()[0]).unwrap())
}

#[test]
fn serde_truth_u32_maximum() {
    let (check, good) = gadget_check_and_good();
    let spec = edit(&good, "/replicas", Some(json!(4_294_967_296u64)));
    assert!(serde_json::from_value::<generics::GadgetSpec>(spec.clone()).is_err());
    check.assert_invalid(&gadget(spec, None), "u32 out of range");
}

#[test]
fn serde_truth_char_length() {
    let (check, good) = gadget_check_and_good();
    for value in [json!("ab"), json!("")] {
        let spec = edit(&good, "/initial", Some(value));
        assert!(serde_json::from_value::<generics::GadgetSpec>(spec.clone()).is_err());
        check.assert_invalid(&gadget(spec, None), "not one character");
    }
}

#[test]
fn serde_truth_serde_other_in_tagged_enum() {
    let (check, good) = gadget_check_and_good();
    let spec = edit(&good, "/gate", Some(json!({ "type": "Later" })));
    let parsed: generics::GadgetSpec = serde_json::from_value(spec.clone()).expect("serde reads an unknown tag as the `other` variant");
    assert_eq!(parsed.gate, generics::cases::Gate::Unrecognized);
    check.assert_valid(&gadget(spec, None));
}

#[test]
fn serde_truth_enum_map_keys() {
    let (check, good) = gadget_check_and_good();
    let spec = edit(&good, "/perPolicy", Some(json!({ "never": 1 })));
    assert!(serde_json::from_value::<generics::GadgetSpec>(spec.clone()).is_err());
    check.assert_invalid(&gadget(spec, None), "unknown key");
}

const SCRATCH_PRELUDE: &str = "use crd_gen_derive::{CrdSchema, CustomResource};\nuse serde::{Deserialize, Serialize};\n";

#[test]
fn serde_truth_generic_nested_in_itself() {
    let src = r#"
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gaps.example.com", version = "v1", kind = "Nested")]
pub struct NestedSpec {
    pub nested: Wrapper<Wrapper<Foo>>,
}
#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Wrapper<T> {
    pub value: T,
}
#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Foo {
    pub a: String,
}
"#;
    let spec = scratch_spec_schema("gap-nested-generic", &format!("{SCRATCH_PRELUDE}{src}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec["properties"]["nested"]["properties"]["value"]["properties"]["value"]["properties"]["a"]["type"], "string");
}

#[test]
fn serde_truth_default_type_parameter() {
    let src = r#"
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gaps.example.com", version = "v1", kind = "Defaulted")]
pub struct DefaultedSpec {
    pub page: Page,
}
#[derive(CrdSchema, Serialize, Deserialize)]
pub struct Page<T = String> {
    pub items: Vec<T>,
}
"#;
    let spec = scratch_spec_schema("gap-default-type-param", &format!("{SCRATCH_PRELUDE}{src}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec["properties"]["page"]["properties"]["items"]["items"]["type"], "string");
}

#[test]
fn serde_truth_std_glob_import() {
    let src = r#"use std::collections::*;
#[derive(CustomResource, Serialize, Deserialize)]
#[crd(group = "gaps.example.com", version = "v1", kind = "Globbed")]
pub struct GlobbedSpec {
    pub labels: BTreeMap<String, String>,
    pub tags: HashSet<String>,
}
"#;
    let spec = scratch_spec_schema("gap-std-glob", &format!("{SCRATCH_PRELUDE}{src}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec["properties"]["labels"]["additionalProperties"]["type"], "string");
    assert_eq!(spec["properties"]["tags"]["items"]["type"], "string");
}

// ---------------------------------------------------------------------------------------------
// fixtures/enums `Setting`: untagged enums of scalars accept exactly what serde accepts.

fn setting(spec: serde_json::Value) -> serde_json::Value {
    object("enums.example.com/v1", "Setting", spec, None)
}

fn setting_specs() -> Vec<enums::SettingSpec> {
    use enums::*;
    let targets = [Target::Index(0), Target::Index(65535), Target::Key("http".into()), Target::Key("8080".into())];
    let limits = [None, Some(Limit::Count(0)), Some(Limit::Count(u32::MAX)), Some(Limit::Percent(Percent("50%".into())))];
    let speeds = [None, Some(Speed::Named(SpeedName::Slow)), Some(Speed::Named(SpeedName::Fast)), Some(Speed::Rpm(255))];
    let levels = [None, Some(Level::Below(-128)), Some(Level::Below(100)), Some(Level::Above(65535))];
    let ports = [
        None,
        Some(Port::Privileged(PrivilegedPort(1))),
        Some(Port::Privileged(PrivilegedPort(1023))),
        Some(Port::Alternate(AlternatePort(8999))),
    ];
    let ratios = [None, Some(Ratio::Whole(-3)), Some(Ratio::Fraction(0.25)), Some(Ratio::Whole(i64::MAX))];
    (0..4)
        .map(|i| SettingSpec {
            target: targets[i].clone(),
            limit: limits[i].clone(),
            speed: speeds[i].clone(),
            level: levels[i].clone(),
            port: ports[i].clone(),
            ratio: ratios[i].clone(),
        })
        .collect()
}

#[test]
fn untagged_scalar_objects_from_serde_validate() {
    let check = SchemaCheck::new(&fixture_schema("enums", "Setting", "v1"));
    for spec in setting_specs() {
        let json = serde_json::to_value(&spec).unwrap();
        check.assert_valid(&setting(json));
    }
    // Values serde accepts that no Rust value above writes.
    let base = serde_json::to_value(&setting_specs()[0]).unwrap();
    for (field, value) in
        [("level", json!(-1)), ("level", json!(30000)), ("ratio", json!(7)), ("port", json!(8000)), ("limit", json!("0%"))]
    {
        let mut spec = base.clone();
        spec[field] = value;
        assert!(serde_json::from_value::<enums::SettingSpec>(spec.clone()).is_ok(), "serde accepts {spec}");
        check.assert_valid(&setting(spec));
    }
}

#[test]
fn untagged_scalar_objects_serde_rejects_are_rejected() {
    let schema = fixture_schema("enums", "Setting", "v1");
    let check = SchemaCheck::new(&schema);
    let good = serde_json::to_value(&setting_specs()[0]).unwrap();
    let cases = [
        ("an integer beyond u16", "target", json!(65536)),
        ("a negative integer for u16", "target", json!(-1)),
        ("a fraction is neither u16 nor String", "target", json!(1.5)),
        ("a boolean is neither", "target", json!(true)),
        ("an object is neither", "target", json!({ "index": 1 })),
        ("an integer beyond u32", "limit", json!(4294967296u64)),
        ("a name that is not a SpeedName", "speed", json!("medium")),
        ("an integer beyond u8", "speed", json!(256)),
        ("below i8", "level", json!(-129)),
        ("above u16", "level", json!(65536)),
        ("a string for a number", "ratio", json!("1")),
    ];
    for (why, field, value) in cases {
        let mut spec = good.clone();
        spec[field] = value;
        assert!(serde_json::from_value::<enums::SettingSpec>(spec.clone()).is_err(), "serde should reject ({why}): {spec}");
        check.assert_invalid(&setting(spec), why);
    }
    // The markers on the variants' types are stricter than serde, and hold through the enum.
    for (why, field, value) in [
        ("a string that is not a percentage", "limit", json!("half")),
        ("between the port ranges", "port", json!(2000)),
        ("below the first port range", "port", json!(0)),
    ] {
        let mut spec = good.clone();
        spec[field] = value;
        assert!(serde_json::from_value::<enums::SettingSpec>(spec.clone()).is_ok(), "{why}: serde accepts {spec}");
        check.assert_invalid(&setting(spec), why);
    }
    // The enum of names and the gap between port ranges only CEL can state.
    for (field, value) in [("speed", json!("medium")), ("port", json!(2000))] {
        let mut spec = good.clone();
        spec[field] = value;
        assert!(!cel_failures(&schema, &setting(spec.clone())).is_empty(), "a CEL rule should reject {spec}");
    }
}
