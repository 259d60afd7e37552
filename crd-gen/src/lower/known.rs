//! Types whose JSON form is fixed by their crate rather than by a serde derive we can read: std
//! types, serde_json, well-known Kubernetes types, chrono/jiff/time, uuid, url.

use crate::schema::Schema;

/// How a known type lowers.
#[derive(Clone, Debug)]
pub enum Known {
    /// A fixed schema.
    Fixed(Box<Schema>),
    /// `Vec<T>`-like: an array of the first type argument.
    Seq,
    /// `HashSet<T>`-like: an array of unique items of the first type argument.
    Set,
    /// `HashMap<K, V>`-like: string keys, values of the last type argument.
    Map,
    /// `Box<T>`-like: exactly the first type argument.
    Transparent,
    /// `Option<T>`: the first type argument, and the field becomes optional.
    Option,
    /// Not representable; the text says what to do instead.
    Unsupported(&'static str),
}

pub fn primitive(name: &str) -> Option<Known> {
    let s = match name {
        "bool" => Schema::typed("boolean"),
        // serde rejects what does not fit the Rust type, so the schema bounds small and unsigned
        // integers too (controller-gen's Go types have no such bounds to carry).
        "i8" => bounded("int32", Some(i8::MIN as i64), Some(i8::MAX as i64)),
        "i16" => bounded("int32", Some(i16::MIN as i64), Some(i16::MAX as i64)),
        "u8" => bounded("int32", Some(0), Some(u8::MAX as i64)),
        "u16" => bounded("int32", Some(0), Some(u16::MAX as i64)),
        "i32" => Schema::typed("integer").with_format("int32"),
        "u32" => bounded("int64", Some(0), Some(u32::MAX as i64)),
        "u64" | "usize" => bounded("int64", Some(0), None),
        "i64" | "isize" => Schema::typed("integer").with_format("int64"),
        "i128" | "u128" => {
            return Some(Known::Unsupported("128-bit integers do not fit a Kubernetes integer (int64); use i64/u64, or a String"));
        }
        "f32" => Schema::typed("number").with_format("float"),
        "f64" => Schema::typed("number").with_format("double"),
        "str" | "String" => Schema::string(),
        "char" => Schema { min_length: Some(1), max_length: Some(1), ..Schema::string() },
        _ => return None,
    };
    Some(Known::Fixed(Box::new(s)))
}

fn bounded(format: &str, min: Option<i64>, max: Option<i64>) -> Schema {
    Schema { minimum: min.map(Into::into), maximum: max.map(Into::into), ..Schema::typed("integer").with_format(format) }
}

/// A type from std/core/alloc by its name.
pub fn std_type(name: &str) -> Option<Known> {
    if let Some(p) = primitive(name) {
        return Some(p);
    }
    Some(match name {
        "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" => Known::Seq,
        "HashSet" | "BTreeSet" => Known::Set,
        "HashMap" | "BTreeMap" => Known::Map,
        "Box" | "Rc" | "Arc" | "Cow" | "Cell" | "RefCell" | "Mutex" | "RwLock" | "Wrapping" | "Reverse" => Known::Transparent,
        "Option" => Known::Option,
        "NonZeroU8" => Known::Fixed(Box::new(bounded("int32", Some(1), Some(u8::MAX as i64)))),
        "NonZeroU16" => Known::Fixed(Box::new(bounded("int32", Some(1), Some(u16::MAX as i64)))),
        "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" => Known::Fixed(Box::new(bounded("int64", Some(1), None))),
        "NonZeroI8" | "NonZeroI16" | "NonZeroI32" => Known::Fixed(Box::new(Schema::typed("integer").with_format("int32"))),
        "NonZeroI64" | "NonZeroIsize" => Known::Fixed(Box::new(Schema::typed("integer").with_format("int64"))),
        "PathBuf" | "Path" | "OsString" => Known::Fixed(Box::new(Schema::string())),
        "IpAddr" => Known::Fixed(Box::new(Schema::string())),
        "Ipv4Addr" => Known::Fixed(Box::new(Schema::string().with_format("ipv4"))),
        "Ipv6Addr" => Known::Fixed(Box::new(Schema::string().with_format("ipv6"))),
        "SocketAddr" => Known::Fixed(Box::new(Schema::string())),
        "Duration" => Known::Unsupported(
            "serde writes std::time::Duration as {secs, nanos}, which no Kubernetes API uses; store a String such as \"30s\" (or an integer of seconds), or add `schema_type`/`schemaless` with a `#[serde(with)]` that writes it",
        ),
        "SystemTime" => Known::Unsupported(
            "serde writes SystemTime as {secs_since_epoch, nanos_since_epoch}; use k8s-openapi's `Time` or chrono/jiff timestamps",
        ),
        _ => return None,
    })
}

/// A type of another crate, by crate name (as written in paths) and type name.
/// Whether crd-gen knows type `name` of crate `krate` (for resolution: see
/// `source::ExternalTypes`).
pub fn is_known(krate: &str, name: &str) -> bool {
    crate_type(krate, name).is_some()
}

pub fn crate_type(krate: &str, name: &str) -> Option<Known> {
    if matches!(krate, "std" | "core" | "alloc") {
        return std_type(name);
    }
    let date_time = || Known::Fixed(Box::new(Schema::string().with_format("date-time")));
    Some(match (krate, name) {
        ("serde_json", "Value") => Known::Fixed(Box::new(Schema { preserve_unknown_fields: true, ..Schema::default() })),
        ("serde_json", "Map") => Known::Fixed(Box::new(Schema { preserve_unknown_fields: true, ..Schema::object() })),
        ("serde_json", "Number") => Known::Fixed(Box::new(Schema::typed("number"))),
        ("indexmap", "IndexMap") => Known::Map,
        ("indexmap", "IndexSet") => Known::Set,
        ("k8s_openapi", "Time" | "MicroTime") => date_time(),
        ("k8s_openapi", "IntOrString") => Known::Fixed(Box::new(int_or_string())),
        ("k8s_openapi", "Quantity") => Known::Fixed(Box::new(Schema { pattern: Some(QUANTITY_PATTERN.into()), ..int_or_string() })),
        ("k8s_openapi", "ObjectMeta") => Known::Fixed(Box::new(Schema::object())),
        ("k8s_openapi", "RawExtension") => Known::Fixed(Box::new(Schema { preserve_unknown_fields: true, ..Schema::object() })),
        ("k8s_openapi", "ByteString") => Known::Fixed(Box::new(Schema::string().with_format("byte"))),
        ("chrono", "DateTime" | "NaiveDateTime") => date_time(),
        ("chrono", "NaiveDate") => Known::Fixed(Box::new(Schema::string().with_format("date"))),
        ("jiff", "Timestamp" | "Zoned") => date_time(),
        ("jiff", "Span" | "SignedDuration") => Known::Fixed(Box::new(Schema::string().with_format("duration"))),
        ("time", "OffsetDateTime") => date_time(),
        ("uuid", "Uuid") => Known::Fixed(Box::new(Schema::string().with_format("uuid"))),
        ("url", "Url") => Known::Fixed(Box::new(Schema::string().with_format("uri"))),
        ("bytes", "Bytes") => Known::Fixed(Box::new(Schema::string().with_format("byte"))),
        _ => return None,
    })
}

/// The pattern the API server's own OpenAPI gives resource.Quantity.
pub const QUANTITY_PATTERN: &str =
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

pub fn int_or_string() -> Schema {
    Schema { any_of: vec![Schema::typed("integer"), Schema::string()], int_or_string: true, ..Schema::default() }
}

#[cfg(test)]
mod tests {
    use crate::source::CrateSource;
    use std::sync::Arc;

