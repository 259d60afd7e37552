//! The marker vocabulary: the one definition of every `#[crd(...)]` key. The parser, the derive's
//! compile-time checks, the Go-comment-marker translation and the generated reference
//! (`docs/markers.md`) all read this table, so they cannot drift apart.

/// What a marker's value looks like.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind {
    /// `key` alone (or `key = true|false`).
    Flag,
    /// `key = true|false`.
    Bool,
    /// `key = "text"`.
    Str,
    /// `key = "One"` where the text is one of a closed set.
    OneOf(&'static [&'static str]),
    /// `key = 3` (non-negative integer).
    Count,
    /// `key = 1.5` or `key = -3` (any number).
    Number,
    /// `key = <literal>`: string, number, bool, or `[..]` of those, read as JSON.
    Literal,
    /// `key = [<literal>, ..]`.
    LiteralList,
    /// `key = "<json text>"`.
    Json,
    /// `key` alone, or `key = "text"`.
    FlagOrStr,
    /// `key(inner = .., ..)` with its own keys.
    Group(&'static [MarkerDef]),
    /// `key(<schema markers>)`: markers applied to the elements of an array.
    Items,
    /// `key(/// doc comment lines)`: a doc comment of its own, with the Go markers it holds.
    Docs,
}

/// Where a marker may be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// On the spec struct of a resource (`#[derive(CustomResource)]`).
    Resource,
    /// On a field, or on a struct/enum (then it applies wherever the type is used).
    Schema,
    /// On a field only.
    Field,
    /// Inside a group such as `printcolumn(...)`.
    Inner,
}

/// The kinds of schema a marker makes sense on; checked once the field's type is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppliesTo {
    Any,
    /// integer or number
    Numeric,
    String,
    Array,
    Object,
}

impl AppliesTo {
    pub fn describe(self) -> &'static str {
        match self {
            AppliesTo::Any => "any type",
            AppliesTo::Numeric => "integers and numbers",
            AppliesTo::String => "strings",
            AppliesTo::Array => "arrays (Vec, sets, slices)",
            AppliesTo::Object => "objects (structs and maps)",
        }
    }
}

#[derive(Debug)]
pub struct MarkerDef {
    pub name: &'static str,
    pub value: ValueKind,
    pub site: Site,
    pub applies_to: AppliesTo,
    pub repeatable: bool,
    pub required: bool,
    /// The controller-gen comment markers with the same meaning (accepted in doc comments).
    pub go: &'static [&'static str],
    pub doc: &'static str,
}

const fn m(name: &'static str, value: ValueKind, site: Site, doc: &'static str) -> MarkerDef {
    MarkerDef { name, value, site, applies_to: AppliesTo::Any, repeatable: false, required: false, go: &[], doc }
}

impl MarkerDef {
    const fn to(mut self, a: AppliesTo) -> Self {
        self.applies_to = a;
        self
    }
    const fn many(mut self) -> Self {
        self.repeatable = true;
        self
    }
    const fn req(mut self) -> Self {
        self.required = true;
        self
    }
    const fn go(mut self, names: &'static [&'static str]) -> Self {
        self.go = names;
        self
    }
    /// How the value is written, for error messages and the reference table.
    pub fn syntax(&self) -> String {
        match self.value {
            ValueKind::Flag => format!("{0} / {0} = false", self.name),
            ValueKind::Bool => format!("{} = true|false", self.name),
            ValueKind::Str => format!("{} = \"..\"", self.name),
            ValueKind::OneOf(options) => {
                let o: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
                format!("{} = {}", self.name, o.join("|"))
            }
            ValueKind::Count => format!("{} = <n>", self.name),
            ValueKind::Number => format!("{} = <number>", self.name),
            ValueKind::Literal => format!("{} = <literal>", self.name),
            ValueKind::LiteralList => format!("{} = [<literal>, ..]", self.name),
            ValueKind::Json => format!("{} = \"<json>\"", self.name),
            ValueKind::FlagOrStr => format!("{0} / {0} = \"..\"", self.name),
            ValueKind::Group(inner) => {
                let keys: Vec<&str> = inner.iter().map(|d| d.name).collect();
                format!("{}({})", self.name, keys.join(", "))
            }
            ValueKind::Items => format!("{}(<schema markers>)", self.name),
            ValueKind::Docs => format!("{}(/// ..)", self.name),
        }
    }
}

