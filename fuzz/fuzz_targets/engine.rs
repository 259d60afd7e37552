//! The whole engine on arbitrary source text, as the `lib.rs` of a crate with no dependencies.
//! It must never panic or hang, and every file it emits without errors must read back as the
//! CRD's JSON (the YAML emitter's round-trip property).

#![no_main]

use crd_gen::source::CrateSource;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::Arc;

thread_local! {
    /// One `lib.rs` per process, in a directory of its own.
    static ROOT: PathBuf = {
        let dir = std::env::temp_dir().join(format!("crd-gen-fuzz-engine-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join("lib.rs")
    };
}

fuzz_target!(|data: &[u8]| {
    // Not UTF-8 is one diagnostic; the bytes are still worth giving to the loader.
    let root = ROOT.with(Clone::clone);
    std::fs::write(&root, data).expect("write lib.rs");
    let source = Arc::new(CrateSource::standalone("fuzzed", root));
    let generated = crd_gen::run(&[source], &crd_gen::Options::default());
    let _ = generated.render_diagnostics(false);
    if generated.has_errors() {
        return;
    }
    for krate in &generated.crates {
        for file in &krate.files {
            crd_gen_fuzz::assert_round_trip(&file.contents, &file.crd.to_json());
        }
    }
});
