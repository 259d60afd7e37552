//! Discover: which packages to generate for and where every crate's source lives, from
//! `cargo metadata` (so path, git and registry dependencies, renames and features are cargo's).

use super::CrateSource;
use crate::diag::{Diagnostic, Diagnostics, Place};
use cargo_metadata::{CargoOpt, Metadata, MetadataCommand, Package, PackageId, TargetKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A package whose resources are generated.
#[derive(Debug, Clone)]
pub struct TargetPackage {
    pub name: String,
    pub manifest_dir: PathBuf,
    pub source: Arc<CrateSource>,
}

/// Which features cargo enables, as its flags say: `--features` (names, or `package/name` for a
/// workspace member's), `--all-features`, `--no-default-features`. cargo resolves them (and what
/// they enable in dependencies); crd-gen reads the result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureSelection {
    pub features: Vec<String>,
    pub all_features: bool,
    pub no_default_features: bool,
}

impl FeatureSelection {
    /// Adds a `--features` argument: names separated by commas or spaces, as cargo takes them.
    pub fn add(&mut self, list: &str) {
        self.features.extend(list.split(|c: char| c == ',' || c.is_whitespace()).filter(|f| !f.is_empty()).map(str::to_string));
    }

    fn apply(&self, cmd: &mut MetadataCommand) {
        if self.all_features {
            cmd.features(CargoOpt::AllFeatures);
        }
        if self.no_default_features {
            cmd.features(CargoOpt::NoDefaultFeatures);
        }
        if !self.features.is_empty() {
            cmd.features(CargoOpt::SomeFeatures(self.features.clone()));
        }
    }
}

/// Runs cargo metadata for `manifest_path` (or the Cargo.toml found from the current directory, as
/// cargo does) and selects the packages: `packages` by name, or the package of that manifest, or
/// every member of a virtual workspace.
pub fn discover(
    manifest_path: Option<&Path>,
    packages: &[String],
    features: &FeatureSelection,
    diags: &mut Diagnostics,
) -> Option<Vec<TargetPackage>> {
    let manifest = match manifest_path {
        Some(p) => p.to_path_buf(),
        None => match find_manifest() {
            Some(p) => p,
            None => {
                diags.push(
                    Diagnostic::error("could not find `Cargo.toml` in the current directory or any parent", Place::Nowhere)
                        .with_help("run inside a cargo package, or pass `--manifest-path path/to/Cargo.toml`"),
                );
                return None;
            }
        },
    };
    if manifest.is_dir() {
        diags.push(
            Diagnostic::error(format!("`{}` is a directory, not a Cargo.toml", manifest.display()), Place::File(manifest.clone()))
                .with_help("pass the path of the manifest file itself, e.g. `--manifest-path my-crate/Cargo.toml`"),
        );
        return None;
    }
    if !manifest.is_file() {
        diags.push(
            Diagnostic::error(format!("manifest `{}` does not exist", manifest.display()), Place::File(manifest.clone()))
                .with_help("pass the path of a package's or workspace's Cargo.toml to `--manifest-path`"),
        );
        return None;
    }
    let manifest = manifest.canonicalize().unwrap_or(manifest);
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(&manifest);
    features.apply(&mut cmd);
    let metadata = match cmd.exec() {
        Ok(m) => m,
        Err(e) => {
            diags.push(metadata_error(&manifest, &e));
            return None;
        }
    };
    let selected = select(&metadata, &manifest, packages, diags)?;
    let mut memo = HashMap::new();
    let mut out = Vec::new();
    for pkg in selected {
        let Some(source) = crate_source(&metadata, &pkg.id, &mut memo) else {
            diags.push(
                Diagnostic::error(
                    format!("package `{}` has no library or binary target to read", pkg.name),
                    Place::File(pkg.manifest_path.clone().into()),
                )
                .with_help("crd-gen reads the types from src/lib.rs or src/main.rs"),
            );
            continue;
        };
        let manifest_dir = pkg.manifest_path.parent().map(|p| p.as_std_path().to_path_buf()).unwrap_or_default();
        out.push(TargetPackage { name: pkg.name.to_string(), manifest_dir, source });
    }
    Some(out)
}

