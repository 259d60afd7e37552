//! Schema markers applied to a generated schema. A type's markers are applied where the type is
//! lowered, a field's markers after that, so the field's win. Each marker is checked against the
//! kind of schema it lands on, with the words the derive uses at compile time.

use super::Lowerer;
use crate::markers::Marker;
use crate::markers::check::{ValueShape, check_applies};
use crate::schema::{Schema, ValidationRule};
use crate::source::Scope;

/// `description = ""` means no description (as a Go type without a doc comment), not an empty one.
fn description(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}

pub fn apply(lw: &mut Lowerer, scope: Scope, schema: &mut Schema, markers: &[Marker], type_text: &str) {
    let mut errors = Vec::new();
    // Markers that change what the value is come first; the rest check against the result.
    for m in markers {
        match m.name() {
            "schemaless" if m.as_bool() => {
                *schema = Schema { description: schema.description.take(), ..Schema::default() };
            }
            "schema_type" => {
                let t = m.as_str().unwrap_or_default().to_string();
                if !schema.is_type(&t) {
                    *schema = Schema { description: schema.description.take(), ..Schema::typed(&t) };
                }
            }
            "int_or_string" if m.as_bool() => {
                *schema = Schema { description: schema.description.take(), ..super::known::int_or_string() };
            }
            _ => {}
        }
    }
    for m in markers {
        let shape = if schema.int_or_string { ValueShape::Unknown } else { ValueShape::from_schema_type(schema.type_.as_deref()) };
        if let Some(e) = check_applies(m, shape, type_text) {
            errors.push(e);
            continue;
        }
        let loc = lw.loc(scope, m.span);
        schema.marker_locs.push((m.name(), loc));
        let num = || m.as_json().and_then(|v| v.as_number().cloned());
        let count = || m.as_json().and_then(|v| v.as_u64());
        let text = || m.as_str().map(str::to_string);
        match m.name() {
            "description" => schema.description = description(text()),
            "title" => schema.title = text(),
            "minimum" => schema.minimum = num(),
            "maximum" => schema.maximum = num(),
            "exclusive_minimum" => schema.exclusive_minimum = m.as_bool(),
            "exclusive_maximum" => schema.exclusive_maximum = m.as_bool(),
            "multiple_of" => schema.multiple_of = num(),
            "min_length" => schema.min_length = count(),
            "max_length" => schema.max_length = count(),
            "pattern" => schema.pattern = text(),
            "format" => schema.format = text(),
            "min_items" => schema.min_items = count(),
            "max_items" => schema.max_items = count(),
            "unique_items" => schema.unique_items = m.as_bool(),
            "min_properties" => schema.min_properties = count(),
            "max_properties" => schema.max_properties = count(),
            "enum_values" => schema.enum_ = m.as_json().and_then(|v| v.as_array().cloned()),
            "nullable" => schema.nullable = m.as_bool(),
            // controller-gen's `{}` means empty of whatever the field is: `[]` for a list.
            "default"
                if m.from_go && schema.is_type("array") && m.as_json().is_some_and(|v| v.as_object().is_some_and(|o| o.is_empty())) =>
            {
                schema.default = Some(serde_json::Value::Array(Vec::new()))
            }
            "default" | "default_json" => schema.default = m.as_json().cloned(),
            "example" => schema.example = m.as_json().cloned(),
            "preserve_unknown_fields" => schema.preserve_unknown_fields = m.as_bool(),
            "embedded_resource" => {
                schema.embedded_resource = m.as_bool();
                if schema.type_.is_none() {
                    schema.type_ = Some("object".into());
                }
            }
            "list_type" => schema.list_type = text(),
            "list_map_key" => {
                if let Some(k) = text()
                    && !schema.list_map_keys.contains(&k)
                {
                    schema.list_map_keys.push(k);
                }
            }
            "map_type" | "struct_type" => schema.map_type = text(),
            "validation" => schema.validations.push(validation_rule(m, loc)),
            "external_docs" => {
                schema.external_docs = Some(crate::schema::ExternalDocs {
                    description: m.get_str("description").map(str::to_string),
                    url: m.get_str("url").unwrap_or_default().to_string(),
                })
            }
            "immutable" if m.as_bool() => schema.validations.push(ValidationRule {
                rule: "self == oldSelf".into(),
                message: Some("field is immutable".into()),
                origin: Some(loc),
                ..ValidationRule::default()
            }),
            "items" => {
                if let Some(items) = schema.items.as_deref_mut() {
                    let inner_text = format!("the items of `{type_text}`");
                    apply(lw, scope, items, m.inner(), &inner_text);
                }
            }
            // Resource markers, field-only markers and the type-changing ones above.
            _ => {}
        }
    }
    lw.marker_errors(scope, errors);
}

/// The `x-kubernetes-validations` entry of a `validation(..)` marker written at `loc`.
pub fn validation_rule(m: &Marker, loc: crate::diag::Loc) -> ValidationRule {
    ValidationRule {
        rule: m.get_str("rule").unwrap_or_default().to_string(),
        message: m.get_str("message").map(str::to_string),
        message_expression: m.get_str("message_expression").map(str::to_string),
        reason: m.get_str("reason").map(str::to_string),
        field_path: m.get_str("field_path").map(str::to_string),
        optional_old_self: m.get("optional_old_self").map(Marker::as_bool).filter(|b| *b),
        origin: Some(loc),
    }
}

#[cfg(test)]
mod tests {
    use super::description;

    #[test]
    fn empty_description_marker_removes_the_description() {
        assert_eq!(description(Some(String::new())), None);
        assert_eq!(description(Some("text".into())).as_deref(), Some("text"));
        assert_eq!(description(None), None);
    }
}
