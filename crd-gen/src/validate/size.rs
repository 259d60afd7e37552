//! CRD size: refuse a CRD the API server could store but not keep working with.
//!
//! How a CRD is stored (kube-apiserver's apiextensions server, `createAPIExtensionsConfig`): as
//! JSON (`LegacyCodec`, which always encodes JSON), in its v1beta1 form ("prefer the more compact
//! serialization (v1beta1) for storage", kubernetes#82292): versions whose schema, subresources
//! and printer columns are all equal keep one copy at the top. Go's encoder escapes `<`, `>` and
//! `&` in strings as `\u003c` (6 bytes for 1). etcd refuses a request over `--max-request-bytes`,
//! 1.5 MiB by default, and the write is the whole object.
//!
//! What the stored object carries beside the CRD as written:
//! - `status`: `acceptedNames` (a copy of `spec.names`), `conditions` (`NamesAccepted`,
//!   `Established`, `KubernetesAPIApprovalPolicyConformant`, and `Terminating` on delete; each a
//!   type, status, time, reason and a short message), `storedVersions`. It is written *after*
//!   the create, by the naming and establishing controllers: a CRD that fits but leaves no room
//!   for its status is created and never Established (and deleting it needs one more write, the
//!   finalizer and the `Terminating` condition).
//! - server metadata: `uid`, `resourceVersion`, `generation`, `creationTimestamp`, and on delete
//!   `deletionTimestamp` and the `customresourcecleanup.apiextensions.k8s.io` finalizer.
//! - `metadata.managedFields`: one entry per field manager. For a v1 CRD an entry is small
//!   (about 400 bytes plus the label and annotation keys), because `spec.versions` is an atomic
//!   list: all schemas are one leaf, `f:versions`. The server keeps at most 10 update entries
//!   plus one per server-side applier, and when a write is too large it drops managedFields and
//!   retries, except for server-side apply, which needs them: so they are budgeted, not ignored.
//! - `kubectl.kubernetes.io/last-applied-configuration`: client-side `kubectl apply` copies the
//!   whole object into this annotation, and annotations may hold 256 KiB in all, so client-side
//!   apply fails above 256 KiB (a warning here) and stays far from etcd's limit below it.
//! - the etcd request itself: the key (`/registry/apiextensions.k8s.io/customresourcedefinitions/
//!   <name>`, at most ~320 bytes) and the transaction's framing.
//!
//! The estimate is therefore the stored JSON + the names copy and version list + fixed budgets
//! (below); over 1536 KiB is an error, over 1 MiB a warning (a few more fields and it is an
//! error), and the request body limit (3 MiB, on the v1 JSON as sent) is checked too.

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Loc, Place};
use crate::schema::Schema;
use serde_json::Value;

const KIB: usize = 1024;
/// etcd's default `--max-request-bytes`.
pub const ETCD_REQUEST_LIMIT: usize = 1536 * KIB;
/// Warn this close to the limit.
const WARN_AT: usize = 1024 * KIB;
/// The API server's limit on a request body (`MaxRequestBodyBytes`), on the JSON as sent.
const REQUEST_BODY_LIMIT: usize = 3 * 1024 * KIB;
/// kubectl's client-side apply stores the whole object in an annotation, which may hold 256 KiB.
const CLIENT_SIDE_APPLY_LIMIT: usize = 256 * KIB;
/// Server metadata (uid, resourceVersion, generation, timestamps, finalizer) and the v1beta1
/// fields a v1 object gains in storage (`version`, `preserveUnknownFields`, `conversion`).
const SERVER_METADATA: usize = KIB;
/// Four conditions of at most 512 bytes each.
const CONDITIONS: usize = 2 * KIB;
/// Up to 16 managedFields entries of 1 KiB.
const MANAGED_FIELDS: usize = 16 * KIB;
/// The etcd key and the transaction's framing.
const ETCD_FRAMING: usize = KIB;