/// Why `cargo metadata` gave no answer, in words that name the cause; cargo's own text is kept
/// whole (it names the file, the dependency or the directory at fault).
fn metadata_error(manifest: &Path, e: &cargo_metadata::Error) -> Diagnostic {
    let place = Place::File(manifest.to_path_buf());
    match e {
        cargo_metadata::Error::Io(io) => cargo_not_run(io, place),
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let text = stderr.trim_end();
            let place = toml_error_position(text).map(|(line, col)| Place::FileLine(manifest.to_path_buf(), line, col)).unwrap_or(place);
            Diagnostic::error(format!("`cargo metadata` failed for {}", manifest.display()), place)
                .with_help(format!("cargo says:\n{}", indent(text)))
                .with_help(cargo_failure_help(text, manifest))
        }
        other => {
            Diagnostic::error(format!("`cargo metadata` for {} gave an answer crd-gen cannot read: {other}", manifest.display()), place)
                .with_help("run `cargo metadata --format-version 1` by hand to see what it prints; crd-gen needs a cargo that supports it")
        }
    }
}

/// cargo could not be started at all.
fn cargo_not_run(e: &std::io::Error, place: Place) -> Diagnostic {
    match std::env::var_os("CARGO") {
        Some(cargo) => Diagnostic::error(format!("cannot run cargo `{}` (named by the CARGO environment variable): {e}", cargo.to_string_lossy()), place)
            .with_help("point CARGO at a cargo binary, or unset it to use the `cargo` on PATH"),
        None if e.kind() == std::io::ErrorKind::NotFound => Diagnostic::error("cannot run `cargo`: it is not on PATH", place)
            .with_help("crd-gen asks `cargo metadata` where the packages and their dependencies are: install Rust (https://rustup.rs), or add cargo's directory (usually ~/.cargo/bin) to PATH, or set CARGO=/path/to/cargo"),
        None => Diagnostic::error(format!("cannot run `cargo`: {e}"), place)
            .with_help("check that the `cargo` on PATH is an executable cargo, or set CARGO=/path/to/cargo"),
    }
}

/// The fix for what cargo reported.
fn cargo_failure_help(text: &str, manifest: &Path) -> String {
    let home = cargo_home();
    let io_words =
        ["Permission denied", "Read-only file system", "Not a directory", "No space left", "Operation not permitted", "Disk quota"];
    if let Some(home) = home.filter(|h| text.contains(h.as_str()) && io_words.iter().any(|w| text.contains(w))) {
        return format!(
            "cargo cannot write its registry cache in CARGO_HOME (`{home}`): make that directory writable, or point CARGO_HOME at one that is (e.g. `CARGO_HOME=$HOME/.cargo`)"
        );
    }
    let network = [
        "failed to download",
        "failed to query replaced source",
        "Could not resolve host",
        "network failure",
        "failed to get `",
        "spurious network error",
    ];
    if network.iter().any(|w| text.contains(w)) {
        return "cargo could not reach the package registry to resolve the dependencies: run with network access once, or, if they are already downloaded, set CARGO_NET_OFFLINE=true".to_string();
    }
    format!("fix what cargo reports, so that `cargo metadata --manifest-path {}` succeeds", manifest.display())
}

/// Where cargo keeps its registry cache: $CARGO_HOME, or ~/.cargo.
fn cargo_home() -> Option<String> {
    let home =
        std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.display().to_string())
}

/// Continuation lines of a help, aligned under its first line (as the renderer prints it).
fn indent(text: &str) -> String {
    text.lines().map(|l| if l.trim().is_empty() { String::new() } else { format!("    {l}") }).collect::<Vec<_>>().join("\n")
}

/// The nearest `Cargo.toml` from the current directory up, as cargo finds it without
/// `--manifest-path`.
pub(crate) fn find_manifest() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().map(|d| d.join("Cargo.toml")).find(|p| p.is_file())
}

