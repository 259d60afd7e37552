//! `cargo metadata --no-deps` answered from the last run's answer while nothing it depends on
//! has changed. Asking cargo is ~20 ms, most of a small run's time; the answer depends only on
//! files and settings that can be listed, so each run compares them instead (some 40 `stat`s
//! for a package of its own, ~270 for this repository's 30-member workspace).
//!
//! The answer is the workspace: its root, its target directory, and each member's manifest and
//! targets. Cargo reads it from the members' and the root's manifests (found by walking up from
//! the package), `members` globs over directories, targets found by file layout (`src/lib.rs`,
//! `src/bin/`, ..), `.cargo/config.toml` files above the current directory and in
//! `$CARGO_HOME`, the toolchain rustup picks there, and a few environment variables. The
//! kept answer records the length and modification time of each of those files and directories
//! (or that it was absent; of a target's source file only whether it is there, since editing it
//! changes nothing cargo says) and the variables; any difference, a glob this cannot watch
//! (wildcards before the last path component), or an unreadable cache asks cargo again. The
//! cache lives in the target directory (`crd-gen/workspace-metadata/`, a file per package and
//! current directory), found from the package up as `target/` or through `CARGO_TARGET_DIR`; a
//! target directory set elsewhere (a config file) only means cargo is always asked.

