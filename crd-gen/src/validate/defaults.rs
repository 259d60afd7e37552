//! Defaults and enum values checked against their own schema, as the API server does when it
//! admits a CRD: a default is pruned and defaulted, then validated; an invalid one is rejected.

use super::{Ctx, Path};
use crate::diag::Loc;
use crate::markers::MarkerKey;
use crate::schema::Schema;
use serde_json::Value;

pub fn check_node(s: &Schema, path: &Path, origin: Option<Loc>, ctx: &mut Ctx) {
    if let Some(default) = &s.default {
        let origin = s.marker_loc(MarkerKey::Default).or(s.marker_loc(MarkerKey::DefaultJson)).or(origin);
        if path.in_junctor {
            ctx.error(origin, path, "defaults are not allowed inside allOf/anyOf/oneOf/not", "put the default on the field itself");
        } else {
            let mut value = default.clone();
            apply_defaults(&mut value, s);
            let mut problems = Vec::new();
            value_errors(&value, s, "", &mut problems, true);
            if let Some(first) = problems.first() {
                ctx.error(
                    origin,
                    path,
                    format!("default `{}` is not valid for its own schema: {first}", compact(default)),
                    "change the default so that it satisfies the field's type and markers (the API server rejects the CRD otherwise)",
                );
            }
        }
    }
    if let Some(values) = &s.enum_ {
        let origin = s.marker_loc(MarkerKey::EnumValues).or(origin);
        let bare = Schema { enum_: None, default: None, ..s.clone() };
        for v in values {
            let mut problems = Vec::new();
            value_errors(v, &bare, "", &mut problems, false);
            if let Some(first) = problems.first() {
                ctx.error(
                    origin,
                    path,
                    format!("enum value `{}` does not fit the schema: {first}", compact(v)),
                    "every enum value must have the field's type",
                );
            }
        }
    }
    if let Some(p) = &s.pattern
        && let Err(msg) = super::regexes::compiled(p).as_ref()
    {
        let origin = s.marker_loc(MarkerKey::Pattern).or(origin);
        let last = msg.lines().last().unwrap_or("");
        ctx.error(
            origin,
            path,
            format!("pattern `{p}` is not a valid regular expression: {last}"),
            "the API server compiles patterns with Go's RE2 syntax (no lookaround, no backreferences)",
        );
    }
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 { format!("{}…", &s[..s.char_indices().nth(57).map(|(i, _)| i).unwrap_or(s.len())]) } else { s }
}

/// Fills in the defaults of missing properties, as the server does before validating.
pub fn apply_defaults(v: &mut Value, s: &Schema) {
    match v {
        Value::Object(map) => {
            for (k, ps) in s.properties.iter().flatten() {
                match map.get_mut(k) {
                    Some(child) => apply_defaults(child, ps),
                    None => {
                        if let Some(d) = &ps.default {
                            let mut d = d.clone();
                            apply_defaults(&mut d, ps);
                            map.insert(k.clone(), d);
                        }
                    }
                }
            }
            if let Some(ap) = &s.additional_properties {
                for child in map.values_mut() {
                    apply_defaults(child, ap);
                }
            }
        }
        Value::Array(items) => {
            if let Some(is) = &s.items {
                for child in items {
                    apply_defaults(child, is);
                }
            }
        }
        _ => {}
    }
}

/// Why `v` fails `s` (empty when it passes). With `unknown_fields`, fields the schema does not
/// name are errors (the server would prune them from a default and then reject it).
pub fn value_errors(v: &Value, s: &Schema, at: &str, out: &mut Vec<String>, unknown_fields: bool) {
    let here = if at.is_empty() { String::new() } else { format!("{at}: ") };
    if v.is_null() {
        if !s.nullable {
            out.push(format!("{here}null is not allowed (add `nullable`)"));
        }
        return;
    }
    if !type_matches(v, s, &here, out) {
        return;
    }
    if let Some(e) = &s.enum_
        && !e.iter().any(|x| json_eq(x, v))
    {
        let allowed: Vec<String> = e.iter().map(|x| x.to_string()).collect();
        out.push(format!("{here}must be one of {}", allowed.join(", ")));
    }
    match v {
        Value::Number(n) => number_errors(n.as_f64().unwrap_or(0.0), s, &here, out),
        Value::String(text) => string_errors(text, s, &here, out),
        Value::Array(items) => array_errors(items, s, at, &here, out, unknown_fields),
        Value::Object(map) => object_errors(map, s, at, &here, out, unknown_fields),
        _ => {}
    }
}

/// The value's JSON type against `type` (int-or-string takes either); false when it does not
/// match, so the value's other rules are not checked against a type it does not have.
fn type_matches(v: &Value, s: &Schema, here: &str, out: &mut Vec<String>) -> bool {
    if s.int_or_string {
        if !(v.is_string() || is_integer(v)) {
            out.push(format!("{here}must be an integer or a string"));
        }
        return true;
    }
    let Some(t) = &s.type_ else { return true };
    let ok = match t.as_str() {
        "integer" => is_integer(v),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => true,
    };
    if !ok {
        out.push(format!("{here}must be of type {t}"));
    }
    ok
}

