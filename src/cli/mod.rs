//! Argument parsing and output. Each command is a few lines: build the
//! pipeline or open the store, call one library function, print the result.

mod analysis;
mod bench;
mod documents;
mod eval;
mod extract;
mod output;
mod remote;
pub mod store;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use diplograph::knowledge::KnowledgeConfig;
use diplograph::pipeline::PipelineConfig;


#[derive(Parser)]
#[command(
    name = "diplograph",
    version,
    about = "Turn Chinese-language diplomatic texts into a knowledge graph you can query, analyse and draw.",
    after_help = "Examples:\n  diplograph documents corpus/\n  diplograph ingest corpus/ && diplograph stats\n  diplograph query treaty-chain --format csv\n\nExit codes: 0 success, 1 some inputs could not be read (the rest were processed), 2 failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options of every command that reads statements.
#[derive(Args, Clone, Debug)]
pub struct InputArgs {
    /// Files or directories (read recursively in a stable order); `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Force this input encoding (utf-8, gb18030, gbk, big5, utf-16le...) instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Larger files are refused with a message (in MB).
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub knowledge: KnowledgeArgs,
}

/// Where extra knowledge comes from.
#[derive(Args, Clone, Debug, Default)]
pub struct KnowledgeArgs {
    /// Extra gazetteer file (TOML, format of ontology/gazetteer/*.toml); may be repeated.
    #[arg(long, value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,
    /// Lexicon file whose sections replace the built-in ones (format of ontology/lexicon.toml).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}

impl InputArgs {
    pub fn pipeline_config(&self) -> PipelineConfig {
        PipelineConfig {
            knowledge: KnowledgeConfig { gazetteers: self.knowledge.gazetteer.clone(), lexicon: self.knowledge.lexicon.clone() },
            encoding: self.encoding.clone(),
            max_file_bytes: Some(self.max_file_size * 1_000_000),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// List the documents found in the inputs, with their metadata.
    Documents(documents::DocumentsArgs),
    /// Extract mentions, entities, citations and relations (JSON Lines).
    Extract(extract::ExtractArgs),
    /// Score extraction against a gold standard (precision, recall, F1).
    Eval(eval::EvalArgs),
    /// Build the knowledge graph: extract the inputs into the on-disk store.
    Ingest(store::IngestArgs),
    /// Count documents, entities per type, citations, relations and triples in the store.
    Stats(store::StatsArgs),
    /// Run a SPARQL query (inline, a .rq file, or a ready query by name).
    Query(store::QueryArgs),
    /// Export the graph as Turtle, N-Triples, N-Quads, TriG or JSON-LD.
    Export(store::ExportArgs),
    /// Centrality (degree, PageRank, betweenness), components and communities of the relation network.
    Analyze(analysis::AnalyzeArgs),
    /// The shortest path between two entities, each hop with its supporting sentences.
    Path(analysis::PathArgs),
    /// The treaty-reference chain of a document: what it cites, back to the oldest (or who cites it).
    Chain(analysis::ChainArgs),
    /// Graphviz views: network, ego, chain, citations.
    Dot(analysis::DotArgs),
    /// A partner's history with China: documents, relationship levels, visits, cited agreements.
    Timeline(analysis::TimelineArgs),
    /// Serve the store as a SPARQL 1.1 Protocol endpoint over HTTP.
    Serve(remote::ServeArgs),
    /// Push every graph to a remote triple store (SPARQL 1.1 Graph Store Protocol).
    Push(remote::PushArgs),
    /// A query worker of `serve` (started by it, not by hand).
    #[command(hide = true)]
    ServeWorker(remote::ServeWorkerArgs),
    /// Benchmarks: synthetic corpus, extraction throughput, query latency, bulk load.
    Bench(bench::BenchArgs),
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Documents(args) => documents::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Ingest(args) => store::run_ingest(args),
        Command::Stats(args) => store::run_stats(args),
        Command::Query(args) => store::run_query(args),
        Command::Export(args) => store::run_export(args),
        Command::Analyze(args) => analysis::run_analyze(args),
        Command::Path(args) => analysis::run_path(args),
        Command::Chain(args) => analysis::run_chain(args),
        Command::Dot(args) => analysis::run_dot(args),
        Command::Timeline(args) => analysis::run_timeline(args),
        Command::Serve(args) => remote::run_serve(args),
        Command::Push(args) => remote::run_push(args),
        Command::ServeWorker(args) => remote::run_serve_worker(args),
        Command::Bench(args) => bench::run(args),
    };
    output::finish(result)
}
