//! The API server's structural-schema rules (apiextensions.k8s.io/v1), and the rules for the
//! `x-kubernetes-*` extensions.

use super::{Ctx, Path};
use crate::diag::Loc;
use crate::markers::MarkerKey;
use crate::schema::Schema;

const KNOWN_FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "date-time",
    "int32",
    "int64",
    "float",
    "double",
];

pub fn check_root(root: &Schema, ctx: &mut Ctx) {
    let path = Path::root();
    if !root.is_type("object") {
        ctx.error(root.origin, &path, "the root schema must be `type: object`", "the spec struct must be a struct with named fields");
    }
    if let Some(meta) = root.properties.as_ref().and_then(|p| p.get("metadata")) {
        let allowed = |k: &str| k == "name" || k == "generateName";
        let extra = meta.properties.iter().flatten().any(|(k, _)| !allowed(k));
        if extra || meta.default.is_some() || meta.additional_properties.is_some() {
            ctx.error(
                meta.origin,
                &path,
                "`metadata` at the root may only restrict `name` and `generateName`",
                "the API server owns ObjectMeta's schema",
            );
        }
    }
}

pub fn check_node(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    if path.in_junctor {
        return;
    }
    if s.type_.is_none() && !s.int_or_string && !s.preserve_unknown_fields {
        ctx.error(
            s.marker_loc(MarkerKey::Schemaless).or(origin),
            path,
            "this value has no type, which a structural schema needs",
            "say what it is: `#[crd(schema_type = \"string\")]` (or integer, number, boolean, object, array), or `#[crd(preserve_unknown_fields)]` to accept any JSON",
        );
    }
    if s.int_or_string && s.type_.is_some() {
        ctx.error(
            s.marker_loc(MarkerKey::IntOrString).or(origin),
            path,
            "`x-kubernetes-int-or-string` cannot be combined with a `type`",
            "drop `schema_type` or `int_or_string`",
        );
    }
    if s.properties.as_ref().is_some_and(|p| !p.is_empty()) && s.additional_properties.is_some() {
        ctx.error(
            origin,
            path,
            "`properties` and `additionalProperties` cannot both be set",
            "a struct flattened together with a map cannot be described; use a map field, or `#[crd(preserve_unknown_fields)]`",
        );
    }
    if s.is_type("array") && s.items.is_none() {
        ctx.error(origin, path, "an array needs `items`", "use `Vec<T>` with a concrete T");
    }
    if s.unique_items {
        ctx.error(
            s.marker_loc(MarkerKey::UniqueItems).or(origin),
            path,
            "`uniqueItems: true` is forbidden in apiextensions.k8s.io/v1 (its cost is quadratic)",
            "use `list_type = \"set\"` for a list of unique scalars",
        );
    }
    if s.embedded_resource && !(s.is_type("object") && (s.properties.is_some() || s.preserve_unknown_fields)) {
        ctx.error(
            s.marker_loc(MarkerKey::EmbeddedResource).or(origin),
            path,
            "`x-kubernetes-embedded-resource` needs `type: object` with properties or `x-kubernetes-preserve-unknown-fields`",
            "add `preserve_unknown_fields` next to `embedded_resource`",
        );
    }
    if let Some(f) = &s.format
        && !KNOWN_FORMATS.contains(&f.as_str())
    {
        ctx.warning(
            origin,
            path,
            format!("format `{f}` is not one the API server knows; it is ignored"),
            format!("known formats: {}", KNOWN_FORMATS.join(", ")),
        );
    }
    check_bounds(s, path, origin, ctx);
    check_junctors(s, path, origin, ctx);
    check_list_type(s, path, s.marker_loc(MarkerKey::ListType).or(s.marker_loc(MarkerKey::ListMapKey)).or(origin), ctx);
    if let Some(mt) = &s.map_type {
        let origin = s.marker_loc(MarkerKey::MapType).or(s.marker_loc(MarkerKey::StructType)).or(origin);
        if !s.is_type("object") {
            ctx.error(origin, path, "`x-kubernetes-map-type` applies to objects only", "remove `map_type`/`struct_type` here");
        }
        if mt != "granular" && mt != "atomic" {
            ctx.error(origin, path, format!("`x-kubernetes-map-type: {mt}` is not granular or atomic"), "use \"granular\" or \"atomic\"");
        }
    }
}

