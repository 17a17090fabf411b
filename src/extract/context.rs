//! What every recognizer sees, and what it may add to.

use crate::knowledge::gazetteer::EntryId;
use crate::knowledge::Knowledge;
use crate::model::{DocumentMeta, EntityType};

use super::candidate::Candidate;
use super::titles::RawCitation;

/// A document as the recognizers see it.
pub struct DocView<'a> {
    /// The document text (paragraphs separated by `\n`).
    pub text: &'a str,
    pub meta: &'a DocumentMeta,
    pub knowledge: &'a Knowledge,
    /// Gazetteer entries of the document's parties.
    pub parties: Vec<EntryId>,
    /// Party codes, for resolving abbreviations and compounds (中哈).
    pub party_codes: Vec<String>,
}

impl<'a> DocView<'a> {
    pub fn new(text: &'a str, meta: &'a DocumentMeta, knowledge: &'a Knowledge) -> Self {
        let g = &knowledge.gazetteer;
        let parties: Vec<EntryId> =
            meta.parties.iter().filter_map(|p| g.lookup_typed(&p.name, EntityType::Party)).collect();
        let party_codes = parties.iter().filter_map(|&id| g.entry(id).code.clone()).collect();
        Self { text, meta, knowledge, parties, party_codes }
    }

    /// The document party abbreviated by `c` (哈 → Kazakhstan here), if any.
    pub fn party_by_abbrev(&self, c: char) -> Option<EntryId> {
        let g = &self.knowledge.gazetteer;
        let candidates = g.parties_by_abbrev(c);
        candidates.iter().copied().find(|id| self.parties.contains(id))
    }
}

/// A mention of 双方/两国: all parties of the document, for relation cues.
#[derive(Debug, Clone, Copy)]
pub struct BothMention {
    pub start: usize,
    pub end: usize,
}

/// What recognizers produce.
#[derive(Debug, Default)]
pub struct Findings {
    pub candidates: Vec<Candidate>,
    pub citations: Vec<RawCitation>,
    pub both: Vec<BothMention>,
}

/// One component of the extraction pipeline.
pub trait Recognizer: Send + Sync {
    /// The component's name, as listed by `diplograph extract --explain`.
    fn name(&self) -> &'static str;
    fn recognize(&self, doc: &DocView, out: &mut Findings);
}
