//! Enums, one function per serde representation. Kubernetes needs structural schemas (one type per
//! node), so each representation maps to an object or string schema in which exactly one variant
//! can be given; where a structural schema cannot say "this field is required for that variant",
//! a CEL rule (x-kubernetes-validations) says it.

use super::structs::{lower_field, object_of_fields};
use super::{Env, Lowerer, apply};
use crate::attrs::{Data, ItemAttrs, Style, Tag, Variant};
use crate::markers::MarkerKey;
use crate::schema::{Schema, ValidationRule};
use crate::validate::cel::escape::escape;
use indexmap::IndexMap;
use serde_json::Value;

pub fn lower_enum(lw: &mut Lowerer, attrs: &ItemAttrs, env: &Env) -> Schema {
    let Some(container) = &attrs.serde else { return Schema::default() };
    let Data::Enum(all_variants) = &container.data else { return Schema::default() };
    let variants: Vec<&Variant> = all_variants.iter().filter(|v| !v.skip_serializing && !v.crd.flag(MarkerKey::Skip)).collect();
    let name = attrs.ident.to_string();
    let item = EnumItem { name: &name, span: attrs.ident.span() };
    let mut schema = if let Some(proxy) = &container.proxy {
        lw.lower_type(proxy, env).schema
    } else if attrs.crd.replaces_type() {
        Schema::default()
    } else {
        match &container.tag {
            Tag::External => external(lw, &item, &variants, env),
            Tag::Internal { tag } => internal(lw, &item, tag, &variants, env),
            Tag::Adjacent { tag, content } => adjacent(lw, &item, tag, content, &variants, env),
            Tag::None => untagged(lw, &item, &variants, env),
        }
    };
    if let Some(doc) = &attrs.crd.docs.text {
        schema.description = Some(doc.clone());
    }
    apply::apply(lw, env.scope, &mut schema, &attrs.crd.markers, &|| name.clone());
    schema.origin = Some(lw.loc(env.scope, attrs.ident.span()));
    schema
}

/// The enum being lowered, for messages: its name, and where it is named.
struct EnumItem<'a> {
    name: &'a str,
    span: proc_macro2::Span,
}

/// The tag's schema: the variants' names, or any string when a `#[serde(other)]` variant
/// takes unknown tags.
fn tag_values(variants: &[&Variant], names: Vec<String>) -> Schema {
    if variants.iter().any(|v| v.other) {
        return Schema::string();
    }
    Schema { enum_: Some(names.into_iter().map(Value::String).collect()), ..Schema::string() }
}

fn variant_name(v: &Variant) -> String {
    v.name.clone()
}

fn is_unit(v: &Variant) -> bool {
    v.style == Style::Unit
}

/// A string enum of the unit variants' names; `#[serde(other)]` accepts any string.
fn unit_strings(variants: &[&Variant]) -> Schema {
    let mut s = Schema::string();
    if !variants.iter().any(|v| v.other) {
        s.enum_ = Some(variants.iter().map(|v| Value::String(variant_name(v))).collect());
    }
    s
}

/// The JSON of a variant's content: a newtype's inner type or a struct variant's fields.
fn content(lw: &mut Lowerer, enum_name: &str, v: &Variant, env: &Env) -> Option<Schema> {
    match v.style {
        Style::Unit => None,
        Style::Newtype => Some(lower_field(lw, &v.fields[0], env).schema),
        Style::Struct => Some(object_of_fields(lw, &v.fields, false, env)),
        Style::Tuple => {
            lw.error(
                env.scope,
                v.span,
                format!(
                    "tuple variant `{enum_name}::{}` serializes as a mixed-type array, which a structural schema cannot describe",
                    v.ident
                ),
                "give the variant named fields, or wrap the values in a struct",
            );
            None
        }
    }
}

