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

/// Words looked up by how a text ends, grouped by their last character: a
/// test costs one lookup, not a comparison with every word.
#[derive(Debug, Clone, Default)]
pub struct Endings {
    /// Longest first within each group.
    by_last: std::collections::HashMap<char, Vec<String>>,
}

impl Endings {
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Self {
        let mut by_last: std::collections::HashMap<char, Vec<String>> = std::collections::HashMap::new();
        for w in words {
            let w = w.as_ref();
            if let Some(c) = w.chars().next_back() {
                let group = by_last.entry(c).or_default();
                if !group.iter().any(|g| g == w) {
                    group.push(w.to_owned());
                }
            }
        }
        for group in by_last.values_mut() {
            group.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Self { by_last }
    }

    /// The words `text` ends with, longest first.
    pub fn ending<'w, 't>(&'w self, text: &'t str) -> impl Iterator<Item = &'w str> + use<'w, 't> {
        let group = text.chars().next_back().and_then(|c| self.by_last.get(&c));
        group.into_iter().flatten().filter(move |w| text.ends_with(w.as_str())).map(String::as_str)
    }

    /// Whether `text` ends with one of the words.
    pub fn any(&self, text: &str) -> bool {
        self.ending(text).next().is_some()
    }
}

/// Each one-character abbreviation written before one of `markers` (哈 in
/// 哈方): its byte offset, the end of the marker, and the character.
pub fn marked_abbreviations<'a>(text: &'a str, markers: &'a [String]) -> impl Iterator<Item = (usize, usize, char)> + 'a {
    markers.iter().flat_map(move |marker| {
        memchr::memmem::find_iter(text.as_bytes(), marker.as_bytes()).filter_map(move |at| {
            let c = text[..at].chars().next_back().filter(|&c| is_han(c))?;
            Some((at - c.len_utf8(), at + marker.len(), c))
        })
    })
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
