//! The CEL environment of `x-kubernetes-validations` rules, by Kubernetes version: one table,
//! used by the parser (syntax and macros), the checker (functions and overloads), the messages
//! (since which version a function exists) and `docs/cel.md`.
//!
//! Sources (Kubernetes' own):
//! - k8s.io/apiserver `pkg/cel/environment/base.go`: `baseOpts`, the libraries and options of
//!   the base environment, each with the `IntroducedVersion` (and `RemovedVersion`) below;
//! - apiextensions-apiserver `pkg/apis/apiextensions/validation/validation.go`: a CRD's rules
//!   are compiled with `MustBaseEnvSet(environment.DefaultCompatibilityVersion())`, and a rule
//!   that is new in the request with its `NewExpressionsEnv()`, which holds only the options
//!   introduced at or before the compatibility version. `DefaultCompatibilityVersion()` is the
//!   server's minimum compatibility version, one minor below its own version. So an option
//!   introduced at 1.N is available to new CRD rules on API servers 1.N+1 and later: a 1.34
//!   server does not yet accept `sortBy`, whose lists library was introduced at 1.34;
//! - apiextensions-apiserver `pkg/apiserver/schema/cel/compilation.go`: the variables `self` and
//!   `oldSelf` (an optional when the rule sets `optionalOldSelf`), a bool result, and a
//!   `messageExpression` that must be a string;
//! - the libraries' declarations: k8s.io/apiserver `pkg/cel/library/{lists,regex,urls,quantity,
//!   ip,cidr,format,semverlib}.go`; cel-go's standard library, `ext/strings.go` (version 0, and
//!   version 2 from 1.29), `ext/sets.go`, `ext/comprehensions.go`, `ext/lists.go` (version 3) and
//!   `cel/library.go` (optional types).
//!
//! `library.Authz` and `AuthzSelectors` are in the base environment too, but their functions
//! only apply to the `authorizer` variable, which CRD rules do not have; they are left out.
//! The Kubernetes quantity library's `mul`, `div` and `divInt` appear in source newer than any
//! release this table covers, and are left out until a release is known to carry them.

use super::macros::MacroSet;
use super::types::{Type, parse_type};
use std::collections::BTreeMap;

/// The oldest and newest API server versions (1.N) the table describes.
pub const OLDEST: u32 = 28;
pub const NEWEST: u32 = 35;

/// A language option rather than functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `a.?b`, `a[?i]`, `[?x]`, `{?k: v}` and the `optional_type` values.
    OptionalSyntax,
    /// `optMap` (and `optFlatMap`, optional library version 1).
    OptionalMacros,
    /// `1 < 2.0`, `1u < 2`: comparisons across int, uint and double.
    CrossTypeNumericComparisons,
    /// Literal `duration('..')`, `timestamp('..')` and regex arguments are checked at compile time.
    LiteralValidation,
    /// `all(k, v, p)`, `exists(k, v, p)`, `existsOne`, `transformList`, `transformMap`, `transformMapEntry`.
    TwoVarComprehensions,
    /// The `sortBy(x, key)` macro.
    SortBy,
}

pub struct Library {
    /// What base.go enables (`ext.Strings(ext.StringsVersion(2))`).
    pub option: &'static str,
    pub title: &'static str,
    /// `IntroducedVersion` in base.go (1.N; 0 for "always").
    pub introduced: u32,
    pub removed: Option<u32>,
    pub features: &'static [Feature],
    /// (overload id, signature): `recv.name(args) -> result` for member overloads.
    pub overloads: &'static [(&'static str, &'static str)],
    /// Macros, for the docs.
    pub macros: &'static [&'static str],
}

impl Library {
    /// Whether new CRD rules on an API server of 1.`server` may use this library.
    pub fn enabled_on(&self, server: u32) -> bool {
        let compat = server - 1;
        self.introduced <= compat && self.removed.is_none_or(|r| compat < r)
    }
    /// The first API server version that accepts it in new CRD rules.
    pub fn first_server(&self) -> u32 {
        (self.introduced + 1).max(OLDEST)
    }
}

const COMPARABLE: &[&str] = &["bool", "int", "uint", "double", "string", "bytes", "duration", "timestamp"];

