//! Rules the API server accepts and refuses, per Kubernetes version: each asserts the message
//! and the place (the rule's line in lib.rs).

use super::env;
use crate::pipeline::{diagnostics_for, diagnostics_of};

/// A spec with one field per kind of value, and `rule` on the spec struct (line 3).
fn spec(rule: &str) -> String {
    spec_with(rule, "")
}

fn spec_with(rule: &str, extra: &str) -> String {
    let rule = rule.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "#[derive(CustomResource)]\n#[crd(group = \"a.example.com\", version = \"v1\")]\n#[crd(validation(rule = \"{rule}\"{extra}))]\n\
         pub struct WidgetSpec {{\n\
         #[crd(max_length = 10)] pub name: String,\n\
         pub text: String,\n\
         pub opt: Option<String>,\n\
         pub replicas: i32,\n\
         pub ratio: f64,\n\
         #[crd(max_items = 10, items(max_length = 20))] pub tags: Vec<String>,\n\
         pub items: Vec<Item>,\n\
         #[crd(max_items = 5)] pub bounded: Vec<Item>,\n\
         pub labels: std::collections::BTreeMap<String, String>,\n\
         #[crd(format = \"date-time\")] pub at: Option<String>,\n\
         }}\n\
         pub struct Item {{ #[crd(max_length = 10)] pub name: String, pub count: i64 }}\n"
    )
}

fn ok(d: &str) {
    assert!(!d.contains("error") && !d.contains("warning"), "expected no diagnostics:\n{d}");
}

fn err(d: &str, needles: &[&str]) {
    assert!(d.contains("error"), "expected an error:\n{d}");
    for n in needles {
        assert!(d.contains(n), "missing `{n}` in:\n{d}");
    }
    assert!(d.contains("lib.rs:3:"), "not at the rule's line:\n{d}");
}

#[test]
fn accepted_rules() {
    for rule in [
        "self.name.startsWith('a') && size(self.name) < 10 && self.replicas + 1 > 2",
        "self.?opt.orValue('') != 'x'",
        "self.tags.all(t, t.size() < 20)",
        "self.bounded.exists(i, i.name == 'a')",
        "self.tags.map(t, t.lowerAscii()).exists(t, t == 'a')",
        "!has(self.at) || self.at < timestamp('2030-01-01T00:00:00Z')",
        "'a' in self.labels",
        "type(self.replicas) == int",
        "self.bounded.filter(i, i.count > 0).size() <= 5",
        "[1, 2, 3].exists_one(x, x == 2)",
        "self.name.matches('^[a-z]+$')",
        "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
        "self.replicas >= 0 ? true : false",
        "{'a': 1}['a'] == 1",
        "self.ratio > 0.5",
    ] {
        ok(&diagnostics_of(&spec(rule)));
    }
}

#[test]
fn the_optional_field_syntax_is_accepted_from_1_29() {
    ok(&diagnostics_for(&spec("self.?opt.orValue('') != 'x'"), 29));
    err(&diagnostics_for(&spec("self.?opt.orValue('') != 'x'"), 28), &["unsupported syntax `.?`", "need Kubernetes 1.29"]);
}

#[test]
fn size_of_an_int_has_no_overload() {
    err(&diagnostics_of(&spec("size(self.replicas) > 0")), &["found no matching overload for `size` applied to `(int)`", "`size(string)`"]);
}

