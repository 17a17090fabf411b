//! The relation network, built from the store: entities as nodes; typed
//! relations and paragraph co-mentions as weighted, undirected edges, each
//! remembering the sentences that support it.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{NamedNode, Term};
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};

use crate::graph::sparql::{display_term, select_rows};
use crate::graph::vocab::{dg, document_id, entities_graph, entity_id, iri, relation_predicate, DG, RDF, RDFS, SKOS};
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
}

/// An edge: total weight (relations count 1 each, co-mentions their paragraph count).
#[derive(Debug, Clone, Default)]
pub struct Link {
    pub weight: f64,
    pub relations: usize,
    pub evidence: Vec<Evidence>,
}

pub type RelationGraph = UnGraph<Node, Link>;

/// The relation network and a lookup from entity id to node.
pub struct Network {
    pub graph: RelationGraph,
    pub index: HashMap<String, NodeIndex>,
    /// The edge between two nodes, keyed lower index first: petgraph's
    /// `find_edge` walks a node's neighbours, and hubs have thousands.
    edges: HashMap<(NodeIndex, NodeIndex), EdgeIndex>,
}

fn text(t: &Option<Term>) -> String {
    t.as_ref().map(display_term).unwrap_or_default()
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
            let node = graph.add_node(Node { id: id.to_owned(), label: labels.get(&e).cloned().unwrap_or_default(), english: english.get(&e).cloned(), entity_type: t });
            index.insert(id.to_owned(), node);
        }
        let mut net = Self { graph, index, edges: HashMap::new() };

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
                let relation = p != "co_mention";
                let ev = Evidence { predicate: p.to_owned(), subject: s.to_owned(), doc: doc.clone(), sentence: String::new() };
                net.link(s, o, f64::from(w), relation, ev);
            }
        }
        Ok(net)
    }

    /// The sentences behind the link of `a` and `b`: typed relations first, then co-mentions.
    pub fn evidence(&self, store: &GraphStore, a: &str, b: &str) -> anyhow::Result<Vec<Evidence>> {
        let (ea, eb) = (crate::graph::vocab::entity(a), crate::graph::vocab::entity(b));
        let query = format!(
            "SELECT ?kind ?p ?s ?doc ?sentence WHERE {{ \
               {{ GRAPH ?doc {{ ?r rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence \
                  FILTER((?s = <{a}> && ?o = <{b}>) || (?s = <{b}> && ?o = <{a}>)) }} BIND(\"relation\" AS ?kind) }} \
               UNION {{ GRAPH ?doc {{ ?c dg:entity <{a}>, <{b}> ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence }} BIND(\"co_mention\" AS ?kind) BIND(<{a}> AS ?s) }} \
             }} ORDER BY DESC(?kind) ?doc",
            a = ea.as_str(),
            b = eb.as_str()
        );
        let (_, rows) = select_rows(store.inner(), &query)?;
        Ok(rows
            .iter()
            .map(|r| {
                let kind = text(&r[0]);
                let predicate = if kind == "relation" {
                    match &r[1] {
                        Some(Term::NamedNode(p)) => relation_predicate(p.as_str()),
                        _ => kind,
                    }
                } else {
                    kind
                };
                Evidence { predicate, subject: text(&r[2]), doc: doc_id(&r[3]), sentence: text(&r[4]) }
            })
            .collect())
    }

    fn link(&mut self, a: &str, b: &str, weight: f64, relation: bool, evidence: Evidence) {
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
        link.weight += weight;
        link.relations += usize::from(relation);
        link.evidence.push(evidence);
    }

    /// Entity ids named by `name`: an id, a preferred label, an English label, or any surface form.
    pub fn find(&self, store: &GraphStore, name: &str) -> anyhow::Result<Vec<NodeIndex>> {
        if let Some(&n) = self.index.get(name) {
            return Ok(vec![n]);
        }
        let literal = serde_json::to_string(name)?;
        let (_, rows) = select_rows(
            store.inner(),
            &format!("SELECT DISTINCT ?e WHERE {{ {{ ?e skos:prefLabel ?l }} UNION {{ ?e skos:altLabel ?l }} UNION {{ ?e rdfs:label ?l }} FILTER(STR(?l) = {literal}) }}"),
        )?;
        let mut found: Vec<NodeIndex> = rows.iter().filter_map(|r| self.index.get(&text(&r[0])).copied()).collect();
        found.sort();
        found.dedup();
        Ok(found)
    }

    /// The one entity `name` names (see [`Network::find`]); an ambiguous name
    /// lists the ids to choose from, a name that names nothing the closest names.
    pub fn one(&self, store: &GraphStore, name: &str) -> anyhow::Result<NodeIndex> {
        match self.find(store, name)?.as_slice() {
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

    /// The subgraph of nodes within `radius` hops of `center`.
    pub fn ego(&self, center: NodeIndex, radius: usize) -> Vec<NodeIndex> {
        let mut dist: HashMap<NodeIndex, usize> = HashMap::from([(center, 0)]);
        let mut frontier = vec![center];
        for d in 1..=radius {
            let mut next = Vec::new();
            for n in frontier {
                for m in self.graph.neighbors(n) {
                    if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(m) {
                        v.insert(d);
                        next.push(m);
                    }
                }
            }
            frontier = next;
        }
        let mut nodes: Vec<NodeIndex> = dist.into_keys().collect();
        nodes.sort();
        nodes
    }
}

/// The document id of a graph name.
fn doc_id(t: &Option<Term>) -> String {
    match t {
        Some(Term::NamedNode(g)) => document_id(g.as_str()).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}