/// `json` is `a.crd.to_json()`.
pub fn check(a: &AssembledCrd, json: &Value, diags: &mut Diagnostics) {
    let sent = go_json_len(json);
    let stored = stored_len(json, sent) + status_len(json) + SERVER_METADATA + CONDITIONS + MANAGED_FIELDS + ETCD_FRAMING;
    let name = &a.crd.metadata.name;
    let place = Place::Source(a.version_decls[0].0.loc);
    let estimate =
        "the estimate is its JSON as the API server stores it, plus the status, metadata and managedFields it adds (README, \"CRD size\")";
    if stored > ETCD_REQUEST_LIMIT || sent > REQUEST_BODY_LIMIT {
        let message = if sent > REQUEST_BODY_LIMIT {
            format!(
                "CRD `{name}` is {} KiB as JSON; the API server refuses request bodies over {} KiB",
                sent / KIB,
                REQUEST_BODY_LIMIT / KIB
            )
        } else {
            format!(
                "CRD `{name}` would take about {} KiB in etcd, which stores at most {} KiB per object: the API server could not write its status, so it would never be Established",
                stored / KIB,
                ETCD_REQUEST_LIMIT / KIB
            )
        };
        diags.push(with_contributors(Diagnostic::error(message, place), a).with_help(estimate));
    } else if stored > WARN_AT {
        let message = format!(
            "CRD `{name}` would take about {} KiB in etcd, {} KiB short of the {} KiB it stores per object",
            stored / KIB,
            (ETCD_REQUEST_LIMIT - stored) / KIB,
            ETCD_REQUEST_LIMIT / KIB
        );
        diags.push(with_contributors(Diagnostic::warning(message, place), a).with_help(estimate));
    } else if sent > CLIENT_SIDE_APPLY_LIMIT {
        diags.push(
            Diagnostic::warning(
                format!("CRD `{name}` is {} KiB as JSON: `kubectl apply` (client-side) fails on objects over 256 KiB", sent / KIB),
                place,
            )
            .with_help("install it with `kubectl apply --server-side` (or `kubectl create`), or shrink it with `--max-desc-len`"),
        );
    }
}

/// Length of `v` as Go's encoding/json writes it, counted as written, never held: a CRD's JSON
/// is megabytes. A walk over the tree rather than serializing it: this runs on every CRD.
fn go_json_len(v: &Value) -> usize {
    // Brackets, and a separator between two elements.
    let between = |n: usize| 2 + n.saturating_sub(1);
    match v {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => go_str_len(s),
        Value::Array(items) => between(items.len()) + items.iter().map(go_json_len).sum::<usize>(),
        Value::Object(map) => between(map.len()) + map.iter().map(|(k, v)| go_str_len(k) + 1 + go_json_len(v)).sum::<usize>(),
    }
}

/// A JSON string as Go (1.22 on) writes it: quoted; `"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t` as
/// two characters, other controls and the HTML characters `<`, `>`, `&` as `\u00XX`, and U+2028
/// and U+2029 (three bytes each in UTF-8) as `\u2028` and `\u2029`.
fn go_str_len(s: &str) -> usize {
    let (mut extra, mut maybe_separator) = (0, false);
    for &b in s.as_bytes() {
        extra += usize::from(GO_ESCAPE_EXTRA[usize::from(b)]);
        // Both separators start with byte 0xE2 in UTF-8.
        maybe_separator |= b == 0xe2;
    }
    let line_separators = if maybe_separator { s.matches(['\u{2028}', '\u{2029}']).count() } else { 0 };
    2 + s.len() + extra + 3 * line_separators
}

/// The bytes Go's escape of each byte adds to it.
const GO_ESCAPE_EXTRA: [u8; 256] = {
    let mut t = [0; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 5;
        b += 1;
    }
    let short = [b'"', b'\\', 0x08, 0x0c, b'\n', b'\r', b'\t'];
    let mut i = 0;
    while i < short.len() {
        t[short[i] as usize] = 1;
        i += 1;
    }
    t[b'<' as usize] = 5;
    t[b'>' as usize] = 5;
    t[b'&' as usize] = 5;
    t
};

