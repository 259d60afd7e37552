//! Names the API server checks on a CRD: group, plural/singular/kind/listKind, short names,
//! categories, version names, printer columns, subresource paths, selectable fields.

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::schema::Schema;

fn err(diags: &mut Diagnostics, loc: Loc, message: String, help: &str) {
    diags.push(Diagnostic::error(message, Place::Source(loc)).with_help(help));
}

/// RFC 1035 label: lowercase letters, digits, '-', starting with a letter, at most 63.
pub fn is_dns1035_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// RFC 1123 subdomain: dot-separated lowercase labels, at most 253.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && l.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// A kind as the API server takes it: CamelCase, starting with an uppercase letter, whose
/// lowercase form is a DNS label (`Guestbook`, `CronJob`).
pub fn is_kind(s: &str) -> bool {
    is_dns1035_label(&s.to_lowercase()) && s.starts_with(|c: char| c.is_ascii_uppercase())
}

/// A Kubernetes API version: `v1`, `v1alpha1`, `v2beta3` (what the API server orders versions
/// by, and what kubebuilder accepts for `--version`).
pub fn is_kube_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else { return false };
    let major_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let (major, stage) = rest.split_at(major_end);
    let digits = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    digits(major)
        && (stage.is_empty() || ["alpha", "beta"].iter().any(|pre| stage.strip_prefix(pre).is_some_and(digits)))
        && is_dns1035_label(s)
}

pub fn check(a: &AssembledCrd, diags: &mut Diagnostics) {
    let spec = &a.crd.spec;
    let at = |name: &str| a.marker_loc(name);
    if !is_dns1123_subdomain(&spec.group) || !spec.group.contains('.') {
        err(
            diags,
            at("group"),
            format!("group `{}` must be a lowercase DNS subdomain with at least one dot", spec.group),
            "use a domain you own, e.g. `webapp.example.com`",
        );
    }
    let n = &spec.names;
    if !is_dns1035_label(&n.plural) {
        err(
            diags,
            at("plural"),
            format!("plural `{}` must be a lowercase DNS label (a-z, 0-9, '-')", n.plural),
            "set `plural = \"...\"` to a lowercase name",
        );
    }
    if !is_dns1035_label(&n.singular) {
        err(
            diags,
            at("singular"),
            format!("singular `{}` must be a lowercase DNS label (a-z, 0-9, '-')", n.singular),
            "set `singular = \"...\"` to a lowercase name",
        );
    }
    for (what, kind) in [("kind", &n.kind), ("list_kind", &n.list_kind)] {
        if !is_kind(kind) {
            err(
                diags,
                at(what),
                format!("{what} `{kind}` must be CamelCase letters and digits starting with an uppercase letter"),
                "e.g. `kind = \"Guestbook\"`",
            );
        }
    }
    if n.kind == n.list_kind {
        err(diags, at("list_kind"), format!("list_kind `{}` must differ from the kind", n.list_kind), "the default is kind + `List`");
    }
    for s in &n.short_names {
        if !is_dns1035_label(s) {
            err(diags, at("short_name"), format!("short name `{s}` must be a lowercase DNS label"), "use lowercase letters, e.g. `gb`");
        }
    }
    for c in &n.categories {
        if !is_dns1035_label(c) {
            err(diags, at("category"), format!("category `{c}` must be a lowercase DNS label"), "e.g. `all`");
        }
    }
    for (key, value) in &a.crd.metadata.labels {
        if !is_qualified_name(key) {
            err(diags, at("label"), format!("label key `{key}` is not a valid qualified name"), QUALIFIED_HELP);
        }
        if !is_label_value(value) {
            err(
                diags,
                at("label"),
                format!("label value `{value}` of `{key}` is not valid"),
                "at most 63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit",
            );
        }
    }
    for key in a.crd.metadata.annotations.keys() {
        if !is_qualified_name(key) {
            err(diags, at("annotation"), format!("annotation key `{key}` is not a valid qualified name"), QUALIFIED_HELP);
        }
    }
    for (i, v) in spec.versions.iter().enumerate() {
        let (decl, file) = &a.version_decls[i];
        let at = |name: &str| decl.marker_loc(name, *file);
        if !is_dns1035_label(&v.name) {
            err(
                diags,
                at("version"),
                format!("version `{}` must be a lowercase DNS label such as v1, v1beta2", v.name),
                "e.g. `version = \"v1alpha1\"`",
            );
        }
        let root = &v.schema.open_api_v3_schema;
        if decl.marker("status_subresource").is_some_and(|m| m.as_bool()) && decl.status.is_none() {
            diags.push(
                Diagnostic::warning(
                    "the status subresource is on, but the resource has no status: every status the controller writes is pruned away",
                    Place::Source(at("status_subresource")),
                )
                .with_help("add `status = \"MyStatus\"` naming the status struct"),
            );
        }
        let mut seen = Vec::new();
        // Each column's own marker, so a message points at the column that is wrong.
        let column_locs: Vec<Loc> = decl.attrs.all("printcolumn").map(|m| Loc::from_span(*file, m.span)).collect();
        for (ci, c) in v.additional_printer_columns.iter().enumerate() {
            let here = column_locs.get(ci).copied().unwrap_or_else(|| at("printcolumn"));
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
                && lookup(root, &c.json_path).is_none()
            {
                err(
                    diags,
                    here,
                    format!("printer column `{}`: `{}` is not a field of the schema", c.name, c.json_path),
                    "point json_path at a field of the spec or status (by its JSON name), or at `.metadata.*`",
                );
            }
        }
        if let Some(scale) = &v.subresources.scale {
            for (path, prefix, what) in [
                (&scale.spec_replicas_path, ".spec.", "spec_replicas_path"),
                (&scale.status_replicas_path, ".status.", "status_replicas_path"),
            ] {
                if !path.starts_with(prefix) {
                    err(
                        diags,
                        at("scale"),
                        format!("scale {what} `{path}` must be under `{prefix}`"),
                        "e.g. `.spec.replicas` and `.status.replicas`",
                    );
                } else if lookup(root, path).is_none_or(|s| !s.is_type("integer")) {
                    err(
                        diags,
                        at("scale"),
                        format!("scale {what} `{path}` must name an integer field of the schema"),
                        "add a replicas field (e.g. `replicas: i32`) or fix the path",
                    );
                }
            }
            if let Some(sel) = &scale.label_selector_path
                && !(sel.starts_with(".spec.") || sel.starts_with(".status."))
            {
                err(
                    diags,
                    at("scale"),
                    format!("scale label_selector_path `{sel}` must be under `.spec.` or `.status.`"),
                    "e.g. `.status.selector`",
                );
            }
            if v.subresources.status.is_none() && scale.status_replicas_path.starts_with(".status.") {
                err(
                    diags,
                    at("scale"),
                    "the scale subresource reads `.status`, but this resource has no status".into(),
                    "add `status = \"MyStatus\"`",
                );
            }
        }
        if v.selectable_fields.len() > 8 {
            err(diags, at("selectable_field"), "at most 8 selectable fields are allowed".into(), "remove some `selectable_field` markers");
        }
        for f in &v.selectable_fields {
            match lookup(root, &f.json_path) {
                Some(s) if matches!(s.type_.as_deref(), Some("string" | "integer" | "boolean")) => {}
                _ => err(
                    diags,
                    at("selectable_field"),
                    format!("selectable field `{}` must name a string, integer or boolean field of the schema", f.json_path),
                    "e.g. `selectable_field = \".spec.color\"`",
                ),
            }
        }
    }
}