macro_rules! lib {
    ($option:expr, $title:expr, $introduced:expr, $removed:expr, $features:expr, [$($id:expr => $sig:expr),* $(,)?], [$($m:expr),*]) => {
        Library { option: $option, title: $title, introduced: $introduced, removed: $removed, features: $features,
            overloads: &[$(($id, $sig)),*], macros: &[$($m),*] }
    };
}

pub static LIBRARIES: &[Library] = &[
    lib!("(cel-go standard library)", "CEL standard functions and macros", 0, None, &[], [
        "logical_not" => "!_(bool) -> bool",
        "negate_int64" => "-_(int) -> int", "negate_double" => "-_(double) -> double",
        "logical_and" => "_&&_(bool, bool) -> bool", "logical_or" => "_||_(bool, bool) -> bool",
        "not_strictly_false" => "@not_strictly_false(bool) -> bool",
        "conditional" => "_?_:_(bool, A, A) -> A",
        "equals" => "_==_(A, A) -> bool", "not_equals" => "_!=_(A, A) -> bool",
        "less_bool" => "_<_(bool, bool) -> bool", "less_int64" => "_<_(int, int) -> bool", "less_uint64" => "_<_(uint, uint) -> bool", "less_double" => "_<_(double, double) -> bool", "less_string" => "_<_(string, string) -> bool", "less_bytes" => "_<_(bytes, bytes) -> bool", "less_timestamp" => "_<_(timestamp, timestamp) -> bool", "less_duration" => "_<_(duration, duration) -> bool",
        "less_equals_bool" => "_<=_(bool, bool) -> bool", "less_equals_int64" => "_<=_(int, int) -> bool", "less_equals_uint64" => "_<=_(uint, uint) -> bool", "less_equals_double" => "_<=_(double, double) -> bool", "less_equals_string" => "_<=_(string, string) -> bool", "less_equals_bytes" => "_<=_(bytes, bytes) -> bool", "less_equals_timestamp" => "_<=_(timestamp, timestamp) -> bool", "less_equals_duration" => "_<=_(duration, duration) -> bool",
        "greater_bool" => "_>_(bool, bool) -> bool", "greater_int64" => "_>_(int, int) -> bool", "greater_uint64" => "_>_(uint, uint) -> bool", "greater_double" => "_>_(double, double) -> bool", "greater_string" => "_>_(string, string) -> bool", "greater_bytes" => "_>_(bytes, bytes) -> bool", "greater_timestamp" => "_>_(timestamp, timestamp) -> bool", "greater_duration" => "_>_(duration, duration) -> bool",
        "greater_equals_bool" => "_>=_(bool, bool) -> bool", "greater_equals_int64" => "_>=_(int, int) -> bool", "greater_equals_uint64" => "_>=_(uint, uint) -> bool", "greater_equals_double" => "_>=_(double, double) -> bool", "greater_equals_string" => "_>=_(string, string) -> bool", "greater_equals_bytes" => "_>=_(bytes, bytes) -> bool", "greater_equals_timestamp" => "_>=_(timestamp, timestamp) -> bool", "greater_equals_duration" => "_>=_(duration, duration) -> bool",
        "add_int64" => "_+_(int, int) -> int", "add_uint64" => "_+_(uint, uint) -> uint", "add_double" => "_+_(double, double) -> double",
        "add_string" => "_+_(string, string) -> string", "add_bytes" => "_+_(bytes, bytes) -> bytes",
        "add_list" => "_+_(list(A), list(A)) -> list(A)",
        "add_timestamp_duration" => "_+_(timestamp, duration) -> timestamp", "add_duration_timestamp" => "_+_(duration, timestamp) -> timestamp",
        "add_duration_duration" => "_+_(duration, duration) -> duration",
        "subtract_int64" => "_-_(int, int) -> int", "subtract_uint64" => "_-_(uint, uint) -> uint", "subtract_double" => "_-_(double, double) -> double",
        "subtract_timestamp_timestamp" => "_-_(timestamp, timestamp) -> duration",
        "subtract_timestamp_duration" => "_-_(timestamp, duration) -> timestamp",
        "subtract_duration_duration" => "_-_(duration, duration) -> duration",
        "multiply_int64" => "_*_(int, int) -> int", "multiply_uint64" => "_*_(uint, uint) -> uint", "multiply_double" => "_*_(double, double) -> double",
        "divide_int64" => "_/_(int, int) -> int", "divide_uint64" => "_/_(uint, uint) -> uint", "divide_double" => "_/_(double, double) -> double",
        "modulo_int64" => "_%_(int, int) -> int", "modulo_uint64" => "_%_(uint, uint) -> uint",
        "index_list" => "_[_](list(A), int) -> A", "index_map" => "_[_](map(K, V), K) -> V",
        "in_list" => "@in(A, list(A)) -> bool", "in_map" => "@in(K, map(K, V)) -> bool",
        "size_string" => "size(string) -> int", "size_bytes" => "size(bytes) -> int", "size_list" => "size(list(A)) -> int",
        "size_map" => "size(map(K, V)) -> int",
        "string_size" => "string.size() -> int", "bytes_size" => "bytes.size() -> int", "list_size" => "list(A).size() -> int",
        "map_size" => "map(K, V).size() -> int",
        "type" => "type(A) -> type(A)", "to_dyn" => "dyn(A) -> dyn",
        "int64_to_int64" => "int(int) -> int", "uint64_to_int64" => "int(uint) -> int", "double_to_int64" => "int(double) -> int",
        "string_to_int64" => "int(string) -> int", "timestamp_to_int64" => "int(timestamp) -> int",
        "uint64_to_uint64" => "uint(uint) -> uint", "int64_to_uint64" => "uint(int) -> uint", "double_to_uint64" => "uint(double) -> uint",
        "string_to_uint64" => "uint(string) -> uint",
        "double_to_double" => "double(double) -> double", "int64_to_double" => "double(int) -> double",
        "uint64_to_double" => "double(uint) -> double", "string_to_double" => "double(string) -> double",
        "string_to_string" => "string(string) -> string", "int64_to_string" => "string(int) -> string",
        "uint64_to_string" => "string(uint) -> string", "double_to_string" => "string(double) -> string",
        "bool_to_string" => "string(bool) -> string", "bytes_to_string" => "string(bytes) -> string",
        "timestamp_to_string" => "string(timestamp) -> string", "duration_to_string" => "string(duration) -> string",
        "bytes_to_bytes" => "bytes(bytes) -> bytes", "string_to_bytes" => "bytes(string) -> bytes",
        "bool_to_bool" => "bool(bool) -> bool", "string_to_bool" => "bool(string) -> bool",
        "timestamp_to_timestamp" => "timestamp(timestamp) -> timestamp", "string_to_timestamp" => "timestamp(string) -> timestamp",
        "int64_to_timestamp" => "timestamp(int) -> timestamp",
        "duration_to_duration" => "duration(duration) -> duration", "string_to_duration" => "duration(string) -> duration",
        "contains_string" => "string.contains(string) -> bool", "starts_with_string" => "string.startsWith(string) -> bool",
        "ends_with_string" => "string.endsWith(string) -> bool",
        "matches" => "matches(string, string) -> bool", "matches_string" => "string.matches(string) -> bool",
        "timestamp_to_year" => "timestamp.getFullYear() -> int", "timestamp_to_year_with_tz" => "timestamp.getFullYear(string) -> int",
        "timestamp_to_month" => "timestamp.getMonth() -> int", "timestamp_to_month_with_tz" => "timestamp.getMonth(string) -> int",
        "timestamp_to_day_of_year" => "timestamp.getDayOfYear() -> int",
        "timestamp_to_day_of_year_with_tz" => "timestamp.getDayOfYear(string) -> int",
        "timestamp_to_day_of_month" => "timestamp.getDayOfMonth() -> int",
        "timestamp_to_day_of_month_with_tz" => "timestamp.getDayOfMonth(string) -> int",
        "timestamp_to_day_of_month_1_based" => "timestamp.getDate() -> int",
        "timestamp_to_day_of_month_1_based_with_tz" => "timestamp.getDate(string) -> int",
        "timestamp_to_day_of_week" => "timestamp.getDayOfWeek() -> int",
        "timestamp_to_day_of_week_with_tz" => "timestamp.getDayOfWeek(string) -> int",
        "timestamp_to_hours" => "timestamp.getHours() -> int", "timestamp_to_hours_with_tz" => "timestamp.getHours(string) -> int",
        "duration_to_hours" => "duration.getHours() -> int",
        "timestamp_to_minutes" => "timestamp.getMinutes() -> int", "timestamp_to_minutes_with_tz" => "timestamp.getMinutes(string) -> int",
        "duration_to_minutes" => "duration.getMinutes() -> int",
        "timestamp_to_seconds" => "timestamp.getSeconds() -> int", "timestamp_to_seconds_with_tz" => "timestamp.getSeconds(string) -> int",
        "duration_to_seconds" => "duration.getSeconds() -> int",
        "timestamp_to_milliseconds" => "timestamp.getMilliseconds() -> int",
        "timestamp_to_milliseconds_with_tz" => "timestamp.getMilliseconds(string) -> int",
        "duration_to_milliseconds" => "duration.getMilliseconds() -> int",
    ], ["has(x.f)", "l.all(x, p)", "l.exists(x, p)", "l.exists_one(x, p)", "l.map(x, t)", "l.map(x, p, t)", "l.filter(x, p)"]),
    lib!("library.Lists()", "Kubernetes list library", 0, None, &[], [
        "list_is_sorted" => "list(Cmp).isSorted() -> bool",
        "list_int_sum" => "list(int).sum() -> int", "list_uint_sum" => "list(uint).sum() -> uint",
        "list_double_sum" => "list(double).sum() -> double", "list_duration_sum" => "list(duration).sum() -> duration",
        "list_min" => "list(Cmp).min() -> Cmp", "list_max" => "list(Cmp).max() -> Cmp",
        "list_index_of" => "list(A).indexOf(A) -> int", "list_last_index_of" => "list(A).lastIndexOf(A) -> int",
    ], []),
    lib!("library.Regex()", "Kubernetes regex library", 0, None, &[], [
        "string_find_string" => "string.find(string) -> string",
        "string_find_all_string" => "string.findAll(string) -> list(string)",
        "string_find_all_string_int" => "string.findAll(string, int) -> list(string)",
    ], []),
    lib!("library.URLs()", "Kubernetes URL library", 0, None, &[], [
        "string_to_url" => "url(string) -> URL", "url_is_url_string" => "isURL(string) -> bool",
        "url_get_scheme" => "URL.getScheme() -> string", "url_get_host" => "URL.getHost() -> string",
        "url_get_hostname" => "URL.getHostname() -> string", "url_get_port" => "URL.getPort() -> string",
        "url_get_escaped_path" => "URL.getEscapedPath() -> string", "url_get_query" => "URL.getQuery() -> map(string, list(string))",
    ], []),
    lib!("ext.Strings(ext.StringsVersion(0))", "cel-go strings extension", 0, None, &[], [
        "string_char_at_int" => "string.charAt(int) -> string",
        "string_index_of_string" => "string.indexOf(string) -> int", "string_index_of_string_int" => "string.indexOf(string, int) -> int",
        "string_last_index_of_string" => "string.lastIndexOf(string) -> int",
        "string_last_index_of_string_int" => "string.lastIndexOf(string, int) -> int",
        "string_lower_ascii" => "string.lowerAscii() -> string", "string_upper_ascii" => "string.upperAscii() -> string",
        "string_replace_string_string" => "string.replace(string, string) -> string",
        "string_replace_string_string_int" => "string.replace(string, string, int) -> string",
        "string_split_string" => "string.split(string) -> list(string)", "string_split_string_int" => "string.split(string, int) -> list(string)",
        "string_substring_int" => "string.substring(int) -> string", "string_substring_int_int" => "string.substring(int, int) -> string",
        "string_trim" => "string.trim() -> string",
        "list_join" => "list(string).join() -> string", "list_join_string" => "list(string).join(string) -> string",
    ], []),
    lib!("cel.CrossTypeNumericComparisons(true), cel.OptionalTypes()", "optional values; comparisons across int, uint and double", 28, None,
        &[Feature::OptionalSyntax, Feature::OptionalMacros, Feature::CrossTypeNumericComparisons], [
        "optional_of" => "optional.of(V) -> optional(V)", "optional_ofNonZeroValue" => "optional.ofNonZeroValue(V) -> optional(V)",
        "optional_none" => "optional.none() -> optional(V)",
        "optional_value" => "optional(V).value() -> V", "optional_hasValue" => "optional(V).hasValue() -> bool",
        "optional_or_optional" => "optional(V).or(optional(V)) -> optional(V)",
        "optional_orValue_value" => "optional(V).orValue(V) -> V",
        "list_optindex_optional_int" => "_[?_](list(V), int) -> optional(V)",
        "optional_list_optindex_optional_int" => "_[?_](optional(list(V)), int) -> optional(V)",
        "map_optindex_optional_value" => "_[?_](map(K, V), K) -> optional(V)",
        "optional_map_optindex_optional_value" => "_[?_](optional(map(K, V)), K) -> optional(V)",
        "optional_list_index_int" => "_[_](optional(list(V)), int) -> optional(V)",
        "optional_map_index_value" => "_[_](optional(map(K, V)), K) -> optional(V)",
        "less_int64_uint64" => "_<_(int, uint) -> bool", "less_int64_double" => "_<_(int, double) -> bool",
        "less_uint64_int64" => "_<_(uint, int) -> bool", "less_uint64_double" => "_<_(uint, double) -> bool",
        "less_double_int64" => "_<_(double, int) -> bool", "less_double_uint64" => "_<_(double, uint) -> bool",
        "less_equals_int64_uint64" => "_<=_(int, uint) -> bool", "less_equals_int64_double" => "_<=_(int, double) -> bool",
        "less_equals_uint64_int64" => "_<=_(uint, int) -> bool", "less_equals_uint64_double" => "_<=_(uint, double) -> bool",
        "less_equals_double_int64" => "_<=_(double, int) -> bool", "less_equals_double_uint64" => "_<=_(double, uint) -> bool",
        "greater_int64_uint64" => "_>_(int, uint) -> bool", "greater_int64_double" => "_>_(int, double) -> bool",
        "greater_uint64_int64" => "_>_(uint, int) -> bool", "greater_uint64_double" => "_>_(uint, double) -> bool",
        "greater_double_int64" => "_>_(double, int) -> bool", "greater_double_uint64" => "_>_(double, uint) -> bool",
        "greater_equals_int64_uint64" => "_>=_(int, uint) -> bool", "greater_equals_int64_double" => "_>=_(int, double) -> bool",
        "greater_equals_uint64_int64" => "_>=_(uint, int) -> bool", "greater_equals_uint64_double" => "_>=_(uint, double) -> bool",
        "greater_equals_double_int64" => "_>=_(double, int) -> bool", "greater_equals_double_uint64" => "_>=_(double, uint) -> bool",
    ], ["x.?f", "l[?i]", "[?x]", "{?k: v}", "o.optMap(x, t)", "o.optFlatMap(x, t)"]),
    lib!("library.Quantity()", "Kubernetes quantity library", 28, None, &[], [
        "string_to_quantity" => "quantity(string) -> Quantity", "is_quantity_string" => "isQuantity(string) -> bool",
        "quantity_sign" => "sign(Quantity) -> int",
        "quantity_is_greater_than" => "Quantity.isGreaterThan(Quantity) -> bool",
        "quantity_is_less_than" => "Quantity.isLessThan(Quantity) -> bool",
        "quantity_compare_to" => "Quantity.compareTo(Quantity) -> int",
        "quantity_get_float" => "Quantity.asApproximateFloat() -> double", "quantity_get_int" => "Quantity.asInteger() -> int",
        "quantity_is_integer" => "Quantity.isInteger() -> bool",
        "quantity_add" => "Quantity.add(Quantity) -> Quantity", "quantity_add_int" => "Quantity.add(int) -> Quantity",
        "quantity_sub" => "Quantity.sub(Quantity) -> Quantity", "quantity_sub_int" => "Quantity.sub(int) -> Quantity",
    ], []),
    lib!(
        "cel.ASTValidators(ValidateDurationLiterals, ValidateTimestampLiterals, ValidateRegexLiterals, ...)",
        "compile-time checks of literal durations, timestamps and regexes",
        29,
        None,
        &[Feature::LiteralValidation],
        [],
        []
    ),
    lib!("ext.Strings(ext.StringsVersion(2))", "cel-go strings extension, version 2 additions", 29, None, &[], [
        "string_format" => "string.format(list(dyn)) -> string", "strings_quote" => "strings.quote(string) -> string",
    ], []),
    lib!("ext.Sets()", "cel-go sets extension", 29, None, &[], [
        "list_sets_contains_list" => "sets.contains(list(A), list(A)) -> bool",
        "list_sets_equivalent_list" => "sets.equivalent(list(A), list(A)) -> bool",
        "list_sets_intersects_list" => "sets.intersects(list(A), list(A)) -> bool",
    ], []),
    lib!("library.IP(), library.CIDR()", "Kubernetes IP and CIDR libraries", 30, None, &[], [
        "string_to_ip" => "ip(string) -> IP", "is_ip" => "isIP(string) -> bool", "ip_is_canonical" => "ip.isCanonical(string) -> bool",
        "ip_family" => "IP.family() -> int", "ip_is_unspecified" => "IP.isUnspecified() -> bool",
        "ip_is_loopback" => "IP.isLoopback() -> bool", "ip_is_link_local_multicast" => "IP.isLinkLocalMulticast() -> bool",
        "ip_is_link_local_unicast" => "IP.isLinkLocalUnicast() -> bool", "ip_is_global_unicast" => "IP.isGlobalUnicast() -> bool",
        "ip_to_string" => "string(IP) -> string",
        "string_to_cidr" => "cidr(string) -> CIDR", "is_cidr" => "isCIDR(string) -> bool",
        "cidr_contains_ip_string" => "CIDR.containsIP(string) -> bool", "cidr_contains_ip_ip" => "CIDR.containsIP(IP) -> bool",
        "cidr_contains_cidr_string" => "CIDR.containsCIDR(string) -> bool", "cidr_contains_cidr" => "CIDR.containsCIDR(CIDR) -> bool",
        "cidr_ip" => "CIDR.ip() -> IP", "cidr_masked" => "CIDR.masked() -> CIDR", "cidr_prefix_length" => "CIDR.prefixLength() -> int",
        "cidr_to_string" => "string(CIDR) -> string",
    ], []),
    lib!("library.Format()", "Kubernetes format library", 31, None, &[], [
        "format-named" => "format.named(string) -> optional(Format)",
        "format-validate" => "Format.validate(string) -> optional(list(string))",
        "format.dns1123Label" => "format.dns1123Label() -> Format", "format.dns1123Subdomain" => "format.dns1123Subdomain() -> Format",
        "format.dns1035Label" => "format.dns1035Label() -> Format", "format.qualifiedName" => "format.qualifiedName() -> Format",
        "format.dns1123LabelPrefix" => "format.dns1123LabelPrefix() -> Format",
        "format.dns1123SubdomainPrefix" => "format.dns1123SubdomainPrefix() -> Format",
        "format.dns1035LabelPrefix" => "format.dns1035LabelPrefix() -> Format", "format.labelValue" => "format.labelValue() -> Format",
        "format.uri" => "format.uri() -> Format", "format.uuid" => "format.uuid() -> Format", "format.byte" => "format.byte() -> Format",
        "format.date" => "format.date() -> Format", "format.datetime" => "format.datetime() -> Format",
    ], []),
    lib!("ext.TwoVarComprehensions()", "cel-go two-variable comprehensions", 32, None, &[Feature::TwoVarComprehensions], [
        "@mapInsert_map_key_value" => "cel.@mapInsert(map(K, V), K, V) -> map(K, V)",
        "@mapInsert_map_map" => "cel.@mapInsert(map(K, V), map(K, V)) -> map(K, V)",
    ], ["l.all(i, v, p)", "l.exists(i, v, p)", "l.existsOne(i, v, p)", "l.transformList(i, v, t)", "l.transformList(i, v, p, t)",
        "m.transformMap(k, v, t)", "m.transformMap(k, v, p, t)", "m.transformMapEntry(k, v, t)", "m.transformMapEntry(k, v, p, t)"]),
    lib!("library.SemverLib(library.SemverVersion(1))", "Kubernetes semver library", 33, None, &[], [
        "string_to_semver" => "semver(string) -> Semver", "string_bool_to_semver" => "semver(string, bool) -> Semver",
        "is_semver" => "isSemver(string) -> bool", "is_semver_normalize" => "isSemver(string, bool) -> bool",
        "semver_is_greater_than" => "Semver.isGreaterThan(Semver) -> bool", "semver_is_less_than" => "Semver.isLessThan(Semver) -> bool",
        "semver_compare_to" => "Semver.compareTo(Semver) -> int",
        "semver_major" => "Semver.major() -> int", "semver_minor" => "Semver.minor() -> int", "semver_patch" => "Semver.patch() -> int",
    ], []),
    lib!("ext.Lists(ext.ListsVersion(3))", "cel-go lists extension, version 3", 34, None, &[Feature::SortBy], [
        "list_slice" => "list(T).slice(int, int) -> list(T)",
        "list_flatten" => "list(list(T)).flatten() -> list(T)", "list_flatten_int" => "list(dyn).flatten(int) -> list(dyn)",
        "list_sort" => "list(Cmp).sort() -> list(Cmp)",
        "list_sortByAssociatedKeys" => "list(T).@sortByAssociatedKeys(list(Cmp)) -> list(T)",
        "lists_range" => "lists.range(int) -> list(int)",
        "list_reverse" => "list(T).reverse() -> list(T)", "list_distinct" => "list(T).distinct() -> list(T)",
    ], ["l.sortBy(x, key)"]),
];