use super::file_cache;
use super::locked::Unplaced;
use cargo_metadata::{Metadata, MetadataCommand};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// A cache written by another crd-gen version is not read.
const FORMAT: &str = concat!("crd-gen ", env!("CARGO_PKG_VERSION"), " workspace metadata 2");
/// One file per package and current directory, named by a hash of the two.
const CACHE_DIR: &str = "crd-gen/workspace-metadata";
/// The environment cargo's workspace answer (or the choice of cargo) depends on.
const WATCHED_ENV: &[&str] = &["CARGO", "CARGO_HOME", "CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "RUSTUP_TOOLCHAIN"];

/// Where cargo is asked from: its current directory and the environment it sees.
pub struct Asker {
    pub cwd: PathBuf,
    pub env: BTreeMap<String, Option<String>>,
}

impl Asker {
    /// This process.
    pub fn here() -> Asker {
        let cwd = std::env::current_dir().unwrap_or_default();
        let env = WATCHED_ENV.iter().map(|k| (k.to_string(), std::env::var(k).ok())).collect();
        Asker { cwd, env }
    }
}

/// The workspace of the package at `manifest`, and whether it came from the cache.
pub fn workspace_metadata(manifest: &Path, asker: &Asker) -> Result<(Metadata, bool), Unplaced> {
    // A relative `--manifest-path` has directories above it too.
    let manifest = &asker.cwd.join(manifest);
    let key = format!("{}\n{}", manifest.display(), asker.cwd.display());
    let file = format!("{:016x}.json", fnv1a(key.as_bytes()));
    for target in candidates(manifest, asker) {
        let cache = target.join(CACHE_DIR).join(&file);
        let kept = Entry::read(&cache).filter(|e| e.key == key && e.still_true(asker)).and_then(|e| MetadataCommand::parse(&e.json).ok());
        // An answer about another target directory is not this one's.
        if let Some(metadata) = kept.filter(|m| m.target_directory.as_std_path() == target) {
            return Ok((metadata, true));
        }
    }
    let asked = std::time::SystemTime::now();
    let json = ask_cargo(manifest, asker)?;
    let metadata = MetadataCommand::parse(&json).map_err(|e| Unplaced(format!("`cargo metadata --no-deps`: {e}")))?;
    let stamps = watched(&metadata, manifest, asker).map(|w| stamps(&w)).filter(|s| !changed_near(s, asked));
    if let Some(stamps) = stamps {
        let entry = Entry { format: FORMAT.to_string(), key, env: asker.env.clone(), stamps, json };
        entry.write(&metadata.target_directory.as_std_path().join(CACHE_DIR).join(&file));
    }
    Ok((metadata, false))
}

/// A stable hash (the file name must be the same in every run and build of crd-gen).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Some input was modified within a second of asking cargo: cargo may have read it before or
/// after that change (and a file system with whole-second times would not show the next one),
/// so the answer is not kept.
fn changed_near(stamps: &[(PathBuf, Watch, Stamp)], asked: std::time::SystemTime) -> bool {
    let since = asked.duration_since(UNIX_EPOCH).unwrap_or_default().saturating_sub(std::time::Duration::from_secs(1));
    stamps.iter().any(|(_, _, s)| s.is_some_and(|file_cache::Stamp(_, modified)| modified >= since.as_nanos()))
}

fn ask_cargo(manifest: &Path, asker: &Asker) -> Result<String, Unplaced> {
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(manifest).no_deps().other_options(vec!["--offline".to_string()]);
    let mut command = cmd.cargo_command();
    command.current_dir(&asker.cwd);
    let failed = |e: String| Unplaced(format!("`cargo metadata --no-deps` failed: {e}"));
    let out = command.output().map_err(|e| failed(e.to_string()))?;
    if !out.status.success() {
        return Err(failed(String::from_utf8_lossy(&out.stderr).trim().to_string()));
    }
    let stdout = String::from_utf8(out.stdout).map_err(|e| failed(e.to_string()))?;
    stdout.lines().find(|l| l.starts_with('{')).map(str::to_string).ok_or_else(|| failed("no JSON on its output".into()))
}

/// The target directories a cache may be in: the one the environment names, else `target/` in
/// the package's directory or any above it (a workspace's root).
fn candidates(manifest: &Path, asker: &Asker) -> Vec<PathBuf> {
    let named = ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"].iter().find_map(|k| asker.env.get(*k).cloned().flatten());
    if let Some(dir) = named {
        return vec![asker.cwd.join(dir)];
    }
    let dir = manifest.parent().unwrap_or(Path::new(""));
    dir.ancestors().map(|d| d.join("target")).collect()
}

/// What of a path the answer depends on.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
enum Watch {
    /// Its contents (a manifest, a config file) or, for a directory, its list of entries.
    Changes,
    /// Only whether it is there (a target found by layout: its source is edited all the time).
    Presence,
}

/// Every path the answer was made from, or None when one cannot be watched.
fn watched(metadata: &Metadata, manifest: &Path, asker: &Asker) -> Option<Vec<(PathBuf, Watch)>> {
    let root = metadata.workspace_root.as_std_path();
    let mut paths = vec![(root.join("Cargo.toml"), Watch::Changes)];
    // Cargo looks for the workspace root upward from the package.
    let package_dir = manifest.parent()?;
    paths.extend(package_dir.ancestors().skip(1).map(|d| (d.join("Cargo.toml"), Watch::Changes)));
    for member in metadata.workspace_packages() {
        let manifest = member.manifest_path.as_std_path();
        let dir = manifest.parent()?;
        paths.push((manifest.to_path_buf(), Watch::Changes));
        for layout in ["src/lib.rs", "src/main.rs", "build.rs"] {
            paths.push((dir.join(layout), Watch::Presence));
        }
        // A target is a file in one of these or a directory with a `main.rs` in it.
        for layout in ["src/bin", "examples", "tests", "benches"] {
            let layout = dir.join(layout);
            let subdirs = std::fs::read_dir(&layout).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir());
            paths.extend(subdirs.map(|d| (d.join("main.rs"), Watch::Presence)));
            paths.push((layout, Watch::Changes));
        }
    }
    paths.extend(glob_bases(root)?.into_iter().map(|d| (d, Watch::Changes)));
    for dir in asker.cwd.ancestors() {
        for name in [".cargo/config.toml", ".cargo/config", "rust-toolchain.toml", "rust-toolchain"] {
            paths.push((dir.join(name), Watch::Changes));
        }
    }
    let home = asker.env.get("CARGO_HOME").cloned().flatten().map(PathBuf::from).or_else(|| home_dir().map(|h| h.join(".cargo")));
    if let Some(home) = home {
        paths.extend([home.join("config.toml"), home.join("config")].map(|p| (p, Watch::Changes)));
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// The directories whose entries the root manifest's `members` and `exclude` globs match
/// (a path without wildcards is in the manifest itself); None for a glob with a wildcard
/// before its last component (a new match deeper down changes no directory this watches).
fn glob_bases(root: &Path) -> Option<Vec<PathBuf>> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let doc = toml_edit::Document::parse(text.as_str()).ok()?;
    let Some(workspace) = doc.get("workspace") else { return Some(Vec::new()) };
    let mut bases = Vec::new();
    for key in ["members", "exclude", "default-members"] {
        let Some(list) = workspace.get(key).and_then(|i| i.as_array()) else { continue };
        for pattern in list.iter().filter_map(|v| v.as_str()) {
            let parts: Vec<&str> = pattern.split('/').collect();
            let wild = |p: &&str| p.contains(['*', '?', '[']);
            match parts.iter().position(wild) {
                None => {}
                Some(i) if i + 1 == parts.len() => bases.push(root.join(parts[..i].join("/"))),
                Some(_) => return None,
            }
        }
    }
    Some(bases)
}

/// A path's length and modification time ([`file_cache::stamp`]), or None when absent; for
/// [`Watch::Presence`], zeros when present.
type Stamp = Option<file_cache::Stamp>;

fn stamp(path: &Path, watch: Watch) -> Stamp {
    match watch {
        Watch::Changes => file_cache::stamp(path),
        Watch::Presence => path.exists().then_some(file_cache::Stamp(0, 0)),
    }
}

fn stamps(paths: &[(PathBuf, Watch)]) -> Vec<(PathBuf, Watch, Stamp)> {
    paths.iter().map(|(p, w)| (p.clone(), *w, stamp(p, *w))).collect()
}

/// One kept answer.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: String,
    /// The package's manifest and the current directory (the file name is their hash).
    key: String,
    env: BTreeMap<String, Option<String>>,
    stamps: Vec<(PathBuf, Watch, Stamp)>,
    json: String,
}