const QUALIFIED_HELP: &str = "use `name` or `prefix/name`: the prefix a DNS subdomain, the name at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit";

/// A label value: empty, or at most 63 of `[A-Za-z0-9._-]` starting and ending alphanumeric.
pub fn is_label_value(s: &str) -> bool {
    s.is_empty()
        || (s.len() <= 63
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.ends_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
}

/// A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name a non-empty label value.
pub fn is_qualified_name(s: &str) -> bool {
    let (prefix, name) = match s.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    !name.is_empty() && is_label_value(name) && prefix.is_none_or(is_dns1123_subdomain)
}

/// The schema at a simple JSON path like `.spec.replicas`.
pub fn lookup<'s>(root: &'s Schema, path: &str) -> Option<&'s Schema> {
    let mut cur = root;
    for part in path.trim_start_matches('.').split('.') {
        cur = cur.properties.as_ref()?.get(part)?;
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::diagnostics_of;

    #[test]
    fn kinds_and_kube_versions() {
        assert!(is_kind("Guestbook") && is_kind("CronJob") && is_kind("V1Thing"));
        assert!(!is_kind("guestbook") && !is_kind("") && !is_kind("Guest Book") && !is_kind("Guest_book"));
        for ok in ["v1", "v2", "v10", "v1alpha1", "v2beta3", "v1beta12"] {
            assert!(is_kube_version(ok), "{ok}");
        }
        for bad in ["1", "V1", "v", "vx", "v1alpha", "v1gamma1", "v1.2", "v1-beta1", "v1beta1x", "v1Beta1", ""] {
            assert!(!is_kube_version(bad), "{bad}");
        }
    }

    #[test]
    fn label_and_annotation_keys() {
        assert!(is_qualified_name("app.kubernetes.io/name") && is_qualified_name("team"));
        assert!(
            !is_qualified_name("Bad Key")
                && !is_qualified_name("a/b/c")
                && !is_qualified_name("UPPER.example/x")
                && !is_qualified_name("x/")
        );
        assert!(is_label_value("") && is_label_value("v1.2_3-a") && !is_label_value("-x") && !is_label_value(&"a".repeat(64)));
        let d = diagnostics_of(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\", label(key = \"bad key\", value = \"ok\"), annotation(key = \"a/b/c\", value = \"x\"))]\npub struct WidgetSpec { pub x: i32 }\n",
        );
        assert!(d.contains("label key `bad key` is not a valid qualified name"), "{d}");
        assert!(d.contains("annotation key `a/b/c` is not a valid qualified name"), "{d}");
        assert!(d.contains("lib.rs:2:"), "{d}");
    }
}
