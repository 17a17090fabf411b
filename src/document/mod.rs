//! Stage 2 — clean text to documents.
//!
//! Splits a [`SourceFile`] into the documents it holds (in reading order,
//! repairing rotated ones) and reads their metadata. Depends on `source`,
//! `knowledge`, `zh` and `ids`; knows nothing of mentions or the store.

pub mod metadata;
pub mod paragraph;
pub mod segment;

use std::collections::HashSet;

use crate::knowledge::gazetteer::NameMatch;
use crate::knowledge::Knowledge;
use crate::model::{DocumentMeta, EntityType};
use crate::source::mapped::{MappedBuilder, MappedText};
use crate::source::SourceFile;
use paragraph::{ParaKind, Paragraph, ParagraphClassifier};
pub use paragraph::ParagraphPatterns;
use segment::{DocumentRuns, Run};

/// One document: its metadata and its text in reading order.
#[derive(Debug, Clone)]
pub struct Document {
    pub meta: DocumentMeta,
    /// The document's text, paragraphs separated by `\n`, mapped to the source
    /// (in simplified characters).
    pub text: MappedText,
    /// The text as written, when the source had traditional characters: byte
    /// for byte aligned with `text`, for quoting mentions as they stand.
    pub original: Option<String>,
    /// Byte ranges of `text` that are paragraphs, with their roles.
    pub paragraphs: Vec<(usize, usize, ParaKind)>,
    /// Every gazetteer name in `text`, as [`crate::knowledge::Gazetteer::find_names`]
    /// gives them: found once in the file and carried over with its paragraphs.
    pub names: Vec<NameMatch>,
}

/// One paragraph of a file as the layout reader saw it: its role and the
/// document it went to (none for furniture and headlines).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Block {
    /// Code point range of the source.
    pub start: u32,
    pub end: u32,
    pub role: ParaKind,
    /// Index into the file's documents.
    pub document: Option<usize>,
    pub text: String,
}

/// Segments shorter than this that start no document are page furniture.
const MIN_UNSTARTED_CHARS: usize = 200;

/// Finds the documents in a source file (`patterns` compiled once from the
/// same knowledge's lexicon).
pub fn read_documents(source: &SourceFile, knowledge: &Knowledge, patterns: &ParagraphPatterns) -> (Vec<Document>, Vec<Block>) {
    let classifier = ParagraphClassifier::new(knowledge, patterns);
    let paras = crate::timing::time("read: paragraphs", || classifier.paragraphs(&source.clean));
    let text = source.clean.as_str();
    // The file is searched for known names once: no name spans a paragraph
    // break, so each document takes those of its paragraphs.
    let names: Vec<NameMatch> = crate::timing::time("read: gazetteer names", || knowledge.gazetteer.find_names(text).collect());
    let party_sets = crate::timing::time("read: parties per paragraph", || parties_spoken_of(text, &paras, &names, knowledge));
    let segments = segment::segment(&paras, text, &classifier, &party_sets);
    let mut docs: Vec<DocumentRuns> = segments.iter().filter(|d| is_document(d, &paras, text)).cloned().collect();
    // A file with no statement in it that still speaks of a party is a text
    // of its own (a short news article, a fragment): its longest stretch is
    // its document. Text that names no party is no document (and is reported).
    if docs.is_empty() {
        let names_a_party = |d: &DocumentRuns| d.runs.iter().any(|r| party_sets[r.first..r.end].iter().any(|s| !s.is_empty()));
        docs.extend(segments.into_iter().filter(names_a_party).max_by_key(|d| d.runs.iter().map(|r| paras[r.end - 1].end - paras[r.first].start).sum::<usize>()));
    }
    let mut blocks: Vec<Block> = paras
        .iter()
        .map(|p| {
            let (start, end) = source.clean.source_range(p.start, p.end);
            Block { start, end, role: p.kind, document: None, text: text[p.start..p.end].to_owned() }
        })
        .collect();
    for (i, d) in docs.iter().enumerate() {
        for r in &d.runs {
            for b in &mut blocks[r.first..r.end] {
                b.document = Some(i);
            }
        }
    }
    let documents = crate::timing::time("read: documents and metadata", || docs.iter().map(|d| build(d, &paras, &names, source, &classifier)).collect());
    (documents, blocks)
}

