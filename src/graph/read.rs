//! What the store says about one document or one entity, read back into
//! plain records for pages and reports. Reads go by index — a document's
//! graph in one scan, an entity's mentions lazily — never by a corpus-wide
//! query, so they take milliseconds on any store size.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};

use super::mapping::statement_iri;
use super::vocab::{self, dg, document_id, entity_id, iri, ELI, ITSRDF, NIF, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD};
use super::GraphStore;
use crate::model::EntityType;

/// A document: its metadata and its text in reading order, with its
/// mentions, citations and relations.
#[derive(Debug, Clone, Default)]
pub struct DocumentRecord {
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub source: Option<String>,
    /// Signing date, `YYYY-MM-DD` (or shorter).
    pub date: Option<String>,
    pub place: Option<String>,
    pub dateline: Option<String>,
    /// The treaty entity this document is.
    pub work: Option<String>,
    /// Party entity ids.
    pub parties: Vec<String>,
    /// Paragraphs of sentences, in reading order.
    pub paragraphs: Vec<Vec<SentenceRecord>>,
    /// In order of their place in the source.
    pub citations: Vec<CitationRecord>,
    /// In order of their place in the source.
    pub relations: Vec<RelationRecord>,
}

#[derive(Debug, Clone, Default)]
pub struct SentenceRecord {
    pub text: String,
    /// Its mentions, placed in `text`, by start (an outer one before those inside it).
    pub mentions: Vec<MentionRecord>,
}

/// A mention, located by character offsets into its sentence's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRecord {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The entity id (`None` for a date).
    pub entity: Option<String>,
    pub entity_type: Option<EntityType>,
    /// A date's normalized value.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CitationRecord {
    pub title: String,
    pub date: Option<String>,
    pub verb: Option<String>,
    /// The cited work's treaty entity id.
    pub work: Option<String>,
    start: u32,
}

/// A typed relation, with the sentence it was read from.
#[derive(Debug, Clone, Default)]
pub struct RelationRecord {
    pub subject: String,
    /// `supports`, `member_of`…
    pub predicate: String,
    /// An entity id, or a value (a date) when `object_is_entity` is false.
    pub object: String,
    pub object_is_entity: bool,
    pub sentence: String,
    start: u32,
}

/// Everything said about each subject of a graph, read in one scan.
struct GraphFacts(HashMap<NamedNode, Vec<(NamedNode, Term)>>);

impl GraphFacts {
    fn read(store: &GraphStore, graph: NamedNodeRef<'_>) -> anyhow::Result<Self> {
        let mut facts: HashMap<NamedNode, Vec<(NamedNode, Term)>> = HashMap::new();
        for q in store.inner().quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph))) {
            let q = q?;
            if let NamedOrBlankNode::NamedNode(s) = q.subject {
                facts.entry(s).or_default().push((q.predicate, q.object));
            }
        }
        Ok(Self(facts))
    }

    fn objects<'a>(&'a self, subject: &NamedNode, predicate: &'a NamedNode) -> impl Iterator<Item = &'a Term> + 'a {
        self.0.get(subject).into_iter().flatten().filter(move |(p, _)| p == predicate).map(|(_, o)| o)
    }

    fn value(&self, subject: &NamedNode, predicate: &NamedNode) -> Option<String> {
        self.objects(subject, predicate).find_map(|o| match o {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
    }

    fn number(&self, subject: &NamedNode, predicate: &NamedNode) -> Option<u32> {
        self.value(subject, predicate)?.parse().ok()
    }

    fn node(&self, subject: &NamedNode, predicate: &NamedNode) -> Option<NamedNode> {
        self.objects(subject, predicate).find_map(|o| match o {
            Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        })
    }

    /// Subjects having `rdf:type class`.
    fn of_type<'a>(&'a self, class: &'a NamedNode) -> impl Iterator<Item = &'a NamedNode> + 'a {
        let a = iri(RDF, "type");
        self.0.iter().filter(move |(_, po)| po.iter().any(|(p, o)| *p == a && matches!(o, Term::NamedNode(c) if c == class))).map(|(s, _)| s)
    }
}