/// `"Variant"` for unit variants; `{"Variant": content}` for the others.
fn external(lw: &mut Lowerer, item: &EnumItem, variants: &[&Variant], env: &Env) -> Schema {
    let name = item.name;
    if variants.iter().all(|v| is_unit(v)) {
        return unit_strings(variants);
    }
    if let Some(unit) = variants.iter().find(|v| is_unit(v)) {
        let data = variants.iter().find(|v| !is_unit(v)).expect("a data variant");
        lw.error(
            env.scope,
            item.span,
            format!(
                "enum `{name}` mixes a unit variant (`{}`, written as a string) with a data variant (`{}`, written as an object); a structural schema allows one type",
                unit.ident, data.ident
            ),
            format!("write the unit variant as an empty struct variant (`{} {{}}`), or tag the enum: `#[serde(tag = \"type\")]`", unit.ident),
        );
        return Schema::default();
    }
    let mut props = IndexMap::new();
    for v in variants {
        if let Some(mut c) = content(lw, name, v, env) {
            if let Some(doc) = &v.crd.docs.text {
                c.description = Some(doc.clone());
            }
            props.insert(variant_name(v), c);
        }
    }
    // Every property is a variant: exactly one of them is set.
    Schema { properties: Some(props), min_properties: Some(1), max_properties: Some(1), ..Schema::object() }
}

/// `{"tag": "Variant", ..fields}`: fields of all variants side by side, the tag says which.
fn internal(lw: &mut Lowerer, item: &EnumItem, tag: &str, variants: &[&Variant], env: &Env) -> Schema {
    let name = item.name;
    let mut per_variant = Vec::new();
    for v in variants {
        let c = match v.style {
            Style::Unit => Some(Schema::object()),
            _ => content(lw, name, v, env),
        };
        let Some(c) = c else { continue };
        if !c.is_type("object") {
            lw.error(
                env.scope,
                v.span,
                format!(
                    "internally tagged variant `{name}::{}` must hold a struct or map (serde puts the tag `{tag}` beside its fields)",
                    v.ident
                ),
                "use a struct variant, a newtype of a struct, or `#[serde(tag = .., content = ..)]`",
            );
            continue;
        }
        per_variant.push((variant_name(v), c));
    }
    let mut schema = merge_objects(lw, item, &per_variant, env);
    let tag_schema = tag_values(variants, per_variant.iter().map(|(n, _)| n.clone()).collect());
    let props = schema.properties.get_or_insert_with(IndexMap::new);
    props.shift_insert(0, tag.to_string(), tag_schema);
    schema.required.insert(0, tag.to_string());
    schema.validations.extend(required_per_variant(tag, &per_variant, None));
    schema
}

/// `{"tag": "Variant", "content": ..}`.
fn adjacent(lw: &mut Lowerer, item: &EnumItem, tag: &str, content_key: &str, variants: &[&Variant], env: &Env) -> Schema {
    let name = item.name;
    let mut contents = Vec::new();
    for v in variants {
        if let Some(c) = content(lw, name, v, env) {
            contents.push((variant_name(v), c));
        }
    }
    let mut props = IndexMap::new();
    props.insert(tag.to_string(), tag_values(variants, variants.iter().map(|v| variant_name(v)).collect()));
    let mut schema = Schema::object();
    if !contents.is_empty() {
        let merged = if contents.len() > 1 && super::union::all_scalars(&contents) {
            scalar_contents(lw, item, tag, content_key, &contents, env, &mut schema)
        } else {
            merge_all(lw, item, &contents, env)
        };
        props.insert(content_key.to_string(), merged);
        // Variants with content need it; unit variants have none.
        let with: Vec<String> = contents.iter().map(|(n, _)| format!("'{n}'")).collect();
        let without: Vec<String> = variants.iter().filter(|v| is_unit(v)).map(|v| format!("'{}'", variant_name(v))).collect();
        if let (Some(t), Some(c)) = (escape(tag), escape(content_key))
            && !without.is_empty()
        {
            schema.validations.push(ValidationRule {
                rule: format!("self.{t} in [{}] ? has(self.{c}) : !has(self.{c})", with.join(", ")),
                message: Some(format!(
                    "{content_key} is required when {tag} is {} and not allowed when it is {}",
                    with.join(" or "),
                    without.join(" or ")
                )),
                ..ValidationRule::default()
            });
        }
        let object_contents: Vec<(String, Schema)> = contents.iter().filter(|(_, s)| s.is_type("object")).cloned().collect();
        schema.validations.extend(required_per_variant(tag, &object_contents, Some(content_key)));
    }
    schema.properties = Some(props);
    schema.required = vec![tag.to_string()];
    if contents.len() == variants.len() {
        schema.required.push(content_key.to_string());
    }
    schema
}

