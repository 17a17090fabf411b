//! Graphviz views: the relation network, an entity's neighbourhood, a
//! document's citation chain laid out by year, and the citation graph.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::chain::{Chain, CitationGraph, CitationScope, Work};
use super::network::{Link, Network};
use crate::model::EntityType;

/// The colour of an entity type, in every picture.
pub fn type_colour(t: EntityType) -> &'static str {
    style(t).1
}

/// Shape and colour of each entity type (also drawn in the legend).
fn style(t: EntityType) -> (&'static str, &'static str) {
    match t {
        EntityType::Party => ("doubleoctagon", "#4e79a7"),
        EntityType::Person => ("ellipse", "#f28e2b"),
        EntityType::Organization => ("box", "#59a14f"),
        EntityType::Treaty => ("note", "#e15759"),
        EntityType::Project => ("hexagon", "#b07aa1"),
        EntityType::Event => ("diamond", "#edc948"),
        EntityType::Place => ("house", "#76b7b2"),
        EntityType::Date => ("plaintext", "#bab0ac"),
    }
}

/// A DOT string literal: quotes, backslashes and line breaks escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn header(out: &mut String, name: &str, rankdir: &str) {
    let _ = writeln!(out, "digraph {} {{", quote(name));
    let _ = writeln!(out, "  graph [rankdir={rankdir}, fontname=\"Noto Sans CJK SC,sans-serif\", fontsize=11, newrank=true, overlap=false];");
    let _ = writeln!(out, "  node [fontname=\"Noto Sans CJK SC,sans-serif\", fontsize=10, style=filled, fillcolor=white];");
    let _ = writeln!(out, "  edge [fontname=\"Noto Sans CJK SC,sans-serif\", fontsize=8, color=\"#555555\"];");
}

/// The title and, below it, a key to the entity types and the two kinds
/// of edge, as the graph's label: a layout without clusters (neato) cannot
/// keep a legend subgraph apart from the drawing.
fn title_and_key(out: &mut String, title: &str, types: &[EntityType]) {
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let mut cells = String::new();
    for t in types {
        let (_, color) = style(*t);
        let _ = write!(cells, "<td border=\"1\" color=\"{color}\" bgcolor=\"{color}33\">{}</td>", t.as_str());
    }
    cells.push_str("<td>→ typed relation</td><td><font color=\"#888888\">- - co-mentioned ×paragraphs</font></td>");
    let _ = writeln!(
        out,
        "  label=<<table border=\"0\" cellspacing=\"4\"><tr><td colspan=\"{}\"><font point-size=\"14\">{}</font></td></tr><tr>{cells}</tr></table>>; labelloc=t;",
        types.len() + 2,
        esc(title)
    );
}

fn node_label(label: &str, english: Option<&str>) -> String {
    let label = wrap(label, 14);
    match english {
        Some(en) if !en.is_empty() && en != label => format!("{label}\n{en}"),
        _ => label,
    }
}

/// The relation network restricted to `nodes`: shape and colour by type,
/// every edge labelled (its relations, or how many paragraphs name both
/// ends), laid out by force (neato), which keeps related entities together
/// instead of stretching edges across rows of types.
pub fn network_view(net: &Network, nodes: &[NodeIndex], title: &str) -> String {
    let g = &net.graph;
    let keep: std::collections::HashSet<NodeIndex> = nodes.iter().copied().collect();
    let mut out = String::new();
    header(&mut out, title, "LR");
    out.push_str("  graph [layout=neato, overlap=false, splines=true, sep=\"+6\", esep=\"+3\"];\n");
    let mut types: Vec<EntityType> = nodes.iter().map(|&n| g[n].entity_type).collect();
    types.sort();
    types.dedup();
    title_and_key(&mut out, title, &types);
    for &n in nodes {
        let node = &g[n];
        let (shape, color) = style(node.entity_type);
        let _ = writeln!(
            out,
            "  {} [label={}, shape={shape}, color={}, fillcolor={}];",
            quote(&node.id),
            quote(&node_label(&node.label, node.english.as_deref())),
            quote(color),
            quote(&format!("{color}22"))
        );
    }
    for e in g.edge_references() {
        if !(keep.contains(&e.source()) && keep.contains(&e.target())) {
            continue;
        }
        let link = e.weight();
        let width = 1.0 + link.weight.ln_1p();
        let (from, to) = match link.typed().first() {
            Some(ev) if ev.subject == g[e.target()].id => (e.target(), e.source()),
            _ => (e.source(), e.target()),
        };
        let label = link_label(link);
        if link.relations > 0 {
            let _ = writeln!(out, "  {} -> {} [label={}, penwidth={width:.2}];", quote(&g[from].id), quote(&g[to].id), quote(&label));
        } else {
            let _ = writeln!(out, "  {} -> {} [label={}, dir=none, style=dashed, color=\"#aaaaaa\", fontcolor=\"#888888\", penwidth={width:.2}];", quote(&g[from].id), quote(&g[to].id), quote(&label));
        }
    }
    out.push_str("}\n");
    out
}

