//! Stage 3 — documents to mentions, entities, citations and relations.
//!
//! A pipeline of named recognizers (each testable alone, each configured from
//! the lexicon and gazetteer) proposes candidate mentions; overlapping ones
//! are chosen among; the chosen are resolved to entities with stable ids;
//! relation cues and co-mentions link them. Every offset leaving this stage
//! is a code point offset into the source file.
//!
//! Depends on `document`, `knowledge`, `zh`, `ids` and `model`; knows nothing
//! of RDF or the store.

pub mod bounds;
pub mod candidate;
pub mod context;
pub mod known;
pub mod relations;
pub mod relationships;
pub mod resolve;
pub mod shapes;
pub mod titles;
pub mod visits;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::document::paragraph::ParaKind;
use crate::document::Document;
use crate::knowledge::Knowledge;
use crate::model::{Citation, DocumentMeta, Entity, EntityType, Mention, Relation, RelationshipDeclaration, Sentence, Visit};
use crate::zh::SENTENCE_END;

use candidate::{Candidate, Origin};
use context::{DocView, Findings, Recognizer};
use relations::{Item, RelationCues};

/// Everything extracted from one document.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    #[serde(flatten)]
    pub meta: DocumentMeta,
    pub mentions: Vec<Mention>,
    pub citations: Vec<Citation>,
    pub relations: Vec<Relation>,
    /// The entities mentioned, once each.
    pub entities: Vec<Entity>,
    pub sentences: Vec<Sentence>,
    /// The relationship levels it declares or recalls.
    pub relationships: Vec<RelationshipDeclaration>,
    /// The visits and meetings it reports.
    pub visits: Vec<Visit>,
    /// The bounds of [`bounds`] this document reached, as sentences to report.
    #[serde(skip)]
    pub bounds_reached: Vec<String>,
}

/// The byte ranges of the document's title paragraphs, in order.
fn title_ranges(doc: &Document) -> Vec<(usize, usize)> {
    doc.paragraphs.iter().filter(|p| p.2 == ParaKind::Title).map(|&(s, e, _)| (s, e)).collect()
}

/// A candidate as a recognizer proposed it.
struct Proposed {
    candidate: Candidate,
    recognizer: &'static str,
    dropped: Option<&'static str>,
}

/// One candidate mention and what became of it (see [`Extractor::explain`]).
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub recognizer: &'static str,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub text: String,
    /// Code point offsets into the source file.
    pub start: u32,
    pub end: u32,
    pub outcome: String,
}

/// The extraction pipeline.
pub struct Extractor {
    recognizers: Vec<Box<dyn Recognizer>>,
    relation_cues: RelationCues,
    visit_cues: visits::VisitCues,
    /// The words of every relation cue, then of every visit cue: found in one
    /// pass over a document.
    cue_words: crate::knowledge::required::WordFilter,
    /// Concepts and slogans, inside which nothing is an entity.
    concepts: aho_corasick::AhoCorasick,
    known_names_first: shapes::KnownNamesFirst,
    /// The entity of each gazetteer entry, made on first use.
    known_entities: Vec<std::sync::OnceLock<std::sync::Arc<Entity>>>,
}