/// Functions CRD rules never have, with the reason (for messages).
pub static NEVER: &[(&str, &str)] = &[
    ("base64.encode", "cel-go's encoders extension"),
    ("base64.decode", "cel-go's encoders extension"),
    ("cel.bind", "cel-go's bindings extension"),
    ("math.greatest", "cel-go's math extension"),
    ("math.least", "cel-go's math extension"),
    ("math.abs", "cel-go's math extension"),
    ("math.ceil", "cel-go's math extension"),
    ("math.floor", "cel-go's math extension"),
    ("math.round", "cel-go's math extension"),
    ("math.trunc", "cel-go's math extension"),
    ("math.sign", "cel-go's math extension"),
    ("math.sqrt", "cel-go's math extension"),
    ("math.isInf", "cel-go's math extension"),
    ("math.isNaN", "cel-go's math extension"),
    ("math.isFinite", "cel-go's math extension"),
    ("math.bitAnd", "cel-go's math extension"),
    ("math.bitOr", "cel-go's math extension"),
    ("math.bitXor", "cel-go's math extension"),
    ("math.bitNot", "cel-go's math extension"),
    ("math.bitShiftLeft", "cel-go's math extension"),
    ("math.bitShiftRight", "cel-go's math extension"),
    ("jsonpatch.escapeKey", "the JSON patch library of mutating admission policies"),
];

