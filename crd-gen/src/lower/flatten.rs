//! `#[serde(flatten)]`: the flattened value's fields become the parent object's, so its schema
//! node disappears. Its properties and required fields join the parent (in `structs.rs`); here,
//! what it says about itself as an object is carried into the parent where it keeps its meaning,
//! and refused at the marker that said it where it cannot:
//!
//! - a CEL rule that uses `self` (and `oldSelf`) only to select fields means the same on the
//!   parent, whose fields include them; one that uses the value whole (`self == oldSelf`,
//!   `size(self)`, `self.all(..)`) would see the parent's other fields too;
//! - `min_properties`/`max_properties` count the parent's keys, so they become a rule counting
//!   the flattened value's own fields;
//! - `preserve_unknown_fields` carries (unknown keys are the parent's now);
//! - `struct_type = "atomic"`, a default, `nullable` and the like describe the value as a
//!   whole, which the parent is not;
//! - a flattened map takes every key the parent's fields do not: a structural schema has no
//!   "other keys" beside `properties`, so unless its values are any JSON (then the parent keeps
//!   unknown fields, exactly) it is refused, or taken as `preserve_unknown_fields` where the field
//!   says so.
//!
//! A flattened `Option<T>` is `None` when T cannot be read from the parent's keys, so its rules
//! hold only when T's required fields are there (or, with none, when any of its fields is).

use super::Lowerer;
use crate::diag::Loc;
use crate::markers::MarkerKey;
use crate::schema::{Schema, ValidationRule};
use crate::validate::cel::escape::escape;

/// One flattened field, lowered, waiting to be carried into its parent.
pub struct Part {
    pub field: String,
    pub loc: Loc,
    pub schema: Schema,
    pub optional: bool,
    /// The field says `#[crd(preserve_unknown_fields)]`: a flattened map may widen to that.
    pub preserve_marker: bool,
}

/// What the parent object gets from its flattened parts (besides their properties).
#[derive(Default)]
pub struct Carried {
    pub validations: Vec<ValidationRule>,
    pub preserve_unknown_fields: bool,
    /// The whole object is one flattened struct's: its object-level markers apply unchanged.
    pub only: Option<Schema>,
}

/// Carries what each flattened part says about itself into the parent; `own_fields` is how many
/// properties the parent has besides the flattened ones.
pub fn carry(lw: &mut Lowerer, scope: crate::source::Scope, parts: Vec<Part>, own_fields: usize) -> Carried {
    let mut out = Carried::default();
    let alone = own_fields == 0 && parts.len() == 1;
    for part in parts {
        if is_map(&part.schema) {
            map_part(lw, &part, &mut out, alone);
            continue;
        }
        if part.schema.preserve_unknown_fields {
            out.preserve_unknown_fields = true;
        }
        let is_alone = alone && !part.optional;
        for problem in whole_value_markers(&part, is_alone) {
            report(lw, scope, problem);
        }
        if is_alone {
            // Nothing else shares the object: its object-level markers mean what they said.
            out.only = Some(part.schema);
            continue;
        }
        let guard = presence_guard(&part);
        for rule in &part.schema.validations {
            match fields_only(rule) {
                Ok(()) => out.validations.push(guarded(rule, guard.as_deref())),
                Err(why) => report(lw, scope, Problem::rule(&part, rule, why)),
            }
        }
        match count_rules(&part) {
            Ok(rules) => out.validations.extend(rules.into_iter().map(|r| guarded(&r, guard.as_deref()))),
            Err(p) => report(lw, scope, p),
        }
    }
    out
}

/// A problem at the marker that caused it.
struct Problem {
    loc: Loc,
    message: String,
    help: String,
}

impl Problem {
    fn rule(part: &Part, rule: &ValidationRule, why: String) -> Problem {
        Problem {
            loc: rule.origin.unwrap_or(part.loc),
            message: format!(
                "CEL rule `{}` cannot move into the object `{}` is flattened into: {why}",
                rule.rule, part.field
            ),
            help: "select the flattened fields (`self.a < self.b`, `has(self.c)`), which the parent has too; or put the rule on the parent, or do not flatten".into(),
        }
    }
}

