//! `cargo bench -p crd-gen`: the engine on a generated crate of 1000 resources (100 modules of
//! 10 kinds, each spec with nested structs, enums, maps, lists, markers and doc comments),
//! timed over several runs. Prints the median and the best run; the README quotes the figures.

#[path = "support/big_crate.rs"]
mod big_crate;

use std::sync::Arc;
use std::time::{Duration, Instant};

const MODULES: usize = 100;
const KINDS_PER_MODULE: usize = 10;

fn main() {
    let dir = std::env::temp_dir().join(format!("crd-gen-bench-{}", std::process::id()));
    let root = big_crate::write_crate(&dir, MODULES, KINDS_PER_MODULE, "");
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
        big_crate::write_manifest(&dir, "bench");
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
