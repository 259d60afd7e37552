//! The package's Cargo.toml: found as cargo finds it, read for the crate root and the domain
//! recorded by an earlier `create api` (`[package.metadata.crd-gen] domain`), and edited with a
//! format-preserving TOML editor (toml_edit): the dependencies the module needs are added when
//! missing, comments and layout stay.

use super::template::{Dependency, Source};
use crate::diag::{Diagnostic, Place};
use std::path::{Path, PathBuf};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

pub struct Manifest {
    pub path: PathBuf,
    pub text: String,
    doc: DocumentMut,
}

/// The crate's root file and whether it is a binary's (main.rs).
pub struct CrateRoot {
    pub file: PathBuf,
    pub bin: bool,
}

impl Manifest {
    /// `explicit` (`--manifest-path`), or the nearest Cargo.toml from the current directory up.
    pub fn find(explicit: Option<&Path>) -> Result<Manifest, Box<Diagnostic>> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => nearest_manifest()?,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let d = Diagnostic::error(format!("cannot read {}: {e}", path.display()), Place::File(path.clone()));
            if e.kind() == std::io::ErrorKind::NotFound {
                d.with_help("pass the package's Cargo.toml: `--manifest-path path/to/Cargo.toml`")
            } else {
                d.io()
            }
        })?;
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            let (line, col) = e.span().map(|s| line_col(&text, s.start)).unwrap_or((1, 1));
            Diagnostic::error(format!("{} is not valid TOML: {}", path.display(), e.message()), Place::FileLine(path.clone(), line, col))
                .with_help("fix Cargo.toml (`cargo metadata` shows the same error), then run create api again")
        })?;
        if !doc.contains_key("package") {
            return Err(Box::new(Diagnostic::error(format!("{} has no [package]: it is a virtual workspace manifest", path.display()), Place::File(path))
                .with_help("run create api in the package that gets the API (or pass `--manifest-path <package>/Cargo.toml`); create one with `cargo new --lib <name>`")));
        }
        Ok(Manifest { path, text, doc })
    }

    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The library's root (`[lib] path`, else src/lib.rs), else the first binary's (`[[bin]]`
    /// path, else src/main.rs): the crate crd-gen reads, as `manifests` picks it.
    pub fn crate_root(&self) -> Result<CrateRoot, Box<Diagnostic>> {
        let path_of = |t: Option<&Item>| t.and_then(|t| t.get("path")).and_then(Item::as_str).map(|p| self.dir().join(p));
        let lib = path_of(self.doc.get("lib")).unwrap_or_else(|| self.dir().join("src/lib.rs"));
        if lib.is_file() {
            return Ok(CrateRoot { file: lib, bin: false });
        }
        let first_bin = self.doc.get("bin").and_then(Item::as_array_of_tables).and_then(|a| a.get(0));
        let bin = first_bin.and_then(|t| t.get("path")).and_then(Item::as_str).map(|p| self.dir().join(p));
        let bin = bin.unwrap_or_else(|| self.dir().join("src/main.rs"));
        if bin.is_file() {
            return Ok(CrateRoot { file: bin, bin: true });
        }
        Err(Box::new(
            Diagnostic::error(format!("package {} has no src/lib.rs or src/main.rs", self.dir().display()), Place::File(self.path.clone()))
                .with_help("create the crate first (`cargo new --lib <name>`), or add src/lib.rs"),
        ))
    }

    /// Every feature the package declares: `[features]` and its optional dependencies' implicit
    /// ones (cargo's `--all-features` for this package).
    pub fn all_features(&self) -> Vec<String> {
        let declared =
            self.doc.get("features").and_then(Item::as_table_like).into_iter().flat_map(|t| t.iter().map(|(k, _)| k.to_string()));
        let optional = self.doc.get("dependencies").and_then(Item::as_table_like).into_iter().flat_map(|t| {
            t.iter().filter(|(_, dep)| dep.get("optional").and_then(Item::as_bool) == Some(true)).map(|(k, _)| k.to_string())
        });
        let mut all: Vec<String> = declared.chain(optional).collect();
        all.sort();
        all.dedup();
        all
    }

    /// `[package.metadata.crd-gen] domain`, recorded by an earlier `create api --domain`.
    pub fn recorded_domain(&self) -> Option<String> {
        self.doc.get("package")?.get("metadata")?.get("crd-gen")?.get("domain")?.as_str().map(str::to_string)
    }

    /// Records the domain for the next `create api` (kubebuilder keeps it in its PROJECT file).
    pub fn record_domain(&mut self, domain: &str) {
        let package = self.doc["package"].as_table_like_mut().expect("checked in find");
        let metadata = package.entry("metadata").or_insert(implicit_table());
        if let Some(metadata) = metadata.as_table_like_mut() {
            let ours = metadata.entry("crd-gen").or_insert(Item::Table(Table::new()));
            if let Some(ours) = ours.as_table_like_mut() {
                ours.insert("domain", toml_edit::value(domain));
            }
        }
    }

    /// Adds each dependency that is missing, and the features an existing one lacks; returns
    /// what it did, one phrase per dependency changed.
    pub fn add_dependencies(&mut self, deps: &[Dependency]) -> Vec<String> {
        let table = self.doc.entry("dependencies").or_insert(Item::Table(Table::new()));
        let Some(table) = table.as_table_like_mut() else { return Vec::new() };
        let mut done = Vec::new();
        for dep in deps {
            let existing =
                table.iter().find(|(key, item)| *key == dep.name || package_of(item) == Some(dep.name)).map(|(k, _)| k.to_string());
            match existing {
                None => {
                    table.insert(dep.name, Item::Value(Value::InlineTable(new_entry(dep))));
                    done.push(describe(dep));
                }
                Some(key) => {
                    if let Some(added) = add_features(table.get_mut(&key).expect("found above"), dep.features) {
                        done.push(format!("the {added} feature of {key}"));
                    }
                }
            }
        }
        done
    }

    pub fn to_text(&self) -> String {
        self.doc.to_string()
    }
}

