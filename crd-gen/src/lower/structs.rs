//! Structs: named fields become properties (with serde's names, flatten, skip, default), newtype
//! structs are their content, `transparent` and `into`/`from` follow serde.

use super::{Env, Lowered, Lowerer, apply};
use crate::markers::{AttrSite, Attrs};
use crate::schema::Schema;
use quote::ToTokens;
use serde_derive_internals::{Ctxt, Derive, ast, attr};
use syn::spanned::Spanned;

/// serde's view of a type, or None after reporting why serde itself would reject it.
pub fn serde_container<'a>(lw: &mut Lowerer, input: &'a syn::DeriveInput, scope: crate::source::Scope) -> Option<ast::Container<'a>> {
    let cx = Ctxt::new();
    let private = proc_macro2::Ident::new("__private", proc_macro2::Span::call_site());
    let container = ast::Container::from_ast(&cx, input, Derive::Deserialize, &private);
    if let Err(errors) = cx.check() {
        for e in errors {
            lw.error(
                scope,
                e.span(),
                format!("serde attribute error: {e}"),
                "serde_derive rejects this too; fix the `#[serde(...)]` attribute",
            );
        }
        return None;
    }
    container
}

pub fn lower_struct(lw: &mut Lowerer, item: &syn::ItemStruct, env: &Env, is_resource: bool) -> Schema {
    let mut errors = Vec::new();
    // A spec struct used as a field type elsewhere still carries its resource markers.
    let site =
        if is_resource || crate::collect::derives(&item.attrs, "CustomResource") { AttrSite::ResourceStruct } else { AttrSite::Type };
    let attrs = Attrs::read(&item.attrs, site, &mut errors);
    lw.marker_errors(env.scope, errors);
    let input: syn::DeriveInput = item.clone().into();
    let Some(container) = serde_container(lw, &input, env.scope) else { return Schema::default() };
    let type_text = item.ident.to_string();

    let mut schema = if let Some(proxy) = container.attrs.type_into().or(container.attrs.type_from()).or(container.attrs.type_try_from()) {
        // `#[serde(into = "T")]` / `from`: the JSON is T's.
        lw.lower_type(proxy, env).schema
    } else if attrs.get("schema_type").is_some() || attrs.flag("schemaless") || attrs.flag("int_or_string") {
        Schema::default()
    } else if container.attrs.transparent() {
        let ast::Data::Struct(_, fields) = &container.data else { return Schema::default() };
        match fields.iter().find(|f| f.attrs.transparent()) {
            Some(f) => lower_field(lw, f, env).schema,
            None => Schema::default(),
        }
    } else {
        match &container.data {
            ast::Data::Struct(ast::Style::Struct, fields) => {
                object_of_fields(lw, fields, !matches!(container.attrs.default(), attr::Default::None), env)
            }
            ast::Data::Struct(ast::Style::Newtype, fields) => lower_field(lw, &fields[0], env).schema,
            ast::Data::Struct(ast::Style::Tuple, _) => {
                lw.error(
                    env.scope,
                    item.ident.span(),
                    format!("tuple struct `{type_text}` serializes as a mixed-type array, which a structural schema cannot describe"),
                    "use named fields",
                );
                Schema::default()
            }
            ast::Data::Struct(ast::Style::Unit, _) => {
                lw.error(
                    env.scope,
                    item.ident.span(),
                    format!("unit struct `{type_text}` serializes as null, which a Kubernetes schema cannot describe"),
                    "use `struct Name {}` (an empty object) or remove the field",
                );
                Schema::default()
            }
            ast::Data::Enum(_) => unreachable!("a struct item"),
        }
    };
    if !is_resource && let Some(doc) = &attrs.docs.text {
        schema.description = Some(doc.clone());
    }
    schema.origin = Some(lw.loc(env.scope, item.ident.span()));
    if is_resource {
        // On the spec struct `description` is the root object's; the spec keeps its doc comment.
        schema.description = attrs.docs.text.clone();
        let markers: Vec<_> = attrs.markers.iter().filter(|m| m.def.name != "description").cloned().collect();
        apply::apply(lw, env.scope, &mut schema, &markers, &type_text);
    } else {
        apply::apply(lw, env.scope, &mut schema, &attrs.markers, &type_text);
    }
    schema
}

