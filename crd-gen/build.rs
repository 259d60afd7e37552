//! Records the target's cfg options (`unix`, `target_os = "linux"`, ...) that cargo gives this
//! build script, so crd-gen evaluates `#[cfg(..)]` in the crates it reads for the machine it
//! runs on without running rustc (see `src/source/cfg.rs`). Profile options
//! (`debug_assertions`) are crd-gen's own build's, not the user's, and are left out.

use std::fmt::Write as _;

fn main() {
    let mut options: Vec<(String, Option<String>)> = Vec::new();
    for (key, value) in std::env::vars() {
        let Some(name) = key.strip_prefix("CARGO_CFG_") else { continue };
        let name = name.to_ascii_lowercase();
        let target_option = name.starts_with("target_") || matches!(name.as_str(), "panic" | "relocation_model");
        if target_option {
            options.extend(value.split(',').map(|v| (name.clone(), Some(v.to_string()))));
        } else if matches!(name.as_str(), "unix" | "windows") {
            options.push((name, None));
        }
    }
    options.sort();
    options.dedup();
    let mut out = String::from("pub const HOST_CFG: &[(&str, Option<&str>)] = &[\n");
    for (name, value) in &options {
        let _ = writeln!(out, "    ({name:?}, {value:?}),");
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("host_cfg.rs");
    std::fs::write(path, out).expect("write host_cfg.rs");
    println!("cargo::rerun-if-changed=build.rs");
}