impl Extractor {
    pub fn new(knowledge: &Knowledge) -> Self {
        let recognizers: Vec<Box<dyn Recognizer>> = vec![
            Box::new(known::GazetteerNames::new(knowledge)),
            Box::new(known::PartyForms::new(knowledge)),
            Box::new(known::Persons::new(knowledge)),
            Box::new(titles::Titles::new(knowledge)),
            Box::new(shapes::NameShapes::new(knowledge)),
            Box::new(shapes::QuotedNames::new(knowledge)),
            Box::new(shapes::PairNames::new(knowledge)),
            Box::new(shapes::EventPatterns::new(knowledge)),
            Box::new(shapes::PlaceCues::new(knowledge)),
        ];
        let concepts = aho_corasick::AhoCorasick::builder().kind(Some(aho_corasick::AhoCorasickKind::DFA)).build(&knowledge.lexicon.extraction.concepts).expect("concept automaton");
        let (relation_cues, visit_cues) = (RelationCues::new(knowledge), visits::VisitCues::new(knowledge));
        let cue_words = crate::knowledge::required::WordFilter::new(relation_cues.requirements().iter().chain(visit_cues.requirements()).cloned());
        Self {
            recognizers,
            relation_cues,
            visit_cues,
            cue_words,
            concepts,
            known_names_first: shapes::KnownNamesFirst::new(knowledge),
            known_entities: (0..knowledge.gazetteer.entries().len()).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// The names of the components, in the order they run.
    pub fn component_names(&self) -> Vec<&'static str> {
        self.recognizers.iter().map(|r| r.name()).collect()
    }

    /// Runs the recognizers and the filters on their candidates: each
    /// candidate with the recognizer that proposed it and, if it was dropped
    /// before the choice among overlapping ones, why.
    fn propose(&self, doc: &Document, view: &DocView) -> (Vec<Proposed>, Findings) {
        let text = doc.text.as_str();
        let mut findings = Findings::default();
        let mut proposed: Vec<Proposed> = Vec::new();
        for r in &self.recognizers {
            crate::timing::time(r.name(), || r.recognize(view, &mut findings));
            proposed.extend(findings.candidates.drain(..).map(|candidate| Proposed { candidate, recognizer: r.name(), dropped: None }));
        }
        fn drop_where(proposed: &mut [Proposed], reason: &'static str, gone: &dyn Fn(&Candidate) -> bool) {
            for p in proposed.iter_mut().filter(|p| p.dropped.is_none()) {
                if gone(&p.candidate) {
                    p.dropped = Some(reason);
                }
            }
        }
        // Sorted and not overlapping: the one that could overlap a candidate is found by binary search.
        let blocked: Vec<(usize, usize)> = self.concepts.find_iter(text).map(|m| (m.start(), m.end())).collect();
        drop_where(&mut proposed, "inside a concept or slogan", &|c| blocked.get(blocked.partition_point(|&(_, e)| e <= c.start)).is_some_and(|&(s, _)| s < c.end));
        // A state's name before a known body's (乌兹别克斯坦上合组织…) is two
        // names, not one: the shape that joins them is no name.
        let known: HashSet<(usize, usize)> = proposed.iter().filter(|p| matches!(p.candidate.origin, Origin::Gazetteer(_) | Origin::PartyForm(_))).map(|p| (p.candidate.start, p.candidate.end)).collect();
        drop_where(&mut proposed, "a state's name and a known name", &|c| {
            matches!(c.origin, Origin::Shape) && known.iter().any(|&(s, e)| s == c.start && e < c.end && known.contains(&(e, c.end)))
        });
        // A person named after an office title (总理李强) inside what a shape
        // proposed makes it a clause (国务院总理李强同塔里克总理会谈), not a name.
        let mut persons: Vec<(usize, usize)> = proposed.iter().filter(|p| matches!(p.candidate.origin, Origin::Person { .. })).map(|p| (p.candidate.start, p.candidate.end)).collect();
        persons.sort_unstable();
        drop_where(&mut proposed, "holds a person named after an office title", &|c| {
            matches!(c.origin, Origin::Shape) && persons[persons.partition_point(|&(s, _)| s < c.start)..].iter().take_while(|&&(s, _)| s < c.end).any(|&(_, e)| e <= c.end)
        });
        // A document's own title names no entity but its parties.
        let titles = title_ranges(doc);
        drop_where(&mut proposed, "inside the document's own title", &|c| {
            !matches!(c.origin, Origin::Gazetteer(_) | Origin::PartyForm(_)) && titles.iter().any(|&(s, e)| s <= c.start && c.end <= e)
        });
        let cuts = &view.joins;
        drop_where(&mut proposed, "crosses the join of a rotated text", &|c| cuts.get(cuts.partition_point(|&j| j <= c.start)).is_some_and(|&j| j < c.end));
        let mut alive: Vec<Candidate> = proposed.iter().filter(|p| p.dropped.is_none()).map(|p| p.candidate.clone()).collect();
        self.known_names_first.apply(&mut alive, view);
        let kept: std::collections::HashSet<(usize, usize, EntityType)> = alive.iter().map(|c| (c.start, c.end, c.entity_type)).collect();
        drop_where(&mut proposed, "adds only common words to a known name", &|c| !kept.contains(&(c.start, c.end, c.entity_type)));
        (proposed, findings)
    }

    /// What each recognizer proposed in a document and what became of it:
    /// chosen, or dropped and why (`diplograph extract --explain`).
    pub fn explain(&self, doc: &Document, knowledge: &Knowledge) -> Vec<Explained> {
        let view = DocView::new(doc, knowledge, &self.known_entities);
        let (proposed, _) = self.propose(doc, &view);
        let alive: Vec<Candidate> = proposed.iter().filter(|p| p.dropped.is_none()).map(|p| p.candidate.clone()).collect();
        let chosen: std::collections::HashSet<(usize, usize, EntityType)> = candidate::select(alive).iter().map(|c| (c.start, c.end, c.entity_type)).collect();
        proposed
            .into_iter()
            .map(|p| {
                let c = &p.candidate;
                let (start, end) = doc.text.source_range(c.start, c.end);
                let outcome = match p.dropped {
                    Some(reason) => format!("dropped: {reason}"),
                    None if chosen.contains(&(c.start, c.end, c.entity_type)) => "chosen".to_owned(),
                    None => "dropped: overlaps a longer or stronger candidate".to_owned(),
                };
                Explained { recognizer: p.recognizer, entity_type: c.entity_type, text: doc.text.as_str()[c.start..c.end].to_owned(), start, end, outcome }
            })
            .collect()
    }

    pub fn extract(&self, doc: &Document, knowledge: &Knowledge) -> Extraction {
        let text = doc.text.as_str();
        // Quotes are as the source writes them; matching is on simplified characters.
        let written = doc.original.as_deref().unwrap_or(text);
        let view = crate::timing::time("extract: document view", || DocView::new(doc, knowledge, &self.known_entities));
        let (proposed, findings) = self.propose(doc, &view);
        let chosen = crate::timing::time("extract: choose candidates", || candidate::select(proposed.into_iter().filter(|p| p.dropped.is_none()).map(|p| p.candidate).collect()));
        let resolved = crate::timing::time("extract: resolve", || resolve::resolve(chosen, &findings.citations, &view));
        let resolved = aliases::attach(resolved, text);

        let sentences = sentence_ranges(text, &view.joins);
        let sentence_of = |at: usize| sentences.partition_point(|&(_, e)| e <= at).min(sentences.len().saturating_sub(1));
        let src = |s: usize, e: usize| doc.text.source_range(s, e);

        let mut mentions: Vec<Mention> = Vec::new();
        for r in &resolved {
            let (start, end) = src(r.candidate.start, r.candidate.end);
            mentions.push(Mention {
                entity_type: r.entity.entity_type,
                text: written[r.candidate.start..r.candidate.end].to_owned(),
                start,
                end,
                entity: r.entity.canonical.clone(),
                id: Some(r.entity.id.clone()),
                value: None,
                sentence: sentence_of(r.candidate.start),
            });
        }
        let dates = &view.dates;
        for d in dates {
            let (start, end) = src(d.start, d.end);
            mentions.push(Mention {
                entity_type: EntityType::Date,
                text: written[d.start..d.end].to_owned(),
                start,
                end,
                entity: d.value.clone().unwrap_or_else(|| text[d.start..d.end].to_owned()),
                id: None,
                value: d.value.clone(),
                sentence: sentence_of(d.start),
            });
        }
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));

