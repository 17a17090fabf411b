//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diplograph::Pipeline;

/// The project's root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    root().join("corpus")
}

/// The gold standard: `../shared/gold/seeds.json` beside the project, or the
/// copy under `tests/data/` when the project stands alone.
pub fn gold_path() -> PathBuf {
    let shared = root().join("../shared/gold/seeds.json");
    if shared.exists() {
        shared
    } else {
        root().join("tests/data/seeds.json")
    }
}

pub fn gold() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(gold_path()).expect("gold file")).expect("gold JSON")
}

/// One pipeline for all tests of a binary (loading the gazetteer takes a moment).
pub fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in knowledge loads"))
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}

/// The path of the built `diplograph` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_diplograph"))
}