use AppliesTo::{Array, Numeric, Object};
use Site::*;
use ValueKind::*;

pub const SCALE: &[MarkerDef] = &[
    m("spec_replicas_path", Str, Inner, "JSON path of the desired replicas, e.g. `.spec.replicas`.").req(),
    m("status_replicas_path", Str, Inner, "JSON path of the observed replicas, e.g. `.status.replicas`.").req(),
    m("label_selector_path", Str, Inner, "JSON path of the serialized label selector, e.g. `.status.selector`."),
];

pub const PRINTCOLUMN: &[MarkerDef] = &[
    m("name", Str, Inner, "Column header.").req(),
    m("type", OneOf(&["integer", "number", "string", "boolean", "date"]), Inner, "Column type.").req(),
    m("json_path", Str, Inner, "JSONPath into the object, e.g. `.status.phase`.").req(),
    m("description", Str, Inner, "Human readable description of the column."),
    m("format", OneOf(&["int32", "int64", "float", "double", "byte", "date", "date-time", "password"]), Inner, "Column format."),
    m("priority", Count, Inner, "0 shows the column in the standard view; higher only with `-o wide`."),
];

pub const KEY_VALUE: &[MarkerDef] = &[m("key", Str, Inner, "The key.").req(), m("value", Str, Inner, "The value.").req()];

pub const EXTERNAL_DOCS: &[MarkerDef] =
    &[m("url", Str, Inner, "Where the documentation is.").req(), m("description", Str, Inner, "What it is.")];

pub const VALIDATION: &[MarkerDef] = &[
    m("rule", Str, Inner, "The CEL expression; `self` is the value, `oldSelf` the previous value.").req(),
    m("message", Str, Inner, "Message shown when the rule fails."),
    m("message_expression", Str, Inner, "CEL expression producing the message."),
    m(
        "reason",
        OneOf(&["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"]),
        Inner,
        "Machine-readable reason returned with the failure.",
    ),
    m("field_path", Str, Inner, "JSON path of the field the failure is reported on, relative to this value."),
    m("optional_old_self", Flag, Inner, "Also run the rule on create (`oldSelf` is then an empty optional)."),
];

