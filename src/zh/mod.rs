//! Chinese-language helpers shared by every stage: numerals, dates and
//! punctuation classes. Pure functions on strings; no pipeline types.

pub mod dates;
pub mod numerals;
pub mod script;
pub mod words;

/// Dashes that join the two ends of a pair name (中国—中亚, 中国―上合组织):
/// the em dash, the fullwidth hyphen, the horizontal bar and the en dash.
pub const DASHES: &[char] = &['—', '－', '―', '–'];

/// Punctuation that ends a sentence.
pub const SENTENCE_END: &[char] = &['。', '！', '？', '；', '!', '?', ';'];

/// Whether a paragraph ends where a sentence may end (so the next paragraph
/// does not continue it).
pub fn ends_sentence(paragraph: &str) -> bool {
    let trimmed = paragraph.trim_end_matches(['”', '’', '"', '）', ')', '」', '』', ' ']);
    trimmed.ends_with(SENTENCE_END) || trimmed.ends_with(['：', ':'])
}

/// Whether `c` is a CJK ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '〇')
}

/// The first `n` characters of `s`, with an ellipsis if it was longer (to
/// show a long title in a table cell or a picture).
pub fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}
