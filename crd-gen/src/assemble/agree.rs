//! The markers that describe the whole CRD (names, short names, categories, scope, labels,
//! annotations) may be written on any one version of a kind: the versions that do not mention a
//! marker agree with the one that does. Only two different explicit values are an error, naming
//! both places.

use super::LoweredVersion;
use crate::crd::Names;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::markers::names::plural_of;
use crate::markers::{ArgKey, MarkerKey};
use indexmap::IndexMap;

/// What the versions of one kind agree on.
pub struct Shared {
    pub names: Names,
    pub scope: String,
    pub annotations: IndexMap<String, String>,
    pub labels: IndexMap<String, String>,
}

/// A value one version wrote, and where.
struct Written<T> {
    value: T,
    version: String,
    loc: Loc,
}

/// Checks one CRD-wide value across the versions; None (after reporting) when two disagree.
struct Agreement<'a> {
    versions: &'a [LoweredVersion],
    what: String,
    diags: &'a mut Diagnostics,
    ok: bool,
}

impl Agreement<'_> {
    /// The value of marker `key` the versions agree on (None: no version writes it).
    fn one<T: PartialEq + std::fmt::Debug>(&mut self, key: MarkerKey, read: impl Fn(&LoweredVersion) -> Option<T>) -> Option<T> {
        let mut found: Option<Written<T>> = None;
        for v in self.versions {
            let Some(value) = read(v) else { continue };
            let here = Written { value, version: v.decl.version.clone(), loc: v.decl.marker_loc(key, v.file) };
            match &found {
                None => found = Some(here),
                Some(first) if first.value == here.value => {}
                Some(first) => {
                    let name = key.name();
                    self.disagree(name, &format!("`{name}`"), first, &here);
                    return None;
                }
            }
        }
        found.map(|w| w.value)
    }

    /// `subject` is what differs as the message shows it (`` `plural` ``, ``label `team` ``).
    fn disagree<T: std::fmt::Debug>(&mut self, name: &str, subject: &str, first: &Written<T>, second: &Written<T>) {
        let shown = |w: &Written<T>| format!("{:?}", w.value);
        self.diags.push(
            Diagnostic::error(
                format!(
                    "versions `{}` and `{}` of {} give different {subject}: {} and {}",
                    first.version,
                    second.version,
                    self.what,
                    shown(first),
                    shown(second)
                ),
                Place::Source(second.loc),
            )
            .with_note(Place::Source(first.loc), format!("version `{}` gives {} here", first.version, shown(first)))
            .with_help(format!(
                "`{name}` describes the whole CRD: write it on one version (the others agree with it), or give every version the same value"
            )),
        );
        self.ok = false;
    }

    /// `name(key = .., value = ..)` markers: the union of the keys, each with one value.
    fn pairs(&mut self, marker: MarkerKey) -> IndexMap<String, String> {
        let name = marker.name();
        let mut out: IndexMap<String, Written<String>> = IndexMap::new();
        for v in self.versions {
            for m in v.decl.crd().all(marker) {
                let (Some(k), Some(val)) = (m.arg_str(ArgKey::Key), m.arg_str(ArgKey::Value)) else { continue };
                let here = Written { value: val.to_string(), version: v.decl.version.clone(), loc: Loc::from_span(v.file, m.span) };
                match out.get(k) {
                    None => {
                        out.insert(k.to_string(), here);
                    }
                    Some(first) if first.value == here.value => {}
                    Some(first) => {
                        let first = Written { value: first.value.clone(), version: first.version.clone(), loc: first.loc };
                        self.disagree(name, &format!("{name} `{k}`"), &first, &here);
                    }
                }
            }
        }
        out.into_iter().map(|(k, w)| (k, w.value)).collect()
    }
}

/// The derive gives each spec struct `CRD_PLURAL` and `CRD_NAME` from that struct's markers alone:
/// a version that leaves `plural` to another gets constants that do not name this CRD. Said as a
/// warning at that struct.
fn derive_constants_differ(plural: &Option<String>, kind: &str, a: &mut Agreement) {
    let Some(plural) = plural else { return };
    let default = plural_of(kind, None);
    if *plural == default {
        return;
    }
    let writer = a.versions.iter().find(|v| v.decl.str(MarkerKey::Plural).is_some()).map(|v| v.decl.version.clone()).unwrap_or_default();
    for v in a.versions.iter().filter(|v| v.decl.str(MarkerKey::Plural).is_none() && v.decl.derives_custom_resource) {
        a.diags.push(
            Diagnostic::warning(
                format!(
                    "the derive's `{}::CRD_PLURAL` is `{default}` (it sees only this struct), but the CRD's plural is `{plural}` (from version `{writer}`)",
                    v.decl.ident
                ),
                Place::Source(v.decl.loc),
            )
            .with_help(format!("if the constants are used, write `plural = \"{plural}\"` on this version too")),
        );
    }
}

