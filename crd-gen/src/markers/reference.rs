//! The markers reference (`docs/markers.md`), generated from the vocabulary so it cannot drift.

use super::vocab::{GO_IGNORED, GO_PACKAGE, GO_REFUSED, GoForm, GoMarker, MARKERS, MarkerDef, Site, ValueKind};
use std::fmt::Write as _;

pub fn markdown() -> String {
    let mut out = String::from(
        "# crd-gen markers\n\n\
         <!-- Generated from crd-gen-markers/src/vocab.rs by `cargo run -p crd-gen -- markers > docs/markers.md`; do not edit. -->\n\n\
         Write markers as `#[crd(...)]` attributes. The Go comment markers in the last column are accepted \
         in doc comments with the same meaning (`/// +kubebuilder:validation:Minimum=0`) and are left out \
         of descriptions; `+name:=value` is read as `+name=value`, as controller-gen reads it.\n",
    );
    section(&mut out, "Resource markers (on the spec struct)", |d| d.site == Site::Resource);
    section(&mut out, "Schema markers (on fields, structs and enums)", |d| d.site == Site::Schema);
    section(&mut out, "Field markers (on fields only)", |d| d.site == Site::Field);
    out.push_str(
        "\n## Coming from controller-gen\n\nEach Go marker and the Rust marker it means (both are accepted; see the tables above).\n\n",
    );
    out.push_str(&go_table());
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
        let go: Vec<String> = d.go.iter().map(|g| go_spelling(d, g)).collect();
        let rep = if d.repeatable { "yes" } else { "" };
        let applies = if d.site == Site::Resource { "the resource" } else { d.applies_to.describe() };
        let _ = writeln!(out, "| `{}` | {applies} | {rep} | {} | {} |", cell(&d.syntax()), d.doc, go.join(" "));
    }
}

/// The Go marker's name as written: `+kubebuilder:resource:path`; a marker whose one argument is
/// optional (`+kubebuilder:deprecatedversion`) both ways.
fn go_spelling(d: &MarkerDef, g: &GoMarker) -> String {
    match g.form {
        GoForm::Arg(_) if matches!(d.value, ValueKind::FlagOrStr) => format!("`+{}` `+{}`", g.name, g.spelling()),
        _ => format!("`+{}`", g.spelling()),
    }
}

/// `|` inside a table cell must be escaped, even inside backticks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The "coming from controller-gen" table (README, docs/markers.md): every Go comment marker the
/// vocabulary knows and the `#[crd(...)]` marker it means, from the Go spellings of each
/// definition (how the marker's text gives the value, the Go names of its arguments).
pub fn go_table() -> String {
    let mut out = String::from("| controller-gen (Go comment marker) | crd-gen (Rust attribute) |\n|---|---|\n");
    for d in MARKERS {
        for g in d.go {
            let _ = writeln!(out, "| {} | {} |", cell(&go_form(d, g)), cell(&rust_form(d, g)));
        }
    }
    out.push_str(
        "| `+kubebuilder:object:root=true`, `+kubebuilder:object:generate`, `+genclient` | not needed: `#[derive(CustomResource)]` on the spec struct |\n",
    );
    out
}

/// The "coming from kube-derive" table (README): every `#[kube(..)]` key kube-derive 5 knows and
/// the field attributes crd-gen reads, with the crd marker each becomes and what differs, from
/// the tables the dialect readers document themselves by (`crd_gen_markers::dialect`).
pub fn kube_table() -> String {
    use crate::markers::dialect::{FIELD_KEYS, kube::KEYS};
    let mut out = String::from("| kube-derive 5 / schemars 1 | crd-gen marker | differs |\n|---|---|---|\n");
    let code = |s: &str| if s == "-" || s.contains('`') { s.to_string() } else { format!("`{s}`") };
    for k in KEYS {
        let _ = writeln!(out, "| {} | {} | {} |", cell(&format!("`#[kube({})]`", k.key)), cell(&code(k.crd)), cell(k.note));
    }
    for k in FIELD_KEYS {
        let _ = writeln!(out, "| {} | {} | {} |", cell(k.key), cell(&code(k.crd)), cell(k.note));
    }
    out
}

/// How the Go marker is written, with a placeholder value (in backticks).
fn go_form(d: &MarkerDef, g: &GoMarker) -> String {
    let name = g.name;
    match g.form {
        GoForm::Off => format!("`+{name}`"),
        GoForm::Entries => format!("`+{name}=\"key=value\"`"),
        GoForm::Elements { .. } => format!("`+{name}:Maximum=3` (any schema marker)"),
        GoForm::FieldGroup(_) => format!("`+{name}=a;b`"),
        // An optional argument: the marker alone is the flag.
        GoForm::Arg(arg) if matches!(d.value, ValueKind::FlagOrStr) => format!("`+{name}` or `+{name}:{arg}=\"..\"`"),
        GoForm::Arg(arg) => format!("`+{name}:{arg}{}`", placeholder(d.value)),
        GoForm::Value | GoForm::ValueOrRef => match d.value {
            ValueKind::Group(inner) => {
                let required: Vec<String> = inner.iter().filter(|i| i.required).map(|i| format!("{}=..", i.go)).collect();
                format!("`+{name}:{}`", required.join(","))
            }
            value => format!("`+{name}{}`", placeholder(value)),
        },
    }
}

/// `=<n>`: the value of a Go marker, as a placeholder of its kind.
fn placeholder(value: ValueKind) -> String {
    match value {
        ValueKind::Flag | ValueKind::Bool | ValueKind::FlagOrStr | ValueKind::Docs => String::new(),
        ValueKind::Str | ValueKind::Json | ValueKind::Items | ValueKind::Group(_) => "=..".into(),
        ValueKind::OneOf(options) => format!("={}", options.join("|")),
        ValueKind::Count => "=<n>".into(),
        ValueKind::Number => "=<number>".into(),
        ValueKind::Literal => "=<value>".into(),
        ValueKind::LiteralList => "=a;b;c".into(),
    }
}

/// The Rust marker it means (in backticks).
fn rust_form(d: &MarkerDef, g: &GoMarker) -> String {
    match (g.form, d.value) {
        (GoForm::Off, _) => format!("`#[crd({} = false)]`", d.name),
        (GoForm::Elements { .. }, _) => format!("`#[crd({}(maximum = 3))]`", d.name),
        (GoForm::FieldGroup(_), _) => format!("the same CEL rule: `#[crd({}(rule = \"..\", message = \"..\"))]`", d.name),
        (_, ValueKind::Flag | ValueKind::Bool) => format!("`#[crd({})]`", d.name),
        (_, ValueKind::FlagOrStr) => format!("`#[crd({0})]` or `#[crd({0} = \"..\")]`", d.name),
        (_, ValueKind::Group(inner)) => {
            let mut args: Vec<String> = inner.iter().filter(|i| i.required).map(|i| format!("{} = ..", i.name)).collect();
            if inner.iter().any(|i| !i.required) {
                args.push("..".into());
            }
            format!("`#[crd({}({}))]`", d.name, args.join(", "))
        }
        _ => format!("`#[crd({})]`", d.syntax()),
    }
}
