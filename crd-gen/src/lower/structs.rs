//! Structs: named fields become properties (with serde's names, flatten, skip, default), newtype
//! structs are their content, `transparent` and `into`/`from` follow serde.

use super::{Env, Lowered, Lowerer, apply};
use crate::attrs::{Container, Data, Field, ItemAttrs, Style};
use crate::markers::MarkerKey;
use crate::schema::Schema;

pub fn lower_struct(lw: &mut Lowerer, attrs: &ItemAttrs, env: &Env, is_resource: bool) -> Schema {
    let Some(container) = &attrs.serde else { return Schema::default() };
    let mut schema = struct_schema(lw, attrs, container, env);
    let type_text = || attrs.ident.to_string();
    if !is_resource && let Some(doc) = &attrs.crd.docs.text {
        schema.description = Some(doc.clone());
    }
    schema.origin = Some(lw.loc(env.scope, attrs.ident.span()));
    if is_resource {
        // On the spec struct `description` is the root object's; the spec keeps its doc comment.
        schema.description = attrs.crd.docs.text.clone();
        let markers: Vec<_> = attrs.crd.markers.iter().filter(|m| m.key() != MarkerKey::Description).cloned().collect();
        apply::apply(lw, env.scope, &mut schema, &markers, &type_text);
    } else {
        apply::apply(lw, env.scope, &mut schema, &attrs.crd.markers, &type_text);
    }
    schema
}

/// The schema serde's view of the struct gives, before its own markers.
fn struct_schema(lw: &mut Lowerer, attrs: &ItemAttrs, container: &Container, env: &Env) -> Schema {
    let name = &attrs.ident;
    let Data::Struct(style, fields) = &container.data else { return Schema::default() };
    if let Some(proxy) = &container.proxy {
        // `#[serde(into = "T")]` / `from`: the JSON is T's.
        return lw.lower_type(proxy, env).schema;
    }
    if attrs.crd.replaces_type() {
        return Schema::default();
    }
    if container.transparent {
        return match fields.iter().find(|f| f.transparent) {
            Some(f) => lower_field(lw, f, env).schema,
            None => Schema::default(),
        };
    }
    match style {
        Style::Struct => object_of_fields(lw, fields, container.default, env),
        Style::Newtype => lower_field(lw, &fields[0], env).schema,
        Style::Tuple => {
            lw.error(
                env.scope,
                attrs.ident.span(),
                format!("tuple struct `{name}` serializes as a mixed-type array, which a structural schema cannot describe"),
                "use named fields",
            );
            Schema::default()
        }
        Style::Unit => {
            lw.error(
                env.scope,
                attrs.ident.span(),
                format!("unit struct `{name}` serializes as null, which a Kubernetes schema cannot describe"),
                "use `struct Name {}` (an empty object) or remove the field",
            );
            Schema::default()
        }
    }
}

/// The object schema of named fields (also used for struct variants of enums).
pub fn object_of_fields(lw: &mut Lowerer, fields: &[Field], container_default: bool, env: &Env) -> Schema {
    // `//! +kubebuilder:validation:Optional` in the module docs: fields are optional unless marked.
    let mut object = super::object::Object::new(lw.fields_optional_in(env.scope), container_default);
    for field in fields {
        if field.crd.flag(MarkerKey::Skip) || field.skip_serializing {
            continue;
        }
        let lowered = lower_field(lw, field, env);
        if field.flatten {
            object.add_flattened(lw, env, field, lowered);
        } else {
            object.add_field(lw, env, field, lowered);
        }
    }
    object.finish(lw, env)
}

/// A field's schema: its type's (unless its markers say what it is), its docs and its markers.
pub fn lower_field(lw: &mut Lowerer, field: &Field, env: &Env) -> Lowered {
    // Markers that say what the value is replace the type's own schema (an untagged
    // `enum { Count(i32), Percent(String) }` marked `int_or_string` is not lowered as an enum),
    // and let a field written by custom serde code say what it writes.
    let described = field.crd.describes_value() && (field.custom || field.crd.replaces_type());
    let mut lowered = if described {
        Lowered { schema: Schema::default(), optional: field.is_option() }
    } else if field.custom {
        lw.error(
            env.scope,
            field.decl_span,
            format!(
                "field `{}` is written by custom serde code (`with`/`serialize_with`), so its JSON form cannot be read from the type `{}`",
                field.member,
                field.type_text()
            ),
            "say what it writes: `#[crd(schema_type = \"string\")]` (add `format`/`pattern` as needed), or `#[crd(schemaless, preserve_unknown_fields)]`",
        );
        Lowered { schema: Schema::default(), optional: field.is_option() }
    } else {
        lw.lower_type(&field.ty, env)
    };
    if let Some(doc) = &field.crd.docs.text {
        lowered.schema.description = Some(doc.clone());
    }
    apply::apply(lw, env.scope, &mut lowered.schema, &field.crd.markers, &|| field.type_text());
    lowered.schema.origin = Some(lw.loc(env.scope, field.span));
    lowered
}