/// The CRD-wide values of `versions` (one group and kind), or None after reporting a conflict.
pub fn shared(group: &str, kind: &str, versions: &[LoweredVersion], diags: &mut Diagnostics) -> Option<Shared> {
    let mut a = Agreement { versions, what: format!("{kind}.{group}"), diags, ok: true };
    let text = |key: MarkerKey| move |v: &LoweredVersion| v.decl.str(key).map(str::to_string);
    let list = |key: MarkerKey| {
        move |v: &LoweredVersion| {
            let all: Vec<String> = v.decl.crd().all(key).filter_map(|m| m.as_str().map(str::to_string)).collect();
            (!all.is_empty()).then_some(all)
        }
    };
    use MarkerKey::*;
    let plural = a.one(Plural, text(Plural));
    let singular = a.one(Singular, text(Singular));
    let list_kind = a.one(ListKind, text(ListKind));
    let short_names = a.one(ShortName, list(ShortName));
    let categories = a.one(Category, list(Category));
    let scope = a.one(Scope, text(Scope));
    let annotations = a.pairs(Annotation);
    let labels = a.pairs(Label);
    if !a.ok {
        return None;
    }
    derive_constants_differ(&plural, kind, &mut a);
    let names = Names {
        categories: categories.unwrap_or_default(),
        list_kind: list_kind.unwrap_or_else(|| format!("{kind}List")),
        plural: plural_of(kind, plural.as_deref()),
        short_names: short_names.unwrap_or_default(),
        singular: singular.unwrap_or_else(|| kind.to_lowercase()),
        kind: kind.to_string(),
    };
    Some(Shared { names, scope: scope.unwrap_or_else(|| "Namespaced".into()), annotations, labels })
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{diagnostics_of, run_source};

    /// Two versions of Widget; `$v1`/`$v2` are the markers of each (after group, version, kind).
    fn two_versions(v1: &str, v2: &str) -> String {
        format!(
            "pub mod v1 {{\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v1\", kind = \"Widget\"{v1})]\n    pub struct WidgetSpec {{ pub a: String }}\n}}\n\
             pub mod v2 {{\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v2\", kind = \"Widget\", storage_version{v2})]\n    pub struct WidgetSpec {{ pub a: String }}\n}}\n"
        )
    }

    #[test]
    fn markers_on_one_version_hold_for_all() {
        let src = two_versions(
            "",
            ", plural = \"widgetz\", singular = \"wid\", list_kind = \"WidgetCollection\", short_name = \"wz\", short_name = \"w\", \
             category = \"all\", scope = \"Cluster\", label(key = \"team\", value = \"a\"), annotation(key = \"note\", value = \"x\")",
        );
        let g = run_source(&src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let crd = &g.crates[0].files[0].crd();
        let n = &crd.spec.names;
        assert_eq!(
            (n.plural.as_str(), n.singular.as_str(), n.list_kind.as_str(), &n.short_names[..], &n.categories[..]),
            ("widgetz", "wid", "WidgetCollection", &["wz".to_string(), "w".to_string()][..], &["all".to_string()][..])
        );
        assert_eq!(crd.spec.scope, "Cluster");
        assert_eq!(crd.metadata.name, "widgetz.example.com");
        assert_eq!(crd.metadata.labels["team"], "a");
        assert_eq!(crd.metadata.annotations["note"], "x");
    }

    #[test]
    fn go_markers_on_the_storage_version_only() {
        let src = "pub mod v1 {\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v1\", kind = \"Widget\")]\n    pub struct WidgetSpec { pub a: String }\n}\n\
                   pub mod v2 {\n    /// +kubebuilder:resource:path=widgetz,scope=Cluster,shortName=wz\n    #[derive(CustomResource)]\n    #[crd(group = \"example.com\", version = \"v2\", kind = \"Widget\", storage_version)]\n    pub struct WidgetSpec { pub a: String }\n}\n";
        let g = run_source(src);
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let crd = &g.crates[0].files[0].crd();
        assert_eq!((crd.spec.names.plural.as_str(), crd.spec.scope.as_str()), ("widgetz", "Cluster"));
        assert_eq!(crd.spec.names.short_names, ["wz"]);
    }

    #[test]
    fn equal_explicit_values_agree() {
        let g = run_source(&two_versions(", scope = \"Cluster\", short_name = \"wz\"", ", scope = \"Cluster\", short_name = \"wz\""));
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
    }

    #[test]
    fn two_different_values_name_both_places() {
        let d = diagnostics_of(&two_versions(", plural = \"widgetz\"", ", plural = \"widgetses\""));
        assert!(
            d.contains("error: versions `v1` and `v2` of Widget.example.com give different `plural`: \"widgetz\" and \"widgetses\""),
            "{d}"
        );
        assert!(d.contains("lib.rs:8:"), "points at v2's marker: {d}");
        assert!(d.contains("lib.rs:3:") && d.contains("version `v1` gives \"widgetz\" here"), "notes v1's marker: {d}");
        let d = diagnostics_of(&two_versions(", short_name = \"a\"", ", short_name = \"a\", short_name = \"b\""));
        assert!(d.contains("give different `short_name`: [\"a\"] and [\"a\", \"b\"]"), "{d}");
        let d = diagnostics_of(&two_versions(", scope = \"Namespaced\"", ", scope = \"Cluster\""));
        assert!(d.contains("give different `scope`: \"Namespaced\" and \"Cluster\""), "{d}");
    }

    #[test]
    fn labels_and_annotations_merge_by_key() {
        let g = run_source(&two_versions(", annotation(key = \"a\", value = \"1\")", ", annotation(key = \"b\", value = \"2\")"));
        assert!(!g.has_errors(), "{}", g.render_diagnostics(false));
        let ann = &g.crates[0].files[0].crd().metadata.annotations;
        assert_eq!(ann.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(), ["a=1", "b=2"]);
        let d = diagnostics_of(&two_versions(", label(key = \"team\", value = \"a\")", ", label(key = \"team\", value = \"b\")"));
        assert!(d.contains("give different label `team`: \"a\" and \"b\""), "{d}");
    }
}
