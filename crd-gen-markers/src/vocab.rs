//! The marker vocabulary: the one definition of every `#[crd(...)]` key, with its typed key
//! ([`MarkerKey`]), value, where it may stand, what schemas it fits, what it does to the Rust
//! type's schema, its controller-gen Go spellings and its documentation. The parser, the rules,
//! the derive's compile-time checks, the Go comment marker translation, the engine's lowering
//! and the generated reference (`docs/markers.md`) all read this table, so they cannot drift
//! apart; code names a marker by its key, never by its name.

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
    /// `key = <literal>`: string, number, bool, or `[..]` of those.
    Literal,
    /// `key = [<literal>, ..]`.
    LiteralList,
    /// `key = "<json text>"`.
    Json,
    /// `key` alone, or `key = "text"`.
    FlagOrStr,
    /// `key(inner = .., ..)` with its own keys.
    Group(&'static [ArgDef]),
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

/// What a marker does to the schema the value's Rust type gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeEffect {
    /// Adds to it or narrows it (most markers).
    Adds,
    /// Says what JSON the value is, so a field written by custom serde code (`with`) needs no
    /// type crd-gen can read; the type's own schema is kept otherwise.
    Describes,
    /// Replaces it: the value is what the marker says, the Rust type is not read at all.
    Replaces,
}

/// How a Go comment marker spells a `#[crd]` marker.
#[derive(Clone, Copy, Debug)]
pub struct GoMarker {
    /// The Go marker's name, without `+`.
    pub name: &'static str,
    pub form: GoForm,
}

/// How a Go marker's text gives the `#[crd]` marker's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoForm {
    /// `+name=value`; `+name` alone for a flag (true).
    Value,
    /// `+name` alone means the marker is off (`+kubebuilder:unservedversion`: `served = false`).
    Off,
    /// As `Value`, but a value `ref(Name)` names a Go constant, which crd-gen cannot evaluate
    /// (controller-gen writes no default for it either): no marker.
    ValueOrRef,
    /// Argument `arg` of the compound Go marker `name` (`+kubebuilder:resource:path=foos,scope=Cluster`
    /// holds `plural` and `scope`).
    Arg(&'static str),
    /// `+name="key=value";"k=v"`: one marker per entry.
    Entries,
    /// `+name:<X>=..` is the Go marker `+<prefix><X>=..` for the elements of an array
    /// (`+kubebuilder:validation:items:MaxLength=3`).
    Elements { prefix: &'static str },
    /// `+name=a;b`: a CEL rule on how many of the fields `a`, `b` are set, as controller-gen writes it.
    FieldGroup(FieldGroup),
}

/// controller-gen's field-group markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldGroup {
    AtMostOne,
    ExactlyOne,
    AtLeastOne,
}

impl GoMarker {
    /// The name as docs and messages show it (without `+`): `kubebuilder:resource:path`.
    pub fn spelling(&self) -> String {
        match self.form {
            GoForm::Arg(arg) => format!("{}:{arg}", self.name),
            GoForm::Elements { .. } => format!("{}:<marker>", self.name),
            _ => self.name.to_string(),
        }
    }
}

const fn go(name: &'static str) -> GoMarker {
    GoMarker { name, form: GoForm::Value }
}
const fn go_as(name: &'static str, form: GoForm) -> GoMarker {
    GoMarker { name, form }
}
const fn go_arg(name: &'static str, arg: &'static str) -> GoMarker {
    GoMarker { name, form: GoForm::Arg(arg) }
}

#[derive(Debug)]
pub struct MarkerDef {
    pub key: MarkerKey,
    pub name: &'static str,
    pub value: ValueKind,
    pub site: Site,
    pub applies_to: AppliesTo,
    pub repeatable: bool,
    pub effect: TypeEffect,
    /// Also allowed on an enum variant (markers that describe the variant's entry).
    pub on_variants: bool,
    /// Allowed among the Go root type's markers, in `root(/// +..)`.
    pub in_root: bool,
    /// The controller-gen comment markers with the same meaning (accepted in doc comments).
    pub go: &'static [GoMarker],
    pub doc: &'static str,
}

