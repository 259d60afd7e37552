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
    })
    .unwrap();
    check.assert_valid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec.clone(), Some(status)));
    check.assert_valid(&object("batch.tutorial.kubebuilder.io/v1", "CronJob", spec, Some(json!({}))));
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
