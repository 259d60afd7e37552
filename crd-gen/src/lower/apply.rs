//! Schema markers applied to a generated schema. A type's markers are applied where the type is
//! lowered, a field's markers after that, so the field's win. Each marker is checked against the
//! kind of schema it lands on, with the words the derive uses at compile time.
//!
//! [`apply_one`] matches every key of the vocabulary: a marker added there without saying here
//! what it does to a schema does not compile.

use super::Lowerer;
use crate::diag::Loc;
use crate::markers::check::{ValueShape, applies, check_applies};
use crate::markers::vocab::TypeEffect;
use crate::markers::{ArgKey, Literal, Marker, MarkerKey, Number};
use crate::schema::{Schema, ValidationRule};
use crate::source::Scope;

/// `description = ""` means no description (as a Go type without a doc comment), not an empty one.
fn description(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}

/// Applies `markers` to `schema`. `type_text` names the Rust type in messages: written out only
/// for one (most fields have no problem, and printing a type is most of what this costs them).
pub fn apply(lw: &mut Lowerer, scope: Scope, schema: &mut Schema, markers: &[Marker], type_text: &dyn Fn() -> String) {
    let mut errors = Vec::new();
    // Markers that change what the value is come first; the rest check against the result.
    let replacing = markers.iter().filter(|m| m.def.effect == TypeEffect::Replaces);
    for m in replacing.chain(markers.iter().filter(|m| m.def.effect != TypeEffect::Replaces)) {
        let shape = if schema.int_or_string { ValueShape::Unknown } else { ValueShape::from_schema_type(schema.type_.as_deref()) };
        if !applies(m, shape) {
            errors.extend(check_applies(m, shape, &type_text()));
            continue;
        }
        let loc = lw.loc(scope, m.span);
        schema.marker_locs.push((m.key(), loc));
        apply_one(lw, scope, schema, m, loc, type_text);
    }
    lw.marker_errors(scope, errors);
}

/// What marker `m`, written at `loc`, does to `schema`.
fn apply_one(lw: &mut Lowerer, scope: Scope, schema: &mut Schema, m: &Marker, loc: Loc, type_text: &dyn Fn() -> String) {
    use MarkerKey::*;
    let num = || m.as_number().map(json_number);
    let count = || m.as_count();
    let text = || m.as_str().map(str::to_string);
    let literal = || m.as_literal().map(json);
    match m.key() {
        Schemaless => {
            if m.as_bool() {
                replace(schema, Schema::default());
            }
        }
        SchemaType => {
            let t = m.as_str().unwrap_or_default().to_string();
            if !schema.is_type(&t) {
                replace(schema, Schema::typed(&t));
            }
        }
        IntOrString => {
            if m.as_bool() {
                replace(schema, super::known::int_or_string());
            }
        }
        Description => schema.description = description(text()),
        Title => schema.title = text(),
        Minimum => schema.minimum = num(),
        Maximum => schema.maximum = num(),
        ExclusiveMinimum => schema.exclusive_minimum = m.as_bool(),
        ExclusiveMaximum => schema.exclusive_maximum = m.as_bool(),
        MultipleOf => schema.multiple_of = num(),
        MinLength => schema.min_length = count(),
        MaxLength => schema.max_length = count(),
        Pattern => schema.pattern = text(),
        Format => schema.format = text(),
        MinItems => schema.min_items = count(),
        MaxItems => schema.max_items = count(),
        UniqueItems => schema.unique_items = m.as_bool(),
        MinProperties => schema.min_properties = count(),
        MaxProperties => schema.max_properties = count(),
        EnumValues => schema.enum_ = literal().and_then(|v| v.as_array().cloned()),
        Nullable => schema.nullable = m.as_bool(),
        // controller-gen's `{}` means empty of whatever the field is: `[]` for a list.
        Default if m.from_go && schema.is_type("array") && m.as_literal().is_some_and(Literal::is_empty_object) => {
            schema.default = Some(serde_json::Value::Array(Vec::new()))
        }
        Default | DefaultJson => schema.default = literal(),
        Example => schema.example = literal(),
        PreserveUnknownFields => schema.preserve_unknown_fields = m.as_bool(),
        EmbeddedResource => {
            schema.embedded_resource = m.as_bool();
            if schema.type_.is_none() {
                schema.type_ = Some("object".into());
            }
        }
        ListType => schema.list_type = text(),
        ListMapKey => {
            if let Some(k) = text()
                && !schema.list_map_keys.contains(&k)
            {
                schema.list_map_keys.push(k);
            }
        }
        MapType | StructType => schema.map_type = text(),
        Validation => schema.validations.push(validation_rule(m, loc)),
        ExternalDocs => {
            schema.external_docs = Some(crate::schema::ExternalDocs {
                description: m.arg_str(ArgKey::Description).map(str::to_string),
                url: m.arg_str(ArgKey::Url).unwrap_or_default().to_string(),
            })
        }
        Immutable => {
            if m.as_bool() {
                schema.validations.push(ValidationRule {
                    rule: "self == oldSelf".into(),
                    message: Some("field is immutable".into()),
                    origin: Some(loc),
                    ..ValidationRule::default()
                })
            }
        }
        Items => {
            if let Some(items) = schema.items.as_deref_mut() {
                apply(lw, scope, items, m.items(), &|| format!("the items of `{}`", type_text()));
            }
        }
        // Whether the field is in the object, and required there: `object.rs`.
        Required | Optional | Skip => {}
        // Resource markers, on the spec struct: `assemble/`.
        Group | Version | Kind | Status | StatusSubresource | SpecRequired | Scope | Plural | Singular | ListKind | ShortName
        | Category | Scale | Printcolumn | SkipVersion | StorageVersion | Served | Deprecated | SelectableField | Root | Annotation
        | Label | RootType | NoRootType => {}
    }
}