/// What an edge says: its typed relations (the two most stated), or how
/// many paragraphs name both ends.
pub fn link_label(link: &Link) -> String {
    let mut predicates: BTreeMap<&str, usize> = BTreeMap::new();
    for ev in link.typed() {
        *predicates.entry(ev.predicate.trim_start_matches("other:")).or_default() += 1;
    }
    if predicates.is_empty() {
        return format!("×{}", link.weight);
    }
    let mut ranked: Vec<(&str, usize)> = predicates.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut label = ranked.iter().take(2).map(|(p, _)| *p).collect::<Vec<_>>().join(", ");
    if ranked.len() > 2 {
        label.push_str(", …");
    }
    label
}

fn year(w: &Work) -> String {
    w.date.as_deref().and_then(|d| d.get(..4)).unwrap_or("undated").to_owned()
}

/// Works ranked by year along a time axis (a column of year labels), at most
/// `per_row` works to a row: a year with more, and the undated works, take
/// several rows, so that no row grows wider than the picture is tall.
fn timeline(out: &mut String, works: &[&Work], per_row: usize) {
    // The axis alone ranks the works: a citation of a later work (a plan
    // named for the years it covers) would otherwise pull it out of its year.
    out.push_str("  edge [constraint=false];\n");
    let mut years: BTreeMap<String, Vec<&Work>> = BTreeMap::new();
    for w in works {
        years.entry(year(w)).or_default().push(w);
    }
    // Citations point from newer to older, so the axis does too: newest first,
    // then back in time, undated last (drawn bottom to top).
    let mut order: Vec<&String> = years.keys().filter(|y| *y != "undated").rev().collect();
    order.extend(years.keys().filter(|y| *y == "undated"));
    let mut axis: Vec<String> = Vec::new();
    for y in order {
        for (i, row) in years[y].chunks(per_row.max(1)).enumerate() {
            let name = if i == 0 { format!("year_{y}") } else { format!("year_{y}_{i}") };
            let label = if i == 0 { y.as_str() } else { " " };
            let _ = write!(out, "  {{ rank=same; {} [label={}, shape=plaintext, fontsize=12];", quote(&name), quote(label));
            for w in row {
                let _ = write!(out, " {};", quote(&w.id));
            }
            out.push_str(" }\n");
            axis.push(name);
        }
    }
    if axis.len() > 1 {
        let _ = writeln!(out, "  {} [style=invis, constraint=true];", axis.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" -> "));
    }
}

/// Works to a row of a timeline of `n` works: about as many as rows.
fn works_per_row(n: usize) -> usize {
    ((n as f64).sqrt().ceil() as usize).max(4)
}

/// Breaks a long label into lines of at most `width` characters.
fn wrap(s: &str, width: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars.chunks(width).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn work_node(out: &mut String, w: &Work, start: bool) {
    let (shape, color) = if w.doc.is_some() { ("folder", "#4e79a7") } else { style(EntityType::Treaty) };
    let label = format!("{}\n{}", wrap(&w.title, 18), w.date.as_deref().unwrap_or("undated"));
    let pen = if start { 3 } else { 1 };
    let _ = writeln!(out, "  {} [label={}, shape={shape}, color={}, fillcolor={}, penwidth={pen}];", quote(&w.id), quote(&label), quote(color), quote(&format!("{color}22")));
}

/// A work linked to one other work alone (a "leaf") is bundled with the
/// other leaves of that work and year into one node once the work has more
/// leaves than this: every edge to a distant year is routed through each
/// year between, so a document citing dozens of works would draw a very
/// wide picture.
const LEAVES_BEFORE_BUNDLING: usize = 8;

/// A citation drawn between two works of a timeline.
struct Drawn<'a> {
    citing: &'a Work,
    cited: &'a Work,
    verb: Option<&'a str>,
    /// Cites a later document or closes a cycle: drawn in red.
    flagged: bool,
}

