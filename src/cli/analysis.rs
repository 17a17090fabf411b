//! `analyze`, `path`, `chain` and `dot`: the commands that read the network.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use diplograph::analysis::dot::{chain_view, citations_view, network_view, render};
use diplograph::analysis::path::shortest_path;
use diplograph::analysis::{analyze, chain, write_back, CitationGraph, Network};
use diplograph::graph::GraphStore;
use diplograph::model::EntityType;

use super::output::{self, CliResult, Outcome};
use super::store::StoreArgs;

#[derive(Args)]
#[command(after_help = "Measures: degree, weighted degree (relations count 1, co-mentions their paragraph count),\nPageRank (weighted), betweenness (Brandes; exact up to 2,000 entities, estimated from 2,000 evenly\nspread pivot sources above), connected component, community (label propagation).\n\nExamples:\n  diplograph analyze --top 10\n  diplograph analyze --type Organization --json\n  diplograph analyze --write && diplograph query 'SELECT ?e ?r WHERE { ?e dg:pageRank ?r } ORDER BY DESC(?r) LIMIT 5'")]
pub struct AnalyzeArgs {
    /// Show only entities of this type (Party, Person, Organization, Treaty, Project, Event, Place).
    #[arg(long = "type", value_name = "T")]
    pub entity_type: Option<String>,
    /// How many entities to show, by PageRank.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    #[arg(long)]
    pub json: bool,
    /// Also write the measures into the store (graph …/id/graph/analysis), for SPARQL.
    #[arg(long)]
    pub write: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

fn parse_type(t: &str) -> anyhow::Result<EntityType> {
    EntityType::parse(t).ok_or_else(|| anyhow::anyhow!("unknown type {t:?}; one of Party, Person, Organization, Treaty, Project, Event, Place"))
}

pub fn run_analyze(args: AnalyzeArgs) -> CliResult {
    let filter = args.entity_type.as_deref().map(parse_type).transpose()?;
    let store = if args.write { GraphStore::open_existing(&args.store.store)? } else { GraphStore::open_read_only(&args.store.store)? };
    let net = Network::from_store(&store)?;
    let measures = analyze(&net);
    if args.write {
        let n = write_back(&store, &measures)?;
        output::warn(format!("wrote {n} measure triples for {} entities", measures.len()));
    }
    let shown: Vec<_> = measures.iter().filter(|m| filter.is_none_or(|t| m.entity_type == t)).take(args.top).collect();
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &shown)?;
    } else {
        writeln!(out, "{} entities, {} links", net.graph.node_count(), net.graph.edge_count())?;
        writeln!(out, "{:<4} {:<13} {:>6} {:>8} {:>9} {:>11} {:>5} {:>5}  ENTITY", "#", "TYPE", "DEGREE", "WEIGHTED", "PAGERANK", "BETWEENNESS", "COMP", "COMM")?;
        for (i, m) in shown.iter().enumerate() {
            let label = match &m.english {
                Some(en) => format!("{} ({en})", m.label),
                None => m.label.clone(),
            };
            writeln!(out, "{:<4} {:<13} {:>6} {:>8.1} {:>9.5} {:>11.1} {:>5} {:>5}  {label}", i + 1, m.entity_type.as_str(), m.degree, m.weighted_degree, m.pagerank, m.betweenness, m.component, m.community)?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

#[derive(Args)]
#[command(after_help = "Entities are named by id, label, English label or any surface form they have in the texts.\n\nExamples:\n  diplograph path 习近平 金砖国家\n  diplograph path China 'Shanghai Cooperation Organisation' --json")]
pub struct PathArgs {
    pub from: String,
    pub to: String,
    #[arg(long)]
    pub json: bool,
    /// Supporting sentences shown per hop.
    #[arg(long, default_value_t = 2)]
    pub evidence: usize,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_path(args: PathArgs) -> CliResult {
    let store = GraphStore::open_read_only(&args.store.store)?;
    let net = Network::from_store(&store)?;
    let (a, b) = (net.one(&store, &args.from)?, net.one(&store, &args.to)?);
    let mut out = output::stdout();
    let Some(hops) = shortest_path(&net, &store, a, b)? else {
        writeln!(out, "{} and {} are not connected", net.graph[a].label, net.graph[b].label)?;
        out.flush()?;
        return Ok(Outcome::Success);
    };
    if args.json {
        output::write_json(&mut out, &hops)?;
    } else {
        writeln!(out, "{} hop(s)", hops.len())?;
        for h in &hops {
            writeln!(out, "{} → {}", h.from_label, h.to_label)?;
            for ev in h.evidence.iter().take(args.evidence) {
                writeln!(out, "    {} [{}]: {}", ev.predicate, ev.doc, ev.sentence)?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ChainFormat {
    Text,
    Json,
    Dot,
}

#[derive(Args)]
#[command(after_help = "DOC is a document id (see `diplograph query documents`), the beginning of one, or words of its\ntitle; --date picks among documents that share a title. A name that fits several documents lists\nthem. Citations of later documents and cycles are flagged.\n\nExamples:\n  diplograph chain cn-kz-2024-07-03-joint-statement\n  diplograph chain 联合声明 --date 2019-09-11 --format json\n  diplograph chain 睦邻友好合作条约 --reverse")]
pub struct ChainArgs {
    pub doc: String,
    /// The signing date of the document, when several share a title.
    #[arg(long)]
    pub date: Option<String>,
    /// Who cites the document, instead of what it cites.
    #[arg(long)]
    pub reverse: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ChainFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_chain(args: ChainArgs) -> CliResult {
    let store = GraphStore::open_read_only(&args.store.store)?;
    let cg = CitationGraph::from_store(&store)?;
    let start = cg.find(&args.doc, args.date.as_deref(), args.reverse)?;
    let c = chain(&cg, start, args.reverse);
    let mut out = output::stdout();
    match args.format {
        ChainFormat::Text => write!(out, "{}", diplograph::analysis::chain::render_text(&c))?,
        ChainFormat::Json => {
            output::write_json(&mut out, &c)?;
        }
        ChainFormat::Dot => write!(out, "{}", chain_view(&c))?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum View {
    Network,
    Ego,
    Chain,
    Citations,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Render {
    Svg,
    Png,
}

#[derive(Args)]
#[command(after_help = "Views: network (the most central entities, clustered by type), ego (an entity and its\nneighbours within --radius), chain (a document's citation chain by year; --entity names the\ndocument), citations (all documents and what they cite, by year).\n\nExamples:\n  diplograph dot --view network --top 40 > network.dot\n  diplograph dot --view ego --entity 哈萨克斯坦共和国 --radius 1 --render svg -o kz.svg\n  diplograph dot --view chain --entity cn-kz-2024-07-03-joint-statement --render png -o chain.png")]
pub struct DotArgs {
    #[arg(long, value_enum, default_value = "network")]
    pub view: View,
    /// The entity (ego view) or document (chain view).
    #[arg(long)]
    pub entity: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub radius: usize,
    /// Network view: how many entities, by PageRank.
    #[arg(long, default_value_t = 40)]
    pub top: usize,
    /// Render with Graphviz instead of printing DOT (needs -o).
    #[arg(long, value_enum, requires = "output")]
    pub render: Option<Render>,
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_dot(args: DotArgs) -> CliResult {
    let store = GraphStore::open_read_only(&args.store.store)?;
    let need = |what: &str| args.entity.clone().ok_or_else(|| anyhow::anyhow!("--view {what} needs --entity"));
    let dot = match args.view {
        View::Network => {
            let net = Network::from_store(&store)?;
            let top: Vec<_> = analyze(&net).into_iter().take(args.top).filter_map(|m| net.index.get(&m.id).copied()).collect();
            network_view(&net, &top, "Relation network")
        }
        View::Ego => {
            let net = Network::from_store(&store)?;
            let center = net.one(&store, &need("ego")?)?;
            network_view(&net, &net.ego(center, args.radius), &format!("{} and its neighbours", net.graph[center].label))
        }
        View::Chain => {
            let cg = CitationGraph::from_store(&store)?;
            let start = cg.find(&need("chain")?, None, false)?;
            chain_view(&chain(&cg, start, false))
        }
        View::Citations => citations_view(&CitationGraph::from_store(&store)?),
    };
    match (args.render, &args.output) {
        (Some(r), Some(path)) => {
            let warnings = render(&dot, match r { Render::Svg => "svg", Render::Png => "png" }, path)?;
            if !warnings.trim().is_empty() {
                output::warn(format!("dot: {}", warnings.trim()));
            }
        }
        (None, Some(path)) => std::fs::write(path, &dot).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", diplograph::paths::path_name(path)))?,
        _ => {
            let mut out = output::stdout();
            out.write_all(dot.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Outcome::Success)
}