/// allOf/anyOf/oneOf/not may hold value validations only (and the int-or-string pattern).
fn check_junctors(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    let children = s.all_of.iter().chain(&s.any_of).chain(&s.one_of).chain(s.not.as_deref());
    for c in children {
        let int_or_string_arm = s.int_or_string && matches!(c.type_.as_deref(), Some("integer" | "string"));
        if (c.type_.is_some() && !int_or_string_arm)
            || c.description.is_some()
            || c.default.is_some()
            || c.additional_properties.is_some()
            || c.nullable
        {
            ctx.error(
                origin,
                path,
                "inside allOf/anyOf/oneOf/not a schema may not set type, description, default, additionalProperties or nullable",
                "put those on the outer schema",
            );
        }
        for k in c.properties.iter().flatten().map(|(k, _)| k) {
            if !s.properties.as_ref().is_some_and(|p| p.contains_key(k)) {
                ctx.error(
                    origin,
                    path,
                    format!("property `{k}` appears in allOf/anyOf/oneOf/not but not in the schema itself"),
                    "declare the property on the object too",
                );
            }
        }
    }
}

/// The finished schema as marker facts. The marker-only rules (`default` with `default_json`,
/// `required` with `optional`) cannot show here: each pair leaves one trace in the schema.
impl crate::markers::rules::Facts for Schema {
    fn has(&self, key: MarkerKey) -> bool {
        match key {
            MarkerKey::ListMapKey => !self.list_map_keys.is_empty(),
            MarkerKey::ListType => self.list_type.is_some(),
            MarkerKey::ExclusiveMinimum => self.exclusive_minimum,
            MarkerKey::ExclusiveMaximum => self.exclusive_maximum,
            MarkerKey::Default => self.default.is_some(),
            _ => self.number(key).is_some(),
        }
    }
    fn text(&self, key: MarkerKey) -> Option<&str> {
        match key {
            MarkerKey::ListType => self.list_type.as_deref(),
            _ => None,
        }
    }
    fn number(&self, key: MarkerKey) -> Option<f64> {
        let count = |n: Option<u64>| n.map(|n| n as f64);
        match key {
            MarkerKey::Minimum => self.minimum.as_ref().and_then(serde_json::Number::as_f64),
            MarkerKey::Maximum => self.maximum.as_ref().and_then(serde_json::Number::as_f64),
            MarkerKey::MinLength => count(self.min_length),
            MarkerKey::MaxLength => count(self.max_length),
            MarkerKey::MinItems => count(self.min_items),
            MarkerKey::MaxItems => count(self.max_items),
            MarkerKey::MinProperties => count(self.min_properties),
            MarkerKey::MaxProperties => count(self.max_properties),
            _ => None,
        }
    }
}

fn is_scalar(s: &Schema) -> bool {
    s.int_or_string || matches!(s.type_.as_deref(), Some("string" | "integer" | "number" | "boolean"))
}

