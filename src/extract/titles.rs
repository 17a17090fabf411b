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
    // Only the brackets and line breaks matter: look for their first bytes
    // (a first byte is never inside a character, so each hit starts one).
    let first_byte = |ch: char| ch.encode_utf8(&mut [0u8; 4]).as_bytes()[0];
    for i in memchr::memchr3_iter(b'\n', first_byte(open), first_byte(close), text.as_bytes()) {
        let Some(c) = text[i..].chars().next() else { continue };
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
        spans.sort();
        spans.retain(|&(open, close)| !text[open + '《'.len_utf8()..close].trim().is_empty());
        let cues: Vec<TitleCues> = spans.iter().map(|&(open, close)| self.cues(doc, open, close + '》'.len_utf8(), year)).collect();
        // Titles joined by 和, 及其, 、 or nothing (《A》《B》) share their date
        // and verb. A title is joined to the one closed last before it opens
        // (past any title nested in that one); a nested title to nothing.
        let previous: Vec<Option<usize>> = (0..spans.len())
            .map(|j| (0..j).filter(|&k| spans[k].1 < spans[j].0).max_by_key(|&k| spans[k].1))
            .collect();
        let joined_to_previous: Vec<Option<usize>> = (0..spans.len())
            .map(|j| {
                previous[j].filter(|&k| {
                    let after_previous = spans[k].1 + '》'.len_utf8();
                    after_previous <= spans[j].0 && is_coordinated(&text[after_previous..spans[j].0])
                })
            })
            .collect();
        let mut group_start: Vec<usize> = (0..spans.len()).collect();
        for j in 0..spans.len() {
            if let Some(k) = joined_to_previous[j] {
                group_start[j] = group_start[k];
            }
        }
        let mut group_end: Vec<usize> = (0..spans.len()).collect();
        for j in (0..spans.len()).rev() {
            if let Some(k) = joined_to_previous[j] {
                group_end[k] = group_end[j];
            }
        }
        for i in 0..spans.len() {
            let (first, last, own) = (&cues[group_start[i]], &cues[group_end[i]], &cues[i]);
            let date = own.date.clone().or_else(|| first.date.clone());
            let verb = own.verb_before.clone().or_else(|| first.verb_before.clone()).or_else(|| own.verb_after.clone()).or_else(|| last.verb_after.clone());
            let (open, close) = spans[i];
            let start = open + '《'.len_utf8();
            let title = &text[start..close];
            let kind = lexicon.kind_of(title).unwrap_or("document").to_owned();
            out.citations.push(RawCitation { start, end: close, title: title.to_owned(), date, verb, kind });
            out.candidates.push(Candidate { start, end: close, entity_type: EntityType::Treaty, origin: Origin::Title, name: title.to_owned() });
        }
    }
}

/// What stands around one title: the date written before it, and a
/// governing verb before or after it.
struct TitleCues {
    date: Option<String>,
    verb_before: Option<String>,
    verb_after: Option<String>,
}

/// Whether the text between two titles joins them into one list.
fn is_coordinated(between: &str) -> bool {
    matches!(between.trim(), "" | "和" | "与" | "及" | "及其" | "以及" | "、" | "，以及")
}

/// Adverbs between a title and a verb after it (《巴黎协定》全面平衡有效实施).
const AFTER_VERB_REACH_CHARS: usize = 8;
/// Words between a date and the title it dates (2024年5月发表的《…》).
const DATE_REACH_CHARS: usize = 8;

impl Titles {
    /// The verb that `zone` ends with, allowing after it 好, 了, 的 and a
    /// party owning the title (落实好《, 签署了《, 共同参加的《, 欢迎中方《).
    /// Of two verbs joined by 并 the first counts (签署并推动落实《).
    fn verb_ending<'z>(&'z self, zone: &'z str) -> Option<&'z str> {
        let mut z = zone.strip_suffix('的').unwrap_or(zone);
        let mut tail = z.chars().rev();
        if let (Some('方'), Some(p)) = (tail.next(), tail.next()) {
            if crate::zh::is_han(p) {
                z = &z[..z.len() - '方'.len_utf8() - p.len_utf8()];
            }
        }
        let ending = |z: &str| -> Option<(usize, &'z String)> {
            self.before
                .iter()
                .filter_map(|v| [z.strip_suffix(v.as_str()), z.strip_suffix('好').and_then(|y| y.strip_suffix(v.as_str())), z.strip_suffix('了').and_then(|y| y.strip_suffix(v.as_str()))].into_iter().flatten().next().map(|rest| (rest.len(), v)))
                .min_by_key(|(rest, _)| *rest)
        };
        let (rest, verb) = ending(z)?;
        // 签署并落实, 签署并推动落实: the verb before 并.
        let before_and = z[..rest].rfind('并').filter(|&i| z[i..rest].chars().count() <= 3).map(|i| &z[..i]);
        match before_and.and_then(ending) {
            Some((_, first)) => Some(first.as_str()),
            None => Some(verb.as_str()),
        }
    }