/// The document `id`, or `None` when the store has no such document.
pub fn document(store: &GraphStore, id: &str) -> anyhow::Result<Option<DocumentRecord>> {
    let doc = vocab::document(id);
    let facts = GraphFacts::read(store, doc.as_ref())?;
    if !facts.0.contains_key(&doc) {
        return Ok(None);
    }
    let entity_of = |n: NamedNode| entity_id(n.as_str()).map(str::to_owned);
    let mut record = DocumentRecord {
        id: id.to_owned(),
        title: facts.value(&doc, &iri(SCHEMA, "name")).unwrap_or_default(),
        kind: facts.value(&doc, &dg("kind")),
        source: facts.value(&doc, &dg("sourceFile")),
        date: facts.value(&doc, &iri(ELI, "date_document")),
        place: facts.value(&doc, &dg("signedPlace")),
        dateline: facts.value(&doc, &dg("dateline")),
        work: facts.node(&doc, &dg("work")).and_then(entity_of),
        parties: facts.objects(&doc, &dg("party")).filter_map(|o| if let Term::NamedNode(n) = o { entity_of(n.clone()) } else { None }).collect(),
        ..DocumentRecord::default()
    };
    record.parties.sort();

    // Reading order: by span, then by place within the span.
    let (begin, end) = (iri(NIF, "beginIndex"), iri(NIF, "endIndex"));
    let mut spans: Vec<(u32, u32, u32)> = facts
        .objects(&doc, &dg("hasSpan"))
        .filter_map(|o| if let Term::NamedNode(s) = o { Some((facts.number(s, &dg("order"))?, facts.number(s, &begin)?, facts.number(s, &end)?)) } else { None })
        .collect();
    spans.sort();
    let span_of = |at: u32| spans.iter().position(|&(_, s, e)| s <= at && at < e).unwrap_or(spans.len());
    let sentence_class = iri(NIF, "Sentence");
    let mut sentences: Vec<(usize, u32, u32, &NamedNode)> = facts
        .of_type(&sentence_class)
        .filter_map(|s| {
            let start = facts.number(s, &begin)?;
            Some((span_of(start), start, facts.number(s, &end)?, s))
        })
        .collect();
    sentences.sort();

    let mut mentions_of: HashMap<&NamedNode, Vec<(u32, u32, MentionRecord)>> = HashMap::new();
    let (sentence_link, mention_class) = (iri(NIF, "sentence"), dg("Mention"));
    for m in facts.of_type(&mention_class) {
        let (Some(s), Some(start), Some(stop), Some(sentence)) = (facts.value(m, &iri(NIF, "anchorOf")), facts.number(m, &begin), facts.number(m, &end), facts.node(m, &sentence_link)) else {
            continue;
        };
        let Some(key) = sentences.iter().map(|x| x.3).find(|x| **x == sentence) else { continue };
        let entity_type = facts.node(m, &dg("mentionType")).and_then(|t| EntityType::parse(t.as_str().strip_prefix(vocab::DG)?));
        let mention = MentionRecord {
            start: 0,
            end: 0,
            text: s,
            entity: facts.node(m, &iri(ITSRDF, "taIdentRef")).and_then(entity_of),
            entity_type,
            value: facts.value(m, &dg("normalizedDate")),
        };
        mentions_of.entry(key).or_default().push((start, stop, mention));
    }

    let anchor = iri(NIF, "anchorOf");
    let mut previous: Option<(usize, u32)> = None;
    for &(span, start, stop, s) in &sentences {
        let text = facts.value(s, &anchor).unwrap_or_default();
        let mentions = place_mentions(&text, start, mentions_of.remove(s).unwrap_or_default());
        // A sentence starts a paragraph where the source skips a line
        // break (or more) before it, or a new span begins.
        let continues = previous.is_some_and(|(p_span, p_end)| p_span == span && start <= p_end);
        if !continues || record.paragraphs.is_empty() {
            record.paragraphs.push(Vec::new());
        }
        record.paragraphs.last_mut().expect("a paragraph").push(SentenceRecord { text, mentions });
        previous = Some((span, stop));
    }

    let sentence_text = |n: Option<NamedNode>| n.and_then(|s| facts.value(&s, &anchor)).unwrap_or_default();
    let derived = iri(PROV, "wasDerivedFrom");
    let (citation_class, statement_class) = (dg("Citation"), iri(RDF, "Statement"));
    for c in facts.of_type(&citation_class) {
        record.citations.push(CitationRecord {
            title: facts.value(c, &dg("citedTitle")).unwrap_or_default(),
            date: facts.value(c, &dg("citedDate")),
            verb: facts.value(c, &dg("verb")),
            work: facts.node(c, &dg("citedWork")).and_then(entity_of),
            start: facts.number(c, &begin).unwrap_or(0),
        });
    }
    record.citations.sort_by_key(|c| c.start);
    for r in facts.of_type(&statement_class) {
        let (Some(subject), Some(predicate)) = (facts.node(r, &iri(RDF, "subject")).and_then(entity_of), facts.node(r, &iri(RDF, "predicate"))) else { continue };
        let (object, object_is_entity) = match facts.objects(r, &iri(RDF, "object")).next() {
            Some(Term::NamedNode(n)) => (entity_of(n.clone()).unwrap_or_else(|| n.as_str().to_owned()), true),
            Some(Term::Literal(l)) => (l.value().to_owned(), false),
            _ => continue,
        };
        record.relations.push(RelationRecord {
            subject,
            predicate: vocab::relation_predicate(predicate.as_str()),
            object,
            object_is_entity,
            sentence: sentence_text(facts.node(r, &derived)),
            // In the order of the sentences stating them.
            start: facts.node(r, &derived).and_then(|st| facts.number(&st, &begin)).unwrap_or(0),
        });
    }
    record.relations.sort_by(|a, b| a.start.cmp(&b.start).then(a.predicate.cmp(&b.predicate)));
    Ok(Some(record))
}

