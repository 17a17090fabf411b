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

/// The gold standard of the three sample statements (`tests/data/seeds.json`).
pub fn gold_path() -> PathBuf {
    root().join("tests/data/seeds.json")
}

/// The gold standard of the seven development statements.
pub fn devset_gold_path() -> PathBuf {
    root().join("tests/data/devset-gold.json")
}

/// How many documents the two gold standards hold: the corpus's documents.
pub fn gold_document_count() -> usize {
    [gold_path(), devset_gold_path()]
        .iter()
        .map(|p| serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(p).unwrap()).unwrap()["documents"].as_array().unwrap().len())
        .sum()
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

/// Whether a program is on PATH.
pub fn which(tool: &str) -> bool {
    std::process::Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success())
}

/// A tool the test needs: on CI its absence fails the test (`.ci/run`
/// installs it); elsewhere the test is skipped with a note.
pub fn require_tool(tool: &str) -> bool {
    require(tool, which(tool))
}

/// A Python module the test needs, under the same rule as [`require_tool`].
pub fn require_python_module(module: &str) -> bool {
    let present = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    require(module, present)
}

fn require(what: &str, present: bool) -> bool {
    if !present {
        assert!(std::env::var_os("CI").is_none(), "{what} is missing: `bash scripts/setup` installs it");
        eprintln!("skipped: {what} is not installed (bash scripts/setup installs it)");
    }
    present
}

/// Rows of a ready query on `store`, each cell as a person reads it.
pub fn ready_rows(store: &diplograph::graph::GraphStore, name: &str) -> Vec<Vec<String>> {
    let q = diplograph::queries::all().unwrap().into_iter().find(|q| q.name == name).unwrap_or_else(|| panic!("no query {name}"));
    let (_, rows) = diplograph::graph::sparql::select_rows(store.inner(), &q.text).unwrap_or_else(|e| panic!("{name}: {e}"));
    rows.iter().map(|r| r.iter().map(diplograph::graph::sparql::cell).collect()).collect()
}

/// A store built from the bundled corpus by `diplograph ingest`, in a temporary directory.
pub fn ingested_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("kg.db");
    let out = std::process::Command::new(bin())
        .args(["ingest", "--quiet", "--store"])
        .arg(&store)
        .arg(corpus())
        .output()
        .expect("run ingest");
    assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    (dir, store)
}

/// `diplograph serve` on a free loopback port; killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// The endpoint, `http://127.0.0.1:PORT/sparql`.
    pub endpoint: String,
}

impl Server {
    pub fn start(store: &Path, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(bin())
            .args(["serve", "--quiet", "--bind", "127.0.0.1:0", "--store"])
            .arg(store)
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("start diplograph serve");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
        let endpoint = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server { child, endpoint }
    }

    /// The server's root, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        self.endpoint.trim_end_matches("/sparql")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What curl got: status, headers (lower-case names), body.
pub struct CurlReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl CurlReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Runs curl with `args` (plus `-s -i`) and splits its answer.
pub fn curl(args: &[&str]) -> CurlReply {
    let out = std::process::Command::new("curl").args(["-s", "-i", "--max-time", "60"]).args(args).output().expect("run curl");
    assert!(out.status.success(), "curl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let raw = out.stdout;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    CurlReply { status, headers, body: raw[split + 4..].to_vec() }
}
