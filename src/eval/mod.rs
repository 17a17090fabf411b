//! Scoring extraction against a gold standard in the schema of
//! `tests/data/seeds.json`: precision, recall and F1 per entity type and
//! over all types, for citations (title and date), dates (span and value),
//! relations (per predicate) and document metadata, for the whole set and
//! for each document, with what was missed and what was spurious.
//!
//! Matching rules follow the gold README: an entity is found when a predicted
//! entity of an accepted type (`type` or `alt_types`) is named by one of its
//! surface forms (and, for same-title treaties, has its date); predictions
//! that match only `optional` items count neither way.

pub mod gold;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::extract::Extraction;
use crate::model::EntityType;
use gold::{Gold, GoldDocument, GoldEntity};

/// Precision, recall, F1 and their counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Counts behind a score. Recall comes from gold items found or missed,
/// precision from predictions right or wrong: they differ when several
/// predictions name one gold item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    tp_gold: usize,
    fn_: usize,
    tp_pred: usize,
    fp: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.tp_gold += other.tp_gold;
        self.fn_ += other.fn_;
        self.tp_pred += other.tp_pred;
        self.fp += other.fp;
    }

    fn score(self) -> Score {
        let ratio = |num: usize, den: usize| if den == 0 { 1.0 } else { num as f64 / den as f64 };
        let recall = ratio(self.tp_gold, self.tp_gold + self.fn_);
        let precision = ratio(self.tp_pred, self.tp_pred + self.fp);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Score { tp: self.tp_gold, fp: self.fp, fn_: self.fn_, precision, recall, f1 }
    }
}

/// One line of the miss/spurious lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub doc: String,
    pub kind: String,
    pub item: String,
}

/// The scores of one gold document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentScore {
    /// Entities of every type together.
    pub entities: Score,
    pub citations: Score,
    pub dates: Score,
    pub date_values_correct: usize,
    pub relations: Score,
    /// Metadata fields that are wrong (empty: the document is read right).
    pub metadata_wrong: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Gold document id → predicted `doc` id (null when not found).
    pub alignment: BTreeMap<String, Option<String>>,
    pub entities: BTreeMap<String, Score>,
    /// Entities of every type together (micro-averaged).
    pub entities_all: Score,
    pub citations: Score,
    pub citation_verbs_correct: usize,
    pub citation_kinds_correct: usize,
    pub dates: Score,
    /// Matched dates whose normalized value is right.
    pub date_values_correct: usize,
    pub relations: Score,
    /// Per predicate: gold relations found / gold relations.
    pub relation_recall: BTreeMap<String, (usize, usize)>,
    /// Per metadata field: documents right / documents compared.
    pub metadata: BTreeMap<String, (usize, usize)>,
    /// Gold citations with `resolves_to_doc`: how many resolve to the right document.
    pub resolutions: (usize, usize),
    pub documents: BTreeMap<String, DocumentScore>,
    pub missed: Vec<Finding>,
    pub spurious: Vec<Finding>,
}

impl Report {
    /// Gold documents whose metadata is wholly right, and how many there are.
    pub fn documents_read_right(&self) -> (usize, usize) {
        (self.documents.values().filter(|d| d.metadata_wrong.is_empty()).count(), self.documents.len())
    }
}

/// Loads a gold file.
pub fn load_gold(path: &Path) -> anyhow::Result<Gold> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read gold file {}: {e}", crate::paths::path_name(path)))?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("gold file {} does not follow the schema: {e}", crate::paths::path_name(path)))
}

