//! The relation network, built from the store: entities as nodes; typed
//! relations and paragraph co-mentions as weighted, undirected edges, each
//! remembering the documents that state it. A [`NetworkFilter`] narrows it to
//! some entity types, some years, or typed relations only.

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::{NamedNode, Term};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use crate::graph::sparql::{cell, document_cell, select_rows};
use crate::graph::vocab::{dg, document_id, entities_graph, entity_id, iri, relation_predicate, DG, ELI, OWL, RDF, RDFS, SKOS, WD};
use crate::graph::mapping::NetworkEdges;
use super::suggest::{did_you_mean, hint, Candidate};
use crate::graph::GraphStore;
use crate::model::EntityType;

/// An entity in the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub english: Option<String>,
    /// Wikidata id (`Q148`), when the gazetteer knows it.
    pub wikidata: Option<String>,
    pub entity_type: EntityType,
}

/// Why two entities are linked: a typed relation or a co-mention, in a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// `co_mention` or a relation predicate (`supports`, `hosts`…), read subject → object.
    pub predicate: String,
    pub subject: String,
    pub doc: String,
    pub sentence: String,
    /// What this document adds to the link's weight (1 for a relation, the
    /// paragraph count for a co-mention); 0 on evidence read with its sentence.
    #[serde(skip)]
    pub weight: u32,
    /// The document's signing year, when it has one.
    #[serde(skip)]
    pub year: Option<i32>,
}

impl Evidence {
    pub fn is_typed(&self) -> bool {
        self.predicate != CO_MENTION
    }
}

/// The predicate of paragraph co-mentions, beside the typed relations.
pub const CO_MENTION: &str = "co_mention";

/// A span of signing years, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Years {
    pub since: Option<i32>,
    pub until: Option<i32>,
}

impl Years {
    pub fn is_all(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether a document of this signing year falls inside; with a bound,
    /// an undated document does not.
    pub fn contains(&self, year: Option<i32>) -> bool {
        match year {
            Some(y) => self.since.is_none_or(|s| y >= s) && self.until.is_none_or(|u| y <= u),
            None => self.is_all(),
        }
    }

    /// "2019–2024", "since 2019", "until 2020", or "" for all years.
    pub fn describe(&self) -> String {
        match (self.since, self.until) {
            (Some(s), Some(u)) => format!("{s}–{u}"),
            (Some(s), None) => format!("since {s}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => String::new(),
        }
    }
}

/// The year of a `YYYY…` date.
pub fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

/// Which part of the network to keep. The default keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkFilter {
    /// Only entities of these types (every type when empty).
    pub types: Vec<EntityType>,
    /// Only links stated by documents signed in these years.
    pub years: Years,
    /// Only typed relations, no co-mentions.
    pub typed: bool,
}

impl NetworkFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub fn keeps_type(&self, t: EntityType) -> bool {
        self.types.is_empty() || self.types.contains(&t)
    }

    /// " (typed relations; Party, Organization; 2019–2024)", or "" when it keeps everything.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.typed {
            parts.push("typed relations".to_owned());
        }
        if !self.types.is_empty() {
            parts.push(self.types.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "));
        }
        if !self.years.is_all() {
            parts.push(self.years.describe());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        }
    }

    /// Whether it keeps a document's statement of a link.
    pub fn keeps(&self, evidence: &Evidence) -> bool {
        (!self.typed || evidence.is_typed()) && self.years.contains(evidence.year)
    }

    /// Whether the filter removes links (not only entities of other types).
    fn narrows_links(&self) -> bool {
        self.typed || !self.years.is_all()
    }
}

/// An edge: total weight (relations count 1 each, co-mentions their
/// paragraph count), how many typed relations, and every statement of it,
/// the typed relations first.
#[derive(Debug, Clone, Default)]
pub struct Link {
    pub weight: f64,
    pub relations: usize,
    pub evidence: Vec<Evidence>,
}