        let by_span: HashMap<(usize, usize), &resolve::Resolved> = resolved.iter().map(|r| ((r.candidate.start, r.candidate.end), r)).collect();
        let citations: Vec<Citation> = findings
            .citations
            .iter()
            .map(|c| {
                let id = by_span
                    .get(&(c.start, c.end))
                    .map(|r| r.entity.id.clone())
                    .unwrap_or_else(|| crate::ids::TitleKey::of(&c.title, &knowledge.gazetteer, &view.party_codes).treaty_id(c.date.as_deref()));
                let (start, end) = src(c.start, c.end);
                Citation { title: written[c.start..c.end].to_owned(), date: c.date.clone(), verb: c.verb.clone(), kind: c.kind.clone(), id, resolves_to: None, start, end, sentence: sentence_of(c.start) }
            })
            .collect();

        // Relation items: top-level mentions, dates outside them, and 双方.
        let mut items: Vec<Item> = Vec::new();
        let top = outermost(&resolved);
        for r in &top {
            // 来华, 在哈, 对华: the party is where something happens, not who acts;
            // left as words, the cues read across them (哈方来华举办…).
            if matches!(r.candidate.origin, Origin::PartyForm(_)) && !text[r.candidate.start..r.candidate.end].ends_with('方') {
                continue;
            }
            items.push(Item { start: r.candidate.start, end: r.candidate.end, kind: r.entity.entity_type.as_str(), targets: std::slice::from_ref(&r.entity.id) });
        }
        for d in dates {
            if let Some(v) = &d.value {
                if !overlaps_any(&top, d.start, d.end) {
                    items.push(Item { start: d.start, end: d.end, kind: "Date", targets: std::slice::from_ref(v) });
                }
            }
        }
        let party_ids: Vec<String> = doc.meta.parties.iter().map(|p| p.id.clone()).collect();
        for b in &findings.both {
            if !overlaps_any(&top, b.start, b.end) && !party_ids.is_empty() {
                items.push(Item { start: b.start, end: b.end, kind: "Both", targets: &party_ids });
            }
        }
        items.sort_by_key(|i| (i.start, i.end));

