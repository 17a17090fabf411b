//! Communities by modularity: the Louvain method (Blondel et al. 2008) on a
//! weighted, undirected graph. Each pass moves single entities to the
//! neighbouring community that raises modularity most, then merges every
//! community into one node and starts again, until no move helps. Nodes are
//! visited in index order, so the result is the same on every run.

use petgraph::graph::UnGraph;
use petgraph::visit::EdgeRef;

/// A partition of the nodes and its modularity.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// The community of each node, numbered from 0 in order of first member.
    pub of: Vec<usize>,
    pub modularity: f64,
}

impl Communities {
    /// Members of each community, indexed by community.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.of.iter().max().map_or(0, |m| m + 1)];
        for &c in &self.of {
            sizes[c] += 1;
        }
        sizes
    }
}

/// A graph being coarsened: weighted neighbour lists, and each node's
/// self-loop (the weight inside the community it stands for, counted twice
/// as in the adjacency matrix).
struct Level {
    neighbours: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

impl Level {
    fn strength(&self, i: usize) -> f64 {
        self.self_loops[i] + self.neighbours[i].iter().map(|(_, w)| w).sum::<f64>()
    }
}

/// Louvain communities of `g`; `resolution` 1.0 is plain modularity.
pub fn louvain<N, E>(g: &UnGraph<N, E>, weight: impl Fn(&E) -> f64, resolution: f64) -> Communities {
    let n = g.node_count();
    let mut level = Level { neighbours: vec![Vec::new(); n], self_loops: vec![0.0; n] };
    for e in g.edge_references() {
        let (a, b, w) = (e.source().index(), e.target().index(), weight(e.weight()));
        if a == b {
            level.self_loops[a] += 2.0 * w;
        } else {
            level.neighbours[a].push((b, w));
            level.neighbours[b].push((a, w));
        }
    }
    let total: f64 = (0..n).map(|i| level.strength(i)).sum();
    // The community of every original node, refined level by level.
    let mut of: Vec<usize> = (0..n).collect();
    if total > 0.0 {
        loop {
            let (moved, community) = move_nodes(&level, total, resolution);
            if !moved {
                break;
            }
            let (community, count) = renumbered(&community);
            for c in of.iter_mut() {
                *c = community[*c];
            }
            level = aggregate(&level, &community, count);
        }
    }
    let (of, _) = renumbered(&of);
    let modularity = modularity(g, weight, &of, resolution);
    Communities { of, modularity }
}

/// One pass of local moves until none raises modularity. Returns whether any
/// node moved, and each node's community.
fn move_nodes(level: &Level, total: f64, resolution: f64) -> (bool, Vec<usize>) {
    let n = level.neighbours.len();
    let strength: Vec<f64> = (0..n).map(|i| level.strength(i)).collect();
    let mut community: Vec<usize> = (0..n).collect();
    let mut community_strength = strength.clone();
    let mut tie = vec![0.0; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut moved_any = false;
    loop {
        let mut moved = false;
        for i in 0..n {
            let own = community[i];
            for &(j, w) in &level.neighbours[i] {
                let c = community[j];
                if tie[c] == 0.0 {
                    touched.push(c);
                }
                tie[c] += w;
            }
            community_strength[own] -= strength[i];
            // Gain of joining c, up to a factor common to all c.
            let gain = |c: usize, tie: &[f64]| tie[c] - resolution * community_strength[c] * strength[i] / total;
            let mut best = (own, gain(own, &tie));
            for &c in &touched {
                let g = gain(c, &tie);
                if g > best.1 + 1e-12 {
                    best = (c, g);
                }
            }
            community_strength[best.0] += strength[i];
            if best.0 != own {
                community[i] = best.0;
                moved = true;
            }
            for c in touched.drain(..) {
                tie[c] = 0.0;
            }
        }
        if !moved {
            break;
        }
        moved_any = true;
    }
    (moved_any, community)
}

/// One node per community: links between communities summed, links inside
/// one become its self-loop.
fn aggregate(level: &Level, community: &[usize], count: usize) -> Level {
    let mut self_loops = vec![0.0; count];
    let mut merged: Vec<std::collections::BTreeMap<usize, f64>> = vec![Default::default(); count];
    for (i, links) in level.neighbours.iter().enumerate() {
        let a = community[i];
        self_loops[a] += level.self_loops[i];
        for &(j, w) in links {
            let b = community[j];
            if a == b {
                self_loops[a] += w;
            } else {
                *merged[a].entry(b).or_default() += w;
            }
        }
    }
    Level { neighbours: merged.into_iter().map(|m| m.into_iter().collect()).collect(), self_loops }
}

/// Newman's modularity of a partition: the weight inside communities minus
/// what a random graph with the same strengths would put there.
pub fn modularity<N, E>(g: &UnGraph<N, E>, weight: impl Fn(&E) -> f64, of: &[usize], resolution: f64) -> f64 {
    let count = of.iter().max().map_or(0, |m| m + 1);
    let (mut inside, mut strength) = (vec![0.0; count], vec![0.0; count]);
    let mut total = 0.0;
    for e in g.edge_references() {
        let (a, b, w) = (of[e.source().index()], of[e.target().index()], weight(e.weight()));
        strength[a] += w;
        strength[b] += w;
        total += 2.0 * w;
        if a == b {
            inside[a] += 2.0 * w;
        }
    }
    if total == 0.0 {
        return 0.0;
    }
    (0..count).map(|c| inside[c] / total - resolution * (strength[c] / total).powi(2)).sum()
}

/// Labels renumbered 0, 1, 2… in order of first appearance, and how many there are.
pub(crate) fn renumbered(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut map = std::collections::HashMap::new();
    let out = labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(*l).or_insert(next)
        })
        .collect();
    (out, map.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::centrality::graph;

    #[test]
    fn modularity_by_hand() {
        // Two triangles joined by one edge: m = 7, each side's strengths sum
        // to 7 and holds 3 edges, so Q = 2 × (3/7 − (7/14)²) = 6/7 − 1/2.
        let g = graph(6, &[(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0), (3, 4, 1.0), (4, 5, 1.0), (5, 3, 1.0), (2, 3, 1.0)]);
        let q = modularity(&g, |w| *w, &[0, 0, 0, 1, 1, 1], 1.0);
        assert!((q - (6.0 / 7.0 - 0.5)).abs() < 1e-12, "{q}");
        // Everything in one community: Q = 1 − 1 = 0.
        assert!(modularity(&g, |w| *w, &[0; 6], 1.0).abs() < 1e-12);
    }

    #[test]
    fn louvain_finds_the_two_triangles_and_leaves_the_loner_alone() {
        let g = graph(7, &[(0, 1, 5.0), (1, 2, 5.0), (2, 0, 5.0), (3, 4, 5.0), (4, 5, 5.0), (5, 3, 5.0), (2, 3, 1.0)]);
        let c = louvain(&g, |w| *w, 1.0);
        assert_eq!(c.of, [0, 0, 0, 1, 1, 1, 2]);
        assert!((c.modularity - modularity(&g, |w| *w, &c.of, 1.0)).abs() < 1e-12);
        assert!(c.modularity > 0.4, "{}", c.modularity);
        assert_eq!(c.sizes(), [3, 3, 1]);
    }

    #[test]
    fn louvain_merges_communities_across_levels() {
        // Four 4-cliques in a ring of single links: local moves first form
        // the cliques; modularity is highest with each clique apart.
        let mut edges = Vec::new();
        for k in 0..4 {
            let b = 4 * k;
            for i in 0..4 {
                for j in i + 1..4 {
                    edges.push((b + i, b + j, 1.0));
                }
            }
            edges.push((b + 3, (b + 4) % 16, 1.0));
        }
        let g = graph(16, &edges);
        let c = louvain(&g, |w| *w, 1.0);
        for k in 0..4 {
            assert!(c.of[4 * k..4 * k + 4].iter().all(|&x| x == c.of[4 * k]), "{:?}", c.of);
        }
        assert_eq!(c.sizes().len(), 4, "{:?}", c.of);
        // A worse partition (pairs of cliques) scores lower.
        let pairs: Vec<usize> = (0..16).map(|i| i / 8).collect();
        assert!(c.modularity > modularity(&g, |w| *w, &pairs, 1.0));
    }

    #[test]
    fn a_graph_without_links_is_all_singletons() {
        let c = louvain(&graph(3, &[]), |w: &f64| *w, 1.0);
        assert_eq!(c.of, [0, 1, 2]);
        assert_eq!(c.modularity, 0.0);
    }
}
