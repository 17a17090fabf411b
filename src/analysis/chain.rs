//! The treaty-reference chain: the documents a statement builds on, and what
//! those build on in turn, back to the oldest — or, reversed, who cites it.
//!
//! Works are the nodes (a corpus document is the work it is, `dg:work`), a
//! citation is an edge from the citing work to the cited one. Only corpus
//! documents have citations, so the walk goes on exactly where a cited work
//! is in the corpus. A citation of a later document, or one that closes a
//! cycle, is flagged and not followed.

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::Term;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::suggest::{did_you_mean, hint, Candidate};
use crate::graph::sparql::{optional_cell, select_rows};
use super::network::{year_of, Years};
use crate::graph::vocab::{document_id, entity_id};
use crate::graph::GraphStore;

/// A cited or citing work.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Work {
    /// Treaty entity id.
    pub id: String,
    pub title: String,
    /// Signing date (YYYY-MM-DD), when known.
    pub date: Option<String>,
    /// The corpus document that is this work, if any.
    pub doc: Option<String>,
}

/// A citation edge.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cite {
    pub verb: Option<String>,
}

/// The citation graph of the store.
pub struct CitationGraph {
    pub graph: DiGraph<Work, Cite>,
    by_id: HashMap<String, NodeIndex>,
    /// The node of each corpus document, by document id.
    by_doc: HashMap<String, NodeIndex>,
    /// The party ids of each corpus document.
    parties: HashMap<String, Vec<String>>,
}

/// Which corpus documents a citations view shows: those with a partner,
/// those signed in some years, or all.
#[derive(Debug, Clone, Default)]
pub struct CitationScope {
    /// A party's entity id and label.
    pub partner: Option<(String, String)>,
    pub years: Years,
}

impl CitationScope {
    /// " with 哈萨克斯坦共和国, 2019–2024", or "" for the whole corpus.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((_, label)) = &self.partner {
            parts.push(format!("with {label}"));
        }
        if !self.years.is_all() {
            parts.push(self.years.describe());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" {}", parts.join(", "))
        }
    }
}

impl CitationGraph {
    pub fn from_store(store: &GraphStore) -> anyhow::Result<Self> {
        let mut cg = Self { graph: DiGraph::new(), by_id: HashMap::new(), by_doc: HashMap::new(), parties: HashMap::new() };
        let (_, docs) = select_rows(
            store.inner(),
            "SELECT ?d ?work ?title ?date WHERE { GRAPH ?d { ?d a dg:Document ; dg:work ?work ; schema:name ?title . OPTIONAL { ?d eli:date_document ?date } } } ORDER BY ?d",
        )?;
        for r in &docs {
            let (Some(Term::NamedNode(doc)), Some(work)) = (&r[0], optional_cell(&r[1])) else { continue };
            let Some(doc) = document_id(doc.as_str()).map(str::to_owned) else { continue };
            let n = cg.work(&work, optional_cell(&r[2]).unwrap_or_default(), optional_cell(&r[3]));
            cg.by_doc.insert(doc.clone(), n);
            cg.graph[n].doc = Some(doc);
        }
        let (_, parties) = select_rows(store.inner(), "SELECT ?d ?party WHERE { GRAPH ?d { ?d a dg:Document ; dg:party ?party } }")?;
        for r in &parties {
            if let (Some(Term::NamedNode(doc)), Some(Term::NamedNode(party))) = (&r[0], &r[1]) {
                if let (Some(doc), Some(party)) = (document_id(doc.as_str()), entity_id(party.as_str())) {
                    cg.parties.entry(doc.to_owned()).or_default().push(party.to_owned());
                }
            }
        }
        let (_, cites) = select_rows(
            store.inner(),
            "SELECT ?citingWork ?work ?title ?date ?verb WHERE { GRAPH ?citing { ?c a dg:Citation ; dg:citedWork ?work ; dg:citedTitle ?title . ?citing dg:work ?citingWork . OPTIONAL { ?c dg:citedDate ?date } OPTIONAL { ?c dg:verb ?verb } } } ORDER BY ?citingWork ?work",
        )?;
        for r in &cites {
            let (Some(from), Some(to)) = (optional_cell(&r[0]), optional_cell(&r[1])) else { continue };
            let a = cg.by_id[&from];
            let b = cg.work(&to, optional_cell(&r[2]).unwrap_or_default(), optional_cell(&r[3]));
            if a != b && cg.graph.find_edge(a, b).is_none() {
                cg.graph.add_edge(a, b, Cite { verb: optional_cell(&r[4]) });
            }
        }
        Ok(cg)
    }

