//! Helpers for the end-to-end tests: run the real `cargo-crd-gen` binary, find fixtures, compare
//! goldens (bless with `CRD_GEN_BLESS=1`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The generated crate of many resources the benchmark uses (for the fault-injection tests).
#[path = "../crd-gen/benches/support/big_crate.rs"]
pub mod big_crate;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the repo").to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(name)
}

/// The `cargo-crd-gen` binary, built (once per test process) from the current source: cargo
/// builds a package's binaries only for that package's own integration tests, so without this
/// the tests could run a missing or stale binary.
pub fn bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut cmd = Command::new(cargo);
            cmd.args(["build", "--quiet", "-p", "crd-gen", "--bin", "cargo-crd-gen"]).current_dir(repo_root());
            if !cfg!(debug_assertions) {
                cmd.arg("--release");
            }
            let status = cmd.status().expect("run cargo build");
            assert!(status.success(), "building cargo-crd-gen failed");
            let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
            let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
            target.join(profile).join(format!("cargo-crd-gen{}", std::env::consts::EXE_SUFFIX))
        })
        .clone()
}

/// A command for `cargo-crd-gen <args>` in `dir`, for tests that change its environment.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(dir).env_remove("CARGO_TARGET_DIR").stdin(std::process::Stdio::null());
    cmd
}

/// Runs `cargo-crd-gen <args>` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().expect("run cargo-crd-gen")
}

pub fn run(args: &[&str]) -> Output {
    run_in(&repo_root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh scratch directory under target/ (removed first if it exists).
/// A fixture's Cargo.toml for a copy outside the workspace: its path dependencies on the derive
/// and (build.rs) the engine point back at this checkout, and it is its own workspace.
pub fn standalone_manifest(toml: &str) -> String {
    let crates = repo_root().join("crd-gen");
    toml.replace("\"../../crd-gen", &format!("\"{}", crates.display())) + "\n[workspace]\n"
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = repo_root().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Copies a directory tree (a fixture into a scratch dir).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &dest);
            }
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Compares `actual` with the golden file; with CRD_GEN_BLESS=1 rewrites the golden instead.
pub fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("CRD_GEN_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(golden).unwrap_or_else(|e| panic!("read {}: {e} (bless with CRD_GEN_BLESS=1)", golden.display()));
    if expected != actual {
        panic!("{} differs from the generated output (bless with CRD_GEN_BLESS=1):\n{}", golden.display(), line_diff(&expected, actual));
    }
}

fn line_diff(a: &str, b: &str) -> String {
    let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    for i in 0..al.len().max(bl.len()) {
        let (x, y) = (al.get(i), bl.get(i));
        if x != y {
            out.push_str(&format!("line {}:\n- {}\n+ {}\n", i + 1, x.unwrap_or(&"<none>"), y.unwrap_or(&"<none>")));
            if out.len() > 4000 {
                break;
            }
        }
    }
    out
}

/// The openAPIV3Schema of `kind`'s `version` in a fixture, straight from the engine.
pub fn fixture_schema(fixture_name: &str, kind: &str, version: &str) -> serde_json::Value {
    let plan = crd_gen::Generator::new().manifest_path(fixture(fixture_name).join("Cargo.toml")).plan();
    assert!(plan.failure.is_none(), "{}", plan.generated.render_diagnostics(false));
    let crd = plan
        .generated
        .crates
        .iter()
        .flat_map(|c| &c.files)
        .find(|f| f.crd().spec.names.kind == kind)
        .unwrap_or_else(|| panic!("no CRD of kind {kind} in {fixture_name}"));
    let v = crd.crd().spec.versions.iter().find(|v| v.name == version).unwrap_or_else(|| panic!("no version {version}"));
    v.schema.open_api_v3_schema.to_json()
}

/// What the API server checks an object against, for the value tests: the structural schema
/// (with a JSON Schema draft 4 validator, the dialect OpenAPI v3.0 schemas build on: `nullable`
/// becomes a `null` type, `x-kubernetes-int-or-string` is already an anyOf) and every
/// `x-kubernetes-validations` CEL rule ([`cel_failures`]), after pruning the object as the API
/// server does ([`prune`]).
pub struct SchemaCheck {
    openapi: serde_json::Value,
    validator: jsonschema::Validator,
}

impl SchemaCheck {
    pub fn new(openapi: &serde_json::Value) -> SchemaCheck {
        let schema = to_json_schema(openapi.clone());
        SchemaCheck { openapi: openapi.clone(), validator: jsonschema::draft4::new(&schema).expect("schema compiles") }
    }
    /// The validation errors of `object` (empty when valid).
    pub fn errors(&self, object: &serde_json::Value) -> Vec<String> {
        let mut object = object.clone();
        // The API server validates the root `metadata` as ObjectMeta and never prunes it: CEL
        // rules on the object see `self.metadata.name`.
        let metadata = object.get("metadata").cloned();
        prune(&self.openapi, &mut object);
        if let (Some(m), Some(o)) = (metadata, object.as_object_mut()) {
            o.insert("metadata".into(), m);
        }
        let mut errors: Vec<String> = self.validator.iter_errors(&object).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        errors.extend(cel_failures(&self.openapi, &object));
        errors.extend(extension_failures(&self.openapi, &object));
        errors
    }
    pub fn assert_valid(&self, object: &serde_json::Value) {
        let errors = self.errors(object);
        assert!(errors.is_empty(), "expected valid, got {errors:?} for {object}");
    }
    pub fn assert_invalid(&self, object: &serde_json::Value, why: &str) {
        assert!(!self.errors(object).is_empty(), "expected the schema to reject ({why}): {object}");
    }
}

/// The schema of `key`'s value in an object of schema `schema`.
fn property_schema<'s>(schema: &'s serde_json::Value, key: &str) -> Option<&'s serde_json::Value> {
    schema.get("properties").and_then(|p| p.get(key)).or_else(|| schema.get("additionalProperties"))
}