/// Every top-level `#[crd(...)]` key.
pub const MARKERS: &[MarkerDef] = &[
    // ---- resource markers (on the spec struct) ----
    m("group", Str, Resource, "API group, e.g. `webapp.my.domain`. Required, here or as `//! +groupName=..` in the module docs.")
        .go(&["groupName"]),
    m(
        "version",
        Str,
        Resource,
        "API version of this spec struct, e.g. `v1`. Required, unless the module docs say `//! +versionName=..` or a module around the struct is named like a version (`mod v1`).",
    )
    .go(&["versionName"]),
    m("kind", Str, Resource, "Kind; default: the struct name without `Spec`."),
    m("status", Str, Resource, "Status type; adds `status` and the status subresource (Go's `+kubebuilder:subresource:status`)."),
    m("status_subresource", Flag, Resource, "Whether `status` also gets the status subresource; default true.")
        .go(&["kubebuilder:subresource:status"]),
    m("spec_required", Flag, Resource, "Objects must have a `spec` (controller-gen: a Spec field without `omitempty`)."),
    m("scope", OneOf(&["Namespaced", "Cluster"]), Resource, "Resource scope; default `Namespaced`.").go(&["kubebuilder:resource:scope"]),
    m("plural", Str, Resource, "Plural name; default: the English plural of the lowercased kind.").go(&["kubebuilder:resource:path"]),
    m("singular", Str, Resource, "Singular name; default: the lowercased kind.").go(&["kubebuilder:resource:singular"]),
    m("list_kind", Str, Resource, "List kind; default: kind + `List`."),
    m("short_name", Str, Resource, "Short name for kubectl (repeatable).").many().go(&["kubebuilder:resource:shortName"]),
    m("category", Str, Resource, "Category such as `all` (repeatable).").many().go(&["kubebuilder:resource:categories"]),
    m("scale", Group(SCALE), Resource, "Scale subresource.").go(&["kubebuilder:subresource:scale"]),
    m("printcolumn", Group(PRINTCOLUMN), Resource, "Additional printer column (repeatable, in order).")
        .many()
        .go(&["kubebuilder:printcolumn"]),
    m("skip_version", Flag, Resource, "Leave this version out of the CRD (an internal version, e.g. for conversion-gen); the kind needs another version.")
        .go(&["kubebuilder:skipversion"]),
    m("storage_version", Flag, Resource, "This version is the storage version (needed when there are several).")
        .go(&["kubebuilder:storageversion"]),
    m("served", Bool, Resource, "Whether this version is served; default true.").go(&["kubebuilder:unservedversion"]),
    m("deprecated", FlagOrStr, Resource, "Marks the version deprecated, optionally with a warning.").go(&["kubebuilder:deprecatedversion"]),
    m("selectable_field", Str, Resource, "Field usable in field selectors, e.g. `.spec.color` (repeatable).")
        .many()
        .go(&["kubebuilder:selectablefield"]),
    m(
        "root",
        Docs,
        Resource,
        "The root object's doc comment, written as `///` lines inside: the CRD's root `description` (default: `<Kind> is the Schema for the <plural> API`). Go markers among the lines are the Go root type's: resource markers, and `+kubebuilder:validation:XValidation` rules on the whole object (`self.spec`, `self.metadata.name`).",
    ),
    m("annotation", Group(KEY_VALUE), Resource, "Annotation on the CRD object (repeatable).")
        .many()
        .go(&["kubebuilder:metadata:annotations"]),
    m("label", Group(KEY_VALUE), Resource, "Label on the CRD object (repeatable).").many().go(&["kubebuilder:metadata:labels"]),
    // ---- schema markers (fields, structs, enums) ----
    m("description", Str, Schema, "Description; replaces the doc comment. On the spec struct: the root object's description (see `root`)."),
    m("title", Str, Schema, "Schema title.").go(&["kubebuilder:title"]),
    m("minimum", Number, Schema, "Lowest allowed value.").to(Numeric).go(&["kubebuilder:validation:Minimum"]),
    m("maximum", Number, Schema, "Highest allowed value.").to(Numeric).go(&["kubebuilder:validation:Maximum"]),
    m("exclusive_minimum", Flag, Schema, "`minimum` itself is not allowed.").to(Numeric).go(&["kubebuilder:validation:ExclusiveMinimum"]),
    m("exclusive_maximum", Flag, Schema, "`maximum` itself is not allowed.").to(Numeric).go(&["kubebuilder:validation:ExclusiveMaximum"]),
    m("multiple_of", Number, Schema, "The value must be a multiple of this.").to(Numeric).go(&["kubebuilder:validation:MultipleOf"]),
    m("min_length", Count, Schema, "Shortest allowed string.").to(AppliesTo::String).go(&["kubebuilder:validation:MinLength"]),
    m("max_length", Count, Schema, "Longest allowed string.").to(AppliesTo::String).go(&["kubebuilder:validation:MaxLength"]),
    m("pattern", Str, Schema, "Regular expression the string must match.").to(AppliesTo::String).go(&["kubebuilder:validation:Pattern"]),
    m("format", Str, Schema, "OpenAPI format, e.g. `date-time`, `uri`.").go(&["kubebuilder:validation:Format"]),
    m("min_items", Count, Schema, "Fewest allowed items.").to(Array).go(&["kubebuilder:validation:MinItems"]),
    m("max_items", Count, Schema, "Most allowed items.").to(Array).go(&["kubebuilder:validation:MaxItems"]),
    m("unique_items", Flag, Schema, "Items must be unique.").to(Array).go(&["kubebuilder:validation:UniqueItems"]),
    m("min_properties", Count, Schema, "Fewest allowed properties.").to(Object).go(&["kubebuilder:validation:MinProperties"]),
    m("max_properties", Count, Schema, "Most allowed properties.").to(Object).go(&["kubebuilder:validation:MaxProperties"]),
    m("enum_values", LiteralList, Schema, "The allowed values.").go(&["kubebuilder:validation:Enum"]),
    m(
        "schema_type",
        OneOf(&["string", "integer", "number", "boolean", "object", "array"]),
        Schema,
        "Overrides the schema type (for types serialized by custom code).",
    )
    .go(&["kubebuilder:validation:Type"]),
    m("nullable", Flag, Schema, "`null` is allowed (and kept) for this value.").go(&["nullable"]),
    m("default", Literal, Schema, "Default value set by the API server, as a Rust literal.").go(&["kubebuilder:default", "default"]),
    m("default_json", Json, Schema, "Default value as JSON text (objects, nested lists)."),
    m("example", Literal, Schema, "Example value.").go(&["kubebuilder:example"]),
    m("preserve_unknown_fields", Flag, Schema, "Keep fields the schema does not name (x-kubernetes-preserve-unknown-fields).")
        .go(&["kubebuilder:pruning:PreserveUnknownFields", "kubebuilder:validation:XPreserveUnknownFields"]),
    m("embedded_resource", Flag, Schema, "The value is a whole Kubernetes object (apiVersion, kind, metadata).")
        .go(&["kubebuilder:validation:EmbeddedResource", "kubebuilder:validation:XEmbeddedResource"]),
    m("int_or_string", Flag, Schema, "The value is an integer or a string (x-kubernetes-int-or-string).")
        .go(&["kubebuilder:validation:XIntOrString"]),
    m("schemaless", Flag, Schema, "Emit no schema for this field (it must be combined with preserve_unknown_fields or a type).")
        .go(&["kubebuilder:validation:Schemaless"]),
    m("list_type", OneOf(&["atomic", "set", "map"]), Schema, "How server-side apply merges the list.")
        .to(Array)
        .go(&["listType", "k8s:listType"]),
    m("list_map_key", Str, Schema, "Key field of a `list_type = \"map\"` list (repeatable).")
        .to(Array)
        .many()
        .go(&["listMapKey", "k8s:listMapKey"]),
    m("map_type", OneOf(&["granular", "atomic"]), Schema, "How server-side apply merges the map.").to(Object).go(&["mapType"]),
    m("struct_type", OneOf(&["granular", "atomic"]), Schema, "How server-side apply merges the struct.").to(Object).go(&["structType"]),
    m("validation", Group(VALIDATION), Schema, "CEL validation rule (x-kubernetes-validations; repeatable).")
        .many()
        .go(&["kubebuilder:validation:XValidation"]),
    m("items", Items, Schema, "Schema markers for the elements of an array.").to(Array),
    m("external_docs", Group(EXTERNAL_DOCS), Schema, "Link to external documentation (externalDocs).").go(&["kubebuilder:externalDocs", "kubebuilder:externalDoc"]),
    m("immutable", Flag, Field, "The field cannot change once set (CEL `self == oldSelf`; an optional one cannot be removed either).")
        .go(&["k8s:immutable"]),
    m("required", Flag, Field, "The field is required even though serde would accept it missing.").go(&[
        "kubebuilder:validation:Required",
        "required",
        "k8s:required",
    ]),
    m("optional", Flag, Field, "The field is optional even though serde requires it.").go(&[
        "kubebuilder:validation:Optional",
        "optional",
        "k8s:optional",
    ]),
    m("skip", Flag, Field, "Leave the field out of the schema.").go(&["kubebuilder:skip"]),
];

