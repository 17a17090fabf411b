//! The shortest path between two entities, each hop with the sentences that support it.

use petgraph::graph::NodeIndex;

use super::network::{Evidence, Network};

/// One step of a path.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hop {
    pub from: String,
    pub to: String,
    pub from_label: String,
    pub to_label: String,
    /// Typed relations first, then co-mentions.
    pub evidence: Vec<Evidence>,
}

/// The fewest-hops path from `a` to `b`, or `None` when they are not connected.
pub fn shortest_path(net: &Network, a: NodeIndex, b: NodeIndex) -> Option<Vec<Hop>> {
    let g = &net.graph;
    let (_, nodes) = petgraph::algo::astar(g, a, |n| n == b, |_| 1usize, |_| 0)?;
    Some(
        nodes
            .windows(2)
            .map(|w| {
                let e = g.find_edge(w[0], w[1]).expect("consecutive path nodes are linked");
                let mut evidence = g[e].evidence.clone();
                evidence.sort_by_key(|ev| ev.predicate == "co_mention");
                Hop { from: g[w[0]].id.clone(), to: g[w[1]].id.clone(), from_label: g[w[0]].label.clone(), to_label: g[w[1]].label.clone(), evidence }
            })
            .collect(),
    )
}
