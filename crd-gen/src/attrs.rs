//! Each item's attributes, read once per run: the crd dialect (`#[crd]` markers, Go comment
//! markers and doc comments, by crd-gen-markers) and serde's view (by serde_derive_internals, the
//! parser serde_derive itself uses), for the item, its fields and its variants. Collect and
//! lowering read these, never the attributes again, so a bad marker is reported once however
//! often its type is used. The other dialects (kube-derive's `#[kube(..)]` and `#[x_kube(..)]`,
//! schemars' `#[schemars(..)]`, `#[validate(..)]`, `#[garde(..)]`) are read by `CrdAttrs` into
//! the same markers (`crd_gen_markers::dialect`).

use crate::diag::{Diagnostic, Diagnostics, FileId, Loc, Place};
use crate::markers::{AttrSite, CrdAttrs, MarkerError};
use crate::source::{ItemRef, Program};
use proc_macro2::Span;
use quote::ToTokens;
use serde_derive_internals::{Ctxt, Derive, ast, attr};
use std::collections::HashMap;
use std::rc::Rc;
use syn::spanned::Spanned;

/// What the attributes of one struct, enum or type alias say.
#[derive(Debug)]
pub struct ItemAttrs {
    pub ident: syn::Ident,
    /// `#[crd]` markers and docs, read for the site the item is (a spec struct or any type).
    pub crd: CrdAttrs,
    /// serde's view of a struct or enum; None for an alias, or when serde rejects the item's
    /// attributes (reported when read).
    pub serde: Option<Container>,
}

/// How serde reads and writes a struct or enum.
#[derive(Debug)]
pub struct Container {
    /// `#[serde(into = "T")]`, `from`, `try_from`: the JSON is T's.
    pub proxy: Option<syn::Type>,
    pub transparent: bool,
    /// `#[serde(default)]` on the container: every field may be missing.
    pub default: bool,
    pub tag: Tag,
    pub data: Data,
}

#[derive(Debug)]
pub enum Tag {
    External,
    Internal { tag: String },
    Adjacent { tag: String, content: String },
    None,
}

#[derive(Debug)]
pub enum Data {
    Struct(Style, Vec<Field>),
    Enum(Vec<Variant>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Struct,
    Tuple,
    Newtype,
    Unit,
}

/// One field, as serde and the markers see it.
#[derive(Debug)]
pub struct Field {
    /// The Rust name (or index).
    pub member: String,
    pub ty: syn::Type,
    /// Where the field is named (its type, for a tuple field), where messages point.
    pub span: Span,
    /// The whole field.
    pub decl_span: Span,
    /// The JSON name.
    pub name: String,
    pub skip_serializing: bool,
    pub skip_deserializing: bool,
    pub flatten: bool,
    /// `#[serde(default)]` on the field.
    pub default: bool,
    pub skip_serializing_if: bool,
    /// Written by custom serde code (`with`, `serialize_with`, `deserialize_with`).
    pub custom: bool,
    /// The field a `#[serde(transparent)]` container is.
    pub transparent: bool,
    pub crd: CrdAttrs,
}

/// One enum variant.
#[derive(Debug)]
pub struct Variant {
    pub ident: syn::Ident,
    pub span: Span,
    /// The JSON name.
    pub name: String,
    pub skip_serializing: bool,
    /// `#[serde(other)]`.
    pub other: bool,
    pub style: Style,
    pub fields: Vec<Field>,
    pub crd: CrdAttrs,
}

impl Field {
    /// `Option<..>` on its face, for fields whose type is not lowered.
    pub fn is_option(&self) -> bool {
        matches!(&self.ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
    }
    pub fn type_text(&self) -> String {
        self.ty.to_token_stream().to_string().replace(' ', "")
    }
}

/// The attributes of every item, and the package markers of every module, read so far.
#[derive(Default)]
pub struct Memo {
    items: HashMap<ItemRef, Rc<ItemAttrs>>,
    pub packages: crate::markers::inherited::Packages,
}

impl Memo {
    /// The attributes of struct, enum or alias `item` (None for other items), read (and their
    /// problems reported) the first time.
    pub fn item(&mut self, program: &Program, item: ItemRef, diags: &mut Diagnostics) -> Option<Rc<ItemAttrs>> {
        if let Some(a) = self.items.get(&item) {
            return Some(a.clone());
        }
        let file = program.file_of(item.scope);
        let attrs = Rc::new(read(program.item(item), file, diags)?);
        self.items.insert(item, attrs.clone());
        Some(attrs)
    }
}

/// A struct is a resource's spec struct when it derives `CustomResource` (by the last path
/// segment: crd-gen's or kube-rs's, which collect tells apart by the import, see
/// `derive_origin`) or carries `#[crd(group = ..)]`; it has the resource markers then, wherever
/// it is used.
pub fn is_resource_struct(attrs: &[syn::Attribute]) -> bool {
    derives(attrs, "CustomResource") || has_group_marker(attrs)
}

/// `#[derive(.., Name, ..)]`.
pub fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == name)))
            .unwrap_or(false)
    })
}

fn has_group_marker(attrs: &[syn::Attribute]) -> bool {
    let group = crate::markers::MarkerKey::Group.name();
    attrs.iter().filter(|a| a.path().is_ident("crd")).any(|a| {
        matches!(&a.meta, syn::Meta::List(l) if l.tokens.clone().into_iter().any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == group)))
    })
}