        let mut relations: Vec<Relation> = Vec::new();
        let mut seen: HashMap<(String, String, String), ()> = HashMap::new();
        let mut bounds_reached = Vec::new();
        let (mut lists_cut, mut relations_cut) = (false, false);
        // The document's own title states nothing (…永久睦邻友好合作条约 is a name).
        let titles = title_ranges(doc);
        // Which cues each sentence holds the words of: relation cues first, then visit cues.
        let cue_words = self.cue_words.words_in_ranges(text, &sentences);
        let relation_cues = self.relation_cues.requirements().len();
        for (si, &(s, e)) in sentences.iter().enumerate() {
            if titles.iter().any(|&(ts, te)| ts <= s && e <= te) {
                continue;
            }
            let lo = items.partition_point(|i| i.start < s);
            let hi = items.partition_point(|i| i.start < e);
            for f in crate::timing::time("extract: relation cues", || self.relation_cues.find(text, s, e, |i| self.cue_words.allows(i, cue_words.get(si)), &items[lo..hi], &mut lists_cut)) {
                if relations.len() >= bounds::RELATIONS_PER_DOCUMENT {
                    relations_cut = true;
                    break;
                }
                if seen.insert((f.subject.clone(), f.predicate.clone(), f.object.clone()), ()).is_none() {
                    let (start, end) = src(f.start, f.end);
                    relations.push(Relation { subject: f.subject, predicate: f.predicate, object: f.object, start, end, count: None, sentence: si, other_sentence: None });
                }
            }
        }
        // Part-of from nesting: a unit named after the larger body it belongs
        // to (分委会 of 委员会, 上合组织X of 上合组织). A body named only after a
        // prefix is another's (中国—东盟X, 乌兹别克斯坦上合组织X).
        for (i, outer) in resolved.iter().enumerate() {
            if outer.entity.entity_type != EntityType::Organization {
                continue;
            }
            // `resolved` is sorted by start, longest first: what nests in `outer` follows it.
            for inner in resolved[i + 1..].iter().take_while(|r| r.candidate.start < outer.candidate.end) {
                let nested = inner.candidate.start == outer.candidate.start && inner.candidate.end <= outer.candidate.end && outer.candidate.len() > inner.candidate.len();
                if nested
                    && inner.entity.entity_type == EntityType::Organization
                    && outer.entity.id != inner.entity.id
                    && seen.insert((outer.entity.id.clone(), "other:part_of".into(), inner.entity.id.clone()), ()).is_none()
                {
                    let (start, end) = src(outer.candidate.start, outer.candidate.end);
                    relations.push(Relation { subject: outer.entity.id.clone(), predicate: "other:part_of".into(), object: inner.entity.id.clone(), start, end, count: None, sentence: sentence_of(outer.candidate.start), other_sentence: None });
                }
            }
        }
        if lists_cut {
            bounds_reached.push(format!("a list longer than {} items: relations were paired for its first {} only", bounds::LIST_ITEMS, bounds::LIST_ITEMS));
        }
        if relations_cut {
            bounds_reached.push(format!("more than {} relations: the first {} were kept", bounds::RELATIONS_PER_DOCUMENT, bounds::RELATIONS_PER_DOCUMENT));
        }
        let paragraph_ranges: Vec<(usize, usize)> = doc.paragraphs.iter().filter(|p| p.2 != ParaKind::Signature).map(|&(s, e, _)| (s, e)).collect();
        let at_ids: Vec<(usize, String, EntityType)> = top.iter().map(|r| (r.candidate.start, r.entity.id.clone(), r.entity.entity_type)).collect();
        let co = crate::timing::time("extract: co-mentions", || relations::co_mentions(&paragraph_ranges, &at_ids, &sentence_of));
        if co.paragraphs_cut > 0 {
            bounds_reached.push(format!(
                "{} paragraph(s) name more than {} entities: co-mentions pair the {} named most often in each",
                co.paragraphs_cut,
                bounds::CO_MENTIONED_PER_PARAGRAPH,
                bounds::CO_MENTIONED_PER_PARAGRAPH
            ));
        }
        if co.pairs_dropped > 0 {
            bounds_reached.push(format!("more than {} co-mention pairs: the {} named together most often were kept", bounds::CO_MENTION_PAIRS_PER_DOCUMENT, bounds::CO_MENTION_PAIRS_PER_DOCUMENT));
        }
        for (a, b, n, ps, pe, (si, other)) in co.pairs {
            let (start, end) = src(ps, pe);
            relations.push(Relation { subject: a, predicate: "co_mention".into(), object: b, start, end, count: Some(n), sentence: si, other_sentence: other });
        }

