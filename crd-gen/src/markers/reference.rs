//! The markers reference (`docs/markers.md`), generated from the vocabulary so it cannot drift.

use super::vocab::{GO_IGNORED, GO_PACKAGE, GO_REFUSED, MARKERS, MarkerDef, Site, ValueKind};
use std::fmt::Write as _;

pub fn markdown() -> String {
    let mut out = String::from(
        "# crd-gen markers\n\n\
         <!-- Generated from crd-gen/src/markers/vocab.rs by `cargo run -p crd-gen -- markers > docs/markers.md`; do not edit. -->\n\n\
         Write markers as `#[crd(...)]` attributes. The Go comment markers in the last column are accepted \
         in doc comments with the same meaning (`/// +kubebuilder:validation:Minimum=0`) and are left out \
         of descriptions; `+name:=value` is read as `+name=value`, as controller-gen reads it.\n",
    );
    section(&mut out, "Resource markers (on the spec struct)", |d| d.site == Site::Resource);
    section(&mut out, "Schema markers (on fields, structs and enums)", |d| d.site == Site::Schema);
    section(&mut out, "Field markers (on fields only)", |d| d.site == Site::Field);
    for d in MARKERS {
        if let ValueKind::Group(inner) = d.value {
            let _ = writeln!(out, "\n### `{}(...)`\n\n| key | value | required | meaning |\n|---|---|---|---|", d.name);
            for i in inner {
                let req = if i.required { "yes" } else { "" };
                let value = i.syntax().trim_start_matches(i.name).trim_start_matches(" = ").to_string();
                let _ = writeln!(out, "| `{}` | `{}` | {req} | {} |", i.name, cell(&value), i.doc);
            }
        }
    }
    go_sections(&mut out);
    out
}

/// The Go markers that are not `#[crd]` markers: package markers, and those ignored or refused.
fn go_sections(out: &mut String) {
    out.push_str(
        "\n## Go package markers (in module docs)\n\n\
         A Go package's doc comment is a Rust module's docs: `//!` in the module's file (or `///` on its \
         `mod` item). They hold for the module and its submodules; the nearest module that says one wins, \
         and a resource's own markers win over them.\n\n| Go marker | meaning |\n|---|---|\n",
    );
    for (_, name, doc) in GO_PACKAGE {
        let _ = writeln!(out, "| `+{name}` | {} |", cell(doc));
    }
    out.push_str(
        "\n## Go markers accepted and ignored\n\n\
         Directives of other generators, or meanings a Rust type already has; controller-gen's CRD generator \
         ignores them too. A name covers its `:`-suffixed forms (`+kubebuilder:rbac:groups=..`). Other \
         `+kubebuilder:` markers not listed on this page are errors; other `+name` lines are ignored.\n\n\
         | Go marker | why it means nothing for a CRD |\n|---|---|\n",
    );
    for (name, why) in GO_IGNORED {
        let _ = writeln!(out, "| `+{name}` | {} |", cell(why));
    }
    out.push_str("\n## Go markers refused\n\nThey mean something crd-gen does not reproduce; the error says what to write instead.\n\n| Go marker | instead |\n|---|---|\n");
    for (name, instead) in GO_REFUSED {
        let _ = writeln!(out, "| `+{name}` | {} |", cell(instead));
    }
}

fn section(out: &mut String, title: &str, keep: impl Fn(&MarkerDef) -> bool) {
    let _ = writeln!(out, "\n## {title}\n\n| marker | applies to | repeatable | meaning | Go marker |\n|---|---|---|---|---|");
    for d in MARKERS.iter().filter(|d| keep(d)) {
        let go: Vec<String> = d.go.iter().map(|g| format!("`+{}`", g.spelling())).collect();
        let rep = if d.repeatable { "yes" } else { "" };
        let applies = if d.site == Site::Resource { "the resource" } else { d.applies_to.describe() };
        let _ = writeln!(out, "| `{}` | {applies} | {rep} | {} | {} |", cell(&d.syntax()), d.doc, go.join(" "));
    }
}

/// `|` inside a table cell must be escaped, even inside backticks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}
