//! Centrality and community measures on undirected, weighted graphs.
//!
//! petgraph has no betweenness and its PageRank ignores weights, so both are
//! here: PageRank by power iteration with edge weights, betweenness by
//! Brandes' algorithm (unweighted shortest paths), components with
//! petgraph's union-find. Communities are in `communities`.

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

/// Sum of the weights of a node's edges.
pub fn weighted_degree<N, E>(g: &UnGraph<N, E>, weight: impl Fn(&E) -> f64) -> Vec<f64> {
    g.node_indices().map(|n| g.edges(n).map(|e| weight(e.weight())).sum()).collect()
}

/// Weighted PageRank: a random walk follows an edge with probability
/// proportional to its weight, and jumps anywhere with probability
/// `1 - damping`; a node without edges spreads its rank evenly.
pub fn page_rank<N, E>(g: &UnGraph<N, E>, weight: impl Fn(&E) -> f64, damping: f64, iterations: usize) -> Vec<f64> {
    let n = g.node_count();
    if n == 0 {
        return Vec::new();
    }
    let strength = weighted_degree(g, &weight);
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..iterations {
        let dangling: f64 = g.node_indices().filter(|v| strength[v.index()] == 0.0).map(|v| rank[v.index()]).sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        let mut next = vec![base; n];
        for e in g.edge_references() {
            let (a, b, w) = (e.source().index(), e.target().index(), weight(e.weight()));
            next[b] += damping * rank[a] * w / strength[a];
            next[a] += damping * rank[b] * w / strength[b];
        }
        let delta: f64 = next.iter().zip(&rank).map(|(x, y)| (x - y).abs()).sum();
        rank = next;
        if delta < 1e-12 {
            break;
        }
    }
    rank
}

/// Brandes' betweenness centrality for an undirected graph (each pair counted
/// once), not normalized.
pub fn betweenness<N, E>(g: &UnGraph<N, E>) -> Vec<f64> {
    betweenness_from(g, g.node_indices(), 1.0)
}

/// Betweenness from `pivots` sources only, scaled up to all sources
/// (Brandes & Pich 2007): exact when every node is a pivot. Pivots are spread
/// evenly over the node order, so runs are repeatable.
pub fn betweenness_sampled<N, E>(g: &UnGraph<N, E>, pivots: usize) -> Vec<f64> {
    let n = g.node_count();
    if pivots >= n {
        return betweenness(g);
    }
    let step = n as f64 / pivots as f64;
    let sources = (0..pivots).map(|i| NodeIndex::new((i as f64 * step) as usize));
    betweenness_from(g, sources, n as f64 / pivots as f64)
}

fn betweenness_from<N, E>(g: &UnGraph<N, E>, sources: impl Iterator<Item = NodeIndex>, scale: f64) -> Vec<f64> {
    use rayon::prelude::*;
    let n = g.node_count();
    let adjacency = Adjacency::of(g);
    let sources: Vec<usize> = sources.map(|s| s.index()).collect();
    // Fixed chunks summed in order: the result does not depend on how
    // rayon schedules them.
    let partials: Vec<Vec<f64>> = sources
        .par_chunks(64)
        .map(|chunk| {
            let mut run = BrandesRun::new(n);
            let mut cb = vec![0.0; n];
            for &s in chunk {
                run.accumulate(&adjacency, s, &mut cb);
            }
            cb
        })
        .collect();
    let mut cb = vec![0.0; n];
    for partial in partials {
        for (total, x) in cb.iter_mut().zip(partial) {
            *total += x;
        }
    }
    // Each shortest path was counted from both of its ends.
    cb.iter().map(|x| x * scale / 2.0).collect()
}

/// Neighbour lists in one array (compressed sparse rows): a breadth-first
/// search walks contiguous memory instead of petgraph's edge lists.
struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    fn of<N, E>(g: &UnGraph<N, E>) -> Self {
        let mut offsets = Vec::with_capacity(g.node_count() + 1);
        let mut targets = Vec::with_capacity(2 * g.edge_count());
        offsets.push(0);
        for v in g.node_indices() {
            targets.extend(g.neighbors(v).map(|w| w.index()));
            offsets.push(targets.len());
        }
        Self { offsets, targets }
    }

    fn neighbors(&self, v: usize) -> &[usize] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }
}

/// One source's pass of Brandes' algorithm, with buffers reused across sources.
struct BrandesRun {
    order: Vec<usize>,
    sigma: Vec<f64>,
    dist: Vec<i64>,
    delta: Vec<f64>,
}

impl BrandesRun {
    fn new(n: usize) -> Self {
        Self { order: Vec::with_capacity(n), sigma: vec![0.0; n], dist: vec![-1; n], delta: vec![0.0; n] }
    }

