//! Package markers: what a Go package's doc comment says for every type in it (`+groupName`,
//! `+versionName`, `+kubebuilder:validation:Optional`, `+kubebuilder:skip`). A Rust module's
//! docs (`//!` in its file, or `///` on its `mod` item) are its package comment; a module's
//! markers hold for its submodules too (the nearest module that says something wins), since a Go
//! package ported to Rust is usually a module with one submodule per Go file.

use super::MarkerError;
use super::go::split_name;
use super::vocab;
use crate::source::{ModState, Program, Scope};
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
        for (line, span) in super::docs(attrs).go_markers {
            let (name, arg) = split_name(line.trim());
            let value = || arg.map(|a| super::go::unquote(a.trim())).filter(|a| !a.is_empty());
            let needs_value = |errors: &mut Vec<MarkerError>| {
                errors.push(MarkerError::new(span, format!("`+{name}` needs a value")).help(format!("write `+{name}=...`")));
            };
            match name {
                "groupName" => match value() {
                    Some(v) => out.group = Some((v, span)),
                    None => needs_value(errors),
                },
                "versionName" => match value() {
                    Some(v) => out.version = Some((v, span)),
                    None => needs_value(errors),
                },
                "kubebuilder:validation:Optional" => out.fields_optional = Some(true),
                "kubebuilder:validation:Required" => out.fields_optional = Some(false),
                "kubebuilder:skip" => out.skip = true,
                _ => {
                    if let Some(e) = super::go::refusal(name, span) {
                        errors.push(e);
                    } else if name.starts_with("kubebuilder:") && vocab::go_ignored(name).is_none() {
                        errors.push(not_a_package_marker(name, span));
                    }
                }
            }
        }
        out
    }
}

fn not_a_package_marker(name: &str, span: Span) -> MarkerError {
    let packages: Vec<String> = vocab::GO_PACKAGE.iter().map(|(n, _)| format!("`+{n}`")).collect();
    MarkerError::new(span, format!("`+{name}` is not a package marker, so it means nothing in a module's docs"))
        .help(format!("put it on the struct, enum or field it is about; module docs take {}", packages.join(", ")))
}

/// What the modules around a scope say (its own docs, else its parents'), with where each
/// value was written.
pub struct Inherited {
    pub group: Option<(String, crate::diag::Loc)>,
    pub version: Option<(String, crate::diag::Loc)>,
    pub fields_optional: bool,
    pub skip: bool,
}

/// The package markers in effect in module `scope`; problems in the docs read go to `errors`.
pub fn inherited(program: &Program, scope: Scope, errors: &mut Vec<(crate::diag::FileId, MarkerError)>) -> Inherited {
    let mut out = Inherited { group: None, version: None, fields_optional: false, skip: false };
    let mut optional: Option<bool> = None;
    let mut cur = Some(scope.module);
    while let Some(m) = cur {
        for (file, attrs) in module_docs(program, Scope { krate: scope.krate, module: m }) {
            let mut errs = Vec::new();
            let mm = ModuleMarkers::read(&attrs, &mut errs);
            errors.extend(errs.into_iter().map(|e| (file, e)));
            let loc = |span: Span| crate::diag::Loc::from_span(file, span);
            if out.group.is_none() {
                out.group = mm.group.map(|(g, s)| (g, loc(s)));
            }
            if out.version.is_none() {
                out.version = mm.version.map(|(v, s)| (v, loc(s)));
            }
            optional = optional.or(mm.fields_optional);
            out.skip |= mm.skip;
        }
        cur = program.krate(scope.krate).modules[m.0].parent;
    }
    out.fields_optional = optional.unwrap_or(false);
    out
}

/// A module's doc attributes with the file each group is in: `//!` inside the module first,
/// then the outer `///` on its `mod` item in the parent.
fn module_docs(program: &Program, scope: Scope) -> Vec<(crate::diag::FileId, Vec<syn::Attribute>)> {
    let krate = program.krate(scope.krate);
    let slot = &krate.modules[scope.module.0];
    let ModState::Loaded(body) = &slot.state else { return Vec::new() };
    let mut out = Vec::new();
    let inner: Vec<syn::Attribute> = body.attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_))).cloned().collect();
    if !inner.is_empty() {
        out.push((body.file, inner));
    }
    if let Some(parent) = slot.parent.and_then(|p| krate.loaded(p)) {
        let declared = parent.items.iter().find_map(|i| match i {
            syn::Item::Mod(m) if syn::ext::IdentExt::unraw(&m.ident) == slot.name => Some(m),
            _ => None,
        });
        let outer: Vec<syn::Attribute> =
            declared.iter().flat_map(|m| &m.attrs).filter(|a| matches!(a.style, syn::AttrStyle::Outer)).cloned().collect();
        if !outer.is_empty() {
            out.push((parent.file, outer));
        }
    }
    out
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