/// Scalar contents of an adjacently tagged enum: their union, and per tag a rule for its own.
fn scalar_contents(
    lw: &mut Lowerer,
    item: &EnumItem,
    tag: &str,
    content_key: &str,
    contents: &[(String, Schema)],
    env: &Env,
    schema: &mut Schema,
) -> Schema {
    let name = item.name;
    let rules = match (escape(tag), escape(content_key)) {
        (Some(t), Some(c)) => super::union::per_tag_rules(tag, &t, &format!("self.{c}"), contents),
        _ => Err(format!("`{tag}` or `{content_key}` cannot be named in a CEL rule")),
    };
    match (super::union::scalar_union(contents), rules) {
        (Ok(union), Ok(rules)) => {
            schema.validations.extend(rules);
            union
        }
        (Err(why), _) | (_, Err(why)) => {
            lw.error(
                env.scope,
                item.span,
                format!("the contents of `{name}`'s variants have no structural schema together: {why}"),
                "make the variants' contents one JSON type (integers and strings may mix), or give each variant a struct",
            );
            Schema::default()
        }
    }
}

/// serde tries each variant in turn: the schema accepts what any variant accepts, when the
/// variants share one JSON type (scalars: see `union.rs`, which also takes integers beside
/// strings as int-or-string).
fn untagged(lw: &mut Lowerer, item: &EnumItem, variants: &[&Variant], env: &Env) -> Schema {
    let name = item.name;
    let mut all = Vec::new();
    for v in variants {
        if is_unit(v) {
            lw.error(
                env.scope,
                v.span,
                format!("untagged unit variant `{name}::{}` serializes as null", v.ident),
                "give the variant content, or remove `#[serde(untagged)]`",
            );
            continue;
        }
        if let Some(c) = content(lw, name, v, env) {
            all.push((variant_name(v), c));
        }
    }
    if all.is_empty() {
        return Schema::default();
    }
    if super::union::all_scalars(&all) {
        return match super::union::scalar_union(&all) {
            Ok(s) => s,
            Err(why) => {
                lw.error(
                    env.scope,
                    item.span,
                    format!("untagged enum `{name}` has no structural schema: {why}"),
                    "make the variants hold values of one JSON type (integers and strings may mix), or tag the enum: `#[serde(tag = \"type\")]`",
                );
                Schema::default()
            }
        };
    }
    let mut merged = merge_all(lw, item, &all, env);
    if merged.is_type("object")
        && let Some(rule) = one_variant_present(&all)
    {
        merged.validations.push(rule);
    }
    merged
}

/// serde accepts an untagged object if some variant finds all its required fields.
fn one_variant_present(variants: &[(String, Schema)]) -> Option<ValidationRule> {
    let mut alternatives = Vec::new();
    let mut names = Vec::new();
    for (vname, s) in variants {
        if s.required.is_empty() {
            return None;
        }
        let has: Option<Vec<String>> = s.required.iter().map(|r| escape(r).map(|f| format!("has(self.{f})"))).collect();
        alternatives.push(format!("({})", has?.join(" && ")));
        names.push(format!("{vname} ({})", s.required.join(", ")));
    }
    Some(ValidationRule {
        rule: alternatives.join(" || "),
        message: Some(format!("must hold the fields of one of: {}", names.join("; "))),
        ..ValidationRule::default()
    })
}