/// Scores `extractions` (of the files the gold describes) against `gold`.
/// `sources` maps each source name to its decoded text (for date contexts).
pub fn evaluate(gold: &Gold, extractions: &[Extraction], sources: &HashMap<String, String>) -> Report {
    let alignment = align(gold, extractions);
    let by_doc: HashMap<&str, &Extraction> = extractions.iter().map(|x| (x.meta.doc.as_str(), x)).collect();
    let mut scorer = Scorer { gold, alignment: &alignment, sources, missed: Vec::new(), spurious: Vec::new() };

    let mut entities: BTreeMap<String, Tally> = EntityType::ENTITY_TYPES.iter().map(|t| (t.as_str().to_owned(), Tally::default())).collect();
    let (mut entities_all, mut citations, mut dates, mut relations) = (Tally::default(), Tally::default(), Tally::default(), Tally::default());
    let (mut verbs, mut kinds, mut date_values) = (0, 0, 0);
    let mut relation_recall: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut metadata: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut resolutions = (0, 0);
    let mut documents = BTreeMap::new();

    for gd in &gold.documents {
        let x = alignment.get(&gd.id).and_then(|d| d.as_deref()).and_then(|d| by_doc.get(d).copied());
        let mut doc_entities = Tally::default();
        for t in EntityType::ENTITY_TYPES {
            let tally = scorer.entities(gd, x, t);
            doc_entities.add(tally);
            entities.get_mut(t.as_str()).expect("every type").add(tally);
        }
        entities_all.add(doc_entities);

        let c = scorer.citations(gd, x);
        citations.add(c.tally);
        verbs += c.verbs_correct;
        kinds += c.kinds_correct;
        resolutions.0 += c.resolutions.0;
        resolutions.1 += c.resolutions.1;

        let (d, values) = scorer.dates(gd, x);
        dates.add(d);
        date_values += values;

        let (r, by_predicate) = scorer.relations(gd, x);
        relations.add(r);
        for (p, (found, all)) in by_predicate {
            let e = relation_recall.entry(p).or_default();
            e.0 += found;
            e.1 += all;
        }

        let checks = scorer.metadata(gd, x);
        for (field, ok) in &checks {
            let e = metadata.entry((*field).to_owned()).or_default();
            e.0 += usize::from(*ok);
            e.1 += 1;
        }
        let metadata_wrong = checks.iter().filter(|(_, ok)| !ok).map(|(f, _)| (*f).to_owned()).collect();
        documents.insert(
            gd.id.clone(),
            DocumentScore { entities: doc_entities.score(), citations: c.tally.score(), dates: d.score(), date_values_correct: values, relations: r.score(), metadata_wrong },
        );
    }

    let Scorer { mut missed, mut spurious, .. } = scorer;
    missed.sort();
    spurious.sort();
    Report {
        alignment,
        entities: entities.into_iter().map(|(t, s)| (t, s.score())).collect(),
        entities_all: entities_all.score(),
        citations: citations.score(),
        citation_verbs_correct: verbs,
        citation_kinds_correct: kinds,
        dates: dates.score(),
        date_values_correct: date_values,
        relations: relations.score(),
        relation_recall,
        metadata,
        resolutions,
        documents,
        missed,
        spurious,
    }
}

/// What citations of one document scored.
struct CitationTally {
    tally: Tally,
    verbs_correct: usize,
    kinds_correct: usize,
    resolutions: (usize, usize),
}

/// Scores one gold document at a time, collecting the findings.
struct Scorer<'a> {
    gold: &'a Gold,
    alignment: &'a BTreeMap<String, Option<String>>,
    sources: &'a HashMap<String, String>,
    missed: Vec<Finding>,
    spurious: Vec<Finding>,
}