/// (rule, first version that accepts it) for each library and syntax of the table; the version
/// before refuses it with "needs Kubernetes 1.N".
const BY_VERSION: &[(&str, u32, &str)] = &[
    ("self.?opt.orValue('') == ''", 29, "need Kubernetes 1.29"),
    (
        "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
        29,
        "`quantity` is not available for CRD validation rules in Kubernetes 1.28; it needs Kubernetes 1.29",
    ),
    ("self.ratio > 1", 29, "found no matching overload for `>` applied to `(double, int)`"),
    (
        "sets.contains(self.tags, ['a'])",
        30,
        "`sets.contains` is not available for CRD validation rules in Kubernetes 1.29; it needs Kubernetes 1.30",
    ),
    (
        "'%s'.format([self.name]) == 'a'",
        30,
        "`format` is not available for CRD validation rules in Kubernetes 1.29; it needs Kubernetes 1.30",
    ),
    ("ip('10.0.0.1').family() == 4", 31, "`ip` is not available for CRD validation rules in Kubernetes 1.30; it needs Kubernetes 1.31"),
    (
        "cidr('10.0.0.0/8').containsIP('10.1.2.3')",
        31,
        "`cidr` is not available for CRD validation rules in Kubernetes 1.30; it needs Kubernetes 1.31",
    ),
    (
        "!format.dns1123Label().validate(self.name).hasValue()",
        32,
        "`format.dns1123Label` is not available for CRD validation rules in Kubernetes 1.31; it needs Kubernetes 1.32",
    ),
    (
        "self.tags.all(i, t, i < 10 && t != '')",
        33,
        "`all` is not available for CRD validation rules in Kubernetes 1.32; it needs Kubernetes 1.33",
    ),
    (
        "self.labels.transformMap(k, v, k.size()).size() >= 0",
        33,
        "`transformMap` is not available for CRD validation rules in Kubernetes 1.32; it needs Kubernetes 1.33",
    ),
    (
        "semver('1.2.3').isLessThan(semver('1.3.0'))",
        34,
        "`semver` is not available for CRD validation rules in Kubernetes 1.33; it needs Kubernetes 1.34",
    ),
    (
        "self.tags.sortBy(t, t.size()).size() == 1",
        35,
        "`sortBy` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35",
    ),
    (
        "lists.range(3).size() == 3",
        35,
        "`lists.range` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35",
    ),
    (
        "self.tags.reverse() == self.tags",
        35,
        "`reverse` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35",
    ),
    (
        "self.tags.distinct().size() == self.tags.size()",
        35,
        "`distinct` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35",
    ),
    ("self.tags.sort() == self.tags", 35, "`sort` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35"),
    (
        "self.tags.slice(0, 1).size() <= 1",
        35,
        "`slice` is not available for CRD validation rules in Kubernetes 1.34; it needs Kubernetes 1.35",
    ),
];

#[test]
fn each_library_from_the_version_that_has_it() {
    for (rule, since, refusal) in BY_VERSION {
        for v in env::OLDEST..=env::NEWEST {
            let d = diagnostics_for(&spec(rule), v);
            if v >= *since {
                assert!(!d.contains("error"), "`{rule}` must pass on 1.{v}:\n{d}");
            } else {
                assert!(d.contains("error"), "`{rule}` must fail on 1.{v}:\n{d}");
                if v == since - 1 {
                    err(&d, &[refusal]);
                }
            }
        }
    }
}

#[test]
fn functions_no_version_has() {
    for (rule, name, why) in [
        ("base64.decode('YQ==') == b'a'", "base64.decode", "encoders extension"),
        ("math.greatest(1, 2) == 2", "math.greatest", "math extension"),
        ("cel.bind(x, 1, x == 1)", "cel.bind", "bindings extension"),
    ] {
        for v in [28, 34, 35] {
            let d = diagnostics_for(&spec(rule), v);
            err(&d, &[&format!("`{name}` is not available for CRD validation rules in any Kubernetes version"), why]);
        }
    }
    // `reverse` of a string is strings version 3; the server has version 2.
    err(&diagnostics_for(&spec("self.name.reverse() == 'a'"), 35), &["found no matching overload for `reverse` applied to `string.()`"]);
    err(&diagnostics_of(&spec("self.name.lenght() > 3")), &["undeclared reference to `lenght`"]);
    err(&diagnostics_of(&spec("self.name.lowerascii() == 'a'")), &["undeclared reference to `lowerascii`", "did you mean `lowerAscii`?"]);
}

#[test]
fn newer_targets_use_the_newest_table_and_say_so() {
    ok(&diagnostics_for(&spec("self.tags.sortBy(t, t).size() > 0"), 37));
    let d = diagnostics_for(&spec("math.greatest(1, 2) == 2"), 37);
    err(&d, &["in any Kubernetes version"]);
    let d = diagnostics_for(&spec("lists.range(2).size() == 2 && base64.decode('') == b''"), 37);
    err(&d, &["base64.decode"]);
    let d = diagnostics_for(&spec("self.x == 1"), 20);
    err(&d, &["need Kubernetes 1.25; the target is 1.20"]);
}

