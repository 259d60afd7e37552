//! Discovery for build scripts: where every crate's source lives, without asking cargo to resolve.
//!
//! A full `cargo metadata` runs the resolver, which takes cargo's package-cache lock; from a build
//! script that can wait forever on another cargo (an editor's `cargo check`, a `cargo fetch`), or
//! on the cargo running the build. So a build script asks cargo only for the workspace
//! (`--no-deps`, which takes no lock) and reads the rest as cargo left it: the resolved graph from
//! `Cargo.lock`, registry sources from `$CARGO_HOME/registry/src`, git checkouts from
//! `$CARGO_HOME/git/checkouts`, and each dependency's own Cargo.toml for its targets, renames and
//! features. Whatever this cannot place is reported, so the caller can fall back to cargo.

use super::CrateSource;
use super::file_cache::FileCache;
use cargo_metadata::{DependencyKind, Metadata, Package};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A package of `Cargo.lock`: `name version`, with where it comes from and what it depends on.
#[derive(Debug, Clone)]
struct LockedPackage {
    name: String,
    version: String,
    /// `registry+..`, `sparse+..`, `git+..#rev`; none for path packages.
    source: Option<String>,
    /// `name` or `name version` as the lock file writes them.
    dependencies: Vec<String>,
}

/// A package's manifest, as far as the crates it exposes are concerned.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Manifest {
    name: String,
    version: String,
    /// The library (or, with none, the first binary) target: its crate name and root file.
    target: Option<(String, PathBuf)>,
    /// Normal dependencies: extern name -> (package name, path if a path dependency, features
    /// asked for, whether default features are on).
    deps: Vec<DeclaredDep>,
    /// `[features]`: each feature and what it turns on.
    features: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct DeclaredDep {
    extern_name: String,
    package: String,
    path: Option<PathBuf>,
    features: Vec<String>,
    default_features: bool,
    optional: bool,
    /// Declared under `[target.'cfg(..)'.dependencies]`: cargo unpacks it only for a build
    /// for that platform.
    platform_specific: bool,
    /// The version requirement (`"1"`, `">=0.29, <0.30"`), if any.
    version: Option<String>,
}

/// Why a crate could not be placed: the caller says so and asks cargo instead.
#[derive(Debug)]
pub struct Unplaced(pub String);

/// The crate of the package at `manifest` (a build script's own) with all it depends on, its
/// features being `features` (cargo's `CARGO_CFG_FEATURE`).
pub fn discover(manifest: &Path, features: &[String]) -> Result<(PathBuf, Arc<CrateSource>), Unplaced> {
    discover_package(manifest, RootFeatures::Enabled(features))
}

