//! API groups the Kubernetes community owns (`k8s.io`, `kubernetes.io` and their subdomains) are
//! protected: the API server creates a CRD in one only with the `api-approved.kubernetes.io`
//! annotation, holding the URL of the approving pull request or a reason starting with
//! `unapproved` (apiextensions-apiserver: `IsProtectedCommunityGroup`, `GetAPIApprovalState`,
//! `validateAPIApproval`; KEP "k8s.io Group Protection", kubernetes/enhancements#1111).

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::markers::MarkerKey;

pub const ANNOTATION: &str = "api-approved.kubernetes.io";

/// The API server's test for a protected group.
pub fn is_protected_group(group: &str) -> bool {
    group == "k8s.io" || group.ends_with(".k8s.io") || group == "kubernetes.io" || group.ends_with(".kubernetes.io")
}

/// What the API server accepts as the annotation's value: a reason starting with `unapproved`, or
/// an absolute URL with a scheme and a host (Go's `url.ParseRequestURI` with non-empty
/// `Scheme` and `Host`).
pub fn is_valid_approval(value: &str) -> bool {
    value.starts_with("unapproved") || is_absolute_url(value)
}

fn is_absolute_url(s: &str) -> bool {
    if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return false;
    }
    let Some((scheme, rest)) = s.split_once("://") else { return false };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(']') || port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host_port,
    };
    scheme_ok && !host.is_empty() && !host.contains([' ', '<', '>', '"', '{', '}', '|', '\\', '^', '`'])
}

pub fn check(a: &AssembledCrd, diags: &mut Diagnostics) {
    let group = &a.crd.spec.group;
    if !is_protected_group(group) {
        return;
    }
    let how = format!(
        "add `#[crd(annotation(key = \"{ANNOTATION}\", value = \"https://github.com/kubernetes/enhancements/pull/NNNN\"))]` (the PR that approved the API), \
         or a value starting with `unapproved` (e.g. \"unapproved, experimental\") to create it without approval; \
         the Go form is `// +kubebuilder:metadata:annotations=\"{ANNOTATION}=https://...\"`"
    );
    match a.crd.metadata.annotations.get(ANNOTATION) {
        None => diags.push(
            Diagnostic::error(
                format!(
                    "group `{group}` is owned by the Kubernetes community: the API server refuses a CRD in it without the `{ANNOTATION}` annotation"
                ),
                Place::Source(a.marker_loc(MarkerKey::Group)),
            )
            .with_help(how),
        ),
        Some(value) if !is_valid_approval(value) => diags.push(
            Diagnostic::error(
                format!("`{ANNOTATION}` is `{value}`: the API server wants the URL of the approving pull request, or a reason starting with `unapproved`"),
                Place::Source(annotation_loc(a)),
            )
            .with_help(how),
        ),
        Some(_) => {}
    }
}

/// The `annotation(key = "api-approved.kubernetes.io", ..)` marker, on whichever version wrote it.
fn annotation_loc(a: &AssembledCrd) -> Loc {
    for (decl, file) in &a.version_decls {
        if let Some(m) = decl.crd().all(MarkerKey::Annotation).find(|m| m.arg_str(crate::markers::ArgKey::Key) == Some(ANNOTATION)) {
            return Loc::from_span(*file, m.span);
        }
    }
    a.marker_loc(MarkerKey::Annotation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::diagnostics_of;

    #[test]
    fn protected_groups() {
        for g in ["k8s.io", "x.k8s.io", "gateway.networking.k8s.io", "kubernetes.io", "a.kubernetes.io"] {
            assert!(is_protected_group(g), "{g}");
        }
        for g in ["k8s.io.example.com", "myk8s.io", "notkubernetes.io", "example.com", "k8s-io.example"] {
            assert!(!is_protected_group(g), "{g}");
        }
    }

    #[test]
    fn approval_values() {
        for v in ["https://github.com/kubernetes/enhancements/pull/1111", "http://example.com", "unapproved", "unapproved, experimental"] {
            assert!(is_valid_approval(v), "{v}");
        }
        for v in ["", "approved", "github.com/kubernetes/kubernetes/pull/1", "https://", "mailto:a@b.c", "https:///path", "Unapproved"] {
            assert!(!is_valid_approval(v), "{v}");
        }
    }

    fn resource(group: &str, extra: &str) -> String {
        format!("{extra}#[derive(CustomResource)]\n#[crd(group = \"{group}\", version = \"v1\")]\npub struct WidgetSpec {{ pub x: i32 }}\n")
    }

    #[test]
    fn missing_annotation_points_at_the_group_with_the_marker_to_add() {
        let d = diagnostics_of(&resource("widgets.x-k8s.io", ""));
        assert!(!d.contains("api-approved"), "x-k8s.io is not protected: {d}");
        let d = diagnostics_of(&resource("gateway.networking.k8s.io", ""));
        assert!(d.contains("error: group `gateway.networking.k8s.io` is owned by the Kubernetes community"), "{d}");
        assert!(d.contains("lib.rs:2:7"), "{d}");
        assert!(d.contains("#[crd(annotation(key = \"api-approved.kubernetes.io\""), "{d}");
        assert!(d.contains("+kubebuilder:metadata:annotations=\"api-approved.kubernetes.io="), "{d}");
    }

    #[test]
    fn annotation_given_in_either_syntax() {
        let go =
            "/// +kubebuilder:metadata:annotations=\"api-approved.kubernetes.io=https://github.com/kubernetes/enhancements/pull/1111\"\n";
        assert_eq!(diagnostics_of(&resource("example.k8s.io", go)), "");
        let rust = "#[crd(annotation(key = \"api-approved.kubernetes.io\", value = \"unapproved, testing only\"))]\n";
        assert_eq!(diagnostics_of(&resource("example.kubernetes.io", rust)), "");
        let bad = "#[crd(annotation(key = \"api-approved.kubernetes.io\", value = \"yes\"))]\n";
        let d = diagnostics_of(&resource("k8s.io", bad));
        assert!(d.contains("error: `api-approved.kubernetes.io` is `yes`"), "{d}");
        assert!(d.contains("lib.rs:1:7"), "points at the annotation: {d}");
    }
}
