//! `ingest`, `stats`, `query` and `export`: the commands that use the store.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use diplograph::analysis::export::{write_network, NetworkFormat};
use diplograph::analysis::{analyze, Network};
use diplograph::graph::sparql::{self, ResultFormat};
use diplograph::graph::{GraphStore, Stats};
use diplograph::ingest::{ensure_some_input_exists, ingest_with, IngestOptions};
use diplograph::queries;
use diplograph::Pipeline;

use super::analysis::NetworkFilterArgs;
use super::output::{self, CliResult, Outcome};
use super::InputArgs;

/// Where the store is.
#[derive(Args, Clone, Debug)]
pub struct StoreArgs {
    /// The on-disk store directory.
    #[arg(long, value_name = "DIR", env = "DIPLOGRAPH_STORE", default_value = "diplograph.db")]
    pub store: PathBuf,
}

#[derive(Args)]
#[command(after_help = "Re-ingesting a file replaces its documents: nothing is duplicated, nothing stale remains.\nA file the store holds unchanged (same bytes, same diplograph, same --gazetteer, --lexicon and\n--encoding) is skipped; --force reads it again. Each problem is printed as the file is met.\nTwo documents never share an id: a document whose id another file's document has is kept under\nthe id followed by a digest of its place, and the collision is reported.\n\nExamples:\n  diplograph ingest corpus/\n  diplograph ingest --store kg.db corpus/000_b5c8c0237f700ace.txt corpus/001_3f228837207674b3.txt")]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Read every file again, even those the store holds unchanged.
    #[arg(long)]
    pub force: bool,
}

pub fn run_ingest(args: IngestArgs) -> CliResult {
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
    ensure_some_input_exists(&args.input.paths)?;
    let store = GraphStore::open(&args.store.store)?;
    let reporter = output::Reporter::new(args.quiet, "files");
    let report = ingest_with(&pipeline, &store, &args.input.paths, IngestOptions { force: args.force }, &reporter)?;
    reporter.finish();
    let mut out = output::stdout();
    let mut remarks = Vec::new();
    if report.unchanged > 0 {
        remarks.push(format!("{} unchanged file(s) skipped", report.unchanged));
    }
    if report.removed_documents > 0 {
        remarks.push(format!("{} stale document(s) removed", report.removed_documents));
    }
    if report.id_collisions > 0 {
        remarks.push(format!("{} document(s) kept under a new id, their own being taken", report.id_collisions));
    }
    if report.problems > 0 {
        remarks.push(format!("{} input(s) with problems, named above", report.problems));
    }
    writeln!(
        out,
        "ingested {} file(s), {} document(s) into {}{}",
        report.files,
        report.documents,
        diplograph::paths::path_name(&args.store.store),
        if remarks.is_empty() { String::new() } else { format!(" ({})", remarks.join("; ")) }
    )?;
    write_stats(&mut out, &store.stats()?)?;
    out.flush()?;
    Ok(if report.problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

#[derive(Args)]
#[command(after_help = "Examples:\n  diplograph stats\n  diplograph stats --json --store kg.db")]
pub struct StatsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long)]
    pub json: bool,
}

pub fn run_stats(args: StatsArgs) -> CliResult {
    let store = GraphStore::open_read_only(&args.store.store)?;
    let stats = store.stats()?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &stats)?;
    } else {
        write_stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_stats(out: &mut impl Write, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "documents    {:>8}", s.documents)?;
    let total: usize = s.entities.iter().map(|(_, n)| n).sum();
    writeln!(out, "entities     {total:>8}")?;
    for (t, n) in &s.entities {
        writeln!(out, "  {t:<12}{n:>8}")?;
    }
    writeln!(out, "mentions     {:>8}", s.mentions)?;
    writeln!(out, "citations    {:>8}  ({} resolved to corpus documents)", s.citations, s.resolved_citations)?;
    writeln!(out, "relations    {:>8}  (+{} co-mention pairs)", s.relations, s.co_mentions)?;
    writeln!(out, "levels       {:>8}  (relationship levels declared or recalled)", s.declarations)?;
    writeln!(out, "visits       {:>8}  (visits, talks, meetings, attendances)", s.visits)?;
    writeln!(out, "triples      {:>8}", s.triples)
}