/// The v1beta1 form's length (`whole` is `go_json_len(crd)`): what all versions share is stored
/// once, so each later version's copy of a shared part, `"key":value` and its comma, is not.
fn stored_len(crd: &Value, whole: usize) -> usize {
    let Some(versions) = crd.pointer("/spec/versions").and_then(Value::as_array).filter(|vs| vs.len() > 1) else {
        return whole;
    };
    let mut saved = 0;
    for key in ["schema", "subresources", "additionalPrinterColumns"] {
        let Some(first) = versions[0].get(key) else { continue };
        if versions.iter().all(|x| x.get(key) == Some(first)) {
            for x in &versions[1..] {
                let comma = usize::from(x.as_object().is_some_and(|o| o.len() > 1));
                saved += key.len() + 2 + 1 + go_json_len(first) + comma;
            }
        }
    }
    whole - saved
}

/// `acceptedNames` copies `spec.names`; `storedVersions` lists version names.
fn status_len(crd: &Value) -> usize {
    let names = crd.pointer("/spec/names").map(go_json_len).unwrap_or(0);
    let versions: usize =
        crd.pointer("/spec/versions").and_then(Value::as_array).map(|vs| vs.iter().map(|v| go_json_len(&v["name"]) + 1).sum()).unwrap_or(0);
    names + versions
}

/// A part of the CRD that could be made smaller.
struct Part {
    what: String,
    bytes: usize,
    origin: Option<Loc>,
}

/// Adds the largest parts (all descriptions, the largest ones, inlined k8s-openapi types) and
/// the fix for each.
fn with_contributors(mut d: Diagnostic, a: &AssembledCrd) -> Diagnostic {
    let mut walk = Walk::default();
    for v in &a.crd.spec.versions {
        walk.version = v.name.clone();
        walk.visit(&v.schema.open_api_v3_schema, "", None, false);
    }
    let Walk { description_bytes: total, mut descriptions, mut inlined, .. } = walk;
    descriptions.sort_by(|x, y| y.bytes.cmp(&x.bytes).then(x.what.cmp(&y.what)));
    inlined.sort_by(|x, y| y.bytes.cmp(&x.bytes).then(x.what.cmp(&y.what)));
    if total > 0 {
        d = d.with_help(format!(
            "descriptions make up {} KiB: `--max-desc-len 0` drops them, `--max-desc-len 80` shortens them",
            total / KIB
        ));
    }
    if !inlined.is_empty() {
        let inlined_total: usize = inlined.iter().map(|p| p.bytes).sum();
        d = d.with_help(format!(
            "inlined k8s-openapi types make up {} KiB: `#[crd(schemaless, preserve_unknown_fields)]` on a field stops inlining its type (the API server then keeps the value unvalidated)",
            inlined_total / KIB
        ));
    }
    for p in inlined.iter().take(5).chain(descriptions.iter().take(3)) {
        let place = p.origin.map(Place::Source).unwrap_or_else(|| d.place.clone());
        d = d.with_note(place, format!("{}: {} KiB", p.what, p.bytes.div_ceil(KIB)));
    }
    d
}

/// Collects the descriptions and the outermost inlined k8s-openapi types of a schema.
#[derive(Default)]
struct Walk {
    version: String,
    description_bytes: usize,
    /// The descriptions the user wrote (not an inlined type's) of at least 1 KiB.
    descriptions: Vec<Part>,
    inlined: Vec<Part>,
}