/// Go markers that mean nothing for a CRD: other generators' directives (deepcopy, client-gen,
/// RBAC, webhooks, apply configurations, conversion, defaulting, OpenAPI) and markers whose
/// meaning a Rust type already carries. Accepted in doc comments and ignored, as controller-gen's
/// CRD generator ignores them. Each is matched as the whole name or a prefix before `:`
/// (`kubebuilder:rbac` covers `+kubebuilder:rbac:groups=...`).
pub const GO_IGNORED: &[(&str, &str)] = &[
    ("kubebuilder:object:root", "marks the root type for controller-gen's object (DeepCopy) generator"),
    ("kubebuilder:object:generate", "turns controller-gen's DeepCopy generation on or off"),
    ("kubebuilder:rbac", "RBAC rules for controller-gen's rbac generator"),
    ("kubebuilder:webhook", "webhook configuration for controller-gen's webhook generator"),
    ("kubebuilder:ac", "apply configurations (controller-gen's applyconfiguration generator)"),
    ("genclient", "client-gen's typed clients (`+genclient:nonNamespaced` too: the CRD's scope is `scope`)"),
    ("k8s:deepcopy-gen", "deepcopy-gen"),
    ("k8s:openapi-gen", "openapi-gen"),
    ("k8s:conversion-gen", "conversion-gen"),
    ("k8s:conversion-gen-external-types", "conversion-gen"),
    ("k8s:defaulter-gen", "defaulter-gen (CRD defaults are `default` markers)"),
    ("k8s:defaulter-gen-input", "defaulter-gen"),
    ("k8s:prerelease-lifecycle-gen", "prerelease-lifecycle-gen (API lifecycle of built-in types)"),
    ("k8s:protobuf", "go-to-protobuf"),
    ("protobuf", "go-to-protobuf"),
    ("enum", "marks a Go string type as an enum of its constants; a Rust enum's variants are its values already"),
    ("k8s:enum", "as `+enum`"),
    ("patchStrategy", "strategic merge patch, which the API server does not offer for custom resources"),
    ("patchMergeKey", "strategic merge patch, which the API server does not offer for custom resources"),
];

