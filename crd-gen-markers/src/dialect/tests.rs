use crate::parse::{AttrSite, MarkerError};
use crate::vocab::{ArgKey, MarkerKey};
use crate::{CrdAttrs, Marker};

fn read(attrs: Vec<syn::Attribute>, site: AttrSite, ty: Option<syn::Type>) -> (CrdAttrs, Vec<MarkerError>) {
    let mut errors = Vec::new();
    let a = CrdAttrs::read_typed(&attrs, site, ty.as_ref(), &mut errors);
    (a, errors)
}

fn field(attrs: Vec<syn::Attribute>, ty: syn::Type) -> (CrdAttrs, Vec<String>) {
    let (a, e) = read(attrs, AttrSite::Field, Some(ty));
    (a, e.into_iter().map(|e| e.message).collect())
}

fn keys(a: &CrdAttrs) -> Vec<(MarkerKey, String)> {
    a.markers.iter().map(|m| (m.key(), format!("{:?}", m.value))).collect()
}

#[test]
fn kube_resource_keys_become_resource_markers() {
    let (a, e) = read(
        syn::parse_quote! {
            #[derive(CustomResource)]
            #[derive(PartialEq)]
            #[kube(group = "clux.dev", version = "v1", kind = "Foo", namespaced, status = "FooStatus")]
            #[kube(shortname = "f", shortname = "fo", category = "all", plural = "foos", singular = "foo")]
            #[kube(printcolumn = r#"{"name":"Team", "type":"string", "jsonPath":".spec.team", "priority": 1}"#)]
            #[kube(printcolumn(name = "Age", type_ = "date", json_path = ".metadata.creationTimestamp"))]
            #[kube(scale = r#"{"specReplicasPath":".spec.replicas", "statusReplicasPath":".status.replicas"}"#)]
            #[kube(selectable = ".spec.team", deprecated = "use v2", served = true, storage = false)]
            #[kube(annotation("a.io/x", "1"), label("l", "v"), derive = "PartialEq", root = "FooRoot")]
            #[kube(validation = Rule::new("self.metadata.name.size() < 20").message("short names"))]
        },
        AttrSite::ResourceStruct,
        None,
    );
    assert!(e.is_empty(), "{e:?}");
    let has = |k: MarkerKey| a.all(k).count();
    assert_eq!(a.str(MarkerKey::Group), Some("clux.dev"));
    assert_eq!(a.str(MarkerKey::Scope), Some("Namespaced"));
    assert_eq!(a.str(MarkerKey::Status), Some("FooStatus"));
    assert_eq!(has(MarkerKey::ShortName), 2);
    assert_eq!(has(MarkerKey::Printcolumn), 2);
    let team = a.all(MarkerKey::Printcolumn).next().unwrap();
    assert_eq!(team.arg_str(ArgKey::JsonPath), Some(".spec.team"));
    assert_eq!(team.arg(ArgKey::Priority).and_then(|p| p.as_count()), Some(1));
    assert_eq!(a.all(MarkerKey::Printcolumn).nth(1).unwrap().arg_str(ArgKey::Type), Some("date"));
    assert_eq!(a.get(MarkerKey::Scale).unwrap().arg_str(ArgKey::StatusReplicasPath), Some(".status.replicas"));
    assert_eq!(a.str(MarkerKey::Deprecated), Some("use v2"));
    assert!(!a.flag(MarkerKey::StorageVersion));
    assert_eq!(a.get(MarkerKey::Label).unwrap().arg_str(ArgKey::Value), Some("v"));
    assert_eq!(a.root_rules.len(), 1);
    assert_eq!(a.root_rules[0].arg_str(ArgKey::Message), Some("short names"));
    assert_eq!(a.str(MarkerKey::RootType), Some("FooRoot"));
    assert!(a.kube.is_some());
}

