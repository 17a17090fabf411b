//! Pictures drawn by the binary as inline SVG, so that pages need neither
//! Graphviz nor a script: a document's citation chain on a time axis, and
//! an entity's neighbourhood. Colours are presentation attributes, not
//! style attributes, which the Content-Security-Policy refuses.

use std::collections::BTreeMap;
use std::fmt::Write;

use petgraph::graph::NodeIndex;

use super::layout::{doc_href, entity_href, esc};
use crate::analysis::chain::{Chain, Work};
use crate::analysis::dot::{link_label, type_colour};
use crate::analysis::{Network, NetworkFilter};

const BOX_W: f64 = 132.0;
const BOX_H: f64 = 46.0;
const COLUMN: f64 = 146.0;
const ROW: f64 = 56.0;
/// Between the document's row and the rows of what it cites or what cites
/// it, room for the arrows to fan out.
const GAP: f64 = 70.0;
/// A drawing this wide or less is scaled to the page; a wider one scrolls.
const FITS: f64 = 1400.0;
const MARGIN: f64 = 30.0;
/// Undated works to a column of a chain.
const UNDATED_STACK: usize = 4;


fn year_of(w: &Work) -> Option<String> {
    w.date.as_deref().and_then(|d| d.get(..4)).map(str::to_owned)
}

/// The page a work leads to: its document, or its treaty entity.
fn work_href(w: &Work) -> String {
    match &w.doc {
        Some(doc) => doc_href(doc),
        None => entity_href(&w.id),
    }
}

/// The `cap` works of a chain nearest its start.
fn nearest(c: &Chain, cap: usize) -> Vec<&Work> {
    let mut sorted: Vec<_> = c.entries.iter().collect();
    sorted.sort_by_key(|e| e.depth);
    sorted.into_iter().take(cap).map(|e| &e.work).collect()
}

