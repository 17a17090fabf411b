//! `diplograph bench …`: the measurements `scripts/bench` combines.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use diplograph::bench;
use diplograph::graph::GraphStore;
use diplograph::Pipeline;

use super::output::{self, CliResult, Outcome};
use super::store::StoreArgs;

#[derive(Args)]
#[command(after_help = "Examples:\n  diplograph bench synth --docs 100 --out synth-100\n  diplograph bench badmix --files 100 --out badmix\n  diplograph bench extract synth-100 --threads 1 --stages\n  diplograph bench queries --store kg.db\n  diplograph bench pages --store kg.db\n  diplograph bench bulkload kg.nq --store bulk.db\n  diplograph bench load --endpoint http://127.0.0.1:7878/sparql --queries 1000 --concurrency 16\n\nscripts/bench runs all of them at 100, 1,000 and 10,000 documents.")]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: BenchCommand,
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Write a deterministic synthetic corpus.
    Synth {
        #[arg(long)]
        docs: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the sample statements and bad inputs of two dozen kinds (empty, binary, a named pipe,
    /// thousands of titles in a paragraph, names that are not UTF-8...) for `ingest --max-file-size 2`.
    Badmix {
        #[arg(long)]
        out: PathBuf,
        /// How many bad inputs.
        #[arg(long, default_value_t = 1000)]
        files: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Extraction throughput (MB/s of input) on N threads.
    Extract {
        paths: Vec<PathBuf>,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Also print the time spent in each stage (timing them slows the run a little).
        #[arg(long)]
        stages: bool,
    },
    /// Median latency of every ready query, and of analyze.
    Queries {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Median latency of each kind of workbench page (the heaviest of each kind the store has).
    Pages {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// A bounded load on a SPARQL endpoint: the ready queries, round-robin, from concurrent clients.
    Load {
        /// The endpoint, e.g. http://127.0.0.1:7878/sparql (start one with `diplograph serve`).
        #[arg(long, value_name = "URL")]
        endpoint: String,
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Time oxigraph's bulk loader on an N-Quads file, into a new store.
    Bulkload {
        nquads: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn run(args: BenchArgs) -> CliResult {
    let mut out = output::stdout();
    match args.command {
        BenchCommand::Synth { docs, out: dir, seed } => {
            let pipeline = Pipeline::builtin()?;
            let s = bench::synth::generate(&dir, docs, seed, &pipeline.knowledge.gazetteer)?;
            writeln!(out, "wrote {} documents in {} files, {:.1} MB, to {}", s.docs, s.files, s.bytes as f64 / 1e6, diplograph::paths::path_name(&dir))?;
        }
        BenchCommand::Badmix { out: dir, files, seed } => {
            let mix = bench::badmix::generate(&dir, files, seed)?;
            let good = mix.iter().filter(|e| e.kind == "good").count();
            writeln!(
                out,
                "wrote {} inputs ({files} bad, {good} good) to {}; ingest them with --max-file-size {}",
                mix.len(),
                diplograph::paths::path_name(&dir),
                bench::badmix::MAX_FILE_MB
            )?;
        }
        BenchCommand::Load { endpoint, queries, concurrency, json } => {
            let report = bench::load::load(&endpoint, &diplograph::queries::all()?, queries, concurrency)?;
            if json {
                output::write_json(&mut out, &report)?;
            } else {
                writeln!(
                    out,
                    "load: {} queries from {} clients in {:.2} s = {:.0} queries/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} error(s){}",
                    report.queries,
                    report.concurrency,
                    report.seconds,
                    report.queries_per_second,
                    report.p50_ms,
                    report.p99_ms,
                    report.max_ms,
                    report.errors,
                    report.first_error.as_deref().map(|e| format!(" (first: {e})")).unwrap_or_default()
                )?;
            }
        }
        BenchCommand::Extract { paths, threads, stages } => {
            let pipeline = Pipeline::builtin()?;
            let t = bench::extraction_throughput(&pipeline, &paths, threads, stages)?;
            writeln!(out, "extraction: {} threads, {} files, {} documents, {:.1} MB in {:.2} s = {:.2} MB/s", t.threads, t.files, t.documents, t.bytes as f64 / 1e6, t.seconds, t.mb_per_s)?;
            for s in &t.stages {
                writeln!(out, "  {:<36} {:>9.1} ms {:>5.1} % {:>9} calls", s.stage, s.total.as_secs_f64() * 1000.0, 100.0 * s.total.as_secs_f64() / t.seconds / t.threads as f64, s.calls)?;
            }
        }
        BenchCommand::Queries { store, runs } => {
            let store = GraphStore::open_read_only(&store.store)?;
            for q in bench::query_latencies(&store, runs)? {
                writeln!(out, "query {:<28} {:>9.1} ms {:>8} rows", q.name, q.median.as_secs_f64() * 1000.0, q.rows)?;
            }
            let t = bench::analyze_latency(&store)?;
            writeln!(
                out,
                "analyze ({} entities, {} links) {:>9.1} ms (reading the network {:.1} ms, measures {:.1} ms)",
                t.entities,
                t.links,
                (t.read + t.measures).as_secs_f64() * 1000.0,
                t.read.as_secs_f64() * 1000.0,
                t.measures.as_secs_f64() * 1000.0
            )?;
        }
        BenchCommand::Pages { store, runs } => {
            let (built, pages) = bench::page_latencies(GraphStore::open_read_only(&store.store)?, runs)?;
            writeln!(out, "snapshot for the pages (network, citations, search index) {:>9.1} ms, once per server start", built.as_secs_f64() * 1000.0)?;
            for p in pages {
                writeln!(out, "page {:<58} {:>9.1} ms {:>9} bytes  {}", p.page, p.median.as_secs_f64() * 1000.0, p.bytes, p.path)?;
            }
        }
        BenchCommand::Bulkload { nquads, store } => {
            let (d, quads) = bench::bulk_load(&nquads, &store.store)?;
            writeln!(out, "bulk load: {quads} quads in {:.2} s", d.as_secs_f64())?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