fn implicit_table() -> Item {
    let mut t = Table::new();
    t.set_implicit(true);
    Item::Table(t)
}

fn package_of(item: &Item) -> Option<&str> {
    item.get("package").and_then(Item::as_str)
}

fn new_entry(dep: &Dependency) -> InlineTable {
    let mut t = InlineTable::new();
    match &dep.source {
        Source::Version(v) => t.insert("version", v.as_str().into()),
        Source::Path(p) => t.insert("path", p.display().to_string().into()),
    };
    let features: Vec<&str> = dep.features.iter().chain(dep.new_features).copied().collect();
    if !features.is_empty() {
        t.insert("features", Value::Array(features.into_iter().collect::<Array>()));
    }
    t
}

fn describe(dep: &Dependency) -> String {
    let all: Vec<&str> = dep.features.iter().chain(dep.new_features).copied().collect();
    let features = if all.is_empty() {
        String::new()
    } else {
        format!(" with {}", all.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))
    };
    match &dep.source {
        Source::Version(v) => format!("{} {v}{features}", dep.name),
        Source::Path(p) => format!("{} from {} (the crd-gen checkout this binary was built from){features}", dep.name, p.display()),
    }
}

/// Adds the missing features to an entry (`"1"` becomes `{ version = "1", features = [..] }`);
/// returns the features added, or None when it had them all.
fn add_features(item: &mut Item, features: &[&str]) -> Option<String> {
    if features.is_empty() {
        return None;
    }
    if let Some(version) = item.as_str().map(str::to_string) {
        let mut t = InlineTable::new();
        t.insert("version", version.into());
        *item = Item::Value(Value::InlineTable(t));
    }
    let table = item.as_table_like_mut()?;
    let list = table.entry("features").or_insert(toml_edit::value(Array::new()));
    let array = list.as_array_mut()?;
    let missing: Vec<&str> = features.iter().copied().filter(|f| !array.iter().any(|v| v.as_str() == Some(f))).collect();
    for f in &missing {
        array.push(*f);
    }
    if let Some(inline) = item.as_inline_table_mut()
        && !missing.is_empty()
    {
        inline.fmt();
    }
    (!missing.is_empty()).then(|| missing.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))
}

