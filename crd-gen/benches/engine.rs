//! `cargo bench -p crd-gen`: the engine on a generated crate of 1000 resources (100 modules of
//! 10 kinds, each spec with nested structs, enums, maps, lists, markers and doc comments),
//! timed over several runs. Prints the median and the best run; the README quotes the figures.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MODULES: usize = 100;
const KINDS_PER_MODULE: usize = 10;

fn write_crate(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("api")).unwrap();
    let mut lib = String::from("//! Generated for the benchmark.\npub mod common;\n");
    for m in 0..MODULES {
        lib.push_str(&format!("#[path = \"api/m{m}.rs\"]\npub mod m{m};\n"));
    }
    std::fs::write(dir.join("lib.rs"), lib).unwrap();
    std::fs::write(
        dir.join("common.rs"),
        r#"
/// A reference to another object.
pub struct Reference {
    /// Name of the object.
    #[crd(min_length = 1, max_length = 253)]
    pub name: String,
    /// Its namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// How often.
#[serde(rename_all = "camelCase")]
pub enum Frequency { Hourly, Daily, Weekly }
"#,
    )
    .unwrap();
    for m in 0..MODULES {
        let mut src = String::from("use crate::common::{Frequency, Reference};\nuse std::collections::BTreeMap;\n");
        for k in 0..KINDS_PER_MODULE {
            let kind = format!("Kind{m}x{k}");
            src.push_str(&format!(
                r#"
/// {kind}Spec is the desired state of a {kind}.
/// It has a second line of documentation.
#[derive(CustomResource)]
#[crd(group = "g{m}.example.com", version = "v1", status = "{kind}Status", short_name = "k{m}x{k}")]
#[crd(printcolumn(name = "Replicas", type = "integer", json_path = ".spec.replicas"))]
#[crd(validation(rule = "self.replicas <= 100", message = "too many"))]
#[serde(rename_all = "camelCase")]
pub struct {kind}Spec {{
    /// How many.
    #[crd(minimum = 0, maximum = 1000)]
    pub replicas: i32,
    /// Image to run.
    #[crd(pattern = "^[a-z0-9./:-]+$")]
    pub image: String,
    /// Labels to add.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Targets.
    #[crd(max_items = 16, list_type = "map", list_map_key = "name")]
    pub targets: Vec<{kind}Target>,
    /// Owner.
    pub owner: Reference,
    /// Schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
}}

/// A target of {kind}.
pub struct {kind}Target {{
    /// Key.
    pub name: String,
    /// Weight of this target.
    #[crd(minimum = 1, default = 1)]
    #[serde(default)]
    pub weight: u32,
}}

/// {kind}Status is the observed state.
pub struct {kind}Status {{
    /// Ready replicas.
    #[serde(default)]
    pub ready: i32,
    /// Conditions.
    #[serde(default)]
    pub conditions: Vec<String>,
}}
"#
            ));
        }
        std::fs::write(dir.join(format!("api/m{m}.rs")), src).unwrap();
    }
    dir.join("lib.rs")
}

fn main() {
    let dir = std::env::temp_dir().join(format!("crd-gen-bench-{}", std::process::id()));
    let root = write_crate(&dir);
    let source = Arc::new(crd_gen::source::CrateSource::standalone("bench", root));
    let runs = std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(10);
    let mut times: Vec<Duration> = Vec::new();
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let out = crd_gen::run(std::slice::from_ref(&source), &crd_gen::Options::default());
        times.push(start.elapsed());
        assert!(!out.has_errors(), "{}", out.render_diagnostics(false));
        files = out.crates[0].files.len();
        bytes = out.crates[0].files.iter().map(|f| f.contents.len()).sum::<usize>();
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "engine: {} resources ({} modules) -> {files} CRDs, {:.1} MB of YAML: median {:.0} ms, best {:.0} ms over {runs} runs",
        MODULES * KINDS_PER_MODULE,
        MODULES,
        bytes as f64 / 1e6,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
    // BENCH_KEEP=1 leaves the crate (with a Cargo.toml) for timing the CLI end to end.
    if std::env::var_os("BENCH_KEEP").is_some() {
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"bench\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[lib]\npath = \"lib.rs\"\n\n[workspace]\n",
        )
        .unwrap();
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
