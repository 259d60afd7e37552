//! The CRD object's labels and annotations: keys are qualified names, label values are short.

use super::source_error as err;
use crate::assemble::AssembledCrd;
use crate::diag::Diagnostics;
use crate::markers::MarkerKey;

pub fn check(a: &AssembledCrd, diags: &mut Diagnostics) {
    for (key, value) in &a.crd.metadata.labels {
        if !is_qualified_name(key) {
            err(diags, a.marker_loc(MarkerKey::Label), format!("label key `{key}` is not a valid qualified name"), QUALIFIED_HELP);
        }
        if !is_label_value(value) {
            err(
                diags,
                a.marker_loc(MarkerKey::Label),
                format!("label value `{value}` of `{key}` is not valid"),
                "at most 63 characters: letters, digits, '-', '_', '.', starting and ending with a letter or digit",
            );
        }
    }
    for key in a.crd.metadata.annotations.keys() {
        if !is_qualified_name(key) {
            err(
                diags,
                a.marker_loc(MarkerKey::Annotation),
                format!("annotation key `{key}` is not a valid qualified name"),
                QUALIFIED_HELP,
            );
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
    !name.is_empty() && is_label_value(name) && prefix.is_none_or(super::names::is_dns1123_subdomain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::assert_error;

    fn spec(markers: &str) -> String {
        format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\", {markers})]\npub struct WidgetSpec {{ pub x: i32 }}\n"
        )
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
        assert_error(&spec("label(key = \"bad key\", value = \"ok\")"), "label key `bad key` is not a valid qualified name", 2);
        assert_error(&spec("label(key = \"team\", value = \"-x\")"), "label value `-x` of `team` is not valid", 2);
        assert_error(&spec("annotation(key = \"a/b/c\", value = \"x\")"), "annotation key `a/b/c` is not a valid qualified name", 2);
    }
}