fn nearest_manifest() -> Result<PathBuf, Box<Diagnostic>> {
    let cwd =
        std::env::current_dir().map_err(|e| Diagnostic::error(format!("cannot read the current directory: {e}"), Place::Nowhere).io())?;
    cwd.ancestors().map(|d| d.join("Cargo.toml")).find(|p| p.is_file()).ok_or_else(|| {
        Box::new(
            Diagnostic::error(format!("no Cargo.toml in {} or any parent directory", cwd.display()), Place::Nowhere).with_help(
                "create the crate first (`cargo new --lib <name>`, then `cd <name>`), or pass `--manifest-path path/to/Cargo.toml`",
            ),
        )
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        Manifest { path: "Cargo.toml".into(), text: text.into(), doc: text.parse().unwrap() }
    }

    fn deps() -> Vec<Dependency> {
        vec![
            Dependency { name: "serde", source: Source::Version("1".into()), features: &["derive"], new_features: &[] },
            Dependency { name: "crd-gen-derive", source: Source::Version("0.1.0".into()), features: &[], new_features: &[] },
        ]
    }

    #[test]
    fn missing_dependencies_are_added_and_the_rest_kept_byte_for_byte() {
        let mut m = manifest("[package]\nname = \"x\" # the name\n\n[dependencies]\n# logging\nlog = \"0.4\"\n");
        let done = m.add_dependencies(&deps());
        assert_eq!(done, ["serde 1 with `derive`", "crd-gen-derive 0.1.0"]);
        assert_eq!(
            m.to_text(),
            "[package]\nname = \"x\" # the name\n\n[dependencies]\n# logging\nlog = \"0.4\"\nserde = { version = \"1\", features = [\"derive\"] }\ncrd-gen-derive = { version = \"0.1.0\" }\n"
        );
        // Idempotent.
        assert!(m.add_dependencies(&deps()).is_empty());
    }

    #[test]
    fn an_existing_serde_gets_the_derive_feature_in_any_form() {
        for (before, after) in [
            ("serde = \"1.0.200\"\n", "serde = { version = \"1.0.200\", features = [\"derive\"] }\n"),
            ("serde = { version = \"1\", features = [\"rc\"] }\n", "serde = { version = \"1\", features = [\"rc\", \"derive\"] }\n"),
            ("serde = { workspace = true }\n", "serde = { workspace = true, features = [\"derive\"] }\n"),
            ("serde = { version = \"1\", features = [\"derive\"] }\n", "serde = { version = \"1\", features = [\"derive\"] }\n"),
        ] {
            let mut m = manifest(&format!("[package]\nname = \"x\"\n\n[dependencies]\n{before}crd-gen-derive = \"0.1\"\n"));
            m.add_dependencies(&deps());
            assert_eq!(m.to_text(), format!("[package]\nname = \"x\"\n\n[dependencies]\n{after}crd-gen-derive = \"0.1\"\n"), "{before}");
        }
        let mut m =
            manifest("[package]\nname = \"x\"\n\n[dependencies.serde]\nversion = \"1\"\n\n[dependencies]\ncrd-gen-derive = \"0.1\"\n");
        assert_eq!(m.add_dependencies(&deps()), ["the `derive` feature of serde"]);
        assert!(m.to_text().contains("[dependencies.serde]\nversion = \"1\"\nfeatures = [\"derive\"]\n"), "{}", m.to_text());
    }

    #[test]
    fn a_renamed_dependency_counts_and_no_dependencies_table_is_created() {
        let mut m = manifest("[package]\nname = \"x\"\n");
        assert_eq!(m.add_dependencies(&deps()).len(), 2);
        assert!(
            m.to_text().ends_with(
                "\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\ncrd-gen-derive = { version = \"0.1.0\" }\n"
            ),
            "{}",
            m.to_text()
        );
        let mut m = manifest(
            "[package]\nname = \"x\"\n[dependencies]\nderive = { package = \"crd-gen-derive\", path = \"../d\" }\nserde = { version = \"1\", features = [\"derive\"] }\n",
        );
        assert!(m.add_dependencies(&deps()).is_empty());
    }

    #[test]
    fn all_features_are_the_declared_ones_and_the_optional_dependencies() {
        let m = manifest(
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"beta\"]\nbeta = []\n\n[dependencies]\nserde = \"1\"\nchrono = { version = \"0.4\", optional = true }\n",
        );
        assert_eq!(m.all_features(), ["beta", "chrono", "default"]);
        assert!(manifest("[package]\nname = \"x\"\n").all_features().is_empty());
    }

    #[test]
    fn the_domain_is_recorded_once_in_package_metadata() {
        let mut m = manifest("[package]\nname = \"x\"\n\n[dependencies]\n");
        assert_eq!(m.recorded_domain(), None);
        m.record_domain("my.domain");
        assert_eq!(m.to_text(), "[package]\nname = \"x\"\n\n[package.metadata.crd-gen]\ndomain = \"my.domain\"\n\n[dependencies]\n");
        let again = manifest(&m.to_text());
        assert_eq!(again.recorded_domain().as_deref(), Some("my.domain"));
    }
}
