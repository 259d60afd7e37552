//! Resource names derived from the kind: plural, singular, listKind.

/// The kind of a resource: its `kind` marker, or the spec struct's name without `Spec`
/// (None when neither says; the engine and the derive report that with the same help).
pub fn kind_of(spec_ident: &str, kind_marker: Option<&str>) -> Option<String> {
    match kind_marker {
        Some(k) => Some(k.to_string()),
        None => spec_ident.strip_suffix("Spec").filter(|k| !k.is_empty()).map(str::to_string),
    }
}

/// The plural a resource gets: its `plural` marker, or the English plural of the lowercased kind.
/// (The engine and the derive's `CRD_NAME` both use this, so they agree.)
pub fn plural_of(kind: &str, plural_marker: Option<&str>) -> String {
    plural_marker.map(str::to_string).unwrap_or_else(|| pluralize(&kind.to_lowercase()))
}

/// English plural of a lowercased kind, for the cases Kubernetes kinds meet (what controller-gen's
/// pluralizer gives for them): policy→policies, ingress→ingresses, proxy→proxies, status→statuses,
/// gateway→gateways, box→boxes, match→matches, quota→quotas.
pub fn pluralize(singular: &str) -> String {
    const UNCHANGED: &[&str] = &["endpoints", "data", "metadata", "series", "species", "news", "info", "information", "equipment"];
    const IRREGULAR: &[(&str, &str)] = &[
        ("person", "people"),
        ("child", "children"),
        ("man", "men"),
        ("woman", "women"),
        ("mouse", "mice"),
        ("index", "indices"),
        ("matrix", "matrices"),
        ("vertex", "vertices"),
    ];
    if UNCHANGED.iter().any(|w| singular.ends_with(w)) {
        return singular.to_string();
    }
    for (one, many) in IRREGULAR {
        if singular == *one || (singular.ends_with(one) && *one != "man" && *one != "index") {
            return format!("{}{}", &singular[..singular.len() - one.len()], many);
        }
    }
    let bytes = singular.as_bytes();
    let before_last = |n: usize| bytes.len() > n && !b"aeiou".contains(&bytes[bytes.len() - n - 1]);
    if singular.ends_with('y') && before_last(1) {
        return format!("{}ies", &singular[..singular.len() - 1]);
    }
    if ["s", "x", "z", "ch", "sh"].iter().any(|e| singular.ends_with(e)) {
        return format!("{singular}es");
    }
    format!("{singular}s")
}

#[cfg(test)]
mod tests {
    use super::pluralize;

    #[test]
    fn common_kinds() {
        for (one, many) in [
            ("guestbook", "guestbooks"),
            ("policy", "policies"),
            ("networkpolicy", "networkpolicies"),
            ("ingress", "ingresses"),
            ("ingressclass", "ingressclasses"),
            ("proxy", "proxies"),
            ("status", "statuses"),
            ("gateway", "gateways"),
            ("box", "boxes"),
            ("match", "matches"),
            ("mesh", "meshes"),
            ("testquota", "testquotas"),
            ("cronjob", "cronjobs"),
            ("endpoints", "endpoints"),
            ("key", "keys"),
        ] {
            assert_eq!(pluralize(one), many, "{one}");
        }
    }
}