impl Scorer<'_> {
    fn miss(&mut self, doc: &str, kind: &str, item: String) {
        self.missed.push(Finding { doc: doc.to_owned(), kind: kind.to_owned(), item });
    }

    fn spurious(&mut self, doc: &str, kind: &str, item: String) {
        self.spurious.push(Finding { doc: doc.to_owned(), kind: kind.to_owned(), item });
    }

    fn entities(&mut self, gd: &GoldDocument, x: Option<&Extraction>, t: EntityType) -> Tally {
        let mut tally = Tally::default();
        let golds: Vec<&GoldEntity> = self.gold.entities.iter().filter(|e| e.doc == gd.id).collect();
        let preds = x.map(predicted_entities).unwrap_or_default();
        for g in golds.iter().filter(|g| g.entity_type == t.as_str() && !g.optional) {
            if preds.iter().any(|p| g.accepts_type(p.entity_type.as_str()) && entity_matches(g, p)) {
                tally.tp_gold += 1;
            } else {
                tally.fn_ += 1;
                self.miss(&gd.id, t.as_str(), g.canonical.clone());
            }
        }
        for p in preds.iter().filter(|p| p.entity_type == t) {
            let matching: Vec<&&GoldEntity> = golds.iter().filter(|g| g.accepts_type(t.as_str()) && entity_matches(g, p)).collect();
            if matching.iter().any(|g| !g.optional) {
                tally.tp_pred += 1;
            } else if matching.is_empty() {
                tally.fp += 1;
                self.spurious(&gd.id, t.as_str(), p.texts.join(" | "));
            }
        }
        tally
    }

    /// Citations: (title, date) pairs, as multisets.
    fn citations(&mut self, gd: &GoldDocument, x: Option<&Extraction>) -> CitationTally {
        let mut out = CitationTally { tally: Tally::default(), verbs_correct: 0, kinds_correct: 0, resolutions: (0, 0) };
        let golds: Vec<_> = self.gold.treaty_citations.iter().filter(|c| c.citing_doc == gd.id).collect();
        let preds: Vec<_> = x.map(|x| x.citations.iter().collect()).unwrap_or_default();
        let mut used = vec![false; preds.len()];
        for g in golds {
            let hit = preds.iter().enumerate().find(|(i, p)| !used[*i] && p.title == g.cited_title && p.date == g.cited_date);
            match hit {
                Some((i, p)) => {
                    used[i] = true;
                    if !g.optional {
                        out.tally.tp_gold += 1;
                        out.tally.tp_pred += 1;
                        out.verbs_correct += usize::from(p.verb == g.verb);
                        out.kinds_correct += usize::from(g.kind.as_deref() == Some(p.kind.as_str()));
                        if p.verb != g.verb {
                            self.miss(&gd.id, "CitationVerb", format!("《{}》 {} (got {})", g.cited_title, g.verb.as_deref().unwrap_or("null"), p.verb.as_deref().unwrap_or("null")));
                        }
                    }
                    if let Some(target) = &g.resolves_to_doc {
                        out.resolutions.1 += 1;
                        let expected = self.alignment.get(target).cloned().flatten();
                        if expected.is_some() && p.resolves_to == expected {
                            out.resolutions.0 += 1;
                        }
                    }
                }
                None if g.optional => {}
                None => {
                    out.tally.fn_ += 1;
                    self.miss(&gd.id, "Citation", format!("《{}》 {}", g.cited_title, g.cited_date.as_deref().unwrap_or("-")));
                    if g.resolves_to_doc.is_some() {
                        out.resolutions.1 += 1;
                    }
                }
            }
        }
        for (i, p) in preds.iter().enumerate() {
            if !used[i] {
                out.tally.fp += 1;
                self.spurious(&gd.id, "Citation", format!("《{}》 {}", p.title, p.date.as_deref().unwrap_or("-")));
            }
        }
        out
    }

    /// Dates, by source span (the gold span is where `context` puts `surface`),
    /// and how many found dates have the right value.
    fn dates(&mut self, gd: &GoldDocument, x: Option<&Extraction>) -> (Tally, usize) {
        let mut tally = Tally::default();
        let mut values = 0;
        let golds: Vec<_> = self.gold.dates.iter().filter(|d| d.doc == gd.id).collect();
        let Some(x) = x else {
            tally.fn_ = golds.iter().filter(|g| !g.optional).count();
            return (tally, 0);
        };
        let source = self.sources.iter().find(|(name, _)| file_name(name) == gd.file).map(|(_, t)| t.as_str()).unwrap_or("");
        let source_chars: Vec<char> = source.chars().collect();
        let preds: Vec<_> = x.mentions.iter().filter(|m| m.entity_type == EntityType::Date).collect();
        let mut matched_pred: HashSet<usize> = HashSet::new();
        for g in golds {
            let span = g.context.as_deref().and_then(|c| locate(&source_chars, c, &g.surface));
            let hit = preds.iter().enumerate().find(|(_, p)| match span {
                Some((s, e)) => p.start == s && p.end == e,
                None => p.text == g.surface,
            });
            match hit {
                Some((i, p)) => {
                    matched_pred.insert(i);
                    if !g.optional {
                        tally.tp_gold += 1;
                        tally.tp_pred += 1;
                        if p.value.as_deref() == Some(g.normalized.as_str()) {
                            values += 1;
                        } else {
                            self.miss(&gd.id, "DateValue", format!("{} = {} (got {})", g.surface, g.normalized, p.value.as_deref().unwrap_or("null")));
                        }
                    }
                }
                None if !g.optional => {
                    tally.fn_ += 1;
                    self.miss(&gd.id, "Date", format!("{} ({})", g.surface, g.context.as_deref().unwrap_or("")));
                }
                None => {}
            }
        }
        for (i, p) in preds.iter().enumerate() {
            if !matched_pred.contains(&i) {
                tally.fp += 1;
                self.spurious(&gd.id, "Date", format!("{} = {}", p.text, p.value.as_deref().unwrap_or("null")));
            }
        }
        (tally, values)
    }

    /// Relations: predicate, and subject/object named by a surface form of
    /// the gold entity. A prediction is right when it states some gold
    /// relation (for 双方 relations, with either party as subject); a gold
    /// relation is found when some prediction states it.
    fn relations(&mut self, gd: &GoldDocument, x: Option<&Extraction>) -> (Tally, BTreeMap<String, (usize, usize)>) {
        let mut tally = Tally::default();
        let mut by_predicate: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let golds: Vec<_> = self.gold.relations.iter().filter(|r| r.doc == gd.id).collect();
        let Some(x) = x else {
            tally.fn_ = golds.len();
            for g in golds {
                by_predicate.entry(g.predicate.clone()).or_default().1 += 1;
            }
            return (tally, by_predicate);
        };
        let names = entity_names(x);
        let gold_names = |canonical: &str| -> Vec<String> {
            let mut v: Vec<String> =
                self.gold.entities.iter().filter(|e| e.doc == gd.id && e.canonical == canonical).flat_map(|e| e.names().map(str::to_owned)).collect();
            v.push(canonical.to_owned());
            v
        };
        let names_of = |id: &str| -> Vec<String> { names.get(id).cloned().unwrap_or_else(|| vec![id.to_owned()]) };
        let preds: Vec<_> = x.relations.iter().filter(|r| r.predicate != "co_mention").collect();
        let mut used = vec![false; preds.len()];
        let mut misses = Vec::new();
        for g in golds {
            let subjects: Vec<String> = std::iter::once(g.subject.as_str()).chain(g.also_holds_for_subject.as_deref()).flat_map(gold_names).collect();
            let objects = gold_names(&g.object);
            let states = |p: &&crate::model::Relation| {
                p.predicate == g.predicate && names_of(&p.subject).iter().any(|n| subjects.contains(n)) && names_of(&p.object).iter().any(|n| objects.contains(n))
            };
            let mut found = false;
            for (i, p) in preds.iter().enumerate() {
                if states(p) {
                    used[i] = true;
                    found = true;
                }
            }
            let e = by_predicate.entry(g.predicate.clone()).or_default();
            e.1 += 1;
            if found {
                e.0 += 1;
                tally.tp_gold += 1;
            } else {
                tally.fn_ += 1;
                misses.push(format!("{} {} {}", g.subject, g.predicate, g.object));
            }
        }
        for m in misses {
            self.miss(&gd.id, "Relation", m);
        }
        tally.tp_pred = used.iter().filter(|u| **u).count();
        for (p, _) in preds.iter().zip(&used).filter(|(_, u)| !**u) {
            tally.fp += 1;
            self.spurious(&gd.id, "Relation", format!("{} {} {}", p.subject, p.predicate, p.object));
        }
        (tally, by_predicate)
    }

    /// Each metadata field the gold gives, and whether it is right.
    fn metadata(&mut self, gd: &GoldDocument, x: Option<&Extraction>) -> Vec<(&'static str, bool)> {
        let Some(x) = x else {
            self.miss(&gd.id, "Metadata", "found".into());
            return vec![("found", false)];
        };
        let m = &x.meta;
        let parties: HashSet<&str> = m.parties.iter().filter_map(|p| p.en.as_deref()).collect();
        let mut checks = vec![
            ("found", true),
            ("spans", m.spans == gd.char_spans),
            ("title", gd.title.as_deref() == Some(m.title.as_str())),
            ("title_in_text", gd.title_in_text.is_none_or(|t| t == m.title_in_text)),
            ("parties", parties == gd.parties.iter().map(String::as_str).collect::<HashSet<&str>>()),
            ("signed_date", m.signed_date == gd.signed_date),
            ("signed_place", m.signed_place == gd.signed_place),
        ];
        if let Some(kind) = &gd.kind {
            checks.push(("kind", *kind == m.kind));
        }
        if let Some(date) = &gd.dateline_date {
            checks.push(("dateline_date", m.dateline_date.as_ref() == Some(date)));
        }
        for (field, ok) in &checks {
            if !ok {
                self.miss(&gd.id, "Metadata", (*field).to_owned());
            }
        }
        checks
    }
}