/// Places mentions (with source offsets) in their sentence's text: at the
/// offset from the sentence's start when the quote is there (plain-text
/// sources), else at the quote's first free occurrence (sources whose text
/// was derived, as from HTML). A mention may lie inside another (联大 in a
/// resolution's title), but one crossing another's edge is left out.
/// Sorted by start, the outer before the inner.
fn place_mentions(text: &str, sentence_start: u32, mut found: Vec<(u32, u32, MentionRecord)>) -> Vec<MentionRecord> {
    let chars: Vec<char> = text.chars().collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut placed: Vec<MentionRecord> = Vec::new();
    let fits_among = |placed: &[MentionRecord], s: usize, e: usize| {
        placed.iter().all(|p| e <= p.start || s >= p.end || ((p.start <= s && e <= p.end) || (s <= p.start && p.end <= e)) && (s, e) != (p.start, p.end))
    };
    for (start, _, mut m) in found {
        let quote: Vec<char> = m.text.chars().collect();
        let fits = |at: usize| chars.get(at..at + quote.len()) == Some(quote.as_slice());
        let expected = start.saturating_sub(sentence_start) as usize;
        let at = if fits(expected) && fits_among(&placed, expected, expected + quote.len()) {
            Some(expected)
        } else {
            (0..chars.len()).find(|&i| fits(i) && fits_among(&placed, i, i + quote.len()))
        };
        if let Some(at) = at.filter(|_| !quote.is_empty()) {
            m.start = at;
            m.end = at + quote.len();
            placed.push(m);
        }
    }
    placed.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    placed
}

/// An entity as the entity graph describes it.
#[derive(Debug, Clone, Default)]
pub struct EntityRecord {
    pub id: String,
    pub label: String,
    pub english: Option<String>,
    pub wikidata: Option<String>,
    pub entity_type: Option<EntityType>,
    pub kind: Option<String>,
    pub date: Option<String>,
}

/// The entity `id`, or `None` when the store does not describe it.
pub fn entity(store: &GraphStore, id: &str) -> anyhow::Result<Option<EntityRecord>> {
    let e = vocab::entity(id);
    let graph = vocab::entities_graph();
    let mut record = EntityRecord { id: id.to_owned(), ..EntityRecord::default() };
    let mut found = false;
    for q in store.inner().quads_for_pattern(Some(e.as_ref().into()), None, None, Some(GraphNameRef::NamedNode(graph.as_ref()))) {
        let q = q?;
        found = true;
        let p = q.predicate.as_str();
        match q.object {
            Term::Literal(l) if p == iri(SKOS, "prefLabel").as_str() && (record.label.is_empty() || l.value() < record.label.as_str()) => record.label = l.value().to_owned(),
            Term::Literal(l) if p == iri(RDFS, "label").as_str() && l.language() == Some("en") => record.english = Some(l.value().to_owned()),
            Term::Literal(l) if p == dg("kind").as_str() => record.kind = Some(l.value().to_owned()),
            Term::Literal(l) if p == iri(SCHEMA, "datePublished").as_str() => record.date = Some(l.value().to_owned()),
            Term::NamedNode(n) if p == iri(OWL, "sameAs").as_str() => record.wikidata = n.as_str().strip_prefix(WD).map(str::to_owned),
            Term::NamedNode(n) if p == iri(RDF, "type").as_str() => record.entity_type = n.as_str().strip_prefix(vocab::DG).and_then(EntityType::parse),
            _ => {}
        }
    }
    Ok(found.then_some(record))
}

/// One mention of an entity: the document, the words used, the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub doc: String,
    pub quote: String,
    pub sentence: String,
}