fn report(lw: &mut Lowerer, _scope: crate::source::Scope, p: Problem) {
    let d = crate::diag::Diagnostic::error(p.message, crate::diag::Place::Source(p.loc)).with_help(p.help);
    lw.res.diags.push(d);
}

fn is_map(s: &Schema) -> bool {
    s.additional_properties.is_some() && s.properties.as_ref().is_none_or(|p| p.is_empty())
}

/// A flattened map takes every key the parent's fields leave.
fn map_part(lw: &mut Lowerer, part: &Part, out: &mut Carried, alone: bool) {
    let values = part.schema.additional_properties.as_deref().expect("a map");
    let any_json = values.preserve_unknown_fields && values.type_.is_none() && values.validations.is_empty();
    if alone && !part.optional {
        out.only = Some(part.schema.clone());
    } else if any_json || part.preserve_marker {
        out.preserve_unknown_fields = true;
        // The map's own limits count the parent's keys too; with any JSON they were a count of
        // the flattened map's entries only, which no rule on the parent can see.
        if part.schema.min_properties.is_some() || part.schema.max_properties.is_some() || !part.schema.validations.is_empty() {
            lw.res.diags.push(
                crate::diag::Diagnostic::error(
                    format!(
                        "the limits and rules of flattened map `{}` cannot move into its parent, where its entries are unknown fields",
                        part.field
                    ),
                    crate::diag::Place::Source(
                        part.schema
                            .marker_loc(MarkerKey::MaxProperties)
                            .or(part.schema.marker_loc(MarkerKey::MinProperties))
                            .unwrap_or(part.loc),
                    ),
                )
                .with_help("make it a map field of its own (without `#[serde(flatten)]`) to keep them"),
            );
        }
    } else {
        lw.res.diags.push(
            crate::diag::Diagnostic::error(
                format!(
                    "flattened map `{}` beside other fields has no structural schema: its keys are all the keys the other fields do not take, and a schema cannot say \"every other key\" beside `properties`",
                    part.field
                ),
                crate::diag::Place::Source(part.loc),
            )
            .with_help("make it a map field of its own (without `#[serde(flatten)]`); or accept any value under other keys with `#[crd(preserve_unknown_fields)]` on this field (its value type is then not checked); a map of `serde_json::Value` is exactly that"),
        );
    }
}

/// Markers that describe the flattened value as a whole, which the parent object is not (alone
/// in the parent, it is the same object, but still no value of a field of its own).
fn whole_value_markers(part: &Part, alone: bool) -> Vec<Problem> {
    let s = &part.schema;
    let mut out = Vec::new();
    let mut refuse = |key: MarkerKey, what: &str| {
        let marker = key.name();
        out.push(Problem {
            loc: s.marker_loc(key).unwrap_or(part.loc),
            message: format!(
                "`{marker}` of `{}` {what}, but a flattened value is no object of its own: its fields are the parent's",
                part.field
            ),
            help: format!("put `{marker}` on the parent, or do not flatten `{}`", part.field),
        });
    };
    if s.map_type.as_deref() == Some("atomic") && !alone {
        refuse(MarkerKey::StructType, "makes it one unit for server-side apply");
    }
    if s.default.is_some() {
        refuse(MarkerKey::Default, "gives it a default value");
    }
    if s.nullable {
        refuse(MarkerKey::Nullable, "allows it to be null");
    }
    if s.enum_.is_some() {
        refuse(MarkerKey::EnumValues, "lists its allowed values");
    }
    if s.embedded_resource {
        refuse(MarkerKey::EmbeddedResource, "makes it a Kubernetes object");
    }
    out
}

