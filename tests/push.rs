//! `diplograph push` into a real Virtuoso (Debian's virtuoso-opensource),
//! checked through Virtuoso's own SPARQL endpoint: pushing twice leaves the
//! same triples as the local store, a store that lost a document takes the
//! remote with it, and the password never shows.
//!
//! The Virtuoso is `DIPLOGRAPH_VIRTUOSO` (its base URL, with the dba password
//! in `DIPLOGRAPH_VIRTUOSO_PASSWORD`) when set, else one this test starts
//! with `scripts/virtuoso`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bin, corpus, curl, require_tool, root};
use diplograph::graph::GraphStore;

struct Virtuoso {
    base: String,
    password: String,
    /// Set when this test started the instance (and must stop it).
    own_dir: Option<tempfile::TempDir>,
}

impl Virtuoso {
    fn get() -> Option<Virtuoso> {
        if let (Ok(base), Ok(password)) = (std::env::var("DIPLOGRAPH_VIRTUOSO"), std::env::var("DIPLOGRAPH_VIRTUOSO_PASSWORD")) {
            return Some(Virtuoso { base, password, own_dir: None });
        }
        if !require_tool("virtuoso-t") || !require_tool("curl") {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("bash").arg(root().join("scripts/virtuoso")).arg("start").arg(dir.path()).output().unwrap();
        assert!(out.status.success(), "starting Virtuoso: {}", String::from_utf8_lossy(&out.stderr));
        let base = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let password = std::fs::read_to_string(dir.path().join("dba-password")).unwrap().trim().to_owned();
        Some(Virtuoso { base, password, own_dir: Some(dir) })
    }

    /// Triples in diplograph's graphs, counted by Virtuoso itself.
    fn count(&self) -> usize {
        let query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/diplograph/id/\")) }";
        let reply = curl(&["-G", "-H", "Accept: text/csv", "--data-urlencode", &format!("query={query}"), &format!("{}/sparql", self.base)]);
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.text().lines().nth(1).and_then(|l| l.trim_matches('"').parse().ok()).unwrap_or_else(|| panic!("a count: {}", reply.text()))
    }

    fn push(&self, store: &Path, extra: &[&str]) -> (String, String) {
        let out = Command::new(bin())
            .args(["push", "--quiet", "--store"])
            .arg(store)
            .args(extra)
            .args(["--endpoint", &format!("{}/sparql", self.base)])
            .args(["--graph-store", &format!("{}/sparql-graph-crud-auth", self.base)])
            .args(["--user", "dba", "--password-env", "VIRTUOSO_TEST_PASSWORD"])
            .env("VIRTUOSO_TEST_PASSWORD", &self.password)
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
        assert!(out.status.success(), "push failed: {stderr}");
        assert!(!stdout.contains(&self.password) && !stderr.contains(&self.password), "the password was printed");
        (stdout, stderr)
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        if let Some(dir) = &self.own_dir {
            let _ = Command::new("bash").arg(root().join("scripts/virtuoso")).arg("stop").arg(dir.path()).output();
        }
    }
}

fn ingest(store: &Path, paths: &[PathBuf]) {
    let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(store).args(paths).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn local_count(store: &Path) -> usize {
    GraphStore::open_read_only(store).unwrap().len().unwrap()
}

#[test]
fn pushing_the_corpus_twice_leaves_exactly_the_local_triples_in_virtuoso() {
    let Some(virtuoso) = Virtuoso::get() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg.db");
    ingest(&store, &[corpus()]);
    let local = local_count(&store);
    assert!(local > 5_000, "the corpus makes a graph: {local}");

    let (first, _) = virtuoso.push(&store, &[]);
    assert_eq!(virtuoso.count(), local, "after the first push ({first})");
    // The second time in batches of 1,000 triples: a PUT, then POSTs, per graph.
    let (second, _) = virtuoso.push(&store, &["--batch", "1000"]);
    assert_eq!(virtuoso.count(), local, "after the second push ({second})");
    let requests: usize = second.split(": ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).unwrap();
    assert!(requests >= local / 1000, "{second}");
    assert!(second.contains(&format!("holds {local} triples")), "{second}");

    // A store that no longer has one of the documents: the push removes its graph.
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let smaller_store = dir.path().join("smaller.db");
    let kept = &files[files.len() - 1..];
    assert!(files.len() > 1, "{files:?}");
    ingest(&smaller_store, kept);
    let smaller = local_count(&smaller_store);
    assert!(smaller < local);
    let (third, _) = virtuoso.push(&smaller_store, &[]);
    assert_eq!(virtuoso.count(), smaller, "{third}");
    assert!(!third.contains(" 0 stale"), "a stale graph was removed: {third}");

    // Names in Chinese arrive intact (the last corpus file names the SCO).
    let reply = curl(&[
        "-G",
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        "query=ASK { GRAPH <https://w3id.org/diplograph/id/graph/entities> { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(STR(?l) = \"上海合作组织\") } }",
        &format!("{}/sparql", virtuoso.base),
    ]);
    assert!(reply.text().contains("true") || reply.text().contains('1'), "{}", reply.text());
}

#[test]
fn a_wrong_password_is_refused_without_being_shown() {
    let Some(virtuoso) = Virtuoso::get() else { return };
    let (_dir, store) = common::ingested_store();
    let wrong = "not-the-password-7391";
    let out = Command::new(bin())
        .args(["push", "--quiet", "--attempts", "1", "--store"])
        .arg(&store)
        .args(["--endpoint", &format!("{}/sparql", virtuoso.base)])
        .args(["--graph-store", &format!("{}/sparql-graph-crud-auth", virtuoso.base)])
        .args(["--user", "dba", "--password-env", "WRONG_PASSWORD"])
        .env("WRONG_PASSWORD", wrong)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains(wrong) && !String::from_utf8_lossy(&out.stdout).contains(wrong));
}
