//! Benchmark support: a synthetic corpus, a mix of bad inputs, timings of
//! extraction, queries and oxigraph's bulk loader, and a load on a SPARQL
//! endpoint. `scripts/bench` runs them at every size.

pub mod badmix;
pub mod load;
pub mod synth;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::graph::sparql;
use crate::graph::GraphStore;
use crate::pipeline::Pipeline;
use crate::source::collect_inputs;

/// Extraction throughput over every file under `paths`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Throughput {
    pub threads: usize,
    pub files: usize,
    pub documents: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
    /// Time per stage, when asked for (summed over threads; stages nest: a
    /// recognizer's time is part of its document's extraction).
    #[serde(skip)]
    pub stages: Vec<crate::timing::StageTime>,
}

/// Reads, segments and extracts every input on `threads` threads (files are
/// read into memory first, so only the pipeline is timed).
pub fn extraction_throughput(pipeline: &Pipeline, paths: &[PathBuf], threads: usize, stages: bool) -> anyhow::Result<Throughput> {
    let (inputs, _) = collect_inputs(paths);
    let files: Vec<(String, Vec<u8>)> = inputs
        .iter()
        .filter_map(|i| match i {
            crate::source::InputRef::File(p) => std::fs::read(p).ok().map(|b| (crate::paths::path_name(p), b)),
            crate::source::InputRef::Stdin => None,
        })
        .collect();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    // Start-up (the segmenter's dictionary, the script table) is not throughput.
    crate::zh::words::load();
    crate::zh::script::load();
    if stages {
        crate::timing::start();
    }
    let start = Instant::now();
    let documents: usize = pool.install(|| {
        files
            .par_iter()
            .map(|(name, b)| match crate::timing::time("read", || pipeline.read_bytes(name, b)) {
                Ok(f) => {
                    for d in &f.documents {
                        std::hint::black_box(crate::timing::time("extract", || pipeline.extract(d)));
                    }
                    f.documents.len()
                }
                Err(_) => 0,
            })
            .sum()
    });
    let seconds = start.elapsed().as_secs_f64();
    let stages = if stages { crate::timing::stop() } else { Vec::new() };
    Ok(Throughput { threads, files: files.len(), documents, bytes, seconds, mb_per_s: bytes as f64 / 1e6 / seconds, stages })
}

/// A ready query's median latency, and how many rows it answers: a query
/// cannot be faster than reading its rows.
#[derive(Debug, Clone)]
pub struct QueryLatency {
    pub name: String,
    pub median: Duration,
    pub rows: usize,
}

/// Median latency of each ready query over `runs` runs (results drained).
pub fn query_latencies(store: &GraphStore, runs: usize) -> anyhow::Result<Vec<QueryLatency>> {
    let mut out = Vec::new();
    for q in crate::queries::all()? {
        let mut times = Vec::with_capacity(runs);
        let mut rows = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let (_, answer) = sparql::select_rows(store.inner(), &q.text)?;
            rows = std::hint::black_box(answer.len());
            times.push(start.elapsed());
        }
        times.sort();
        out.push(QueryLatency { name: q.name, median: times[times.len() / 2], rows });
    }
    Ok(out)
}

/// Timing of `analyze`.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzeTiming {
    /// Reading the network from the store.
    pub read: Duration,
    /// Computing every measure.
    pub measures: Duration,
    pub entities: usize,
    pub links: usize,
}

/// Time of `analyze`: the network read from the store, every measure computed.
pub fn analyze_latency(store: &GraphStore) -> anyhow::Result<AnalyzeTiming> {
    let start = Instant::now();
    let net = crate::analysis::Network::from_store(store)?;
    let read = start.elapsed();
    let m = crate::analysis::analyze(&net);
    Ok(AnalyzeTiming { read, measures: start.elapsed() - read, entities: m.measures.len(), links: net.graph.edge_count() })
}