const fn m(key: MarkerKey, name: &'static str, value: ValueKind, site: Site, doc: &'static str) -> MarkerDef {
    MarkerDef {
        key,
        name,
        value,
        site,
        applies_to: AppliesTo::Any,
        repeatable: false,
        effect: TypeEffect::Adds,
        on_variants: false,
        in_root: matches!(site, Site::Resource),
        go: &[],
        doc,
    }
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
    const fn go(mut self, spellings: &'static [GoMarker]) -> Self {
        self.go = spellings;
        self
    }
    const fn effect(mut self, effect: TypeEffect) -> Self {
        self.effect = effect;
        self
    }
    const fn on_variants(mut self) -> Self {
        self.on_variants = true;
        self
    }
    const fn in_root(mut self, yes: bool) -> Self {
        self.in_root = yes;
        self
    }
    /// How the value is written, for error messages and the reference table.
    pub fn syntax(&self) -> String {
        syntax(self.name, self.value)
    }
}

/// `name = ..`, `name(..)`: how a key with this value is written.
pub fn syntax(name: &str, value: ValueKind) -> String {
    match value {
        ValueKind::Flag => format!("{name} / {name} = false"),
        ValueKind::Bool => format!("{name} = true|false"),
        ValueKind::Str => format!("{name} = \"..\""),
        ValueKind::OneOf(options) => {
            let o: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
            format!("{name} = {}", o.join("|"))
        }
        ValueKind::Count => format!("{name} = <n>"),
        ValueKind::Number => format!("{name} = <number>"),
        ValueKind::Literal => format!("{name} = <literal>"),
        ValueKind::LiteralList => format!("{name} = [<literal>, ..]"),
        ValueKind::Json => format!("{name} = \"<json>\""),
        ValueKind::FlagOrStr => format!("{name} / {name} = \"..\""),
        ValueKind::Group(inner) => {
            let keys: Vec<&str> = inner.iter().map(|d| d.name).collect();
            format!("{name}({})", keys.join(", "))
        }
        ValueKind::Items => format!("{name}(<schema markers>)"),
        ValueKind::Docs => format!("{name}(/// ..)"),
    }
}

/// The keys inside a group marker (`printcolumn(name = .., json_path = ..)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArgKey {
    SpecReplicasPath,
    StatusReplicasPath,
    LabelSelectorPath,
    Name,
    Type,
    JsonPath,
    Description,
    Format,
    Priority,
    Key,
    Value,
    Url,
    Rule,
    Message,
    MessageExpression,
    Reason,
    FieldPath,
    OptionalOldSelf,
}

/// One key inside a group marker.
#[derive(Debug)]
pub struct ArgDef {
    pub key: ArgKey,
    pub name: &'static str,
    pub value: ValueKind,
    pub required: bool,
    /// The argument's name in the Go marker (`JSONPath` for `json_path`); empty when the Go
    /// marker has no named arguments.
    pub go: &'static str,
    pub doc: &'static str,
}

const fn a(key: ArgKey, name: &'static str, value: ValueKind, doc: &'static str) -> ArgDef {
    ArgDef { key, name, value, required: false, go: "", doc }
}

impl ArgDef {
    const fn req(mut self) -> Self {
        self.required = true;
        self
    }
    const fn go(mut self, name: &'static str) -> Self {
        self.go = name;
        self
    }
    pub fn syntax(&self) -> String {
        syntax(self.name, self.value)
    }
}

use AppliesTo::{Array, Numeric, Object};
use ArgKey as A;
use Site::*;
use TypeEffect::{Describes, Replaces};
use ValueKind::*;

pub const SCALE: &[ArgDef] = &[
    a(A::SpecReplicasPath, "spec_replicas_path", Str, "JSON path of the desired replicas, e.g. `.spec.replicas`.").req().go("specpath"),
    a(A::StatusReplicasPath, "status_replicas_path", Str, "JSON path of the observed replicas, e.g. `.status.replicas`.")
        .req()
        .go("statuspath"),
    a(A::LabelSelectorPath, "label_selector_path", Str, "JSON path of the serialized label selector, e.g. `.status.selector`.")
        .go("selectorpath"),
];