/// The root package's features: as cargo enabled them (a build script), or as the command line
/// asks (`-F`, `--no-default-features`; `--all-features` and `pkg/feature` are cargo's to resolve).
pub enum RootFeatures<'a> {
    Enabled(&'a [String]),
    Asked { features: &'a [String], default: bool },
}

/// [`discover`] for the package at `manifest` (a package of its workspace, not a virtual root).
pub fn discover_package(manifest: &Path, features: RootFeatures) -> Result<(PathBuf, Arc<CrateSource>), Unplaced> {
    discover_with_cache(manifest, features, |target| target.join("crd-gen/unpacked-manifests.json"))
}

/// [`discover_package`], keeping unpacked manifests at `cache` (given the target directory).
fn discover_with_cache(
    manifest: &Path,
    features: RootFeatures,
    cache: impl FnOnce(&Path) -> PathBuf,
) -> Result<(PathBuf, Arc<CrateSource>), Unplaced> {
    let (metadata, _) = super::workspace_cache::workspace_metadata(manifest, &super::workspace_cache::Asker::here())?;
    let strict = matches!(features, RootFeatures::Asked { .. });
    let lock_path = metadata.workspace_root.as_std_path().join("Cargo.lock");
    let lock_text = std::fs::read_to_string(&lock_path).map_err(|e| Unplaced(format!("cannot read {}: {e}", lock_path.display())))?;
    let locked = parse_lock(&lock_text).map_err(|e| Unplaced(format!("{}: {e}", lock_path.display())))?;
    let canonical = manifest.canonicalize().unwrap_or_else(|_| manifest.to_path_buf());
    let same = |p: &&Package| p.manifest_path.as_std_path().canonicalize().ok().as_deref() == Some(canonical.as_path());
    let package = metadata
        .workspace_packages()
        .into_iter()
        .find(same)
        .ok_or_else(|| Unplaced(format!("{} is not a package of its workspace", manifest.display())))?;
    let index = by_name(&locked);
    let mut graph = Graph {
        metadata: &metadata,
        locked: &index,
        manifests: HashMap::new(),
        memo: HashMap::new(),
        features: HashMap::new(),
        dep_features: HashMap::new(),
        relevant: None,
        strict,
        unpacked: FileCache::open(Some(cache(metadata.target_directory.as_std_path()))),
    };
    let root = graph.member_manifest(package);
    match features {
        RootFeatures::Enabled(on) => graph.enable(&root, on.iter().cloned(), false),
        RootFeatures::Asked { features, default } => {
            // A feature the package does not have is cargo's error to report.
            let known =
                |f: &String| root.features.contains_key(f) || root.deps.iter().any(|d| d.optional && d.extern_name == f.replace('-', "_"));
            if let Some(f) = features.iter().find(|f| f.contains('/') || !known(f)) {
                return Err(Unplaced(format!("feature `{f}` is left to cargo")));
            }
            graph.enable(&root, features.iter().cloned(), default);
        }
    }
    let mut roots = vec![root.clone()];
    if strict {
        // `cargo metadata` unifies features over the workspace (a library member may leave
        // k8s-openapi's version feature to the binary beside it): every member counts, with its
        // default features.
        let relevant = reaching(&locked, &key(&root.name, &root.version));
        for member in metadata.workspace_packages().into_iter().filter(|p| !same(p)) {
            if !relevant.contains(&key(&member.name, &member.version.to_string())) {
                continue;
            }
            let m = graph.member_manifest(member);
            graph.enable(&m, std::iter::empty(), true);
            roots.push(m);
        }
        graph.relevant = Some(relevant);
    }
    let edges = graph.walk(&roots)?;
    let source = graph.crate_of(&key(&root.name, &root.version), &edges)?;
    graph.unpacked.save();
    let dir = package.manifest_path.parent().map(|p| p.as_std_path().to_path_buf()).unwrap_or_default();
    Ok((dir, source))
}

/// Each package (`name version`) with the dependencies it uses, by extern name.
type Edges = HashMap<String, (Arc<Manifest>, Vec<(String, Arc<Manifest>)>)>;

struct Graph<'a> {
    /// Cargo has not necessarily resolved since the manifests changed (the command line, not a
    /// build script): a dependency the lock file lacks, or whose locked version the manifest no
    /// longer allows, means the lock is stale and cargo must resolve.
    strict: bool,
    metadata: &'a Metadata,
    /// Cargo.lock's packages by name.
    locked: &'a HashMap<&'a str, Vec<&'a LockedPackage>>,
    /// Manifests read, by `name version`.
    manifests: HashMap<String, Arc<Manifest>>,
    memo: HashMap<String, Arc<CrateSource>>,
    /// Features enabled per package (`name version`).
    features: HashMap<String, BTreeSet<String>>,
    /// Features a package turns on in its dependencies (`dep/feature`, `dep?/feature` in its
    /// `[features]`), per package: (dependency name, feature).
    dep_features: HashMap<String, BTreeSet<(String, String)>>,
    /// With other members walked for their features: the packages (`name version`) that can
    /// reach the target's dependencies in the lock file's graph; no other one can change them.
    relevant: Option<BTreeSet<String>>,
    /// Manifests of registry and git packages read by earlier runs.
    unpacked: FileCache<Manifest>,
}

