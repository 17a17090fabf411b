//! `analyze`, `path`, `chain` and `dot`: the commands that read the network.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use diplograph::analysis::dot::{chain_view, citations_view, network_view, render};
use diplograph::analysis::path::shortest_path;
use diplograph::analysis::{analyze, chain, write_back, CitationGraph, CitationScope, Network, NetworkFilter, Years};
use diplograph::graph::GraphStore;
use diplograph::model::EntityType;

use super::output::{self, CliResult, Outcome};
use super::store::StoreArgs;

/// The part of the relation network a command reads.
#[derive(Args, Clone, Debug, Default)]
pub struct NetworkFilterArgs {
    /// Only entities of these types, comma-separated (Party,Person,Organization,Treaty,Project,Event,Place).
    #[arg(long, value_name = "T,T…", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Only links stated by documents signed in this year or later (undated documents are left out).
    #[arg(long, value_name = "YEAR")]
    pub since: Option<i32>,
    /// Only links stated by documents signed in this year or earlier (undated documents are left out).
    #[arg(long, value_name = "YEAR")]
    pub until: Option<i32>,
    /// Only typed relations (supports, hosts…), no paragraph co-mentions.
    #[arg(long)]
    pub typed: bool,
}

impl NetworkFilterArgs {
    pub fn years(&self) -> anyhow::Result<Years> {
        if let (Some(s), Some(u)) = (self.since, self.until) {
            anyhow::ensure!(s <= u, "--since {s} is after --until {u}");
        }
        Ok(Years { since: self.since, until: self.until })
    }

    pub fn filter(&self) -> anyhow::Result<NetworkFilter> {
        let types = self.types.iter().map(|t| parse_type(t.trim())).collect::<anyhow::Result<_>>()?;
        Ok(NetworkFilter { types, years: self.years()?, typed: self.typed })
    }
}

#[derive(Args)]
#[command(after_help = "Measures: degree, weighted degree (relations count 1, co-mentions their paragraph count),\nPageRank (weighted), betweenness (Brandes; exact up to 2,000 entities, estimated from 2,000 evenly\nspread pivot sources above), connected component, community (Louvain, maximizing modularity).\n--types, --since/--until and --typed narrow the network before anything is measured; --type\nonly narrows what is shown.\n\nExamples:\n  diplograph analyze --top 10\n  diplograph analyze --type Organization --json\n  diplograph analyze --typed --since 2019 --types Party,Organization\n  diplograph analyze --write && diplograph query 'SELECT ?e ?r WHERE { ?e dg:pageRank ?r } ORDER BY DESC(?r) LIMIT 5'")]
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
    pub network: NetworkFilterArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

fn parse_type(t: &str) -> anyhow::Result<EntityType> {
    EntityType::parse(t).ok_or_else(|| anyhow::anyhow!("unknown type {t:?}; one of Party, Person, Organization, Treaty, Project, Event, Place"))
}