/// One parsed overload.
#[derive(Clone, Debug)]
pub struct Overload {
    pub id: &'static str,
    pub member: bool,
    pub params: Vec<Type>,
    pub result: Type,
    /// Type parameters the signature uses (each gets a fresh variable per resolution).
    pub type_params: usize,
    /// Library index in [`LIBRARIES`].
    pub library: usize,
}

/// The callee and argument list of `recv.name(a, b) -> r`.
fn signature_parts(sig: &str) -> (&str, &str, &str) {
    let (head, result) = sig.rsplit_once("->").expect("signature has ->");
    let head = head.trim();
    let close = head.len() - 1;
    let mut depth = 0;
    let open = (0..=close)
        .rev()
        .find(|&i| {
            match head.as_bytes()[i] {
                b')' => depth += 1,
                b'(' => depth -= 1,
                _ => {}
            }
            depth == 0
        })
        .expect("signature has balanced parentheses");
    (head[..open].trim(), &head[open + 1..close], result)
}

/// The function name a signature declares.
pub fn signature_name(sig: &str) -> &str {
    split_receiver(signature_parts(sig).0).0
}

/// Parses `recv.name(a, b) -> r` / `name(a) -> r` into (name, overload).
fn parse_signature(id: &'static str, sig: &str, library: usize) -> (String, Overload) {
    let (callee, args, result) = signature_parts(sig);
    let mut vars = Vec::new();
    let (name, receiver) = split_receiver(callee);
    let mut params: Vec<Type> = receiver.map(|r| parse_type(r, &mut vars)).into_iter().collect();
    params.extend(super::types::split_top(args).into_iter().map(|a| parse_type(a, &mut vars)));
    let result = parse_type(result, &mut vars);
    let ov = Overload { id, member: receiver.is_some(), params, result, type_params: vars.len(), library };
    (name.to_string(), ov)
}

