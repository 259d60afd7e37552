//! Untagged enums of scalars: serde tries each variant in turn, so a value is accepted when some
//! variant accepts it. The schema says exactly that: one type (or int-or-string, for integers
//! beside strings, as `IntOrString` is), and per JSON kind the union of the variants'
//! constraints: carried on the schema where a structural schema can say it, as a CEL rule where
//! it cannot (a string `enum` on an int-or-string value would reject every integer).

use crate::schema::{Schema, ValidationRule};
use serde_json::{Number, Value};

/// The JSON kinds a scalar variant can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Integer,
    Number,
    String,
    Boolean,
}

impl Kind {
    fn of(s: &Schema) -> Option<Kind> {
        match s.type_.as_deref()? {
            "integer" => Some(Kind::Integer),
            "number" => Some(Kind::Number),
            "string" => Some(Kind::String),
            "boolean" => Some(Kind::Boolean),
            _ => None,
        }
    }
    /// How CEL names the type, for `type(self) == int` guards.
    fn cel(self) -> &'static str {
        match self {
            Kind::Integer => "int",
            Kind::Number => "double",
            Kind::String => "string",
            Kind::Boolean => "bool",
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Boolean => "a boolean",
        }
    }
}

/// One variant's constraints on values of one kind.
#[derive(Clone, Debug, PartialEq)]
struct Part {
    variant: String,
    kind: Kind,
    /// The variant's schema with only the constraints that apply to `kind` kept.
    schema: Schema,
}

/// Whether every variant holds a scalar (or an int-or-string value), so [`scalar_union`] applies.
pub fn all_scalars(variants: &[(String, Schema)]) -> bool {
    variants.iter().all(|(_, s)| s.int_or_string || Kind::of(s).is_some())
}