fn file_name(path: &str) -> &str {
    Path::new(path).file_name().and_then(|f| f.to_str()).unwrap_or(path)
}

/// Each gold document is the predicted document of the same file whose spans overlap it most.
fn align(gold: &Gold, extractions: &[Extraction]) -> BTreeMap<String, Option<String>> {
    let overlap = |a: &[[u32; 2]], b: &[[u32; 2]]| -> u32 {
        a.iter().flat_map(|x| b.iter().map(move |y| x[1].min(y[1]).saturating_sub(x[0].max(y[0])))).sum()
    };
    gold.documents
        .iter()
        .map(|gd| {
            let best = extractions
                .iter()
                .filter(|x| file_name(&x.meta.source) == gd.file)
                .map(|x| (overlap(&x.meta.spans, &gd.char_spans), x))
                .filter(|(o, _)| *o > 0)
                .max_by_key(|(o, _)| *o)
                .map(|(_, x)| x.meta.doc.clone());
            (gd.id.clone(), best)
        })
        .collect()
}

/// A predicted entity with every text it is mentioned by in the document.
struct Predicted {
    entity_type: EntityType,
    date: Option<String>,
    texts: Vec<String>,
}

fn predicted_entities(x: &Extraction) -> Vec<Predicted> {
    let mut by_id: BTreeMap<&str, Predicted> = BTreeMap::new();
    for e in &x.entities {
        by_id.insert(&e.id, Predicted { entity_type: e.entity_type, date: e.date.clone(), texts: vec![e.canonical.clone()] });
    }
    for m in &x.mentions {
        if let Some(p) = m.id.as_deref().and_then(|id| by_id.get_mut(id)) {
            if !p.texts.contains(&m.text) {
                p.texts.push(m.text.clone());
            }
        }
    }
    by_id.into_values().collect()
}

