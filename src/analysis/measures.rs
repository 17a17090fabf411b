//! `analyze`: every measure for every entity, and writing them back as RDF.

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad};

use super::centrality::{betweenness_sampled, components, page_rank, weighted_degree};
use super::communities::louvain;

/// Above this many entities, betweenness is estimated from this many pivot
/// sources (Brandes–Pich sampling) instead of computed from all of them.
pub const EXACT_BETWEENNESS_LIMIT: usize = 2000;
use super::network::Network;
use crate::graph::vocab::{self, dg};
use crate::graph::GraphStore;
use crate::model::EntityType;

/// The measures of one entity.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Measures {
    pub id: String,
    pub label: String,
    pub english: Option<String>,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub degree: usize,
    pub weighted_degree: f64,
    pub pagerank: f64,
    pub betweenness: f64,
    pub component: usize,
    pub community: usize,
}

/// Every entity's measures, and what the communities look like.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Sorted by PageRank, highest first.
    pub measures: Vec<Measures>,
    /// Modularity of the Louvain communities.
    pub modularity: f64,
    /// Members of each community, largest first.
    pub community_sizes: Vec<usize>,
}

/// Computes every measure.
pub fn analyze(net: &Network) -> Analysis {
    let g = &net.graph;
    let weight = |l: &super::network::Link| l.weight;
    let wdeg = weighted_degree(g, weight);
    let pr = page_rank(g, weight, 0.85, 100);
    let bc = betweenness_sampled(g, EXACT_BETWEENNESS_LIMIT);
    let comp = components(g);
    let communities = louvain(g, weight, 1.0);
    let comm = &communities.of;
    let mut out: Vec<Measures> = g
        .node_indices()
        .map(|n| {
            let node = &g[n];
            let i = n.index();
            Measures {
                id: node.id.clone(),
                label: node.label.clone(),
                english: node.english.clone(),
                entity_type: node.entity_type,
                degree: g.neighbors(n).count(),
                weighted_degree: wdeg[i],
                pagerank: pr[i],
                betweenness: bc[i],
                component: comp[i],
                community: comm[i],
            }
        })
        .collect();
    out.sort_by(|a, b| b.pagerank.total_cmp(&a.pagerank).then_with(|| a.id.cmp(&b.id)));
    let mut community_sizes = communities.sizes();
    community_sizes.sort_by(|a, b| b.cmp(a));
    Analysis { measures: out, modularity: communities.modularity, community_sizes }
}

/// The graph the measures are written to; replaced on every run.
pub fn analysis_graph() -> oxigraph::model::NamedNode {
    vocab::iri(vocab::ID, "graph/analysis")
}

/// Writes the measures into the analysis graph, replacing the previous run's.
pub fn write_back(store: &GraphStore, measures: &[Measures]) -> anyhow::Result<usize> {
    let graph = analysis_graph();
    let g = GraphName::NamedNode(graph.clone());
    let mut quads = Vec::with_capacity(measures.len() * 6);
    for m in measures {
        let s = NamedOrBlankNode::from(vocab::entity(&m.id));
        let mut add = |p: &str, o: Literal| quads.push(Quad::new(s.clone(), dg(p), o, g.clone()));
        add("degree", Literal::from(m.degree as i64));
        add("weightedDegree", Literal::from(m.weighted_degree));
        add("pageRank", Literal::from(m.pagerank));
        add("betweenness", Literal::from(m.betweenness));
        add("component", Literal::from(m.component as i64));
        add("community", Literal::from(m.community as i64));
    }
    let store = store.inner();
    let mut t = store.start_transaction()?;
    t.remove_named_graph(NamedOrBlankNode::from(graph.clone()).as_ref())?;
    for q in &quads {
        t.insert(q.as_ref());
    }
    t.commit()?;
    Ok(quads.len())
}