fn key(name: &str, version: &str) -> String {
    format!("{name} {version}")
}

fn by_name(locked: &[LockedPackage]) -> HashMap<&str, Vec<&LockedPackage>> {
    let mut out: HashMap<&str, Vec<&LockedPackage>> = HashMap::new();
    for l in locked {
        out.entry(l.name.as_str()).or_default().push(l);
    }
    out
}

impl<'a> Graph<'a> {
    /// The locked versions of package `name`.
    fn locked_versions(&self, name: &str) -> impl Iterator<Item = &'a LockedPackage> + use<'a> {
        let locked: &'a HashMap<&'a str, Vec<&'a LockedPackage>> = self.locked;
        locked.get(name).into_iter().flatten().copied()
    }

    fn member_manifest(&self, p: &Package) -> Arc<Manifest> {
        let kinds = |t: &cargo_metadata::Target| t.kind.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let lib = p.targets.iter().find(|t| kinds(t).iter().any(|k| k.contains("lib") || k == "proc-macro"));
        let target = lib.or_else(|| p.targets.iter().find(|t| kinds(t).iter().any(|k| k == "bin")));
        let deps = p
            .dependencies
            .iter()
            .filter(|d| d.kind == DependencyKind::Normal)
            .map(|d| DeclaredDep {
                extern_name: d.rename.clone().unwrap_or_else(|| d.name.clone()).replace('-', "_"),
                package: d.name.clone(),
                path: d.path.as_ref().map(|p| p.as_std_path().to_path_buf()),
                features: d.features.clone(),
                default_features: d.uses_default_features,
                optional: d.optional,
                platform_specific: d.target.is_some(),
                version: Some(d.req.to_string()),
            })
            .collect();
        Arc::new(Manifest {
            name: p.name.to_string(),
            version: p.version.to_string(),
            target: target.map(|t| (t.name.replace('-', "_"), t.src_path.clone().into_std_path_buf())),
            deps,
            features: p.features.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        })
    }

    /// Turns on `wanted` features of `m` (and `default` unless told not to), with what they imply
    /// inside the package and in its dependencies (`dep/feature`).
    fn enable(&mut self, m: &Manifest, wanted: impl IntoIterator<Item = String>, default: bool) {
        let mut todo: Vec<String> = wanted.into_iter().collect();
        if default && m.features.contains_key("default") {
            todo.push("default".into());
        }
        let k = key(&m.name, &m.version);
        let on = self.features.entry(k.clone()).or_default();
        let mut in_deps = Vec::new();
        while let Some(f) = todo.pop() {
            if let Some((dep, feature)) = f.split_once('/') {
                in_deps.push((dep.trim_end_matches('?').replace('-', "_"), feature.to_string()));
                continue;
            }
            if f.starts_with("dep:") || !on.insert(f.clone()) {
                continue;
            }
            todo.extend(m.features.get(&f).into_iter().flatten().cloned());
        }
        self.dep_features.entry(k).or_default().extend(in_deps);
    }

    /// Whether an optional dependency is turned on by one of the package's features.
    fn optional_on(&self, m: &Manifest, dep: &DeclaredDep) -> bool {
        let on = self.features.get(&key(&m.name, &m.version));
        let names = [dep.extern_name.as_str(), dep.package.as_str()];
        on.into_iter().flatten().any(|f| {
            names.contains(&f.as_str())
                || m.features.get(f).into_iter().flatten().any(|imp| {
                    let target = imp.strip_prefix("dep:").unwrap_or(imp).split(['/', '?']).next().unwrap_or("");
                    names.iter().any(|n| n.replace('-', "_") == target.replace('-', "_"))
                })
        })
    }

