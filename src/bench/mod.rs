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
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Throughput {
    pub threads: usize,
    pub files: usize,
    pub documents: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub mb_per_s: f64,
}

/// Reads, segments and extracts every input on `threads` threads (files are
/// read into memory first, so only the pipeline is timed).
pub fn extraction_throughput(pipeline: &Pipeline, paths: &[PathBuf], threads: usize) -> anyhow::Result<Throughput> {
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
    let start = Instant::now();
    let documents: usize = pool.install(|| {
        files
            .par_iter()
            .map(|(name, b)| match pipeline.read_bytes(name, b) {
                Ok(f) => {
                    for d in &f.documents {
                        std::hint::black_box(pipeline.extract(d));
                    }
                    f.documents.len()
                }
                Err(_) => 0,
            })
            .sum()
    });
    let seconds = start.elapsed().as_secs_f64();
    Ok(Throughput { threads, files: files.len(), documents, bytes, seconds, mb_per_s: bytes as f64 / 1e6 / seconds })
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
    Ok(AnalyzeTiming { read, measures: start.elapsed() - read, entities: m.len(), links: net.graph.edge_count() })
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