fn check_list_type(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    let Some(lt) = s.list_type.as_deref() else { return };
    if !s.is_type("array") {
        ctx.error(origin, path, "`x-kubernetes-list-type` applies to arrays only", "remove `list_type` here");
        return;
    }
    let Some(items) = s.items.as_deref() else { return };
    match lt {
        "atomic" => {}
        "set" => {
            let atomic_object = items.is_type("object") && items.map_type.as_deref() == Some("atomic");
            let atomic_list = items.is_type("array") && items.list_type.as_deref() == Some("atomic");
            if !(is_scalar(items) || atomic_object || atomic_list) {
                ctx.error(
                    origin,
                    path,
                    "items of a `set` list must be scalars (or atomic objects/lists)",
                    "use `list_type = \"map\"` with `list_map_key` for a list of structs",
                );
            }
        }
        "map" => {
            if !items.is_type("object") {
                ctx.error(
                    origin,
                    path,
                    "items of a `map` list must be objects",
                    "use a Vec of structs, or `list_type = \"set\"` for scalars",
                );
                return;
            }
            for key in &s.list_map_keys {
                match items.properties.as_ref().and_then(|p| p.get(key)) {
                    None => ctx.error(
                        origin,
                        path,
                        format!("list map key `{key}` is not a field of the items"),
                        "name a field of the element struct (by its JSON name)",
                    ),
                    Some(k) => {
                        if !is_scalar(k) {
                            ctx.error(
                                k.origin.or(origin),
                                path,
                                format!("list map key `{key}` must be a scalar (string, integer, number or boolean)"),
                                "key on a scalar field",
                            );
                        }
                        if !items.required.contains(key) && k.default.is_none() {
                            ctx.error(
                                k.origin.or(origin),
                                path,
                                format!("list map key `{key}` must be required or have a default"),
                                "make the field non-optional (no `Option`, no serde default), or give it `#[crd(default = ..)]`",
                            );
                        }
                    }
                }
            }
        }
        other => ctx.error(origin, path, format!("`x-kubernetes-list-type: {other}` is not atomic, set or map"), "use one of those"),
    }
}

/// Bounds that no value can satisfy, or that mean nothing.
fn check_bounds(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    // The marker rules, on the schema where a type's and a field's markers have been combined.
    for v in crate::markers::rules::check(s) {
        ctx.error(s.marker_loc(v.at).or(origin), path, v.message, v.help);
    }
    if let Some(why) = empty_numeric_range(s) {
        let at = s
            .marker_loc(MarkerKey::MultipleOf)
            .or(s.marker_loc(MarkerKey::ExclusiveMaximum))
            .or(s.marker_loc(MarkerKey::Maximum))
            .or(origin);
        ctx.error(
            at,
            path,
            format!("no value satisfies these bounds: {why}"),
            "widen the range (`minimum`/`maximum`), drop an `exclusive_*`, or change `multiple_of`",
        );
    }
    if let Some(m) = s.multiple_of.as_ref().and_then(|n| n.as_f64())
        && m <= 0.0
    {
        ctx.error(
            s.marker_loc(MarkerKey::MultipleOf).or(origin),
            path,
            format!("`multiple_of` must be greater than 0, not {m}"),
            "use a positive number",
        );
    }
}

/// A range that is empty although `minimum <= maximum`: equal exclusive bounds, no integer
/// between them, or no multiple of `multiple_of` inside.
fn empty_numeric_range(s: &Schema) -> Option<String> {
    let (lo, hi) = (s.minimum.as_ref()?.as_f64()?, s.maximum.as_ref()?.as_f64()?);
    if lo > hi {
        return None; // reported as min above max
    }
    if lo == hi && (s.exclusive_minimum || s.exclusive_maximum) {
        return Some(format!("the only value, {lo}, is excluded"));
    }
    if !s.is_type("integer") {
        return None;
    }
    let first = if s.exclusive_minimum && lo.fract() == 0.0 { lo + 1.0 } else { lo.ceil() };
    let last = if s.exclusive_maximum && hi.fract() == 0.0 { hi - 1.0 } else { hi.floor() };
    if first > last {
        return Some(format!("no integer lies between {lo} and {hi}"));
    }
    if let Some(m) = s.multiple_of.as_ref().and_then(|n| n.as_f64())
        && m > 0.0
        && m.fract() == 0.0
        && (first / m).ceil() * m > last
    {
        return Some(format!("no multiple of {m} lies between {first} and {last}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{assert_error, assert_warning, spec_with_field as field};

    #[test]
    fn each_structural_rule_at_the_marker() {
        assert_error(&field("schemaless", "String"), "this value has no type, which a structural schema needs", 4);
        assert_error(&field("unique_items", "Vec<String>"), "`uniqueItems: true` is forbidden in apiextensions.k8s.io/v1", 4);
        assert_error(&field("minimum = 5, maximum = 1", "i32"), "`minimum` (5) is greater than `maximum` (1)", 4);
        assert_warning(&field("format = \"no-such-format\"", "String"), "format `no-such-format` is not one the API server knows", 4);
    }
}