/// A document's chain both ways on one time axis: what it builds on above
/// its own row, who cites it below, one column per year (undated works in
/// the last), an arrow from each citing work to the cited one. At most
/// `cap` works each way, the nearest first.
pub fn chain_timeline(back: &Chain, forward: &Chain, cap: usize) -> String {
    let (cited, citing) = (nearest(back, cap), nearest(forward, cap));
    let start = &back.start;
    // One column per year, then the undated works, at most UNDATED_STACK to a column.
    let mut years: Vec<String> = cited.iter().chain(&citing).chain([&start]).filter_map(|w| year_of(w)).collect();
    years.sort();
    years.dedup();
    let undated = |works: &[&Work]| works.iter().filter(|w| w.date.is_none()).count().div_ceil(UNDATED_STACK);
    let undated_columns = undated(&cited).max(undated(&citing)).max(usize::from(start.date.is_none()));
    let columns: Vec<&str> = years.iter().map(String::as_str).chain(std::iter::repeat_n("undated", undated_columns)).collect();

    // Rows: the works cited stack upwards from the document, the citing ones downwards.
    let mut place: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let stack = |works: &[&Work]| -> (BTreeMap<String, (usize, usize)>, usize) {
        let mut height = vec![0usize; columns.len()];
        let mut at = BTreeMap::new();
        let mut undated_seen = 0;
        for w in works {
            if at.contains_key(&w.id) || w.id == start.id {
                continue;
            }
            let c = match year_of(w) {
                Some(y) => years.binary_search(&y).unwrap_or(0),
                None => {
                    undated_seen += 1;
                    years.len() + (undated_seen - 1) / UNDATED_STACK
                }
            };
            at.insert(w.id.clone(), (c, height[c]));
            height[c] += 1;
        }
        (at, height.into_iter().max().unwrap_or(0))
    };
    let (up, up_rows) = stack(&cited);
    let (down, down_rows) = stack(&citing);
    let axis_y = MARGIN + 20.0;
    let own_row = axis_y + 20.0 + up_rows as f64 * ROW + if up_rows > 0 { GAP } else { 0.0 };
    let below = own_row + if down_rows > 0 { GAP } else { 0.0 };
    let x = |c: usize| MARGIN + c as f64 * COLUMN;
    for (id, (c, r)) in &up {
        place.insert(id.clone(), (x(*c), own_row - GAP - (*r as f64 + 1.0) * ROW));
    }
    for (id, (c, r)) in &down {
        place.entry(id.clone()).or_insert((x(*c), below + (*r as f64 + 1.0) * ROW));
    }
    let own_column = year_of(start).and_then(|y| years.binary_search(&y).ok()).unwrap_or(years.len());
    place.insert(start.id.clone(), (x(own_column), own_row));
    let width = MARGIN * 2.0 + columns.len() as f64 * COLUMN;
    let height = below + (down_rows as f64 + 1.0) * ROW + MARGIN;
    let fit = if width <= FITS { " fit" } else { "" };

    let mut svg = format!(
        "<svg class=\"chain{fit}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"citation chain by year\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker></defs>\n"
    );
    for (c, year) in columns.iter().enumerate() {
        let cx = x(c) + BOX_W / 2.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{cx:.0}\" y1=\"{:.0}\" x2=\"{cx:.0}\" y2=\"{:.0}\" stroke=\"#e3e3e3\"/><text x=\"{cx:.0}\" y=\"{axis_y:.0}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" fill=\"#444\">{}</text>",
            axis_y + 6.0,
            height - MARGIN / 2.0,
            esc(year)
        );
    }
    let mut arrows = |citing: &Work, cited: &Work, verb: Option<&str>, flagged: bool| {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (place.get(&citing.id), place.get(&cited.id)) else { return };
        let (x1, x2) = (x1 + BOX_W / 2.0, x2 + BOX_W / 2.0);
        // From the citing box's edge facing the cited one, leaving and
        // arriving upright, so that the curve stays in the gap between rows
        // instead of running along one through its boxes.
        let (y1, y2) = if y2 < y1 { (y1, y2 + BOX_H) } else if y2 > y1 { (y1 + BOX_H, y2) } else { (y1, y2) };
        let bend = if (y2 - y1).abs() < 1.0 { y1 - ROW } else { (y1 + y2) / 2.0 };
        let colour = if flagged { "#d62728" } else { "#888" };
        let _ = write!(
            svg,
            "<path d=\"M{x1:.0},{y1:.0} C{x1:.0},{bend:.0} {x2:.0},{bend:.0} {x2:.0},{y2:.0}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\">"
        );
        if let Some(v) = verb {
            let _ = write!(svg, "<title>{}</title>", esc(v));
        }
        svg.push_str("</path>\n");
    };
    for e in &back.entries {
        for l in &e.links {
            arrows(&l.other, &e.work, l.verb.as_deref(), l.cites_later_document || l.closes_cycle);
        }
    }
    for e in &forward.entries {
        for l in &e.links {
            arrows(&e.work, &l.other, l.verb.as_deref(), l.cites_later_document || l.closes_cycle);
        }
    }
    let mut drawn: Vec<&Work> = vec![start];
    drawn.extend(cited.iter().chain(&citing));
    let mut seen = std::collections::HashSet::new();
    for w in drawn {
        if !seen.insert(&w.id) {
            continue;
        }
        let Some(&(bx, by)) = place.get(&w.id) else { continue };
        let own = w.id == start.id;
        let (fill, stroke) = match (&w.doc, own) {
            (_, true) => ("#fff3c4", "#b8860b"),
            (Some(_), false) => ("#e8eff7", "#4e79a7"),
            (None, false) => ("#fbeaea", "#e15759"),
        };
        let chars: Vec<char> = w.title.chars().collect();
        let first: String = chars.iter().take(10).collect();
        let second = crate::zh::clip(&chars.iter().skip(10).collect::<String>(), 9);
        let _ = writeln!(
            svg,
            "<a href=\"{href}\"><title>{title} ({date})</title><rect x=\"{bx:.0}\" y=\"{by:.0}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>\
             <text x=\"{tx:.0}\" y=\"{t1:.0}\" font-size=\"11\" fill=\"#222\">{first}</text><text x=\"{tx:.0}\" y=\"{t2:.0}\" font-size=\"11\" fill=\"#222\">{second}</text>\
             <text x=\"{tx:.0}\" y=\"{t3:.0}\" font-size=\"10\" fill=\"#666\">{date}</text></a>",
            href = esc(&work_href(w)),
            title = esc(&w.title),
            date = esc(w.date.as_deref().unwrap_or("undated")),
            sw = if own { 2.5 } else { 1.0 },
            tx = bx + 6.0,
            t1 = by + 14.0,
            t2 = by + 27.0,
            t3 = by + 40.0,
            first = esc(&first),
            second = esc(&second),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// An entity and its strongest neighbours on a circle around it, grouped
/// by type; a line's width grows with the link's weight, solid for typed
/// relations (labelled with them), dashed for co-mentions only.
pub fn neighbourhood(net: &Network, center: NodeIndex, neighbours: &[(NodeIndex, f64)], filter: &NetworkFilter) -> String {
    const SIZE: f64 = 760.0;
    let (cx, cy, radius) = (SIZE / 2.0, SIZE / 2.0, SIZE / 2.0 - 110.0);
    let g = &net.graph;
    let mut ring: Vec<(NodeIndex, f64)> = neighbours.to_vec();
    ring.sort_by(|a, b| g[a.0].entity_type.cmp(&g[b.0].entity_type).then(b.1.total_cmp(&a.1)));
    let at = |i: usize| {
        let angle = std::f64::consts::TAU * i as f64 / ring.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
        (cx + radius * angle.cos(), cy + radius * angle.sin())
    };
    let width = |w: f64| (1.0 + w.ln_1p() * 1.5).min(9.0);
    let mut svg = format!("<svg class=\"neighbourhood\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{SIZE}\" height=\"{SIZE}\" viewBox=\"0 0 {SIZE} {SIZE}\" role=\"img\" aria-label=\"neighbourhood\">\n");
    // Links between neighbours first, faint, beneath the rest.
    for i in 0..ring.len() {
        for j in i + 1..ring.len() {
            let Some(link) = net.link_between(ring[i].0, ring[j].0) else { continue };
            if net.kept_weight(link, filter) > 0.0 {
                let ((x1, y1), (x2, y2)) = (at(i), at(j));
                let _ = writeln!(svg, "<line x1=\"{x1:.0}\" y1=\"{y1:.0}\" x2=\"{x2:.0}\" y2=\"{y2:.0}\" stroke=\"#dddddd\" stroke-width=\"1\"/>");
            }
        }
    }
    let labelled = ring.len() <= 24;
    for (i, &(n, w)) in ring.iter().enumerate() {
        let (x, y) = at(i);
        let Some(link) = net.link_between(center, n) else { continue };
        let label = link_label(link);
        let dash = if link.relations == 0 { " stroke-dasharray=\"5 4\"" } else { "" };
        let _ = write!(svg, "<line x1=\"{cx:.0}\" y1=\"{cy:.0}\" x2=\"{x:.0}\" y2=\"{y:.0}\" stroke=\"#888\" stroke-width=\"{:.1}\"{dash}><title>{} — {}: {}</title></line>", width(w), esc(&g[center].label), esc(&g[n].label), esc(&label));
        if labelled && link.relations > 0 {
            let (lx, ly) = (cx + (x - cx) * 0.72, cy + (y - cy) * 0.72);
            let _ = write!(svg, "<text x=\"{lx:.0}\" y=\"{ly:.0}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\" class=\"edge-label\">{}</text>", esc(&crate::zh::clip(&label, 22)));
        }
        svg.push('\n');
    }
    let node = |svg: &mut String, n: NodeIndex, x: f64, y: f64, r: f64, bold: bool| {
        let v = &g[n];
        let colour = type_colour(v.entity_type);
        let below = if y >= cy - 1.0 { y + r + 14.0 } else { y - r - 6.0 };
        let _ = writeln!(
            svg,
            "<a href=\"{}\"><title>{}{} ({})</title><circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"{r}\" fill=\"{colour}\" fill-opacity=\"0.75\" stroke=\"{colour}\"/>\
             <text x=\"{x:.0}\" y=\"{below:.0}\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"{}\" fill=\"#222\">{}</text></a>",
            esc(&entity_href(&v.id)),
            esc(&v.label),
            v.english.as_deref().map(|e| format!(" · {}", esc(e))).unwrap_or_default(),
            v.entity_type,
            if bold { 14 } else { 11 },
            if bold { "bold" } else { "normal" },
            esc(&crate::zh::clip(&v.label, 12)),
        );
    };
    for (i, &(n, _)) in ring.iter().enumerate() {
        let (x, y) = at(i);
        node(&mut svg, n, x, y, 9.0, false);
    }
    node(&mut svg, center, cx, cy, 16.0, true);
    svg.push_str("</svg>");
    svg
}

/// Lanes of a partner's history, top to bottom.
const LANES: [(&str, &str); 4] = [("level", "levels"), ("visit", "visits"), ("document", "documents"), ("cited", "cited earlier")];
/// Pixels per year column on a partner's time axis, and per stacked entry.
const YEAR_W: f64 = 120.0;
const STACK_H: f64 = 15.0;
/// Entries stacked in one lane and year before the rest are counted only.
const STACK_CAP: usize = 8;

/// A partner's history on a time axis: one column per year that has
/// entries, in order (years without any are left out, so that decades of
/// silence take no room), a lane for each kind of entry (levels, visits,
/// documents, earlier documents cited), each entry a mark with its words
/// (the whole in its tooltip) linking to its document or work. Undated
/// entries are in the table below the picture, not on the axis.
pub fn partner_timeline(t: &crate::analysis::Timeline) -> String {
    use crate::analysis::timeline::What;
    let year = |e: &crate::analysis::timeline::Entry| e.date.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse::<i32>().ok());
    let mut years: Vec<i32> = t.entries.iter().filter_map(year).collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return "<p class=\"empty\">No dated entries to draw.</p>".to_owned();
    }
    // Stack heights per lane, so that each lane is as tall as its fullest year.
    let mut counts: BTreeMap<(&str, i32), usize> = BTreeMap::new();
    for e in &t.entries {
        if let Some(y) = year(e) {
            *counts.entry((e.kind(), y)).or_default() += 1;
        }
    }
    let lane_rows = |kind: &str| counts.iter().filter(|((k, _), _)| *k == kind).map(|(_, &n)| n.min(STACK_CAP + 1)).max().unwrap_or(1);
    let left = 90.0;
    let width = left + years.len() as f64 * YEAR_W + MARGIN;
    let mut lane_top = Vec::new();
    let mut y = 28.0;
    for (kind, _) in LANES {
        lane_top.push(y);
        y += lane_rows(kind) as f64 * STACK_H + 18.0;
    }
    let height = y + 10.0;
    let mut svg = format!(
        "<svg class=\"partner-timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"history on a time axis\">\n"
    );
    let x_of = |y: i32| left + years.binary_search(&y).unwrap_or(0) as f64 * YEAR_W;
    for &y in &years {
        let x = x_of(y);
        let _ = writeln!(svg, "<line x1=\"{x:.0}\" y1=\"18\" x2=\"{x:.0}\" y2=\"{:.0}\" stroke=\"#dddddd\"/>", height - 6.0);
        let _ = writeln!(svg, "<text x=\"{:.0}\" y=\"14\" font-size=\"11\" font-weight=\"bold\" fill=\"#555\" class=\"year\">{y}</text>", x + 4.0);
    }
    for ((_, heading), top) in LANES.iter().zip(&lane_top) {
        let _ = writeln!(svg, "<text x=\"6\" y=\"{:.0}\" font-size=\"11\" font-weight=\"bold\" fill=\"#333\" class=\"lane\">{heading}</text>", top + 11.0);
    }
    let mut placed: BTreeMap<(&str, i32), usize> = BTreeMap::new();
    for e in &t.entries {
        let Some(y) = year(e) else { continue };
        let Some(lane) = LANES.iter().position(|(k, _)| *k == e.kind()) else { continue };
        let n = placed.entry((e.kind(), y)).or_default();
        *n += 1;
        if *n > STACK_CAP + 1 {
            continue;
        }
        let (x, top) = (x_of(y) + 6.0, lane_top[lane] + (*n - 1) as f64 * STACK_H);
        if *n == STACK_CAP + 1 {
            let more = counts[&(e.kind(), y)] - STACK_CAP;
            let _ = writeln!(svg, "<text x=\"{x:.0}\" y=\"{:.0}\" font-size=\"10\" fill=\"#666\">+{more}</text>", top + 11.0);
            continue;
        }
        // The words that tell entries apart (the rest is in the tooltip):
        // the level, the visitor, a title without the parties' names.
        let (href, words, colour) = match &e.what {
            What::Level { level, recalled, .. } => (doc_href(&e.doc), level.clone(), if *recalled { "#9ecae1" } else { "#08519c" }),
            What::Visit { visit_kind, visitor, event, .. } => (doc_href(&e.doc), visitor.clone().or_else(|| event.clone()).unwrap_or_else(|| visit_kind.clone()), "#d94801"),
            What::Document { title, .. } => (doc_href(&e.doc), without_parties(title, &t.label), "#238b45"),
            What::Cited { title, work } => (entity_href(work), without_parties(title, &t.label), "#888888"),
        };
        let _ = writeln!(
            svg,
            "<a href=\"{}\" class=\"entry {}\"><title>{} {}</title><rect x=\"{x:.0}\" y=\"{:.0}\" width=\"8\" height=\"8\" fill=\"{colour}\"/>\
             <text x=\"{:.0}\" y=\"{:.0}\" font-size=\"10\" fill=\"#222\">{}</text></a>",
            esc(&href),
            e.kind(),
            esc(e.date.as_deref().unwrap_or("")),
            esc(&e.describe()),
            top + 3.0,
            x + 11.0,
            top + 11.0,
            esc(&crate::zh::clip(&words, 9)),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A title without the parties' names and the words that join them
/// (中华人民共和国和哈萨克斯坦共和国关于…的联合声明 → …的联合声明).
fn without_parties(title: &str, partner: &str) -> String {
    let mut rest = title;
    loop {
        let before = rest.len();
        for prefix in ["中华人民共和国", partner, "政府", "和", "与", "关于"] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if rest.len() == before {
            break;
        }
    }
    if rest.is_empty() { title.to_owned() } else { rest.to_owned() }
}
