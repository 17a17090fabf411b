//! What one document may produce. Reading and recognizing are linear in the
//! input; only pairing is not: co-mentions pair every entity of a paragraph
//! with every other, and a relation cue pairs every subject of a list with
//! every object of a list. These bounds keep the pairing linear in the input
//! and bounded per document. Reaching one is never silent: the extraction
//! says which, and the commands report it with the file's name.

/// Entities of one paragraph paired as co-mentions: those the paragraph
/// names most often, then those it names first. (Real paragraphs name a few
/// dozen at most; a list of 8,000 titles would otherwise give 32 million pairs.)
pub const CO_MENTIONED_PER_PARAGRAPH: usize = 40;

/// Co-mention pairs of one document: those named together in most paragraphs are kept.
pub const CO_MENTION_PAIRS_PER_DOCUMENT: usize = 20_000;

/// Items of one list (A、B和C) that a relation cue pairs, on each side.
pub const LIST_ITEMS: usize = 50;

/// Typed relations of one document (co-mentions apart): the first found are kept.
pub const RELATIONS_PER_DOCUMENT: usize = 20_000;
