//! CEL types, and the declared type of a schema node as the API server derives it
//! (k8s.io/apiserver `pkg/cel/common/schemas.go`, `SchemaDeclType`; sizes and minimum
//! serialized sizes from `pkg/cel/types.go` and `pkg/cel/limits.go`):
//!
//! - an object with `properties` is an object type whose fields are the properties the server can
//!   expose (names escaped, see `escape.rs`; a property of a type CEL cannot see is left out);
//!   with `additionalProperties` it is `map(string, V)`; an array is `list(T)`;
//! - `x-kubernetes-int-or-string` is `dyn`; a schema without a type (`x-kubernetes-preserve-unknown-
//!   fields` alone) is not exposed at all, and an object that preserves unknown fields exposes
//!   only its declared properties;
//! - strings with `format: byte` are `bytes`, `duration` is `duration`, `date` and `date-time`
//!   are `timestamp`; `integer` is `int`, `number` is `double`;
//! - the root of a resource (and an embedded resource) always has `apiVersion`, `kind` and
//!   `metadata.name`/`metadata.generateName`, whatever its schema says.
//!
//! Every node also carries what the cost estimator needs: the largest number of elements
//! (`maxItems`/`maxProperties`, `maxLength` × 4 bytes, or the request-size estimate) and the
//! smallest serialized size.

use super::escape::escape;
use crate::schema::Schema;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