    fn work(&mut self, id: &str, title: String, date: Option<String>) -> NodeIndex {
        if let Some(&n) = self.by_id.get(id) {
            let w = &mut self.graph[n];
            if w.date.is_none() {
                w.date = date;
            }
            return n;
        }
        let n = self.graph.add_node(Work { id: id.to_owned(), title, date, doc: None });
        self.by_id.insert(id.to_owned(), n);
        n
    }

    /// The party ids of a corpus document.
    pub fn parties_of(&self, doc: &str) -> &[String] {
        self.parties.get(doc).map_or(&[], Vec::as_slice)
    }

    /// Every party of some corpus document, once each.
    pub fn all_parties(&self) -> std::collections::BTreeSet<&String> {
        self.parties.values().flatten().collect()
    }

    /// Whether `n` is a corpus document that `scope` keeps.
    pub fn in_scope(&self, n: NodeIndex, scope: &CitationScope) -> bool {
        let w = &self.graph[n];
        let Some(doc) = &w.doc else { return false };
        scope.partner.as_ref().is_none_or(|(p, _)| self.parties_of(doc).contains(p)) && scope.years.contains(w.date.as_deref().and_then(year_of))
    }

    /// The party named `name` (id, label, English label or surface form)
    /// among the parties of the corpus documents: its id, and the name.
    pub fn find_partner(&self, store: &GraphStore, name: &str) -> anyhow::Result<(String, String)> {
        let is_party = |id: &String| self.parties.values().any(|ps| ps.contains(id));
        let mut ids: Vec<String> = std::iter::once(name.to_owned()).chain(super::network::entity_ids_named(store, name)?).filter(is_party).collect();
        ids.sort();
        ids.dedup();
        match ids.as_slice() {
            [one] => Ok((one.clone(), name.to_owned())),
            [] => anyhow::bail!("no document of the store has a party named {name:?}"),
            many => anyhow::bail!("{name:?} names {} parties; use an id: {}", many.len(), many.join(", ")),
        }
    }

    /// The node of a corpus document, by document id.
    pub fn document_node(&self, doc: &str) -> Option<NodeIndex> {
        self.by_doc.get(doc).copied()
    }

    /// The node of a work by its treaty id.
    pub fn node(&self, work: &str) -> Option<NodeIndex> {
        self.by_id.get(work).copied()
    }

    /// The corpus document named by `query`: its id, the beginning of its id
    /// (`cn-kz-2024-07-03`), or words of its title, with its signing date
    /// when given. With `any_work`, a work only cited (a treaty outside the
    /// corpus) may be named too. A name that fits several lists them; one
    /// that fits none gets the closest titles.
    pub fn find(&self, query: &str, date: Option<&str>, any_work: bool) -> anyhow::Result<NodeIndex> {
        let g = &self.graph;
        let is_doc = |n: NodeIndex| g[n].doc.is_some();
        if let Some(n) = g.node_indices().find(|&n| g[n].doc.as_deref() == Some(query)) {
            return Ok(n);
        }
        let dated = |n: NodeIndex| date.is_none_or(|d| g[n].date.as_deref() == Some(d));
        let by_id_start: Vec<NodeIndex> = g.node_indices().filter(|&n| g[n].doc.as_deref().is_some_and(|d| d.starts_with(query)) && dated(n)).collect();
        let matching: Vec<NodeIndex> = if by_id_start.is_empty() {
            g.node_indices().filter(|&n| (any_work || is_doc(n)) && g[n].title.contains(query) && dated(n)).collect()
        } else {
            by_id_start
        };
        match matching.as_slice() {
            [one] => Ok(*one),
            [] => {
                let candidates: Vec<Candidate> = g
                    .node_indices()
                    .filter(|&n| any_work || is_doc(n))
                    .map(|n| Candidate {
                        shown: format!("{:?}", g[n].title),
                        names: [Some(g[n].title.clone()), g[n].doc.clone()].into_iter().flatten().collect(),
                        weight: g.neighbors_undirected(n).count() as f64,
                    })
                    .collect();
                anyhow::bail!(
                    "no {} in the store matches {query:?}{}{} (try `diplograph query documents`)",
                    if any_work { "document or cited work" } else { "document" },
                    date.map(|d| format!(" signed {d}")).unwrap_or_default(),
                    hint(&did_you_mean(query, &candidates, 5))
                )
            }
            many => anyhow::bail!(
                "{} {} match {query:?}; name one by id, or add --date:\n{}",
                many.len(),
                if any_work { "documents and cited works" } else { "documents" },
                many.iter().map(|&n| format!("  {}", describe(&g[n]))).collect::<Vec<_>>().join("\n")
            ),
        }
    }
}