    /// Every package reachable from `roots` with the dependencies it uses, features settled:
    /// a feature one dependent turns on can turn on an optional dependency of another package,
    /// so the walk repeats until no package's features change.
    fn walk(&mut self, roots: &[Arc<Manifest>]) -> Result<Edges, Unplaced> {
        loop {
            let before = (self.features.clone(), self.dep_features.clone());
            let mut edges = Edges::new();
            let mut todo = roots.to_vec();
            while let Some(m) = todo.pop() {
                let k = key(&m.name, &m.version);
                if edges.contains_key(&k) {
                    continue;
                }
                let lock = self.locked_versions(&m.name).find(|l| l.version == m.version);
                let mut uses = Vec::new();
                let used: Vec<&DeclaredDep> = m.deps.iter().filter(|d| !d.optional || self.optional_on(&m, d)).collect();
                for dep in used {
                    let Some(dep_manifest) = self.place(&m, lock, dep)? else { continue };
                    let names = [dep.extern_name.clone(), dep.package.replace('-', "_")];
                    let asked: Vec<String> = self
                        .dep_features
                        .get(&k)
                        .into_iter()
                        .flatten()
                        .filter(|(d, _)| names.contains(d))
                        .map(|(_, f)| f.clone())
                        .collect();
                    self.enable(&dep_manifest, dep.features.iter().cloned().chain(asked), dep.default_features);
                    todo.push(dep_manifest.clone());
                    uses.push((dep.extern_name.clone(), dep_manifest));
                }
                edges.insert(k, (m, uses));
            }
            if (&self.features, &self.dep_features) == (&before.0, &before.1) {
                return Ok(edges);
            }
        }
    }

    /// The crate of `k` and, first, those it depends on (cargo refuses cycles of normal
    /// dependencies, the only ones followed).
    fn crate_of(&mut self, k: &str, edges: &Edges) -> Result<Arc<CrateSource>, Unplaced> {
        if let Some(done) = self.memo.get(k) {
            return Ok(done.clone());
        }
        let (m, uses) = &edges[k];
        let (name, root_file) =
            m.target.clone().ok_or_else(|| Unplaced(format!("package `{}` has no library or binary target", m.name)))?;
        let mut deps = BTreeMap::new();
        for (extern_name, dep) in uses {
            deps.insert(extern_name.clone(), self.crate_of(&key(&dep.name, &dep.version), edges)?);
        }
        let features = self.features.get(k).into_iter().flatten().cloned().collect();
        let source = Arc::new(CrateSource { name, package: m.name.clone(), root_file, deps, features });
        self.memo.insert(k.to_string(), source.clone());
        Ok(source)
    }

    /// The manifest of the package `dep` names, as `Cargo.lock` resolved it for `from`.
    fn place(&mut self, from: &Manifest, lock: Option<&LockedPackage>, dep: &DeclaredDep) -> Result<Option<Arc<Manifest>>, Unplaced> {
        let lock = lock.ok_or_else(|| Unplaced(format!("`{} {}` is not in Cargo.lock", from.name, from.version)))?;
        let entry = lock.dependencies.iter().find(|d| d.split(' ').next() == Some(dep.package.as_str()));
        // A dependency for another target (`[target.'cfg(windows)'.dependencies]`) is not
        // in the lock entry of a build for this one; nothing of it can be used.
        let Some(entry) = entry else {
            return if self.strict && !dep.platform_specific {
                Err(Unplaced(format!("`{}` of `{}` is not in its Cargo.lock entry", dep.package, from.name)))
            } else {
                Ok(None)
            };
        };
        let mut parts = entry.split(' ');
        let name = parts.next().unwrap_or_default();
        let version = parts.next();
        let candidates: Vec<&LockedPackage> = self.locked_versions(name).filter(|l| version.is_none_or(|v| l.version == v)).collect();
        let [package] = candidates[..] else {
            return Err(Unplaced(format!("`{entry}` is not one package of Cargo.lock")));
        };
        if self.strict && !allows(dep.version.as_deref(), &package.version) {
            return Err(Unplaced(format!("Cargo.lock has `{entry}`, which `{}` no longer allows", from.name)));
        }
        let k = key(&package.name, &package.version);
        if self.relevant.as_ref().is_some_and(|r| !r.contains(&k)) {
            return Ok(None);
        }
        if let Some(m) = self.manifests.get(&k) {
            return Ok(Some(m.clone()));
        }
        let member = self.metadata.packages.iter().find(|p| p.name.as_str() == package.name && p.version.to_string() == package.version);
        let manifest = match (member, &package.source, &dep.path) {
            (Some(p), _, _) => self.member_manifest(p),
            (None, None, Some(path)) => Arc::new(read_manifest(path)?),
            (None, Some(src), _) => match downloaded_dir(package, src) {
                Ok(dir) => Arc::new(self.unpacked.get_or_read(&dir.join("Cargo.toml"), || read_manifest(&dir))?),
                // Another platform's dependency: this build does not use it (cargo unpacks
                // every package a build compiles before it runs a build script).
                Err(_) if dep.platform_specific => return Ok(None),
                Err(e) => return Err(e),
            },
            (None, None, None) => return Err(Unplaced(format!("path package `{k}` is not a workspace member"))),
        };
        self.manifests.insert(k, manifest.clone());
        Ok(Some(manifest))
    }
}

