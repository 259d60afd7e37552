//! `#[cfg(...)]` as far as source can tell: features come from cargo metadata, `test` is off,
//! k8s-openapi's version cfg follows its `v1_*` feature, and what cannot be known (target_os, ...)
//! counts as on, so nothing a build might include is hidden.

use super::CrateSource;

/// Whether items carrying `attrs` exist in a build of `krate`.
pub fn enabled(attrs: &[syn::Attribute], krate: &CrateSource) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).all(|a| match &a.meta {
        syn::Meta::List(l) => syn::parse2::<syn::Meta>(l.tokens.clone()).map(|m| eval(&m, krate)).unwrap_or(true),
        _ => true,
    })
}

fn eval(meta: &syn::Meta, krate: &CrateSource) -> bool {
    match meta {
        syn::Meta::Path(p) => !p.is_ident("test") && !p.is_ident("doc") && !p.is_ident("miri"),
        syn::Meta::NameValue(nv) => {
            let value = match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => s.value(),
                _ => return true,
            };
            if nv.path.is_ident("feature") {
                // Without metadata (no feature list) every feature may be on.
                return krate.features.is_empty() || krate.features.contains(&value);
            }
            if nv.path.is_ident("k8s_openapi_enabled_version") {
                return k8s_openapi_version(krate).is_none_or(|v| v == value);
            }
            true
        }
        syn::Meta::List(l) => {
            let Ok(inner) = l.parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated) else {
                return true;
            };
            if l.path.is_ident("not") {
                inner.first().is_none_or(|m| !eval_known(m, krate))
            } else if l.path.is_ident("any") {
                inner.iter().any(|m| eval(m, krate))
            } else if l.path.is_ident("all") {
                inner.iter().all(|m| eval(m, krate))
            } else {
                true
            }
        }
    }
}

/// Inside `not(..)`, an unknown cfg must not hide code either: `not(unknown)` is on.
fn eval_known(meta: &syn::Meta, krate: &CrateSource) -> bool {
    match meta {
        syn::Meta::Path(p) if p.is_ident("test") || p.is_ident("doc") || p.is_ident("miri") => false,
        syn::Meta::NameValue(nv) if nv.path.is_ident("feature") || nv.path.is_ident("k8s_openapi_enabled_version") => eval(meta, krate),
        syn::Meta::List(_) => eval(meta, krate),
        _ => false,
    }
}

/// k8s-openapi's build script turns the `v1_NN` feature (or K8S_OPENAPI_ENABLED_VERSION) into
/// `k8s_openapi_enabled_version = "1.NN"`.
/// The Kubernetes minor version `target`'s k8s-openapi dependency is built for (`v1_34` -> 34).
pub fn k8s_openapi_minor(target: &CrateSource) -> Option<u32> {
    let dep = target.deps.values().find(|d| d.package == "k8s-openapi")?;
    k8s_openapi_version(dep)?.strip_prefix("1.")?.parse().ok()
}

fn k8s_openapi_version(krate: &CrateSource) -> Option<String> {
    if let Ok(v) = std::env::var("K8S_OPENAPI_ENABLED_VERSION") {
        return Some(v);
    }
    krate.features.iter().filter_map(|f| f.strip_prefix("v1_")).map(|minor| format!("1.{minor}")).next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn krate(features: &[&str]) -> CrateSource {
        CrateSource {
            name: "k8s_openapi".into(),
            package: "k8s-openapi".into(),
            root_file: "lib.rs".into(),
            deps: BTreeMap::new(),
            features: features.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn on(src: &str, k: &CrateSource) -> bool {
        let item: syn::ItemStruct = syn::parse_str(&format!("{src} struct A;")).unwrap();
        enabled(&item.attrs, k)
    }

    #[test]
    fn the_k8s_openapi_feature_names_the_kubernetes_version() {
        let mut target = krate(&[]);
        assert_eq!(k8s_openapi_minor(&target), None);
        let mut dep = krate(&["default", "v1_34"]);
        dep.package = "k8s-openapi".into();
        target.deps.insert("k8s_openapi".into(), std::rc::Rc::new(dep));
        if std::env::var_os("K8S_OPENAPI_ENABLED_VERSION").is_none() {
            assert_eq!(k8s_openapi_minor(&target), Some(34));
        }
    }

    #[test]
    fn features_versions_and_test() {
        let k = krate(&["default", "v1_34"]);
        assert!(on(r#"#[cfg(k8s_openapi_enabled_version="1.34")]"#, &k));
        assert!(!on(r#"#[cfg(k8s_openapi_enabled_version="1.33")]"#, &k));
        assert!(!on("#[cfg(test)]", &k));
        assert!(on("#[cfg(not(test))]", &k));
        assert!(on(r#"#[cfg(feature = "default")]"#, &k));
        assert!(!on(r#"#[cfg(feature = "schemars")]"#, &k));
        assert!(on(r#"#[cfg(any(feature = "schemars", unix))]"#, &k));
        assert!(on(r#"#[cfg(target_os = "linux")]"#, &k));
        assert!(on(r#"#[cfg(not(target_os = "linux"))]"#, &k));
    }
}