/// Leaves of one work in one year, in one direction, drawn as one node.
struct Bundle<'a> {
    id: String,
    hub: &'a Work,
    /// The hub cites the leaves (rather than being cited by them).
    hub_cites: bool,
    year: String,
    /// Indices of the leaves' citations.
    leaves: Vec<usize>,
}

/// Draws `works` on a time axis with the citations between them, the work
/// `start` (if any) drawn heavier, and leaves bundled (see
/// [`LEAVES_BEFORE_BUNDLING`]).
fn timeline_graph(out: &mut String, works: &[&Work], start: Option<&Work>, citations: &[Drawn]) {
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for c in citations {
        *degree.entry(c.citing.id.as_str()).or_default() += 1;
        *degree.entry(c.cited.id.as_str()).or_default() += 1;
    }
    let is_leaf = |w: &Work| degree.get(w.id.as_str()) == Some(&1) && start.is_none_or(|s| s.id != w.id);
    // (hub, hub cites, year) → the citations of its leaves.
    let mut by_hub: BTreeMap<(&str, bool, String), Vec<usize>> = BTreeMap::new();
    let mut leaves_of: HashMap<&str, usize> = HashMap::new();
    for (i, c) in citations.iter().enumerate() {
        for (leaf, hub, hub_cites) in [(c.cited, c.citing, true), (c.citing, c.cited, false)] {
            if is_leaf(leaf) && !is_leaf(hub) {
                by_hub.entry((hub.id.as_str(), hub_cites, year(leaf))).or_default().push(i);
                *leaves_of.entry(hub.id.as_str()).or_default() += 1;
            }
        }
    }
    let bundles: Vec<Bundle> = by_hub
        .into_iter()
        .filter(|((hub, _, _), leaves)| leaves_of[hub] > LEAVES_BEFORE_BUNDLING && leaves.len() > 1)
        .map(|((_, hub_cites, year), leaves)| {
            let hub = if hub_cites { citations[leaves[0]].citing } else { citations[leaves[0]].cited };
            Bundle { id: format!("bundle/{}/{}/{year}", hub.id, if hub_cites { "cited" } else { "citing" }), hub, hub_cites, year, leaves }
        })
        .collect();
    let leaf = |b: &Bundle, i: usize| if b.hub_cites { citations[i].cited } else { citations[i].citing };
    let bundled: HashSet<usize> = bundles.iter().flat_map(|b| b.leaves.iter().copied()).collect();
    let hidden: HashSet<&str> = bundles.iter().flat_map(|b| b.leaves.iter().map(|&i| leaf(b, i).id.as_str())).collect();

    let shown: Vec<&Work> = works.iter().copied().filter(|w| !hidden.contains(w.id.as_str())).collect();
    for w in &shown {
        work_node(out, w, start.is_some_and(|s| s.id == w.id));
    }
    let bundle_works: Vec<Work> =
        bundles.iter().map(|b| Work { id: b.id.clone(), title: String::new(), date: (b.year != "undated").then(|| b.year.clone()), doc: None }).collect();
    let (shape, color) = style(EntityType::Treaty);
    for b in &bundles {
        let titles: Vec<String> = b.leaves.iter().map(|&i| format!("《{}》", crate::zh::clip(&leaf(b, i).title, 24))).collect();
        let what = if b.hub_cites { "cited works" } else { "citing works" };
        let label = format!("{} {what}, {}:\n{}", b.leaves.len(), b.year, titles.join("\n"));
        let _ = writeln!(out, "  {} [label={}, shape={shape}, color={}, fillcolor={}];", quote(&b.id), quote(&label), quote(color), quote(&format!("{color}22")));
    }
    let mut on_axis = shown;
    on_axis.extend(bundle_works.iter());
    timeline(out, &on_axis, works_per_row(on_axis.len()));
    for b in &bundles {
        let verbs: BTreeSet<&str> = b.leaves.iter().filter_map(|&i| citations[i].verb).collect();
        let verbs = verbs.into_iter().collect::<Vec<_>>().join(" / ");
        let (from, to) = if b.hub_cites { (&b.hub.id, &b.id) } else { (&b.id, &b.hub.id) };
        let _ = writeln!(out, "  {} -> {} [label={}];", quote(from), quote(to), quote(&verbs));
    }
    for (_, c) in citations.iter().enumerate().filter(|(i, _)| !bundled.contains(i)) {
        let color = if c.flagged { "#d62728" } else { "#555555" };
        let _ = writeln!(out, "  {} -> {} [label={}, color={}];", quote(&c.citing.id), quote(&c.cited.id), quote(c.verb.unwrap_or("")), quote(color));
    }
    out.push_str("  subgraph cluster_legend {\n    label=\"legend\"; style=dashed;\n    legend_doc [label=\"document in the corpus\", shape=folder, color=\"#4e79a7\"];\n    legend_work [label=\"cited document\", shape=note, color=\"#e15759\"];\n  }\n}\n");
}