impl Entry {
    fn read(path: &Path) -> Option<Entry> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice::<Entry>(&bytes).ok().filter(|e| e.format == FORMAT)
    }

    /// Every input is as it was when cargo answered.
    fn still_true(&self, asker: &Asker) -> bool {
        self.env == asker.env && self.stamps.iter().all(|(p, w, s)| stamp(p, *w) == *s)
    }

    /// Through a temporary file renamed over the old one (two runs at once never leave half a
    /// file); a failed write only costs the next run's time.
    fn write(&self, path: &Path) {
        let (Some(dir), Ok(bytes)) = (path.parent(), serde_json::to_vec(self)) else { return };
        let temp = dir.join(format!(".{}.{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"), std::process::id()));
        let written = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&temp, bytes)).and_then(|()| std::fs::rename(&temp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::source::fixture::TempTree;

    /// A directory of files (removed when dropped), every file and directory dated a minute
    /// back so that an answer made from them is kept.
    struct Tree(TempTree);

    impl Tree {
        fn new(files: &[(&str, &str)]) -> Tree {
            let tree = Tree(TempTree::of(files));
            tree.backdate();
            tree
        }
        fn write(&self, files: &[(&str, &str)]) {
            self.0.write(files);
        }
        fn backdate(&self) {
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
            let mut todo = vec![self.0.0.clone()];
            while let Some(path) = todo.pop() {
                if path.is_dir() {
                    todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                }
                std::fs::File::open(&path).unwrap().set_modified(then).unwrap();
            }
        }
        fn asker(&self, cwd: &str) -> Asker {
            let mut asker = Asker::here();
            asker.cwd = self.0.0.join(cwd);
            asker.env.remove("CARGO_TARGET_DIR");
            asker.env.remove("CARGO_BUILD_TARGET_DIR");
            asker
        }
        /// The workspace of `package` asked from `cwd`, and whether the cache answered.
        fn ask(&self, package: &str, cwd: &str) -> (Metadata, bool) {
            self.ask_as(package, &self.asker(cwd))
        }
        fn ask_as(&self, package: &str, asker: &Asker) -> (Metadata, bool) {
            workspace_metadata(&self.0.0.join(package).join("Cargo.toml"), asker).unwrap()
        }
    }

    fn package(name: &str, extra: &str) -> String {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}")
    }

    fn api(m: &Metadata) -> cargo_metadata::Package {
        m.workspace_packages().into_iter().find(|p| p.name.as_str() == "api").unwrap().clone()
    }

    fn member_names(m: &Metadata) -> Vec<String> {
        m.workspace_packages().iter().map(|p| p.name.to_string()).collect()
    }

    /// A workspace `ws` with members under `crates/*`, one of them `api`.
    fn workspace() -> Tree {
        Tree::new(&[
            ("ws/Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n"),
            ("ws/crates/api/Cargo.toml", &package("api", "")),
            ("ws/crates/api/src/lib.rs", ""),
            // Not a target yet: no main.rs in it.
            ("ws/crates/api/src/bin/tool/notes.txt", ""),
        ])
    }

    #[test]
    fn an_unchanged_workspace_is_answered_from_the_cache() {
        let tree = workspace();
        let (asked, cached) = tree.ask("ws/crates/api", "ws");
        assert!(!cached);
        let (kept, cached) = tree.ask("ws/crates/api", "ws");
        assert!(cached);
        assert_eq!(member_names(&kept), member_names(&asked));
        assert_eq!(kept.target_directory, asked.target_directory);
        assert_eq!(std::fs::read_dir(tree.0.0.join("ws/target").join(CACHE_DIR)).unwrap().count(), 1);
    }

    /// Each input of cargo's answer, changed after the answer was kept: cargo is asked again
    /// and the new answer shows the change.
    #[test]
    fn every_input_changed_asks_cargo_again() {
        type Check = fn(&Metadata) -> bool;
        type Files<'a> = &'a [(&'a str, &'a str)];
        let cases: Vec<(&str, Files, Check)> = vec![
            (
                "a member's manifest",
                &[(
                    "ws/crates/api/Cargo.toml",
                    "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[features]\nfast = []\n",
                )],
                |m| api(m).features.contains_key("fast"),
            ),
            (
                "a new member under a glob",
                &[("ws/crates/web/Cargo.toml", "[package]\nname = \"web\"\nversion = \"0.1.0\"\n"), ("ws/crates/web/src/lib.rs", "")],
                |m| member_names(m).contains(&"web".to_string()),
            ),
            ("a target found by layout", &[("ws/crates/api/src/main.rs", "fn main() {}\n")], |m| api(m).targets.iter().any(|t| t.is_bin())),
            ("a binary in a directory of its own", &[("ws/crates/api/src/bin/tool/main.rs", "fn main() {}\n")], |m| {
                api(m).targets.iter().any(|t| t.is_bin() && t.name == "tool")
            }),
            ("a config file above the current directory", &[("ws/.cargo/config.toml", "[build]\ntarget-dir = \"elsewhere\"\n")], |m| {
                m.target_directory.ends_with("elsewhere")
            }),
            (
                "the root manifest",
                &[("ws/Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n[workspace.metadata]\nchannel = \"beta\"\n")],
                |m| m.workspace_metadata["channel"] == "beta",
            ),
        ];
        for (what, change, shows) in cases {
            let tree = workspace();
            tree.ask("ws/crates/api", "ws");
            assert!(tree.ask("ws/crates/api", "ws").1, "{what}: kept");
            tree.write(change);
            let (again, cached) = tree.ask("ws/crates/api", "ws");
            assert!(!cached, "{what}: cargo asked again");
            assert!(shows(&again), "{what}: the new answer shows it");
        }
    }

    /// Editing the crate's source is what happens between runs: it changes nothing cargo says.
    #[test]
    fn editing_a_target_s_source_keeps_the_answer() {
        let tree = workspace();
        tree.ask("ws/crates/api", "ws");
        tree.write(&[("ws/crates/api/src/lib.rs", "pub struct Edited;\n"), ("ws/crates/api/src/bin/tool/notes.txt", "more")]);
        assert!(tree.ask("ws/crates/api", "ws").1);
    }

    #[test]
    fn a_workspace_created_above_a_package_asks_cargo_again() {
        let tree = Tree::new(&[("pkg/Cargo.toml", &package("pkg", "")), ("pkg/src/lib.rs", "")]);
        tree.ask("pkg", "pkg");
        let (alone, cached) = tree.ask("pkg", "pkg");
        assert!(cached && alone.workspace_root.ends_with("pkg"));
        tree.write(&[("Cargo.toml", "[workspace]\nmembers = [\"pkg\"]\nresolver = \"2\"\n")]);
        let (joined, cached) = tree.ask("pkg", "pkg");
        assert!(!cached);
        assert_eq!(joined.workspace_root.as_std_path(), tree.0.0.as_path());
    }

    #[test]
    fn a_manifest_path_relative_to_the_current_directory_is_watched_as_well() {
        let tree = Tree::new(&[("pkg/Cargo.toml", &package("pkg", "")), ("pkg/src/lib.rs", "")]);
        let asker = tree.asker("pkg");
        let ask = || workspace_metadata(Path::new("Cargo.toml"), &asker).unwrap().1;
        ask();
        assert!(ask());
        tree.write(&[("Cargo.toml", "[workspace]\nmembers = [\"pkg\"]\nresolver = \"2\"\n")]);
        assert!(!ask(), "a workspace created above the package");
    }

    #[test]
    fn another_directory_or_environment_asks_cargo_again() {
        let tree = workspace();
        tree.ask("ws/crates/api", "ws");
        assert!(tree.ask("ws/crates/api", "ws").1);
        assert!(!tree.ask("ws/crates/api", "ws/crates/api").1, "another current directory");
        let mut asker = tree.asker("ws");
        asker.env.insert("RUSTUP_TOOLCHAIN".into(), Some("stable".into()));
        assert!(!tree.ask_as("ws/crates/api", &asker).1, "another toolchain asked for");
    }

    #[test]
    fn a_glob_this_cannot_watch_is_never_kept() {
        let tree = Tree::new(&[
            ("ws/Cargo.toml", "[workspace]\nmembers = [\"crates/*/api\"]\nresolver = \"2\"\n"),
            ("ws/crates/one/api/Cargo.toml", &package("api", "")),
            ("ws/crates/one/api/src/lib.rs", ""),
        ]);
        tree.ask("ws/crates/one/api", "ws");
        assert!(!tree.ask("ws/crates/one/api", "ws").1);
    }

    #[test]
    fn an_answer_made_while_its_inputs_were_changing_is_not_kept() {
        let tree = workspace();
        tree.write(&[("ws/crates/api/src/lib.rs", "pub struct Now;\n"), ("ws/crates/api/Cargo.toml", &package("api", ""))]);
        tree.ask("ws/crates/api", "ws");
        assert!(!tree.ask("ws/crates/api", "ws").1, "a manifest written just now");
        tree.backdate();
        tree.ask("ws/crates/api", "ws");
        assert!(tree.ask("ws/crates/api", "ws").1);
    }

    #[test]
    fn a_broken_cache_file_asks_cargo_and_is_replaced() {
        let tree = workspace();
        tree.ask("ws/crates/api", "ws");
        for entry in std::fs::read_dir(tree.0.0.join("ws/target").join(CACHE_DIR)).unwrap() {
            std::fs::write(entry.unwrap().path(), "{not json").unwrap();
        }
        assert!(!tree.ask("ws/crates/api", "ws").1);
        assert!(tree.ask("ws/crates/api", "ws").1);
    }
}