#[test]
fn type_errors_as_the_checker_reports_them() {
    for (rule, needles) in [
        ("self.replicas > '3'", &["found no matching overload for `>` applied to `(int, string)`"][..]),
        ("self.replica > 0", &["undefined field `replica` on object `.spec`", "its fields in CEL:", "`replicas`"]),
        ("self.name.first > 0", &["type `string` does not support field selection"]),
        ("self.replicas", &["evaluates to int, but the API server requires a bool"]),
        ("self.replicas > 0 ? 'a' : 1", &["found no matching overload for `?:` applied to `(bool, string, int)`"]),
        ("[1, 'a'].size() == 2", &["expected type `int` but found `string`"]),
        ("self.replicas.all(x, x > 0)", &["expression of type `int` cannot be range of a comprehension"]),
        ("self.items.all(i, i.nam != '')", &["undefined field `nam`"]),
        ("has(self.nope)", &["undefined field `nope`"]),
        ("has(self)", &["invalid argument to has() macro"]),
        ("self.at > '2020'", &["found no matching overload for `>` applied to `(google.protobuf.Timestamp, string)`"]),
        ("self.tags[0] == 1", &["found no matching overload for `==` applied to `(string, int)`"]),
        ("self.labels[1] == 'a'", &["found no matching overload for `[]` applied to `(map(string, string), int)`"]),
        ("oldSelf.value() == self", &["found no matching overload for `value`"]),
        ("undefinedVar == 1", &["undeclared reference to `undefinedVar`", "the variables here are `self`, `oldSelf`"]),
        ("self.tags.all(x)", &["`all` takes (x, predicate)"]),
        ("self.replicas == 1.0", &["found no matching overload for `==` applied to `(int, double)`"]),
        ("duration('1x') > duration('1s')", &["duration validation failed: invalid duration \"1x\""]),
        ("timestamp('yesterday') < self.at", &["is not an RFC 3339 timestamp"]),
        ("self.name.matches('[a-')", &["invalid regex \"[a-\" in `matches`"]),
        ("self.name >", &["does not parse: expected an expression, found the end of the rule (at column 12)"]),
    ] {
        err(&diagnostics_of(&spec(rule)), needles);
    }
}

#[test]
fn accepted_types_and_conversions() {
    for rule in [
        "self.at + duration('1h') > timestamp('2020-01-01T00:00:00Z')",
        "int(self.ratio) + 1 == 2 && double(self.replicas) > 0.5 && string(self.replicas) != ''",
        "self.labels.all(k, self.labels[k].size() < 64 && k.size() < 64)",
        "self.tags + ['x'] != [] && 'a' + self.name != ''",
        "dyn(self.replicas) == 1",
        "self.bounded.map(i, i.count).sum() < 100",
        "self.bounded.exists(i, i.name.startsWith('x')) || self.tags.isSorted()",
        "self.tags.indexOf('a') >= -1 && self.name.indexOf('a') >= -1",
        "url('https://example.com').getHost() == 'example.com'",
        "self.name.find('[0-9]+') == '' && self.name.findAll('a').size() >= 0",
        "self.?opt.optMap(o, o.size()).orValue(0) < 5",
        "[?self.?opt].size() <= 1 && {?'k': self.?opt}.size() <= 1",
        "self.labels.?foo.orValue('') == ''",
        "null != self.at || true",
    ] {
        ok(&diagnostics_of(&spec(rule)));
    }
}

#[test]
fn message_expression_must_be_a_string() {
    let d = diagnostics_of(&spec_with("self.replicas > 0", ", message_expression = \"self.replicas\""));
    err(&d, &["message_expression `self.replicas` evaluates to int, but the API server requires a string"]);
    ok(&diagnostics_of(&spec_with("self.replicas > 0", ", message_expression = \"'replicas is %d'.format([self.replicas])\"")));
    // Concatenating an unbounded `string()` result is over the server's budget (a real 1.34 server
    // refuses it with "more than 100x").
    let d = diagnostics_of(&spec_with("self.replicas > 0", ", message_expression = \"'replicas is ' + string(self.replicas)\""));
    err(&d, &["CEL message_expression", "more than 100 times over", "cannot be bounded", "`'... %d ...'.format([x])`"]);
}

#[test]
fn escaped_property_names() {
    let src = spec("self.__dash__x == 1").replace(
        "pub replicas: i32,",
        "pub replicas: i32,\n#[serde(rename = \"my-field\")] pub my_field: i32,\n#[serde(rename = \"namespace\")] pub ns: String,",
    );
    ok(&diagnostics_of(&src.replace("self.__dash__x == 1", "self.my__dash__field == 1 && self.__namespace__ != ''")));
    let d = diagnostics_of(&src.replace("self.__dash__x == 1", "self.namespace != ''"));
    err(&d, &["`namespace` is a reserved word in CEL", "`self.__namespace__`"]);
    let d = diagnostics_of(&src.replace("self.__dash__x == 1", "self.my_field == 1"));
    err(&d, &["undefined field `my_field`", "`my__dash__field` (property `my-field`)"]);
}