    /// The date written just before the title (2011年6月13日签订的《, 2024年5月《,
    /// 2013年《), and the verbs governing it: between that date and the title,
    /// else just before the title (落实好《, 欢迎中方《), else just after it
    /// (》草案协商, 》全面有效实施).
    fn cues(&self, doc: &DocView, open: usize, after_close: usize, year: Option<i32>) -> TitleCues {
        let text = doc.text;
        let window_start = floor_boundary(text, open.saturating_sub(90));
        let window = &text[window_start..open];
        // The clause before the title: no other title or sentence end in between.
        let clause_start = window.rfind(['》', '。', '；', '，', '\n', '、', '：']).map(|i| i + window[i..].chars().next().map_or(0, char::len_utf8)).unwrap_or(0);
        let clause = &window[clause_start..];
        // Near the title, or further when what stands between is the issuer
        // and its verb (2020年11月10日上合组织成员国元首理事会批准的《).
        let issued_by_named_body = |d: &DateMatch| {
            let zone = &clause[d.end..];
            self.verb_ending(zone).is_some_and(|verb| {
                let verb_at = window_start + clause_start + zone.rfind(verb).unwrap_or(0) + d.end;
                doc.name_ending_at(verb_at, &[EntityType::Organization, EntityType::Party]).is_some_and(|m| m.start == window_start + clause_start + d.end)
            })
        };
        // The document's dates in the clause, relative to it (found once for the text).
        let clause_at = window_start + clause_start;
        let date: Option<DateMatch> = dates_within(doc, clause_at, open)
            .into_iter()
            .filter(|d| d.value.as_deref().is_some_and(|v| matches!(v.len(), 4 | 7 | 10)))
            .rfind(|d| clause[d.end..].chars().count() <= DATE_REACH_CHARS || issued_by_named_body(d));
        let zone = match &date {
            Some(d) => &clause[d.end..],
            None => clause,
        };
        // Else a date that opens the sentence, before its first comma, dates
        // what the sentence says was signed (2013年，两国签署了《…》; of
        // 2019年和2023年，…两次共同签署…《…》 the first).
        let date = date.and_then(|d| d.value).or_else(|| {
            let sentence_start = text[..open].rfind(['。', '；', '\n']).map_or(0, |i| i + text[i..].chars().next().map_or(0, char::len_utf8));
            let sentence = &text[sentence_start..open];
            let head = &sentence[..sentence.find('，')?];
            let dates = find_dates(head, year);
            let first = dates.first().filter(|d| d.start == 0)?;
            let rest = head[first.end..].trim_start_matches(['和', '与', '、']);
            let only_dates = rest.is_empty() || dates.get(1).is_some_and(|d| head.len() - rest.len() == d.start && d.end == head.len());
            (only_dates && find_dates(&sentence[head.len()..], year).is_empty()).then(|| first.value.clone()).flatten()
        });
        // A purpose clause may stand between the verb and the title
        // (制定旨在推广…技术的《…》).
        let zone = doc
            .knowledge
            .lexicon
            .extraction
            .purpose_markers
            .iter()
            .filter_map(|m| zone.rfind(m.as_str()).filter(|_| zone.ends_with('的')).map(|i| &zone[..i]))
            .find(|z| self.verb_ending(z).is_some())
            .unwrap_or(zone);
        let verb_before = self.verb_ending(zone).map(str::to_owned);
        let tail: String = text[after_close..].chars().take_while(|c| !matches!(c, '，' | '。' | '；' | '、' | '《' | '\n')).take(AFTER_VERB_REACH_CHARS + 2).collect();
        let verb_after = self.after.iter().filter_map(|v| tail.find(v.as_str()).map(|i| (i, v))).min_by_key(|(i, _)| *i).map(|(_, v)| v.clone());
        TitleCues { date, verb_before, verb_after }
    }
}

/// The document's dates inside `[start, end)`, with offsets from `start`.
fn dates_within(doc: &DocView, start: usize, end: usize) -> Vec<DateMatch> {
    let first = doc.dates.partition_point(|d| d.start < start);
    doc.dates[first..].iter().take_while(|d| d.end <= end).map(|d| DateMatch { start: d.start - start, end: d.end - start, ..d.clone() }).collect()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
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
