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
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use syn::punctuated::Punctuated;
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

/// The attributes of the items read since the last [`Memo::forget_items`], and the package
/// markers of every module.
#[derive(Default)]
pub struct Memo {
    items: HashMap<ItemRef, Rc<ItemAttrs>>,
    /// Every item whose attributes were ever read (and their problems reported).
    reported: HashSet<ItemRef>,
    pub packages: crate::markers::inherited::Packages,
}

impl Memo {
    /// The attributes of struct, enum or alias `item` (None for other items), read when not
    /// kept; their problems are reported the first time only.
    pub fn item(&mut self, program: &Program, item: ItemRef, diags: &mut Diagnostics) -> Option<Rc<ItemAttrs>> {
        if let Some(a) = self.items.get(&item) {
            return Some(a.clone());
        }
        let file = program.file_of(item.scope);
        let mut again = Diagnostics::default();
        let diags = if self.reported.insert(item) { diags } else { &mut again };
        let attrs = Rc::new(read(program.item(item), file, diags)?);
        self.items.insert(item, attrs.clone());
        Some(attrs)
    }

    /// Keeps `attrs`, already read for `item` (a resource's spec struct, read when collected).
    pub fn keep(&mut self, item: ItemRef, attrs: Rc<ItemAttrs>) {
        self.items.insert(item, attrs);
    }

    /// Drops the attributes kept (a resource's types, once it is lowered: the lowering cache
    /// keeps the schema of a type used again, so few are read twice).
    pub fn forget_items(&mut self) {
        self.items = HashMap::new();
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
            let serde = container(&struct_input(s), Originals::Fields(&s.fields), file, &mut errors, diags);
            ItemAttrs { ident: s.ident.clone(), crd, serde }
        }
        syn::Item::Enum(e) => {
            let crd = CrdAttrs::read(&e.attrs, AttrSite::Type, &mut errors);
            let serde = container(&enum_input(e), Originals::Variants(&e.variants), file, &mut errors, diags);
            ItemAttrs { ident: e.ident.clone(), crd, serde }
        }
        syn::Item::Type(t) => ItemAttrs { ident: t.ident.clone(), crd: CrdAttrs::read(&t.attrs, AttrSite::Type, &mut errors), serde: None },
        _ => return None,
    };
    for e in errors {
        diags.push(Diagnostic::from_marker(file, e));
    }
    Some(out)
}

/// What serde_derive_internals reads: a `DeriveInput` of the item with only the attributes serde
/// looks at (`serde`; on the container also `repr` and `non_exhaustive`). Docs and markers are
/// most of an item's tokens, and they are read from the item itself (see [`Originals`]).
fn serde_input(
    attrs: &[syn::Attribute],
    vis: &syn::Visibility,
    ident: &syn::Ident,
    generics: &syn::Generics,
    data: syn::Data,
) -> syn::DeriveInput {
    let for_serde = |a: &&syn::Attribute| ["serde", "repr", "non_exhaustive"].iter().any(|name| a.path().is_ident(name));
    syn::DeriveInput {
        attrs: attrs.iter().filter(for_serde).cloned().collect(),
        vis: vis.clone(),
        ident: ident.clone(),
        generics: generics.clone(),
        data,
    }
}

fn struct_input(s: &syn::ItemStruct) -> syn::DeriveInput {
    let data = syn::DataStruct { struct_token: s.struct_token, fields: serde_fields(&s.fields), semi_token: s.semi_token };
    serde_input(&s.attrs, &s.vis, &s.ident, &s.generics, syn::Data::Struct(data))
}

fn enum_input(e: &syn::ItemEnum) -> syn::DeriveInput {
    let variant = |v: &syn::Variant| syn::Variant {
        attrs: serde_attrs(&v.attrs),
        ident: v.ident.clone(),
        fields: serde_fields(&v.fields),
        discriminant: v.discriminant.clone(),
    };
    let data = syn::DataEnum { enum_token: e.enum_token, brace_token: e.brace_token, variants: e.variants.iter().map(variant).collect() };
    serde_input(&e.attrs, &e.vis, &e.ident, &e.generics, syn::Data::Enum(data))
}

fn serde_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde")).cloned().collect()
}

fn serde_fields(fields: &syn::Fields) -> syn::Fields {
    let trim = |f: &syn::Field| syn::Field {
        attrs: serde_attrs(&f.attrs),
        vis: f.vis.clone(),
        modifiers: f.modifiers.clone(),
        ident: f.ident.clone(),
        colon_token: f.colon_token,
        ty: f.ty.clone(),
        default: f.default.clone(),
    };
    match fields {
        syn::Fields::Named(n) => {
            syn::Fields::Named(syn::FieldsNamed { brace_token: n.brace_token, named: n.named.iter().map(trim).collect() })
        }
        syn::Fields::Unnamed(u) => {
            syn::Fields::Unnamed(syn::FieldsUnnamed { paren_token: u.paren_token, unnamed: u.unnamed.iter().map(trim).collect() })
        }
        syn::Fields::Unit => syn::Fields::Unit,
    }
}

