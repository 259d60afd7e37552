//! The kubebuilder markers of Kubernetes API types (`k8s_markers.txt`): what controller-gen reads
//! from the Go source of k8s.io/api and k8s.io/apimachinery, and the OpenAPI spec k8s-openapi is
//! generated from leaves out. Applied to an inlined k8s-openapi type with the translation and the
//! application of a user's Go comment markers, so they mean exactly what they mean there.

use super::Lowerer;
use crate::markers::{AttrSite, Marker, MarkerKey, go};
use crate::schema::Schema;
use crate::source::Scope;
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("k8s_markers.txt");

/// Type path -> (JSON field, or `.` for the type, and the marker line without `+`).
type Table = HashMap<&'static str, Vec<(&'static str, &'static str)>>;

/// The table, read once.
pub fn table() -> &'static Table {
    static PARSED: OnceLock<Table> = OnceLock::new();
    PARSED.get_or_init(|| parse(TABLE))
}

fn parse(text: &'static str) -> Table {
    let mut out: Table = HashMap::new();
    let mut current: Option<&'static str> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(ty) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(ty);
            continue;
        }
        let (Some(ty), Some((field, marker))) = (current, line.split_once(" +")) else {
            panic!("k8s_markers.txt: `{line}` is not `<field> +<marker>` under a `[type]`");
        };
        out.entry(ty).or_default().push((field, marker));
    }
    out
}

/// The path the table knows a k8s-openapi type by: its module path below the version module,
/// without the module of its own file (`k8s_openapi::v1_34::api::core::v1::container` and
/// `Container` -> `api::core::v1::Container`).
pub fn type_path(module_path: &str, name: &str) -> String {
    let parts: Vec<&str> = module_path.split("::").collect();
    let start = parts.iter().position(|p| p.starts_with("v1_")).map(|i| i + 1).unwrap_or(1);
    let end = parts.len().saturating_sub(1).max(start);
    let mut path: Vec<&str> = parts[start..end].to_vec();
    path.push(name);
    path.join("::")
}

/// Applies the table's markers for type `path` to its schema.
pub fn apply(lw: &mut Lowerer, scope: Scope, path: &str, schema: &mut Schema) {
    let Some(entries) = table().get(path) else { return };
    let mut by_field: Vec<(&str, Vec<Marker>)> = Vec::new();
    for (field, line) in entries {
        let site = if *field == "." { AttrSite::Type } else { AttrSite::Field };
        let mut errors = Vec::new();
        let markers = go::translate(&[(line.to_string(), proc_macro2::Span::call_site())], site, &mut errors);
        // The table is crd-gen's own data, checked by a unit test; a bad line adds nothing.
        debug_assert!(errors.is_empty(), "k8s_markers.txt: `{field} +{line}` of {path}: {errors:?}");
        match by_field.iter_mut().find(|(f, _)| f == field) {
            Some((_, list)) => list.extend(markers),
            None => by_field.push((field, markers)),
        }
    }
    let type_text = path.rsplit("::").next().unwrap_or(path);
    for (field, markers) in by_field {
        if field == "." {
            super::apply::apply(lw, scope, schema, &markers, &|| type_text.to_string());
            continue;
        }
        for m in &markers {
            match m.key() {
                MarkerKey::Optional => schema.required.retain(|r| r != field),
                MarkerKey::Required if !schema.required.iter().any(|r| r == field) => schema.required.push(field.to_string()),
                _ => {}
            }
        }
        // A field this version of the type does not have (the table is from one Kubernetes
        // version) is left alone.
        if let Some(prop) = schema.properties.as_mut().and_then(|p| p.get_mut(field)) {
            super::apply::apply(lw, scope, prop, &markers, &|| format!("{type_text}.{field}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_a_go_marker_crd_gen_reads() {
        for (ty, entries) in table() {
            for (field, line) in entries {
                let site = if *field == "." { AttrSite::Type } else { AttrSite::Field };
                let mut errors = Vec::new();
                let markers = go::translate(&[(line.to_string(), proc_macro2::Span::call_site())], site, &mut errors);
                assert!(errors.is_empty() && !markers.is_empty(), "[{ty}] {field} +{line}: {errors:?}");
            }
        }
        assert!(table().contains_key("apimachinery::pkg::apis::meta::v1::Condition"));
    }

    #[test]
    fn type_paths() {
        assert_eq!(type_path("k8s_openapi::v1_34::api::core::v1::container", "Container"), "api::core::v1::Container");
        assert_eq!(
            type_path("k8s_openapi::v1_37::apimachinery::pkg::apis::meta::v1::condition", "Condition"),
            "apimachinery::pkg::apis::meta::v1::Condition"
        );
    }
}