impl Link {
    /// The statements of typed relations: they come first in `evidence`
    /// (see [`Network::settle`]), so a hub's many co-mentions are not walked.
    pub fn typed(&self) -> &[Evidence] {
        &self.evidence[..self.relations]
    }

    /// The first and last signing year of the documents stating it (`None`
    /// when all of them are undated).
    pub fn years(&self) -> Option<(i32, i32)> {
        let mut years = self.evidence.iter().filter_map(|ev| ev.year);
        let first = years.next()?;
        Some(years.fold((first, first), |(lo, hi), y| (lo.min(y), hi.max(y))))
    }
}

pub type RelationGraph = UnGraph<Node, Link>;

/// The relation network and a lookup from entity id to node.
pub struct Network {
    pub graph: RelationGraph,
    pub index: HashMap<String, NodeIndex>,
    /// The signing year of each dated document.
    pub doc_years: HashMap<String, i32>,
    /// The edge between two nodes, keyed lower index first: petgraph's
    /// `find_edge` walks a node's neighbours, and hubs have thousands.
    edges: HashMap<(NodeIndex, NodeIndex), EdgeIndex>,
}

impl Network {
    /// Reads the network from the store.
    pub fn from_store(store: &GraphStore) -> anyhow::Result<Self> {
        let mut graph = RelationGraph::default();
        let mut index = HashMap::new();
        // Entities, from the indexes of the entity graph: type, labels.
        let g = entities_graph();
        let in_entities = Some(oxigraph::model::GraphNameRef::NamedNode(g.as_ref()));
        let scan = |p: NamedNode| -> anyhow::Result<Vec<(String, Term)>> {
            let mut out = Vec::new();
            for q in store.inner().quads_for_pattern(None, Some(p.as_ref()), None, in_entities) {
                let q = q?;
                if let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &q.subject {
                    out.push((s.as_str().to_owned(), q.object));
                }
            }
            Ok(out)
        };
        let mut labels: HashMap<String, String> = HashMap::new();
        for (e, o) in scan(iri(SKOS, "prefLabel"))? {
            if let Term::Literal(l) = o {
                let v = labels.entry(e).or_insert_with(|| l.value().to_owned());
                if l.value() < v.as_str() {
                    *v = l.value().to_owned();
                }
            }
        }
        let mut english: HashMap<String, String> = HashMap::new();
        for (e, o) in scan(iri(RDFS, "label"))? {
            if let Term::Literal(l) = o {
                if l.language() == Some("en") {
                    english.entry(e).or_insert_with(|| l.value().to_owned());
                }
            }
        }
        let mut wikidata: HashMap<String, String> = HashMap::new();
        for (e, o) in scan(iri(OWL, "sameAs"))? {
            if let Term::NamedNode(q) = o {
                if let Some(id) = q.as_str().strip_prefix(WD) {
                    wikidata.entry(e).or_insert_with(|| id.to_owned());
                }
            }
        }
        let mut typed: Vec<(String, EntityType)> = scan(iri(RDF, "type"))?
            .into_iter()
            .filter_map(|(e, o)| match o {
                Term::NamedNode(t) => EntityType::parse(t.as_str().strip_prefix(DG)?).map(|t| (e, t)),
                _ => None,
            })
            .collect();
        typed.sort();
        for (e, t) in typed {
            let Some(id) = entity_id(&e) else { continue };
            if index.contains_key(id) {
                continue;
            }
            let node = graph.add_node(Node {
                id: id.to_owned(),
                label: labels.get(&e).cloned().unwrap_or_default(),
                english: english.get(&e).cloned(),
                wikidata: wikidata.remove(&e),
                entity_type: t,
            });
            index.insert(id.to_owned(), node);
        }
        let mut doc_years = HashMap::new();
        for q in store.inner().quads_for_pattern(None, Some(iri(ELI, "date_document").as_ref()), None, None) {
            let q = q?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(d), Term::Literal(l)) = (&q.subject, &q.object) {
                if let (Some(doc), Some(year)) = (document_id(d.as_str()), year_of(l.value())) {
                    doc_years.insert(doc.to_owned(), year);
                }
            }
        }
        let mut net = Self { graph, index, doc_years, edges: HashMap::new() };