/// Time oxigraph's bulk loader takes to load an N-Quads file into an empty store.
pub fn bulk_load(nquads: &Path, store_dir: &Path) -> anyhow::Result<(Duration, usize)> {
    anyhow::ensure!(!store_dir.exists(), "{} exists; the bulk load needs an empty store", crate::paths::path_name(store_dir));
    let store = oxigraph::store::Store::open(store_dir)?;
    let start = Instant::now();
    let file = std::fs::File::open(nquads)?;
    let mut loader = store.bulk_loader();
    loader.load_from_reader(oxigraph::io::RdfFormat::NQuads, std::io::BufReader::new(file))?;
    loader.commit()?;
    let elapsed = start.elapsed();
    Ok((elapsed, store.len()?))
}

/// The median time a workbench page takes to answer, and its size.
#[derive(Debug, Clone)]
pub struct PageLatency {
    /// What the page shows, and its path.
    pub page: String,
    pub path: String,
    pub median: Duration,
    pub bytes: usize,
}

/// Median latency of each kind of workbench page over `runs` requests,
/// answered by the endpoint as a browser's would be (routing, reading,
/// rendering; no sockets), on the heaviest pages the store has: the most
/// linked entity, the most cited document and the document citing most.
/// Also returns the time the pages' snapshot of the store took to build.
pub fn page_latencies(store: GraphStore, runs: usize) -> anyhow::Result<(Duration, Vec<PageLatency>)> {
    use crate::serve::{Endpoint, HttpRequest, ServeConfig, Status};
    use crate::workbench::layout::{doc_href, encode_query, entity_href};
    let endpoint = Endpoint::new(store, ServeConfig::default(), crate::queries::all()?);
    let snapshot = endpoint.workbench().snapshot()?;
    let (net, cg) = (&snapshot.network, &snapshot.citations);
    let hub = snapshot.most_linked.first().map(|&(n, _)| net.graph[n].id.clone()).ok_or_else(|| anyhow::anyhow!("the store has no entities"))?;
    let docs = || cg.graph.node_indices().filter(|&n| cg.graph[n].doc.is_some());
    let degree = |n, dir| cg.graph.edges_directed(n, dir).count();
    let most_cited = docs().max_by_key(|&n| (degree(n, petgraph::Direction::Incoming), std::cmp::Reverse(n)));
    let citing_most = docs().max_by_key(|&n| (degree(n, petgraph::Direction::Outgoing), std::cmp::Reverse(n)));
    let doc_of = |n: Option<petgraph::graph::NodeIndex>| n.and_then(|n| cg.graph[n].doc.clone()).unwrap_or_default();
    let (most_cited, citing_most) = (doc_of(most_cited), doc_of(citing_most));
    let label = snapshot.label(&hub);
    // The partner with the most documents: the longest history.
    let partner = snapshot
        .partners
        .iter()
        .max_by_key(|(p, _)| docs().filter(|&n| cg.graph[n].doc.as_deref().is_some_and(|d| cg.parties_of(d).contains(p))).count())
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    let pages: Vec<(String, String)> = vec![
        ("home".into(), "/".into()),
        (format!("search “{label}”"), format!("/search?q={}", encode_query(&label))),
        (format!("document {most_cited} (most cited)"), doc_href(&most_cited)),
        (format!("document {citing_most} (citing most)"), doc_href(&citing_most)),
        (format!("entity {hub} (most linked)"), entity_href(&hub)),
        (format!("entity {hub}, typed relations since 2020"), format!("{}?typed=1&since=2020&n=30", entity_href(&hub))),
        (format!("partner {partner} (most documents)"), crate::workbench::partner::partner_href(&partner)),
        ("SPARQL editor".into(), "/query?ready=documents".into()),
    ];
    drop(snapshot);
    let mut out = Vec::new();
    for (page, target) in pages {
        let (path, query_string) = target.split_once('?').unwrap_or((&target, ""));
        let request = HttpRequest { method: "GET".into(), path: path.into(), query_string: query_string.into(), ..HttpRequest::default() };
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let response = endpoint.handle(&request);
            times.push(start.elapsed());
            anyhow::ensure!(response.status == Status::Ok, "{target} answered {:?}: {}", response.status, String::from_utf8_lossy(&response.body));
            bytes = response.body.len();
        }
        times.sort();
        out.push(PageLatency { page, path: target, median: times[times.len() / 2], bytes });
    }
    Ok((endpoint.workbench().snapshot()?.built_in, out))
}