        // Every entity the document refers to is described: those mentioned,
        // its parties, and every work it cites.
        let mut entities: BTreeMap<String, Entity> = BTreeMap::new();
        for r in &resolved {
            entities.entry(r.entity.id.clone()).or_insert_with(|| Entity::clone(&r.entity));
        }
        let issuer = doc.meta.issuer.as_ref().and_then(|i| knowledge.gazetteer.lookup_typed(&i.name, EntityType::Organization));
        for p in view.parties.iter().copied().chain(issuer) {
            let e = resolve::entity_of_entry(p, &view);
            entities.entry(e.id.clone()).or_insert(e);
        }
        for c in &citations {
            entities.entry(c.id.clone()).or_insert_with(|| Entity {
                id: c.id.clone(),
                entity_type: EntityType::Treaty,
                canonical: c.title.clone(),
                english: None,
                wikidata: None,
                date: c.date.clone(),
                kind: Some(c.kind.clone()),
            });
        }
        let sentence_ranges_of_text = sentences.clone();
        let sentences = sentences
            .iter()
            .map(|&(s, e)| {
                let (start, end) = src(s, e);
                Sentence { start, end, text: written[s..e].to_owned() }
            })
            .collect();
        // The relationship the document declares, and the visits it reports.
        let title = titles.first().copied();
        let doc_date = doc.meta.signed_date.clone().or_else(|| doc.meta.dateline_date.clone()).or_else(|| doc.meta.reference_year().map(|y| y.to_string()));
        let cited: Vec<(usize, usize, Option<String>)> = findings.citations.iter().map(|c| (c.start, c.end, c.date.clone())).collect();
        let relationships = crate::timing::time("extract: relationship levels", || relationships::RelationshipFinder::find(&view, title, &cited, doc_date.as_deref()))
            .into_iter()
            .map(|(s, e, mut d)| {
                (d.start, d.end) = src(s, e);
                d.sentence = sentence_of(s);
                d
            })
            .collect();
        let mut found_visits: Vec<Visit> = Vec::new();
        for (si, &(s, e)) in sentence_ranges_of_text.iter().enumerate() {
            let lo = items.partition_point(|i| i.start < s);
            let hi = items.partition_point(|i| i.start < e);
            for f in crate::timing::time("extract: visits", || self.visit_cues.find(text, s, e, |i| self.cue_words.allows(relation_cues + i, cue_words.get(si)), &items[lo..hi])) {
                let mut v = f.visit;
                (v.start, v.end) = src(f.start, f.end);
                v.sentence = sentence_of(f.start);
                found_visits.push(v);
            }
        }
        Extraction {
            meta: doc.meta.clone(),
            mentions,
            citations,
            relations,
            entities: entities.into_values().collect(),
            sentences,
            relationships,
            visits: found_visits,
            bounds_reached,
        }
    }
}

/// Whether `[s, e)` overlaps one of `top` (sorted by start, not overlapping each other).
fn overlaps_any(top: &[&resolve::Resolved], s: usize, e: usize) -> bool {
    let i = top.partition_point(|r| r.candidate.start < e);
    i > 0 && top[i - 1].candidate.end > s
}

