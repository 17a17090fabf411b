//! An entity's page: labels, aliases, Wikidata link, type; its
//! neighbourhood (strongest neighbours, filterable by type and years); its
//! typed relations with evidence; its mentions with their quotes.

use std::collections::BTreeMap;
use std::fmt::Write;

use petgraph::visit::EdgeRef;

use super::layout::{doc_href, entity_href, esc, facts, link, section, shown_of, table};
use super::svg::neighbourhood;
use super::Snapshot;
use crate::analysis::{NetworkFilter, Years};
use crate::graph::GraphStore;
use crate::model::EntityType;

/// Mentions listed.
const MENTIONS_SHOWN: usize = 100;
/// Relation groups listed (a group: one predicate, one other entity).
const RELATIONS_SHOWN: usize = 60;
/// Neighbours drawn unless the page asks for another number, and at most.
const NEIGHBOURS: (usize, usize) = (15, 60);

/// What the neighbourhood form asks for.
#[derive(Debug, Clone, Default)]
pub struct NeighbourhoodQuery {
    pub filter: NetworkFilter,
    pub neighbours: usize,
}

impl NeighbourhoodQuery {
    /// From the page's parameters: `n`, `type` (repeated), `since`, `until`, `typed`.
    pub fn from_params(params: &[(String, String)]) -> Self {
        let get = |k: &str| params.iter().find(|(key, v)| key == k && !v.trim().is_empty()).map(|(_, v)| v.trim());
        let types = params.iter().filter(|(k, _)| k == "type").filter_map(|(_, v)| EntityType::parse(v)).collect();
        let years = Years { since: get("since").and_then(|v| v.parse().ok()), until: get("until").and_then(|v| v.parse().ok()) };
        let neighbours = get("n").and_then(|v| v.parse().ok()).unwrap_or(NEIGHBOURS.0).clamp(1, NEIGHBOURS.1);
        Self { filter: NetworkFilter { types, years, typed: get("typed").is_some() }, neighbours }
    }
}

/// The page's title and body, or `None` when there is no such entity.
pub fn page(store: &GraphStore, snapshot: &Snapshot, id: &str, query: &NeighbourhoodQuery) -> anyhow::Result<Option<(String, String)>> {
    let Some(record) = crate::graph::read::entity(store, id)? else { return Ok(None) };
    let net = &snapshot.network;
    let mut body = String::new();
    let aliases: Vec<String> = snapshot.surface_forms.get(id).into_iter().flatten().filter(|f| **f != record.label).map(|f| esc(f)).collect();
    let mentions_total = snapshot.mention_counts.get(id).copied().unwrap_or(0);
    let cg = &snapshot.citations;
    let as_document = cg.node(id).and_then(|n| cg.graph[n].doc.clone());
    body.push_str(&facts(&[
        ("type", esc(record.entity_type.map_or("", |t| t.as_str()))),
        ("name", esc(&record.label)),
        ("English", esc(record.english.as_deref().unwrap_or(""))),
        ("Wikidata", record.wikidata.as_deref().map(|q| link(&format!("https://www.wikidata.org/wiki/{q}"), q)).unwrap_or_default()),
        ("also written", aliases.join("、")),
        ("kind", esc(record.kind.as_deref().unwrap_or(""))),
        ("date", esc(record.date.as_deref().unwrap_or(""))),
        ("the document", as_document.as_deref().map(|d| link(&doc_href(d), d)).unwrap_or_default()),
        ("history with China", if snapshot.partners.iter().any(|(p, _)| p == id) { link(&super::partner::partner_href(id), "levels, visits, documents") } else { String::new() }),
        ("mentions", mentions_total.to_string()),
        ("id", format!("<code>{}</code>", esc(id))),
    ]));

    if let Some(&center) = net.index.get(id) {
        let neighbours = net.strongest_neighbours(center, &query.filter, query.neighbours);
        let mut content = form(id, query);
        if neighbours.is_empty() {
            content.push_str("<p class=\"empty\">No neighbours with these filters.</p>");
        } else {
            let _ = write!(content, "<div class=\"scroll\">{}</div>", neighbourhood(net, center, &neighbours, &query.filter));
        }
        body.push_str(&section("neighbourhood", "Neighbourhood", &content));
        body.push_str(&section("relations", "Typed relations", &relations(store, snapshot, center)?));
    }
    if let Some(n) = cg.node(id).filter(|_| as_document.is_none()) {
        let citers: Vec<Vec<String>> = cg
            .graph
            .neighbors_directed(n, petgraph::Direction::Incoming)
            .filter_map(|c| {
                let w = &cg.graph[c];
                Some(vec![link(&doc_href(w.doc.as_ref()?), &w.title), esc(w.date.as_deref().unwrap_or("undated"))])
            })
            .collect();
        if !citers.is_empty() {
            body.push_str(&section("cited-by", &format!("Cited by ({})", citers.len()), &table(&["document", "signed"], &citers)));
        }
    }

    let mentions = crate::graph::read::mentions(store, id, MENTIONS_SHOWN)?;
    let rows: Vec<Vec<String>> = mentions.iter().map(|m| vec![link(&doc_href(&m.doc), &m.doc), esc(&m.quote), marked(&m.sentence, &m.quote)]).collect();
    let content = if rows.is_empty() { "<p class=\"empty\">No document mentions it by name.</p>".to_owned() } else { table(&["document", "quote", "sentence"], &rows) + &shown_of(rows.len(), mentions_total) };
    body.push_str(&section("mentions", &format!("Mentions ({mentions_total})"), &content));
    Ok(Some((record.label.clone(), body)))
}

