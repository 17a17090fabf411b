//! A partner's history: China's relationship with one party across the
//! corpus, oldest first: the documents between them, each relationship level
//! declared or recalled (and the act), each visit or meeting, and the
//! earlier documents between them that the statements cite.
//!
//! Read from the store through SPARQL like the rest of analysis; the
//! workbench's partner page and `diplograph timeline` show the same value.

use std::collections::BTreeSet;

use oxigraph::model::Term;
use serde::Serialize;

use crate::graph::sparql::{cell, document_cell, optional_cell, select_rows};
use crate::graph::vocab::{entities_graph, entity, levels_graph};
use crate::graph::GraphStore;

/// The party every timeline is seen from.
pub const CHINA: &str = "party/中华人民共和国";

/// One partner's history.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The partner's entity id (`party/哈萨克斯坦共和国`).
    pub partner: String,
    pub label: String,
    pub english: Option<String>,
    /// Oldest first; undated entries last.
    pub entries: Vec<Entry>,
}

/// What happened at one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// YYYY, YYYY-MM or YYYY-MM-DD; none when the text gives none.
    pub date: Option<String>,
    /// The document that says so (its id).
    pub doc: String,
    #[serde(flatten)]
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    /// A corpus document between China and the partner.
    Document { title: String, document_kind: String },
    /// A relationship level: declared by the document, or recalled from an earlier date.
    Level { level: String, level_en: String, rank: i64, act: String, recalled: bool, phrase: String },
    /// A visit, talks, a meeting or an attendance.
    Visit { visit_kind: String, visitor: Option<String>, host: Option<String>, event: Option<String>, until: Option<String> },
    /// An earlier document between them that a statement cites (《…》 with its date).
    Cited { title: String, work: String },
}

impl What {
    /// Order within one date: documents, then levels, visits, citations.
    fn order(&self) -> u8 {
        match self {
            What::Document { .. } => 0,
            What::Level { .. } => 1,
            What::Visit { .. } => 2,
            What::Cited { .. } => 3,
        }
    }
}

/// The party `name` names: an id, its Chinese name, a surface form the
/// documents use (哈方, 哈萨克斯坦), or its English name in any case. A name
/// that fits several parties lists them; one that fits none lists the
/// partners the store has.
pub fn find_partner(store: &GraphStore, name: &str) -> anyhow::Result<(String, String, Option<String>)> {
    // An id (from a link) is looked up directly.
    if name.starts_with("party/") && name != CHINA {
        let query = format!(
            "SELECT ?label ?en WHERE {{ GRAPH <{g}> {{ <{e}> a dg:Party ; skos:prefLabel ?label . OPTIONAL {{ <{e}> rdfs:label ?en FILTER(LANG(?en) = \"en\") }} }} }} LIMIT 1",
            g = entities_graph().as_str(),
            e = entity(name).as_str()
        );
        if let Some(r) = select_rows(store.inner(), &query)?.1.first() {
            return Ok((name.to_owned(), cell(&r[0]), optional_cell(&r[1])));
        }
    }
    let literal = serde_json::to_string(&name.to_lowercase())?;
    let query = format!(
        "SELECT DISTINCT ?e ?label ?en WHERE {{ GRAPH <{g}> {{ ?e a dg:Party ; skos:prefLabel ?label . OPTIONAL {{ ?e rdfs:label ?en FILTER(LANG(?en) = \"en\") }} }} \
           {{ GRAPH <{g}> {{ {{ ?e skos:prefLabel ?l }} UNION {{ ?e rdfs:label ?l }} }} }} UNION {{ GRAPH ?d {{ ?e skos:altLabel ?l }} }} \
           FILTER(LCASE(STR(?l)) = {literal} || STR(?e) = CONCAT(\"{id}\", {raw})) }}",
        g = entities_graph().as_str(),
        id = entity("").as_str(),
        raw = serde_json::to_string(name)?,
    );
    let (_, rows) = select_rows(store.inner(), &query)?;
    let mut found: Vec<(String, String, Option<String>)> = rows.iter().map(|r| (cell(&r[0]), cell(&r[1]), optional_cell(&r[2]))).collect();
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    match found.as_slice() {
        [one] if one.0 == CHINA => anyhow::bail!("{name:?} is China, the side every timeline is seen from: name a partner"),
        [one] => Ok(one.clone()),
        [] => {
            let partners = partners(store)?;
            anyhow::bail!("no party is named {name:?}; the store's partners: {}", if partners.is_empty() { "(none: ingest statements first)".to_owned() } else { partners.join(", ") })
        }
        many => anyhow::bail!("{name:?} names {} parties; use an id: {}", many.len(), many.iter().map(|p| format!("{} ({})", p.0, p.1)).collect::<Vec<_>>().join(", ")),
    }
}