/// `min_properties`/`max_properties` of the flattened value, as rules counting its own fields.
fn count_rules(part: &Part) -> Result<Vec<ValidationRule>, Problem> {
    let s = &part.schema;
    if s.min_properties.is_none() && s.max_properties.is_none() {
        return Ok(Vec::new());
    }
    let key = if s.min_properties.is_some() { MarkerKey::MinProperties } else { MarkerKey::MaxProperties };
    let (marker, loc) = (key.name(), s.marker_loc(key).unwrap_or(part.loc));
    let names: Vec<&String> = s.properties.iter().flat_map(|p| p.keys()).collect();
    let cel: Option<Vec<String>> = names.iter().map(|n| escape(n).map(|f| format!("(has(self.{f})?1:0)"))).collect();
    let (Some(terms), false) = (cel, s.preserve_unknown_fields || names.is_empty()) else {
        return Err(Problem {
            loc,
            message: format!(
                "`{marker}` of `{}` cannot move into the object it is flattened into: its keys cannot be counted there",
                part.field
            ),
            help: "put a rule on the parent that counts the fields you mean".into(),
        });
    };
    let count = terms.join(" + ");
    let list = names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ");
    let rule =
        |rule: String, message: String| ValidationRule { rule, message: Some(message), origin: Some(loc), ..ValidationRule::default() };
    Ok(match (s.min_properties, s.max_properties) {
        (Some(lo), Some(hi)) if lo == hi => vec![rule(format!("{count} == {lo}"), format!("exactly {lo} of [{list}] must be set"))],
        (lo, hi) => {
            let mut rules = Vec::new();
            if let Some(lo) = lo {
                rules.push(rule(format!("{count} >= {lo}"), format!("at least {lo} of [{list}] must be set")));
            }
            if let Some(hi) = hi {
                rules.push(rule(format!("{count} <= {hi}"), format!("at most {hi} of [{list}] may be set")));
            }
            rules
        }
    })
}

/// For a flattened `Option<T>`: the condition under which serde reads a `Some`, as CEL.
fn presence_guard(part: &Part) -> Option<String> {
    if !part.optional {
        return None;
    }
    let s = &part.schema;
    let (names, join): (Vec<&String>, &str) = if s.required.is_empty() {
        (s.properties.iter().flat_map(|p| p.keys()).collect(), " || ")
    } else {
        (s.required.iter().collect(), " && ")
    };
    let has: Option<Vec<String>> = names.iter().map(|n| escape(n).map(|f| format!("has(self.{f})"))).collect();
    has.filter(|h| !h.is_empty()).map(|h| h.join(join))
}

fn guarded(rule: &ValidationRule, guard: Option<&str>) -> ValidationRule {
    match guard {
        None => rule.clone(),
        Some(g) => ValidationRule { rule: format!("!({g}) || ({})", rule.rule), ..rule.clone() },
    }
}

