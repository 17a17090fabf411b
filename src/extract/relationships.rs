//! The relationship a statement declares between its two parties: its level
//! (normalized by `knowledge::levels`), the act (establish, upgrade, deepen…),
//! when, and the words that say it; and the earlier levels it recalls
//! (2011年6月13日签订的《…关于发展全面战略伙伴关系的联合声明》,
//! 2014年两国建立全面战略伙伴关系).
//!
//! A level phrase is a base (伙伴关系, 命运共同体) after nothing but qualifiers
//! (全面, 战略…), the parties' compound (中哈) and neutral modifiers (两国,
//! 长期稳定的); a sector's partnership (安全伙伴关系) or the global concept
//! (人类命运共同体) is none. It is declared when an act's verb governs it in its
//! clause (or it names the document), and recalled when a date stands before
//! that verb in the clause.

use crate::knowledge::Knowledge;
use crate::model::RelationshipDeclaration;
use crate::zh::dates::find_dates;

use super::context::DocView;

/// How far before a level its act's verb may stand, in characters.
const ACT_REACH_CHARS: usize = 12;
/// How far before an act its date may stand (2014年两国建立…), in characters.
const DATE_REACH_CHARS: usize = 6;

/// One level phrase of a text, before it is placed in time.
struct Phrase {
    start: usize,
    end: usize,
    level: usize,
}

pub struct RelationshipFinder;

impl RelationshipFinder {
    /// The declarations of a document; `title` is the byte range of its own
    /// title, which declares the level it names; `doc_date` the document's date.
    /// `cited` are the titles the document cites (byte ranges) with their dates.
    pub fn find(doc: &DocView, title: Option<(usize, usize)>, cited: &[(usize, usize, Option<String>)], doc_date: Option<&str>) -> Vec<(usize, usize, RelationshipDeclaration)> {
        let k: &Knowledge = doc.knowledge;
        if doc.meta.parties.len() != 2 {
            return Vec::new();
        }
        let parties: Vec<String> = doc.meta.parties.iter().map(|p| p.id.clone()).collect();
        let text = doc.text;
        let lx = &k.lexicon.relationships;
        let mut out: Vec<(usize, usize, RelationshipDeclaration)> = Vec::new();
        for phrase in phrases(doc) {
            let level = &k.levels.levels()[phrase.level];
            let clause_start = text[..phrase.start].rfind(['，', '。', '；', '：', '\n']).map_or(0, |i| i + text[i..].chars().next().map_or(0, char::len_utf8));
            let before = &text[clause_start..phrase.start];
            let reach = before.char_indices().rev().nth(ACT_REACH_CHARS - 1).map_or(0, |(i, _)| i);
            // The nearest act verb before the phrase (the longest one ending there).
            let act = lx
                .acts
                .iter()
                .filter_map(|a| before[reach..].rfind(a.word.as_str()).map(|i| (reach + i, a)))
                .max_by_key(|(i, a)| (*i + a.word.len(), a.word.len()));
            let in_title = title.is_some_and(|(s, e)| s <= phrase.start && phrase.end <= e);
            let (act, act_at) = match act {
                Some((i, a)) => (a.act.clone(), clause_start + i),
                None if in_title => ("establish".to_owned(), phrase.start),
                None => continue,
            };
            // Another's relationship (中国东盟建立…) is not the parties'.
            if names_others(doc, clause_start, act_at) {
                continue;
            }
            // An earlier declaration the text recalls: one in a cited title, dated
            // by the citation; or one with a date just before its act (2014年两国建立…).
            let cited_date = cited.iter().find(|(s, e, _)| *s <= phrase.start && phrase.end <= *e).map(|(_, _, d)| d.clone());
            let recalled_date = match cited_date {
                Some(date) => date,
                None => find_dates(&text[clause_start..act_at], doc.meta.reference_year())
                    .into_iter()
                    .filter(|d| text[clause_start + d.end..act_at].chars().count() <= DATE_REACH_CHARS)
                    .filter_map(|d| d.value)
                    .rfind(|v| !v.contains('/')),
            };
            let recalled = recalled_date.is_some() && !in_title;
            let date = if recalled { recalled_date } else { doc_date.map(str::to_owned) };
            let declaration = RelationshipDeclaration {
                parties: parties.clone(),
                level: level.iri.clone(),
                level_label: level.label_zh.clone(),
                rank: level.rank,
                act,
                date,
                recalled,
                phrase: text[phrase.start..phrase.end].to_owned(),
                start: 0,
                end: 0,
                sentence: 0,
            };
            let same = |d: &RelationshipDeclaration| d.level == declaration.level && d.act == declaration.act && d.date == declaration.date && d.recalled == declaration.recalled;
            if !out.iter().any(|(_, _, d)| same(d)) {
                out.push((clause_start.min(act_at), phrase.end, declaration));
            }
        }
        out
    }
}

