//! cfg options crd-gen cannot know (a build script's `cargo::rustc-cfg`, RUSTFLAGS) through the
//! real binary: off with a warning at the line, on with `--cfg` or `--cfg` in RUSTFLAGS.

use crd_gen_tests::*;
use std::process::Command;

fn crate_with_custom_cfg() -> std::path::PathBuf {
    let dir = scratch("cfg-custom");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"cfg-custom\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n")
        .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "#[derive(CustomResource)]\n#[crd(group = \"cfg.example.com\", version = \"v1\")]\npub struct WidgetSpec {\n    pub always: String,\n    #[cfg(api_level = \"2\")]\n    pub level_two: String,\n    #[cfg(beta_api)]\n    pub beta: String,\n}\n",
    )
    .unwrap();
    dir.join("Cargo.toml")
}

fn generate(manifest: &std::path::Path, extra: &[&str], rustflags: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(["manifests", "--manifest-path", manifest.to_str().unwrap(), "--stdout", "--color", "never"]).args(extra);
    cmd.env_remove("CARGO_ENCODED_RUSTFLAGS").env_remove("RUSTFLAGS");
    if let Some(flags) = rustflags {
        cmd.env("RUSTFLAGS", flags);
    }
    cmd.output().expect("run cargo-crd-gen")
}

#[test]
fn unset_custom_cfgs_are_off_and_said_so() {
    let manifest = crate_with_custom_cfg();
    let out = generate(&manifest, &[], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let (yaml, err) = (stdout(&out), stderr(&out));
    assert!(yaml.contains("always:") && !yaml.contains("levelTwo") && !yaml.contains("level_two:") && !yaml.contains("beta:"), "{yaml}");
    assert!(err.contains("warning: crd-gen takes `cfg(beta_api)` as not set"), "{err}");
    assert!(err.contains("src/lib.rs:7:5") && err.contains("pass `--cfg beta_api` to crd-gen"), "{err}");
    assert!(err.contains("crd-gen takes `cfg(api_level)` as not set") && err.contains("src/lib.rs:5:5"), "{err}");
}

#[test]
fn cfg_flags_and_rustflags_set_them() {
    let manifest = crate_with_custom_cfg();
    let out = generate(&manifest, &["--cfg", "beta_api", "--cfg", "api_level=\"2\""], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = stdout(&out);
    assert!(yaml.contains("beta:") && yaml.contains("level_two:"), "{yaml}");
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    let out = generate(&manifest, &[], Some("-C debuginfo=0 --cfg beta_api"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("beta:") && !stdout(&out).contains("level_two:"), "{}", stdout(&out));

    let out = generate(&manifest, &["--cfg", "api_level=2"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the value must be quoted"), "{}", stderr(&out));
}
