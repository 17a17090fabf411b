//! Scoring extraction against a gold standard in the schema of
//! `../shared/gold/seeds.json`: precision, recall and F1 per entity type, for
//! citations (title and date), dates (span and value) and document metadata,
//! with what was missed and what was spurious.
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
use gold::{Gold, GoldEntity};

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

impl Score {
    /// Recall from gold items found/missed, precision from predictions right/wrong
    /// (they differ when several predictions name one gold item).
    fn split(tp_gold: usize, fn_: usize, tp_pred: usize, fp: usize) -> Self {
        let recall = Self::new(tp_gold, 0, fn_).recall;
        let precision = Self::new(tp_pred, fp, 0).precision;
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Self { tp: tp_gold, fp, fn_, precision, recall, f1 }
    }

    fn new(tp: usize, fp: usize, fn_: usize) -> Self {
        let precision = if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 };
        let recall = if tp + fn_ == 0 { 1.0 } else { tp as f64 / (tp + fn_) as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Self { tp, fp, fn_, precision, recall, f1 }
    }
}

/// One line of the miss/spurious lists.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub doc: String,
    pub kind: String,
    pub item: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Gold document id → predicted `doc` id (null when not found).
    pub alignment: BTreeMap<String, Option<String>>,
    pub entities: BTreeMap<String, Score>,
    pub citations: Score,
    pub citation_verbs_correct: usize,
    pub citation_kinds_correct: usize,
    pub dates: Score,
    /// Matched dates whose normalized value is right.
    pub date_values_correct: usize,
    pub relations: Score,
    /// Per metadata field: documents right / documents compared.
    pub metadata: BTreeMap<String, (usize, usize)>,
    /// Gold citations with `resolves_to_doc`: how many resolve to the right document.
    pub resolutions: (usize, usize),
    pub missed: Vec<Finding>,
    pub spurious: Vec<Finding>,
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
    let predicted = |gold_doc: &str| -> Option<&Extraction> { alignment.get(gold_doc).and_then(|d| d.as_deref()).and_then(|d| by_doc.get(d).copied()) };
    let mut missed = Vec::new();
    let mut spurious = Vec::new();

    // Entities, per type.
    let mut entities = BTreeMap::new();
    for t in EntityType::ENTITY_TYPES {
        let (mut tp_gold, mut fn_, mut tp_pred, mut fp) = (0, 0, 0, 0);
        for gd in &gold.documents {
            let golds: Vec<&GoldEntity> = gold.entities.iter().filter(|e| e.doc == gd.id).collect();
            let Some(x) = predicted(&gd.id) else {
                fn_ += golds.iter().filter(|g| g.entity_type == t.as_str() && !g.optional).count();
                continue;
            };
            let preds = predicted_entities(x);
            for g in golds.iter().filter(|g| g.entity_type == t.as_str() && !g.optional) {
                if preds.iter().any(|p| g.accepts_type(p.entity_type.as_str()) && entity_matches(g, p)) {
                    tp_gold += 1;
                } else {
                    fn_ += 1;
                    missed.push(Finding { doc: gd.id.clone(), kind: t.as_str().into(), item: g.canonical.clone() });
                }
            }
            for p in preds.iter().filter(|p| p.entity_type == t) {
                let matching: Vec<&&GoldEntity> = golds.iter().filter(|g| g.accepts_type(t.as_str()) && entity_matches(g, p)).collect();
                if matching.iter().any(|g| !g.optional) {
                    tp_pred += 1;
                } else if matching.is_empty() {
                    fp += 1;
                    spurious.push(Finding { doc: gd.id.clone(), kind: t.as_str().into(), item: p.texts.join(" | ") });
                }
            }
        }
        let s = Score::split(tp_gold, fn_, tp_pred, fp);
        entities.insert(t.as_str().to_owned(), s);
    }

    // Citations: (title, date) pairs, as multisets per document.
    let (mut ctp, mut cfp, mut cfn, mut verbs, mut kinds) = (0, 0, 0, 0, 0);
    let mut resolutions = (0, 0);
    for gd in &gold.documents {
        let golds: Vec<_> = gold.treaty_citations.iter().filter(|c| c.citing_doc == gd.id).collect();
        let preds: Vec<_> = predicted(&gd.id).map(|x| x.citations.iter().collect()).unwrap_or_default();
        let mut used = vec![false; preds.len()];
        for g in &golds {
            let hit = preds.iter().enumerate().find(|(i, p)| !used[*i] && p.title == g.cited_title && p.date == g.cited_date);
            match hit {
                Some((i, p)) => {
                    used[i] = true;
                    ctp += 1;
                    verbs += usize::from(p.verb == g.verb);
                    kinds += usize::from(g.kind.as_deref() == Some(p.kind.as_str()));
                    if let Some(target) = &g.resolves_to_doc {
                        resolutions.1 += 1;
                        let expected = alignment.get(target).cloned().flatten();
                        if expected.is_some() && p.resolves_to == expected {
                            resolutions.0 += 1;
                        }
                    }
                }
                None => {
                    cfn += 1;
                    missed.push(Finding { doc: gd.id.clone(), kind: "Citation".into(), item: format!("《{}》 {}", g.cited_title, g.cited_date.as_deref().unwrap_or("-")) });
                    if g.resolves_to_doc.is_some() {
                        resolutions.1 += 1;
                    }
                }
            }
        }
        for (i, p) in preds.iter().enumerate() {
            if !used[i] {
                cfp += 1;
                spurious.push(Finding { doc: gd.id.clone(), kind: "Citation".into(), item: format!("《{}》 {}", p.title, p.date.as_deref().unwrap_or("-")) });
            }
        }
    }

    // Dates: by source span; the gold span is where `context` puts `surface`.
    let (mut dtp, mut dfp, mut dfn, mut dvalues) = (0, 0, 0, 0);
    for gd in &gold.documents {
        let Some(x) = predicted(&gd.id) else { continue };
        let source = sources.iter().find(|(name, _)| file_name(name) == gd.file).map(|(_, t)| t.as_str()).unwrap_or("");
        let source_chars: Vec<char> = source.chars().collect();
        let preds: Vec<_> = x.mentions.iter().filter(|m| m.entity_type == EntityType::Date).collect();
        let mut matched_pred: HashSet<usize> = HashSet::new();
        for g in gold.dates.iter().filter(|d| d.doc == gd.id) {
            let span = g.context.as_deref().and_then(|c| locate(&source_chars, c, &g.surface));
            let hit = preds.iter().enumerate().find(|(_, p)| match span {
                Some((s, e)) => p.start == s && p.end == e,
                None => p.text == g.surface,
            });
            match hit {
                Some((i, p)) => {
                    matched_pred.insert(i);
                    if !g.optional {
                        dtp += 1;
                        if p.value.as_deref() == Some(g.normalized.as_str()) {
                            dvalues += 1;
                        } else {
                            missed.push(Finding { doc: gd.id.clone(), kind: "DateValue".into(), item: format!("{} = {} (got {})", g.surface, g.normalized, p.value.as_deref().unwrap_or("null")) });
                        }
                    }
                }
                None if !g.optional => {
                    dfn += 1;
                    missed.push(Finding { doc: gd.id.clone(), kind: "Date".into(), item: format!("{} ({})", g.surface, g.context.as_deref().unwrap_or("")) });
                }
                None => {}
            }
        }
        for (i, p) in preds.iter().enumerate() {
            if !matched_pred.contains(&i) {
                dfp += 1;
                spurious.push(Finding { doc: gd.id.clone(), kind: "Date".into(), item: format!("{} = {}", p.text, p.value.as_deref().unwrap_or("null")) });
            }
        }
    }

    // Relations: predicate, and subject/object named by a surface form of the gold entity.
    let (mut rtp, mut rfp, mut rfn, mut rtp_pred) = (0, 0, 0, 0);
    for gd in &gold.documents {
        let Some(x) = predicted(&gd.id) else { continue };
        let golds: Vec<_> = gold.relations.iter().filter(|r| r.doc == gd.id).collect();
        let names = entity_names(x);
        let gold_names = |canonical: &str| -> Vec<String> {
            let mut v: Vec<String> = gold.entities.iter().filter(|e| e.doc == gd.id && e.canonical == canonical).flat_map(|e| e.names().map(str::to_owned)).collect();
            v.push(canonical.to_owned());
            v
        };
        let names_of = |id: &str| -> Vec<String> { names.get(id).cloned().unwrap_or_else(|| vec![id.to_owned()]) };
        let preds: Vec<_> = x.relations.iter().filter(|r| r.predicate != "co_mention").collect();
        // A prediction is right when it states some gold relation (for 双方
        // relations, with either party as subject); a gold relation is found
        // when some prediction states it.
        let mut used = vec![false; preds.len()];
        for g in &golds {
            let subjects: Vec<String> = std::iter::once(g.subject.as_str()).chain(g.also_holds_for_subject.as_deref()).flat_map(gold_names).collect();
            let objects = gold_names(&g.object);
            let states = |p: &&crate::model::Relation| {
                p.predicate == g.predicate
                    && names_of(&p.subject).iter().any(|n| subjects.contains(n))
                    && names_of(&p.object).iter().any(|n| objects.contains(n))
            };
            for (i, p) in preds.iter().enumerate() {
                if states(p) {
                    used[i] = true;
                }
            }
            match preds.iter().position(states) {
                Some(_) => {
                    rtp += 1;
                }
                None => {
                    rfn += 1;
                    missed.push(Finding { doc: gd.id.clone(), kind: "Relation".into(), item: format!("{} {} {}", g.subject, g.predicate, g.object) });
                }
            }
        }
        rtp_pred += used.iter().filter(|u| **u).count();
        for (p, _) in preds.iter().zip(&used).filter(|(_, u)| !**u) {
            rfp += 1;
            spurious.push(Finding { doc: gd.id.clone(), kind: "Relation".into(), item: format!("{} {} {}", p.subject, p.predicate, p.object) });
        }
    }

    // Document metadata.
    let mut metadata: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for gd in &gold.documents {
        let x = predicted(&gd.id);
        let mut check = |field: &str, ok: bool| {
            let e = metadata.entry(field.to_owned()).or_default();
            e.0 += usize::from(ok);
            e.1 += 1;
            if !ok {
                missed.push(Finding { doc: gd.id.clone(), kind: "Metadata".into(), item: field.to_owned() });
            }
        };
        check("found", x.is_some());
        let Some(x) = x else { continue };
        let m = &x.meta;
        check("spans", m.spans == gd.char_spans);
        check("title", gd.title.as_deref() == Some(m.title.as_str()));
        check("title_in_text", gd.title_in_text.is_none_or(|t| t == m.title_in_text));
        let parties: HashSet<&str> = m.parties.iter().filter_map(|p| p.en.as_deref()).collect();
        check("parties", parties == gd.parties.iter().map(String::as_str).collect());
        check("signed_date", m.signed_date == gd.signed_date);
        check("signed_place", m.signed_place == gd.signed_place);
    }

    missed.sort();
    spurious.sort();
    Report {
        alignment,
        entities,
        citations: Score::new(ctp, cfp, cfn),
        citation_verbs_correct: verbs,
        citation_kinds_correct: kinds,
        dates: Score::new(dtp, dfp, dfn),
        date_values_correct: dvalues,
        relations: Score::split(rtp, rfn, rtp_pred, rfp),
        metadata,
        resolutions,
        missed,
        spurious,
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