/// The schema accepting what any of `variants` (all scalars) accepts, or why none can.
pub fn scalar_union(variants: &[(String, Schema)]) -> Result<Schema, String> {
    let mut parts = Vec::new();
    for (name, s) in variants {
        parts.extend(split(name, s, variants.len())?);
    }
    let kinds: std::collections::BTreeSet<Kind> = parts.iter().map(|p| p.kind).collect();
    let kinds: Vec<Kind> = kinds.into_iter().collect();
    match kinds.as_slice() {
        [one] => {
            let mut s = single_kind(*one, &parts)?;
            // A format all the variants share (`int32` for `i32` and `u16`) stays.
            let first = variants[0].1.format.as_ref();
            if first.is_some() && variants.iter().all(|(_, v)| v.format.as_ref() == first) {
                s.format = first.cloned();
            }
            Ok(s)
        }
        [Kind::Integer, Kind::String] => int_or_string(&parts),
        [Kind::Integer, Kind::Number] => numbers(&parts),
        _ => Err(format!(
            "its variants hold {}, and a structural schema has one type per value (integers beside strings is the one mix it allows, as int-or-string)",
            kinds.iter().map(|k| k.noun()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// A variant's constraints per kind; an int-or-string variant is an integer part and a string part.
fn split(name: &str, s: &Schema, variant_count: usize) -> Result<Vec<Part>, String> {
    let part = |kind| Part { variant: name.to_string(), kind, schema: constraints(s, kind) };
    if s.int_or_string {
        if !s.validations.is_empty() && variant_count > 1 {
            return Err(format!("variant `{name}` is int-or-string with CEL rules of its own, which cannot be told apart per kind"));
        }
        return Ok(vec![part(Kind::Integer), part(Kind::String)]);
    }
    Ok(vec![part(Kind::of(s).expect("a scalar variant"))])
}

/// The validations of `s` that apply to values of `kind` (descriptions and the like dropped).
fn constraints(s: &Schema, kind: Kind) -> Schema {
    let mut c = Schema { enum_: s.enum_.clone(), validations: s.validations.clone(), ..Schema::default() };
    match kind {
        Kind::Integer | Kind::Number => {
            c.minimum = s.minimum.clone();
            c.maximum = s.maximum.clone();
            c.exclusive_minimum = s.exclusive_minimum;
            c.exclusive_maximum = s.exclusive_maximum;
            c.multiple_of = s.multiple_of.clone();
        }
        Kind::String => {
            c.pattern = s.pattern.clone();
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.format = s.format.clone().filter(|f| !matches!(f.as_str(), "int32" | "int64" | "float" | "double"));
        }
        Kind::Boolean => {}
    }
    if s.int_or_string {
        // An int-or-string variant's enum may mix kinds: keep the values of this kind.
        c.enum_ = c.enum_.map(|vals| vals.into_iter().filter(|v| value_kind(v) == Some(kind)).collect());
    }
    c
}

fn value_kind(v: &Value) -> Option<Kind> {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(Kind::Integer),
        Value::Number(_) => Some(Kind::Number),
        Value::String(_) => Some(Kind::String),
        Value::Bool(_) => Some(Kind::Boolean),
        _ => None,
    }
}

fn unconstrained(p: &Part) -> bool {
    p.schema == Schema::default()
}

/// What the parts of one kind accept together: None when some part accepts every value of the
/// kind, else one constraint set, or several (each a variant that must be tried).
fn union_of(parts: &[&Part]) -> Option<Vec<Part>> {
    if parts.iter().any(|p| unconstrained(p)) {
        return None;
    }
    let mut distinct: Vec<Part> = Vec::new();
    for p in parts {
        if !distinct.iter().any(|d| d.schema == p.schema) {
            distinct.push((*p).clone());
        }
    }
    Some(merge_simple(distinct))
}

/// Several constraint sets that one set says exactly: enums only (their values together), or
/// integer ranges that overlap or touch (their hull).
fn merge_simple(parts: Vec<Part>) -> Vec<Part> {
    if parts.len() < 2 {
        return parts;
    }
    let enum_only = |p: &Part| p.schema.enum_.is_some() && Schema { enum_: None, ..p.schema.clone() } == Schema::default();
    if parts.iter().all(enum_only) {
        let mut values: Vec<Value> = Vec::new();
        for v in parts.iter().flat_map(|p| p.schema.enum_.iter().flatten()) {
            if !values.contains(v) {
                values.push(v.clone());
            }
        }
        let variant = parts.iter().map(|p| p.variant.as_str()).collect::<Vec<_>>().join(", ");
        return vec![Part { variant, kind: parts[0].kind, schema: Schema { enum_: Some(values), ..Schema::default() } }];
    }
    if parts.iter().all(|p| p.kind == Kind::Integer)
        && let Some(hull) = integer_hull(&parts)
    {
        return vec![hull];
    }
    parts
}

/// Closed integer ranges (min/max only), merged when their union is one range.
fn integer_hull(parts: &[Part]) -> Option<Part> {
    let mut ranges: Vec<(Option<i64>, Option<i64>)> = Vec::new();
    for p in parts {
        let s = &p.schema;
        let range_only = Schema { minimum: None, maximum: None, ..s.clone() } == Schema::default();
        if !range_only {
            return None;
        }
        ranges.push((s.minimum.as_ref().and_then(Number::as_i64), s.maximum.as_ref().and_then(Number::as_i64)));
        if s.minimum.as_ref().is_some_and(|n| n.as_i64().is_none()) || s.maximum.as_ref().is_some_and(|n| n.as_i64().is_none()) {
            return None;
        }
    }
    ranges.sort_by_key(|(lo, _)| lo.unwrap_or(i64::MIN));
    let (mut lo, mut hi) = ranges[0];
    for (l, h) in &ranges[1..] {
        let touches = match (hi, l) {
            (None, _) | (_, None) => true,
            (Some(hi), Some(l)) => *l <= hi.saturating_add(1),
        };
        if !touches {
            return None;
        }
        hi = match (hi, h) {
            (None, _) | (_, None) => None,
            (Some(a), Some(b)) => Some(a.max(*b)),
        };
        lo = lo.min(*l).or(lo);
    }
    let variant = parts.iter().map(|p| p.variant.as_str()).collect::<Vec<_>>().join(", ");
    let schema = Schema { minimum: lo.map(Number::from), maximum: hi.map(Number::from), ..Schema::default() };
    Some(Part { variant, kind: Kind::Integer, schema })
}

fn of_kind(parts: &[Part], kind: Kind) -> Vec<&Part> {
    parts.iter().filter(|p| p.kind == kind).collect()
}

/// All variants hold one kind: its type, with the union of their constraints.
fn single_kind(kind: Kind, parts: &[Part]) -> Result<Schema, String> {
    let mut s = Schema::typed(match kind {
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Boolean => "boolean",
    });
    match union_of(&of_kind(parts, kind)) {
        None => {}
        Some(u) if u.len() == 1 => carry(&mut s, &u[0], None),
        Some(u) => s.validations.push(any_of(&u, None)?),
    }
    Ok(s)
}

/// Integers and strings: int-or-string, each kind's constraints guarded by the value's type.
fn int_or_string(parts: &[Part]) -> Result<Schema, String> {
    let mut s = super::known::int_or_string();
    for kind in [Kind::Integer, Kind::String] {
        match union_of(&of_kind(parts, kind)) {
            None => {}
            Some(u) if u.len() == 1 => carry(&mut s, &u[0], Some(kind)),
            Some(u) => s.validations.push(any_of(&u, Some(kind))?),
        }
    }
    Ok(s)
}

/// Integers and numbers: a number schema, when some number variant takes every number (serde
/// reads a JSON integer into an `f64` too). Otherwise which integers are allowed cannot be told
/// apart from which fractions are.
fn numbers(parts: &[Part]) -> Result<Schema, String> {
    if union_of(&of_kind(parts, Kind::Number)).is_none() {
        return Ok(Schema::typed("number"));
    }
    Err("its integer and number variants have bounds of their own, which one number schema cannot tell apart".into())
}

/// Puts one constraint set on `s`: the validations a structural schema applies to this kind
/// only go on the node; on int-or-string, an `enum` and CEL rules become rules guarded by type.
fn carry(s: &mut Schema, p: &Part, guard: Option<Kind>) {
    let c = &p.schema;
    s.minimum = s.minimum.take().or(c.minimum.clone());
    s.maximum = s.maximum.take().or(c.maximum.clone());
    s.exclusive_minimum |= c.exclusive_minimum;
    s.exclusive_maximum |= c.exclusive_maximum;
    s.multiple_of = s.multiple_of.take().or(c.multiple_of.clone());
    s.pattern = s.pattern.take().or(c.pattern.clone());
    s.min_length = s.min_length.or(c.min_length);
    s.max_length = s.max_length.or(c.max_length);
    s.format = s.format.take().or(c.format.clone());
    match guard {
        None => {
            s.enum_ = c.enum_.clone();
            s.validations.extend(c.validations.iter().cloned());
        }
        Some(kind) => {
            if let Some(values) = &c.enum_ {
                let cond = format!("self in [{}]", values.iter().map(cel_literal).collect::<Vec<_>>().join(", "));
                s.validations.push(guarded(kind, &cond, format!("as {}, the value must be one of {}", kind.noun(), list(values))));
            }
            for r in &c.validations {
                s.validations.push(ValidationRule { rule: format!("type(self) == {} ? ({}) : true", kind.cel(), r.rule), ..r.clone() });
            }
        }
    }
}

/// One CEL rule: the value satisfies the constraints of one of `parts`.
fn any_of(parts: &[Part], guard: Option<Kind>) -> Result<ValidationRule, String> {
    let mut alternatives = Vec::new();
    for p in parts {
        alternatives.push(format!("({})", condition(p)?));
    }
    let cond = alternatives.join(" || ");
    let names = parts.iter().map(|p| format!("`{}`", p.variant)).collect::<Vec<_>>().join(" or ");
    let kind = parts[0].kind;
    let message = format!("as {}, the value must be one that {names} accepts", kind.noun());
    Ok(match guard {
        Some(k) => guarded(k, &cond, message),
        None => ValidationRule { rule: cond, message: Some(message), ..ValidationRule::default() },
    })
}

fn guarded(kind: Kind, cond: &str, message: String) -> ValidationRule {
    ValidationRule { rule: format!("type(self) == {} ? ({cond}) : true", kind.cel()), message: Some(message), ..ValidationRule::default() }
}

/// The constraints of one part as a CEL condition on `self`.
fn condition(p: &Part) -> Result<String, String> {
    condition_on(p, "self")
}

/// The constraints of one part as a CEL condition on the value at `on` (`self`, `self.params`).
fn condition_on(p: &Part, on: &str) -> Result<String, String> {
    let c = &p.schema;
    let mut all: Vec<String> = Vec::new();
    if let Some(min) = &c.minimum {
        all.push(format!("{on} {} {}", if c.exclusive_minimum { ">" } else { ">=" }, cel_number(min, p.kind)));
    }
    if let Some(max) = &c.maximum {
        all.push(format!("{on} {} {}", if c.exclusive_maximum { "<" } else { "<=" }, cel_number(max, p.kind)));
    }
    if let Some(m) = &c.multiple_of {
        match (p.kind, m.as_i64()) {
            (Kind::Integer, Some(m)) => all.push(format!("{on} % {m} == 0")),
            _ => return Err(format!("variant `{}` has a `multiple_of` that CEL cannot check on this kind", p.variant)),
        }
    }
    if let Some(pattern) = &c.pattern {
        all.push(format!("{on}.matches({})", cel_string(pattern)));
    }
    if let Some(n) = c.min_length {
        all.push(format!("size({on}) >= {n}"));
    }
    if let Some(n) = c.max_length {
        all.push(format!("size({on}) <= {n}"));
    }
    if let Some(values) = &c.enum_ {
        all.push(format!("{on} in [{}]", values.iter().map(cel_literal).collect::<Vec<_>>().join(", ")));
    }
    if let Some(f) = &c.format {
        return Err(format!("variant `{}` has format `{f}`, which CEL cannot check beside the other variants' constraints", p.variant));
    }
    if !c.validations.is_empty() {
        return Err(format!("variant `{}` has CEL rules of its own, which cannot be combined with the other variants'", p.variant));
    }
    Ok(all.join(" && "))
}

/// For adjacently tagged scalar contents: the content schema accepts what any variant's content
/// accepts, and one rule per variant says what its content must be (type and constraints), so
/// `{"kind": "a", "params": <b's value>}` is refused as serde refuses it.
pub fn per_tag_rules(tag: &str, tag_ref: &str, content_ref: &str, variants: &[(String, Schema)]) -> Result<Vec<ValidationRule>, String> {
    let mixed = variants.iter().any(|(_, s)| Kind::of(s) != Kind::of(&variants[0].1) || s.int_or_string);
    let mut rules = Vec::new();
    for (name, s) in variants {
        let parts = split(name, s, 1)?;
        let mut alternatives = Vec::new();
        for p in &parts {
            let mut cond = condition_on(p, content_ref)?;
            if mixed {
                let is = format!("type({content_ref}) == {}", p.kind.cel());
                cond = if cond.is_empty() { is } else { format!("{is} && {cond}") };
            }
            if !cond.is_empty() {
                alternatives.push(format!("({cond})"));
            }
        }
        if alternatives.is_empty() || alternatives.len() < parts.len() {
            continue;
        }
        let escaped = name.replace('\\', "\\\\").replace('\'', "\\'");
        rules.push(ValidationRule {
            rule: format!("self.{tag_ref} != '{escaped}' || !has({content_ref}) || {}", alternatives.join(" || ")),
            message: Some(format!("the content of {tag} `{name}` must be one that variant accepts")),
            ..ValidationRule::default()
        });
    }
    Ok(rules)
}

/// A number as CEL writes it for this kind (`5`, `5.0`).
fn cel_number(n: &Number, kind: Kind) -> String {
    match (kind, n.as_i64(), n.as_f64()) {
        (Kind::Integer, Some(i), _) => i.to_string(),
        (_, Some(i), _) => format!("{i}.0"),
        (_, None, Some(f)) => format!("{f:?}"),
        _ => n.to_string(),
    }
}

fn cel_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn cel_literal(v: &Value) -> String {
    match v {
        Value::String(s) => cel_string(s),
        other => other.to_string(),
    }
}

fn list(values: &[Value]) -> String {
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{diagnostics_of, run_source};
    use serde_json::json;

    /// The schema of field `v` of a spec whose other items are `items`.
    fn field(ty: &str, items: &str) -> serde_json::Value {
        let src = format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{ pub v: {ty} }}\n{items}"
        );
        let g = run_source(&src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let root = g.crates[0].files[0].crd().to_json();
        root["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["v"].clone()
    }

    fn untagged(variants: &str) -> String {
        format!("#[serde(untagged)]\npub enum E {{ {variants} }}\n")
    }

    #[test]
    fn integer_beside_string_is_int_or_string_with_the_integer_bounds() {
        assert_eq!(
            field("E", &untagged("Index(u16), Key(String)")),
            json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true, "minimum": 0, "maximum": 65535 })
        );
        // An unbounded integer variant, and an int-or-string variant beside a string.
        let v = field(
            "E",
            &format!("{}pub struct Q(#[crd(int_or_string, pattern = \"^[0-9]+$\")] serde_json::Value);\n", untagged("A(i64), B(Q)")),
        );
        assert_eq!(
            v,
            json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true, "pattern": "^[0-9]+$" })
        );
    }

    #[test]
    fn several_constrained_strings_are_one_rule() {
        let items = "#[crd(pattern = \"^a\")]\npub struct A(String);\n#[crd(max_length = 3)]\npub struct B(String);\n";
        let v = field("E", &format!("{}{items}", untagged("N(u8), X(A), Y(B)")));
        assert_eq!(
            v["x-kubernetes-validations"],
            json!([{
                "rule": "type(self) == string ? ((self.matches('^a')) || (size(self) <= 3)) : true",
                "message": "as a string, the value must be one that `X` or `Y` accepts"
            }])
        );
        assert_eq!((&v["minimum"], &v["maximum"], v.get("pattern")), (&json!(0), &json!(255), None));
    }

    #[test]
    fn string_enums_merge_and_rules_of_a_variant_are_guarded() {
        let items =
            "#[serde(rename_all = \"lowercase\")]\npub enum M { On, Off }\n#[serde(rename_all = \"lowercase\")]\npub enum P { Auto }\n";
        let v = field("E", &format!("{}{items}", untagged("A(M), B(P)")));
        assert_eq!(v, json!({ "type": "string", "enum": ["on", "off", "auto"] }));
        let items = "#[crd(validation(rule = \"self.startsWith('x')\", message = \"x first\"))]\npub struct X(String);\n";
        let v = field("E", &format!("{}{items}", untagged("N(i32), S(X)")));
        assert_eq!(
            v["x-kubernetes-validations"],
            json!([{ "rule": "type(self) == string ? (self.startsWith('x')) : true", "message": "x first" }])
        );
    }

    #[test]
    fn integers_with_gaps_are_a_rule_and_touching_ranges_one_range() {
        let items = "#[crd(minimum = 10, maximum = 20)]\npub struct A(i32);\n#[crd(minimum = 21, maximum = 30)]\npub struct B(i32);\n#[crd(minimum = 40)]\npub struct C(i32);\n";
        assert_eq!(
            field("E", &format!("{}{items}", untagged("X(A), Y(B)"))),
            json!({ "type": "integer", "format": "int32", "minimum": 10, "maximum": 30 })
        );
        let v = field("E", &format!("{}{items}", untagged("X(A), Z(C)")));
        assert_eq!(v["x-kubernetes-validations"][0]["rule"], "(self >= 10 && self <= 20) || (self >= 40)");
    }

    #[test]
    fn what_has_no_structural_form_is_refused() {
        for (variants, why) in [
            ("A(f64), B(String)", "its variants hold a number, a string"),
            ("A(bool), B(i32)", "its variants hold an integer, a boolean"),
            ("A(u8), B(F)", "its integer and number variants have bounds of their own"),
        ] {
            let src = format!(
                "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{ pub v: E }}\n{}#[crd(minimum = 0.5)]\npub struct F(f64);\n",
                untagged(variants)
            );
            let d = diagnostics_of(&src);
            assert!(d.contains(&format!("error: untagged enum `E` has no structural schema: {why}")), "{variants}: {d}");
            assert!(d.contains("lib.rs:5:"), "{d}");
        }
        let items = "#[crd(format = \"date-time\")]\npub struct T(String);\n#[crd(max_length = 3)]\npub struct S(String);\n";
        let src = format!(
            "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {{ pub v: E }}\n{}{items}",
            untagged("A(T), B(S)")
        );
        assert!(diagnostics_of(&src).contains("variant `A` has format `date-time`, which CEL cannot check"), "{}", diagnostics_of(&src));
    }

    #[test]
    fn adjacent_scalar_contents_are_checked_per_tag() {
        let src = "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec { pub v: A }\n\
                   #[serde(tag = \"kind\", content = \"params\")]\npub enum A { Count(u8), Name(String), Stop }\n";
        let g = run_source(src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let v = &g.crates[0].files[0].crd().to_json()["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
            ["v"];
        assert_eq!(
            v["properties"]["params"],
            json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true, "minimum": 0, "maximum": 255 })
        );
        let rules: Vec<&str> = v["x-kubernetes-validations"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
        assert_eq!(
            rules,
            [
                "self.kind != 'Count' || !has(self.params) || (type(self.params) == int && self.params >= 0 && self.params <= 255)",
                "self.kind != 'Name' || !has(self.params) || (type(self.params) == string)",
                "self.kind in ['Count', 'Name'] ? has(self.params) : !has(self.params)",
            ]
        );
    }
}
