//! The status and scale subresources: the status subresource wants a status, the scale
//! subresource's paths name integer fields under `.spec`/`.status`.

use super::{schema_at, source_error as err};
use crate::collect::ResourceDecl;
use crate::crd::{CrdVersion, Scale};
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Place};
use crate::markers::MarkerKey;
use crate::schema::Schema;

pub fn check(v: &CrdVersion, decl: &ResourceDecl, file: FileId, diags: &mut Diagnostics) {
    if decl.marker(MarkerKey::StatusSubresource).is_some_and(|m| m.as_bool()) && decl.status.is_none() {
        diags.push(
            Diagnostic::warning(
                "the status subresource is on, but the resource has no status: every status the controller writes is pruned away",
                Place::Source(decl.marker_loc(MarkerKey::StatusSubresource, file)),
            )
            .with_help("add `status = \"MyStatus\"` naming the status struct"),
        );
    }
    if let Some(scale) = &v.subresources.scale {
        let at = decl.marker_loc(MarkerKey::Scale, file);
        scale_paths(scale, &v.schema.open_api_v3_schema, at, diags);
        if v.subresources.status.is_none() && scale.status_replicas_path.starts_with(".status.") {
            err(diags, at, "the scale subresource reads `.status`, but this resource has no status".into(), "add `status = \"MyStatus\"`");
        }
    }
}

fn scale_paths(scale: &Scale, root: &Schema, at: Loc, diags: &mut Diagnostics) {
    for (path, prefix, what) in
        [(&scale.spec_replicas_path, ".spec.", "spec_replicas_path"), (&scale.status_replicas_path, ".status.", "status_replicas_path")]
    {
        if !path.starts_with(prefix) {
            err(diags, at, format!("scale {what} `{path}` must be under `{prefix}`"), "e.g. `.spec.replicas` and `.status.replicas`");
        } else if schema_at(root, path).is_none_or(|s| !s.is_type("integer")) {
            err(
                diags,
                at,
                format!("scale {what} `{path}` must name an integer field of the schema"),
                "add a replicas field (e.g. `replicas: i32`) or fix the path",
            );
        }
    }
    if let Some(sel) = &scale.label_selector_path
        && !(sel.starts_with(".spec.") || sel.starts_with(".status."))
    {
        err(diags, at, format!("scale label_selector_path `{sel}` must be under `.spec.` or `.status.`"), "e.g. `.status.selector`");
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{assert_error, assert_warning};

    /// A resource with `markers` on line 3 and a status with `status_fields`.
    fn resource(markers: &str, spec_fields: &str, status: bool) -> String {
        let status_marker = if status { ", status = \"WidgetStatus\"" } else { "" };
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\"{status_marker})]\n#[crd({markers})]\n\
             pub struct WidgetSpec {{ {spec_fields} }}\npub struct WidgetStatus {{ pub replicas: i32, pub name: String }}\n"
        )
    }

    #[test]
    fn each_subresource_rule() {
        assert_warning(
            &resource("status_subresource", "pub x: i32", false),
            "the status subresource is on, but the resource has no status",
            3,
        );
        let scale = |spec: &str, status: &str| format!("scale(spec_replicas_path = \"{spec}\", status_replicas_path = \"{status}\")");
        let r = |markers: String| resource(&markers, "pub replicas: i32, pub name: String", true);
        assert_error(&r(scale("spec.replicas", ".status.replicas")), "scale spec_replicas_path `spec.replicas` must be under `.spec.`", 3);
        assert_error(&r(scale(".spec.name", ".status.replicas")), "scale spec_replicas_path `.spec.name` must name an integer field", 3);
        assert_error(
            &r(scale(".spec.replicas", ".status.name")),
            "scale status_replicas_path `.status.name` must name an integer field",
            3,
        );
        let selector = "scale(spec_replicas_path = \".spec.replicas\", status_replicas_path = \".status.replicas\", label_selector_path = \"selector\")";
        assert_error(&r(selector.into()), "scale label_selector_path `selector` must be under `.spec.` or `.status.`", 3);
        let no_status = resource(&scale(".spec.replicas", ".status.replicas"), "pub replicas: i32", false);
        assert_error(&no_status, "the scale subresource reads `.status`, but this resource has no status", 3);
    }
}
