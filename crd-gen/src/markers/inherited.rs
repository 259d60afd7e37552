//! Which package markers hold for an item: a Rust module's docs (`//!` in its file, or `///` on
//! its `mod` item) are its Go package comment (read by crd-gen-markers' `package`), and a
//! module's markers hold for its submodules too (the nearest module that says something wins),
//! since a Go package ported to Rust is usually a module with one submodule per Go file.

use super::package::{ModuleMarkers, is_version_name};
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc};
use crate::source::{ModState, Program, Scope};
use proc_macro2::Span;
use std::collections::HashMap;

/// What one module's docs say, with where each value was written.
#[derive(Clone, Debug, Default)]
struct Package {
    group: Option<(String, Loc)>,
    version: Option<(String, Loc)>,
    fields_optional: Option<bool>,
    skip: bool,
}

/// What the modules around a scope say (its own docs, else its parents'), with where each
/// value was written.
pub struct Inherited {
    pub group: Option<(String, Loc)>,
    pub version: Option<(String, Loc)>,
    pub fields_optional: bool,
    pub skip: bool,
}

/// Each module's package markers, read once per run (and their problems reported then).
#[derive(Default)]
pub struct Packages {
    read: HashMap<Scope, Package>,
}

impl Packages {
    /// The package markers in effect in module `scope`.
    pub fn inherited(&mut self, program: &Program, scope: Scope, diags: &mut Diagnostics) -> Inherited {
        let mut out = Inherited { group: None, version: None, fields_optional: false, skip: false };
        let mut optional: Option<bool> = None;
        let mut cur = Some(scope);
        while let Some(s) = cur {
            let p = self.module(program, s, diags);
            out.group = out.group.or_else(|| p.group.clone());
            out.version = out.version.or_else(|| p.version.clone());
            optional = optional.or(p.fields_optional);
            out.skip |= p.skip;
            cur = program.parent(s);
        }
        out.fields_optional = optional.unwrap_or(false);
        out
    }

    /// One module's own package markers: those of its `//!` docs first, then of its `mod` item.
    fn module(&mut self, program: &Program, scope: Scope, diags: &mut Diagnostics) -> &Package {
        self.read.entry(scope).or_insert_with(|| {
            let mut p = Package::default();
            for (file, attrs) in module_docs(program, scope) {
                let mut errors = Vec::new();
                let mm = ModuleMarkers::read(&attrs, &mut errors);
                for e in errors {
                    diags.push(Diagnostic::from_marker(file, e));
                }
                let loc = |(value, span): (String, Span)| (value, Loc::from_span(file, span));
                p.group = p.group.or(mm.group.map(loc));
                p.version = p.version.or(mm.version.map(loc));
                p.fields_optional = p.fields_optional.or(mm.fields_optional);
                p.skip |= mm.skip;
            }
            p
        })
    }
}

/// A module's doc attributes with the file each group is in: `//!` inside the module first,
/// then the outer `///` on its `mod` item in the parent.
fn module_docs(program: &Program, scope: Scope) -> Vec<(FileId, Vec<syn::Attribute>)> {
    let krate = program.krate(scope.krate);
    let slot = &krate.modules[scope.module.0];
    let ModState::Loaded(body) = &slot.state else { return Vec::new() };
    let mut out = Vec::new();
    let inner: Vec<syn::Attribute> = body.attrs.iter().filter(|a| matches!(a.style, syn::AttrStyle::Inner(_))).cloned().collect();
    if !inner.is_empty() {
        out.push((body.file, inner));
    }
    if let Some(parent) = slot.parent.and_then(|p| krate.loaded(p)) {
        let declared = parent.items().iter().find_map(|i| match i {
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
    use crate::pipeline::{diagnostics_of, run_source};

    fn crd_of(src: &str) -> crate::crd::CustomResourceDefinition {
        let g = run_source(src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        g.crates[0].files[0].crd().clone()
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