/// What the API server does to an object before validating it: fields the schema does not know
/// are pruned (unless `x-kubernetes-preserve-unknown-fields`), and a `null` whose schema is
/// neither `nullable` nor has a `default` is dropped (serde writes `null` for an `Option` without
/// `skip_serializing_if`).
pub fn prune(schema: &serde_json::Value, value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let keep_unknown = schema.get("x-kubernetes-preserve-unknown-fields") == Some(&true.into());
            map.retain(|k, v| match property_schema(schema, k) {
                None => keep_unknown,
                Some(s) => !(v.is_null() && s.get("nullable") != Some(&true.into()) && s.get("default").is_none()),
            });
            for (k, v) in map.iter_mut() {
                if let Some(s) = property_schema(schema, k) {
                    prune(s, v);
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                items.iter_mut().for_each(|v| prune(s, v));
            }
        }
        _ => {}
    }
}

/// What the API server checks beyond JSON Schema and CEL, for the `x-kubernetes-*` extensions:
/// `x-kubernetes-list-type: set` lists have no duplicate items, `map` lists no two items with the
/// same values of the `x-kubernetes-list-map-keys` (a missing key counts as its `default`), and an
/// `x-kubernetes-embedded-resource` object has a non-empty `apiVersion` and `kind`.
pub fn extension_failures(schema: &serde_json::Value, value: &serde_json::Value) -> Vec<String> {
    let mut failures = Vec::new();
    extension_walk(schema, value, "", &mut failures);
    failures
}

