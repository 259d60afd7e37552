//! The kube-derive crate migrated by its one import (fixtures/kube-derive-migrated): objects that
//! exercise each constraint its kube-derive attributes had get the API server's verdict from the
//! CRD crd-gen generates (structural schema and CEL rules), and the CRD is structural where
//! kube-derive's is not.

use crd_gen_tests::*;
use kube_derive_migrated::{Bootstrap, Connections, Database, DatabaseSpec, Engine, User};
use serde_json::{Value, json};

fn spec() -> DatabaseSpec {
    DatabaseSpec {
        engine: Engine::Postgres,
        version: "16.4".into(),
        replicas: 3,
        min_available: 2,
        database_name: "orders".into(),
        admin_email: Some("dba@example.com".into()),
        runbook: Some("https://wiki.example.com/db".into()),
        hosts: vec!["db.example.com".into()],
        endpoint_template: "postgres://{host}/orders".into(),
        storage: "10Gi".into(),
        users: vec![User { name: "app".into(), superuser: false }],
        extensions: vec!["pgcrypto".into()],
        parameters: [("max_connections".to_string(), "200".to_string())].into(),
        config: Some(json!({"any": {"shape": [1, "two"]}})),
        connections: Some(Connections::Tier("large".into())),
        bootstrap: Some(Bootstrap::Backup { bucket: "backups".into(), path: "orders/latest".into() }),
        owner: Some("payments".into()),
    }
}

fn check() -> SchemaCheck {
    SchemaCheck::new(&fixture_schema("kube-derive-migrated", "Database", "v1alpha1"))
}

/// The object the root type serializes, with `edit` applied to its JSON.
fn object_with(edit: impl FnOnce(&mut Value)) -> Value {
    let mut o = serde_json::to_value(Database::new("sample", spec())).unwrap();
    edit(&mut o);
    o
}

#[test]
fn objects_from_the_rust_types_are_valid() {
    let check = check();
    check.assert_valid(&object_with(|_| {}));
    let mut s = spec();
    s.connections = Some(Connections::Count(100));
    s.bootstrap = Some(Bootstrap::Empty);
    s.admin_email = None;
    s.hosts.clear();
    check.assert_valid(&serde_json::to_value(Database::new("sample", s)).unwrap());
}

/// A change to an object's JSON.
type Edit = Box<dyn FnOnce(&mut Value)>;

#[test]
fn each_constraint_has_the_api_servers_verdict() {
    let check = check();
    let cases: Vec<(&str, Edit)> = vec![
        ("schemars range max", Box::new(|o| o["spec"]["replicas"] = json!(10))),
        ("schemars range min", Box::new(|o| o["spec"]["replicas"] = json!(0))),
        ("validate range min", Box::new(|o| o["spec"]["minAvailable"] = json!(-1))),
        ("schemars length min", Box::new(|o| o["spec"]["databaseName"] = json!(""))),
        ("schemars length max", Box::new(|o| o["spec"]["databaseName"] = json!("a".repeat(64)))),
        ("schemars regex", Box::new(|o| o["spec"]["databaseName"] = json!("Orders"))),
        ("garde length", Box::new(|o| o["spec"]["version"] = json!("1.2.3.4.5.6.7.8.9"))),
        ("garde pattern", Box::new(|o| o["spec"]["version"] = json!("latest"))),
        ("schemars contains", Box::new(|o| o["spec"]["endpointTemplate"] = json!("orders.example.com"))),
        ("schemars length on a list", Box::new(|o| o["spec"]["hosts"] = json!(["a", "b", "c", "d", "e", "f"]))),
        ("schemars inner length", Box::new(|o| o["spec"]["hosts"] = json!([""]))),
        ("schemars required", Box::new(|o| o["spec"].as_object_mut().unwrap().remove("owner").map(drop).unwrap_or(()))),
        ("pattern beside schema_with", Box::new(|o| o["spec"]["storage"] = json!("ten gigs"))),
        ("nested schemars length", Box::new(|o| o["spec"]["users"][0]["name"] = json!(""))),
        ("x_kube struct rule", Box::new(|o| o["spec"]["minAvailable"] = json!(4))),
        ("x_kube field rule", Box::new(|o| o["spec"]["parameters"] = json!({"p".repeat(64): "1"}))),
        ("kube root rule with message", Box::new(|o| o["metadata"]["name"] = json!("n".repeat(41)))),
        ("kube root rule", Box::new(|o| o["spec"]["replicas"] = json!(0))),
        ("list type set", Box::new(|o| o["spec"]["extensions"] = json!(["pgcrypto", "pgcrypto"]))),
        ("list map keys", Box::new(|o| o["spec"]["users"] = json!([{"name": "a"}, {"name": "a"}]))),
        ("unit enum", Box::new(|o| o["spec"]["engine"] = json!("MySQL"))),
        ("tagged enum tag", Box::new(|o| o["spec"]["bootstrap"] = json!({"from": "tape"}))),
        ("tagged enum variant fields", Box::new(|o| o["spec"]["bootstrap"] = json!({"from": "clone"}))),
        ("untagged enum", Box::new(|o| o["spec"]["connections"] = json!(true))),
    ];
    for (why, edit) in cases {
        check.assert_invalid(&object_with(edit), why);
    }
}

