//! Deep inputs through the real binary: nesting as deep as rustc accepts and the API server
//! decodes generates (no stack overflow in any stage: load, resolve, lower, validate, YAML,
//! drop), and nesting past what the API server decodes is a clear error, never a crash.

use crd_gen_tests::*;

const HEAD: &str = "#[derive(CustomResource)]\n#[crd(group = \"deep.example.com\", version = \"v1\")]\n";

/// Writes a crate with `lib_rs` and runs `manifests --stdout` on it.
fn generate(name: &str, lib_rs: &str) -> std::process::Output {
    let dir = write_crate(name, lib_rs);
    run(&["manifests", "--manifest-path", dir.join("Cargo.toml").to_str().unwrap(), "--stdout", "--color", "never"])
}

/// As [`generate`], with the process's address space limited to `gib` GiB (`ulimit -v`), so a
/// stage whose memory grows faster than the input fails here instead of swapping a machine.
/// The engine's thread reserves 1 GiB of stack, which counts.
#[cfg(target_os = "linux")]
fn generate_within(name: &str, lib_rs: &str, gib: u64) -> std::process::Output {
    let dir = write_crate(name, lib_rs);
    let manifest = dir.join("Cargo.toml");
    let limit = format!("ulimit -v {} && exec \"$0\" \"$@\"", gib << 20);
    std::process::Command::new("sh")
        .args(["-c", &limit])
        .arg(bin())
        .args(["crd-gen", "manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--color", "never"])
        .current_dir(repo_root())
        .env_remove("CARGO_TARGET_DIR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run cargo-crd-gen")
}

fn write_crate(name: &str, lib_rs: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n"),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    dir
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "exit {:?}\n{}", out.status, stderr(out));
    stdout(out)
}

fn nested_structs(n: usize) -> String {
    let mut s = format!("{HEAD}pub struct DeepSpec {{ pub next: S0 }}\n");
    for i in 0..n {
        let field = if i + 1 < n { format!("S{}", i + 1) } else { "String".into() };
        s.push_str(&format!("/// Level {i}.\npub struct S{i} {{ pub next: {field} }}\n"));
    }
    s
}

#[test]
fn a_thousand_nested_structs() {
    let yaml = ok(&generate("depth-structs", &nested_structs(1000)));
    assert!(yaml.contains("999."), "the innermost level is there");
    assert_eq!(yaml.matches("next:").count(), 1001);
}

#[test]
fn structs_nested_past_what_the_api_server_decodes_are_an_error() {
    let out = generate("depth-too-deep", &nested_structs(6000));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("types nest more than 5000 levels deep here: the API server cannot decode a CRD this deep"), "{err}");
    assert!(!err.contains("overflow") && !err.contains("panicked"), "{err}");
}

/// Lowering cut at the nesting limit keeps memory linear in the depth: a copy of the schema at
/// every level above the cut (quadratic) once took this input to 24 GB; it needs about 50 MB
/// of heap and 300 MB of the engine's stack.
#[cfg(target_os = "linux")]
#[test]
fn the_nesting_limit_is_reached_within_bounded_memory() {
    let out = generate_within("depth-too-deep-bounded", &nested_structs(6000), 2);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("types nest more than 5000 levels deep here"), "{}", stderr(&out));
}

#[test]
fn a_thousand_aliases_and_deep_generic_nesting() {
    let mut src = format!(
        "{HEAD}pub struct DeepSpec {{ pub alias: A0, pub lists: {}String{}, pub wrapped: {}i32{} }}\n",
        "Vec<".repeat(400),
        ">".repeat(400),
        "Wrap<".repeat(300),
        ">".repeat(300)
    );
    src.push_str("/// A wrapper.\npub struct Wrap<T> { pub inner: T }\n");
    for i in 0..1000 {
        let next = if i + 1 < 1000 { format!("A{}", i + 1) } else { "u8".into() };
        src.push_str(&format!("pub type A{i} = {next};\n"));
    }
    let yaml = ok(&generate("depth-aliases", &src));
    assert!(yaml.contains("alias:") && yaml.contains("maximum: 255"), "the alias chain ends in u8");
    assert_eq!(yaml.matches("items:").count(), 400);
    assert_eq!(yaml.matches("inner:").count(), 300);
}

#[test]
fn a_thousand_reexports_and_deeply_nested_modules() {
    let mut src = String::from("pub mod m0 { pub struct Leaf { pub a: String } }\n");
    for i in 1..1000 {
        src.push_str(&format!("pub mod m{i} {{ pub use crate::m{}::Leaf; }}\n", i - 1));
    }
    let depth = 300;
    src.push_str(&"pub mod d { ".repeat(depth));
    src.push_str("pub struct Bottom { pub b: String }");
    src.push_str(&" }".repeat(depth));
    src.push_str(&format!("\n{HEAD}pub struct DeepSpec {{ pub leaf: m999::Leaf, pub bottom: {}Bottom }}\n", "d::".repeat(depth)));
    let yaml = ok(&generate("depth-reexports", &src));
    assert!(yaml.contains("leaf:") && yaml.contains("bottom:"), "{yaml}");
}

#[test]
fn deep_json_default() {
    let n = 120;
    let value = format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let src = format!(
        "{HEAD}pub struct DeepSpec {{\n    #[crd(schemaless, preserve_unknown_fields, default_json = \"{value}\")]\n    pub blob: serde_json::Value,\n}}\n"
    );
    let yaml = ok(&generate("depth-json", &src));
    assert!(yaml.contains("default:\n") && yaml.contains("- 1\n"), "{yaml}");
    // Deeper than serde_json reads (128 levels): an error at the marker, not a crash.
    let n = 200;
    let value = format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let src = format!(
        "{HEAD}pub struct DeepSpec {{\n    #[crd(schemaless, preserve_unknown_fields, default_json = \"{value}\")]\n    pub blob: serde_json::Value,\n}}\n"
    );
    let out = generate("depth-json-deeper", &src);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("src/lib.rs:4:"), "{}", stderr(&out));
}

#[test]
fn polymorphic_recursion_is_a_recursive_type_error() {
    let src = format!(
        "{HEAD}pub struct DeepSpec {{ pub node: Node<String> }}\npub struct Node<T> {{ pub value: T, pub next: Option<Box<Node<Vec<T>>>> }}\n"
    );
    let out = generate("depth-polymorphic", &src);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "recursive type `Node` cannot be described by a Kubernetes schema (Node -> Node, each time with other type arguments)"
        ),
        "{err}"
    );
    assert!(err.contains("src/lib.rs:4:"), "{err}");
}

#[test]
fn a_crd_nested_deeper_than_the_api_server_decodes_is_an_error() {
    // 4999 levels of structs are within what lowering follows, but two JSON levels each
    // (`properties`, the field) put the CRD past the decoder's 10000.
    let out = generate("depth-json-limit", &nested_structs(4999));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("levels deep as JSON; the API server decodes at most 10000"), "{err}");
}