/// The version a Go package of this module would have: the name of the nearest enclosing module
/// named like a version.
pub fn version_from_module_name(program: &Program, scope: Scope) -> Option<String> {
    let krate = program.krate(scope.krate);
    let mut cur = Some(scope.module);
    while let Some(m) = cur {
        let slot = &krate.modules[m.0];
        if slot.parent.is_some() && is_version_name(&slot.name) {
            return Some(slot.name.clone());
        }
        cur = slot.parent;
    }
    None
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

    use crate::pipeline::{diagnostics_of, run_source};

    fn crd_of(src: &str) -> crate::crd::CustomResourceDefinition {
        let g = run_source(src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        g.crates[0].files[0].crd.clone()
    }

    #[test]
    fn group_from_module_docs_and_version_from_module_name() {
        let crd = crd_of(
            "//! +groupName=batch.example.com\n//! +kubebuilder:object:generate=true\n\
             pub mod v1beta1 {\n    pub mod widget_types {\n        #[derive(CustomResource)]\n        pub struct WidgetSpec { pub a: String }\n    }\n}\n",
        );
        assert_eq!((crd.spec.group.as_str(), crd.spec.versions[0].name.as_str()), ("batch.example.com", "v1beta1"));
    }

    #[test]
    fn nearest_module_wins_and_struct_markers_win_over_modules() {
        let crd = crd_of(
            "//! +groupName=outer.example.com\n\
             /// +groupName=inner.example.com\n/// +versionName=v2\npub mod api {\n    #[derive(CustomResource)]\n    pub struct WidgetSpec { pub a: String }\n}\n",
        );
        assert_eq!((crd.spec.group.as_str(), crd.spec.versions[0].name.as_str()), ("inner.example.com", "v2"));
        let crd = crd_of(
            "pub mod v1 {\n    //! +groupName=mod.example.com\n    #[derive(CustomResource)]\n    #[crd(group = \"own.example.com\", version = \"v3\")]\n    pub struct WidgetSpec { pub a: String }\n}\n",
        );
        assert_eq!((crd.spec.group.as_str(), crd.spec.versions[0].name.as_str()), ("own.example.com", "v3"));
    }

    #[test]
    fn package_optional_makes_unmarked_fields_optional() {
        let crd = crd_of(
            "pub mod v1 {\n    //! +groupName=example.com\n    //! +kubebuilder:validation:Optional\n    #[derive(CustomResource)]\n    #[crd(spec_required)]\n    pub struct WidgetSpec {\n        pub a: String,\n        /// +kubebuilder:validation:Required\n        pub b: String,\n        pub inner: Inner,\n    }\n    pub struct Inner { pub c: i32, #[crd(required)] pub d: i32 }\n}\n",
        );
        let spec = &crd.spec.versions[0].schema.open_api_v3_schema.properties.as_ref().unwrap()["spec"];
        assert_eq!(spec.required, ["b"]);
        assert_eq!(spec.properties.as_ref().unwrap()["inner"].required, ["d"]);
        // The package default does not reach the root: `spec_required` still holds.
        assert_eq!(crd.spec.versions[0].schema.open_api_v3_schema.required, ["spec"]);
    }

    #[test]
    fn skipped_modules_and_versions() {
        let g = run_source(
            "pub mod internal {\n    //! +kubebuilder:skip\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v1\", kind = \"Widget\")]\n    pub struct WidgetSpec { pub a: String }\n}\n",
        );
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        assert!(g.crates[0].files.is_empty());
        let crd = crd_of(
            "/// +groupName=example.com\npub mod v1 {\n    #[derive(CustomResource)]\n    #[crd(kind = \"Widget\")]\n    pub struct WidgetSpec { pub a: String }\n}\n\
             pub mod internal {\n    /// +kubebuilder:skipversion\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v1alpha1\", kind = \"Widget\")]\n    pub struct WidgetSpec { pub b: String }\n}\n",
        );
        assert_eq!(crd.spec.versions.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["v1"]);
        let d = diagnostics_of(
            "/// +kubebuilder:skipversion\n#[derive(CustomResource)]\n#[crd(group = \"example.com\", version = \"v1\")]\npub struct WidgetSpec { pub a: String }\n",
        );
        assert!(d.contains("error: version `v1` of Widget.example.com is `skip_version`, and the kind has no other version"), "{d}");
        assert!(d.contains("lib.rs:1:"), "{d}");
    }

    #[test]
    fn missing_group_names_both_ways_to_give_it() {
        let d = diagnostics_of("#[derive(CustomResource)]\n#[crd(version = \"v1\")]\npub struct WidgetSpec { pub a: String }\n");
        assert!(d.contains("resource `WidgetSpec` has no `group`"), "{d}");
        assert!(d.contains("or `//! +groupName=example.com` to the module's docs"), "{d}");
    }

    #[test]
    fn bad_markers_in_module_docs_point_there() {
        let d = diagnostics_of(
            "pub mod v1 {\n    //! +groupName=example.com\n    //! +kubebuilder:validation:MaxLength=3\n    #[derive(CustomResource)]\n    pub struct WidgetSpec { pub a: String }\n}\n",
        );
        assert!(d.contains("`+kubebuilder:validation:MaxLength` is not a package marker"), "{d}");
        assert!(d.contains("lib.rs:3:"), "{d}");
    }
}