/// Where cargo unpacked a registry or git package.
fn downloaded_dir(p: &LockedPackage, source: &str) -> Result<PathBuf, Unplaced> {
    let home = cargo_home().ok_or_else(|| Unplaced("neither CARGO_HOME nor HOME is set".into()))?;
    let want = format!("{}-{}", p.name, p.version);
    if source.starts_with("registry+") || source.starts_with("sparse+") {
        let mut found: Vec<PathBuf> = read_dirs(&home.join("registry/src"))
            .into_iter()
            .map(|index| index.join(&want))
            .filter(|d| d.join("Cargo.toml").is_file())
            .collect();
        found.sort();
        return found
            .into_iter()
            .next()
            .ok_or_else(|| Unplaced(format!("`{want}` is not unpacked in {}", home.join("registry/src").display())));
    }
    if let Some((_, rev)) = source.rsplit_once('#') {
        for repo in read_dirs(&home.join("git/checkouts")) {
            for checkout in read_dirs(&repo) {
                let short = checkout.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                if short.len() >= 7
                    && rev.starts_with(&short)
                    && let Some(dir) = find_package(&checkout, &p.name, 3)
                {
                    return Ok(dir);
                }
            }
        }
    }
    Err(Unplaced(format!("cannot find the source of `{want}` ({source})")))
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
}

fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

/// The directory under `dir` (to `depth` levels) whose Cargo.toml is package `name`'s.
fn find_package(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    let manifest = dir.join("Cargo.toml");
    if manifest.is_file() && read_manifest(dir).is_ok_and(|m| m.name == name) {
        return Some(dir.to_path_buf());
    }
    if depth == 0 {
        return None;
    }
    read_dirs(dir).into_iter().filter(|d| !d.ends_with(".git") && !d.ends_with("target")).find_map(|d| find_package(&d, name, depth - 1))
}