/// Go markers with a meaning crd-gen does not reproduce: refused, with what to write instead.
pub const GO_REFUSED: &[(&str, &str)] = &[
    (
        "kubebuilder:feature-gate",
        "a field that exists only behind a feature gate is a cargo feature in Rust: `#[cfg(feature = \"..\")]` on the field, and generate each feature set with `--features`",
    ),
    (
        "kubebuilder:skip:description",
        "leave the description out with `#[crd(description = \"\")]` on the field, or drop all descriptions with `--max-desc-len 0`",
    ),
];

/// Package markers: Go markers in a package's doc comment, which crd-gen reads in module docs
/// (`//! +groupName=...`) and applies to the module and its submodules.
pub const GO_PACKAGE: &[(&str, &str)] = &[
    ("groupName", "The API group of every resource in the module that does not name its own `group`."),
    (
        "versionName",
        "The version of every resource in the module that does not name its own `version`; without it, the name of the nearest enclosing module named like a version (`v1`, `v1beta1`), as Go uses the package name.",
    ),
    ("kubebuilder:validation:Optional", "Fields of the module's types are optional unless marked `required`."),
    (
        "kubebuilder:validation:Required",
        "Fields are required unless serde or `optional` says otherwise: the default, so (as in controller-gen) it changes nothing.",
    ),
    ("kubebuilder:skip", "The module is not an API version: its resources are not generated."),
];

/// Why Go marker `name` is ignored, if it is one of [`GO_IGNORED`].
pub fn go_ignored(name: &str) -> Option<&'static str> {
    let matches = |entry: &str| name == entry || name.strip_prefix(entry).is_some_and(|rest| rest.starts_with(':'));
    GO_IGNORED.iter().find(|(n, _)| matches(n)).map(|(_, why)| *why)
}

/// Keys allowed inside `items(...)`: the schema markers except the field-only ones.
pub fn item_markers() -> impl Iterator<Item = &'static MarkerDef> {
    MARKERS.iter().filter(|d| d.site == Schema)
}

pub fn lookup(name: &str) -> Option<&'static MarkerDef> {
    MARKERS.iter().find(|d| d.name == name)
}

/// The closest known name, for "did you mean" help.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates.map(|c| (edit_distance(name, c), c)).filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(1)).min().map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring letters is one edit (`scpoe` -> `scope`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for d in MARKERS {
            assert!(seen.insert(d.name), "duplicate marker {}", d.name);
            assert!(d.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", d.name);
        }
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("min_lenght", MARKERS.iter().map(|d| d.name)), Some("min_length"));
        assert_eq!(suggest("groupp", MARKERS.iter().map(|d| d.name)), Some("group"));
        assert_eq!(suggest("scpoe", MARKERS.iter().map(|d| d.name)), Some("scope"));
        assert_eq!(suggest("zzzzzzzz", MARKERS.iter().map(|d| d.name)), None);
    }
}
