//! Whose `CustomResource` a spec struct derives, by its path as rustc resolves it: crd-gen's
//! (`crd_gen_derive::CustomResource`) or kube-rs's (`kube::CustomResource`,
//! `kube_derive::CustomResource`, `kube::derive::CustomResource`). Both are named
//! `CustomResource`, and a crate migrating from kube-derive has one or the other; a struct that
//! still uses kube's derive gets its CRD from kube-derive, not from crd-gen.

use crate::diag::Loc;
use crate::source::{Program, Scope};
use proc_macro2::Span;

/// Which crate a `CustomResource` derive comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    CrdGen,
    /// kube-rs's, with the `use` that brings it in (when it is an import), for the fix.
    Kube {
        import: Option<Loc>,
    },
    /// No import crd-gen can see says (a re-export of the crate's own, or two globs).
    Unknown,
}

/// The `CustomResource` derive among `attrs` (by its last segment), and where it is written.
pub fn custom_resource_path(attrs: &[syn::Attribute]) -> Option<syn::Path> {
    attrs.iter().filter(|a| a.path().is_ident("derive")).find_map(|a| {
        let paths = a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok()?;
        paths.into_iter().find(|p| p.segments.last().is_some_and(|s| s.ident == "CustomResource"))
    })
}

/// Whose derive `path`, written in `scope`, is.
pub fn origin(program: &Program, scope: Scope, path: &syn::Path) -> Origin {
    let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if segs.len() > 1 {
        return by_crate(program, scope, &segs[0], None);
    }
    let names = &program.body(scope).names;
    if let Some(&i) = names.by_name.get("CustomResource").and_then(|v| v.first()) {
        let import = &names.imports[i];
        let first = import.path.iter().find(|s| *s != "::").map(String::as_str).unwrap_or("");
        return by_crate(program, scope, first, Some(import.loc));
    }
    // Only globs can bring it: one kind of crate among them says whose it is.
    let mut found: Vec<Origin> = names
        .globs
        .iter()
        .filter_map(|g| g.path.iter().find(|s| *s != "::"))
        .map(|first| by_crate(program, scope, first, None))
        .filter(|o| *o != Origin::Unknown)
        .collect();
    found.dedup();
    match &found[..] {
        [one] => one.clone(),
        _ => Origin::Unknown,
    }
}

/// The crate an extern name stands for (a dependency may be renamed in Cargo.toml).
fn by_crate(program: &Program, scope: Scope, name: &str, import: Option<Loc>) -> Origin {
    let source = &program.krate(scope.krate).source;
    let package = source.deps.get(name).map_or_else(|| name.replace('_', "-"), |d| d.package.clone());
    match package.as_str() {
        "crd-gen-derive" => Origin::CrdGen,
        "kube" | "kube-derive" => Origin::Kube { import },
        _ => Origin::Unknown,
    }
}

/// The span of the derive path, where the warning points.
pub fn span_of(path: &syn::Path) -> Span {
    path.segments.last().map_or_else(Span::call_site, |s| s.ident.span())
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{diagnostics_of, run_source};

    const SPEC: &str = "#[kube(group = \"a.io\", version = \"v1\", kind = \"Foo\", namespaced)]\npub struct FooSpec { pub a: String }\n";

    fn files(src: &str) -> usize {
        run_source(src).crates.iter().map(|c| c.files.len()).sum()
    }

    #[test]
    fn kube_derives_are_not_generated_and_say_the_fix() {
        for head in [
            "use kube::CustomResource;\n#[derive(CustomResource)]\n",
            "use kube_derive::CustomResource;\n#[derive(CustomResource)]\n",
            "use ::kube::{CustomResource, Api};\n#[derive(CustomResource)]\n",
            "use kube::*;\n#[derive(CustomResource)]\n",
            "#[derive(kube::CustomResource)]\n",
            "#[derive(kube::derive::CustomResource)]\n",
            "#[derive(::kube_derive::CustomResource)]\n",
        ] {
            let src = format!("{head}{SPEC}");
            let d = diagnostics_of(&src);
            assert!(
                d.contains("warning: `FooSpec` derives kube-rs's `CustomResource` (kube-derive), so crd-gen does not generate its CRD"),
                "{head}\n{d}"
            );
            assert!(d.contains("crd_gen_derive::CustomResource"), "{d}");
            assert_eq!(files(&src), 0, "{head}");
        }
        let d = diagnostics_of(&format!("use kube::CustomResource;\n#[derive(CustomResource)]\n{SPEC}"));
        assert!(d.contains("lib.rs:2:10") && d.contains("lib.rs:1:11"), "points at the derive and the import:\n{d}");
    }

    #[test]
    fn crd_gen_derives_and_unknown_ones_are_generated() {
        for head in [
            "use crd_gen_derive::CustomResource;\n#[derive(CustomResource)]\n",
            "#[derive(crd_gen_derive::CustomResource)]\n",
            "use crd_gen_derive::*;\nuse kube::*;\n#[derive(CustomResource)]\n",
            "#[derive(CustomResource)]\n",
            "use crate::derives::CustomResource;\n#[derive(CustomResource)]\n",
        ] {
            let src = format!("{head}{SPEC}");
            assert_eq!(files(&src), 1, "{head}\n{}", diagnostics_of(&src));
            assert!(!diagnostics_of(&src).contains("kube-rs's"), "{head}");
        }
    }

    #[test]
    fn kube_attributes_give_the_crd() {
        let src = "use crd_gen_derive::CustomResource;\n#[derive(CustomResource)]\n#[kube(group = \"a.io\", version = \"v1\", kind = \"Foo\", shortname = \"f\")]\n#[kube(printcolumn = r#\"{\"name\":\"A\", \"type\":\"string\", \"jsonPath\":\".spec.a\"}\"#)]\n#[kube(validation = (\"self.metadata.name != 'x'\", \"not x\"))]\npub struct FooSpec {\n    #[schemars(length(min = 1))]\n    #[x_kube(validation = \"self != 'y'\")]\n    pub a: String,\n}\n";
        let g = run_source(src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let yaml = &g.crates[0].files[0].contents;
        for want in [
            "scope: Cluster",
            "shortNames:\n    - f",
            "jsonPath: .spec.a",
            "minLength: 1",
            "rule: self != 'y'",
            "message: not x",
            "storage: true",
        ] {
            assert!(yaml.contains(want), "{want} in\n{yaml}");
        }
    }

    #[test]
    fn kube_attribute_errors_point_at_the_key() {
        let d = diagnostics_of(
            "#[derive(CustomResource)]\n#[kube(group = \"a.io\", version = \"v1\", kind = \"Foo\", no_spec)]\npub struct FooSpec {\n    #[schemars(schema_with = \"f\")]\n    pub a: String,\n}\n",
        );
        assert!(d.contains("lib.rs:2:54") && d.contains("`no_spec` cannot be honoured"), "{d}");
        assert!(d.contains("lib.rs:4:16") && d.contains("cannot run `schema_with`"), "{d}");
    }
}
