//! The markers reference (`docs/markers.md`), generated from the vocabulary so it cannot drift.

use super::vocab::{MARKERS, MarkerDef, Site, ValueKind};
use std::fmt::Write as _;

pub fn markdown() -> String {
    let mut out = String::from(
        "# crd-gen markers\n\n\
         <!-- Generated from crd-gen/src/markers/vocab.rs by `cargo run -p crd-gen -- markers > docs/markers.md`; do not edit. -->\n\n\
         Write markers as `#[crd(...)]` attributes. The Go comment markers in the last column are accepted \
         in doc comments with the same meaning (`/// +kubebuilder:validation:Minimum=0`) and are left out \
         of descriptions.\n",
    );
    section(&mut out, "Resource markers (on the spec struct)", |d| d.site == Site::Resource);
    section(&mut out, "Schema markers (on fields, structs and enums)", |d| d.site == Site::Schema);
    section(&mut out, "Field markers (on fields only)", |d| d.site == Site::Field);
    for d in MARKERS {
        if let ValueKind::Group(inner) = d.value {
            let _ = writeln!(out, "\n### `{}(...)`\n\n| key | value | required | meaning |\n|---|---|---|---|", d.name);
            for i in inner {
                let req = if i.required { "yes" } else { "" };
                let _ = writeln!(out, "| `{}` | `{}` | {req} | {} |", i.name, cell(&value_text(i)), i.doc);
            }
        }
    }
    out
}

fn section(out: &mut String, title: &str, keep: impl Fn(&MarkerDef) -> bool) {
    let _ = writeln!(out, "\n## {title}\n\n| marker | applies to | repeatable | meaning | Go marker |\n|---|---|---|---|---|");
    for d in MARKERS.iter().filter(|d| keep(d)) {
        let go: Vec<String> = d.go.iter().map(|g| format!("`+{g}`")).collect();
        let rep = if d.repeatable { "yes" } else { "" };
        let req = if d.required { " Required." } else { "" };
        let applies = if d.site == Site::Resource { "the resource" } else { d.applies_to.describe() };
        let _ = writeln!(out, "| `{}` | {applies} | {rep} | {}{req} | {} |", cell(&d.syntax()), d.doc, go.join(" "));
    }
}

fn value_text(d: &MarkerDef) -> String {
    d.syntax().trim_start_matches(d.name).trim_start_matches(" = ").to_string()
}

/// `|` inside a table cell must be escaped, even inside backticks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}
