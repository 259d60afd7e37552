//! Printer columns (`additionalPrinterColumns`): unique names, and JSON paths the schema has.

use super::{schema_at, source_error as err};
use crate::collect::ResourceDecl;
use crate::crd::CrdVersion;
use crate::diag::{Diagnostics, FileId, Loc};
use crate::markers::MarkerKey;

pub fn check(v: &CrdVersion, decl: &ResourceDecl, file: FileId, diags: &mut Diagnostics) {
    let root = &v.schema.open_api_v3_schema;
    // Each column's own marker, so a message points at the column that is wrong.
    let column_locs: Vec<Loc> = decl.crd().all(MarkerKey::Printcolumn).map(|m| Loc::from_span(file, m.span)).collect();
    let mut seen = Vec::new();
    for (ci, c) in v.additional_printer_columns.iter().enumerate() {
        let here = column_locs.get(ci).copied().unwrap_or_else(|| decl.marker_loc(MarkerKey::Printcolumn, file));
        if seen.contains(&&c.name) {
            err(diags, here, format!("printer column `{}` is declared twice", c.name), "give each column its own name");
        }
        seen.push(&c.name);
        if !c.json_path.starts_with('.') {
            err(
                diags,
                here,
                format!("printer column `{}`: json_path `{}` must start with `.`", c.name, c.json_path),
                "e.g. `json_path = \".status.phase\"`",
            );
        } else if !c.json_path.contains(['[', '*', '@', '?'])
            && !c.json_path.starts_with(".metadata.")
            && schema_at(root, &c.json_path).is_none()
        {
            err(
                diags,
                here,
                format!("printer column `{}`: `{}` is not a field of the schema", c.name, c.json_path),
                "point json_path at a field of the spec or status (by its JSON name), or at `.metadata.*`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::assert_error;

    /// A resource with printer columns `columns` on lines 3, 4, ..
    fn with_columns(columns: &[&str]) -> String {
        let columns: String = columns.iter().map(|c| format!("#[crd(printcolumn({c}))]\n")).collect();
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n{columns}pub struct WidgetSpec {{ pub x: i32 }}\n"
        )
    }

    #[test]
    fn each_column_rule() {
        let a = "name = \"A\", type = \"integer\", json_path = \".spec.x\"";
        assert_error(&with_columns(&[a, a]), "printer column `A` is declared twice", 4);
        let bad = "name = \"B\", type = \"string\", json_path = \"spec.x\"";
        assert_error(&with_columns(&[a, bad]), "printer column `B`: json_path `spec.x` must start with `.`", 4);
        let missing = "name = \"C\", type = \"string\", json_path = \".spec.y\"";
        assert_error(&with_columns(&[missing]), "printer column `C`: `.spec.y` is not a field of the schema", 3);
    }
}