/// `schema` becomes `with` (a marker says what the value is), keeping its description and where
/// its markers were written, so a problem with the new schema points at the marker that made it.
fn replace(schema: &mut Schema, with: Schema) {
    *schema = Schema { description: schema.description.take(), marker_locs: std::mem::take(&mut schema.marker_locs), ..with };
}

/// The `x-kubernetes-validations` entry of a `validation(..)` marker written at `loc`.
pub fn validation_rule(m: &Marker, loc: Loc) -> ValidationRule {
    let text = |key| m.arg_str(key).map(str::to_string);
    ValidationRule {
        rule: text(ArgKey::Rule).unwrap_or_default(),
        message: text(ArgKey::Message),
        message_expression: text(ArgKey::MessageExpression),
        reason: text(ArgKey::Reason),
        field_path: text(ArgKey::FieldPath),
        optional_old_self: m.arg(ArgKey::OptionalOldSelf).map(|a| a.as_bool()).filter(|b| *b),
        origin: Some(loc),
    }
}

/// A marker's literal as JSON.
pub fn json(l: &Literal) -> serde_json::Value {
    use serde_json::Value as J;
    match l {
        Literal::Null => J::Null,
        Literal::Bool(b) => J::Bool(*b),
        Literal::Number(n) => J::Number(json_number(*n)),
        Literal::String(s) => J::String(s.clone()),
        Literal::Array(items) => J::Array(items.iter().map(json).collect()),
        Literal::Object(pairs) => J::Object(pairs.iter().map(|(k, v)| (k.clone(), json(v))).collect()),
    }
}

fn json_number(n: Number) -> serde_json::Number {
    match n {
        Number::UInt(u) => u.into(),
        Number::Int(i) => i.into(),
        // Finite by construction (the readers refuse the rest).
        Number::Float(f) => serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::description;
    use crate::pipeline::assert_error;

    /// The type is written out only for a message; these are the messages.
    #[test]
    fn a_marker_that_cannot_apply_names_the_type_and_its_items() {
        let src = |field: &str| {
            format!("#[derive(CustomResource)]\n#[crd(group = \"example.com\", version = \"v1\")]\npub struct ASpec {{\n{field}\n}}\n")
        };
        assert_error(
            &src("    #[crd(min_length = 1)]\n    pub n: Option<i32>,"),
            "`min_length` applies to strings, but `Option<i32>` is an integer",
            4,
        );
        assert_error(
            &src("    #[crd(items(maximum = 3))]\n    pub tags: Vec<String>,"),
            "`maximum` applies to integers and numbers, but `the items of `Vec<String>`` is a string",
            4,
        );
    }

    #[test]
    fn empty_description_marker_removes_the_description() {
        assert_eq!(description(Some(String::new())), None);
        assert_eq!(description(Some("text".into())).as_deref(), Some("text"));
        assert_eq!(description(None), None);
    }
}