/// The object schema of named fields (also used for struct variants of enums).
pub fn object_of_fields(lw: &mut Lowerer, fields: &[ast::Field], container_default: bool, env: &Env) -> Schema {
    // `//! +kubebuilder:validation:Optional` in the module docs: fields are optional unless marked.
    let mut object = super::object::Object::new(fields_optional_in(lw, env.scope), container_default);
    for field in fields {
        let mut errors = Vec::new();
        let fattrs = Attrs::read(&field.original.attrs, AttrSite::Field, &mut errors);
        lw.marker_errors(env.scope, errors);
        if fattrs.flag("skip") || field.attrs.skip_serializing() {
            continue;
        }
        let lowered = lower_field_with(lw, field, &fattrs, env);
        if field.attrs.flatten() {
            object.add_flattened(lw, env, field, &fattrs, lowered);
        } else {
            object.add_field(lw, env, field, &fattrs, lowered);
        }
    }
    object.finish(lw, env)
}

/// Whether the module docs around `scope` make fields optional by default; problems in those
/// docs are reported where they are.
fn fields_optional_in(lw: &mut Lowerer, scope: crate::source::Scope) -> bool {
    let mut errors = Vec::new();
    let inherited = crate::markers::package::inherited(lw.res.program, scope, &mut errors);
    for (file, e) in errors {
        let mut d = crate::diag::Diagnostic::error(e.message, crate::diag::Place::Source(crate::diag::Loc::from_span(file, e.span)));
        if let Some(h) = e.help {
            d = d.with_help(h);
        }
        lw.res.diags.push(d);
    }
    inherited.fields_optional
}

pub fn lower_field(lw: &mut Lowerer, field: &ast::Field, env: &Env) -> Lowered {
    let mut errors = Vec::new();
    let fattrs = Attrs::read(&field.original.attrs, AttrSite::Field, &mut errors);
    lw.marker_errors(env.scope, errors);
    lower_field_with(lw, field, &fattrs, env)
}

fn lower_field_with(lw: &mut Lowerer, field: &ast::Field, fattrs: &Attrs, env: &Env) -> Lowered {
    let type_text = field.ty.to_token_stream().to_string().replace(' ', "");
    let custom = field.attrs.serialize_with().is_some() || field.attrs.deserialize_with().is_some();
    let described_by_markers =
        ["schema_type", "schemaless", "int_or_string", "preserve_unknown_fields"].iter().any(|m| fattrs.get(m).is_some());
    // Markers that say what the value is replace the type's own schema (an untagged
    // `enum { Count(i32), Percent(String) }` marked `int_or_string` is not lowered as an enum).
    let replaced = fattrs.flag("schemaless") || fattrs.get("schema_type").is_some() || fattrs.flag("int_or_string");
    let mut lowered = if described_by_markers && (custom || replaced) {
        Lowered { schema: Schema::default(), optional: is_option(field.ty) }
    } else if custom {
        lw.error(
            env.scope,
            field.original.span(),
            format!("field `{}` is written by custom serde code (`with`/`serialize_with`), so its JSON form cannot be read from the type `{type_text}`", member_name(&field.member)),
            "say what it writes: `#[crd(schema_type = \"string\")]` (add `format`/`pattern` as needed), or `#[crd(schemaless, preserve_unknown_fields)]`",
        );
        Lowered { schema: Schema::default(), optional: is_option(field.ty) }
    } else {
        lw.lower_type(field.ty, env)
    };
    if let Some(doc) = &fattrs.docs.text {
        lowered.schema.description = Some(doc.clone());
    }
    apply::apply(lw, env.scope, &mut lowered.schema, &fattrs.markers, &type_text);
    lowered.schema.origin = Some(lw.loc(env.scope, field_span(field)));
    lowered
}

pub(super) fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(i) => i.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// `Option<..>` on its face, for fields whose type is not lowered.
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// Where a field is named (not where its doc comment starts).
pub(super) fn field_span(field: &ast::Field) -> proc_macro2::Span {
    match &field.original.ident {
        Some(i) => i.span(),
        None => field.original.ty.span(),
    }
}
