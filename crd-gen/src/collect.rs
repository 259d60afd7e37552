//! Collect: the resources of a crate, i.e. the spec structs that derive `CustomResource` (or carry
//! `#[crd(group = ..)]`), with their resource markers read and checked.

use crate::attrs::{ItemAttrs, Memo, derives, is_resource_struct};
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::markers::vocab::PackageKey;
use crate::markers::{CrdAttrs, Marker, MarkerKey};
use crate::source::{CrateId, ItemRef, ModId, Program, Scope};
use std::rc::Rc;

/// One `#[derive(CustomResource)]` spec struct: one version of one kind.
#[derive(Clone, Debug)]
pub struct ResourceDecl {
    pub item: ItemRef,
    /// The spec struct's name, where errors about the resource point.
    pub loc: Loc,
    pub ident: String,
    /// The spec struct's attributes, as lowering reads them too.
    pub attrs: Rc<ItemAttrs>,
    pub group: String,
    pub version: String,
    pub kind: String,
    /// `status = "Type"`, parsed as a type written in the spec struct's module.
    pub status: Option<(syn::Type, Loc)>,
    /// `#[derive(CustomResource)]` (not only `#[crd(group = ..)]`): the derive gives it constants.
    pub derives_custom_resource: bool,
}

impl ResourceDecl {
    /// The spec struct's markers and docs.
    pub fn crd(&self) -> &CrdAttrs {
        &self.attrs.crd
    }
    pub fn marker(&self, key: MarkerKey) -> Option<&Marker> {
        self.crd().get(key)
    }
    pub fn str(&self, key: MarkerKey) -> Option<&str> {
        self.crd().str(key)
    }
    /// Where marker `key` is written, else the spec struct's name.
    pub fn marker_loc(&self, key: MarkerKey, file: crate::diag::FileId) -> Loc {
        self.marker(key).map(|m| Loc::from_span(file, m.span)).unwrap_or(self.loc)
    }
}

/// The resources of a crate: the ones to generate, and how many its module docs skip.
pub struct Collected {
    pub decls: Vec<ResourceDecl>,
    /// Resources in modules marked `+kubebuilder:skip`: seen, deliberately not generated.
    pub skipped: usize,
}

pub fn collect(program: &Program, krate: CrateId, memo: &mut Memo, diags: &mut Diagnostics) -> Collected {
    collect_in(program, krate, &|_| true, memo, diags)
}

/// The resources of the loaded modules of `krate` that `keep` holds (a worker's share).
pub fn collect_in(program: &Program, krate: CrateId, keep: &dyn Fn(ModId) -> bool, memo: &mut Memo, diags: &mut Diagnostics) -> Collected {
    let mut all = Collected { decls: Vec::new(), skipped: 0 };
    for i in (0..program.krate(krate).modules.len()).filter(|&i| keep(ModId(i))) {
        let Collected { decls, skipped } = collect_module(program, Scope { krate, module: ModId(i) }, memo, diags);
        all.decls.extend(decls);
        all.skipped += skipped;
    }
    all
}