/// The first `limit` mentions of an entity, read lazily from the index.
pub fn mentions(store: &GraphStore, id: &str, limit: usize) -> anyhow::Result<Vec<Occurrence>> {
    let e = Term::from(vocab::entity(id));
    let (anchor, sentence_link) = (iri(NIF, "anchorOf"), iri(NIF, "sentence"));
    let mut out = Vec::new();
    for q in store.inner().quads_for_pattern(None, Some(iri(ITSRDF, "taIdentRef").as_ref()), Some(e.as_ref()), None).take(limit) {
        let q = q?;
        let oxigraph::model::GraphName::NamedNode(graph) = &q.graph_name else { continue };
        let Some(doc) = document_id(graph.as_str()) else { continue };
        let in_graph = Some(GraphNameRef::NamedNode(graph.as_ref()));
        let one = |s: oxigraph::model::NamedOrBlankNodeRef<'_>, p: &NamedNode| -> anyhow::Result<Option<Term>> {
            Ok(store.inner().quads_for_pattern(Some(s), Some(p.as_ref()), None, in_graph).next().transpose()?.map(|q| q.object))
        };
        let quote = match one(q.subject.as_ref(), &anchor)? {
            Some(Term::Literal(l)) => l.value().to_owned(),
            _ => String::new(),
        };
        let sentence = match one(q.subject.as_ref(), &sentence_link)? {
            Some(Term::NamedNode(s)) => match one(s.as_ref().into(), &anchor)? {
                Some(Term::Literal(l)) => l.value().to_owned(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        out.push(Occurrence { doc: doc.to_owned(), quote, sentence });
    }
    Ok(out)
}

/// The sentence a document states a relation in (as the network's digest
/// names it: entity ids and predicate), if the document has it.
pub fn relation_evidence(store: &GraphStore, doc: &str, subject: &str, predicate: &str, object: &str) -> anyhow::Result<Option<String>> {
    let graph = vocab::document(doc);
    let in_graph = Some(GraphNameRef::NamedNode(graph.as_ref()));
    let statement = statement_iri(&graph, subject, predicate, object);
    let first = |s: NamedNodeRef<'_>, p: &NamedNode| -> anyhow::Result<Option<Term>> {
        Ok(store.inner().quads_for_pattern(Some(s.into()), Some(p.as_ref()), None, in_graph).next().transpose()?.map(|q| q.object))
    };
    let Some(Term::NamedNode(sentence)) = first(statement.as_ref(), &iri(PROV, "wasDerivedFrom"))? else { return Ok(None) };
    Ok(match first(sentence.as_ref(), &iri(NIF, "anchorOf"))? {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    })
}

/// Every surface form each entity is written with in the documents
/// (`skos:altLabel`), by entity id.
pub fn surface_forms(store: &GraphStore) -> anyhow::Result<HashMap<String, BTreeSet<String>>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for q in store.inner().quads_for_pattern(None, Some(iri(SKOS, "altLabel").as_ref()), None, None) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(e), Term::Literal(l)) = (&q.subject, &q.object) {
            if let Some(id) = entity_id(e.as_str()) {
                if !out.get(id).is_some_and(|forms| forms.contains(l.value())) {
                    out.entry(id.to_owned()).or_default().insert(l.value().to_owned());
                }
            }
        }
    }
    Ok(out)
}

/// How many mentions each entity has, by entity id.
pub fn mention_counts(store: &GraphStore) -> anyhow::Result<HashMap<String, usize>> {
    let mut out: HashMap<String, usize> = HashMap::new();
    let mut last: Option<(NamedNode, String)> = None;
    // The index is sorted by object: one id lookup per entity, not per mention.
    for q in store.inner().quads_for_pattern(None, Some(iri(ITSRDF, "taIdentRef").as_ref()), None, None) {
        let q = q?;
        let Term::NamedNode(e) = q.object else { continue };
        let id = match &last {
            Some((n, id)) if *n == e => id.clone(),
            _ => {
                let id = entity_id(e.as_str()).unwrap_or_default().to_owned();
                last = Some((e, id.clone()));
                id
            }
        };
        *out.entry(id).or_default() += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str) -> MentionRecord {
        MentionRecord { start: 0, end: 0, text: text.into(), entity: Some(text.into()), entity_type: None, value: None }
    }

    #[test]
    fn mentions_are_placed_by_offset_else_by_quote_nested_but_never_crossing() {
        let text = "中方支持哈方，哈方支持中方。";
        // Offsets from the sentence start at 100: 哈方 at 4, and a second 哈方 at 7.
        let placed = place_mentions(text, 100, vec![(104, 106, mention("哈方")), (107, 109, mention("哈方")), (100, 102, mention("中方"))]);
        assert_eq!(placed.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(), [(0, 2), (4, 6), (7, 9)]);
        // Offsets that do not match the text (a derived text): the quote is found.
        let placed = place_mentions(text, 0, vec![(50, 52, mention("哈方")), (60, 62, mention("哈方"))]);
        assert_eq!(placed.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(), [(4, 6), (7, 9)]);
        // A mention inside a longer one is kept, after it; one crossing its edge is not.
        let placed = place_mentions("中华人民共和国", 0, vec![(2, 4, mention("人民")), (0, 7, mention("中华人民共和国")), (3, 5, mention("民共")), (2, 4, mention("人民"))]);
        assert_eq!(placed.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(), [(0, 7), (2, 4)]);
        // A quote the sentence does not hold is not placed.
        assert!(place_mentions(text, 0, vec![(0, 2, mention("俄方"))]).is_empty());
    }
}