/// The labels of the parties the store's documents have besides China.
pub fn partners(store: &GraphStore) -> anyhow::Result<Vec<String>> {
    let query = format!(
        "SELECT DISTINCT ?label WHERE {{ GRAPH ?d {{ ?d a dg:Document ; dg:party ?p }} FILTER(?p != <{china}>) GRAPH <{g}> {{ ?p skos:prefLabel ?label }} }} ORDER BY ?label",
        china = entity(CHINA).as_str(),
        g = entities_graph().as_str()
    );
    let (_, rows) = select_rows(store.inner(), &query)?;
    Ok(rows.iter().map(|r| cell(&r[0])).collect())
}

/// The history of China's relationship with the party `name` names.
pub fn timeline(store: &GraphStore, name: &str) -> anyhow::Result<Timeline> {
    let (partner, label, english) = find_partner(store, name)?;
    let p = entity(&partner);
    let (china, ents, levels) = (entity(CHINA), entities_graph(), levels_graph());
    let (p, china, ents, levels) = (p.as_str(), china.as_str(), ents.as_str(), levels.as_str());
    let mut entries = Vec::new();

    let (_, rows) = select_rows(
        store.inner(),
        // One graph pattern: split in two, oxigraph reads every document's optional date.
        &format!("SELECT ?doc ?date ?title ?kind WHERE {{ GRAPH ?doc {{ ?doc dg:party <{p}>, <{china}> ; a dg:Document ; schema:name ?title ; dg:kind ?kind OPTIONAL {{ ?doc eli:date_document ?date }} }} }}"),
    )?;
    let mut graphs = String::new();
    for r in &rows {
        entries.push(Entry { date: optional_cell(&r[1]), doc: document_cell(&r[0]), what: What::Document { title: cell(&r[2]), document_kind: cell(&r[3]) } });
        if let Some(Term::NamedNode(g)) = &r[0] {
            graphs.push_str(&format!(" <{}>", g.as_str()));
        }
    }
    // The other questions read those documents' graphs only.
    let docs_clause = format!("VALUES ?doc {{{graphs} }}");

    let (_, rows) = select_rows(
        store.inner(),
        &format!(
            "SELECT ?doc ?date ?level ?en ?rank ?act ?recalled ?phrase WHERE {{ {docs_clause} \
               GRAPH ?doc {{ ?d a dg:RelationshipDeclaration ; dg:between <{p}> ; dg:level ?l ; dg:act ?a ; dg:recalled ?recalled ; dg:phrase ?phrase OPTIONAL {{ ?d dg:date ?date }} }} \
               GRAPH <{levels}> {{ ?l skos:prefLabel ?level , ?en ; dg:rank ?rank . ?a skos:prefLabel ?act FILTER(LANG(?level) = \"zh\" && LANG(?en) = \"en\" && LANG(?act) = \"en\") }} }}"
        ),
    )?;
    for r in &rows {
        entries.push(Entry {
            date: optional_cell(&r[1]),
            doc: document_cell(&r[0]),
            what: What::Level {
                level: cell(&r[2]),
                level_en: cell(&r[3]),
                rank: cell(&r[4]).parse().unwrap_or(0),
                act: cell(&r[5]),
                recalled: cell(&r[6]) == "true",
                phrase: cell(&r[7]),
            },
        });
    }

    let label_of = |var: &str, property: &str| format!("OPTIONAL {{ GRAPH ?doc {{ ?v dg:{property} ?{var}_e }} GRAPH <{ents}> {{ ?{var}_e skos:prefLabel ?{var} }} }}");
    let (_, rows) = select_rows(
        store.inner(),
        &format!(
            "SELECT ?doc ?start ?end ?kind ?visitor ?host ?event WHERE {{ {docs_clause} GRAPH ?doc {{ ?v a dg:Visit ; dg:visitKind ?kind OPTIONAL {{ ?v dg:startDate ?start ; dg:endDate ?end }} }} {} {} {} }}",
            label_of("visitor", "visitor"),
            label_of("host", "host"),
            label_of("event", "attended")
        ),
    )?;
    for r in &rows {
        let (start, end) = (optional_cell(&r[1]), optional_cell(&r[2]));
        let until = end.filter(|e| Some(e) != start.as_ref());
        entries.push(Entry {
            date: start,
            doc: document_cell(&r[0]),
            what: What::Visit { visit_kind: cell(&r[3]), visitor: optional_cell(&r[4]), host: optional_cell(&r[5]), event: optional_cell(&r[6]), until },
        });
    }

    // Earlier documents between the two that the statements cite: dated
    // works whose title names the partner as the documents do.
    let (_, rows) = select_rows(
        store.inner(),
        &format!(
            "SELECT DISTINCT ?name WHERE {{ {{ GRAPH <{ents}> {{ <{p}> skos:prefLabel ?name }} }} UNION {{ GRAPH ?d {{ <{p}> skos:altLabel ?name }} }} }}"
        ),
    )?;
    let names: Vec<String> = rows.iter().map(|r| cell(&r[0])).filter(|n| n.chars().count() >= 3).collect();
    let (_, rows) = select_rows(
        store.inner(),
        &format!("SELECT ?doc ?work ?title ?date WHERE {{ {docs_clause} GRAPH ?doc {{ ?c a dg:Citation ; dg:citedWork ?work ; dg:citedTitle ?title ; dg:citedDate ?date }} }}"),
    )?;
    // Each work once, as its earliest citing document (by date, then id) cites it.
    let mut rows: Vec<(String, String, String, Option<String>)> = rows.iter().map(|r| (cell(&r[1]), cell(&r[2]), document_cell(&r[0]), optional_cell(&r[3]))).collect();
    rows.sort_by(|a, b| (&a.3, &a.2).cmp(&(&b.3, &b.2)));
    let mut cited = BTreeSet::new();
    for (work, title, citing, date) in rows {
        if names.iter().any(|n| title.contains(n.as_str())) && cited.insert(work.clone()) {
            entries.push(Entry { date, doc: citing, what: What::Cited { title, work } });
        }
    }

    // Oldest first, undated last; within a date, documents before what they
    // say; then by content, so that equal entries are adjacent for dedup.
    entries.sort_by_cached_key(|e| (e.date.is_none(), e.date.clone(), e.what.order(), e.doc.clone(), format!("{:?}", e.what)));
    entries.dedup();
    Ok(Timeline { partner, label, english, entries })
}

impl Entry {
    /// One line of text: what happened, without the date.
    pub fn describe(&self) -> String {
        match &self.what {
            What::Document { title, document_kind } => format!("{document_kind}: {title}"),
            What::Level { level, level_en, act, recalled, phrase, .. } => {
                let recalled = if *recalled { " (recalled)" } else { "" };
                format!("level {act}: {level} ({level_en}){recalled} — “{phrase}”")
            }
            What::Visit { visit_kind, visitor, host, event, until } => {
                let mut s = visit_kind.clone();
                if let Some(v) = visitor {
                    s.push_str(&format!(": {v}"));
                }
                if let Some(h) = host {
                    s.push_str(&format!(" → {h}"));
                }
                if let Some(e) = event {
                    s.push_str(&format!(" at {e}"));
                }
                if let Some(u) = until {
                    s.push_str(&format!(" (until {u})"));
                }
                s
            }
            What::Cited { title, .. } => format!("cited: 《{title}》"),
        }
    }

    /// The entry's kind as JSON and CSV name it.
    pub fn kind(&self) -> &'static str {
        match self.what {
            What::Document { .. } => "document",
            What::Level { .. } => "level",
            What::Visit { .. } => "visit",
            What::Cited { .. } => "cited",
        }
    }
}