fn number_errors(x: f64, s: &Schema, here: &str, out: &mut Vec<String>) {
    if let Some(min) = s.minimum.as_ref().and_then(|m| m.as_f64())
        && (x < min || (s.exclusive_minimum && x == min))
    {
        out.push(format!("{here}must be {} {min}", if s.exclusive_minimum { ">" } else { ">=" }));
    }
    if let Some(max) = s.maximum.as_ref().and_then(|m| m.as_f64())
        && (x > max || (s.exclusive_maximum && x == max))
    {
        out.push(format!("{here}must be {} {max}", if s.exclusive_maximum { "<" } else { "<=" }));
    }
    if let Some(m) = s.multiple_of.as_ref().and_then(|m| m.as_f64())
        && m != 0.0
        && ((x / m).round() * m - x).abs() > 1e-9
    {
        out.push(format!("{here}must be a multiple of {m}"));
    }
}

fn string_errors(text: &str, s: &Schema, here: &str, out: &mut Vec<String>) {
    let len = text.chars().count() as u64;
    if s.min_length.is_some_and(|m| len < m) {
        out.push(format!("{here}must be at least {} characters", s.min_length.unwrap_or(0)));
    }
    if s.max_length.is_some_and(|m| len > m) {
        out.push(format!("{here}must be at most {} characters", s.max_length.unwrap_or(0)));
    }
    if let Some(p) = &s.pattern
        && let Ok(re) = super::regexes::compiled(p).as_ref()
        && !re.is_match(text)
    {
        out.push(format!("{here}must match the pattern `{p}`"));
    }
}

fn array_errors(items: &[Value], s: &Schema, at: &str, here: &str, out: &mut Vec<String>, unknown_fields: bool) {
    let n = items.len() as u64;
    if s.min_items.is_some_and(|m| n < m) {
        out.push(format!("{here}must have at least {} items", s.min_items.unwrap_or(0)));
    }
    if s.max_items.is_some_and(|m| n > m) {
        out.push(format!("{here}must have at most {} items", s.max_items.unwrap_or(0)));
    }
    if let Some(is) = &s.items {
        for (i, item) in items.iter().enumerate() {
            value_errors(item, is, &format!("{at}[{i}]"), out, unknown_fields);
        }
    }
    match s.list_type.as_deref() {
        Some("set") => {
            for (i, a) in items.iter().enumerate() {
                if items[..i].iter().any(|b| json_eq(a, b)) {
                    out.push(format!("{here}duplicate item {a} in a set list"));
                }
            }
        }
        Some("map") => {
            let keys: Vec<Vec<Option<&Value>>> = items.iter().map(|it| s.list_map_keys.iter().map(|k| it.get(k)).collect()).collect();
            for (i, k) in keys.iter().enumerate() {
                if keys[..i].contains(k) {
                    out.push(format!("{here}duplicate map-list key in item {i}"));
                }
            }
        }
        _ => {}
    }
}

fn object_errors(map: &serde_json::Map<String, Value>, s: &Schema, at: &str, here: &str, out: &mut Vec<String>, unknown_fields: bool) {
    let n = map.len() as u64;
    if s.min_properties.is_some_and(|m| n < m) {
        out.push(format!("{here}must have at least {} properties", s.min_properties.unwrap_or(0)));
    }
    if s.max_properties.is_some_and(|m| n > m) {
        out.push(format!("{here}must have at most {} properties", s.max_properties.unwrap_or(0)));
    }
    for r in &s.required {
        if !map.contains_key(r) {
            out.push(format!("{here}missing required field `{r}`"));
        }
    }
    for (k, child) in map {
        let child_at = format!("{at}.{k}");
        if let Some(ps) = s.properties.as_ref().and_then(|p| p.get(k)) {
            value_errors(child, ps, &child_at, out, unknown_fields);
        } else if let Some(ap) = &s.additional_properties {
            value_errors(child, ap, &child_at, out, unknown_fields);
        } else if unknown_fields && !s.preserve_unknown_fields && !s.embedded_resource {
            out.push(format!("{here}unknown field `{k}` (the API server would prune it)"));
        }
    }
}

fn is_integer(v: &Value) -> bool {
    v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{assert_error, spec_with_field as field};

    #[test]
    fn each_value_rule_at_the_marker() {
        assert_error(&field("default = \"abc\", max_length = 2", "String"), "default `\"abc\"` is not valid for its own schema", 4);
        assert_error(&field("enum_values = [\"a\", 3]", "String"), "enum value `3` does not fit the schema", 4);
        assert_error(&field("pattern = \"(\"", "String"), "pattern `(` is not a valid regular expression", 4);
    }
}
