//! Crash safety: ingest killed with SIGKILL at many moments leaves a store
//! that opens, where every document is wholly present or absent, and that a
//! new ingest completes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{bin, pipeline};
use diplograph::graph::sparql::{display_term, select_rows};
use diplograph::graph::GraphStore;

/// Quads per document graph (the shared entity and analysis graphs left out).
fn graph_sizes(store: &Path) -> BTreeMap<String, usize> {
    let store = GraphStore::open_existing(store).unwrap();
    let (_, rows) = select_rows(store.inner(), "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), \"/doc/\")) } GROUP BY ?g").unwrap();
    rows.iter().map(|r| (display_term(r[0].as_ref().unwrap()), display_term(r[1].as_ref().unwrap()).parse().unwrap())).collect()
}

fn ingest(store: &Path, corpus: &Path) -> std::process::Child {
    Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(store).arg(corpus).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
}

#[test]
fn killed_ingest_leaves_documents_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    diplograph::bench::synth::generate(&corpus, 400, 7, &pipeline().knowledge.gazetteer).unwrap();

    // The reference: an ingest that ran to the end, and how long it took.
    let reference_store = dir.path().join("reference.db");
    let started = Instant::now();
    assert!(ingest(&reference_store, &corpus).wait().unwrap().success());
    let full = started.elapsed();
    let reference = graph_sizes(&reference_store);
    assert!(reference.len() >= 400);

    let store = dir.path().join("kg.db");
    let kills = 24;
    for k in 0..kills {
        // Spread the kills over the whole run, from the very start to the end.
        let delay = full.mul_f64((k as f64 + 0.5) / kills as f64);
        let mut child = ingest(&store, &corpus);
        std::thread::sleep(delay.min(Duration::from_secs(30)));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        if !store.join("CURRENT").exists() {
            continue; // killed before the store was created
        }
        for (graph, n) in graph_sizes(&store) {
            assert_eq!(Some(&n), reference.get(&graph), "after kill {k}: {graph} is partial");
        }
    }
    assert!(ingest(&store, &corpus).wait().unwrap().success());
    assert_eq!(graph_sizes(&store), reference, "a new ingest completes the corpus");
}