impl Walk {
    fn visit(&mut self, s: &Schema, path: &str, origin: Option<Loc>, in_inlined: bool) {
        let origin = s.origin.or(origin);
        let shown = if path.is_empty() { "." } else { path };
        let version = &self.version;
        // A type nested in an inlined one is part of that one's size.
        if let Some(name) = s.k8s_type.as_ref().filter(|_| !in_inlined) {
            let bytes = go_json_len(&serde_json::to_value(s).unwrap_or_default());
            self.inlined.push(Part { what: format!("k8s-openapi `{name}` inlined at `{shown}` (version {version})"), bytes, origin });
        }
        if let Some(text) = &s.description {
            let bytes = go_str_len(text) + "\"description\":,".len();
            self.description_bytes += bytes;
            // Those of an inlined type are counted, but its own note names them.
            if !in_inlined && bytes >= KIB {
                self.descriptions.push(Part { what: format!("the description at `{shown}` (version {version})"), bytes, origin });
            }
        }
        let inside = in_inlined || s.k8s_type.is_some();
        for (k, c) in s.properties.iter().flatten() {
            self.visit(c, &format!("{path}.{k}"), origin, inside);
        }
        for c in s.items.iter().chain(&s.additional_properties) {
            self.visit(c, &format!("{path}[*]"), origin, inside);
        }
        for c in s.all_of.iter().chain(&s.any_of).chain(&s.one_of).chain(s.not.as_deref()) {
            self.visit(c, path, origin, inside);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::diagnostics_of;

    fn crate_with_descriptions(fields: usize, desc_len: usize) -> String {
        let desc = "word ".repeat(desc_len / 5);
        let mut src = String::from(
            "#[derive(CustomResource)]\n#[crd(group = \"example.com\", version = \"v1\", kind = \"Big\")]\npub struct BigSpec {\n",
        );
        for i in 0..fields {
            src.push_str(&format!("    /// {desc}\n    pub field{i}: String,\n"));
        }
        src.push_str("}\n");
        src
    }

    /// The stored length is counted without copying the CRD: it equals the length of the
    /// v1beta1 form built by removing the later versions' copies of the shared parts.
    #[test]
    fn stored_length_is_that_of_the_v1beta1_form() {
        let version = |name: &str, sub: serde_json::Value| serde_json::json!({"name": name, "schema": {"openAPIV3Schema": {"type": "object", "description": "a <b> & c"}}, "subresources": sub, "served": true});
        let status = serde_json::json!({"status": {}});
        let crd = serde_json::json!({"spec": {"versions": [version("v1", status.clone()), version("v2", status), version("v3", serde_json::json!({}))]}});
        let mut v1beta1 = crd.clone();
        for v in v1beta1["spec"]["versions"].as_array_mut().unwrap().iter_mut().skip(1) {
            v.as_object_mut().unwrap().remove("schema");
        }
        let expected = v1beta1.to_string().len() + 5 * 3;
        assert_eq!(super::stored_len(&crd, super::go_json_len(&crd)), expected);
    }

    /// Go's encoding/json: serde_json's escapes, plus `\u003c`-style HTML escapes and
    /// `\u2028`/`\u2029`, which serde_json writes raw.
    #[test]
    fn lengths_are_those_of_gos_json() {
        let v = serde_json::json!({
            "a\"b": ["x\\y\n\t\r", "\u{1}\u{1f}\u{8}\u{c}", "<a & b>", "\u{2028}é\u{2029}日", 1, -2.5, 1e300, null, true, false, [], {}],
            "": {"nested": [[["deep"]]]},
        });
        let serde = serde_json::to_string(&v).unwrap();
        let html = serde.matches(['<', '>', '&']).count() * 5;
        let separators = serde.matches(['\u{2028}', '\u{2029}']).count() * 3;
        assert_eq!(super::go_json_len(&v), serde.len() + html + separators);
    }

    #[test]
    fn small_crds_pass_without_a_word() {
        assert!(!diagnostics_of(&crate_with_descriptions(3, 100)).contains("KiB"));
    }

    #[test]
    fn warns_above_the_client_side_apply_limit() {
        let out = diagnostics_of(&crate_with_descriptions(30, 10_000));
        assert!(out.contains("warning: CRD `bigs.example.com` is 29") && out.contains("client-side"), "{out}");
    }

    #[test]
    fn warns_near_the_etcd_limit_and_names_the_largest_descriptions() {
        let out = diagnostics_of(&crate_with_descriptions(120, 10_000));
        assert!(out.contains("warning: CRD `bigs.example.com` would take about 1"), "{out}");
        assert!(out.contains("KiB short of the 1536 KiB it stores per object"), "{out}");
        assert!(out.contains("descriptions make up 1") && out.contains("`--max-desc-len 0` drops them"), "{out}");
        // The largest description is named at its field.
        assert!(out.contains("the description at `.spec.field"), "{out}");
    }

    #[test]
    fn refuses_a_crd_that_leaves_no_room_for_its_status() {
        // About 1520 KiB of JSON: under etcd's 1536 KiB, but not with the status and metadata.
        let out = diagnostics_of(&crate_with_descriptions(152, 10_240));
        assert!(out.contains("error: CRD `bigs.example.com` would take about 15"), "{out}");
        assert!(out.contains("never be Established"), "{out}");
    }
}
