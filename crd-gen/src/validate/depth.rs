//! JSON depth: the API server's decoder (Go's encoding/json) refuses objects nested deeper than
//! 10000 levels, so a CRD whose schema nests that deep can be written but never applied.

use crate::assemble::AssembledCrd;
use crate::diag::{Diagnostic, Diagnostics, Place};

/// Go's JSON decoder (the API server's) refuses objects nested deeper than this.
const JSON_DEPTH_LIMIT: usize = 10_000;

/// `json` is `a.crd.to_json()`.
pub fn check(a: &AssembledCrd, json: &serde_json::Value, diags: &mut Diagnostics) {
    let depth = json_depth(json);
    if depth > JSON_DEPTH_LIMIT {
        diags.push(
            Diagnostic::error(
                format!(
                    "CRD `{}` nests {depth} levels deep as JSON; the API server decodes at most {JSON_DEPTH_LIMIT}",
                    a.crd.metadata.name
                ),
                Place::Source(a.version_decls[0].0.loc),
            )
            .with_help("cut the nesting with a field of type `serde_json::Value` marked `#[crd(schemaless, preserve_unknown_fields)]`"),
        );
    }
}

/// How deeply arrays and objects nest in `v` (a scalar is 0), without recursion.
fn json_depth(v: &serde_json::Value) -> usize {
    let mut deepest = 0;
    let mut todo = vec![(v, 0)];
    while let Some((v, d)) = todo.pop() {
        match v {
            serde_json::Value::Array(a) => todo.extend(a.iter().map(|x| (x, d + 1))),
            serde_json::Value::Object(o) => todo.extend(o.values().map(|x| (x, d + 1))),
            _ => deepest = deepest.max(d),
        }
        if matches!(v, serde_json::Value::Array(_) | serde_json::Value::Object(_)) {
            deepest = deepest.max(d + 1);
        }
    }
    deepest
}