fn select<'m>(metadata: &'m Metadata, manifest: &Path, names: &[String], diags: &mut Diagnostics) -> Option<Vec<&'m Package>> {
    let members: Vec<&Package> = metadata.workspace_packages();
    if !names.is_empty() {
        let mut out = Vec::new();
        for name in names {
            match members.iter().find(|p| p.name.as_str() == name) {
                Some(p) => out.push(*p),
                None => {
                    let known: Vec<&str> = members.iter().map(|p| p.name.as_str()).collect();
                    diags.push(
                        Diagnostic::error(
                            format!("package `{name}` is not a member of the workspace"),
                            Place::File(manifest.to_path_buf()),
                        )
                        .with_help(format!("members: {}", known.join(", "))),
                    );
                }
            }
        }
        return if diags.has_errors() { None } else { Some(out) };
    }
    let same = |p: &&&Package| p.manifest_path.as_std_path().canonicalize().ok().as_deref() == Some(manifest);
    match members.iter().find(same) {
        Some(p) => Some(vec![*p]),
        None => Some(members),
    }
}

/// The crate a package provides to its dependents (its lib target), with its own dependencies.
fn crate_source(metadata: &Metadata, id: &PackageId, memo: &mut HashMap<PackageId, Option<Arc<CrateSource>>>) -> Option<Arc<CrateSource>> {
    if let Some(done) = memo.get(id) {
        return done.clone();
    }
    memo.insert(id.clone(), None);
    let pkg = &metadata[id];
    let target = pkg
        .targets
        .iter()
        .find(|t| {
            t.kind.iter().any(|k| {
                matches!(
                    k,
                    TargetKind::Lib
                        | TargetKind::RLib
                        | TargetKind::ProcMacro
                        | TargetKind::DyLib
                        | TargetKind::CDyLib
                        | TargetKind::StaticLib
                )
            })
        })
        .or_else(|| pkg.targets.iter().find(|t| t.kind.contains(&TargetKind::Bin)))?;
    let node = metadata.resolve.as_ref().and_then(|r| r.nodes.iter().find(|n| &n.id == id));
    let mut deps = BTreeMap::new();
    let mut features = Vec::new();
    if let Some(node) = node {
        features = node.features.iter().map(|f| f.to_string()).collect();
        for dep in &node.deps {
            if let Some(src) = crate_source(metadata, &dep.pkg, memo) {
                deps.insert(dep.name.clone(), src);
            }
        }
    }
    let source = Arc::new(CrateSource {
        name: target.name.replace('-', "_"),
        package: pkg.name.to_string(),
        root_file: target.src_path.clone().into(),
        deps,
        features,
    });
    memo.insert(id.clone(), Some(source.clone()));
    Some(source)
}

/// cargo reports a TOML syntax error as "TOML parse error at line L, column C" (older cargo) or
/// with a ` --> Cargo.toml:L:C` pointer (newer).
fn toml_error_position(message: &str) -> Option<(usize, usize)> {
    if let Some(pointer) = message.lines().find_map(|l| l.trim_start().strip_prefix("--> ")) {
        let mut parts = pointer.trim().rsplitn(3, ':');
        let (col, line) = (parts.next()?, parts.next()?);
        return Some((line.parse().ok()?, col.parse().ok()?));
    }
    let rest = &message[message.find("at line ")? + "at line ".len()..];
    let (line, rest) = rest.split_once(", column ")?;
    let col: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::toml_error_position;

    #[test]
    fn finds_the_position_of_a_toml_error_in_both_cargo_styles() {
        assert_eq!(toml_error_position("TOML parse error at line 6, column 38\n  |"), Some((6, 38)));
        assert_eq!(toml_error_position("error: invalid basic string\n --> Cargo.toml:6:38\n  |"), Some((6, 38)));
        assert_eq!(toml_error_position("error: failed to acquire package cache lock"), None);
    }
}
