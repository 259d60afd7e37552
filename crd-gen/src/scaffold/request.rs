//! The names `create api` is given, checked as kubebuilder checks them (with the engine's own
//! rules in `validate::names`, so `create api` accepts exactly what `manifests` will), and the
//! API group they make: kubebuilder's `--group` is the short name, the API group is
//! `<group>.<domain>`.

use crate::diag::{Diagnostic, Place};
use crate::validate::names::{is_dns1123_subdomain, is_kind, is_kube_version};

/// What the user asked for, as typed.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// kubebuilder's `--group`: the short name (`webapp`), or a whole API group
    /// (`webapp.my.domain`) when no domain is given or recorded.
    pub group: String,
    /// `--domain` (`my.domain`); `None` uses the one recorded in Cargo.toml, if any.
    pub domain: Option<String>,
    pub version: String,
    pub kind: String,
    /// `--cluster`: a cluster-scoped resource (the default is namespaced).
    pub cluster: bool,
    /// Overwrite the kind's module file when it exists.
    pub force: bool,
}

/// The resource to scaffold, every name checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The API group (`webapp.my.domain`).
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub cluster: bool,
    /// The module (and file stem) of the kind: snake_case, raw when it is a keyword (`r#type`).
    pub module: String,
}

impl Resource {
    /// The file `cargo crd-gen manifests` writes for it, relative to the package.
    pub fn crd_file(&self) -> String {
        format!("config/crd/bases/{}_{}.yaml", self.group, self.plural)
    }
    /// The module's file name (`guestbook.rs`; `type.rs` for `r#type`).
    pub fn file_name(&self) -> String {
        format!("{}.rs", self.module.trim_start_matches("r#"))
    }
}

/// Checks the names that need no package: kind, version, group and domain syntax.
pub fn check_names(req: &Request) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut bad = |message: String, help: String| errors.push(Diagnostic::error(message, Place::Nowhere).with_help(help));
    if !is_kind(&req.kind) || !req.kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        bad(format!("kind `{}` is not UpperCamelCase", req.kind), kind_help(&req.kind));
    } else if module_name(&req.kind).is_none() {
        bad(
            format!("kind `{}` would need a module named `{}`, which Rust does not allow", req.kind, snake_case(&req.kind)),
            "choose another kind name".into(),
        );
    }
    if !is_kube_version(&req.version) {
        bad(
            format!("version `{}` is not a Kubernetes API version", req.version),
            "use `v` and a number, optionally followed by `alpha` or `beta` and a number: `v1`, `v1alpha1`, `v2beta3`".into(),
        );
    }
    if !is_dns1123_subdomain(&req.group) {
        bad(
            format!("group `{}` is not a valid DNS-1123 subdomain", req.group),
            "use lowercase letters, digits and '-', in labels separated by '.', e.g. `--group webapp`".into(),
        );
    }
    if let Some(d) = &req.domain
        && !is_dns1123_subdomain(d)
    {
        bad(
            format!("domain `{d}` is not a valid DNS-1123 subdomain"),
            "use a domain you own, lowercase, e.g. `--domain my.domain` or `--domain example.com`".into(),
        );
    }
    errors
}

/// The resource, given names that passed [`check_names`] and the domain recorded in
/// Cargo.toml: an explicit `--domain` is always appended (as kubebuilder does); without one a
/// dotted group is the whole API group and a short one takes the recorded domain.
pub fn resolve(req: &Request, recorded_domain: Option<&str>) -> Result<Resource, Box<Diagnostic>> {
    let group = match (&req.domain, recorded_domain) {
        (Some(d), _) => format!("{}.{d}", req.group),
        (None, _) if req.group.contains('.') => req.group.clone(),
        (None, Some(d)) => format!("{}.{d}", req.group),
        (None, None) => {
            return Err(Box::new(Diagnostic::error(format!("group `{}` needs a domain: the API group is `<group>.<domain>`", req.group), Place::Nowhere)
                .with_help(format!(
                    "pass `--domain my.domain` (the API group becomes `{0}.my.domain`; the domain is recorded in Cargo.toml for the next kinds), or a whole API group: `--group {0}.example.com`",
                    req.group
                ))));
        }
    };
    if !is_dns1123_subdomain(&group) {
        return Err(Box::new(
            Diagnostic::error(format!("API group `{group}` is longer than 253 characters"), Place::Nowhere)
                .with_help("use a shorter group or domain"),
        ));
    }
    let module = module_name(&req.kind).expect("checked by check_names");
    Ok(Resource {
        group,
        version: req.version.clone(),
        kind: req.kind.clone(),
        plural: crate::markers::names::plural_of(&req.kind, None),
        cluster: req.cluster,
        module,
    })
}

fn kind_help(kind: &str) -> String {
    let words: Vec<String> = kind
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect();
    let fixed = words.concat();
    if is_kind(&fixed) && fixed.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!("a kind starts with an uppercase letter and has only letters and digits: `--kind {fixed}`")
    } else {
        "a kind starts with an uppercase letter and has only letters and digits, e.g. `--kind Guestbook`".into()
    }
}