pub const PRINTCOLUMN: &[ArgDef] = &[
    a(A::Name, "name", Str, "Column header.").req().go("name"),
    a(A::Type, "type", OneOf(&["integer", "number", "string", "boolean", "date"]), "Column type.").req().go("type"),
    a(A::JsonPath, "json_path", Str, "JSONPath into the object, e.g. `.status.phase`.").req().go("JSONPath"),
    a(A::Description, "description", Str, "Human readable description of the column.").go("description"),
    a(A::Format, "format", OneOf(&["int32", "int64", "float", "double", "byte", "date", "date-time", "password"]), "Column format.")
        .go("format"),
    a(A::Priority, "priority", Count, "0 shows the column in the standard view; higher only with `-o wide`.").go("priority"),
];

pub const KEY_VALUE: &[ArgDef] = &[a(A::Key, "key", Str, "The key.").req(), a(A::Value, "value", Str, "The value.").req()];

pub const EXTERNAL_DOCS: &[ArgDef] = &[
    a(A::Url, "url", Str, "Where the documentation is.").req().go("url"),
    a(A::Description, "description", Str, "What it is.").go("description"),
];

pub const VALIDATION: &[ArgDef] = &[
    a(A::Rule, "rule", Str, "The CEL expression; `self` is the value, `oldSelf` the previous value.").req().go("rule"),
    a(A::Message, "message", Str, "Message shown when the rule fails.").go("message"),
    a(A::MessageExpression, "message_expression", Str, "CEL expression producing the message.").go("messageExpression"),
    a(
        A::Reason,
        "reason",
        OneOf(&["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"]),
        "Machine-readable reason returned with the failure.",
    )
    .go("reason"),
    a(A::FieldPath, "field_path", Str, "JSON path of the field the failure is reported on, relative to this value.").go("fieldPath"),
    a(A::OptionalOldSelf, "optional_old_self", Flag, "Also run the rule on create (`oldSelf` is then an empty optional).")
        .go("optionalOldSelf"),
];

/// The table and [`MarkerKey`] from one list, so a key cannot lack its definition (or the other
/// way round): `m(Key, "name", ..)` is the entry of `MarkerKey::Key`.
macro_rules! vocabulary {
    ($( m($key:ident, $($arg:expr),+ $(,)?) $(. $method:ident ( $($marg:expr),* $(,)? ))* ),+ $(,)?) => {
        /// One key per `#[crd(...)]` marker, in the order of [`MARKERS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MarkerKey { $($key),+ }

        /// Every top-level `#[crd(...)]` key.
        pub const MARKERS: &[MarkerDef] = &[ $( m(MarkerKey::$key, $($arg),+) $(.$method($($marg),*))* ),+ ];
    };
}

