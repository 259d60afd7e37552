//! Selectable fields (`selectableFields`): at most 8, each a string, integer or boolean field.

use super::{schema_at, source_error as err};
use crate::collect::ResourceDecl;
use crate::crd::CrdVersion;
use crate::diag::{Diagnostics, FileId};
use crate::markers::MarkerKey;

pub fn check(v: &CrdVersion, decl: &ResourceDecl, file: FileId, diags: &mut Diagnostics) {
    let at = decl.marker_loc(MarkerKey::SelectableField, file);
    if v.selectable_fields.len() > 8 {
        err(diags, at, "at most 8 selectable fields are allowed".into(), "remove some `selectable_field` markers");
    }
    for f in &v.selectable_fields {
        match schema_at(&v.schema.open_api_v3_schema, &f.json_path) {
            Some(s) if matches!(s.type_.as_deref(), Some("string" | "integer" | "boolean")) => {}
            _ => err(
                diags,
                at,
                format!("selectable field `{}` must name a string, integer or boolean field of the schema", f.json_path),
                "e.g. `selectable_field = \".spec.color\"`",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::assert_error;

    fn with_fields(paths: &[&str]) -> String {
        let markers: Vec<String> = paths.iter().map(|p| format!("selectable_field = \"{p}\"")).collect();
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n#[crd({})]\npub struct WidgetSpec {{ pub color: String, pub tags: Vec<String> }}\n",
            markers.join(", ")
        )
    }

    #[test]
    fn each_selectable_field_rule() {
        assert_error(&with_fields(&[".spec.color"; 9]), "at most 8 selectable fields are allowed", 3);
        assert_error(&with_fields(&[".spec.tags"]), "selectable field `.spec.tags` must name a string, integer or boolean field", 3);
        assert_error(&with_fields(&[".spec.nope"]), "selectable field `.spec.nope` must name a string, integer or boolean field", 3);
    }
}