#[test]
fn kube_defaults_are_kube_derives() {
    let (a, e) = read(syn::parse_quote!(#[kube(group = "a.io", version = "v1", kind = "Foo")]), AttrSite::ResourceStruct, None);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(a.str(MarkerKey::Scope), Some("Cluster"));
    assert!(a.flag(MarkerKey::StorageVersion));
}

#[test]
fn kube_keys_crd_gen_cannot_honour_are_errors_at_the_key() {
    for (attr, want) in [
        (quote::quote!(#[kube(no_spec)]), "`no_spec` cannot be honoured"),
        (quote::quote!(#[kube(cel)]), "`cel` cannot be honoured"),
        (quote::quote!(#[kube(schema = "manual")]), "`schema = \"manual\"` cannot be honoured"),
        (quote::quote!(#[kube(attr = "allow(x)")]), "no extra attributes"),
        (quote::quote!(#[kube(derive = "Hash")]), "cannot derive `Hash`"),
        (quote::quote!(#[kube(crates(serde = ::my_serde))]), "cannot be honoured"),
        (quote::quote!(#[kube(namespace)]), "unknown kube-derive attribute `namespace`"),
        (quote::quote!(#[kube(printcolumn = r#"{"name":"A","type":"text","jsonPath":".a"}"#)]), "`text` is not a valid `type`"),
        (quote::quote!(#[kube(printcolumn(name = "A", json_path = ".a"))]), "needs `type`"),
        (quote::quote!(#[kube(validation = RULE)]), "crd-gen cannot read this value"),
    ] {
        let attrs: Vec<syn::Attribute> = syn::parse_quote!(#attr);
        let (_, e) = read(attrs, AttrSite::ResourceStruct, None);
        assert!(e.iter().any(|e| e.message.contains(want)), "{attr}: {:?}", e.iter().map(|e| &e.message).collect::<Vec<_>>());
    }
    let (a, e) =
        read(syn::parse_quote!(#[kube(derive = "PartialEq", derive = "Default", derive = "Clone")]), AttrSite::ResourceStruct, None);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(a.kube.unwrap().derives, ["PartialEq", "Default"], "the root type's extra derives");
    let (_, e) = read(syn::parse_quote!(#[kube(namespace)]), AttrSite::ResourceStruct, None);
    assert!(e[0].help.as_deref().unwrap().contains("did you mean `namespaced`?"), "{e:?}");
    let (_, e) = read(syn::parse_quote!(#[kube(group = "a")]), AttrSite::Field, None);
    assert!(e[0].message.contains("goes on the spec struct"), "{e:?}");
}

#[test]
fn schemars_validation_keys_by_type() {
    let (a, e) = field(syn::parse_quote!(#[schemars(length(min = 1, max = 63), regex(pattern = r"^[a-z]+$"))]), syn::parse_quote!(String));
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(keys(&a).iter().map(|k| k.0).collect::<Vec<_>>(), [MarkerKey::MinLength, MarkerKey::MaxLength, MarkerKey::Pattern]);
    let (a, _) = field(syn::parse_quote!(#[schemars(length(equal = 2))]), syn::parse_quote!(Option<Vec<u8>>));
    assert_eq!(keys(&a).iter().map(|k| k.0).collect::<Vec<_>>(), [MarkerKey::MinItems, MarkerKey::MaxItems]);
    let (a, e) =
        field(syn::parse_quote!(#[validate(range(min = -1, max = "2.5"), email)] #[garde(pattern(r"x"), ascii)]), syn::parse_quote!(f64));
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        keys(&a).iter().map(|k| k.0).collect::<Vec<_>>(),
        [MarkerKey::Minimum, MarkerKey::Maximum, MarkerKey::Format, MarkerKey::Pattern]
    );
    let (a, _) = field(syn::parse_quote!(#[schemars(contains = "a.b", inner(length(max = 3), url))]), syn::parse_quote!(Vec<String>));
    assert_eq!(a.str(MarkerKey::Pattern), Some(r"a\.b"));
    let items: Vec<MarkerKey> = a.get(MarkerKey::Items).unwrap().items().iter().map(Marker::key).collect();
    assert_eq!(items, [MarkerKey::MaxLength, MarkerKey::Format]);
}

#[test]
fn schemars_keys_crd_gen_cannot_honour_are_errors() {
    let (_, e) = field(syn::parse_quote!(#[schemars(schema_with = "my_schema")]), syn::parse_quote!(Foo));
    assert!(e[0].contains("cannot run `schema_with`"), "{e:?}");
    let (a, e) = field(syn::parse_quote!(#[schemars(schema_with = "my_schema")] #[crd(int_or_string)]), syn::parse_quote!(Foo));
    assert!(e.is_empty() && a.flag(MarkerKey::IntOrString), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[validate(regex(path = *RE))]), syn::parse_quote!(String));
    assert!(e[0].contains("cannot read this regular expression"), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[schemars(rename = "x")]), syn::parse_quote!(String));
    assert!(e[0].contains("disagree with serde"), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[schemars(rename = "x")] #[serde(rename = "x")]), syn::parse_quote!(String));
    assert!(e.is_empty(), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[schemars(range(min = MIN))]), syn::parse_quote!(i32));
    assert!(e[0].contains("crd-gen cannot read this value of `min`"), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[schemars(length(min = 1))] #[crd(min_length = 2)]), syn::parse_quote!(String));
    assert!(e[0].contains("given twice"), "{e:?}");
    let (_, e) = field(syn::parse_quote!(#[schemars(extend("x-foo" = 1))]), syn::parse_quote!(String));
    assert!(e[0].contains("no marker for the schema key `x-foo`"), "{e:?}");
}

#[test]
fn x_kube_rules_and_merge_strategies() {
    let (a, e) = field(
        syn::parse_quote! {
            #[x_kube(validation = "self.size() > 0", validation = ("self.size() < 9", "too many"))]
            #[x_kube(validation = Rule::new("self == oldSelf").message(Message::Expression("'was ' + oldSelf")).reason(Reason::FieldValueForbidden).field_path(".a").optional_old_self(true))]
            #[x_kube(merge_strategy = ListMerge::Map(vec!["name".into(), "port".to_string()]))]
        },
        syn::parse_quote!(Vec<Port>),
    );
    assert!(e.is_empty(), "{e:?}");
    let rules: Vec<&Marker> = a.all(MarkerKey::Validation).collect();
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[1].arg_str(ArgKey::Message), Some("too many"));
    assert_eq!(rules[2].arg_str(ArgKey::MessageExpression), Some("'was ' + oldSelf"));
    assert_eq!(rules[2].arg_str(ArgKey::Reason), Some("FieldValueForbidden"));
    assert!(rules[2].arg(ArgKey::OptionalOldSelf).is_some_and(|a| a.as_bool()));
    assert_eq!(a.str(MarkerKey::ListType), Some("map"));
    assert_eq!(a.all(MarkerKey::ListMapKey).filter_map(Marker::as_str).collect::<Vec<_>>(), ["name", "port"]);
    let (a, _) =
        field(syn::parse_quote!(#[x_kube(merge_strategy = kube::core::MapMerge::Atomic)]), syn::parse_quote!(BTreeMap<String, String>));
    assert_eq!(a.str(MarkerKey::MapType), Some("atomic"));
    let (_, e) = field(syn::parse_quote!(#[x_kube(validation = Rule::new("x").severity(1))]), syn::parse_quote!(String));
    assert!(e[0].contains("no method `severity`"), "{e:?}");
}