/// Every level phrase of the text.
fn phrases(doc: &DocView) -> Vec<Phrase> {
    let k = doc.knowledge;
    let lx = &k.lexicon.relationships;
    let text = doc.text;
    let mut out = Vec::new();
    for base in k.levels.bases() {
        for (at, _) in text.match_indices(base.as_str()) {
            let end = at + base.len();
            if lx.not_levels.iter().any(|n| n.ends_with(base.as_str()) && text[..end].ends_with(n.as_str())) {
                continue;
            }
            // Scan left over qualifiers, neutral modifiers and the parties' compound.
            let mut start = at;
            let mut qualifiers: Vec<&str> = Vec::new();
            loop {
                let before = &text[..start];
                if let Some(q) = qualifiers_ending(k, before) {
                    qualifiers.push(q);
                    start -= q.len();
                } else if let Some(m) = lx.neutral_modifiers.iter().filter(|m| before.ends_with(m.as_str())).max_by_key(|m| m.len()) {
                    start -= m.len();
                } else if compound_ending(before, doc) {
                    start -= before.chars().rev().take(2).map(char::len_utf8).sum::<usize>();
                } else {
                    break;
                }
            }
            // A word glued before it makes it something else (安全伙伴关系, 中亚命运共同体),
            // and so does a name in quotation marks (“智慧海关”合作伙伴关系).
            let glued = text[..start].chars().next_back().is_some_and(|c| (crate::zh::is_han(c) && !ends_with_act(&text[..start], lx)) || matches!(c, '”' | '》' | '—'));
            if glued {
                continue;
            }
            qualifiers.reverse();
            let normalized: String = qualifiers.concat() + base;
            if let Some(level) = k.levels.levels().iter().position(|l| Some(l) == k.levels.level_of(&normalized)) {
                out.push(Phrase { start, end, level });
            }
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// Whether a body or a state other than the parties is named between `s` and
/// `e`: the one that acts there.
fn names_others(doc: &DocView, s: usize, e: usize) -> bool {
    let g = &doc.knowledge.gazetteer;
    doc.names.iter().filter(|m| m.start >= s && m.end <= e).any(|m| match g.entry(m.entry).entity_type {
        crate::model::EntityType::Party => !doc.parties.contains(&m.entry),
        crate::model::EntityType::Organization => true,
        _ => false,
    })
}

/// The qualifier that ends `text`, the longest.
fn qualifiers_ending<'a>(k: &'a Knowledge, text: &str) -> Option<&'a str> {
    k.lexicon.relationships.qualifiers.iter().filter(|q| text.ends_with(q.as_str())).max_by_key(|q| q.len()).map(String::as_str)
}

/// Whether `text` ends with the parties' compound (中哈).
fn compound_ending(text: &str, doc: &DocView) -> bool {
    let mut back = text.chars().rev();
    let (Some(b), Some(a)) = (back.next(), back.next()) else { return false };
    a != b && doc.party_by_abbrev(a).is_some() && doc.party_by_abbrev(b).is_some()
}

fn ends_with_act(text: &str, lx: &crate::knowledge::lexicon::RelationshipLexicon) -> bool {
    lx.acts.iter().any(|a| text.ends_with(a.word.as_str())) || text.ends_with(['为', '的', '和', '与', '在', '是', '及', '把', '将', '于'])
}