pub fn run_analyze(args: AnalyzeArgs) -> CliResult {
    let filter = args.entity_type.as_deref().map(parse_type).transpose()?;
    let network_filter = args.network.filter()?;
    let store = if args.write { GraphStore::open_existing(&args.store.store)? } else { GraphStore::open_read_only(&args.store.store)? };
    let net = Network::read(&store, &network_filter)?;
    let analysis = analyze(&net);
    let measures = analysis.measures;
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
        let sizes = &analysis.community_sizes;
        let largest = sizes.first().copied().unwrap_or(0);
        writeln!(
            out,
            "{} communities, modularity {:.3}; the largest holds {largest} entities ({:.0} %), the next {}",
            sizes.len(),
            analysis.modularity,
            100.0 * largest as f64 / measures.len().max(1) as f64,
            sizes.iter().skip(1).take(5).map(usize::to_string).collect::<Vec<_>>().join(", ")
        )?;
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
#[command(after_help = "Entities are named by id, label, English label or any surface form they have in the texts.\n--types, --since/--until and --typed narrow the network the path may take.\n\nExamples:\n  diplograph path 习近平 金砖国家\n  diplograph path China 'Shanghai Cooperation Organisation' --json\n  diplograph path 中华人民共和国 上海合作组织 --typed")]
pub struct PathArgs {
    pub from: String,
    pub to: String,
    #[arg(long)]
    pub json: bool,
    /// Supporting sentences shown per hop.
    #[arg(long, default_value_t = 2)]
    pub evidence: usize,
    #[command(flatten)]
    pub network: NetworkFilterArgs,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_path(args: PathArgs) -> CliResult {
    let network_filter = args.network.filter()?;
    let store = GraphStore::open_read_only(&args.store.store)?;
    let net = Network::read(&store, &network_filter)?;
    let (a, b) = (net.one(&store, &args.from)?, net.one(&store, &args.to)?);
    let mut out = output::stdout();
    let Some(hops) = shortest_path(&net, &store, a, b, &network_filter)? else {
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
#[command(after_help = "DOC is a document id (see `diplograph query documents`), the beginning of one, or words of its\ntitle; --date picks among documents that share a title. A name that fits several documents lists\nthem. Citations of later documents and cycles are flagged.\n\nExamples:\n  diplograph chain cn-kz-2024-07-03-joint-statement\n  diplograph chain 联合声明 --date 2019-09-11 --format json\n  diplograph chain 哈萨克斯坦共和国睦邻友好合作条约 --reverse")]
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
#[command(after_help = "Views:\n  network    the most central entities (--top), clustered by type, every link labelled\n  ego        an entity (--entity) and its strongest --neighbours within --radius\n  chain      a document's citation chain by year (--entity names the document)\n  citations  corpus documents and what they cite, by year; --partner and --since/--until scope it\n--types, --since/--until and --typed narrow the network and ego views' network.\n\nExamples:\n  diplograph dot --view network --top 30 --typed > network.dot\n  diplograph dot --view ego --entity 哈萨克斯坦共和国 --neighbours 12 --render svg -o kz.svg\n  diplograph dot --view citations --partner 哈萨克斯坦共和国 --since 2010 --render svg -o kz-citations.svg\n  diplograph dot --view chain --entity cn-kz-2024-07-03-joint-statement --render png -o chain.png")]
pub struct DotArgs {
    #[arg(long, value_enum, default_value = "network")]
    pub view: View,
    /// The entity (ego view) or document (chain view).
    #[arg(long)]
    pub entity: Option<String>,
    /// Ego view: how many hops out.
    #[arg(long, default_value_t = 1)]
    pub radius: usize,
    /// Ego view: how many neighbours at most, the most strongly linked first.
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub neighbours: usize,
    /// Network view: how many entities, by PageRank.
    #[arg(long, default_value_t = 30)]
    pub top: usize,
    /// Citations view: only documents to which this state or organization is a party.
    #[arg(long, value_name = "NAME")]
    pub partner: Option<String>,
    #[command(flatten)]
    pub network: NetworkFilterArgs,
    /// Render with Graphviz instead of printing DOT (needs -o).
    #[arg(long, value_enum, requires = "output")]
    pub render: Option<Render>,
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_dot(args: DotArgs) -> CliResult {
    let network_filter = args.network.filter()?;
    let store = GraphStore::open_read_only(&args.store.store)?;
    let need = |what: &str| args.entity.clone().ok_or_else(|| anyhow::anyhow!("--view {what} needs --entity"));
    let dot = match args.view {
        View::Network => {
            let net = Network::read(&store, &network_filter)?;
            let top: Vec<_> = analyze(&net).measures.into_iter().take(args.top).filter_map(|m| net.index.get(&m.id).copied()).collect();
            let title = format!("Relation network{}", network_filter.describe());
            network_view(&net, &top, &title)
        }
        View::Ego => {
            let net = Network::read(&store, &network_filter)?;
            let center = net.one(&store, &need("ego")?)?;
            let title = format!("{} and its neighbours{}", net.graph[center].label, network_filter.describe());
            network_view(&net, &net.ego(center, args.radius, args.neighbours), &title)
        }
        View::Chain => {
            let cg = CitationGraph::from_store(&store)?;
            let start = cg.find(&need("chain")?, None, false)?;
            chain_view(&chain(&cg, start, false))
        }
        View::Citations => {
            let cg = CitationGraph::from_store(&store)?;
            let partner = args.partner.as_deref().map(|name| cg.find_partner(&store, name)).transpose()?;
            citations_view(&cg, &CitationScope { partner, years: args.network.years()? })
        }
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

#[derive(Clone, Copy, ValueEnum)]
pub enum TimelineFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args)]
#[command(after_help = "PARTNER is a party's id, its Chinese name, a form the documents use (哈方, 哈萨克斯坦) or its\nEnglish name. The history lists, oldest first (undated last), each document between China and the\npartner, each relationship level it declares or recalls with the act (establish, upgrade, develop,\ndeepen, reaffirm, build), each visit or meeting, and each earlier document between the two that\nthe statements cite with its date.\n\nExamples:\n  diplograph timeline 哈萨克斯坦\n  diplograph timeline Kazakhstan --format json\n  diplograph timeline party/塔吉克斯坦共和国 --format csv > tj.csv")]
pub struct TimelineArgs {
    pub partner: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TimelineFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run_timeline(args: TimelineArgs) -> CliResult {
    let store = GraphStore::open_read_only(&args.store.store)?;
    let t = diplograph::analysis::timeline(&store, &args.partner)?;
    let mut out = output::stdout();
    match args.format {
        TimelineFormat::Json => output::write_json(&mut out, &t)?,
        TimelineFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["date", "kind", "doc", "what"])?;
            for e in &t.entries {
                w.write_record([e.date.as_deref().unwrap_or(""), e.kind(), &e.doc, &e.describe()])?;
            }
            w.flush()?;
        }
        TimelineFormat::Table => {
            let english = t.english.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
            writeln!(out, "China and {}{english}: {} entries", t.label, t.entries.len())?;
            let mut last_doc = "";
            for e in &t.entries {
                let doc = if e.doc != last_doc { e.doc.as_str() } else { "〃" };
                last_doc = &e.doc;
                writeln!(out, "{:<10}  {:<8}  {}  [{doc}]", e.date.as_deref().unwrap_or("undated"), e.kind(), e.describe())?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
