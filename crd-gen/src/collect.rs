//! Collect: the resources of a crate, i.e. the spec structs that derive `CustomResource` (or carry
//! `#[crd(group = ..)]`), with their resource markers read and checked.

use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::markers::{AttrSite, Attrs, Marker, MarkerError};
use crate::source::{CrateId, ItemRef, ModId, Program, Scope};
use syn::spanned::Spanned;

/// One `#[derive(CustomResource)]` spec struct: one version of one kind.
#[derive(Clone, Debug)]
pub struct ResourceDecl {
    pub item: ItemRef,
    /// The spec struct's name, where errors about the resource point.
    pub loc: Loc,
    pub ident: String,
    pub attrs: Attrs,
    pub group: String,
    pub version: String,
    pub kind: String,
    /// `status = "Type"`, parsed as a type written in the spec struct's module.
    pub status: Option<(syn::Type, Loc)>,
    /// `#[derive(CustomResource)]` (not only `#[crd(group = ..)]`): the derive gives it constants.
    pub derives_custom_resource: bool,
}

impl ResourceDecl {
    pub fn marker(&self, name: &str) -> Option<&Marker> {
        self.attrs.get(name)
    }
    pub fn str(&self, name: &str) -> Option<&str> {
        self.attrs.str(name)
    }
    pub fn marker_loc(&self, name: &str, file: crate::diag::FileId) -> Loc {
        self.marker(name).map(|m| Loc::from_span(file, m.span)).unwrap_or(self.loc)
    }
}

/// The resources of a crate: the ones to generate, and how many its module docs skip.
pub struct Collected {
    pub decls: Vec<ResourceDecl>,
    /// Resources in modules marked `+kubebuilder:skip`: seen, deliberately not generated.
    pub skipped: usize,
}

pub fn collect(program: &Program, krate: CrateId, diags: &mut Diagnostics) -> Collected {
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, _) in program.krate(krate).modules.iter().enumerate() {
        let scope = Scope { krate, module: ModId(i) };
        let Some(body) = program.krate(krate).loaded(ModId(i)) else { continue };
        for (index, item) in body.items.iter().enumerate() {
            let syn::Item::Struct(s) = item else {
                if let syn::Item::Enum(e) = item
                    && derives(&e.attrs, "CustomResource")
                {
                    diags.push(
                        Diagnostic::error(
                            "`CustomResource` goes on the spec struct, not an enum",
                            Place::Source(Loc::from_span(body.file, e.ident.span())),
                        )
                        .with_help("derive it on a struct; an enum can be a field of the spec"),
                    );
                }
                continue;
            };
            let is_resource = derives(&s.attrs, "CustomResource") || has_group_marker(&s.attrs);
            if !is_resource {
                continue;
            }
            let file = body.file;
            let mut errors = Vec::new();
            let attrs = Attrs::read(&s.attrs, AttrSite::ResourceStruct, &mut errors);
            report(diags, file, errors);
            let loc = Loc::from_span(file, s.ident.span());
            let ident = s.ident.to_string();
            let package = module_markers(program, scope, diags);
            if package.skip {
                skipped += 1;
                continue;
            }
            let group = attrs.str("group").map(str::to_string).or(package.group);
            let version = attrs.str("version").map(str::to_string).or(package.version);
            // The module docs give a Go port's group (`+groupName`, as a Go package's doc.go) and
            // version (`+versionName`, or the module's name as a Go package's name).
            let mut missing = |name: &str, example: &str, go: &str| {
                diags.push(
                    Diagnostic::error(format!("resource `{ident}` has no `{name}`"), Place::Source(loc))
                        .with_label(format!("needs `#[crd({name} = ..)]`"))
                        .with_help(format!(
                            "add it to the struct's markers: `#[crd({name} = \"{example}\", ..)]`, or `//! +{go}={example}` to the module's docs"
                        )),
                );
            };
            if group.is_none() {
                missing("group", "example.com", "groupName");
            }
            if version.is_none() {
                missing("version", "v1", "versionName");
            }
            let Some(kind) = crate::names::kind_of(&ident, attrs.str("kind")) else {
                diags.push(
                    Diagnostic::error(format!("cannot tell the kind of `{ident}`"), Place::Source(loc))
                        .with_help("name the struct `<Kind>Spec` or add `#[crd(kind = \"MyKind\")]`"),
                );
                continue;
            };
            let status = attrs.get("status").and_then(|m| {
                let text = m.as_str()?;
                let mloc = Loc::from_span(file, m.span);
                match syn::parse_str::<syn::Type>(text) {
                    Ok(t) => Some((respan(t, m.span), mloc)),
                    Err(_) => {
                        diags.push(
                            Diagnostic::error(format!("`status = \"{text}\"` is not a Rust type"), Place::Source(mloc))
                                .with_help("name the status struct, e.g. `status = \"GuestbookStatus\"`"),
                        );
                        None
                    }
                }
            });
            let (Some(group), Some(version)) = (group, version) else { continue };
            let derives_custom_resource = derives(&s.attrs, "CustomResource");
            out.push(ResourceDecl {
                item: ItemRef { scope, index },
                loc,
                ident,
                attrs,
                group,
                version,
                kind,
                status,
                derives_custom_resource,
            });
        }
    }
    Collected { decls: out, skipped }
}

/// What the module docs around `scope` give a resource that does not say it itself: the group,
/// the version (`+versionName`, else a module named like a version, as Go uses the package name),
/// and whether the module is skipped.
struct ModuleDefaults {
    group: Option<String>,
    version: Option<String>,
    skip: bool,
}

fn module_markers(program: &Program, scope: Scope, diags: &mut Diagnostics) -> ModuleDefaults {
    let mut errors = Vec::new();
    let inherited = crate::markers::package::inherited(program, scope, &mut errors);
    for (file, e) in errors {
        report(diags, file, vec![e]);
    }
    let version = inherited.version.map(|(v, _)| v).or_else(|| crate::markers::package::version_from_module_name(program, scope));
    ModuleDefaults { group: inherited.group.map(|(g, _)| g), version, skip: inherited.skip }
}

/// A type parsed from a marker string points at the marker, so errors about it land there.
fn respan(ty: syn::Type, span: proc_macro2::Span) -> syn::Type {
    let tokens: proc_macro2::TokenStream = quote::ToTokens::into_token_stream(ty)
        .into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect();
    syn::parse2(tokens).expect("re-spanned type parses")
}

fn report(diags: &mut Diagnostics, file: crate::diag::FileId, errors: Vec<MarkerError>) {
    for e in errors {
        let mut d = Diagnostic::error(e.message, Place::Source(Loc::from_span(file, e.span)));
        if let Some(h) = e.help {
            d = d.with_help(h);
        }
        diags.push(d);
    }
}

/// `#[derive(.., Name, ..)]` (by last path segment, so `crd_gen_derive::CustomResource` counts).
pub fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == name)))
            .unwrap_or(false)
    })
}

fn has_group_marker(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("crd")).any(|a| {
        let _ = a.span();
        matches!(&a.meta, syn::Meta::List(l) if l.tokens.clone().into_iter().any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == "group")))
    })
}