/// A document's chain, oldest at the top.
pub fn chain_view(c: &Chain) -> String {
    let mut out = String::new();
    let title = format!("{} {}", if c.reverse { "Who cites" } else { "What builds on what:" }, c.start.title);
    header(&mut out, &title, "BT");
    let _ = writeln!(out, "  label={}; labelloc=t;", quote(&title));
    let mut works: Vec<&Work> = vec![&c.start];
    works.extend(c.entries.iter().map(|e| &e.work));
    let citations: Vec<Drawn> = c
        .entries
        .iter()
        .flat_map(|e| e.links.iter().map(move |l| (e, l)))
        .map(|(e, l)| {
            let (citing, cited) = if c.reverse { (&e.work, &l.other) } else { (&l.other, &e.work) };
            Drawn { citing, cited, verb: l.verb.as_deref(), flagged: l.cites_later_document || l.closes_cycle }
        })
        .collect();
    timeline_graph(&mut out, &works, Some(&c.start), &citations);
    out
}

/// Corpus documents (those `scope` keeps) and what they cite, by year.
pub fn citations_view(cg: &CitationGraph, scope: &CitationScope) -> String {
    let g = &cg.graph;
    let documents: Vec<NodeIndex> = g.node_indices().filter(|&n| cg.in_scope(n, scope)).collect();
    let mut shown: Vec<NodeIndex> = documents.clone();
    for &d in &documents {
        shown.extend(g.neighbors_directed(d, petgraph::Direction::Outgoing));
    }
    shown.sort();
    shown.dedup();
    let mut out = String::new();
    header(&mut out, "citations", "BT");
    let _ = writeln!(out, "  label={}; labelloc=t;", quote(&format!("Citations between documents{}", scope.describe())));
    let works: Vec<&Work> = shown.iter().map(|&n| &g[n]).collect();
    let citations: Vec<Drawn> = documents
        .iter()
        .flat_map(|&d| g.edges_directed(d, petgraph::Direction::Outgoing))
        .map(|e| Drawn { citing: &g[e.source()], cited: &g[e.target()], verb: e.weight().verb.as_deref(), flagged: false })
        .collect();
    timeline_graph(&mut out, &works, None, &citations);
    out
}

/// Renders DOT with Graphviz's `dot` into `output` (svg or png). Returns
/// what `dot` printed on stderr (warnings).
pub fn render(dot: &str, format: &str, output: &Path) -> anyhow::Result<String> {
    use std::io::Write as _;
    let child = std::process::Command::new("dot")
        .arg(format!("-T{format}"))
        .arg("-o")
        .arg(output)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "Graphviz's `dot` is not installed. Install it with `sudo apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) or from https://graphviz.org/download/, or write the DOT text without --render and render it elsewhere"
        ),
        Err(e) => anyhow::bail!("cannot run `dot`: {e}"),
    };
    child.stdin.take().expect("piped").write_all(dot.as_bytes())?;
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        anyhow::bail!("`dot` failed: {stderr}");
    }
    Ok(stderr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        assert_eq!(quote("《联合声明》\"A\\B\"\n二"), "\"《联合声明》\\\"A\\\\B\\\"\\n二\"");
    }
}