#[test]
fn int_or_string_is_dyn_and_preserved_unknown_fields_are_not_exposed() {
    let src = spec("type(self.port) == string ? self.port.matches('^[0-9]+%$') : self.port > 0").replace(
        "pub replicas: i32,",
        "pub replicas: i32,\n#[crd(schemaless, int_or_string, max_length = 8)] pub port: Cfg,\n#[crd(schemaless, preserve_unknown_fields)] pub raw: Cfg,\n#[crd(preserve_unknown_fields)] pub cfg: Cfg,",
    ) + "pub struct Cfg { pub known: String }\n";
    ok(&diagnostics_of(&src));
    let d = diagnostics_of(&src.replace("type(self.port) == string ? self.port.matches('^[0-9]+%$') : self.port > 0", "self.raw == 1"));
    err(&d, &["undefined field `raw`"]);
    let d =
        diagnostics_of(&src.replace("type(self.port) == string ? self.port.matches('^[0-9]+%$') : self.port > 0", "self.cfg.other == ''"));
    err(&d, &["undefined field `other`", "`known`"]);
}

#[test]
fn old_self_only_where_correlatable() {
    let d = diagnostics_of(
        &spec("true").replace("pub struct Item {", "#[crd(validation(rule = \"self.name == oldSelf.name\"))]\npub struct Item {"),
    );
    assert!(d.contains("uses `oldSelf`, which cannot be used on the uncorrelatable portion of the schema within `.spec.items`"), "{d}");
    ok(&diagnostics_of(&spec("self.replicas >= oldSelf.replicas")));
    ok(&diagnostics_of(&spec_with("!oldSelf.hasValue() || self.replicas >= oldSelf.value().replicas", ", optional_old_self")));
    err(&diagnostics_of(&spec_with("self.replicas > 0", ", optional_old_self")), &["`optional_old_self` is set but rule"]);
    // With `optional_old_self`, `oldSelf` is an optional and selecting on it is optional too.
    err(
        &diagnostics_of(&spec_with("self.replicas >= oldSelf.replicas", ", optional_old_self")),
        &["found no matching overload for `>=` applied to `(int, optional_type(int))`"],
    );
}

#[test]
fn nested_iteration_over_an_unbounded_list_is_over_budget() {
    let d = diagnostics_of(&spec("self.items.all(a, self.items.all(b, a.name != b.name || a == b))"));
    err(&d, &["exceeds the limit 10,000,000", "`.spec.items` is unbounded (estimated up to", "items)", "add `max_items` to `.spec.items`"]);
    // Bounded, the same rule fits.
    ok(&diagnostics_of(&spec("self.bounded.all(a, self.bounded.all(b, a.name != b.name || a == b))")));
}

#[test]
fn split_on_an_unbounded_string_is_over_budget() {
    let d = diagnostics_of(&spec("self.text.split(',').all(p, p.size() < 10)"));
    err(
        &d,
        &[
            "exceeds the limit 10,000,000",
            "`.spec.text` is unbounded (estimated up to 3,145,726 bytes)",
            "add `max_length` to `.spec.text`",
        ],
    );
    ok(&diagnostics_of(&spec("self.name.split(',').all(p, p.size() < 10)")));
}

#[test]
fn a_rule_under_an_unbounded_list_runs_once_per_item() {
    let src = spec("true")
        .replace(
            "pub struct Item {",
            "#[crd(validation(rule = \"self.name.matches('^[a-z]+$') && self.name.lowerAscii().contains('x')\"))]\npub struct Item {",
        )
        .replace("#[crd(max_length = 10)] pub name: String, pub count", "pub name: String, pub count");
    let d = diagnostics_of(&src);
    assert!(d.contains("exceeds the limit 10,000,000"), "{d}");
    assert!(d.contains("the rule runs for every element of `.spec.items` (unbounded; estimated up to"), "{d}");
    assert!(d.contains("add `max_length` to `.spec.items[*].name`"), "{d}");
}