#[derive(Clone, Debug)]
pub enum Type {
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Duration,
    Timestamp,
    List(Box<Type>),
    Map(Box<Type>, Box<Type>),
    Object(Rc<ObjectType>),
    Optional(Box<Type>),
    /// The type of a type value: `type(int)` is what the identifier `int` denotes.
    TypeOf(Box<Type>),
    /// Library types: `kubernetes.URL`, `net.IP`, `net.CIDR`, `kubernetes.Quantity`, ...
    Opaque(&'static str),
    /// A type parameter (overload signatures) or type variable (during checking).
    Param(usize),
    Error,
}

/// An object type: one per schema node, named by its path (cel-go compares object types by name).
#[derive(Debug)]
pub struct ObjectType {
    pub name: String,
    /// CEL (escaped) field name -> the field's declaration.
    pub fields: BTreeMap<String, Rc<Decl>>,
}

impl PartialEq for Type {
    fn eq(&self, other: &Type) -> bool {
        use Type::*;
        match (self, other) {
            (List(a), List(b)) | (Optional(a), Optional(b)) | (TypeOf(a), TypeOf(b)) => a == b,
            (Map(a, b), Map(c, d)) => a == c && b == d,
            (Object(a), Object(b)) => a.name == b.name,
            (Opaque(a), Opaque(b)) => a == b,
            (Param(a), Param(b)) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other) && !matches!(self, List(_) | Map(..)),
        }
    }
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn map(k: Type, v: Type) -> Type {
        Type::Map(Box::new(k), Box::new(v))
    }
    pub fn optional(t: Type) -> Type {
        Type::Optional(Box::new(t))
    }
    pub fn is_dyn_or_error(&self) -> bool {
        matches!(self, Type::Dyn | Type::Error)
    }
    /// Type arguments, in cel-go's order.
    pub fn params(&self) -> Vec<&Type> {
        match self {
            Type::List(t) | Type::Optional(t) | Type::TypeOf(t) => vec![t],
            Type::Map(k, v) => vec![k, v],
            _ => Vec::new(),
        }
    }
    /// cel-go's type name (`list`, `map`, `optional_type`, ...), which kinds compare by.
    pub fn kind_name(&self) -> String {
        match self {
            Type::List(_) => "list".into(),
            Type::Map(..) => "map".into(),
            Type::Optional(_) => "optional_type".into(),
            Type::TypeOf(_) => "type".into(),
            other => other.to_string(),
        }
    }
    /// Replaces signature parameters `Param(i)` with `vars[i]`.
    pub fn instantiate(&self, vars: &[usize]) -> Type {
        match self {
            Type::Param(i) => Type::Param(vars[*i]),
            Type::List(t) => Type::list(t.instantiate(vars)),
            Type::Optional(t) => Type::optional(t.instantiate(vars)),
            Type::TypeOf(t) => Type::TypeOf(Box::new(t.instantiate(vars))),
            Type::Map(k, v) => Type::map(k.instantiate(vars), v.instantiate(vars)),
            other => other.clone(),
        }
    }
    pub fn max_param(&self) -> Option<usize> {
        match self {
            Type::Param(i) => Some(*i),
            other => other.params().into_iter().filter_map(Type::max_param).max(),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Dyn => f.write_str("dyn"),
            Type::Null => f.write_str("null_type"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Uint => f.write_str("uint"),
            Type::Double => f.write_str("double"),
            Type::String => f.write_str("string"),
            Type::Bytes => f.write_str("bytes"),
            Type::Duration => f.write_str("google.protobuf.Duration"),
            Type::Timestamp => f.write_str("google.protobuf.Timestamp"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Map(k, v) => write!(f, "map({k}, {v})"),
            Type::Object(o) => write!(f, "object `{}`", o.name),
            Type::Optional(t) => write!(f, "optional_type({t})"),
            Type::TypeOf(t) => write!(f, "type({t})"),
            Type::Opaque(n) => f.write_str(n),
            Type::Param(i) => write!(f, "_var{i}"),
            Type::Error => f.write_str("*error*"),
        }
    }
}

/// Parses a signature type: `int`, `list(A)`, `map(K, V)`, `optional(T)`, `URL`, ...; single
/// capital letters are type parameters, numbered in `params` by first appearance.
pub fn parse_type(s: &str, params: &mut Vec<char>) -> Type {
    let s = s.trim();
    if let Some(inner) = s.strip_suffix(')').and_then(|s| s.split_once('(')) {
        let (ctor, args) = inner;
        let args = split_top(args);
        let mut t = |i: usize| parse_type(args[i], params);
        return match ctor {
            "list" => Type::list(t(0)),
            "map" => {
                let k = t(0);
                Type::map(k, t(1))
            }
            "optional" => Type::optional(t(0)),
            "type" => Type::TypeOf(Box::new(t(0))),
            _ => panic!("unknown type constructor in signature `{s}`"),
        };
    }
    match s {
        "dyn" => Type::Dyn,
        "null" => Type::Null,
        "bool" => Type::Bool,
        "int" => Type::Int,
        "uint" => Type::Uint,
        "double" => Type::Double,
        "string" => Type::String,
        "bytes" => Type::Bytes,
        "duration" => Type::Duration,
        "timestamp" => Type::Timestamp,
        "URL" => Type::Opaque("kubernetes.URL"),
        "IP" => Type::Opaque("net.IP"),
        "CIDR" => Type::Opaque("net.CIDR"),
        "Quantity" => Type::Opaque("kubernetes.Quantity"),
        "Semver" => Type::Opaque("kubernetes.Semver"),
        "Format" => Type::Opaque("kubernetes.NamedFormat"),
        p if p.len() == 1 && p.as_bytes()[0].is_ascii_uppercase() => {
            let c = p.chars().next().expect("one char");
            let i = params.iter().position(|q| *q == c).unwrap_or_else(|| {
                params.push(c);
                params.len() - 1
            });
            Type::Param(i)
        }
        other => panic!("unknown type `{other}` in a signature"),
    }
}

/// Splits `a, map(b, c), d` at top-level commas.
pub fn split_top(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !s[start..].trim().is_empty() {
        out.push(s[start..].trim());
    }
    out
}

/// The request size the server assumes when a size is not declared
/// (`apiservercel.DefaultMaxRequestSizeBytes`, 3 MiB).
pub const MAX_REQUEST_SIZE: u64 = 3 * 1024 * 1024;
const MIN_STRING_SIZE: u64 = 2;
const MIN_BOOL_SIZE: u64 = 4;
const MIN_NUMBER_SIZE: u64 = 1;
const MIN_DURATION_SIZE: u64 = 3;
const JSON_DATE_SIZE: u64 = 12;
const MIN_DATETIME_SIZE: u64 = 21;
const MAX_DURATION_SIZE: u64 = 32;
const MAX_DATETIME_SIZE: u64 = 32;

/// Where a node's element count comes from, for the messages that tell what to bound.
#[derive(Clone, Debug, PartialEq)]
pub enum Bound {
    /// Declared by the schema (`maxItems`, `maxLength`, an enum, a format).
    Declared,
    /// Estimated from the request size: the marker that would bound it.
    Estimated(crate::markers::MarkerKey),
}

/// A schema node as CEL sees it.
#[derive(Debug)]
pub struct Decl {
    pub ty: Type,
    /// Largest size: list items, map entries, string length in bytes.
    pub max_elements: u64,
    pub min_size: u64,
    pub bound: Bound,
    /// JSON path of the node (`.spec.items[*]`), for messages.
    pub path: String,
    pub elem: Option<Rc<Decl>>,
    pub key: Option<Rc<Decl>>,
}

impl Decl {
    fn scalar(ty: Type, min_size: u64, path: &str) -> Decl {
        Decl { ty, max_elements: 0, min_size, bound: Bound::Declared, path: path.to_string(), elem: None, key: None }
    }
    pub fn field(&self, cel_name: &str) -> Option<&Rc<Decl>> {
        match &self.ty {
            Type::Object(o) => o.fields.get(cel_name),
            _ => None,
        }
    }
}

/// The declared type of `s` (at JSON path `path`), or None when the server does not expose it.
pub fn decl(s: &Schema, resource_root: bool, path: &str) -> Option<Rc<Decl>> {
    if s.int_or_string {
        let (max, bound) = match s.max_length {
            Some(n) => (n * 4, Bound::Declared),
            None => (MAX_REQUEST_SIZE - 2, Bound::Estimated(crate::markers::MarkerKey::MaxLength)),
        };
        return Some(Rc::new(Decl { max_elements: max, bound, ..Decl::scalar(Type::Dyn, 1, path) }));
    }
    let with_meta;
    let s = if resource_root {
        with_meta = with_type_and_object_meta(s);
        &with_meta
    } else {
        s
    };
    let d = match s.type_.as_deref()? {
        "array" => list_decl(s, path)?,
        "object" if s.additional_properties.is_some() => map_decl(s, path)?,
        "object" => object_decl(s, path),
        "string" => string_decl(s, path),
        "boolean" => Decl::scalar(Type::Bool, MIN_BOOL_SIZE, path),
        "number" => Decl::scalar(Type::Double, MIN_NUMBER_SIZE, path),
        "integer" => Decl::scalar(Type::Int, MIN_NUMBER_SIZE, path),
        _ => return None,
    };
    Some(Rc::new(d))
}

fn list_decl(s: &Schema, path: &str) -> Option<Decl> {
    let items = s.items.as_deref()?;
    let elem = decl(items, items.embedded_resource, &format!("{path}[*]"))?;
    let (max, bound) = match s.max_items {
        Some(n) => (n, Bound::Declared),
        None => ((MAX_REQUEST_SIZE - 2) / (elem.min_size + 1), Bound::Estimated(crate::markers::MarkerKey::MaxItems)),
    };
    let ty = Type::list(elem.ty.clone());
    Some(Decl { max_elements: max, bound, elem: Some(elem), ..Decl::scalar(ty, 2, path) })
}

fn map_decl(s: &Schema, path: &str) -> Option<Decl> {
    let values = s.additional_properties.as_deref()?;
    let elem = decl(values, values.embedded_resource, &format!("{path}[*]"))?;
    let (max, bound) = match s.max_properties {
        Some(n) => (n, Bound::Declared),
        None => ((MAX_REQUEST_SIZE - 2) / (elem.min_size + 6), Bound::Estimated(crate::markers::MarkerKey::MaxProperties)),
    };
    // The key's declaration is the server's plain StringType, which has no size.
    let key = Rc::new(Decl::scalar(Type::String, MIN_STRING_SIZE, &format!("{path} (keys)")));
    let ty = Type::map(Type::String, elem.ty.clone());
    Some(Decl { max_elements: max, bound, elem: Some(elem), key: Some(key), ..Decl::scalar(ty, 2, path) })
}

fn object_decl(s: &Schema, path: &str) -> Decl {
    let mut fields = BTreeMap::new();
    let mut min_size = 2;
    for (name, prop) in s.properties.iter().flatten() {
        let Some(field) = decl(prop, prop.embedded_resource, &format!("{path}.{name}")) else { continue };
        if s.required.contains(name) && prop.default.is_none() {
            min_size += name.len() as u64 + field.min_size + 4;
        }
        if let Some(cel_name) = escape(name) {
            fields.insert(cel_name, field);
        }
    }
    let ty = Type::Object(Rc::new(ObjectType { name: if path.is_empty() { ".".into() } else { path.to_string() }, fields }));
    Decl::scalar(ty, min_size, path)
}

fn string_decl(s: &Schema, path: &str) -> Decl {
    let request = (MAX_REQUEST_SIZE - 2, Bound::Estimated(crate::markers::MarkerKey::MaxLength));
    let (ty, min, (max, bound)) = match s.format.as_deref() {
        Some("byte") => (Type::Bytes, MIN_STRING_SIZE, s.max_length.map_or(request, |n| (n, Bound::Declared))),
        Some("duration") => (Type::Duration, MIN_DURATION_SIZE, (MAX_DURATION_SIZE, Bound::Declared)),
        Some("date") => (Type::Timestamp, JSON_DATE_SIZE, (JSON_DATE_SIZE, Bound::Declared)),
        Some("date-time") => (Type::Timestamp, MIN_DATETIME_SIZE, (MAX_DATETIME_SIZE, Bound::Declared)),
        _ => {
            let max = match (s.max_length, &s.enum_) {
                (Some(n), _) => (n * 4, Bound::Declared),
                (None, Some(values)) if !values.is_empty() => {
                    (values.iter().filter_map(|v| v.as_str()).map(|v| v.len() as u64).max().unwrap_or(0), Bound::Declared)
                }
                _ => request,
            };
            (Type::String, MIN_STRING_SIZE, max)
        }
    };
    Decl { max_elements: max, bound, ..Decl::scalar(ty, min, path) }
}

/// `WithTypeAndObjectMeta`: a resource root always exposes `kind`, `apiVersion` and
/// `metadata.{name,generateName}`; unless its schema already declares all of them as strings,
/// those three properties are replaced.
fn with_type_and_object_meta(s: &Schema) -> Schema {
    let props = s.properties.as_ref();
    let is_string = |n: &str| props.and_then(|p| p.get(n)).is_some_and(|p| p.is_type("string"));
    let meta = props.and_then(|p| p.get("metadata"));
    let meta_ok = meta.is_some_and(|m| {
        m.is_type("object")
            && ["name", "generateName"].iter().all(|n| m.properties.as_ref().and_then(|p| p.get(*n)).is_some_and(|p| p.is_type("string")))
    });
    if props.is_some() && is_string("kind") && is_string("apiVersion") && meta_ok {
        return s.clone();
    }
    let mut out = s.clone();
    let p = out.properties.get_or_insert_with(Default::default);
    p.insert("kind".into(), Schema::string());
    p.insert("apiVersion".into(), Schema::string());
    let mut m = Schema::object();
    let mp = m.properties.get_or_insert_with(Default::default);
    mp.insert("name".into(), Schema::string());
    mp.insert("generateName".into(), Schema::string());
    p.insert("metadata".into(), m);
    out
}
