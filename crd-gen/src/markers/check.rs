//! Which markers fit which kind of value. The engine asks with the schema it generated; the
//! derive asks with what the field's Rust type says on its face. Both get the same words.

use super::parse::{Marker, MarkerError};
use super::vocab::AppliesTo;

/// The JSON kind of a value, as far as it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueShape {
    Integer,
    Number,
    String,
    Boolean,
    Array,
    Object,
    /// int-or-string, preserve-unknown-fields, or a type not known yet.
    Unknown,
}

impl ValueShape {
    pub fn from_schema_type(t: Option<&str>) -> ValueShape {
        match t {
            Some("integer") => ValueShape::Integer,
            Some("number") => ValueShape::Number,
            Some("string") => ValueShape::String,
            Some("boolean") => ValueShape::Boolean,
            Some("array") => ValueShape::Array,
            Some("object") => ValueShape::Object,
            _ => ValueShape::Unknown,
        }
    }
    fn name(self) -> &'static str {
        match self {
            ValueShape::Integer => "an integer",
            ValueShape::Number => "a number",
            ValueShape::String => "a string",
            ValueShape::Boolean => "a boolean",
            ValueShape::Array => "an array",
            ValueShape::Object => "an object",
            ValueShape::Unknown => "a value of unknown type",
        }
    }

    /// What the Rust type says on its face, without resolving anything (for the derive).
    pub fn of_rust_type(ty: &syn::Type) -> ValueShape {
        let syn::Type::Path(p) = ty else {
            return match ty {
                syn::Type::Reference(r) => ValueShape::of_rust_type(&r.elem),
                syn::Type::Slice(_) | syn::Type::Array(_) => ValueShape::Array,
                syn::Type::Paren(p) => ValueShape::of_rust_type(&p.elem),
                syn::Type::Group(g) => ValueShape::of_rust_type(&g.elem),
                _ => ValueShape::Unknown,
            };
        };
        let Some(last) = p.path.segments.last() else { return ValueShape::Unknown };
        let first_arg = || match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            }),
            _ => None,
        };
        match last.ident.to_string().as_str() {
            "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize" | "usize" => ValueShape::Integer,
            "f32" | "f64" => ValueShape::Number,
            "String" | "str" | "char" => ValueShape::String,
            "bool" => ValueShape::Boolean,
            "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" | "LinkedList" => ValueShape::Array,
            "HashMap" | "BTreeMap" | "IndexMap" => ValueShape::Object,
            "Option" | "Box" | "Rc" | "Arc" => first_arg().map(ValueShape::of_rust_type).unwrap_or(ValueShape::Unknown),
            _ => ValueShape::Unknown,
        }
    }
}

/// An error when `marker` cannot apply to a value of `shape`; `type_text` names the Rust type.
pub fn check_applies(marker: &Marker, shape: ValueShape, type_text: &str) -> Option<MarkerError> {
    let fits = match marker.def.applies_to {
        AppliesTo::Any => true,
        AppliesTo::Numeric => matches!(shape, ValueShape::Integer | ValueShape::Number),
        AppliesTo::String => shape == ValueShape::String,
        AppliesTo::Array => shape == ValueShape::Array,
        AppliesTo::Object => shape == ValueShape::Object,
    };
    if fits || shape == ValueShape::Unknown {
        return None;
    }
    let name = marker.def.name;
    let help = match (name, shape) {
        ("max_length" | "min_length" | "pattern", ValueShape::Array) => {
            format!(
                "to limit the strings inside the list, write `items({name} = ..)`; to limit the list, use `{}`",
                if name == "min_length" { "min_items" } else { "max_items" }
            )
        }
        ("min_items" | "max_items", ValueShape::String) => format!("for strings use `{}`", name.replace("items", "length")),
        ("minimum" | "maximum", ValueShape::Array) => format!("to bound the numbers inside the list, write `items({name} = ..)`"),
        _ => format!("remove it, or change the type to one of: {}", marker.def.applies_to.describe()),
    };
    Some(
        MarkerError::new(
            marker.span,
            format!("`{name}` applies to {}, but `{type_text}` is {}", marker.def.applies_to.describe(), shape.name()),
        )
        .help(help),
    )
}

/// Markers that contradict each other among one field's or type's markers. The derive reports
/// these at compile time; the validator says the same about the finished schema (where a type's
/// and a field's markers have been combined).
pub fn check_combinations(markers: &[Marker]) -> Vec<MarkerError> {
    let get = |name: &str| markers.iter().find(|m| m.def.name == name);
    let num = |name: &str| get(name).and_then(|m| m.as_json()).and_then(|v| v.as_f64());
    let mut out = Vec::new();
    if let Some(k) = get("list_map_key")
        && get("list_type").and_then(Marker::as_str) != Some("map")
    {
        out.push(MarkerError::new(k.span, LIST_MAP_KEY_NEEDS_MAP).help("add `list_type = \"map\"` next to `list_map_key`"));
    }
    if let Some(t) = get("list_type")
        && t.as_str() == Some("map")
        && get("list_map_key").is_none()
    {
        out.push(MarkerError::new(t.span, MAP_LIST_NEEDS_KEY).help("add `list_map_key = \"name\"` naming the key field"));
    }
    for (flag, bound) in [("exclusive_minimum", "minimum"), ("exclusive_maximum", "maximum")] {
        if let Some(m) = get(flag)
            && m.as_bool()
            && get(bound).is_none()
        {
            out.push(MarkerError::new(m.span, needs_bound(flag)).help(format!("add `{bound} = ..` (the bound that is excluded)")));
        }
    }
    for (lo, hi) in [("minimum", "maximum"), ("min_length", "max_length"), ("min_items", "max_items"), ("min_properties", "max_properties")]
    {
        if let (Some(l), Some(h)) = (num(lo), num(hi))
            && l > h
            && let Some(m) = get(lo)
        {
            out.push(MarkerError::new(m.span, min_above_max(lo, l, hi, h)).help(format!("lower `{lo}` or raise `{hi}`")));
        }
    }
    for (a, b) in [("default", "default_json"), ("required", "optional")] {
        if let (Some(_), Some(m)) = (get(a), get(b)) {
            out.push(MarkerError::new(m.span, format!("`{a}` and `{b}` cannot both be given")).help("keep one"));
        }
    }
    out
}

pub const LIST_MAP_KEY_NEEDS_MAP: &str = "`list_map_key` needs `list_type = \"map\"`";
pub const MAP_LIST_NEEDS_KEY: &str = "a `list_type = \"map\"` list needs at least one `list_map_key`";

pub fn needs_bound(flag: &str) -> String {
    format!("`{flag}` needs `{}`", flag.trim_start_matches("exclusive_"))
}

pub fn min_above_max(lo: &str, l: f64, hi: &str, h: f64) -> String {
    format!("`{lo}` ({l}) is greater than `{hi}` ({h}): no value can satisfy both")
}