fn extension_walk(schema: &serde_json::Value, value: &serde_json::Value, path: &str, failures: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if schema.get("x-kubernetes-embedded-resource") == Some(&true.into()) {
                for key in ["apiVersion", "kind"] {
                    if map.get(key).and_then(|v| v.as_str()).is_none_or(|s| s.is_empty()) {
                        failures.push(format!("{path}.{key}: Required value (embedded resource)"));
                    }
                }
            }
            for (k, v) in map {
                if let Some(s) = property_schema(schema, k) {
                    extension_walk(s, v, &format!("{path}.{k}"), failures);
                }
            }
        }
        serde_json::Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or_default();
            let key_of = |item: &serde_json::Value| -> serde_json::Value {
                match schema.get("x-kubernetes-list-type").and_then(|t| t.as_str()) {
                    Some("map") => {
                        let keys = schema.get("x-kubernetes-list-map-keys").and_then(|k| k.as_array()).cloned().unwrap_or_default();
                        keys.iter()
                            .map(|k| {
                                let k = k.as_str().unwrap_or_default();
                                item.get(k)
                                    .or_else(|| item_schema.get("properties").and_then(|p| p.get(k)).and_then(|p| p.get("default")))
                                    .cloned()
                                    .unwrap_or_default()
                            })
                            .collect()
                    }
                    _ => item.clone(),
                }
            };
            if matches!(schema.get("x-kubernetes-list-type").and_then(|t| t.as_str()), Some("set" | "map")) {
                let keys: Vec<serde_json::Value> = items.iter().map(key_of).collect();
                for (i, key) in keys.iter().enumerate() {
                    if keys[..i].contains(key) {
                        failures.push(format!("{path}[{i}]: Duplicate value: {key}"));
                    }
                }
            }
            for (i, v) in items.iter().enumerate() {
                extension_walk(&item_schema, v, &format!("{path}[{i}]"), failures);
            }
        }
        _ => {}
    }
}

/// `value` defaulted as the API server defaults an object (after pruning): each missing property
/// whose schema has a `default` gets it, as does a `null` one unless its schema is `nullable`;
/// then the children are defaulted, defaults included (a defaulted object gets its properties'
/// defaults).
pub fn apply_defaults(schema: &serde_json::Value, value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
                for (k, s) in props {
                    let Some(default) = s.get("default") else { continue };
                    let missing = match map.get(k) {
                        None => true,
                        Some(v) => v.is_null() && s.get("nullable") != Some(&true.into()),
                    };
                    if missing {
                        map.insert(k.clone(), default.clone());
                    }
                }
            }
            for (k, v) in map.iter_mut() {
                if let Some(s) = property_schema(schema, k) {
                    apply_defaults(s, v);
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                items.iter_mut().for_each(|v| apply_defaults(s, v));
            }
        }
        _ => {}
    }
}

/// Every `x-kubernetes-validations` rule of `schema` that does not hold for `value`, evaluated as
/// the API server does: at each node of the schema that has a value, with `self` bound to that
/// value. Transition rules (those using `oldSelf`) do not run on create and are skipped.
pub fn cel_failures(schema: &serde_json::Value, value: &serde_json::Value) -> Vec<String> {
    let mut failures = Vec::new();
    cel_walk(schema, value, "", &mut failures);
    failures
}

fn cel_walk(schema: &serde_json::Value, value: &serde_json::Value, path: &str, failures: &mut Vec<String>) {
    if value.is_null() {
        return;
    }
    let rules = schema.get("x-kubernetes-validations").and_then(|r| r.as_array()).into_iter().flatten();
    for rule in rules.filter(|r| !r["rule"].as_str().unwrap_or_default().contains("oldSelf")) {
        let text = rule["rule"].as_str().unwrap_or_default();
        let mut context = cel::Context::default();
        context.add_variable("self", value).expect("JSON converts to CEL");
        match cel::Program::compile(text).map(|program| program.execute(&context)) {
            Ok(Ok(cel::Value::Bool(true))) => {}
            Ok(Ok(cel::Value::Bool(false))) => failures.push(format!("{path}: {} ({text})", rule["message"].as_str().unwrap_or(text))),
            Ok(other) => failures.push(format!("{path}: `{text}` gave {other:?}")),
            Err(e) => failures.push(format!("{path}: `{text}` does not compile: {e}")),
        }
    }
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if let Some(s) = property_schema(schema, k) {
                    cel_walk(s, v, &format!("{path}.{k}"), failures);
                }
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    cel_walk(s, v, &format!("{path}[{i}]"), failures);
                }
            }
        }
        _ => {}
    }
}

/// A crate of one `lib.rs` (package `package`, its own workspace, no dependencies: crd-gen
/// reads the source, nothing is compiled) in `dir`; returns its Cargo.toml.
pub fn write_crate(dir: &Path, package: &str, lib_rs: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        format!("[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n"),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    manifest
}