fn entity_matches(g: &GoldEntity, p: &Predicted) -> bool {
    let named = p.texts.iter().any(|t| g.names().any(|n| n == t));
    let dated = match (&g.date, &p.date) {
        (Some(gd), Some(pd)) => gd == pd,
        (Some(_), None) => false,
        _ => true,
    };
    named && dated
}

/// Entity id → every name it has in the document (canonical and mention texts).
fn entity_names(x: &Extraction) -> HashMap<String, Vec<String>> {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for e in &x.entities {
        names.entry(e.id.clone()).or_default().push(e.canonical.clone());
    }
    for m in &x.mentions {
        if let Some(id) = &m.id {
            names.entry(id.clone()).or_default().push(m.text.clone());
        }
    }
    names
}

/// The code point span of `surface` inside the unique occurrence of `context`.
fn locate(source: &[char], context: &str, surface: &str) -> Option<(u32, u32)> {
    let ctx: Vec<char> = context.chars().collect();
    let sur: Vec<char> = surface.chars().collect();
    let at = (0..=source.len().checked_sub(ctx.len())?).find(|&i| source[i..i + ctx.len()] == ctx[..])?;
    let off = (0..=ctx.len().checked_sub(sur.len())?).find(|&i| ctx[i..i + sur.len()] == sur[..])?;
    Some(((at + off) as u32, (at + off + sur.len()) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_and_precision_count_gold_items_and_predictions_apart() {
        // Two predictions name one gold item, a third is wrong, one gold item is missed.
        let s = Tally { tp_gold: 1, fn_: 1, tp_pred: 2, fp: 1 }.score();
        assert_eq!((s.recall, s.precision), (0.5, 2.0 / 3.0));
        assert!((s.f1 - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn an_empty_tally_is_perfect() {
        let s = Tally::default().score();
        assert_eq!((s.precision, s.recall, s.f1), (1.0, 1.0, 1.0));
    }
}
