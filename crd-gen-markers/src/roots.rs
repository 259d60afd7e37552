//! The root-type index: what the engine tells the derive about each `#[derive(CustomResource)]`
//! spec struct, in a file build.rs writes into OUT_DIR (`crd-gen/roots.tsv`).
//!
//! A derive sees one struct; the engine sees the crate (module docs giving the group, the version
//! from the module name, plurals, the merged CRD). So the engine writes the facts and the derive
//! reads them. This module has no dependencies so both sides share it; the format is one line per
//! spec struct, tab-separated, with a version tag so a derive never misreads a newer engine's file.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The file name under `$OUT_DIR/crd-gen/`.
pub const FILE: &str = "roots.tsv";
const TAG: &str = "crd-gen-roots-1";

/// The crates the generated code may name, by package: the extern name the package uses for
/// each (`k8s-openapi` -> `k8s_openapi`, or a rename), so the derive writes paths that resolve and
/// implements kube-rs's traits only where the package depends on kube.
pub const NAMED_CRATES: [&str; 2] = ["k8s-openapi", "kube"];

/// What build.rs tells the derive about a package.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    /// Package name -> extern name, for [`NAMED_CRATES`] the package depends on.
    pub crates: BTreeMap<String, String>,
    pub roots: Vec<RootEntry>,
}

/// One spec struct's root type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootEntry {
    /// The source file of the spec struct, canonical.
    pub file: PathBuf,
    /// The spec struct's name (`GuestbookSpec`).
    pub spec: String,
    /// The root type's name (`Guestbook`).
    pub root: String,
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    /// The CRD file of the kind (all versions), `<group>_<plural>.yaml`.
    pub crd_file: String,
    /// The status type as written in the spec's module, if any.
    pub status: Option<String>,
    pub short_names: Vec<String>,
}

impl RootEntry {
    /// `group/version` (the core group has no `group/` part).
    pub fn api_version(&self) -> String {
        if self.group.is_empty() { self.version.clone() } else { format!("{}/{}", self.group, self.version) }
    }

    /// `<plural>.<group>`
    pub fn crd_name(&self) -> String {
        format!("{}.{}", self.plural, self.group)
    }
}

/// Writes the index; entries whose fields cannot be written on one line are left out (the
/// derive then says it has no entry for them).
pub fn write(index: &Index) -> String {
    let mut out = format!("# {TAG}: root types of #[derive(CustomResource)] spec structs, written by crd-gen\n");
    let crates: Vec<String> = index.crates.iter().map(|(package, name)| format!("{package}={name}")).collect();
    out.push_str(&format!("crates\t{}\n", crates.join("\t")));
    for e in &index.roots {
        let file = e.file.to_string_lossy().into_owned();
        let fields = [
            file.as_str(),
            &e.spec,
            &e.root,
            &e.group,
            &e.version,
            &e.kind,
            &e.plural,
            if e.namespaced { "Namespaced" } else { "Cluster" },
            &e.crd_file,
            e.status.as_deref().unwrap_or("-"),
            &e.short_names.join(","),
        ];
        if fields.iter().any(|f| f.contains(['\t', '\n', '\r'])) {
            continue;
        }
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// Reads an index [`write`] wrote.
pub fn parse(text: &str) -> Result<Index, String> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    if !header.starts_with(&format!("# {TAG}:")) {
        return Err(format!("not a crd-gen root index of this version (expected `# {TAG}:` first)"));
    }
    let crates = lines.next().and_then(|l| l.strip_prefix("crates")).ok_or("line 2: expected the crates line")?;
    let crates = crates
        .split('\t')
        .filter(|c| !c.is_empty())
        .filter_map(|c| c.split_once('=').map(|(p, n)| (p.to_string(), n.to_string())))
        .collect();
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, spec, root, group, version, kind, plural, scope, crd_file, status, short] = f[..] else {
            return Err(format!("line {}: expected 11 fields, found {}", n + 3, f.len()));
        };
        out.push(RootEntry {
            file: PathBuf::from(file),
            spec: spec.into(),
            root: root.into(),
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            plural: plural.into(),
            namespaced: scope == "Namespaced",
            crd_file: crd_file.into(),
            status: (status != "-").then(|| status.to_string()),
            short_names: short.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        });
    }
    Ok(Index { crates, roots: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> RootEntry {
        RootEntry {
            file: "/src/api/v1/guestbook.rs".into(),
            spec: "GuestbookSpec".into(),
            root: "Guestbook".into(),
            group: "webapp.my.domain".into(),
            version: "v1".into(),
            kind: "Guestbook".into(),
            plural: "guestbooks".into(),
            namespaced: true,
            crd_file: "webapp.my.domain_guestbooks.yaml".into(),
            status: Some("GuestbookStatus".into()),
            short_names: vec!["gb".into(), "gbk".into()],
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let mut cluster = entry();
        cluster.namespaced = false;
        cluster.status = None;
        cluster.short_names.clear();
        let crates = [("k8s-openapi".to_string(), "k8s_openapi".to_string()), ("kube".into(), "kube_rs".into())].into();
        let index = Index { crates, roots: vec![entry(), cluster] };
        assert_eq!(parse(&write(&index)).unwrap(), index);
    }

    #[test]
    fn a_field_with_a_tab_is_left_out_and_a_foreign_file_is_refused() {
        let mut odd = entry();
        odd.file = "/a\tb.rs".into();
        let index = Index { crates: BTreeMap::new(), roots: vec![odd] };
        assert_eq!(parse(&write(&index)).unwrap(), Index::default());
        assert!(parse("# something else\n").is_err());
        assert!(parse(&format!("# {TAG}: x\ncrates\nonly\ttwo\n")).unwrap_err().contains("line 3"));
    }
}