/// A resource declaration for test crates: `kind` in `group`, with `extra` markers.
pub fn resource(kind: &str, group: &str, extra: &str) -> String {
    format!(
        "#[derive(CustomResource)]\n#[crd(group = \"{group}\", version = \"v1\", kind = \"{kind}\"{extra})]\npub struct {kind}Spec {{\n    pub size: i32,\n}}\n\n"
    )
}

/// The spec schema crd-gen generates for a crate written into a scratch directory (no
/// dependencies: crd-gen reads the source, nothing is compiled), or the diagnostics. For engine
/// gaps that would break a fixture's generation.
pub fn scratch_spec_schema(name: &str, lib_rs: &str) -> Result<serde_json::Value, String> {
    let dir = scratch(name);
    let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    let plan = crd_gen::Generator::new().manifest_path(dir.join("Cargo.toml")).plan();
    if plan.failure.is_some() {
        return Err(plan.generated.render_diagnostics(false));
    }
    let file = plan.generated.crates.iter().flat_map(|c| &c.files).next().ok_or("no CRD generated")?;
    Ok(file.crd().spec.versions[0].schema.open_api_v3_schema.to_json()["properties"]["spec"].clone())
}

fn to_json_schema(mut v: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(map) = &mut v {
        if map.get("nullable") == Some(&serde_json::Value::Bool(true))
            && let Some(serde_json::Value::String(t)) = map.get("type").cloned()
        {
            map.insert("type".into(), serde_json::json!([t, "null"]));
        }
        for (_, child) in map.iter_mut() {
            *child = to_json_schema(child.take());
        }
    } else if let serde_json::Value::Array(items) = &mut v {
        for child in items.iter_mut() {
            *child = to_json_schema(child.take());
        }
    }
    v
}

/// A whole custom object as a client would send it.
pub fn object(api_version: &str, kind: &str, spec: serde_json::Value, status: Option<serde_json::Value>) -> serde_json::Value {
    let mut o = serde_json::json!({ "apiVersion": api_version, "kind": kind, "metadata": { "name": "sample" }, "spec": spec });
    if let Some(s) = status {
        o["status"] = s;
    }
    o
}

/// Every file and directory under `dir`, by relative path (with `/` separators): `None` for a
/// directory, the bytes for a file. Two snapshots are equal when nothing was created, removed or
/// changed.
pub fn snapshot_tree(dir: &Path) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Option<Vec<u8>>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                out.insert(rel, None);
                walk(root, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What differs between two snapshots of [`snapshot_tree`], one line per path (empty: equal).
pub fn tree_changes(
    before: &std::collections::BTreeMap<String, Option<Vec<u8>>>,
    after: &std::collections::BTreeMap<String, Option<Vec<u8>>>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (path, content) in after {
        match before.get(path) {
            None => changes.push(format!("created {path}")),
            Some(old) if old != content => changes.push(format!("changed {path}")),
            _ => {}
        }
    }
    changes.extend(before.keys().filter(|p| !after.contains_key(*p)).map(|p| format!("removed {p}")));
    changes
}

/// Runs `cargo-crd-gen <args>` in `dir`, killing it after `timeout`; `None` if it timed out.
/// Output goes through files in `log_dir` (outside `dir`), so nothing is written into `dir`.
pub fn run_with_timeout(dir: &Path, args: &[String], log_dir: &Path, timeout: std::time::Duration) -> Option<Output> {
    std::fs::create_dir_all(log_dir).expect("create log dir");
    let (out_path, err_path) = (log_dir.join("stdout"), log_dir.join("stderr"));
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUST_BACKTRACE")
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("create stdout log"))
        .stderr(std::fs::File::create(&err_path).expect("create stderr log"))
        .spawn()
        .expect("run cargo-crd-gen");
    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cargo-crd-gen") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Some(Output { status, stdout: std::fs::read(&out_path).unwrap_or_default(), stderr: std::fs::read(&err_path).unwrap_or_default() })
}
