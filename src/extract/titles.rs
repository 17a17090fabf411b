//! Titles cited in 《》 (and 〈〉 nested inside), with the date, governing verb
//! and kind that go with them.

use crate::knowledge::Knowledge;
use crate::model::EntityType;
use crate::zh::dates::{find_dates, DateMatch};

use super::candidate::{Candidate, Origin};
use super::context::{DocView, Findings, Recognizer};

/// A citation before resolution. Offsets are bytes of the document text and
/// cover the title without its brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCitation {
    pub start: usize,
    pub end: usize,
    pub title: String,
    pub date: Option<String>,
    pub verb: Option<String>,
    pub kind: String,
}

/// Longest title considered; an unclosed 《 is not a title.
const MAX_TITLE_BYTES: usize = 600;

pub struct Titles {
    before: Vec<String>,
    after: Vec<String>,
}

impl Titles {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lx = &knowledge.lexicon.extraction;
        Self { before: lx.citation_verbs_before.clone(), after: lx.citation_verbs_after.clone() }
    }
}

/// Bracketed spans `(open, close)` as byte offsets of the brackets, outer and
/// nested, for one pair of bracket characters; unbalanced ones are skipped.
pub fn bracketed(text: &str, open: char, close: char) -> Vec<(usize, usize)> {
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if c == open {
            stack.push(i);
        } else if c == close {
            if let Some(s) = stack.pop() {
                if i - s <= MAX_TITLE_BYTES {
                    out.push((s, i));
                }
            }
        } else if c == '\n' {
            stack.clear();
        }
    }
    out.sort();
    out
}

impl Recognizer for Titles {
    fn name(&self) -> &'static str {
        "titles"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let text = doc.text;
        let lexicon = &doc.knowledge.lexicon;
        let year = doc.meta.reference_year();
        let mut spans = bracketed(text, '《', '》');
        spans.extend(bracketed(text, '〈', '〉'));
        for (open, close) in spans {
            let start = open + '《'.len_utf8();
            let title = &text[start..close];
            if title.trim().is_empty() {
                continue;
            }
            let after_close = close + '》'.len_utf8();
            let (date, verb) = self.date_and_verb(text, open, after_close, year);
            let kind = lexicon.kind_of(title).unwrap_or("document").to_owned();
            out.citations.push(RawCitation { start, end: close, title: title.to_owned(), date, verb, kind });
            out.candidates.push(Candidate {
                start,
                end: close,
                entity_type: EntityType::Treaty,
                origin: Origin::Title,
                name: title.to_owned(),
            });
        }
    }
}

impl Titles {
    /// The date written just before the title (2011年6月13日签订的《), and the
    /// verb governing it: between that date and the title, else right before
    /// the title (落实好《), else right after it (》草案协商).
    fn date_and_verb(&self, text: &str, open: usize, after_close: usize, year: Option<i32>) -> (Option<String>, Option<String>) {
        let window_start = floor_boundary(text, open.saturating_sub(60));
        let window = &text[window_start..open];
        // The clause before the title: no other title or sentence end in between.
        let clause_start = window.rfind(['》', '。', '；', '，', '\n', '、']).map(|i| i + window[i..].chars().next().map_or(0, char::len_utf8)).unwrap_or(0);
        let clause = &window[clause_start..];
        let date: Option<DateMatch> = find_dates(clause, year).into_iter().rfind(|d| d.value.as_deref().is_some_and(|v| v.len() == 10));
        // Without a date, the verb must stand within four characters of the title.
        let verb_zone = match &date {
            Some(d) => &clause[d.end..],
            None => &clause[ceil_boundary(clause, clause.len().saturating_sub(4 * 3))..],
        };
        let mut verb = self
            .before
            .iter()
            .filter_map(|v| verb_zone.rfind(v.as_str()).map(|i| (i, v)))
            .max_by_key(|(i, v)| (*i, v.len()))
            .map(|(_, v)| v.clone());
        if verb.is_none() && date.is_none() {
            let tail: String = text[after_close..].chars().take(6).collect();
            verb = self.after.iter().filter_map(|v| tail.find(v.as_str()).map(|i| (i, v))).min_by_key(|(i, _)| *i).map(|(_, v)| v.clone());
        }
        (date.and_then(|d| d.value), verb)
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_unbalanced_brackets() {
        let t = "落实《关于〈丝绸之路经济带〉的规划》和《未闭合";
        let outer = bracketed(t, '《', '》');
        assert_eq!(outer.len(), 1);
        assert_eq!(&t[outer[0].0 + 3..outer[0].1], "关于〈丝绸之路经济带〉的规划");
        assert_eq!(bracketed(t, '〈', '〉').len(), 1);
    }
}
