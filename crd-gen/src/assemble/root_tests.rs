//! The root object's doc comment (`root(/// ..)`) and the Go root type's markers in it.

use crate::pipeline::{diagnostics_of, run_source};

fn root_of(src: &str) -> crate::schema::Schema {
    let g = run_source(src);
    assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
    g.crates[0].files[0].crd().spec.versions[0].schema.open_api_v3_schema.clone()
}

const SPEC: &str = "/// GuestbookSpec defines the desired state of Guestbook.\n#[derive(CustomResource)]\n";

#[test]
fn root_docs_are_the_root_description() {
    let root = root_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", root(\n    /// Guestbook is the Schema for the guestbooks API.\n    ///\n    /// It keeps paragraphs,\n    /// and line breaks.\n    /// TODO: not this line.\n))]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert_eq!(
        root.description.as_deref(),
        Some("Guestbook is the Schema for the guestbooks API.\n\nIt keeps paragraphs,\nand line breaks.")
    );
    let spec = &root.properties.as_ref().unwrap()["spec"];
    assert_eq!(spec.description.as_deref(), Some("GuestbookSpec defines the desired state of Guestbook."));
}

#[test]
fn empty_root_docs_mean_no_description_and_none_mean_the_default() {
    let root = root_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", root())]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert_eq!(root.description, None);
    let root =
        root_of(&format!("{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\")]\npub struct GuestbookSpec {{ pub foo: String }}\n"));
    assert_eq!(root.description.as_deref(), Some("Guestbook is the Schema for the guestbooks API"));
}

#[test]
fn the_go_root_types_markers_port_into_root() {
    let src = format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", status = \"GuestbookStatus\", root(\n    /// +kubebuilder:object:root=true\n    /// +kubebuilder:subresource:status\n    /// +kubebuilder:printcolumn:name=\"Foo\",type=string,JSONPath=`.spec.foo`\n    /// +kubebuilder:validation:XValidation:rule=\"self.metadata.name.size() <= 20\",message=\"short names only\"\n    /// Guestbook is the Schema for the guestbooks API\n))]\npub struct GuestbookSpec {{ pub foo: String }}\npub struct GuestbookStatus {{ pub ok: bool }}\n"
    );
    let g = run_source(&src);
    assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
    let v = &g.crates[0].files[0].crd().spec.versions[0];
    assert_eq!(v.additional_printer_columns.iter().map(|c| c.json_path.as_str()).collect::<Vec<_>>(), [".spec.foo"]);
    assert!(v.subresources.status.is_some());
    let root = &v.schema.open_api_v3_schema;
    assert_eq!(root.description.as_deref(), Some("Guestbook is the Schema for the guestbooks API"));
    let rules: Vec<(&str, Option<&str>)> = root.validations.iter().map(|r| (r.rule.as_str(), r.message.as_deref())).collect();
    assert_eq!(rules, [("self.metadata.name.size() <= 20", Some("short names only"))]);
    assert!(root.properties.as_ref().unwrap()["spec"].validations.is_empty(), "the rule is the root's, not the spec's");
}

#[test]
fn root_refuses_what_does_not_belong_there() {
    let d = diagnostics_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", description = \"x\", root(\n    /// Guestbook.\n))]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert!(d.contains("`description` and `root` cannot both be given"), "{d}");
    let d = diagnostics_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", root(\n    /// Guestbook.\n    /// +kubebuilder:validation:MinProperties=1\n))]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert!(d.contains("`min_properties` cannot be used on the root object (`root(...)`)"), "{d}");
    assert!(d.contains("lib.rs:5:"), "{d}");
    let d = diagnostics_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", root(#[serde(rename = \"x\")]))]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert!(d.contains("`root(...)` holds doc comment lines only"), "{d}");
    let d = diagnostics_of(&format!(
        "{SPEC}#[crd(group = \"webapp.my.domain\", version = \"v1\", root = \"x\")]\npub struct GuestbookSpec {{ pub foo: String }}\n"
    ));
    assert!(d.contains("`root` takes doc comment lines in parentheses"), "{d}");
}