        // Edges, from each document's digest of its relations and co-mentions
        // (evidence sentences are read only when a path needs them). Two
        // documents with one id share a graph and its nodes; their digests
        // merge the same way.
        let mut digests: BTreeMap<String, NetworkEdges> = BTreeMap::new();
        for q in store.inner().quads_for_pattern(None, Some(dg("networkEdges").as_ref()), None, None) {
            let q = q?;
            if let (oxigraph::model::GraphName::NamedNode(g), Term::Literal(l)) = (&q.graph_name, &q.object) {
                let digest = digests.entry(document_id(g.as_str()).unwrap_or_default().to_owned()).or_default();
                for (s, p, o, w) in NetworkEdges::parse(l.value()) {
                    digest.add(s, p, o, w);
                }
            }
        }
        let mut undigested = 0usize;
        for q in store.inner().quads_for_pattern(None, Some(iri(RDF, "type").as_ref()), Some(dg("Document").as_ref().into()), None) {
            if let oxigraph::model::GraphName::NamedNode(g) = q?.graph_name {
                undigested += usize::from(!digests.contains_key(document_id(g.as_str()).unwrap_or_default()));
            }
        }
        if undigested > 0 {
            anyhow::bail!("{undigested} document(s) in the store were written by an older diplograph, without dg:networkEdges; run `diplograph ingest` on their sources again");
        }
        for (doc, edges) in &digests {
            for ((s, p, o), w) in edges.iter() {
                let year = net.doc_years.get(doc).copied();
                let ev = Evidence { predicate: p.to_owned(), subject: s.to_owned(), doc: doc.clone(), sentence: String::new(), weight: w, year };
                net.link(s, o, ev);
            }
        }
        net.settle();
        Ok(net)
    }

    /// Puts each link's typed relations before its co-mentions (in the
    /// order they were added), as [`Link::typed`] expects.
    fn settle(&mut self) {
        for link in self.graph.edge_weights_mut() {
            link.evidence.sort_by_key(|ev| !ev.is_typed());
        }
    }

    /// Reads the network from the store, narrowed by `filter`.
    pub fn read(store: &GraphStore, filter: &NetworkFilter) -> anyhow::Result<Self> {
        let net = Self::from_store(store)?;
        Ok(if filter.is_empty() { net } else { net.filtered(filter) })
    }

    /// The part of the network `filter` keeps: entities of its types, links
    /// stated by documents of its years (typed relations only, if asked).
    /// When links are filtered, entities left without any are dropped.
    pub fn filtered(&self, filter: &NetworkFilter) -> Self {
        let g = &self.graph;
        let kept_evidence = |ev: &&Evidence| filter.keeps(ev);
        let mut linked = vec![!filter.narrows_links(); g.node_count()];
        let mut links = Vec::new();
        for e in g.edge_references() {
            let (a, b) = (e.source(), e.target());
            if !(filter.keeps_type(g[a].entity_type) && filter.keeps_type(g[b].entity_type)) {
                continue;
            }
            let evidence: Vec<&Evidence> = e.weight().evidence.iter().filter(kept_evidence).collect();
            if !evidence.is_empty() {
                linked[a.index()] = true;
                linked[b.index()] = true;
                links.push((a, b, evidence));
            }
        }
        let mut net = Self { graph: RelationGraph::default(), index: HashMap::new(), doc_years: self.doc_years.clone(), edges: HashMap::new() };
        for n in g.node_indices() {
            if filter.keeps_type(g[n].entity_type) && linked[n.index()] {
                let m = net.graph.add_node(g[n].clone());
                net.index.insert(g[n].id.clone(), m);
            }
        }
        for (a, b, evidence) in links {
            for ev in evidence {
                net.link(&g[a].id, &g[b].id, ev.clone());
            }
        }
        net.settle();
        net
    }

    /// The link between two entities, if any.
    pub fn link_between(&self, a: NodeIndex, b: NodeIndex) -> Option<&Link> {
        self.edges.get(&(a.min(b), a.max(b))).map(|&e| &self.graph[e])
    }

    /// A link's weight counting only the statements `filter` keeps (its
    /// types are not looked at: they concern the ends).
    pub fn kept_weight(&self, link: &Link, filter: &NetworkFilter) -> f64 {
        if !filter.narrows_links() {
            return link.weight;
        }
        link.evidence
            .iter()
            .filter(|ev| filter.keeps(ev))
            .map(|ev| f64::from(ev.weight))
            .sum()
    }

    /// The `cap` neighbours of `center` most strongly linked to it, counting
    /// only what `filter` keeps, with those weights, strongest first. Reads
    /// only the centre's links, so it is quick on any network.
    pub fn strongest_neighbours(&self, center: NodeIndex, filter: &NetworkFilter, cap: usize) -> Vec<(NodeIndex, f64)> {
        let mut out: Vec<(NodeIndex, f64)> = self
            .graph
            .edges(center)
            .filter_map(|e| {
                let other = if e.source() == center { e.target() } else { e.source() };
                let weight = self.kept_weight(e.weight(), filter);
                (other != center && weight > 0.0 && filter.keeps_type(self.graph[other].entity_type)).then_some((other, weight))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(cap);
        out
    }


    /// The sentences behind the link of `a` and `b`: typed relations first,
    /// then co-mentions, each by the sentence naming both or, when no
    /// sentence of the paragraph names both, the two sentences naming each.
    pub fn evidence(&self, store: &GraphStore, a: &str, b: &str) -> anyhow::Result<Vec<Evidence>> {
        let (ea, eb) = (crate::graph::vocab::entity(a), crate::graph::vocab::entity(b));
        let query = format!(
            "SELECT ?kind ?p ?s ?doc ?sentence ?node ?begin WHERE {{ \
               {{ GRAPH ?doc {{ ?node rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence ; nif:beginIndex ?begin \
                  FILTER((?s = <{a}> && ?o = <{b}>) || (?s = <{b}> && ?o = <{a}>)) }} BIND(\"relation\" AS ?kind) }} \
               UNION {{ GRAPH ?doc {{ ?node dg:entity <{a}>, <{b}> ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence ; nif:beginIndex ?begin }} \
                  BIND(\"co_mention\" AS ?kind) BIND(<{a}> AS ?s) }} \
             }} ORDER BY DESC(?kind) ?doc ?node ?begin",
            a = ea.as_str(),
            b = eb.as_str()
        );
        let (_, rows) = select_rows(store.inner(), &query)?;
        let mut out: Vec<Evidence> = Vec::new();
        let mut last_node = None;
        for r in &rows {
            // A co-mention's two sentences (in text order) are one piece of evidence.
            if last_node.is_some() && last_node == r[5] {
                if let Some(e) = out.last_mut() {
                    e.sentence.push_str(" … ");
                    e.sentence.push_str(&cell(&r[4]));
                }
                continue;
            }
            last_node = r[5].clone();
            let kind = cell(&r[0]);
            let predicate = if kind == "relation" {
                match &r[1] {
                    Some(Term::NamedNode(p)) => relation_predicate(p.as_str()),
                    _ => kind,
                }
            } else {
                kind
            };
            let doc = document_cell(&r[3]);
            let year = self.doc_years.get(&doc).copied();
            out.push(Evidence { predicate, subject: cell(&r[2]), doc, sentence: cell(&r[4]), weight: 0, year });
        }
        Ok(out)
    }

    /// Adds a document's statement of a link between `a` and `b`.
    fn link(&mut self, a: &str, b: &str, evidence: Evidence) {
        let (Some(&x), Some(&y)) = (self.index.get(a), self.index.get(b)) else { return };
        if x == y {
            return;
        }
        let key = (x.min(y), x.max(y));
        let e = match self.edges.get(&key) {
            Some(&e) => e,
            None => {
                let e = self.graph.add_edge(x, y, Link::default());
                self.edges.insert(key, e);
                e
            }
        };
        let link = &mut self.graph[e];
        link.weight += f64::from(evidence.weight);
        link.relations += usize::from(evidence.is_typed());
        link.evidence.push(evidence);
    }

    /// Entities named by `name`: an id, a preferred label, an English label, or any surface form.
    pub fn find(&self, store: &GraphStore, name: &str) -> anyhow::Result<Vec<NodeIndex>> {
        if let Some(&n) = self.index.get(name) {
            return Ok(vec![n]);
        }
        let mut found: Vec<NodeIndex> = entity_ids_named(store, name)?.iter().filter_map(|id| self.index.get(id).copied()).collect();
        found.sort();
        found.dedup();
        Ok(found)
    }

    /// The one entity `name` names (see [`Network::find`]); an ambiguous name
    /// lists the ids to choose from, a name that names nothing the closest names.
    pub fn one(&self, store: &GraphStore, name: &str) -> anyhow::Result<NodeIndex> {
        match self.find(store, name)?.as_slice() {
            [] if !entity_ids_named(store, name)?.is_empty() => anyhow::bail!("{name:?} has no links in the network read (--types, --since/--until, --typed left them out)"),
            [] => anyhow::bail!("no entity is named {name:?}{}", hint(&self.suggest(name))),
            [n] => Ok(*n),
            many => anyhow::bail!(
                "{name:?} names {} entities; use an id: {}",
                many.len(),
                many.iter().map(|n| format!("{} ({})", self.graph[*n].id, self.graph[*n].label)).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// Entities named like `name` (label, English label or id), best first.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let candidates: Vec<Candidate> = self
            .graph
            .node_indices()
            .map(|i| (&self.graph[i], self.graph.neighbors(i).count() as f64))
            .map(|(n, degree)| Candidate {
                shown: match &n.english {
                    Some(en) => format!("{} ({en})", n.label),
                    None => n.label.clone(),
                },
                names: [Some(n.label.clone()), n.english.clone(), Some(n.id.clone())].into_iter().flatten().collect(),
                weight: degree,
            })
            .collect();
        did_you_mean(name, &candidates, 5)
    }

    /// `center` and at most `cap` entities within `radius` hops of it: the
    /// nearer first, and among equally near ones those most strongly tied
    /// (by their heaviest link to an entity already taken).
    pub fn ego(&self, center: NodeIndex, radius: usize, cap: usize) -> Vec<NodeIndex> {
        let mut taken: HashSet<NodeIndex> = HashSet::from([center]);
        let mut frontier = vec![center];
        for _ in 0..radius {
            let mut tie: HashMap<NodeIndex, f64> = HashMap::new();
            for &n in &frontier {
                for e in self.graph.edges(n) {
                    let m = if e.source() == n { e.target() } else { e.source() };
                    if !taken.contains(&m) {
                        let w = tie.entry(m).or_insert(0.0);
                        *w = w.max(e.weight().weight);
                    }
                }
            }
            let mut ring: Vec<(NodeIndex, f64)> = tie.into_iter().collect();
            ring.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            ring.truncate((cap + 1).saturating_sub(taken.len()));
            frontier = ring.iter().map(|&(n, _)| n).collect();
            taken.extend(&frontier);
            if frontier.is_empty() {
                break;
            }
        }
        let mut nodes: Vec<NodeIndex> = taken.into_iter().collect();
        nodes.sort();
        nodes
    }
}

/// Ids of the entities that have `name` as preferred label, English label
/// or surface form.
pub fn entity_ids_named(store: &GraphStore, name: &str) -> anyhow::Result<Vec<String>> {
    let literal = serde_json::to_string(name)?;
    let (_, rows) = select_rows(
        store.inner(),
        &format!("SELECT DISTINCT ?e WHERE {{ {{ ?e skos:prefLabel ?l }} UNION {{ ?e skos:altLabel ?l }} UNION {{ ?e rdfs:label ?l }} FILTER(STR(?l) = {literal}) }}"),
    )?;
    Ok(rows.iter().map(|r| cell(&r[0])).collect())
}

