//! `#[derive(CustomResource)]` and `#[derive(CrdSchema)]`: register the `#[crd(...)]` helper
//! attribute (and kube-derive's `#[kube(...)]` and the schema attributes of schemars, validator,
//! garde and kube's `KubeSchema`, which crd-gen reads too) and check every marker at compile time
//! with crd-gen's own parser and rules (crd-gen-markers, which the engine uses too), so a typo
//! fails `cargo build` with the same words `cargo crd-gen` would print.
//!
//! The derives generate only associated constants; the CRD itself is written by `cargo crd-gen`
//! or build.rs from the source, so the three front ends share one engine.

use crd_gen_markers::check::{ValueShape, check_applies};
use crd_gen_markers::names::{kind_of, plural_of};
use crd_gen_markers::{AttrSite, CrdAttrs, MarkerError, MarkerKey};
use proc_macro::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, parse_macro_input};

mod root;

/// Registers kube-derive's `#[kube]` and the schema attributes crd-gen reads (schemars',
/// validator's, garde's, kube's `KubeSchema`'s), so a crate migrating from kube-derive compiles
/// without the derives that registered them; every one is checked here as the engine reads it.
#[proc_macro_derive(CustomResource, attributes(crd, kube, x_kube, schemars, validate, garde))]
pub fn derive_custom_resource(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, true).into()
}

#[proc_macro_derive(CrdSchema, attributes(crd, x_kube, schemars, validate, garde))]
pub fn derive_crd_schema(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, false).into()
}

fn expand(input: &DeriveInput, resource: bool) -> proc_macro2::TokenStream {
    let mut errors: Vec<MarkerError> = Vec::new();
    let site = if resource { AttrSite::ResourceStruct } else { AttrSite::Type };
    let attrs = CrdAttrs::read(&input.attrs, site, &mut errors);
    if resource {
        if !matches!(input.data, Data::Struct(_)) {
            errors.push(
                MarkerError::new(input.ident.span(), "`CustomResource` goes on the spec struct")
                    .help("derive it on a struct; enums can be fields of the spec"),
            );
        }
        // No check that `group` and `version` are given: the module docs may give them
        // (`//! +groupName=..`, a module named `v1`), which a derive cannot see; the engine checks.
        if kind_of(&input.ident.to_string(), attrs.str(MarkerKey::Kind)).is_none() {
            errors.push(
                MarkerError::new(input.ident.span(), format!("cannot tell the kind of `{}`", input.ident))
                    .help("name the struct `<Kind>Spec` or add `#[crd(kind = \"MyKind\")]`"),
            );
        }
    }
    match &input.data {
        Data::Struct(s) => check_fields(&s.fields, &mut errors),
        Data::Enum(e) => {
            for v in &e.variants {
                let _ = CrdAttrs::read(&v.attrs, AttrSite::Variant, &mut errors);
                check_fields(&v.fields, &mut errors);
            }
        }
        Data::Union(u) => errors.push(MarkerError::new(u.union_token.span, "unions have no JSON form").help("use a struct or enum")),
    }
    if !errors.is_empty() {
        let compile_errors = errors.iter().map(|e| e.to_syn().to_compile_error());
        return quote!(#(#compile_errors)*);
    }
    if !resource {
        return quote!();
    }
    let constants = resource_constants(input, &attrs);
    if attrs.flag(MarkerKey::NoRootType) {
        return constants;
    }
    match root::facts(input, &attrs) {
        Ok(facts) => {
            let root = root::expand(input, &facts);
            quote!(#constants #root)
        }
        Err(e) => e.to_syn().to_compile_error(),
    }
}

/// The spec struct's constants: those its own markers determine. `CRD_GROUP`, `CRD_API_VERSION`
/// and `CRD_NAME` need `group` (and `version`) on the struct itself; given only in the module
/// docs, they are not generated, since a derive sees only its struct.
fn resource_constants(input: &DeriveInput, attrs: &CrdAttrs) -> proc_macro2::TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let kind = kind_of(&ident.to_string(), attrs.str(MarkerKey::Kind)).unwrap_or_default();
    let plural = plural_of(&kind, attrs.str(MarkerKey::Plural));
    let mut consts = vec![quote! {
        /// The kind.
        pub const CRD_KIND: &'static str = #kind;
        /// The plural resource name (`kubectl get <plural>`).
        pub const CRD_PLURAL: &'static str = #plural;
    }];
    let (group, version) = (attrs.str(MarkerKey::Group), attrs.str(MarkerKey::Version));
    if let Some(group) = group {
        let name = format!("{plural}.{group}");
        consts.push(quote! {
            /// The API group of this resource.
            pub const CRD_GROUP: &'static str = #group;
            /// The CustomResourceDefinition's name, `<plural>.<group>`.
            pub const CRD_NAME: &'static str = #name;
        });
    }
    if let Some(version) = version {
        consts.push(quote! {
            /// The version this spec struct describes.
            pub const CRD_VERSION: &'static str = #version;
        });
    }
    if let (Some(group), Some(version)) = (group, version) {
        let api_version = format!("{group}/{version}");
        consts.push(quote! {
            /// `group/version`, as in an object's `apiVersion`.
            pub const CRD_API_VERSION: &'static str = #api_version;
        });
    }
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#consts)*
        }
    }
}

fn check_fields(fields: &syn::Fields, errors: &mut Vec<MarkerError>) {
    for f in fields {
        let attrs = CrdAttrs::read_typed(&f.attrs, AttrSite::Field, Some(&f.ty), errors);
        let shape = ValueShape::of_rust_type(&f.ty);
        let text = quote::ToTokens::to_token_stream(&f.ty).to_string().replace(' ', "");
        // A marker that says what the value is makes the face of the Rust type irrelevant.
        if attrs.replaces_type() {
            continue;
        }
        for m in &attrs.markers {
            if let Some(e) = check_applies(m, shape, &text) {
                errors.push(e);
            }
            if m.key() == MarkerKey::Items && shape == ValueShape::Array {
                let inner = element_type(&f.ty).map(ValueShape::of_rust_type).unwrap_or(ValueShape::Unknown);
                for im in m.items() {
                    if let Some(e) = check_applies(im, inner, &format!("the items of `{text}`")) {
                        errors.push(e);
                    }
                }
            }
        }
    }
}

/// `Vec<T>` / `Option<Vec<T>>` -> T, on the face of the type.
fn element_type(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    let first = args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })?;
    if last.ident == "Option" { element_type(first) } else { Some(first) }
}
