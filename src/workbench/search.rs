//! One box for documents and entities: any surface form, label, English
//! label, id or Wikidata id, in simplified or traditional characters.
//! Every name is folded (traditional to simplified by the reader's own
//! character table, `zh::script`, letters to lower case) when the index is
//! built, and the query when it is asked.

use std::collections::{BTreeSet, HashMap};

use super::layout::{doc_href, entity_href, esc, link, section, shown_of, table};
use super::Snapshot;
use crate::analysis::{CitationGraph, Network};

/// What a hit leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Document(String),
    Entity(String),
}

#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    /// Folded names it can be found by.
    names: Vec<String>,
    /// Ranks equally good matches: mentions (entities), the date (documents).
    rank: i64,
}

/// The index over every document and entity of a snapshot.
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// A name as it is compared: traditional characters made simplified,
/// letters lower-case, surrounding space gone.
pub fn fold(s: &str) -> String {
    crate::zh::script::to_simplified(s.trim()).to_lowercase()
}

/// A hit: what it leads to and which of its names matched how well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub target: Target,
    /// 3 the whole name, 2 its start, 1 inside it.
    pub quality: u8,
}

impl SearchIndex {
    pub fn build(net: &Network, cg: &CitationGraph, forms: &HashMap<String, BTreeSet<String>>, mentions: &HashMap<String, usize>) -> Self {
        let mut entries = Vec::new();
        for node in net.graph.node_weights() {
            let mut names: Vec<String> = [Some(&node.label), node.english.as_ref(), node.wikidata.as_ref(), Some(&node.id)].into_iter().flatten().map(|s| fold(s)).collect();
            names.extend(forms.get(&node.id).into_iter().flatten().map(|s| fold(s)));
            names.sort();
            names.dedup();
            entries.push(Entry { target: Target::Entity(node.id.clone()), names, rank: mentions.get(&node.id).copied().unwrap_or(0) as i64 });
        }
        for work in cg.graph.node_weights() {
            let Some(doc) = &work.doc else { continue };
            let mut names = vec![fold(&work.title), fold(doc)];
            names.extend(work.date.iter().map(|d| fold(d)));
            for party in cg.parties_of(doc) {
                if let Some(&n) = net.index.get(party) {
                    names.extend([Some(&net.graph[n].label), net.graph[n].english.as_ref()].into_iter().flatten().map(|s| fold(s)));
                }
            }
            let rank = work.date.as_deref().map_or(0, |d| d.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0));
            entries.push(Entry { target: Target::Document(doc.clone()), names, rank });
        }
        Self { entries }
    }

    /// Every document and entity `query` finds, best first: whole names
    /// before beginnings before insides, then by rank.
    pub fn find(&self, query: &str) -> Vec<Hit> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, i64, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let quality = e.names.iter().map(|n| if *n == q { 3 } else if n.starts_with(&q) { 2 } else if n.contains(&q) { 1 } else { 0 }).max()?;
                (quality > 0).then_some((quality, e.rank, i))
            })
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(quality, _, i)| Hit { target: self.entries[i].target.clone(), quality }).collect()
    }
}

/// At most this many documents and this many entities are listed.
const SHOWN: usize = 50;

/// The search page's body.
pub fn page(snapshot: &Snapshot, query: &str) -> String {
    if fold(query).is_empty() {
        return "<p>Type a name in the box above: 哈萨克斯坦, 哈方, Kazakhstan, Q232, 上海合作組織…</p>".into();
    }
    let hits = snapshot.search.find(query);
    let (net, cg) = (&snapshot.network, &snapshot.citations);
    let mut documents = Vec::new();
    let mut entities = Vec::new();
    for hit in &hits {
        match &hit.target {
            Target::Document(doc) => documents.push(doc),
            Target::Entity(id) => entities.push(id),
        }
    }
    let mut body = String::new();
    let doc_rows: Vec<Vec<String>> = documents
        .iter()
        .take(SHOWN)
        .filter_map(|doc| {
            let w = &cg.graph[cg.document_node(doc)?];
            Some(vec![link(&doc_href(doc), &w.title), esc(w.date.as_deref().unwrap_or("undated")), esc(doc)])
        })
        .collect();
    let entity_rows: Vec<Vec<String>> = entities
        .iter()
        .take(SHOWN)
        .filter_map(|id| {
            let node = &net.graph[*net.index.get(id.as_str())?];
            Some(vec![
                link(&entity_href(id), &node.label),
                esc(node.english.as_deref().unwrap_or("")),
                esc(node.entity_type.as_str()),
                snapshot.mention_counts.get(id.as_str()).copied().unwrap_or(0).to_string(),
                format!("<code>{}</code>", esc(id)),
            ])
        })
        .collect();
    if documents.is_empty() && entities.is_empty() {
        body.push_str(&format!("<p class=\"empty\">Nothing is named “{}”.</p>", esc(query)));
    }
    if !documents.is_empty() {
        let content = table(&["title", "signed", "id"], &doc_rows) + &shown_of(doc_rows.len(), documents.len());
        body.push_str(&section("documents", &format!("Documents ({})", documents.len()), &content));
    }
    if !entities.is_empty() {
        let content = table(&["name", "English", "type", "mentions", "id"], &entity_rows) + &shown_of(entity_rows.len(), entities.len());
        body.push_str(&section("entities", &format!("Entities ({})", entities.len()), &content));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn traditional_characters_and_case_fold_away() {
        assert_eq!(fold(" 上海合作組織 "), "上海合作组织");
        assert_eq!(fold("中華人民共和國"), "中华人民共和国");
        assert_eq!(fold("Kazakhstan"), "kazakhstan");
        assert_eq!(fold("Q232"), "q232");
    }
}
