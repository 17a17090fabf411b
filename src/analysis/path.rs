//! The shortest path between two entities, each hop with the sentences that support it.

use petgraph::graph::NodeIndex;

use super::network::{Evidence, Network, NetworkFilter};
use crate::graph::GraphStore;

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

/// The fewest-hops path from `a` to `b` (`None` when they are not
/// connected), each hop with its supporting sentences from the store, those
/// that `filter` keeps (the filter `net` was read with).
pub fn shortest_path(net: &Network, store: &GraphStore, a: NodeIndex, b: NodeIndex, filter: &NetworkFilter) -> anyhow::Result<Option<Vec<Hop>>> {
    let g = &net.graph;
    let Some((_, nodes)) = petgraph::algo::astar(g, a, |n| n == b, |_| 1usize, |_| 0) else { return Ok(None) };
    let mut hops = Vec::with_capacity(nodes.len());
    for w in nodes.windows(2) {
        let (from, to) = (&g[w[0]], &g[w[1]]);
        let mut evidence = net.evidence(store, &from.id, &to.id)?;
        evidence.retain(|ev| filter.keeps(ev));
        hops.push(Hop { from: from.id.clone(), to: to.id.clone(), from_label: from.label.clone(), to_label: to.label.clone(), evidence });
    }
    Ok(Some(hops))
}