/// `list(A).indexOf` -> (`indexOf`, Some(`list(A)`)); `sets.contains` is a qualified global name.
fn split_receiver(callee: &str) -> (&str, Option<&str>) {
    if let Some(i) = callee.rfind(").") {
        return (&callee[i + 2..], Some(&callee[..=i]));
    }
    for prefix in ["string.", "bytes.", "timestamp.", "duration.", "URL.", "IP.", "CIDR.", "Quantity.", "Semver.", "Format."] {
        if let Some(name) = callee.strip_prefix(prefix) {
            return (name, Some(&prefix[..prefix.len() - 1]));
        }
    }
    (callee, None)
}

/// Expands the `Cmp` (comparable) placeholder into one overload per comparable type, as cel-go's
/// templated overloads do.
fn expand_comparable(id: &'static str, sig: &'static str) -> Vec<(&'static str, String)> {
    if !sig.contains("Cmp") {
        return vec![(id, sig.to_string())];
    }
    COMPARABLE.iter().map(|t| (id, sig.replace("Cmp", t))).collect()
}

/// The environment of new CRD rules on an API server of 1.`server`.
pub struct Env {
    pub server: u32,
    pub functions: BTreeMap<String, Vec<Overload>>,
    pub features: Vec<Feature>,
}

impl Env {
    pub fn has(&self, f: Feature) -> bool {
        self.features.contains(&f)
    }
    pub fn macros(&self) -> MacroSet {
        MacroSet {
            two_var: self.has(Feature::TwoVarComprehensions),
            optional: self.has(Feature::OptionalMacros),
            opt_flat_map: self.has(Feature::OptionalMacros),
            sort_by: self.has(Feature::SortBy),
        }
    }
}

