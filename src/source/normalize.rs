//! Layout normalization: one paragraph per line, web cruft removed.
//!
//! After this step later stages may rely on: paragraphs are separated by a
//! single `\n`; there is no leading or trailing whitespace on a line; no
//! full-width space, tab or Markdown table syntax remains; every character
//! still maps to its source offset.

use std::sync::LazyLock;

use regex::Regex;

use super::mapped::{MappedBuilder, MappedText};
use crate::knowledge::required::{required_words, WordFilter};

/// What to do with a stretch of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Edit {
    /// Replace by a paragraph break.
    Break,
    /// Drop without a break.
    Drop,
}

/// Line, paragraph and cell separators; runs of two or more spaces.
static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:[\r\n\t\u{2028}\u{2029}\u{3000}\u{a0}]|  )\s*|\s+$").unwrap());
/// A Markdown table row (a line that starts and ends with a pipe).
static TABLE_ROW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^[ \t]*\|.*\|[ \t]*\r?$").unwrap());
/// A Markdown table rule row such as `|---|:--:|`.
static TABLE_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\s|:\-]*-[\s|:\-]*$").unwrap());
/// Markup that was escaped in the source and decoded once (`&lt;br&gt;` → `<br>`).
static ESCAPED_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?\s*(?:br|p|div|li|tr|td|h[1-6])\b[^<>]{0,200}>").unwrap());
static ZERO_WIDTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\u{200b}\u{200c}\u{200d}\u{feff}\u{00ad}]").unwrap());

/// Patterns of web cruft to remove (font-size widgets, "打印本页"...), each
/// tried only on a text holding the words it needs: most texts hold none,
/// and a pattern that opens with a class or a gap cannot skip ahead to them.
#[derive(Debug, Clone)]
pub struct Cruft {
    each: Vec<Regex>,
    words: WordFilter,
}

impl Default for Cruft {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Cruft {
    pub fn new(each: Vec<Regex>) -> Self {
        let words = WordFilter::new(each.iter().map(|r| required_words(r.as_str())));
        Self { each, words }
    }

    /// The patterns that may match in `text`.
    fn found_in<'a>(&'a self, text: &str) -> Vec<&'a Regex> {
        let found = self.words.words_in(text);
        self.each.iter().enumerate().filter(|(i, _)| self.words.allows(*i, found.get(0))).map(|(_, r)| r).collect()
    }
}

/// Normalizes `input`, removing every match of the `cruft` patterns.
pub fn normalize(input: &MappedText, cruft: &Cruft) -> MappedText {
    let text = input.as_str();
    let mut edits: Vec<(usize, usize, Edit)> = Vec::new();
    for m in SEPARATORS.find_iter(text) {
        edits.push((m.start(), m.end(), Edit::Break));
    }
    for row in TABLE_ROW.find_iter(text) {
        let line = row.as_str();
        if TABLE_RULE.is_match(line) {
            edits.push((row.start(), row.end(), Edit::Break));
        } else {
            for (i, _) in line.match_indices('|') {
                edits.push((row.start() + i, row.start() + i + 1, Edit::Break));
            }
        }
    }
    for m in ESCAPED_TAG.find_iter(text) {
        edits.push((m.start(), m.end(), Edit::Break));
    }
    for m in ZERO_WIDTH.find_iter(text) {
        edits.push((m.start(), m.end(), Edit::Drop));
    }
    for re in cruft.found_in(text) {
        for m in re.find_iter(text) {
            if !m.is_empty() {
                edits.push((m.start(), m.end(), Edit::Break));
            }
        }
    }
    edits.sort();

    let mut out = MappedBuilder::with_capacity(text.len());
    let mut pos = 0usize;
    let mut pending_break = false;
    for (s, e, edit) in merge(edits) {
        if s > pos {
            emit(&mut out, input, pos, s, &mut pending_break);
        }
        if edit == Edit::Break {
            pending_break = true;
        }
        pos = pos.max(e);
    }
    if pos < text.len() {
        emit(&mut out, input, pos, text.len(), &mut pending_break);
    }
    out.trim_end_matches(&[' ', '\n']);
    out.finish(input.source_len())
}

/// Merges overlapping edits; a break wins over a drop.
fn merge(edits: Vec<(usize, usize, Edit)>) -> Vec<(usize, usize, Edit)> {
    let mut merged: Vec<(usize, usize, Edit)> = Vec::with_capacity(edits.len());
    for (s, e, k) in edits {
        match merged.last_mut() {
            Some(last) if s < last.1 => {
                last.1 = last.1.max(e);
                last.2 = last.2.min(k);
            }
            _ => merged.push((s, e, k)),
        }
    }
    merged
}

fn emit(out: &mut MappedBuilder, input: &MappedText, s: usize, e: usize, pending_break: &mut bool) {
    let chunk = &input.as_str()[s..e];
    // A chunk of spaces alone between two breaks adds nothing.
    if chunk.trim().is_empty() {
        return;
    }
    if *pending_break && !out.is_empty() && !out.ends_with('\n') {
        out.trim_end_matches(&[' ']);
        let (at, _) = input.source_range(s, s);
        out.push('\n', at.saturating_sub(1), at);
    }
    *pending_break = false;
    let lead = chunk.len() - chunk.trim_start().len();
    let s = if out.is_empty() || out.ends_with('\n') { s + lead } else { s };
    out.push_mapped(input, s, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widgets() -> Cruft {
        Cruft::new(vec![Regex::new(r"\[字体：[^\]]*\]").unwrap(), Regex::new("打印本页").unwrap()])
    }

    fn norm(s: &str) -> String {
        normalize(&MappedText::identity(s), &widgets()).as_str().to_owned()
    }

    #[test]
    fn full_width_spaces_and_space_runs_separate_paragraphs() {
        assert_eq!(norm("\u{3000}\u{3000}甲。\u{3000}\u{3000}乙。"), "甲。\n乙。");
        assert_eq!(norm("主席          总统"), "主席\n总统");
        assert_eq!(norm("a b\r\n\r\n\tc"), "a b\nc");
    }

    #[test]
    fn markdown_tables_become_lines() {
        let t = "声明。\n\n| | |\n|---|--|\n| 中华人民共和国 | 哈萨克斯坦共和国 |\n| 主席 | 总统 |\n| | |\n";
        assert_eq!(norm(t), "声明。\n中华人民共和国\n哈萨克斯坦共和国\n主席\n总统");
    }

    #[test]
    fn cruft_is_removed_and_offsets_survive() {
        let t = "标题2019-09-12[字体：大 中 小]      打印本页\u{3000}\u{3000}应邀请。";
        let m = normalize(&MappedText::identity(t), &widgets());
        assert_eq!(m.as_str(), "标题2019-09-12\n应邀请。");
        let at = m.as_str().find('应').unwrap();
        assert_eq!(m.source_start(at) as usize, t.chars().position(|c| c == '应').unwrap());
    }

    #[test]
    fn escaped_markup_breaks_lines() {
        assert_eq!(norm("一。<br>二。<BR/>三"), "一。\n二。\n三");
    }
}