/// The mentions not inside a longer one. `resolved` is sorted by start,
/// longest first, so one sweep keeping the furthest end seen decides.
fn outermost(resolved: &[resolve::Resolved]) -> Vec<&resolve::Resolved> {
    let mut out = Vec::with_capacity(resolved.len());
    let mut cover: Option<(usize, usize)> = None; // (start, end) of the mention reaching furthest
    for r in resolved {
        let (s, e) = (r.candidate.start, r.candidate.end);
        let nested = cover.is_some_and(|(cs, ce)| ce > e || (ce == e && cs < s));
        if !nested {
            out.push(r);
        }
        if cover.is_none_or(|(_, ce)| e > ce) {
            cover = Some((s, e));
        }
    }
    out
}

/// Sentences as byte ranges: ended by 。！？；, a paragraph break, or a join.
fn sentence_ranges(text: &str, joins: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut next_join = joins.iter().peekable();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let at_join = next_join.next_if_eq(&&i).is_some();
        if at_join && i > start {
            out.push((start, i));
            start = i;
        }
        if c == '\n' {
            if i > start {
                out.push((start, i));
            }
            start = end;
        } else if SENTENCE_END.contains(&c) {
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    if out.is_empty() {
        out.push((0, text.len()));
    }
    out
}

/// Links citations to the corpus documents they are (same title key and date).
pub fn resolve_citations(extractions: &mut [Extraction]) {
    let works: HashMap<String, String> = extractions.iter().map(|x| (x.meta.work.clone(), x.meta.doc.clone())).collect();
    for x in extractions.iter_mut() {
        let own = x.meta.doc.clone();
        for c in &mut x.citations {
            c.resolves_to = works.get(&c.id).filter(|d| **d != own).cloned();
        }
    }
}

mod aliases {
    //! A name followed by its short form in brackets — 阿塞拜疆国际国防工业展览会（ADEx）,
    //! 跨里海国际运输走廊（“中间走廊”）, …缔约方大会（UNFCCC COP29） — makes that
    //! short form a mention of the same entity.

    use super::candidate::{Candidate, Origin};
    use super::resolve::Resolved;

    pub fn attach(mut resolved: Vec<Resolved>, text: &str) -> Vec<Resolved> {
        let mut added: Vec<Resolved> = Vec::new();
        let mut replaced = vec![false; resolved.len()];
        for r in &resolved {
            let after = &text[r.candidate.end..];
            let Some(inner) = after.strip_prefix('（').or_else(|| after.strip_prefix('(')) else { continue };
            // An alias is short: its closing bracket is near, or there is none.
            let near = &inner[..inner.char_indices().nth(64).map_or(inner.len(), |(i, _)| i)];
            let Some(close) = near.find(['）', ')']) else { continue };
            let body = &inner[..close];
            let open_len = after.len() - inner.len();
            let body_start = r.candidate.end + open_len;
            let (s, e) = match body.strip_prefix('“').and_then(|b| b.strip_suffix('”')) {
                Some(q) => (body_start + '“'.len_utf8(), body_start + '“'.len_utf8() + q.len()),
                None => (body_start, body_start + body.len()),
            };
            let alias = &text[s..e];
            let latin = !alias.is_empty() && alias.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') && alias.chars().any(|c| c.is_ascii_alphabetic());
            let quoted = s != body_start;
            if alias.chars().count() > 20 || !(latin || quoted) || alias.starts_with("以下") {
                continue;
            }
            // Mentions inside the brackets give way to the alias (`resolved` is sorted by start).
            let first = resolved.partition_point(|o| o.candidate.start < body_start);
            for (i, o) in resolved.iter().enumerate().skip(first).take_while(|(_, o)| o.candidate.start < body_start + body.len()) {
                if o.candidate.end <= body_start + body.len() {
                    replaced[i] = true;
                }
            }
            added.push(Resolved {
                candidate: Candidate { start: s, end: e, entity_type: r.entity.entity_type, origin: Origin::Shape, name: alias.to_owned() },
                entity: r.entity.clone(),
            });
        }
        let mut i = 0;
        resolved.retain(|_| {
            let keep = !replaced[i];
            i += 1;
            keep
        });
        resolved.extend(added);
        resolved.sort_by_key(|r| (r.candidate.start, std::cmp::Reverse(r.candidate.end)));
        resolved
    }
}