/// Reads the manifest in `dir`: what `cargo metadata` would say of its targets and dependencies.
fn read_manifest(dir: &Path) -> Result<Manifest, Unplaced> {
    let path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Unplaced(format!("cannot read {}: {e}", path.display())))?;
    // Read, never edited: the document keeps its spans (making it editable costs a third more).
    let doc = toml_edit::Document::parse(text.as_str()).map_err(|e| Unplaced(format!("{}: {e}", path.display())))?;
    let package = doc.get("package").ok_or_else(|| Unplaced(format!("{} has no [package]", path.display())))?;
    let name = package.get("name").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let version = package.get("version").and_then(|v| v.as_str()).unwrap_or("0.0.0").to_string();
    let lib = doc.get("lib");
    let lib_name = lib.and_then(|l| l.get("name")).and_then(|v| v.as_str()).map(str::to_string).unwrap_or_else(|| name.replace('-', "_"));
    let lib_path = lib.and_then(|l| l.get("path")).and_then(|v| v.as_str()).map(|p| dir.join(p));
    let target = lib_path.or_else(|| Some(dir.join("src/lib.rs")).filter(|p| p.is_file())).map(|p| (lib_name, p));
    let target = target.or_else(|| Some(dir.join("src/main.rs")).filter(|p| p.is_file()).map(|p| (name.replace('-', "_"), p)));
    let mut deps = Vec::new();
    if let Some(table) = doc.get("dependencies").and_then(|d| d.as_table_like()) {
        deps.extend(declared(dir, table, false));
    }
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table_like()) {
        for (_, platform) in targets.iter() {
            if let Some(table) = platform.get("dependencies").and_then(|d| d.as_table_like()) {
                deps.extend(declared(dir, table, true));
            }
        }
    }
    let features = doc
        .get("features")
        .and_then(|f| f.as_table_like())
        .map(|t| t.iter().map(|(k, v)| (k.to_string(), strings(v))).collect())
        .unwrap_or_default();
    Ok(Manifest { name, version, target, deps, features })
}

fn declared(dir: &Path, table: &dyn toml_edit::TableLike, platform_specific: bool) -> Vec<DeclaredDep> {
    table
        .iter()
        .map(|(extern_name, spec)| {
            let field = |k: &str| spec.get(k);
            DeclaredDep {
                extern_name: extern_name.replace('-', "_"),
                package: field("package").and_then(|v| v.as_str()).unwrap_or(extern_name).to_string(),
                path: field("path").and_then(|v| v.as_str()).map(|p| dir.join(p)),
                features: field("features").map(strings).unwrap_or_default(),
                default_features: field("default-features").or(field("default_features")).and_then(|v| v.as_bool()).unwrap_or(true),
                optional: field("optional").and_then(|v| v.as_bool()).unwrap_or(false),
                platform_specific,
                version: spec.as_str().or_else(|| field("version").and_then(|v| v.as_str())).map(str::to_string),
            }
        })
        .collect()
}

fn strings(v: &toml_edit::Item) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The packages (`name version`) of the lock file's graph that reach `target` or what `target`
/// depends on (the lock file lists every kind of dependency: a superset of what features flow
/// through).
fn reaching(locked: &[LockedPackage], target: &str) -> BTreeSet<String> {
    let key_of = |entry: &str| {
        let mut parts = entry.split(' ');
        let name = parts.next().unwrap_or_default();
        let version = parts.next();
        let mut found = locked.iter().filter(|l| l.name == name && version.is_none_or(|v| l.version == v));
        found.next().map(|l| key(&l.name, &l.version))
    };
    let edges: Vec<(String, Vec<String>)> =
        locked.iter().map(|l| (key(&l.name, &l.version), l.dependencies.iter().filter_map(|d| key_of(d)).collect())).collect();
    let mut below: BTreeSet<String> = BTreeSet::from([target.to_string()]);
    let mut todo = vec![target.to_string()];
    while let Some(k) = todo.pop() {
        for (_, deps) in edges.iter().filter(|(e, _)| *e == k) {
            todo.extend(deps.iter().filter(|d| below.insert((*d).clone())).cloned());
        }
    }
    let mut reach = below.clone();
    loop {
        let more: Vec<String> =
            edges.iter().filter(|(e, deps)| !reach.contains(e) && deps.iter().any(|d| reach.contains(d))).map(|(e, _)| e.clone()).collect();
        if more.is_empty() {
            return reach;
        }
        reach.extend(more);
    }
}

/// Whether `version` meets the requirement `req` (none: any version; one cargo_metadata's
/// semver cannot read: no, so cargo decides).
fn allows(req: Option<&str>, version: &str) -> bool {
    use cargo_metadata::semver::{Version, VersionReq};
    let Some(req) = req else { return true };
    matches!((VersionReq::parse(req), Version::parse(version)), (Ok(r), Ok(v)) if r.matches(&v))
}

