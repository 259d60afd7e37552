//! The README's tutorial is taken from real runs and stays so: the scaffolded module and its CRD
//! are the `create api` goldens, the messages are what `create api` and `manifests` print, the
//! CronJob types generate the YAML shown, the sample object fits the schema, and the
//! controller-gen table is the one generated from the marker vocabulary (bless with
//! `CRD_GEN_BLESS=1` rewrites it).

use crd_gen_tests::*;

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).unwrap()
}

/// The fenced block after `<!-- readme-test: NAME -->`.
fn block(text: &str, name: &str) -> String {
    let tag = format!("<!-- readme-test: {name} -->\n");
    let at = text.find(&tag).unwrap_or_else(|| panic!("README has no {tag}")) + tag.len();
    let rest = &text[at..];
    let body = &rest[rest.find('\n').expect("a fence line") + 1..];
    body[..body.find("```").expect("a closing fence")].to_string()
}

/// The fenced block that starts with `first` (an untagged one, such as a command's output).
fn block_starting(text: &str, first: &str) -> String {
    let at = text.find(&format!("```text\n{first}")).unwrap_or_else(|| panic!("README has no output block starting {first:?}")) + 8;
    text[at..at + text[at..].find("```").unwrap()].to_string()
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/create_api").join(name)).unwrap()
}

#[test]
fn the_controller_gen_table_is_generated_from_the_vocabulary() {
    let text = readme();
    let begin = text.find("<!-- BEGIN generated: go-markers").expect("begin marker");
    let start = begin + text[begin..].find("-->\n").unwrap() + 4;
    let end = text.find("<!-- END generated: go-markers -->").expect("end marker");
    let table = crd_gen::markers::reference::go_table();
    if std::env::var_os("CRD_GEN_BLESS").is_some() {
        std::fs::write(repo_root().join("README.md"), format!("{}{table}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    assert!(text[start..end] == table, "the README's controller-gen table is stale (bless with CRD_GEN_BLESS=1)");
    assert!(crd_gen::markers::reference::markdown().contains(&table), "docs/markers.md has the same table");
    for d in crd_gen::markers::vocab::MARKERS {
        for g in d.go {
            assert!(table.contains(&format!("`+{}", g.name)), "{} is not in the table", g.name);
        }
    }
}

#[test]
fn the_kube_derive_table_is_generated_from_the_dialect_readers() {
    let text = readme();
    let begin = text.find("<!-- BEGIN generated: kube-derive").expect("begin marker");
    let start = begin + text[begin..].find("-->\n").unwrap() + 4;
    let end = text.find("<!-- END generated: kube-derive -->").expect("end marker");
    let table = crd_gen::markers::reference::kube_table();
    if std::env::var_os("CRD_GEN_BLESS").is_some() {
        std::fs::write(repo_root().join("README.md"), format!("{}{table}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    assert!(text[start..end] == table, "the README's kube-derive table is stale (bless with CRD_GEN_BLESS=1)");
    for k in crd_gen::markers::dialect::kube::KEYS {
        assert!(table.contains(&format!("`#[kube({})]`", k.key.replace('|', "\\|"))), "{} is not in the table", k.key);
    }
}

#[test]
fn the_quick_start_shows_the_scaffold_and_its_crd_as_generated() {
    let text = readme();
    assert_eq!(block(&text, "scaffold-rs"), golden("guestbook.rs"), "README's guestbook.rs is not create api's (tests/create_api.rs)");
    assert_eq!(block(&text, "scaffold-crd"), golden("webapp.my.domain_guestbooks.yaml"));
    assert!(text.contains("cargo crd-gen create api --group webapp --version v1 --kind Guestbook --domain my.domain\n"));
    assert!(text.contains("cargo new --lib guestbook\ncd guestbook\n") && text.contains("cargo install --path crd-gen\n"));

    // The messages shown are the ones a run prints (the checkout's path and the times aside).
    let dir = std::env::temp_dir().join(format!("crd-gen-readme-{}", std::process::id())).join("guestbook");
    let _ = std::fs::remove_dir_all(&dir);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let o = std::process::Command::new(cargo).args(["new", "--offline", "--vcs", "none", "--quiet", "--lib"]).arg(&dir).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(&dir, &["create", "api", "--group", "webapp", "--version", "v1", "--kind", "Guestbook", "--domain", "my.domain"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let untimed = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| {
                l.rsplit_once(", in ").filter(|(_, t)| t.ends_with(" ms") || t.ends_with(" s")).map(|(h, _)| h).unwrap_or(l).to_string()
            })
            .collect()
    };
    let shown = block_starting(&text, "crd-gen: edited src/lib.rs").replace("/home/you/crd-gen", repo_root().to_str().unwrap());
    assert_eq!(untimed(&shown), untimed(&stderr(&o)));
    // The workspace's lock: serde resolves offline, from the registry cache.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let o = command_in(&dir, &["manifests"]).env("CARGO_NET_OFFLINE", "true").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(untimed(&block_starting(&text, "crd-gen: wrote 1")), untimed(&stderr(&o)));
    assert_eq!(
        std::fs::read_to_string(dir.join("config/crd/bases/webapp.my.domain_guestbooks.yaml")).unwrap(),
        block(&text, "scaffold-crd")
    );
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());

    // The sample object of step 5 is valid for that schema.
    let sample = text.split("kubectl apply -f - <<EOF\n").nth(1).and_then(|s| s.split("EOF\n").next()).expect("the sample object");
    assert!(sample.contains("spec:\n  foo: bar\n"), "{sample}");
    let schema = scratch_schema("readme-guestbook", &golden("guestbook.rs"));
    let check = SchemaCheck::new(&schema);
    check.assert_valid(&object("webapp.my.domain/v1", "Guestbook", serde_json::json!({ "foo": "bar" }), None));
    check.assert_invalid(&object("webapp.my.domain/v1", "Guestbook", serde_json::json!({ "foo": 3 }), None), "foo is a string");
}

#[test]
fn the_cronjob_tutorial_generates_the_yaml_it_shows() {
    let text = readme();
    let types = block(&text, "cronjob-rs");
    assert!(types.contains(&block(&text, "cronjob-markers")), "the markers of step 3 are in the file of step 2");
    let dir = scratch("readme-cronjob");
    let manifest = write_crate(&dir, "project", &types);
    let plan = crd_gen::Generator::new().manifest_path(&manifest).plan();
    assert!(plan.failure.is_none() && plan.generated.diagnostics.is_empty(), "{}", plan.generated.render_diagnostics(false));
    let yaml = &plan.files[0].contents;
    for excerpt in ["cronjob-crd", "cronjob-crd-spec"] {
        assert!(yaml.contains(&block(&text, excerpt)), "README's {excerpt} is not in the generated CRD:\n{yaml}");
    }
    assert!(yaml.starts_with("---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: cronjobs.batch.tutorial.kubebuilder.io\n"));
}

/// The openAPIV3Schema of the one resource of a lib.rs.
fn scratch_schema(name: &str, lib_rs: &str) -> serde_json::Value {
    let dir = scratch(name);
    let manifest = write_crate(&dir, "x", lib_rs);
    let plan = crd_gen::Generator::new().manifest_path(&manifest).plan();
    assert!(plan.failure.is_none(), "{}", plan.generated.render_diagnostics(false));
    plan.generated.crates[0].files[0].crd().spec.versions[0].schema.open_api_v3_schema.to_json()
}