/// One schema accepting what each of `schemas` accepts, or an error naming two that clash.
fn merge_all(lw: &mut Lowerer, item: &EnumItem, schemas: &[(String, Schema)], env: &Env) -> Schema {
    let name = item.name;
    let first = &schemas[0];
    if let Some(clash) = schemas.iter().find(|(_, s)| s.type_ != first.1.type_ || s.int_or_string != first.1.int_or_string) {
        lw.error(
            env.scope,
            item.span,
            format!(
                "variants `{}` ({}) and `{}` ({}) of `{name}` have different JSON types; a structural schema allows one type per value",
                first.0,
                type_name(&first.1),
                clash.0,
                type_name(&clash.1)
            ),
            "make the variants hold the same kind of value (e.g. all structs), or use a tagged enum",
        );
        return Schema::default();
    }
    if first.1.is_type("object") {
        return merge_objects(lw, item, schemas, env);
    }
    let mut merged = first.1.clone();
    merged.description = None;
    if schemas.iter().any(|(_, s)| s.enum_.is_none()) {
        merged.enum_ = None;
    } else {
        let mut values: Vec<Value> = Vec::new();
        for (_, s) in schemas {
            for v in s.enum_.iter().flatten() {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
        merged.enum_ = Some(values);
    }
    merged
}

fn type_name(s: &Schema) -> String {
    if s.int_or_string {
        return "int-or-string".into();
    }
    s.type_.clone().unwrap_or_else(|| "any".into())
}

/// Object variants side by side: a property in several variants must mean the same in each;
/// a property is required only if every variant requires it.
fn merge_objects(lw: &mut Lowerer, item: &EnumItem, variants: &[(String, Schema)], env: &Env) -> Schema {
    let name = item.name;
    let mut props: IndexMap<String, Schema> = IndexMap::new();
    let mut owner: IndexMap<String, String> = IndexMap::new();
    let mut preserve = false;
    for (vname, s) in variants {
        preserve |= s.preserve_unknown_fields || s.additional_properties.is_some();
        for (k, p) in s.properties.iter().flatten() {
            match props.get(k) {
                Some(existing) if !same_shape(existing, p) => {
                    lw.error(
                        env.scope,
                        item.span,
                        format!("field `{k}` of variant `{vname}` and of variant `{}` of `{name}` have different schemas; serde reads them into one object", owner[k]),
                        "give the fields different names (`#[serde(rename)]`) or the same type",
                    );
                }
                Some(_) => {}
                None => {
                    props.insert(k.clone(), p.clone());
                    owner.insert(k.clone(), vname.clone());
                }
            }
        }
    }
    let required: Vec<String> = props.keys().filter(|k| variants.iter().all(|(_, s)| s.required.contains(k))).cloned().collect();
    Schema { properties: Some(props), required, preserve_unknown_fields: preserve, ..Schema::object() }
}

fn same_shape(a: &Schema, b: &Schema) -> bool {
    let strip = |s: &Schema| Schema { description: None, ..s.clone() };
    strip(a).same_json(&strip(b))
}

/// For each variant, the fields it requires beyond those every variant requires. With
/// `inside`, the fields live in that property (adjacent tagging's content).
fn required_per_variant(tag: &str, variants: &[(String, Schema)], inside: Option<&str>) -> Vec<ValidationRule> {
    let common: Vec<&String> = match inside {
        Some(_) => Vec::new(),
        None => variants
            .first()
            .map(|(_, s)| s.required.iter().filter(|r| variants.iter().all(|(_, o)| o.required.contains(r))).collect())
            .unwrap_or_default(),
    };
    let Some(tag_ref) = escape(tag) else { return Vec::new() };
    let prefix = match inside.map(escape) {
        Some(Some(c)) => format!("self.{c}"),
        Some(None) => return Vec::new(),
        None => "self".to_string(),
    };
    let mut rules = Vec::new();
    for (vname, s) in variants {
        let own: Vec<&String> = s.required.iter().filter(|r| !common.contains(r)).collect();
        if own.is_empty() {
            continue;
        }
        let Some(mut has) = own.iter().map(|r| escape(r).map(|f| format!("has({prefix}.{f})"))).collect::<Option<Vec<String>>>() else {
            continue;
        };
        if inside.is_some() {
            has.insert(0, format!("has({prefix})"));
        }
        let names: Vec<&str> = own.iter().map(|r| r.as_str()).collect();
        let place = inside.map(|c| format!(" in {c}")).unwrap_or_default();
        rules.push(ValidationRule {
            rule: format!("self.{tag_ref} != '{vname}' || ({})", has.join(" && ")),
            message: Some(format!("{} required{place} when {tag} is {vname}", names.join(", "))),
            ..ValidationRule::default()
        });
    }
    rules
}