vocabulary![
    // ---- resource markers (on the spec struct) ----
    m(Group, "group", Str, Resource, "API group, e.g. `webapp.my.domain`. Required, here or as `//! +groupName=..` in the module docs.")
        .go(&[go("groupName")]),
    m(
        Version,
        "version",
        Str,
        Resource,
        "API version of this spec struct, e.g. `v1`. Required, unless the module docs say `//! +versionName=..` or a module around the struct is named like a version (`mod v1`).",
    )
    .go(&[go("versionName")]),
    m(Kind, "kind", Str, Resource, "Kind; default: the struct name without `Spec`."),
    m(Status, "status", Str, Resource, "Status type; adds `status` and the status subresource (Go's `+kubebuilder:subresource:status`)."),
    m(StatusSubresource, "status_subresource", Flag, Resource, "Whether `status` also gets the status subresource; default true.")
        .go(&[go("kubebuilder:subresource:status")]),
    m(SpecRequired, "spec_required", Flag, Resource, "Objects must have a `spec` (controller-gen: a Spec field without `omitempty`)."),
    m(Scope, "scope", OneOf(&["Namespaced", "Cluster"]), Resource, "Resource scope; default `Namespaced`.")
        .go(&[go_arg("kubebuilder:resource", "scope")]),
    m(Plural, "plural", Str, Resource, "Plural name; default: the English plural of the lowercased kind.")
        .go(&[go_arg("kubebuilder:resource", "path")]),
    m(Singular, "singular", Str, Resource, "Singular name; default: the lowercased kind.").go(&[go_arg("kubebuilder:resource", "singular")]),
    m(ListKind, "list_kind", Str, Resource, "List kind; default: kind + `List`."),
    m(ShortName, "short_name", Str, Resource, "Short name for kubectl (repeatable).").many().go(&[go_arg("kubebuilder:resource", "shortName")]),
    m(Category, "category", Str, Resource, "Category such as `all` (repeatable).").many().go(&[go_arg("kubebuilder:resource", "categories")]),
    m(Scale, "scale", Group(SCALE), Resource, "Scale subresource.").go(&[go("kubebuilder:subresource:scale")]),
    m(Printcolumn, "printcolumn", Group(PRINTCOLUMN), Resource, "Additional printer column (repeatable, in order).")
        .many()
        .go(&[go("kubebuilder:printcolumn")]),
    m(
        SkipVersion,
        "skip_version",
        Flag,
        Resource,
        "Leave this version out of the CRD (an internal version, e.g. for conversion-gen); the kind needs another version.",
    )
    .go(&[go("kubebuilder:skipversion")]),
    m(StorageVersion, "storage_version", Flag, Resource, "This version is the storage version (needed when there are several).")
        .go(&[go("kubebuilder:storageversion")]),
    m(Served, "served", Bool, Resource, "Whether this version is served; default true.").go(&[go_as("kubebuilder:unservedversion", GoForm::Off)]),
    m(Deprecated, "deprecated", FlagOrStr, Resource, "Marks the version deprecated, optionally with a warning.")
        .go(&[go_arg("kubebuilder:deprecatedversion", "warning")]),
    m(SelectableField, "selectable_field", Str, Resource, "Field usable in field selectors, e.g. `.spec.color` (repeatable).")
        .many()
        .go(&[go_arg("kubebuilder:selectablefield", "JSONPath")]),
    m(
        Root,
        "root",
        Docs,
        Resource,
        "The root object's doc comment, written as `///` lines inside: the CRD's root `description` (default: `<Kind> is the Schema for the <plural> API`). Go markers among the lines are the Go root type's: resource markers, and `+kubebuilder:validation:XValidation` rules on the whole object (`self.spec`, `self.metadata.name`).",
    )
    .in_root(false),
    m(
        RootType,
        "root_type",
        Str,
        Resource,
        "Name of the root type `#[derive(CustomResource)]` generates (default: the kind), where the module has another item of that name.",
    )
    .in_root(false),
    m(NoRootType, "no_root_type", Flag, Resource, "Generate no root type for this spec struct (only its constants).").in_root(false),
    m(Annotation, "annotation", Group(KEY_VALUE), Resource, "Annotation on the CRD object (repeatable).")
        .many()
        .go(&[go_as("kubebuilder:metadata:annotations", GoForm::Entries)]),
    m(Label, "label", Group(KEY_VALUE), Resource, "Label on the CRD object (repeatable).")
        .many()
        .go(&[go_as("kubebuilder:metadata:labels", GoForm::Entries)]),
    // ---- schema markers (fields, structs and enums) ----
    m(
        Description,
        "description",
        Str,
        Schema,
        "Description; replaces the doc comment. On the spec struct: the root object's description (see `root`).",
    )
    .on_variants(),
    m(Title, "title", Str, Schema, "Schema title.").on_variants().go(&[go("kubebuilder:title")]),
    m(Minimum, "minimum", Number, Schema, "Lowest allowed value.").to(Numeric).go(&[go("kubebuilder:validation:Minimum")]),
    m(Maximum, "maximum", Number, Schema, "Highest allowed value.").to(Numeric).go(&[go("kubebuilder:validation:Maximum")]),
    m(ExclusiveMinimum, "exclusive_minimum", Flag, Schema, "`minimum` itself is not allowed.")
        .to(Numeric)
        .go(&[go("kubebuilder:validation:ExclusiveMinimum")]),
    m(ExclusiveMaximum, "exclusive_maximum", Flag, Schema, "`maximum` itself is not allowed.")
        .to(Numeric)
        .go(&[go("kubebuilder:validation:ExclusiveMaximum")]),
    m(MultipleOf, "multiple_of", Number, Schema, "The value must be a multiple of this.")
        .to(Numeric)
        .go(&[go("kubebuilder:validation:MultipleOf")]),
    m(MinLength, "min_length", Count, Schema, "Shortest allowed string.").to(AppliesTo::String).go(&[go("kubebuilder:validation:MinLength")]),
    m(MaxLength, "max_length", Count, Schema, "Longest allowed string.").to(AppliesTo::String).go(&[go("kubebuilder:validation:MaxLength")]),
    m(Pattern, "pattern", Str, Schema, "Regular expression the string must match.")
        .to(AppliesTo::String)
        .go(&[go("kubebuilder:validation:Pattern")]),
    m(Format, "format", Str, Schema, "OpenAPI format, e.g. `date-time`, `uri`.").go(&[go("kubebuilder:validation:Format")]),
    m(MinItems, "min_items", Count, Schema, "Fewest allowed items.").to(Array).go(&[go("kubebuilder:validation:MinItems")]),
    m(MaxItems, "max_items", Count, Schema, "Most allowed items.").to(Array).go(&[go("kubebuilder:validation:MaxItems")]),
    m(UniqueItems, "unique_items", Flag, Schema, "Items must be unique.").to(Array).go(&[go("kubebuilder:validation:UniqueItems")]),
    m(MinProperties, "min_properties", Count, Schema, "Fewest allowed properties.").to(Object).go(&[go("kubebuilder:validation:MinProperties")]),
    m(MaxProperties, "max_properties", Count, Schema, "Most allowed properties.").to(Object).go(&[go("kubebuilder:validation:MaxProperties")]),
    m(EnumValues, "enum_values", LiteralList, Schema, "The allowed values.").go(&[go("kubebuilder:validation:Enum")]),
    m(
        SchemaType,
        "schema_type",
        OneOf(&["string", "integer", "number", "boolean", "object", "array"]),
        Schema,
        "Overrides the schema type (for types serialized by custom code).",
    )
    .effect(Replaces)
    .go(&[go("kubebuilder:validation:Type")]),
    m(Nullable, "nullable", Flag, Schema, "`null` is allowed (and kept) for this value.").go(&[go("nullable")]),
    m(Default, "default", Literal, Schema, "Default value set by the API server, as a Rust literal.")
        .go(&[go("kubebuilder:default"), go_as("default", GoForm::ValueOrRef)]),
    m(DefaultJson, "default_json", Json, Schema, "Default value as JSON text (objects, nested lists)."),
    m(Example, "example", Literal, Schema, "Example value.").go(&[go("kubebuilder:example")]),
    m(
        PreserveUnknownFields,
        "preserve_unknown_fields",
        Flag,
        Schema,
        "Keep fields the schema does not name (x-kubernetes-preserve-unknown-fields).",
    )
    .effect(Describes)
    .go(&[go("kubebuilder:pruning:PreserveUnknownFields"), go("kubebuilder:validation:XPreserveUnknownFields")]),
    m(EmbeddedResource, "embedded_resource", Flag, Schema, "The value is a whole Kubernetes object (apiVersion, kind, metadata).")
        .go(&[go("kubebuilder:validation:EmbeddedResource"), go("kubebuilder:validation:XEmbeddedResource")]),
    m(IntOrString, "int_or_string", Flag, Schema, "The value is an integer or a string (x-kubernetes-int-or-string).")
        .effect(Replaces)
        .go(&[go("kubebuilder:validation:XIntOrString")]),
    m(
        Schemaless,
        "schemaless",
        Flag,
        Schema,
        "Emit no schema for this field (it must be combined with preserve_unknown_fields or a type).",
    )
    .effect(Replaces)
    .go(&[go("kubebuilder:validation:Schemaless")]),
    m(ListType, "list_type", OneOf(&["atomic", "set", "map"]), Schema, "How server-side apply merges the list.")
        .to(Array)
        .go(&[go("listType"), go("k8s:listType")]),
    m(ListMapKey, "list_map_key", Str, Schema, "Key field of a `list_type = \"map\"` list (repeatable).")
        .to(Array)
        .many()
        .go(&[go("listMapKey"), go("k8s:listMapKey")]),
    m(MapType, "map_type", OneOf(&["granular", "atomic"]), Schema, "How server-side apply merges the map.").to(Object).go(&[go("mapType")]),
    m(StructType, "struct_type", OneOf(&["granular", "atomic"]), Schema, "How server-side apply merges the struct.")
        .to(Object)
        .go(&[go("structType")]),
    m(Validation, "validation", Group(VALIDATION), Schema, "CEL validation rule (x-kubernetes-validations; repeatable).")
        .many()
        .in_root(true)
        .go(&[
            go("kubebuilder:validation:XValidation"),
            go_as("kubebuilder:validation:AtMostOneOf", GoForm::FieldGroup(FieldGroup::AtMostOne)),
            go_as("kubebuilder:validation:ExactlyOneOf", GoForm::FieldGroup(FieldGroup::ExactlyOne)),
            go_as("kubebuilder:validation:AtLeastOneOf", GoForm::FieldGroup(FieldGroup::AtLeastOne)),
        ]),
    m(Items, "items", Items, Schema, "Schema markers for the elements of an array.")
        .to(Array)
        .go(&[go_as("kubebuilder:validation:items", GoForm::Elements { prefix: "kubebuilder:validation:" })]),
    m(ExternalDocs, "external_docs", Group(EXTERNAL_DOCS), Schema, "Link to external documentation (externalDocs).")
        .go(&[go("kubebuilder:externalDocs"), go("kubebuilder:externalDoc")]),
    m(
        Immutable,
        "immutable",
        Flag,
        Field,
        "The field cannot change once set (CEL `self == oldSelf`; an optional one cannot be removed either).",
    )
    .go(&[go("k8s:immutable")]),
    m(Required, "required", Flag, Field, "The field is required even though serde would accept it missing.").go(&[
        go("kubebuilder:validation:Required"),
        go("required"),
        go("k8s:required"),
    ]),
    m(Optional, "optional", Flag, Field, "The field is optional even though serde requires it.").go(&[
        go("kubebuilder:validation:Optional"),
        go("optional"),
        go("k8s:optional"),
    ]),
    m(Skip, "skip", Flag, Field, "Leave the field out of the schema.").on_variants().go(&[go("kubebuilder:skip")]),
];