/// The resources of one module (none if it is not loaded).
pub fn collect_module(program: &Program, scope: Scope, memo: &mut Memo, diags: &mut Diagnostics) -> Collected {
    let mut out = Vec::new();
    let mut skipped = 0;
    if let Some(body) = program.krate(scope.krate).loaded(scope.module) {
        for (index, item) in body.items().iter().enumerate() {
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
            if !is_resource_struct(&s.attrs) {
                continue;
            }
            let file = body.file;
            if let Some(path) = crate::derive_origin::custom_resource_path(&s.attrs)
                && let crate::derive_origin::Origin::Kube { import } = crate::derive_origin::origin(program, scope, &path)
            {
                diags.push(kube_derived(file, &s.ident, &path, import));
                continue;
            }
            let item = ItemRef { scope, index };
            let Some(attrs) = memo.item(program, item, diags) else { continue };
            let loc = Loc::from_span(file, s.ident.span());
            let ident = s.ident.to_string();
            let package = module_markers(program, scope, memo, diags);
            if package.skip {
                skipped += 1;
                continue;
            }
            let group = attrs.crd.str(MarkerKey::Group).map(str::to_string).or(package.group);
            let version = attrs.crd.str(MarkerKey::Version).map(str::to_string).or(package.version);
            // The module docs give a Go port's group (`+groupName`, as a Go package's doc.go) and
            // version (`+versionName`, or the module's name as a Go package's name).
            let mut missing = |key: MarkerKey, example: &str, go: &str| {
                let name = key.name();
                diags.push(
                    Diagnostic::error(format!("resource `{ident}` has no `{name}`"), Place::Source(loc))
                        .with_label(format!("needs `#[crd({name} = ..)]`"))
                        .with_help(format!(
                            "add it to the struct's markers: `#[crd({name} = \"{example}\", ..)]`, or `//! +{go}={example}` to the module's docs"
                        )),
                );
            };
            if group.is_none() {
                missing(MarkerKey::Group, "example.com", package_name(PackageKey::GroupName));
            }
            if version.is_none() {
                missing(MarkerKey::Version, "v1", package_name(PackageKey::VersionName));
            }
            let Some(kind) = crate::markers::names::kind_of(&ident, attrs.crd.str(MarkerKey::Kind)) else {
                diags.push(
                    Diagnostic::error(format!("cannot tell the kind of `{ident}`"), Place::Source(loc))
                        .with_help("name the struct `<Kind>Spec` or add `#[crd(kind = \"MyKind\")]`"),
                );
                continue;
            };
            let status = status_type(&attrs.crd, file, diags);
            let (Some(group), Some(version)) = (group, version) else { continue };
            let derives_custom_resource = derives(&s.attrs, "CustomResource");
            out.push(ResourceDecl { item, loc, ident, attrs, group, version, kind, status, derives_custom_resource });
        }
    }
    Collected { decls: out, skipped }
}

/// `status = "Type"`, parsed as a type written in the spec struct's module.
fn status_type(crd: &crate::markers::CrdAttrs, file: crate::diag::FileId, diags: &mut Diagnostics) -> Option<(syn::Type, Loc)> {
    let m = crd.get(MarkerKey::Status)?;
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
}

/// A spec struct that derives kube-rs's `CustomResource`: kube-derive makes its CRD, crd-gen
/// does not (it would be a second, different CRD of the same name).
fn kube_derived(file: crate::diag::FileId, ident: &syn::Ident, path: &syn::Path, import: Option<Loc>) -> Diagnostic {
    let written = quote::ToTokens::to_token_stream(path).to_string().replace(' ', "");
    let d = Diagnostic::warning(
        format!("`{ident}` derives kube-rs's `CustomResource` (kube-derive), so crd-gen does not generate its CRD"),
        Place::Source(Loc::from_span(file, crate::derive_origin::span_of(path))),
    );
    match import {
        Some(loc) => d
            .with_note(Place::Source(loc), "kube's derive is imported here")
            .with_help("to generate it with crd-gen, import crd-gen's derive instead: `use crd_gen_derive::CustomResource;` (crd-gen reads the `#[kube(..)]` attributes)"),
        None => d.with_help(format!("to generate it with crd-gen, derive `crd_gen_derive::CustomResource` instead of `{written}` (crd-gen reads the `#[kube(..)]` attributes)")),
    }
}

/// What the module docs around `scope` give a resource that does not say it itself: the group,
/// the version (`+versionName`, else a module named like a version, as Go uses the package name),
/// and whether the module is skipped.
struct ModuleDefaults {
    group: Option<String>,
    version: Option<String>,
    skip: bool,
}

fn module_markers(program: &Program, scope: Scope, memo: &mut Memo, diags: &mut Diagnostics) -> ModuleDefaults {
    let inherited = memo.packages.inherited(program, scope, diags);
    let version = inherited.version.map(|(v, _)| v).or_else(|| crate::markers::inherited::version_from_module_name(program, scope));
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

/// How the Go package marker `key` is spelled (`groupName`).
fn package_name(key: PackageKey) -> &'static str {
    crate::markers::vocab::GO_PACKAGE.iter().find(|(k, _, _)| *k == key).map_or("", |(_, name, _)| name)
}