/// The item's own fields or variants, in the order serde's view lists them: their markers, docs
/// and spans are read there.
#[derive(Clone, Copy)]
enum Originals<'a> {
    Fields(&'a syn::Fields),
    Variants(&'a Punctuated<syn::Variant, syn::Token![,]>),
}

/// serde's view of a struct or enum, with the crd attributes of its fields and variants; None
/// after reporting why serde itself would reject it.
fn container(
    input: &syn::DeriveInput,
    originals: Originals,
    file: FileId,
    errors: &mut Vec<MarkerError>,
    diags: &mut Diagnostics,
) -> Option<Container> {
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
    let data = match (&c.data, originals) {
        (ast::Data::Struct(style, fields), Originals::Fields(own)) => {
            Data::Struct(style_of(*style), fields.iter().zip(own).map(|(f, own)| field(f, own, errors)).collect())
        }
        (ast::Data::Enum(variants), Originals::Variants(own)) => {
            Data::Enum(variants.iter().zip(own).map(|(v, own)| variant(v, own, errors)).collect())
        }
        _ => unreachable!("serde's view of a struct is a struct, of an enum an enum"),
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

fn field(f: &ast::Field, own: &syn::Field, errors: &mut Vec<MarkerError>) -> Field {
    let a = &f.attrs;
    Field {
        member: match &f.member {
            syn::Member::Named(i) => i.to_string(),
            syn::Member::Unnamed(i) => i.index.to_string(),
        },
        ty: f.ty.clone(),
        span: own.ident.as_ref().map_or_else(|| own.ty.span(), |i| i.span()),
        decl_span: field_span(own),
        name: a.name().serialize_name().value.clone(),
        skip_serializing: a.skip_serializing(),
        skip_deserializing: a.skip_deserializing(),
        flatten: a.flatten(),
        default: !matches!(a.default(), attr::Default::None),
        skip_serializing_if: a.skip_serializing_if().is_some(),
        custom: a.serialize_with().is_some() || a.deserialize_with().is_some(),
        transparent: a.transparent(),
        crd: CrdAttrs::read_typed(&own.attrs, AttrSite::Field, Some(&own.ty), errors),
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

fn variant(v: &ast::Variant, own: &syn::Variant, errors: &mut Vec<MarkerError>) -> Variant {
    Variant {
        ident: v.ident.clone(),
        span: own.span(),
        name: v.attrs.name().serialize_name().value.clone(),
        skip_serializing: v.attrs.skip_serializing(),
        other: v.attrs.other(),
        style: style_of(v.style),
        crd: CrdAttrs::read(&own.attrs, AttrSite::Variant, errors),
        fields: v.fields.iter().zip(&own.fields).map(|(f, own)| field(f, own, errors)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::assert_error;

    const HEAD: &str = "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n";

    // serde reads a copy of the item with its serde attributes only: what it rejects is still
    // reported at the attribute, not at the doc comment above it.
    #[test]
    fn a_serde_attribute_error_on_a_documented_field_is_at_the_attribute() {
        let src = format!("{HEAD}pub struct WidgetSpec {{\n    /// Docs.\n    #[serde(renam = \"x\")]\n    pub v: String,\n}}\n");
        assert_error(&src, "serde attribute error: unknown serde field attribute `renam`", 5);
    }

    #[test]
    fn a_serde_attribute_error_on_a_documented_variant_is_at_the_attribute() {
        let src = format!(
            "{HEAD}pub struct WidgetSpec {{ pub m: Mode }}\n/// Mode.\npub enum Mode {{\n    /// A.\n    #[serde(renam = \"a\")]\n    A,\n}}\n"
        );
        assert_error(&src, "serde attribute error: unknown serde variant attribute `renam`", 7);
    }

    #[test]
    fn serde_rejecting_a_field_points_at_its_attribute() {
        let src = format!(
            "{HEAD}pub struct WidgetSpec(\n    /// Docs.\n    #[serde(flatten)]\n    Inner,\n    String,\n);\npub struct Inner {{ pub a: String }}\n"
        );
        assert_error(&src, "serde attribute error: #[serde(flatten)] cannot be used on tuple structs", 5);
    }

    // Each resource's types are forgotten once it is lowered; a type read again for another
    // resource (a generic one, lowered once per argument) reports its problems once.
    #[test]
    fn a_type_read_again_for_another_resource_reports_once() {
        let spec = |kind: &str, arg: &str| {
            format!(
                "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct {kind}Spec {{ pub w: Wrapper<{arg}> }}\n"
            )
        };
        let src = format!(
            "{}{}pub struct Wrapper<T> {{\n    #[crd(maximum = \"ten\")]\n    pub n: i32,\n    pub t: T,\n}}\n",
            spec("One", "String"),
            spec("Two", "bool")
        );
        let g = crate::pipeline::run_source(&src);
        let bad: Vec<_> = g.diagnostics.iter().filter(|d| d.message.contains("maximum")).collect();
        assert_eq!(bad.len(), 1, "{}", g.render_diagnostics(false));
    }

    #[test]
    fn markers_and_docs_of_fields_and_variants_are_read_from_the_item() {
        let src = format!(
            "{HEAD}pub struct WidgetSpec {{\n    /// The size.\n    #[serde(rename = \"sz\")]\n    #[crd(maximum = 3)]\n    pub size: i32,\n    pub m: Mode,\n}}\npub enum Mode {{\n    /// Fast.\n    #[serde(rename = \"fast\")]\n    Quick,\n}}\n"
        );
        let g = crate::pipeline::run_source(&src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let yaml = &g.crates[0].files[0].contents;
        for expected in ["sz:\n", "description: The size.", "maximum: 3", "- fast"] {
            assert!(yaml.contains(expected), "no `{expected}` in\n{yaml}");
        }
    }
}