/// The `[[package]]` entries of a Cargo.lock.
fn parse_lock(text: &str) -> Result<Vec<LockedPackage>, String> {
    let doc = toml_edit::Document::parse(text).map_err(|e| e.to_string())?;
    let Some(packages) = doc.get("package").and_then(|p| p.as_array_of_tables()) else { return Ok(Vec::new()) };
    Ok(packages
        .iter()
        .map(|p| LockedPackage {
            name: p.get("name").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
            version: p.get("version").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
            source: p.get("source").and_then(|v| v.as_str()).map(str::to_string),
            dependencies: p.get("dependencies").map(strings).unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_packages_that_reach_the_targets_graph_are_walked() {
        let p = |name: &str, deps: &[&str]| LockedPackage {
            name: name.into(),
            version: "1.0.0".into(),
            source: None,
            dependencies: deps.iter().map(|d| d.to_string()).collect(),
        };
        let lock = [p("api", &["serde"]), p("bin", &["api", "tokio"]), p("other", &["serde"]), p("tokio", &[]), p("serde", &[])];
        let r: Vec<String> = reaching(&lock, "api 1.0.0").into_iter().collect();
        assert_eq!(r, ["api 1.0.0", "bin 1.0.0", "other 1.0.0", "serde 1.0.0"]);
    }

    #[test]
    fn a_locked_version_must_meet_the_requirement() {
        assert!(allows(Some("1"), "1.0.228") && allows(Some("0.29"), "0.29.0") && allows(None, "3.0.0"));
        assert!(!allows(Some("0.28"), "0.29.0") && !allows(Some("=1.0.1"), "1.0.2") && !allows(Some("not a req"), "1.0.0"));
    }

    #[test]
    fn reads_the_packages_of_a_lock_file() {
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.1.0\"\ndependencies = [\"serde\", \"k8s-openapi 0.29.0\"]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let p = parse_lock(lock).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].dependencies, ["serde", "k8s-openapi 0.29.0"]);
        assert!(p[0].source.is_none());
        assert_eq!(p[1].source.as_deref(), Some("registry+https://github.com/rust-lang/crates.io-index"));
    }

    #[test]
    fn the_dependencies_of_this_workspace_are_placed_as_cargo_metadata_places_them() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let (_, source) = discover(&manifest, &["cargo".to_string()]).expect("placed");
        assert_eq!(source.name, "crd_gen");
        let syn = &source.deps["syn"];
        assert!(syn.root_file.ends_with("src/lib.rs"), "{}", syn.root_file.display());
        assert!(syn.features.iter().any(|f| f == "full"), "{:?}", syn.features);
        assert!(source.deps.contains_key("cargo_metadata"), "an optional dependency its feature turns on");
        assert!(!source.deps.contains_key("clap"), "an optional dependency no feature turns on");
    }

    /// Every crate both ways, by package, with its root file: the lock file's answer is cargo's.
    fn all(source: &Arc<CrateSource>, out: &mut BTreeSet<(String, PathBuf)>) {
        if out.insert((source.package.clone(), source.root_file.clone())) {
            for d in source.deps.values() {
                all(d, out);
            }
        }
    }

    /// The package at `manifest` as `cargo metadata` resolves it (default features).
    fn resolved_by_cargo(manifest: &Path) -> Arc<CrateSource> {
        let mut diags = crate::diag::Diagnostics::default();
        let selection = super::super::discover::FeatureSelection::default();
        let resolved = super::super::discover::discover(Some(manifest), &[], &selection, &mut diags).expect("cargo metadata");
        resolved[0].source.clone()
    }

    /// Every crate with its features, both ways, for the command line's discovery.
    fn with_features(source: &Arc<CrateSource>, out: &mut BTreeMap<(String, PathBuf), Vec<String>>) {
        let mut features = source.features.clone();
        features.sort();
        if out.insert((source.package.clone(), source.root_file.clone()), features).is_none() {
            for d in source.deps.values() {
                with_features(d, out);
            }
        }
    }

    #[test]
    fn the_manifests_kept_between_runs_are_what_the_files_say() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/cronjob/Cargo.toml");
        let path = std::env::temp_dir().join(format!("crd-gen-unpacked-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let run = || {
            let asked = RootFeatures::Asked { features: &[], default: true };
            let (_, source) = discover_with_cache(&manifest, asked, |_| path.clone()).unwrap_or_else(|e| panic!("{}", e.0));
            let mut placed = BTreeMap::new();
            with_features(&source, &mut placed);
            placed
        };
        let cold = run();
        let cache: FileCache<Manifest> = FileCache::open(Some(path.clone()));
        let kept: Vec<(&Path, &Manifest)> = cache.entries().collect();
        assert!(kept.iter().any(|(file, _)| file.to_string_lossy().contains("k8s-openapi")), "{} kept", kept.len());
        for (file, manifest) in kept {
            assert_eq!(manifest, &read_manifest(file.parent().unwrap()).unwrap(), "{}", file.display());
        }
        assert_eq!(run(), cold, "a warm run places what a cold one does");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn the_command_lines_discovery_from_the_lock_file_is_cargo_metadatas() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        // (fixtures/workspace is a workspace of its own whose path dependency inherits its version
        // from this one: the lock file cannot place it, and cargo metadata answers, as tests/golden.rs shows.)
        for name in ["guestbook", "cronjob", "channels", "kube-operator", "kube-derive-migrated", "ports/flux-image"] {
            let manifest = fixtures.join(name).join("Cargo.toml");
            if !manifest.is_file() {
                continue;
            }
            let asked = RootFeatures::Asked { features: &[], default: true };
            let (_, locked) = discover_package(&manifest, asked).unwrap_or_else(|e| panic!("{name}: {}", e.0));
            let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
            with_features(&locked, &mut a);
            with_features(&resolved_by_cargo(&manifest), &mut b);
            // cargo metadata also unifies the features build and dev dependencies turn on, which
            // `cargo build -p` (resolver 2) keeps apart; normal dependencies agree exactly.
            for (k, features) in &a {
                let theirs = b.get(k).unwrap_or_else(|| panic!("{name}: `{}` placed but not resolved by cargo", k.0));
                assert!(features.iter().all(|f| theirs.contains(f)), "{name}: `{}` has {features:?}, cargo {theirs:?}", k.0);
            }
            for exact in ["k8s-openapi", "serde_json", "kube-core", "chrono"] {
                let pick = |m: &BTreeMap<(String, PathBuf), Vec<String>>| m.iter().find(|(k, _)| k.0 == exact).map(|(_, v)| v.clone());
                assert_eq!(pick(&a), pick(&b), "{name}: {exact}");
            }
        }
    }

    #[test]
    fn the_crates_placed_are_the_ones_cargo_metadata_resolves() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/cronjob/Cargo.toml");
        let (_, locked) = discover(&manifest, &[]).expect("placed");
        let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
        all(&locked, &mut a);
        all(&resolved_by_cargo(&manifest), &mut b);
        // cargo metadata resolves the whole workspace (features other members turn on, every
        // platform's dependencies); the lock file is read for this package on this platform.
        let missing: Vec<_> = a.difference(&b).collect();
        assert!(missing.is_empty(), "placed from the lock file but not by cargo: {missing:?}");
        assert!(a.iter().any(|(p, _)| p == "k8s-openapi") && a.iter().any(|(p, _)| p == "serde_json"), "{a:?}");
        let k8s = &locked.deps["k8s_openapi"];
        assert!(k8s.features.iter().any(|f| f == "v1_34"), "{:?}", k8s.features);
    }
}
