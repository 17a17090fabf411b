//! What every recognizer sees, and what it may add to.

use crate::document::Document;
use crate::knowledge::gazetteer::{EntryId, NameMatch};
use crate::knowledge::Knowledge;
use crate::model::{DocumentMeta, EntityType};
use crate::zh::dates::{find_dates, DateMatch};
use crate::zh::words::Words;

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
    /// Every gazetteer name in the text (leftmost-longest; one per span,
    /// the document's own party first when a name is ambiguous). Found once
    /// and shared by the recognizers.
    pub names: Vec<NameMatch>,
    /// Every date expression in the text, resolved against the document's year.
    pub dates: Vec<DateMatch>,
    /// The text's words (dictionary segmentation), for where names may begin.
    pub words: Words<'a>,
    /// Byte offsets where the text jumps back in the source (where the halves
    /// of a rotated document meet). No sentence or mention may span one, so
    /// every range stays one contiguous range of the source.
    pub joins: Vec<usize>,
    /// The entity of each gazetteer entry, made once for every document.
    pub known_entities: &'a [std::sync::OnceLock<std::sync::Arc<crate::model::Entity>>],
    /// One-character abbreviations of the document's parties (哈 → Kazakhstan).
    abbrevs: Vec<(char, EntryId)>,
}

impl<'a> DocView<'a> {
    pub fn new(doc: &'a Document, knowledge: &'a Knowledge, known_entities: &'a [std::sync::OnceLock<std::sync::Arc<crate::model::Entity>>]) -> Self {
        let (text, meta) = (doc.text.as_str(), &doc.meta);
        let g = &knowledge.gazetteer;
        let parties: Vec<EntryId> =
            meta.parties.iter().filter_map(|p| g.lookup_typed(&p.name, EntityType::Party)).collect();
        let party_codes = parties.iter().filter_map(|&id| g.entry(id).code.clone()).collect();
        let mut names: Vec<NameMatch> = Vec::new();
        for &m in &doc.names {
            match names.last_mut() {
                Some(last) if (last.start, last.end) == (m.start, m.end) => {
                    if parties.contains(&m.entry) && !parties.contains(&last.entry) {
                        last.entry = m.entry;
                    }
                }
                _ => names.push(m),
            }
        }
        let dates = crate::timing::time("extract: dates", || find_dates(text, meta.reference_year()));
        let words = Words::of(text);
        let abbrevs = parties.iter().flat_map(|&id| g.entry(id).abbrev.iter().filter_map(move |a| a.chars().next().map(|c| (c, id)))).collect();
        let joins = doc.text.jumps_back();
        Self { text, meta, knowledge, parties, party_codes, names, dates, words, joins, known_entities, abbrevs }
    }

    fn type_of(&self, m: &NameMatch) -> EntityType {
        self.knowledge.gazetteer.entry(m.entry).entity_type
    }

    /// The gazetteer name of one of `types` that ends at byte `pos`.
    pub fn name_ending_at(&self, pos: usize, types: &[EntityType]) -> Option<&NameMatch> {
        let i = self.names.partition_point(|m| m.end < pos);
        self.names.get(i).filter(|m| m.end == pos && types.contains(&self.type_of(m)))
    }

    /// The gazetteer name of one of `types` that starts at byte `pos`.
    pub fn name_starting_at(&self, pos: usize, types: &[EntityType]) -> Option<&NameMatch> {
        let i = self.names.partition_point(|m| m.start < pos);
        self.names.get(i).filter(|m| m.start == pos && types.contains(&self.type_of(m)))
    }

    /// The one-character abbreviations of the document's parties.
    pub fn abbreviations(&self) -> impl Iterator<Item = char> + '_ {
        self.abbrevs.iter().map(|&(c, _)| c)
    }

    /// The document party abbreviated by `c` (哈 → Kazakhstan here), if any.
    pub fn party_by_abbrev(&self, c: char) -> Option<EntryId> {
        self.abbrevs.iter().find(|(a, _)| *a == c).map(|(_, id)| *id)
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
