//! A partner's page: the history of China's relationship with one party
//! (`analysis::timeline`): the documents between them, the relationship
//! levels declared or recalled, visits and meetings, and the earlier
//! documents between them that the statements cite, on a time axis and as
//! a table.

use super::layout::{doc_href, entity_href, esc, facts, link, section, table};
use super::svg::partner_timeline;
use crate::analysis::timeline::{timeline, What};
use crate::graph::GraphStore;

/// The href of a party's partner page.
pub fn partner_href(id: &str) -> String {
    format!("/partner/{}", super::layout::encode_path(id))
}

/// The page's title and body, or `None` when `id` names no partner.
pub fn page(store: &GraphStore, id: &str) -> anyhow::Result<Option<(String, String)>> {
    if !id.starts_with("party/") {
        return Ok(None);
    }
    let Ok(t) = timeline(store, id) else { return Ok(None) };
    let mut body = String::new();
    let levels: Vec<_> = t.entries.iter().filter_map(|e| match &e.what {
        What::Level { level, rank, .. } => Some((rank, level, e.date.as_deref().unwrap_or("undated"))),
        _ => None,
    }).collect();
    let highest = levels.iter().max_by(|a, b| a.0.cmp(b.0).then(a.2.cmp(b.2))).map(|(_, level, date)| format!("{} ({})", esc(level), esc(date))).unwrap_or_default();
    let count = |kind: &str| t.entries.iter().filter(|e| e.kind() == kind).count().to_string();
    body.push_str(&facts(&[
        ("partner", link(&entity_href(&t.partner), &t.label)),
        ("English", esc(t.english.as_deref().unwrap_or(""))),
        ("closest level stated", highest),
        ("documents", count("document")),
        ("levels declared or recalled", count("level")),
        ("visits and meetings", count("visit")),
        ("earlier documents cited", count("cited")),
    ]));
    body.push_str(&section("axis", "On a time axis", &format!("<div class=\"scroll\">{}</div>", partner_timeline(&t))));
    let rows: Vec<Vec<String>> = t
        .entries
        .iter()
        .map(|e| {
            let what = match &e.what {
                What::Cited { title, work } => link(&entity_href(work), &format!("《{title}》")),
                What::Document { title, .. } => link(&doc_href(&e.doc), title),
                _ => esc(&e.describe()),
            };
            vec![esc(e.date.as_deref().unwrap_or("undated")), esc(e.kind()), what, link(&doc_href(&e.doc), &e.doc)]
        })
        .collect();
    body.push_str(&section("history", "History, oldest first", &table(&["date", "kind", "what", "said in"], &rows)));
    Ok(Some((format!("China and {}", t.label), body)))
}
