//! The relation network, built from the store: entities as nodes; typed
//! relations and paragraph co-mentions as weighted, undirected edges, each
//! remembering the sentences that support it.

use std::collections::HashMap;

use oxigraph::model::Term;
use petgraph::graph::{NodeIndex, UnGraph};

use crate::graph::sparql::{display_term, select_rows};
use crate::graph::vocab::{entities_graph, entity_id, relation_predicate};
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
}

fn text(t: &Option<Term>) -> String {
    t.as_ref().map(display_term).unwrap_or_default()
}

impl Network {
    /// Reads the network from the store.
    pub fn from_store(store: &GraphStore) -> anyhow::Result<Self> {
        let mut graph = RelationGraph::default();
        let mut index = HashMap::new();
        let (_, rows) = select_rows(
            store.inner(),
            &format!(
                "SELECT ?e ?type (MIN(?l) AS ?label) (MIN(?en) AS ?english) WHERE {{ GRAPH <{}> {{ ?e a ?type ; skos:prefLabel ?l . OPTIONAL {{ ?e rdfs:label ?en }} }} }} GROUP BY ?e ?type ORDER BY ?e",
                entities_graph().as_str()
            ),
        )?;
        for r in rows {
            let Some(Term::NamedNode(e)) = &r[0] else { continue };
            let Some(id) = entity_id(e.as_str()) else { continue };
            let type_name = text(&r[1]);
            let Some(t) = EntityType::parse(type_name.trim_start_matches("dg:")) else { continue };
            if index.contains_key(id) {
                continue;
            }
            let english = Some(text(&r[3])).filter(|s| !s.is_empty());
            let node = graph.add_node(Node { id: id.to_owned(), label: text(&r[2]), english, entity_type: t });
            index.insert(id.to_owned(), node);
        }
        let mut net = Self { graph, index };

        let (_, rows) = select_rows(
            store.inner(),
            "SELECT ?s ?p ?o ?doc ?sentence WHERE { GRAPH ?doc { ?r a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence } FILTER(isIRI(?o)) } ORDER BY ?doc ?s ?p ?o",
        )?;
        for r in rows {
            let (s, o) = (text(&r[0]), text(&r[2]));
            let predicate = match &r[1] {
                Some(Term::NamedNode(p)) => relation_predicate(p.as_str()),
                _ => continue,
            };
            let ev = Evidence { predicate, subject: s.clone(), doc: doc_id(&r[3]), sentence: text(&r[4]) };
            net.link(&s, &o, 1.0, true, ev);
        }
        let (_, rows) = select_rows(
            store.inner(),
            "SELECT ?a ?b ?n ?doc ?sentence WHERE { GRAPH ?doc { ?c a dg:CoMention ; dg:entity ?a, ?b ; dg:count ?n ; prov:wasDerivedFrom ?st . ?st nif:anchorOf ?sentence FILTER(STR(?a) < STR(?b)) } } ORDER BY ?doc ?a ?b",
        )?;
        for r in rows {
            let (a, b) = (text(&r[0]), text(&r[1]));
            let n: f64 = text(&r[2]).parse().unwrap_or(1.0);
            let ev = Evidence { predicate: "co_mention".into(), subject: a.clone(), doc: doc_id(&r[3]), sentence: text(&r[4]) };
            net.link(&a, &b, n, false, ev);
        }
        Ok(net)
    }

    fn link(&mut self, a: &str, b: &str, weight: f64, relation: bool, evidence: Evidence) {
        let (Some(&x), Some(&y)) = (self.index.get(a), self.index.get(b)) else { return };
        if x == y {
            return;
        }
        let e = match self.graph.find_edge(x, y) {
            Some(e) => e,
            None => self.graph.add_edge(x, y, Link::default()),
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
    text(t).rsplit("doc/").next().unwrap_or_default().to_owned()
}