/// Ok when the rule (and its message expression) use `self` and `oldSelf` only to select
/// fields; else what it does with the whole value.
pub fn fields_only(rule: &ValidationRule) -> Result<(), String> {
    for text in std::iter::once(&rule.rule).chain(rule.message_expression.as_ref()) {
        let parsed = crate::validate::cel::whole_value_use(text).map_err(|_| format!("`{text}` does not parse"))?;
        if let Some(use_) = parsed {
            return Err(format!("it uses `{use_}` as a whole value, which on the parent would include the parent's other fields"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{diagnostics_of, run_source};
    use serde_json::{Value, json};

    /// The spec schema of a resource whose spec struct has `fields`, with `items` beside it.
    fn spec(fields: &str, items: &str) -> Value {
        let src = format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{\n{fields}\n}}\n{items}"
        );
        let g = run_source(&src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        g.crates[0].files[0].crd().to_json()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"].clone()
    }

    fn errors(fields: &str, items: &str) -> String {
        diagnostics_of(&format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{\n{fields}\n}}\n{items}"
        ))
    }

    fn rules(s: &Value) -> Vec<String> {
        s["x-kubernetes-validations"].as_array().into_iter().flatten().map(|r| r["rule"].as_str().unwrap().to_string()).collect()
    }

    const RANGE: &str = "#[crd(validation(rule = \"self.min <= self.max\", message = \"min above max\", field_path = \".min\"))]\n\
                         #[crd(validation(rule = \"has(self.min) == has(self.max)\"))]\npub struct Range { pub min: Option<i32>, pub max: Option<i32> }\n";

    #[test]
    fn rules_on_the_flattened_fields_hold_on_the_parent() {
        let s = spec("    pub name: String,\n    #[serde(flatten)]\n    pub range: Range,", RANGE);
        assert_eq!(rules(&s), ["self.min <= self.max", "has(self.min) == has(self.max)"]);
        assert_eq!(s["x-kubernetes-validations"][0]["fieldPath"], ".min");
        assert_eq!(s["properties"].as_object().unwrap().keys().collect::<Vec<_>>(), ["max", "min", "name"]);
    }

    #[test]
    fn rules_on_the_whole_value_are_refused_at_the_rule() {
        for (rule, whole) in
            [("self == oldSelf", "self"), ("size(self) > 0", "self"), ("self.all(k, k != 'x')", "self"), ("self.a == oldSelf", "oldSelf")]
        {
            let items = format!("#[crd(validation(rule = \"{rule}\"))]\npub struct Inner {{ pub a: Option<i32> }}\n");
            let d = errors("    pub name: String,\n    #[serde(flatten)]\n    pub inner: Inner,", &items);
            assert!(
                d.contains(&format!(
                    "CEL rule `{rule}` cannot move into the object `inner` is flattened into: it uses `{whole}` as a whole value"
                )),
                "{rule}: {d}"
            );
            assert!(d.contains("lib.rs:8:"), "points at the rule: {d}");
        }
        let d = errors(
            "    pub name: String,\n    #[serde(flatten)]\n    #[crd(immutable)]\n    pub inner: Inner,",
            "pub struct Inner { pub a: i32 }\n",
        );
        assert!(d.contains("CEL rule `self == oldSelf` cannot move"), "immutable on a flattened field: {d}");
    }

    #[test]
    fn property_counts_become_counting_rules() {
        let items = "#[crd(min_properties = 1)]\npub struct Inner { pub a: Option<i32>, pub b: Option<i32> }\n\
                     #[crd(min_properties = 1, max_properties = 1)]\npub struct One { pub x: Option<i32>, pub y: Option<i32> }\n";
        let s =
            spec("    pub name: String,\n    #[serde(flatten)]\n    pub inner: Inner,\n    #[serde(flatten)]\n    pub one: One,", items);
        assert_eq!(rules(&s), ["(has(self.a)?1:0) + (has(self.b)?1:0) >= 1", "(has(self.x)?1:0) + (has(self.y)?1:0) == 1"]);
        assert_eq!(s["x-kubernetes-validations"][1]["message"], "exactly 1 of [x, y] must be set");
        assert!(s.get("minProperties").is_none());
    }

    #[test]
    fn an_externally_tagged_enum_flattened_is_exactly_one_of_its_variants() {
        let items = "pub enum Source { Git { url: String }, Bucket { name: String } }\n";
        let s = spec("    pub name: String,\n    #[serde(flatten)]\n    pub source: Source,", items);
        assert_eq!(rules(&s), ["(has(self.Git)?1:0) + (has(self.Bucket)?1:0) == 1"]);
    }

    #[test]
    fn internally_tagged_enums_nested_and_generic_flattens_carry_their_rules() {
        let items = "#[serde(tag = \"type\")]\npub enum Source { Git { url: String }, Empty }\n\
                     pub struct Mid { pub m: i32, #[serde(flatten)] pub range: Range }\n\
                     pub struct Wrap<T> { pub w: i32, #[serde(flatten)] pub inner: T }\n";
        let s = spec(
            "    pub name: String,\n    #[serde(flatten)]\n    pub source: Source,\n    #[serde(flatten)]\n    pub mid: Mid,\n    pub wrapped: Wrap<Range>,",
            &format!("{items}{RANGE}"),
        );
        assert_eq!(rules(&s), ["self.type != 'Git' || (has(self.url))", "self.min <= self.max", "has(self.min) == has(self.max)"]);
        assert_eq!(s["required"], json!(["m", "name", "type", "wrapped"]));
        assert_eq!(rules(&s["properties"]["wrapped"]), ["self.min <= self.max", "has(self.min) == has(self.max)"]);
    }

    #[test]
    fn an_optional_flattened_struct_rules_hold_when_serde_reads_it() {
        let items = "#[crd(validation(rule = \"self.port > 0\"))]\npub struct Addr { pub host: String, pub port: i32 }\n";
        let s = spec("    pub name: String,\n    #[serde(flatten)]\n    pub addr: Option<Addr>,", items);
        assert_eq!(rules(&s), ["!(has(self.host) && has(self.port)) || (self.port > 0)"]);
        assert_eq!(s["required"], json!(["name"]));
        let s = spec("    pub name: String,\n    #[serde(flatten)]\n    pub range: Option<Range>,", RANGE);
        assert_eq!(rules(&s)[0], "!(has(self.min) || has(self.max)) || (self.min <= self.max)");
    }

    #[test]
    fn whole_object_markers_are_refused_unless_the_struct_is_the_whole_object() {
        let items = "#[crd(struct_type = \"atomic\", preserve_unknown_fields)]\npub struct Inner { pub a: i32 }\n";
        let d = errors("    pub name: String,\n    #[serde(flatten)]\n    pub inner: Inner,", items);
        assert!(
            d.contains("`struct_type` of `inner` makes it one unit for server-side apply, but a flattened value is no object of its own"),
            "{d}"
        );
        assert!(d.contains("lib.rs:8:"), "{d}");
        let s = spec("    #[serde(flatten)]\n    pub inner: Inner,", items);
        assert_eq!((&s["x-kubernetes-map-type"], &s["x-kubernetes-preserve-unknown-fields"]), (&json!("atomic"), &json!(true)));
        let items = "#[crd(default_json = \"{\\\"a\\\": 1}\")]\npub struct Inner { pub a: i32 }\n";
        let d = errors("    #[serde(flatten)]\n    pub inner: Inner,", items);
        assert!(d.contains("`default` of `inner` gives it a default value"), "{d}");
        let items = "#[crd(min_properties = 1)]\npub struct Inner { pub a: Option<i32> }\n";
        assert_eq!(spec("    #[serde(flatten)]\n    pub inner: Inner,", items)["minProperties"], 1, "alone, the count is the object's");
    }

    #[test]
    fn flattened_maps() {
        let alone = spec("    #[serde(flatten)]\n    pub labels: std::collections::BTreeMap<String, String>,", "");
        assert_eq!(alone, json!({ "type": "object", "additionalProperties": { "type": "string" } }));
        let d = errors("    pub name: String,\n    #[serde(flatten)]\n    pub extra: std::collections::BTreeMap<String, String>,", "");
        assert!(d.contains("flattened map `extra` beside other fields has no structural schema"), "{d}");
        assert!(d.contains("`#[crd(preserve_unknown_fields)]` on this field"), "{d}");
        let marked = spec(
            "    pub name: String,\n    #[serde(flatten)]\n    #[crd(preserve_unknown_fields)]\n    pub extra: std::collections::BTreeMap<String, String>,",
            "",
        );
        assert_eq!(marked["x-kubernetes-preserve-unknown-fields"], true);
        let any_json = "#[crd(schemaless, preserve_unknown_fields)]\npub struct AnyJson {}\n";
        let any =
            spec("    pub name: String,\n    #[serde(flatten)]\n    pub extra: std::collections::BTreeMap<String, AnyJson>,", any_json);
        assert_eq!(any["x-kubernetes-preserve-unknown-fields"], true);
        assert!(any.get("additionalProperties").is_none());
    }

    #[test]
    fn a_flattened_name_taken_by_a_field_is_an_error() {
        let d = errors("    pub min: i32,\n    #[serde(flatten)]\n    pub range: Range,", RANGE);
        assert!(d.contains("flattened field `range` brings the JSON name `min`, which field `min` already uses"), "{d}");
    }
}