fn build(server: u32) -> Env {
    let mut functions: BTreeMap<String, Vec<Overload>> = BTreeMap::new();
    let mut features = Vec::new();
    for (i, lib) in LIBRARIES.iter().enumerate().filter(|(_, l)| l.enabled_on(server)) {
        features.extend_from_slice(lib.features);
        for (id, sig) in lib.overloads {
            for (id, sig) in expand_comparable(id, sig) {
                let (name, ov) = parse_signature(id, &sig, i);
                functions.entry(name).or_default().push(ov);
            }
        }
    }
    Env { server, functions, features }
}

/// The environment for API server 1.`server` (clamped to the table by the caller).
pub fn env(server: u32) -> &'static Env {
    // Built once per thread (the types hold `Rc`s) and only for the versions asked for: a few
    // hundred overloads each, and a run asks for one.
    const VERSIONS: usize = (NEWEST - OLDEST + 1) as usize;
    thread_local! {
        static ENVS: [std::cell::OnceCell<&'static Env>; VERSIONS] = Default::default();
    }
    let server = server.clamp(OLDEST, NEWEST);
    ENVS.with(|envs| *envs[(server - OLDEST) as usize].get_or_init(|| Box::leak(Box::new(build(server)))))
}

/// The library that declares function `name`, if any version has it.
pub fn library_of(name: &str) -> Option<&'static Library> {
    LIBRARIES.iter().find(|l| l.overloads.iter().any(|(_, sig)| signature_name(sig) == name))
}

/// The library a macro or feature comes from.
pub fn library_with(f: Feature) -> &'static Library {
    LIBRARIES.iter().find(|l| l.features.contains(&f)).expect("every feature has a library")
}