/// `CronJob` -> `cron_job`, `ABTest` -> `ab_test`, `V1Thing` -> `v1_thing`.
pub fn snake_case(kind: &str) -> String {
    let chars: Vec<char> = kind.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The module name for a kind: its snake_case, as a raw identifier when that is a keyword, or
/// None for the four names Rust does not allow even raw (`self`, `super`, `crate`, `Self`).
fn module_name(kind: &str) -> Option<String> {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum", "extern", "false",
        "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
        "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where",
        "while", "yield",
    ];
    let snake = snake_case(kind);
    match snake.as_str() {
        "self" | "super" | "crate" => None,
        s if KEYWORDS.contains(&s) => Some(format!("r#{s}")),
        _ => Some(snake),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(group: &str, domain: Option<&str>, version: &str, kind: &str) -> Request {
        Request {
            group: group.into(),
            domain: domain.map(str::to_string),
            version: version.into(),
            kind: kind.into(),
            ..Request::default()
        }
    }

    fn messages(r: &Request) -> Vec<String> {
        check_names(r).into_iter().map(|d| format!("{} / {}", d.message, d.help.join(" "))).collect()
    }

    #[test]
    fn snake_case_of_kinds() {
        for (kind, snake) in [
            ("Guestbook", "guestbook"),
            ("CronJob", "cron_job"),
            ("ABTest", "ab_test"),
            ("V1Thing", "v1_thing"),
            ("HTTPRoute", "http_route"),
        ] {
            assert_eq!(snake_case(kind), snake);
        }
        assert_eq!(module_name("Type").as_deref(), Some("r#type"));
        assert_eq!(module_name("Match").as_deref(), Some("r#match"));
        assert_eq!(module_name("Self"), None);
        assert_eq!(module_name("Crate"), None);
    }

    #[test]
    fn kubebuilders_names_are_accepted() {
        let r = req("webapp", Some("my.domain"), "v1", "Guestbook");
        assert!(check_names(&r).is_empty());
        let res = resolve(&r, None).unwrap();
        assert_eq!((res.group.as_str(), res.plural.as_str(), res.module.as_str()), ("webapp.my.domain", "guestbooks", "guestbook"));
        assert_eq!(res.crd_file(), "config/crd/bases/webapp.my.domain_guestbooks.yaml");
        for v in ["v1alpha1", "v2beta3", "v10"] {
            assert!(check_names(&req("batch", None, v, "CronJob")).is_empty(), "{v}");
        }
    }

    #[test]
    fn bad_names_each_say_what_is_wrong_and_the_fix() {
        let m = messages(&req("webapp", None, "v1", "guestbook"));
        assert_eq!(
            m,
            [
                "kind `guestbook` is not UpperCamelCase / a kind starts with an uppercase letter and has only letters and digits: `--kind Guestbook`"
            ]
        );
        let m = messages(&req("webapp", None, "v1", "cron-job"));
        assert!(m[0].ends_with("`--kind CronJob`"), "{m:?}");
        let m = messages(&req("webapp", None, "v1", "Guest_book"));
        assert!(m[0].contains("`--kind GuestBook`"), "{m:?}");
        let m = messages(&req("Web_App", None, "1", "Self"));
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].starts_with("kind `Self` would need a module named `self`"), "{m:?}");
        assert!(m[1].starts_with("version `1` is not a Kubernetes API version"), "{m:?}");
        assert!(m[2].starts_with("group `Web_App` is not a valid DNS-1123 subdomain"), "{m:?}");
        let m = messages(&req("webapp", Some("My.Domain"), "v1beta", "Guestbook"));
        assert!(m[0].starts_with("version `v1beta`") && m[1].starts_with("domain `My.Domain` is not"), "{m:?}");
    }

    #[test]
    fn the_domain_comes_from_the_flag_then_a_dotted_group_then_the_record() {
        let with = |group: &str, domain: Option<&str>, recorded: Option<&str>| {
            resolve(&req(group, domain, "v1", "Guestbook"), recorded).map(|r| r.group).map_err(|d| d.message)
        };
        assert_eq!(with("webapp", Some("my.domain"), Some("other.io")).unwrap(), "webapp.my.domain");
        assert_eq!(with("webapp.example.com", None, Some("other.io")).unwrap(), "webapp.example.com");
        assert_eq!(with("webapp", None, Some("other.io")).unwrap(), "webapp.other.io");
        let e = with("webapp", None, None).unwrap_err();
        assert_eq!(e, "group `webapp` needs a domain: the API group is `<group>.<domain>`");
        let long = "a".repeat(63);
        assert!(with(&format!("{long}.{long}"), Some(&format!("{long}.{long}")), None).unwrap_err().contains("longer than 253"));
    }
}
