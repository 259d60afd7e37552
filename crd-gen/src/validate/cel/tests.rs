//! Rules the API server accepts and refuses, per Kubernetes version: each asserts the message
//! and the place (the rule's line in lib.rs).

use crate::pipeline::{diagnostics_for, diagnostics_of};

/// A spec with one field per kind of value, and `rule` on the spec struct (line 3).
fn spec(rule: &str) -> String {
    spec_with(rule, "")
}

fn spec_with(rule: &str, extra: &str) -> String {
    let rule = rule.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n#[crd(validation(rule = \"{rule}\"{extra}))]\n\
         pub struct WidgetSpec {{\n\
         #[crd(max_length = 10)] pub name: String,\n\
         pub text: String,\n\
         pub opt: Option<String>,\n\
         pub replicas: i32,\n\
         pub ratio: f64,\n\
         #[crd(max_items = 10, items(max_length = 20))] pub tags: Vec<String>,\n\
         pub items: Vec<Item>,\n\
         #[crd(max_items = 5)] pub bounded: Vec<Item>,\n\
         pub labels: std::collections::BTreeMap<String, String>,\n\
         #[crd(format = \"date-time\")] pub at: Option<String>,\n\
         }}\n\
         pub struct Item {{ #[crd(max_length = 10)] pub name: String, pub count: i64 }}\n"
    )
}

fn ok(d: &str) {
    assert!(!d.contains("error") && !d.contains("warning"), "expected no diagnostics:\n{d}");
}

fn err(d: &str, needles: &[&str]) {
    assert!(d.contains("error"), "expected an error:\n{d}");
    for n in needles {
        assert!(d.contains(n), "missing `{n}` in:\n{d}");
    }
    assert!(d.contains("lib.rs:3:"), "not at the rule's line:\n{d}");
}

#[test]
fn accepted_rules() {
    for rule in [
        "self.name.startsWith('a') && size(self.name) < 10 && self.replicas + 1 > 2",
        "self.?opt.orValue('') != 'x'",
        "self.tags.all(t, t.size() < 20)",
        "self.bounded.exists(i, i.name == 'a')",
        "self.tags.map(t, t.lowerAscii()).exists(t, t == 'a')",
        "!has(self.at) || self.at < timestamp('2030-01-01T00:00:00Z')",
        "'a' in self.labels",
        "type(self.replicas) == int",
        "self.bounded.filter(i, i.count > 0).size() <= 5",
        "[1, 2, 3].exists_one(x, x == 2)",
        "self.name.matches('^[a-z]+$')",
        "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
        "self.replicas >= 0 ? true : false",
        "{'a': 1}['a'] == 1",
        "self.ratio > 0.5",
    ] {
        ok(&diagnostics_of(&spec(rule)));
    }
}

#[test]
fn the_optional_field_syntax_is_accepted_from_1_29() {
    ok(&diagnostics_for(&spec("self.?opt.orValue('') != 'x'"), 29));
    err(&diagnostics_for(&spec("self.?opt.orValue('') != 'x'"), 28), &["unsupported syntax `.?`", "need Kubernetes 1.29"]);
}

#[test]
fn size_of_an_int_has_no_overload() {
    err(&diagnostics_of(&spec("size(self.replicas) > 0")), &["found no matching overload for `size` applied to `(int)`", "`size(string)`"]);
}
