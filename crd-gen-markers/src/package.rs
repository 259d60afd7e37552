//! Package markers: what a Go package's doc comment says for every type in it (`+groupName`,
//! `+versionName`, `+kubebuilder:validation:Optional`, `+kubebuilder:skip`), read from a Rust
//! module's docs. Which modules' docs hold for an item (a module's and its parents') is the
//! engine's to say: it knows the module tree.

use crate::go::{refusal, split_name, unquote};
use crate::parse::MarkerError;
use crate::vocab::{self, PackageKey};
use proc_macro2::Span;

/// The package markers of one module.
#[derive(Clone, Debug, Default)]
pub struct ModuleMarkers {
    pub group: Option<(String, Span)>,
    pub version: Option<(String, Span)>,
    /// `+kubebuilder:validation:Optional` (true) or `Required` (false).
    pub fields_optional: Option<bool>,
    pub skip: bool,
}

impl ModuleMarkers {
    /// Reads the Go package markers of a module's doc attributes. Markers that mean nothing for
    /// a package are refused, except the directives of other generators, which are ignored.
    pub fn read(attrs: &[syn::Attribute], errors: &mut Vec<MarkerError>) -> ModuleMarkers {
        let mut out = ModuleMarkers::default();
        for (line, span) in crate::docs::docs(attrs).go_markers {
            let (name, arg) = split_name(line.trim());
            let Some((key, _, _)) = vocab::GO_PACKAGE.iter().find(|(_, n, _)| *n == name) else {
                if let Some(e) = refusal(name, span) {
                    errors.push(e);
                } else if name.starts_with("kubebuilder:") && vocab::go_ignored(name).is_none() {
                    errors.push(not_a_package_marker(name, span));
                }
                continue;
            };
            let value = || arg.map(|a| unquote(a.trim())).filter(|a| !a.is_empty());
            let mut needs_value = || {
                errors.push(MarkerError::new(span, format!("`+{name}` needs a value")).help(format!("write `+{name}=...`")));
            };
            match key {
                PackageKey::GroupName => match value() {
                    Some(v) => out.group = Some((v, span)),
                    None => needs_value(),
                },
                PackageKey::VersionName => match value() {
                    Some(v) => out.version = Some((v, span)),
                    None => needs_value(),
                },
                PackageKey::FieldsOptional => out.fields_optional = Some(true),
                PackageKey::FieldsRequired => out.fields_optional = Some(false),
                PackageKey::Skip => out.skip = true,
            }
        }
        out
    }
}

fn not_a_package_marker(name: &str, span: Span) -> MarkerError {
    let packages: Vec<String> = vocab::GO_PACKAGE.iter().map(|(_, n, _)| format!("`+{n}`")).collect();
    MarkerError::new(span, format!("`+{name}` is not a package marker, so it means nothing in a module's docs"))
        .help(format!("put it on the struct, enum or field it is about; module docs take {}", packages.join(", ")))
}

/// A Kubernetes version name (`v1`, `v2beta3`, `v1alpha1`), which a Go package name doubles as.
pub fn is_version_name(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else { return false };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || rest.starts_with('0') {
        return false;
    }
    let tail = &rest[digits..];
    let pre = tail.strip_prefix("alpha").or_else(|| tail.strip_prefix("beta"));
    match pre {
        None => tail.is_empty(),
        Some(n) => !n.is_empty() && !n.starts_with('0') && n.chars().all(|c| c.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        for v in ["v1", "v2", "v10", "v1beta1", "v2alpha3", "v1beta12"] {
            assert!(is_version_name(v), "{v}");
        }
        for v in ["v", "v0", "v01", "v1beta", "v1gamma1", "v1beta01", "version1", "api", "V1"] {
            assert!(!is_version_name(v), "{v}");
        }
    }

    #[test]
    fn reads_package_markers_and_ignores_other_generators() {
        let m: syn::ItemMod = syn::parse_quote! {
            /// Package v1 contains API Schema definitions for the batch v1 API group.
            /// +kubebuilder:object:generate=true
            /// +k8s:deepcopy-gen=package
            /// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get
            /// +groupName=batch.tutorial.kubebuilder.io
            /// +versionName=v1beta1
            /// +kubebuilder:validation:Optional
            mod v1 {}
        };
        let mut errors = Vec::new();
        let mm = ModuleMarkers::read(&m.attrs, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(mm.group.map(|g| g.0).as_deref(), Some("batch.tutorial.kubebuilder.io"));
        assert_eq!(mm.version.map(|g| g.0).as_deref(), Some("v1beta1"));
        assert_eq!(mm.fields_optional, Some(true));
        assert!(!mm.skip);
    }

    #[test]
    fn schema_markers_in_module_docs_are_refused() {
        let m: syn::ItemMod = syn::parse_quote! {
            /// +kubebuilder:validation:Minimum=1
            /// +groupName
            mod v1 {}
        };
        let mut errors = Vec::new();
        let _ = ModuleMarkers::read(&m.attrs, &mut errors);
        let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "`+kubebuilder:validation:Minimum` is not a package marker, so it means nothing in a module's docs",
                "`+groupName` needs a value"
            ]
        );
    }
}
