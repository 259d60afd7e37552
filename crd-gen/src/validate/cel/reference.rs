//! The CEL reference (`docs/cel.md`), generated from the environment table (`env.rs`) so the
//! documentation and the checker cannot disagree. `cargo crd-gen cel-env` prints it.

use super::env::{LIBRARIES, NEVER, NEWEST, OLDEST, signature_name};
use super::{CRD_COST_LIMIT, RULE_COST_LIMIT, WARN_PERCENT, thousands};
use std::fmt::Write as _;

pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# CEL in CRD validation rules, by Kubernetes version\n\n\
         <!-- Generated from crd-gen/src/validate/cel/env.rs by `cargo run -p crd-gen -- cel-env > docs/cel.md`; do not edit. -->\n\n\
         crd-gen compiles every `x-kubernetes-validations` rule (`#[crd(validation(rule = ..))]`, \
         `+kubebuilder:validation:XValidation`) as the API server of the target Kubernetes version does: \
         parsed, type-checked against the schema, and its cost estimated. A CRD is written only when \
         that server would accept it.\n\n\
         **Which version.** The target follows the `v1_NN` feature of the crate's k8s-openapi dependency; \
         `--kube-version 1.NN` (or `Generator::kube_version`) overrides it; with neither it is 1.{default}, \
         one below the newest version of the table, so that the CRD is accepted by the newest API server \
         crd-gen knows and by the one before (the same rollback rule the API server applies to itself, \
         below). A version newer than the table is checked against the newest row, an older one against \
         the oldest.\n\n\
         **Why a library appears one version late.** An API server compiles the rules of a new or changed \
         CRD in its *compatibility* environment, one minor version below its own \
         (`environment.DefaultCompatibilityVersion()`), so that a rollback to the previous version still \
         accepts them. An option that k8s.io/apiserver's `base.go` introduces at 1.N is therefore \
         available to new CRD rules from API server 1.N+1.\n\n",
        default = super::DEFAULT_MINOR
    ));
    version_table(&mut out);
    libraries(&mut out);
    let _ = writeln!(out, "\n## Never available to CRD rules\n");
    let mut never: Vec<(&str, &str)> = NEVER.to_vec();
    never.sort();
    for (name, why) in never {
        let _ = writeln!(out, "- `{name}`: {why} is not enabled for CRD rules.");
    }
    out.push_str(
        "- The authorization library (`authorizer.*`): its functions apply to the `authorizer` variable, which CRD rules do not have.\n\
         - `reverse()` on a string (cel-go strings extension version 3; the server uses version 2).\n\n",
    );
    types_and_costs(&mut out);
    out
}

fn version_table(out: &mut String) {
    let versions: Vec<u32> = (OLDEST..=NEWEST).collect();
    let head: Vec<String> = versions.iter().map(|v| format!("1.{v}")).collect();
    let _ = writeln!(out, "## What each version has\n\n| library or option | {} |", head.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(versions.len()));
    for lib in LIBRARIES {
        let cells: Vec<&str> = versions.iter().map(|v| if lib.enabled_on(*v) { "yes" } else { "" }).collect();
        let _ = writeln!(out, "| {} | {} |", lib.title, cells.join(" | "));
    }
}

fn libraries(out: &mut String) {
    for lib in LIBRARIES {
        let since =
            if lib.introduced == 0 { "every version".to_string() } else { format!("Kubernetes 1.{} and later", lib.first_server()) };
        let _ = writeln!(out, "\n## {}\n\n`{}`: {since}.\n", lib.title, lib.option);
        let mut names: Vec<&str> = Vec::new();
        for (_, sig) in lib.overloads {
            let name = signature_name(sig);
            if !is_operator(name) && !names.contains(&name) {
                names.push(name);
            }
        }
        if !names.is_empty() {
            let _ = writeln!(out, "| function | overloads |\n|---|---|");
            for name in names {
                let sigs: Vec<String> = lib
                    .overloads
                    .iter()
                    .filter(|(_, s)| signature_name(s) == name)
                    .map(|(_, s)| format!("`{}`", s.replace("Cmp", "T").replace('|', "\\|")))
                    .collect();
                let _ = writeln!(out, "| `{name}` | {} |", sigs.join("<br>"));
            }
        }
        let operators = lib.overloads.iter().filter(|(_, s)| is_operator(signature_name(s))).count();
        if operators > 0 {
            let _ = writeln!(out, "\nOperators: {operators} overloads (`+ - * / % == != < <= > >= && || ! ?: [] in`).");
        }
        if !lib.macros.is_empty() {
            let m: Vec<String> = lib.macros.iter().map(|m| format!("`{m}`")).collect();
            let _ = writeln!(out, "\nSyntax and macros: {}.", m.join(", "));
        }
    }
}

fn types_and_costs(out: &mut String) {
    let _ = write!(
        out,
        "## Types of schema values\n\n\
         | schema | CEL type |\n|---|---|\n\
         | object with `properties` | an object with those fields (names escaped: `a-b` is `a__dash__b`, `a.b` `a__dot__b`, `a/b` `a__slash__b`, `a__b` `a__underscores__b`, a CEL keyword `k` is `__k__`; a name starting with a digit or holding other characters is not reachable) |\n\
         | object with `additionalProperties` | `map(string, V)` |\n\
         | array | `list(T)` |\n\
         | `x-kubernetes-int-or-string` | `dyn` |\n\
         | `x-kubernetes-preserve-unknown-fields` without a type | not exposed (a rule cannot reach it or stand on it) |\n\
         | object with `x-kubernetes-preserve-unknown-fields` | its declared properties only |\n\
         | string, `format: byte` / `duration` / `date` / `date-time` | `bytes` / `google.protobuf.Duration` / `google.protobuf.Timestamp` |\n\
         | integer / number / boolean / string | `int` / `double` / `bool` / `string` |\n\
         | resource root, `x-kubernetes-embedded-resource` | also `apiVersion`, `kind`, `metadata.name`, `metadata.generateName` |\n\n\
         `oldSelf` has the type of `self`, or `optional_type` of it with `optional_old_self`. A rule must be a \
         `bool`, a `message_expression` a `string`.\n\n\
         ## Cost limits\n\n\
         The estimated cost of a rule, multiplied by how many times it can run (the product of the \
         enclosing lists' `maxItems` and maps' `maxProperties`, or, when one is unbounded, the 3 MiB request \
         size over the value's smallest serialized size), may be at most {}; a `message_expression`'s own \
         estimate too. All of a version's rules together may cost at most {}. Unbounded lists, maps and \
         strings are sized from the request size (a string of up to 3,145,726 bytes, a list of as many items \
         of the smallest size as fit), so iterating one, or calling a string function on one, quickly \
         exceeds the limit: bound them with `max_items`, `max_properties`, `max_length`. crd-gen refuses a \
         CRD over a limit and names the value to bound; over {WARN_PERCENT}% of the per-rule limit it warns.\n",
        thousands(RULE_COST_LIMIT),
        thousands(CRD_COST_LIMIT)
    );
}

/// Operators and cel-go internals (`_+_`, `!_`, `@in`, `cel.@mapInsert`), counted, not listed.
fn is_operator(name: &str) -> bool {
    name.starts_with('_') || name.ends_with('_') || name.contains('@')
}