/// Every schema node says its type (or is int-or-string, or keeps unknown fields): the
/// structural rule kube-derive's schemas for `Option<Value>`, untagged and tagged enums break.
#[test]
fn the_crd_is_structural_where_kube_derives_is_not() {
    fn walk(path: &str, s: &Value, bad: &mut Vec<String>) {
        let typed = s.get("type").is_some()
            || s.get("x-kubernetes-int-or-string").is_some()
            || s.get("x-kubernetes-preserve-unknown-fields").is_some();
        if !typed {
            bad.push(path.to_string());
        }
        if s.get("anyOf").is_some() && s.get("x-kubernetes-int-or-string").is_none() {
            bad.push(format!("{path} (anyOf)"));
        }
        for (k, v) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
            walk(&format!("{path}.{k}"), v, bad);
        }
        for key in ["items", "additionalProperties"] {
            if let Some(v) = s.get(key).filter(|v| v.is_object()) {
                walk(&format!("{path}[{key}]"), v, bad);
            }
        }
    }
    let schema = fixture_schema("kube-derive-migrated", "Database", "v1alpha1");
    let mut bad = Vec::new();
    walk("", &schema, &mut bad);
    assert!(bad.is_empty(), "not structural: {bad:?}");
    let spec = &schema["properties"]["spec"]["properties"];
    assert_eq!(spec["config"]["x-kubernetes-preserve-unknown-fields"], json!(true));
    assert_eq!(spec["connections"]["x-kubernetes-int-or-string"], json!(true));
    assert_eq!(spec["bootstrap"]["properties"]["from"]["enum"], json!(["empty", "backup", "clone"]));
}

/// The root types a kube-derive user had: named by `root`, with kube-rs's traits (the crate
/// depends on kube), scoped as `namespaced` said.
#[test]
fn root_types_are_kube_derives() {
    use kube::core::{Resource, object::HasSpec};
    use kube_derive_migrated::{Backup, DatabaseBackupSpec};
    let backup = Backup::new("nightly", DatabaseBackupSpec { database: "orders".into(), retention_days: 30 });
    assert_eq!(<Backup as Resource>::kind(&()), "DatabaseBackup");
    assert_eq!(<Backup as Resource>::plural(&()), "databasebackups");
    assert_eq!(backup.spec().database, "orders");
    let json = serde_json::to_value(&backup).unwrap();
    assert_eq!(json["apiVersion"], "db.example.com/v1alpha1");
    fn cluster_scoped<K: Resource<Scope = kube::core::ClusterResourceScope>>() {}
    fn namespaced<K: Resource<Scope = kube::core::NamespaceResourceScope>>() {}
    cluster_scoped::<Backup>();
    namespaced::<Database>();
    let db = Database::new("orders", spec());
    assert_eq!(db.clone(), db, "`derive = \"PartialEq\"`");
    // kube-derive's `annotation(..)`/`label(..)` go on each new object too, as with kube-derive.
    let meta = &db.metadata;
    assert_eq!(meta.annotations.as_ref().and_then(|a| a.get("db.example.com/owner")).map(String::as_str), Some("platform-team"));
    assert_eq!(meta.labels.as_ref().and_then(|l| l.get("app.kubernetes.io/part-of")).map(String::as_str), Some("db-operator"));
}