#[test]
fn near_the_budget_is_a_warning() {
    let src = spec("true").replace("#[crd(max_items = 5)] pub bounded", "#[crd(max_items = 1000000)] pub bounded").replace(
        "pub struct Item {",
        "#[crd(validation(rule = \"self.count > 0 && self.count < 10 && self.count > 1\"))]\npub struct Item {",
    );
    let d = diagnostics_of(&src);
    // 3 per comparison (`==`/`!=` on ints would cost 2: their size is 0) times 1,000,000 items.
    assert!(d.contains("warning: CEL rule `self.count > 0 && self.count < 10 && self.count > 1`: estimated cost 9,000,000 is 90% of the API server's limit 10,000,000"), "{d}");
    assert!(d.contains("the rule runs up to 1,000,000 times"), "{d}");
    assert!(!d.contains("error"), "{d}");
}

#[test]
fn the_whole_schema_has_a_budget_too() {
    let rules: String =
        (0..12).map(|i| format!("#[crd(validation(rule = \"self.count > {i} && self.count < 100 && self.count != 5\"))]\n")).collect();
    let src = spec("true")
        .replace("#[crd(max_items = 5)] pub bounded", "#[crd(max_items = 1000000)] pub bounded")
        .replace("pub struct Item {", &format!("{rules}pub struct Item {{"));
    let d = diagnostics_of(&src);
    // 12 rules of 8 at 1,000,000 items, and the same 12 under the unbounded `.spec.items`
    // (3,145,728 / 23 bytes per item = 136,770 runs each).
    assert!(d.contains("error: the CEL rules of this version have an estimated cost of 109,129,920 in total, over the API server's limit of 100,000,000 for a whole schema (by 9%)"), "{d}");
    assert!(d.contains("the most expensive:"), "{d}");
}

#[test]
fn costs_follow_cel_go_and_the_kubernetes_estimator() {
    use super::cost::estimate;
    use super::types::decl;
    use crate::schema::Schema;
    let mut s = Schema::object();
    let mut props = indexmap::IndexMap::new();
    props.insert("s".to_string(), Schema { max_length: Some(10), ..Schema::string() });
    props.insert("l".to_string(), Schema { max_items: Some(7), ..Schema::array(Schema { max_length: Some(5), ..Schema::string() }) });
    s.properties = Some(props);
    let root = decl(&s, false, ".spec").unwrap();
    let env = super::env::env(35);
    // (rule, max cost), computed by hand from checker/cost.go and library/cost.go:
    for (rule, want) in [
        ("true", 0),
        ("self.s == 'abc'", 3),            // ident 1 + select 1 + equals min(40, 3) * 0.1 -> 1
        ("self.s.size() > 3", 4),          // 2 + size 1 + > 1
        ("self.l.all(x, x != '')", 31),    // 2 + 7 items * (cond 2 + step 1 + 1) + result 1
        ("self.s.lowerAscii() == 'a'", 7), // 2 + lowerAscii 40 bytes * 0.1 = 4, equals min(40, 1) * 0.1 -> 1
        ("self.s.matches('^a+$')", 7),     // 2 + ceil((40 + 1) * 0.1) = 5 times 4 chars * 0.25 = 1
        // list 10; per item: cond !@result 3, step @result || x == 2 is 1 + 1 (the item's size is the
        // root's, 0, as apiextensions' size estimator resolves a path-less item); result 1.
        ("[1, 2, 3].exists(x, x == 2)", 26),
    ] {
        let syntax = super::parse::Syntax { optional: true, macros: env.macros() };
        let (mut e, ids) = super::parse::parse(rule, syntax).unwrap();
        let vars = super::check::Vars0 { self_type: root.ty.clone(), old_self_type: root.ty.clone() };
        let checked = super::check::check(&mut e, ids, env, &vars, super::check::Target { requested: 35 });
        assert!(checked.problems.is_empty(), "{rule}: {:?}", checked.problems);
        let got = estimate(&e, &checked, &root).cost.max;
        assert_eq!(got, want, "{rule}");
    }
}

#[test]
fn kube_versions_parse_as_1_nn() {
    use super::parse_kube_version;
    assert_eq!(parse_kube_version("1.34"), Ok(34));
    assert_eq!(parse_kube_version("v1.30.2"), Ok(30));
    assert!(parse_kube_version("2.0").unwrap_err().contains("is not a Kubernetes version"));
    assert!(parse_kube_version("1.x").is_err());
}