/// The sentence, escaped, with the quote's first occurrence marked.
fn marked(sentence: &str, quote: &str) -> String {
    match sentence.find(quote).filter(|_| !quote.is_empty()) {
        Some(at) => format!("{}<mark>{}</mark>{}", esc(&sentence[..at]), esc(quote), esc(&sentence[at + quote.len()..])),
        None => esc(sentence),
    }
}

/// The neighbourhood's filter form, filled with what was asked.
fn form(id: &str, query: &NeighbourhoodQuery) -> String {
    let f = &query.filter;
    let mut out = format!("<form class=\"filters\" method=\"get\" action=\"{}\"><label>neighbours <input type=\"number\" name=\"n\" min=\"1\" max=\"{}\" value=\"{}\"></label>", esc(&entity_href(id)), NEIGHBOURS.1, query.neighbours);
    for t in EntityType::ENTITY_TYPES {
        let checked = if f.types.contains(&t) { " checked" } else { "" };
        let _ = write!(out, "<label class=\"t-{t}\"><input type=\"checkbox\" name=\"type\" value=\"{t}\"{checked}>{t}</label>");
    }
    let year = |v: Option<i32>| v.map(|y| y.to_string()).unwrap_or_default();
    let _ = write!(
        out,
        "<label>since <input type=\"number\" name=\"since\" value=\"{}\" placeholder=\"year\"></label><label>until <input type=\"number\" name=\"until\" value=\"{}\" placeholder=\"year\"></label>\
         <label><input type=\"checkbox\" name=\"typed\" value=\"1\"{}>typed relations only</label><button>Show</button></form>",
        year(f.years.since),
        year(f.years.until),
        if f.typed { " checked" } else { "" }
    );
    out
}

/// The entity's typed relations, one row per predicate and other entity,
/// most stated first, with the sentence of the first document stating it.
fn relations(store: &GraphStore, snapshot: &Snapshot, center: petgraph::graph::NodeIndex) -> anyhow::Result<String> {
    let net = &snapshot.network;
    let g = &net.graph;
    let me = &g[center].id;
    // (whether this entity is the subject, predicate, the other entity) → the documents stating it.
    let mut groups: BTreeMap<(bool, &str, petgraph::graph::NodeIndex), Vec<&str>> = BTreeMap::new();
    for e in g.edges(center) {
        let other = if e.target() == center { e.source() } else { e.target() };
        for ev in e.weight().typed() {
            groups.entry((ev.subject == *me, ev.predicate.as_str(), other)).or_default().push(&ev.doc);
        }
    }
    if groups.is_empty() {
        return Ok("<p class=\"empty\">None: it is only co-mentioned.</p>".into());
    }
    let mut ranked: Vec<_> = groups.into_iter().collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let total = ranked.len();
    let mut rows = Vec::new();
    for ((forward, p, other), docs) in ranked.into_iter().take(RELATIONS_SHOWN) {
        let (s, o) = if forward { (me.as_str(), g[other].id.as_str()) } else { (g[other].id.as_str(), me.as_str()) };
        let first = docs.iter().min().copied().unwrap_or_default();
        let evidence = crate::graph::read::relation_evidence(store, first, s, p, o)?.unwrap_or_default();
        let side = |id: &str| if id == me { format!("<strong>{}</strong>", esc(&snapshot.label(id))) } else { link(&entity_href(id), &snapshot.label(id)) };
        rows.push(vec![
            side(s),
            format!("<code>{}</code>", esc(p.trim_start_matches("other:"))),
            side(o),
            docs.len().to_string(),
            format!("{} <span class=\"source\">({})</span>", esc(&evidence), link(&doc_href(first), first)),
        ]);
    }
    Ok(table(&["subject", "relation", "object", "documents", "evidence (first document)"], &rows) + &shown_of(rows.len(), total))
}