impl MarkerKey {
    /// The definition of this key.
    pub fn def(self) -> &'static MarkerDef {
        &MARKERS[self as usize]
    }
    /// The name written in `#[crd(...)]`.
    pub fn name(self) -> &'static str {
        self.def().name
    }
}

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

/// A Go package marker, read from a module's docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackageKey {
    GroupName,
    VersionName,
    FieldsOptional,
    FieldsRequired,
    Skip,
}

/// Package markers: Go markers in a package's doc comment, which crd-gen reads in module docs
/// (`//! +groupName=...`) and applies to the module and its submodules.
pub const GO_PACKAGE: &[(PackageKey, &str, &str)] = &[
    (PackageKey::GroupName, "groupName", "The API group of every resource in the module that does not name its own `group`."),
    (
        PackageKey::VersionName,
        "versionName",
        "The version of every resource in the module that does not name its own `version`; without it, the name of the nearest enclosing module named like a version (`v1`, `v1beta1`), as Go uses the package name.",
    ),
    (PackageKey::FieldsOptional, "kubebuilder:validation:Optional", "Fields of the module's types are optional unless marked `required`."),
    (
        PackageKey::FieldsRequired,
        "kubebuilder:validation:Required",
        "Fields are required unless serde or `optional` says otherwise: the default, so (as in controller-gen) it changes nothing.",
    ),
    (PackageKey::Skip, "kubebuilder:skip", "The module is not an API version: its resources are not generated."),
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

/// The marker written as `name` in `#[crd(...)]`.
pub fn lookup(name: &str) -> Option<&'static MarkerDef> {
    MARKERS.iter().find(|d| d.name == name)
}

/// Every Go spelling with the marker it spells.
pub fn go_spellings() -> impl Iterator<Item = (&'static MarkerDef, &'static GoMarker)> {
    MARKERS.iter().flat_map(|d| d.go.iter().map(move |g| (d, g)))
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
    fn names_are_unique_and_snake_case_of_their_keys() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, d) in MARKERS.iter().enumerate() {
            assert!(seen.insert(d.name), "duplicate marker {}", d.name);
            assert!(d.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", d.name);
            assert_eq!(d.key as usize, i);
            assert_eq!(snake_case(&format!("{:?}", d.key)), d.name);
        }
        for group in [SCALE, PRINTCOLUMN, KEY_VALUE, EXTERNAL_DOCS, VALIDATION] {
            for d in group {
                assert_eq!(snake_case(&format!("{:?}", d.key)), d.name);
            }
        }
    }

    fn snake_case(camel: &str) -> String {
        let mut out = String::new();
        for c in camel.chars() {
            if c.is_ascii_uppercase() && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn go_spellings_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (d, g) in go_spellings() {
            assert!(seen.insert(g.spelling()), "`+{}` spells two markers (one is {})", g.spelling(), d.name);
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