#[derive(Args)]
#[command(after_help = "QUERY is inline SPARQL, a .rq file, or the name of a ready query (see `diplograph query --list`).\nPrefixes dg:, schema:, cito:, org:, prov:, nif:, skos:, owl:, xsd:, rdfs:... are predeclared,\nand the default graph is the union of all document graphs.\n\nExamples:\n  diplograph query --list\n  diplograph query treaty-chain --format csv\n  diplograph query 'SELECT ?t (COUNT(*) AS ?n) WHERE { ?e a ?t } GROUP BY ?t'\n  diplograph query queries/documents.rq --format json")]
pub struct QueryArgs {
    /// Inline SPARQL, a .rq file, or a ready query's name.
    #[arg(required_unless_present = "list")]
    pub query: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
    /// List the ready queries and what they answer.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_query(args: QueryArgs) -> CliResult {
    let mut out = output::stdout();
    if args.list {
        for q in queries::all()? {
            writeln!(out, "{:<28} {}", q.name, q.title)?;
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    let text = queries::resolve(args.query.as_deref().unwrap_or_default())?;
    let store = GraphStore::open_read_only(&args.store.store)?;
    let results = sparql::run(store.inner(), &text)?;
    let mut out = sparql::write_results(results, args.format, out)?;
    out.flush()?;
    Ok(Outcome::Success)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Ttl,
    Nt,
    Nq,
    Trig,
    Jsonld,
    /// The relation network with its measures, for Cytoscape, yEd, networkx.
    Graphml,
    /// The relation network with its measures, for Gephi, networkx.
    Gexf,
}

#[derive(Args)]
#[command(after_help = "Turtle and N-Triples hold the union of all graphs; N-Quads, TriG and JSON-LD keep\neach document's named graph. GraphML and GEXF hold the relation network instead: entities with\ntype, labels, Wikidata id and measures; links with predicate, weight, first and last year\n(--types, --since/--until and --typed narrow it, as for analyze).\n\nExamples:\n  diplograph export --format nq -o kg.nq\n  diplograph export --format ttl --graph https://w3id.org/diplograph/id/graph/entities\n  diplograph export --format gexf --typed -o network.gexf")]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "nq")]
    pub format: ExportFormat,
    /// Export only this named graph.
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub network: NetworkFilterArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_export(args: ExportArgs) -> CliResult {
    // The RDF formats by their file extension, or a network format.
    let target = match args.format {
        ExportFormat::Ttl => Ok("ttl"),
        ExportFormat::Nt => Ok("nt"),
        ExportFormat::Nq => Ok("nq"),
        ExportFormat::Trig => Ok("trig"),
        ExportFormat::Jsonld => Ok("jsonld"),
        ExportFormat::Graphml => Err(NetworkFormat::GraphMl),
        ExportFormat::Gexf => Err(NetworkFormat::Gexf),
    };
    let network_filter = args.network.filter()?;
    if target.is_ok() && !network_filter.is_empty() {
        return Err(anyhow::anyhow!("--types, --since, --until and --typed narrow the relation network: use them with --format graphml or gexf").into());
    }
    if target.is_err() && args.graph.is_some() {
        return Err(anyhow::anyhow!("--graph picks a named graph of an RDF export; GraphML and GEXF hold the relation network").into());
    }
    let store = GraphStore::open_read_only(&args.store.store)?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", diplograph::paths::path_name(path)))?)),
        None => Box::new(output::stdout()),
    };
    let mut out = match target {
        Ok(extension) => {
            let format = oxigraph::io::RdfFormat::from_extension(extension).expect("known extension");
            store.export(format, args.graph.as_deref(), out)?
        }
        Err(format) => {
            let net = Network::read(&store, &network_filter)?;
            write_network(&net, &analyze(&net), format, out)?
        }
    };
    out.flush()?;
    Ok(Outcome::Success)
}