    /// Adds the dependencies of every node on `s` to `cb`.
    fn accumulate(&mut self, adjacency: &Adjacency, s: usize, cb: &mut [f64]) {
        let Self { order, sigma, dist, delta } = self;
        sigma[s] = 1.0;
        dist[s] = 0;
        order.push(s);
        // `order` doubles as the queue: nodes are appended in breadth-first order.
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            for &w in adjacency.neighbors(v) {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    order.push(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        // Predecessors are the neighbours one step nearer to `s`.
        for &w in order.iter().rev() {
            for &v in adjacency.neighbors(w) {
                if dist[v] == dist[w] - 1 {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
        for &v in order.iter() {
            sigma[v] = 0.0;
            dist[v] = -1;
            delta[v] = 0.0;
        }
        order.clear();
    }
}

/// Connected component of each node (numbered from 0 by smallest member).
pub fn components<N, E>(g: &UnGraph<N, E>) -> Vec<usize> {
    let mut uf = UnionFind::new(g.node_count());
    for e in g.edge_references() {
        uf.union(e.source().index(), e.target().index());
    }
    super::communities::renumbered(&uf.into_labeling()).0
}

/// A graph of `n` nodes and weighted edges between them, for tests.
#[cfg(test)]
pub(crate) fn graph(n: usize, edges: &[(usize, usize, f64)]) -> UnGraph<(), f64> {
    let mut g = UnGraph::new_undirected();
    let nodes: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
    for &(a, b, w) in edges {
        g.add_edge(nodes[a], nodes[b], w);
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-6, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // Path 0-1-2-3: node 1 lies on (0,2) and (0,3); node 2 on (0,3) and (1,3).
        close(&betweenness(&graph(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)])), &[0.0, 2.0, 2.0, 0.0]);
        // Star with centre 0 and 4 leaves: the centre lies on all C(4,2) = 6 leaf pairs.
        close(&betweenness(&graph(5, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)])), &[6.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn betweenness_splits_over_equal_paths() {
        // Square 0-1-2-3-0: the pair (0,2) has two shortest paths, via 1 and via 3.
        close(&betweenness(&graph(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)])), &[0.5, 0.5, 0.5, 0.5]);
    }

    #[test]
    fn sampled_betweenness_is_exact_with_every_pivot_and_close_with_some() {
        let edges: Vec<(usize, usize, f64)> = (0..40).map(|i| (i, i + 1, 1.0)).chain((0..40).step_by(5).map(|i| (i, 40 - i, 1.0))).collect();
        let g = graph(41, &edges);
        let exact = betweenness(&g);
        close(&betweenness_sampled(&g, 41), &exact);
        let approx = betweenness_sampled(&g, 20);
        let top = |v: &[f64]| v.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
        let total: f64 = exact.iter().sum();
        let err: f64 = exact.iter().zip(&approx).map(|(a, b)| (a - b).abs()).sum();
        assert!(err / total < 0.5, "relative error {}", err / total);
        assert!(exact[top(&approx)] > 0.5 * exact[top(&exact)]);
    }

    #[test]
    fn page_rank_by_hand() {
        // Path 0-1-2, d = 0.85. By symmetry r0 = r2 = x, r1 = y, x + y + x = 1;
        // x = 0.05 + 0.85 * y / 2, y = 0.05 + 0.85 * 2x  =>  y = 0.05 + 1.7(0.05 + 0.425y)
        // => y (1 - 0.7225) = 0.135  =>  y = 0.486486..., x = 0.256756...
        let r = page_rank(&graph(3, &[(0, 1, 1.0), (1, 2, 1.0)]), |w| *w, 0.85, 200);
        close(&r, &[0.2567567567, 0.4864864865, 0.2567567567]);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn page_rank_follows_weights() {
        // Node 1 is tied to 0 by weight 3 and to 2 by weight 1: 0 gets more rank than 2.
        let r = page_rank(&graph(3, &[(0, 1, 3.0), (1, 2, 1.0)]), |w| *w, 0.85, 200);
        assert!(r[0] > r[2]);
        // Equal weights give the unweighted result.
        let u = page_rank(&graph(3, &[(0, 1, 2.0), (1, 2, 2.0)]), |w| *w, 0.85, 200);
        close(&u, &[0.2567567567, 0.4864864865, 0.2567567567]);
    }

    #[test]
    fn components() {
        // Two triangles joined by a weak edge, and an isolated node.
        let g = graph(7, &[(0, 1, 5.0), (1, 2, 5.0), (2, 0, 5.0), (3, 4, 5.0), (4, 5, 5.0), (5, 3, 5.0), (2, 3, 1.0)]);
        assert_eq!(super::components(&g), [0, 0, 0, 0, 0, 0, 1]);
    }
}