/// A work as a candidate is listed: id, title, date, and whether the corpus has it.
fn describe(w: &Work) -> String {
    let date = w.date.as_deref().unwrap_or("undated");
    match &w.doc {
        Some(doc) => format!("{doc}  《{}》 {date}", w.title),
        None => format!("{}  《{}》 {date} (cited, not in the store)", w.id, w.title),
    }
}

/// One cited (or citing) work in a chain, with every link that reaches it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainEntry {
    pub work: Work,
    /// Hops from the start.
    pub depth: usize,
    pub links: Vec<ChainLink>,
}

/// A citation between two works of the chain.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainLink {
    /// The citing work (forward) or the cited one (reverse).
    pub other: Work,
    pub verb: Option<String>,
    /// The citing document is older than what it cites.
    pub cites_later_document: bool,
    /// Following this citation would come back to a work already on the path.
    pub closes_cycle: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Chain {
    pub start: Work,
    pub reverse: bool,
    /// Time-ordered: oldest first, undated last.
    pub entries: Vec<ChainEntry>,
}

/// Follows citations from `start` (or, with `reverse`, to it).
pub fn chain(cg: &CitationGraph, start: NodeIndex, reverse: bool) -> Chain {
    let g = &cg.graph;
    let dir = if reverse { Direction::Incoming } else { Direction::Outgoing };
    let mut entries: BTreeMap<NodeIndex, ChainEntry> = BTreeMap::new();
    let mut on_path: HashSet<NodeIndex> = HashSet::new();
    let mut expanded: HashSet<NodeIndex> = HashSet::new();

    fn walk(
        g: &DiGraph<Work, Cite>,
        n: NodeIndex,
        depth: usize,
        dir: Direction,
        entries: &mut BTreeMap<NodeIndex, ChainEntry>,
        on_path: &mut HashSet<NodeIndex>,
        expanded: &mut HashSet<NodeIndex>,
    ) {
        on_path.insert(n);
        expanded.insert(n);
        for e in g.edges_directed(n, dir) {
            let m = if dir == Direction::Outgoing { e.target() } else { e.source() };
            let (citing, cited) = if dir == Direction::Outgoing { (n, m) } else { (m, n) };
            let later = matches!((&g[citing].date, &g[cited].date), (Some(a), Some(b)) if b > a);
            let cycle = on_path.contains(&m);
            let entry = entries.entry(m).or_insert_with(|| ChainEntry { work: g[m].clone(), depth: depth + 1, links: Vec::new() });
            entry.depth = entry.depth.min(depth + 1);
            entry.links.push(ChainLink { other: g[n].clone(), verb: e.weight().verb.clone(), cites_later_document: later, closes_cycle: cycle });
            if !cycle && !later && !expanded.contains(&m) {
                walk(g, m, depth + 1, dir, entries, on_path, expanded);
            }
        }
        on_path.remove(&n);
    }
    walk(g, start, 0, dir, &mut entries, &mut on_path, &mut expanded);
    let mut entries: Vec<ChainEntry> = entries.into_values().collect();
    entries.sort_by(|a, b| match (&a.work.date, &b.work.date) {
        (Some(x), Some(y)) => x.cmp(y).then(a.work.title.cmp(&b.work.title)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.depth.cmp(&b.depth).then(a.work.title.cmp(&b.work.title)),
    });
    Chain { start: g[start].clone(), reverse, entries }
}

/// The chain as text: one line per work, oldest first, with who cites it.
pub fn render_text(c: &Chain) -> String {
    let mut out = String::new();
    let date = |w: &Work| w.date.clone().unwrap_or_else(|| "undated   ".into());
    let corpus = |w: &Work| w.doc.as_ref().map(|d| format!("  [{d}]")).unwrap_or_default();
    out.push_str(&format!("{}  {}{}\n", date(&c.start), c.start.title, corpus(&c.start)));
    out.push_str(if c.reverse { "is cited by:\n" } else { "builds on:\n" });
    for e in &c.entries {
        out.push_str(&format!("  {}  {}{}\n", date(&e.work), e.work.title, corpus(&e.work)));
        for l in &e.links {
            let role = if c.reverse { "cites" } else { "cited by" };
            let mut flags = String::new();
            if l.cites_later_document {
                flags.push_str("  ⚠ cites a later document");
            }
            if l.closes_cycle {
                flags.push_str("  ⚠ cycle");
            }
            let verb = l.verb.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
            out.push_str(&format!("      {role} {} {}{}{verb}{flags}\n", date(&l.other).trim(), l.other.title, corpus(&l.other)));
        }
    }
    if c.entries.is_empty() {
        out.push_str("  (nothing)\n");
    }
    out
}
