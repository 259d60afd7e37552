//! Which markers fit which kind of value. The engine asks with the schema it generated; the
//! derive asks with what the field's Rust type says on its face. Both get the same words.

use crate::parse::{Marker, MarkerError};
use crate::vocab::{AppliesTo, MarkerKey};

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

/// Whether `marker` can apply to a value of `shape` (any marker can to an unknown one).
pub fn applies(marker: &Marker, shape: ValueShape) -> bool {
    let fits = match marker.def.applies_to {
        AppliesTo::Any => true,
        AppliesTo::Numeric => matches!(shape, ValueShape::Integer | ValueShape::Number),
        AppliesTo::String => shape == ValueShape::String,
        AppliesTo::Array => shape == ValueShape::Array,
        AppliesTo::Object => shape == ValueShape::Object,
    };
    fits || shape == ValueShape::Unknown
}

/// An error when `marker` cannot apply to a value of `shape`; `type_text` names the Rust type.
pub fn check_applies(marker: &Marker, shape: ValueShape, type_text: &str) -> Option<MarkerError> {
    if applies(marker, shape) {
        return None;
    }
    let name = marker.def.name;
    let help = match (marker.key(), shape) {
        (MarkerKey::MaxLength | MarkerKey::MinLength | MarkerKey::Pattern, ValueShape::Array) => {
            let list_limit = if marker.key() == MarkerKey::MinLength { MarkerKey::MinItems } else { MarkerKey::MaxItems };
            format!(
                "to limit the strings inside the list, write `{}({name} = ..)`; to limit the list, use `{}`",
                MarkerKey::Items.name(),
                list_limit.name()
            )
        }
        (MarkerKey::MinItems, ValueShape::String) => format!("for strings use `{}`", MarkerKey::MinLength.name()),
        (MarkerKey::MaxItems, ValueShape::String) => format!("for strings use `{}`", MarkerKey::MaxLength.name()),
        (MarkerKey::Minimum | MarkerKey::Maximum, ValueShape::Array) => {
            format!("to bound the numbers inside the list, write `{}({name} = ..)`", MarkerKey::Items.name())
        }
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