fn is_document(d: &DocumentRuns, paras: &[Paragraph], text: &str) -> bool {
    let first = &paras[d.runs[0].first];
    let starts = matches!(first.kind, ParaKind::Title | ParaKind::Preamble | ParaKind::Opening | ParaKind::Dateline) || d.headline.is_some();
    let chars: usize = d.runs.iter().flat_map(|r| &paras[r.first..r.end]).map(|p| text[p.start..p.end].chars().count()).sum();
    starts || d.runs.len() > 1 || chars >= MIN_UNSTARTED_CHARS
}

/// For each paragraph, the parties it names in full or as X方 (used to see
/// where one document ends and another's text begins). One pass over the text.
fn parties_spoken_of(text: &str, paras: &[Paragraph], names: &[NameMatch], knowledge: &Knowledge) -> Vec<HashSet<usize>> {
    let g = &knowledge.gazetteer;
    let mut sets: Vec<HashSet<usize>> = vec![HashSet::new(); paras.len()];
    let para_of = |at: usize| -> Option<usize> {
        let i = paras.partition_point(|p| p.end <= at);
        paras.get(i).filter(|p| p.start <= at).map(|_| i)
    };
    for m in names {
        if g.entry(m.entry).entity_type == EntityType::Party {
            if let Some(i) = para_of(m.start) {
                sets[i].insert(m.entry);
            }
        }
    }
    for (at, _, ch) in crate::zh::marked_abbreviations(text, &knowledge.lexicon.extraction.abbrev_after) {
        if let Some(i) = para_of(at) {
            sets[i].extend(g.parties_by_abbrev(ch));
        }
    }
    sets
}

fn build(d: &DocumentRuns, paras: &[Paragraph], file_names: &[NameMatch], source: &SourceFile, classifier: &ParagraphClassifier) -> Document {
    let clean = &source.clean;
    let source_end = clean.source_len();
    let run_span = |r: &Run| -> [u32; 2] {
        let start = paras[r.first].owns_from;
        let end = paras.get(r.end).map(|p| p.owns_from).unwrap_or(source_end);
        [start, end]
    };
    let spans: Vec<[u32; 2]> = d.runs.iter().map(run_span).collect();

    // The text in reading order. A run that continues a cut sentence joins
    // the previous one directly (跨境寄递业 + 务合作).
    let mut builder = MappedBuilder::with_capacity(d.runs.iter().map(|r| paras[r.end - 1].end - paras[r.first].start).sum());
    let mut paragraphs = Vec::new();
    let mut original = source.clean_original.as_ref().map(|_| String::new());
    let mut names: Vec<NameMatch> = Vec::new();
    // A paragraph joined to the previous one without a break may make a name across the join.
    let mut joined = false;
    let mut len = 0usize;
    for (ri, run) in d.runs.iter().enumerate() {
        for (pi, p) in paras[run.first..run.end].iter().enumerate() {
            if p.kind == ParaKind::Furniture {
                continue;
            }
            let continues = ri > 0 && pi == 0 && !builder.as_str().is_empty() && !crate::zh::ends_sentence(builder.as_str());
            if len > 0 && !continues {
                builder.push('\n', p.owns_from, p.owns_from + 1);
                if let Some(o) = original.as_mut() {
                    o.push('\n');
                }
                len += 1;
            }
            let start = len;
            builder.push_mapped(clean, p.start, p.end);
            let first = file_names.partition_point(|m| m.start < p.start);
            names.extend(file_names[first..].iter().take_while(|m| m.end <= p.end).map(|m| NameMatch { start: m.start - p.start + start, end: m.end - p.start + start, entry: m.entry }));
            joined |= continues;
            if let Some(o) = original.as_mut() {
                o.push_str(&source.clean_original.as_deref().expect("original beside a converted text")[p.start..p.end]);
            }
            len += p.end - p.start;
            if continues {
                if let Some(last) = paragraphs.last_mut() {
                    let (s, _, k): (usize, usize, ParaKind) = *last;
                    *last = (s, len, k);
                    continue;
                }
            }
            paragraphs.push((start, len, p.kind));
        }
    }
    let text = builder.finish(source_end);
    if joined {
        names = classifier.gazetteer().find_names(text.as_str()).collect();
    }
    let headline = d.headline.map(|h| classifier.headline_title(&clean.as_str()[paras[h].start..paras[h].end]));
    let meta = metadata::describe(&text, original.as_deref(), &paragraphs, headline, spans, &source.name, classifier);
    Document { meta, text, original, paragraphs, names }
}