/// Reads one item's attributes; problems go to `diags`, at `file`.
fn read(item: &syn::Item, file: FileId, diags: &mut Diagnostics) -> Option<ItemAttrs> {
    let mut errors = Vec::new();
    let out = match item {
        syn::Item::Struct(s) => {
            let site = if is_resource_struct(&s.attrs) { AttrSite::ResourceStruct } else { AttrSite::Type };
            let crd = CrdAttrs::read(&s.attrs, site, &mut errors);
            ItemAttrs { ident: s.ident.clone(), crd, serde: container(&s.clone().into(), file, &mut errors, diags) }
        }
        syn::Item::Enum(e) => {
            let crd = CrdAttrs::read(&e.attrs, AttrSite::Type, &mut errors);
            ItemAttrs { ident: e.ident.clone(), crd, serde: container(&e.clone().into(), file, &mut errors, diags) }
        }
        syn::Item::Type(t) => ItemAttrs { ident: t.ident.clone(), crd: CrdAttrs::read(&t.attrs, AttrSite::Type, &mut errors), serde: None },
        _ => return None,
    };
    for e in errors {
        diags.push(Diagnostic::from_marker(file, e));
    }
    Some(out)
}

/// serde's view of a struct or enum, with the crd attributes of its fields and variants; None
/// after reporting why serde itself would reject it.
fn container(input: &syn::DeriveInput, file: FileId, errors: &mut Vec<MarkerError>, diags: &mut Diagnostics) -> Option<Container> {
    let cx = Ctxt::new();
    let private = proc_macro2::Ident::new("__private", Span::call_site());
    let parsed = ast::Container::from_ast(&cx, input, Derive::Deserialize, &private);
    if let Err(serde_errors) = cx.check() {
        for e in serde_errors {
            diags.push(
                Diagnostic::error(format!("serde attribute error: {e}"), Place::Source(Loc::from_span(file, e.span())))
                    .with_help("serde_derive rejects this too; fix the `#[serde(...)]` attribute"),
            );
        }
        return None;
    }
    let c = parsed?;
    let data = match &c.data {
        ast::Data::Struct(style, fields) => Data::Struct(style_of(*style), fields.iter().map(|f| field(f, errors)).collect()),
        ast::Data::Enum(variants) => Data::Enum(variants.iter().map(|v| variant(v, errors)).collect()),
    };
    let attrs = &c.attrs;
    Some(Container {
        proxy: attrs.type_into().or(attrs.type_from()).or(attrs.type_try_from()).cloned(),
        transparent: attrs.transparent(),
        default: !matches!(attrs.default(), attr::Default::None),
        tag: match attrs.tag() {
            attr::TagType::External => Tag::External,
            attr::TagType::Internal { tag } => Tag::Internal { tag: tag.clone() },
            attr::TagType::Adjacent { tag, content } => Tag::Adjacent { tag: tag.clone(), content: content.clone() },
            attr::TagType::None => Tag::None,
        },
        data,
    })
}

fn style_of(style: ast::Style) -> Style {
    match style {
        ast::Style::Struct => Style::Struct,
        ast::Style::Tuple => Style::Tuple,
        ast::Style::Newtype => Style::Newtype,
        ast::Style::Unit => Style::Unit,
    }
}

fn field(f: &ast::Field, errors: &mut Vec<MarkerError>) -> Field {
    let a = &f.attrs;
    Field {
        member: match &f.member {
            syn::Member::Named(i) => i.to_string(),
            syn::Member::Unnamed(i) => i.index.to_string(),
        },
        ty: f.ty.clone(),
        span: f.original.ident.as_ref().map_or_else(|| f.original.ty.span(), |i| i.span()),
        decl_span: field_span(f.original),
        name: a.name().serialize_name().value.clone(),
        skip_serializing: a.skip_serializing(),
        skip_deserializing: a.skip_deserializing(),
        flatten: a.flatten(),
        default: !matches!(a.default(), attr::Default::None),
        skip_serializing_if: a.skip_serializing_if().is_some(),
        custom: a.serialize_with().is_some() || a.deserialize_with().is_some(),
        transparent: a.transparent(),
        crd: CrdAttrs::read_typed(&f.original.attrs, AttrSite::Field, Some(&f.original.ty), errors),
    }
}

/// The span of a whole field declaration, attributes to type, as syn's `Spanned` gives it,
/// without turning the field (doc comments and all) back into tokens to find its ends.
fn field_span(f: &syn::Field) -> Span {
    let first = match (f.attrs.first(), &f.vis, &f.ident) {
        (Some(a), _, _) => a.pound_token.span,
        (None, syn::Visibility::Public(p), _) => p.span,
        (None, syn::Visibility::Restricted(r), _) => r.pub_token.span,
        (None, syn::Visibility::Inherited, Some(i)) => i.span(),
        (None, syn::Visibility::Inherited, None) => return f.ty.span(),
    };
    first.join(f.ty.span()).unwrap_or(first)
}

fn variant(v: &ast::Variant, errors: &mut Vec<MarkerError>) -> Variant {
    Variant {
        ident: v.ident.clone(),
        span: v.original.span(),
        name: v.attrs.name().serialize_name().value.clone(),
        skip_serializing: v.attrs.skip_serializing(),
        other: v.attrs.other(),
        style: style_of(v.style),
        crd: CrdAttrs::read(&v.original.attrs, AttrSite::Variant, errors),
        fields: v.fields.iter().map(|f| field(f, errors)).collect(),
    }
}