    /// A dependency crate on disk: the types resolve into its source and are recognised there by
    /// crate and type name, whatever path the user took to them.
    fn dep(dir: &std::path::Path, name: &str, src: &str) -> Arc<CrateSource> {
        let root = dir.join(format!("{name}.rs"));
        std::fs::write(&root, src).unwrap();
        Arc::new(CrateSource::standalone(name, root))
    }

    #[test]
    fn timestamps_uuid_url_from_dependency_crates() {
        let dir = std::env::temp_dir().join(format!("crd-gen-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut deps = std::collections::BTreeMap::new();
        deps.insert(
            "chrono".to_string(),
            dep(&dir, "chrono", "mod dt { pub struct DateTime<Tz>(Tz); }\npub use dt::DateTime;\npub struct Utc;\n"),
        );
        deps.insert("jiff".to_string(), dep(&dir, "jiff", "pub struct Timestamp(i64);\n"));
        deps.insert("uuid".to_string(), dep(&dir, "uuid", "pub struct Uuid(u128);\n"));
        deps.insert("url".to_string(), dep(&dir, "url", "pub struct Url(String);\n"));
        let root = dir.join("lib.rs");
        std::fs::write(
            &root,
            "use chrono::{DateTime, Utc};\n#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\npub struct WidgetSpec {\n    pub at: DateTime<Utc>,\n    pub seen: jiff::Timestamp,\n    pub id: uuid::Uuid,\n    pub home: url::Url,\n}\n",
        )
        .unwrap();
        let source = Arc::new(CrateSource { deps, ..CrateSource::standalone("w", root) });
        let out = crate::run(&[source], &crate::Options::default());
        assert!(!out.has_errors(), "{}", out.render_diagnostics(false));
        let spec = &out.crates[0].files[0].crd().spec.versions[0].schema.open_api_v3_schema.properties.as_ref().unwrap()["spec"];
        let props = spec.properties.as_ref().unwrap();
        let formats: Vec<(&str, Option<&str>)> = ["at", "seen", "id", "home"].iter().map(|k| (*k, props[*k].format.as_deref())).collect();
        assert_eq!(formats, [("at", Some("date-time")), ("seen", Some("date-time")), ("id", Some("uuid")), ("home", Some("uri"))]);
        assert!(props.values().all(|p| p.is_type("string")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
