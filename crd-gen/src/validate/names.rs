//! Names the API server checks on a CRD: the group, the kind's names (plural, singular, kind,
//! listKind, short names, categories) and the version names.

use super::source_error as err;
use crate::assemble::AssembledCrd;
use crate::diag::Diagnostics;
use crate::markers::MarkerKey;

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
    group(a, diags);
    kind_names(a, diags);
    short_names_and_categories(a, diags);
    version_names(a, diags);
}

fn group(a: &AssembledCrd, diags: &mut Diagnostics) {
    let group = &a.crd.spec.group;
    if !is_dns1123_subdomain(group) || !group.contains('.') {
        err(
            diags,
            a.marker_loc(MarkerKey::Group),
            format!("group `{group}` must be a lowercase DNS subdomain with at least one dot"),
            "use a domain you own, e.g. `webapp.example.com`",
        );
    }
}

/// plural, singular, kind and listKind.
fn kind_names(a: &AssembledCrd, diags: &mut Diagnostics) {
    let n = &a.crd.spec.names;
    for (key, name) in [(MarkerKey::Plural, &n.plural), (MarkerKey::Singular, &n.singular)] {
        if !is_dns1035_label(name) {
            let what = key.name();
            err(
                diags,
                a.marker_loc(key),
                format!("{what} `{name}` must be a lowercase DNS label (a-z, 0-9, '-')"),
                &format!("set `{what} = \"...\"` to a lowercase name"),
            );
        }
    }
    for (key, kind) in [(MarkerKey::Kind, &n.kind), (MarkerKey::ListKind, &n.list_kind)] {
        if !is_kind(kind) {
            err(
                diags,
                a.marker_loc(key),
                format!("{} `{kind}` must be CamelCase letters and digits starting with an uppercase letter", key.name()),
                "e.g. `kind = \"Guestbook\"`",
            );
        }
    }
    if n.kind == n.list_kind {
        let key = MarkerKey::ListKind;
        err(
            diags,
            a.marker_loc(key),
            format!("{} `{}` must differ from the kind", key.name(), n.list_kind),
            "the default is kind + `List`",
        );
    }
}

fn short_names_and_categories(a: &AssembledCrd, diags: &mut Diagnostics) {
    let n = &a.crd.spec.names;
    for s in &n.short_names {
        if !is_dns1035_label(s) {
            let at = a.marker_loc(MarkerKey::ShortName);
            err(diags, at, format!("short name `{s}` must be a lowercase DNS label"), "use lowercase letters, e.g. `gb`");
        }
    }
    for c in &n.categories {
        if !is_dns1035_label(c) {
            err(diags, a.marker_loc(MarkerKey::Category), format!("category `{c}` must be a lowercase DNS label"), "e.g. `all`");
        }
    }
}

fn version_names(a: &AssembledCrd, diags: &mut Diagnostics) {
    for (v, (decl, file)) in a.crd.spec.versions.iter().zip(&a.version_decls) {
        if !is_dns1035_label(&v.name) {
            err(
                diags,
                decl.marker_loc(MarkerKey::Version, *file),
                format!("version `{}` must be a lowercase DNS label such as v1, v1beta2", v.name),
                "e.g. `version = \"v1alpha1\"`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_kind, is_kube_version};
    use crate::pipeline::assert_error;

    /// A spec struct with `markers` (after group and version) on line 2.
    fn spec(markers: &str) -> String {
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\"{markers})]\npub struct WidgetSpec {{ pub x: i32 }}\n"
        )
    }

    #[test]
    fn each_name_rule() {
        let src = "#[derive(CustomResource)]\n#[crd(group = \"example\", version = \"v1\")]\npub struct WidgetSpec { pub x: i32 }\n";
        assert_error(src, "group `example` must be a lowercase DNS subdomain with at least one dot", 2);
        assert_error(&spec(", plural = \"Widgets\""), "plural `Widgets` must be a lowercase DNS label (a-z, 0-9, '-')", 2);
        assert_error(&spec(", singular = \"a_b\""), "singular `a_b` must be a lowercase DNS label (a-z, 0-9, '-')", 2);
        assert_error(
            &spec(", kind = \"widget\""),
            "kind `widget` must be CamelCase letters and digits starting with an uppercase letter",
            2,
        );
        assert_error(&spec(", list_kind = \"Widget\""), "list_kind `Widget` must differ from the kind", 2);
        assert_error(&spec(", list_kind = \"Widget_List\""), "list_kind `Widget_List` must be CamelCase letters and digits", 2);
        assert_error(&spec(", short_name = \"W\""), "short name `W` must be a lowercase DNS label", 2);
        assert_error(&spec(", category = \"All\""), "category `All` must be a lowercase DNS label", 2);
        let src = "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"V1\")]\npub struct WidgetSpec { pub x: i32 }\n";
        assert_error(src, "version `V1` must be a lowercase DNS label such as v1, v1beta2", 2);
    }

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
}
