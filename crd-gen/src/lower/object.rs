//! An object schema built field by field: properties under serde's names (two fields with one
//! name are an error), `required` as serde (or the markers, or the module docs) says, and what
//! flattened fields bring (`flatten.rs`).

use super::{Env, Lowered, Lowerer, flatten};
use crate::attrs::Field;
use crate::markers::MarkerKey;
use crate::schema::{Schema, ValidationRule};
use crate::validate::cel::escape::escape;
use indexmap::IndexMap;

pub struct Object {
    properties: IndexMap<String, Schema>,
    /// JSON name -> the Rust field that took it, to name both when two collide.
    taken: Vec<(String, String)>,
    required: Vec<String>,
    /// Rules that keep an optional immutable field from being removed.
    once_set: Vec<ValidationRule>,
    flattened: Vec<flatten::Part>,
    own_fields: usize,
    /// The module docs make fields optional unless marked `required`.
    package_optional: bool,
    /// `#[serde(default)]` on the struct: every field may be missing.
    container_default: bool,
}

impl Object {
    pub fn new(package_optional: bool, container_default: bool) -> Object {
        Object {
            properties: IndexMap::new(),
            taken: Vec::new(),
            required: Vec::new(),
            once_set: Vec::new(),
            flattened: Vec::new(),
            own_fields: 0,
            package_optional,
            container_default,
        }
    }

    /// A field of its own: a property under its serde name.
    pub fn add_field(&mut self, lw: &mut Lowerer, env: &Env, field: &Field, lowered: Lowered) {
        self.own_fields += 1;
        let name = field.name.clone();
        let has_default = field.default || self.container_default;
        let optional_by_serde = lowered.optional || has_default || field.skip_serializing_if || field.skip_deserializing;
        let is_required = if field.crd.flag(MarkerKey::Required) {
            true
        } else if field.crd.flag(MarkerKey::Optional) || self.package_optional {
            false
        } else {
            !optional_by_serde
        };
        if !self.take(lw, env, field, &name, "has") {
            return;
        }
        if is_required {
            self.required.push(name.clone());
        } else if field.crd.flag(MarkerKey::Immutable)
            && let Some(f) = escape(&name)
        {
            // An optional immutable field may not be removed once set either.
            self.once_set.push(ValidationRule {
                rule: format!("!has(oldSelf.{f}) || has(self.{f})"),
                message: Some(format!("field {name} is immutable once set")),
                origin: lowered.schema.origin,
                ..Default::default()
            });
        }
        self.properties.insert(name, lowered.schema);
    }

    /// A `#[serde(flatten)]` field: its properties join this object's; the rest is carried at
    /// the end, when the object's other fields are known.
    pub fn add_flattened(&mut self, lw: &mut Lowerer, env: &Env, field: &Field, lowered: Lowered) {
        let inner = lowered.schema;
        if inner.int_or_string || inner.type_.as_deref().is_some_and(|t| t != "object") {
            let type_text = field.type_text();
            let what = if inner.int_or_string { "int-or-string" } else { inner.type_.as_deref().unwrap_or("?") };
            lw.error(
                env.scope,
                field.span,
                format!("field `{}` is `#[serde(flatten)]`, which needs a struct or map, but `{type_text}` is {what}", field.member),
                "serde fails on this at run time; flatten a struct (its fields join this object) or a String-keyed map",
            );
            return;
        }
        for (k, v) in inner.properties.iter().flatten() {
            if self.take(lw, env, field, k, "brings") {
                self.properties.insert(k.clone(), v.clone());
            }
        }
        if !lowered.optional {
            self.required.extend(inner.required.iter().cloned());
        }
        self.flattened.push(flatten::Part {
            field: field.member.clone(),
            loc: lw.loc(env.scope, field.span),
            schema: inner,
            optional: lowered.optional,
            preserve_marker: field.crd.flag(MarkerKey::PreserveUnknownFields),
        });
    }

    /// Claims JSON name `name` for `field`; false (after an error naming both) if it is taken.
    fn take(&mut self, lw: &mut Lowerer, env: &Env, field: &Field, name: &str, verb: &str) -> bool {
        let me = field.member.clone();
        if let Some((_, first)) = self.taken.iter().find(|(n, _)| n == name) {
            let (what, help) = if verb == "has" {
                ("field", "serde writes both under the same key; rename one with `#[serde(rename = \"..\")]`")
            } else {
                ("flattened field", "serde gives the key to one of them only; rename one with `#[serde(rename = \"..\")]`")
            };
            lw.error(
                env.scope,
                field.span,
                format!("{what} `{me}` {verb} the JSON name `{name}`, which field `{first}` already uses"),
                help,
            );
            return false;
        }
        self.taken.push((name.to_string(), me));
        true
    }

    pub fn finish(mut self, lw: &mut Lowerer, env: &Env) -> Schema {
        let mut schema = Schema::object();
        // Kept until the run's end, a thousand CRDs' worth: without the room grown into.
        self.properties.shrink_to_fit();
        schema.properties = if self.properties.is_empty() { None } else { Some(self.properties) };
        schema.required = self.required;
        let carried = flatten::carry(lw, env.scope, self.flattened, self.own_fields);
        schema.preserve_unknown_fields = carried.preserve_unknown_fields;
        schema.validations.extend(carried.validations);
        if let Some(only) = carried.only {
            // The object is one flattened value: its object-level markers are the object's.
            schema.validations.extend(only.validations);
            schema.min_properties = only.min_properties;
            schema.max_properties = only.max_properties;
            schema.map_type = only.map_type;
            schema.additional_properties = only.additional_properties;
            schema.preserve_unknown_fields |= only.preserve_unknown_fields;
            schema.marker_locs.extend(only.marker_locs);
        }
        schema.validations.extend(self.once_set);
        schema
    }
}
