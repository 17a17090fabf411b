//! A document's page: metadata, the text with every mention linked to its
//! entity, citations out and in, the chain both ways, the relations it
//! states with their evidence.

use std::fmt::Write;

use super::layout::{doc_href, entity_href, esc, facts, link, section, table};
use super::svg::chain_timeline;
use super::Snapshot;
use crate::analysis::chain;
use crate::graph::read::{DocumentRecord, MentionRecord, SentenceRecord};
use crate::graph::GraphStore;

/// Works drawn each way in the chain.
const CHAIN_CAP: usize = 30;

/// The page's title and body, or `None` when the store has no such document.
pub fn page(store: &GraphStore, snapshot: &Snapshot, id: &str) -> anyhow::Result<Option<(String, String)>> {
    let Some(doc) = crate::graph::read::document(store, id)? else { return Ok(None) };
    let label = |entity: &str| snapshot.label(entity);
    let entity_link = |entity: &str| link(&entity_href(entity), &label(entity));
    let mut body = String::new();

    let parties = doc.parties.iter().map(|p| entity_link(p)).collect::<Vec<_>>().join(", ");
    body.push_str(&facts(&[
        ("kind", esc(doc.kind.as_deref().unwrap_or(""))),
        ("signed", esc(doc.date.as_deref().unwrap_or("undated"))),
        ("place", esc(doc.place.as_deref().unwrap_or(""))),
        ("dateline", esc(doc.dateline.as_deref().unwrap_or(""))),
        ("parties", parties),
        ("source file", esc(doc.source.as_deref().unwrap_or(""))),
        ("id", format!("<code>{}</code>", esc(id))),
        ("as a work", doc.work.as_deref().map(|w| link(&entity_href(w), w)).unwrap_or_default()),
    ]));
    body.push_str(&section("text", "Text", &text(&doc)));
    body.push_str(&section("citations", &format!("Cites ({})", doc.citations.len()), &citations_out(snapshot, &doc)));

    let cg = &snapshot.citations;
    let node = cg.document_node(id);
    let citers: Vec<Vec<String>> = node
        .map(|n| {
            let mut rows: Vec<(Option<String>, Vec<String>)> = cg
                .graph
                .edges_directed(n, petgraph::Direction::Incoming)
                .map(|e| {
                    let w = &cg.graph[petgraph::visit::EdgeRef::source(&e)];
                    let title = match &w.doc {
                        Some(d) => link(&doc_href(d), &w.title),
                        None => esc(&w.title),
                    };
                    (w.date.clone(), vec![title, esc(w.date.as_deref().unwrap_or("undated")), esc(e.weight().verb.as_deref().unwrap_or(""))])
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows.into_iter().map(|(_, r)| r).collect()
        })
        .unwrap_or_default();
    let cited_by = if citers.is_empty() { "<p class=\"empty\">No document of the store cites it.</p>".to_owned() } else { table(&["document", "signed", "verb"], &citers) };
    body.push_str(&section("cited-by", &format!("Cited by ({})", citers.len()), &cited_by));

    if let Some(n) = node {
        let (back, forward) = (chain::chain(cg, n, false), chain::chain(cg, n, true));
        let note = format!(
            "<p class=\"note\">Above its own row (marked), what it builds on ({}); below, who cites it ({}), as far as citations reach; arrows go from citing to cited, red when a document cites a later one or closes a cycle.{}</p>",
            back.entries.len(),
            forward.entries.len(),
            if back.entries.len().max(forward.entries.len()) > CHAIN_CAP { format!(" The nearest {CHAIN_CAP} each way are drawn.") } else { String::new() }
        );
        let drawing = format!("{note}<div class=\"scroll\">{}</div>", chain_timeline(&back, &forward, CHAIN_CAP));
        body.push_str(&section("chain", "Chain by year", &drawing));
    }

    let rows: Vec<Vec<String>> = doc
        .relations
        .iter()
        .map(|r| {
            let object = if r.object_is_entity { entity_link(&r.object) } else { esc(&r.object) };
            vec![entity_link(&r.subject), format!("<code>{}</code>", esc(&r.predicate)), object, esc(&r.sentence)]
        })
        .collect();
    let relations = if rows.is_empty() { "<p class=\"empty\">None.</p>".to_owned() } else { table(&["subject", "relation", "object", "evidence"], &rows) };
    body.push_str(&section("relations", &format!("Relations ({})", rows.len()), &relations));
    Ok(Some((doc.title.clone(), body)))
}

/// The text in reading order, paragraph by paragraph, each mention a link
/// to its entity (dates are marked, with their value).
fn text(doc: &DocumentRecord) -> String {
    let mut out = String::from("<div class=\"document-text\">");
    for paragraph in &doc.paragraphs {
        out.push_str("<p>");
        for s in paragraph {
            sentence(&mut out, s);
        }
        out.push_str("</p>\n");
    }
    out.push_str("</div>");
    out
}

fn sentence(out: &mut String, s: &SentenceRecord) {
    let chars: Vec<char> = s.text.chars().collect();
    let piece = |from: usize, to: usize| esc(&chars[from..to].iter().collect::<String>());
    let mut at = 0;
    let mut i = 0;
    while i < s.mentions.len() {
        let m = &s.mentions[i];
        let inner: Vec<&MentionRecord> = s.mentions[i + 1..].iter().take_while(|n| n.start < m.end).collect();
        out.push_str(&piece(at, m.start));
        if inner.is_empty() {
            mention(out, m, &piece(m.start, m.end));
        } else {
            // A mention holding others: its words around theirs link to it,
            // theirs to them, all within one highlight of its type.
            let _ = write!(out, "<span class=\"nest {}\">", type_class(m));
            let mut pos = m.start;
            for n in inner.iter().filter(|n| n.start >= m.start) {
                if n.start < pos {
                    continue;
                }
                if n.start > pos {
                    mention(out, m, &piece(pos, n.start));
                }
                mention(out, n, &piece(n.start, n.end));
                pos = n.end;
            }
            if pos < m.end {
                mention(out, m, &piece(pos, m.end));
            }
            out.push_str("</span>");
        }
        at = m.end;
        i += 1 + inner.len();
    }
    out.push_str(&piece(at, chars.len()));
}

fn type_class(m: &MentionRecord) -> String {
    format!("t-{}", m.entity_type.map_or("Date", |t| t.as_str()))
}

/// One highlighted stretch of a mention (`words`, already escaped): a link
/// to its entity, or a date with its value.
fn mention(out: &mut String, m: &MentionRecord, words: &str) {
    let class = type_class(m);
    match &m.entity {
        Some(entity) => {
            let _ = write!(out, "<a class=\"mention {class}\" href=\"{}\" title=\"{}: {}\">{words}</a>", esc(&entity_href(entity)), &class[2..], esc(entity));
        }
        None => {
            let _ = write!(out, "<span class=\"mention {class}\" title=\"{}\">{words}</span>", esc(m.value.as_deref().unwrap_or("")));
        }
    }
}

/// What the document cites: a link to the document when the store has it,
/// else to the cited work's entity.
fn citations_out(snapshot: &Snapshot, doc: &DocumentRecord) -> String {
    if doc.citations.is_empty() {
        return "<p class=\"empty\">It cites nothing.</p>".into();
    }
    let cg = &snapshot.citations;
    let rows: Vec<Vec<String>> = doc
        .citations
        .iter()
        .map(|c| {
            let corpus_doc = c.work.as_deref().and_then(|w| cg.node(w)).and_then(|n| cg.graph[n].doc.clone()).filter(|d| *d != doc.id);
            let title = match (&corpus_doc, &c.work) {
                (Some(d), _) => format!("{} <span class=\"badge\">in the store</span>", link(&doc_href(d), &c.title)),
                (None, Some(w)) => link(&entity_href(w), &c.title),
                (None, None) => esc(&c.title),
            };
            vec![title, esc(c.date.as_deref().unwrap_or("")), esc(c.verb.as_deref().unwrap_or(""))]
        })
        .collect();
    table(&["cited document", "date", "verb"], &rows)
}
