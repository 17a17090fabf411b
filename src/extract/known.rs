//! Recognizers that start from known names: gazetteer names, one-character
//! party forms (哈方, 对华), leaders named after their party and title, and
//! 双方/两国.

use std::collections::HashSet;

use crate::knowledge::Knowledge;
use crate::model::EntityType;
use crate::zh::is_han;
use crate::zh::words::WordClass;

use super::candidate::{Candidate, Origin};
use super::context::{BothMention, DocView, Findings, Recognizer};

/// Every name of the gazetteer, unless the next character glues its last
/// word into another one (外交部 in 外交部门).
pub struct GazetteerNames {
    suffixes: crate::zh::Endings,
}

impl GazetteerNames {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lx = &knowledge.lexicon.extraction;
        Self { suffixes: crate::zh::Endings::new(lx.suffixes.iter().map(|r| &r.suffix)) }
    }
}

impl Recognizer for GazetteerNames {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let g = &doc.knowledge.gazetteer;
        for m in &doc.names {
            let name = &doc.text[m.start..m.end];
            let after = &doc.text[m.end..];
            // A name whose last word runs on (外交部 in 外交部门) is not that name.
            if self.suffixes.any(name) && !doc.words.is_boundary(m.end) {
                continue;
            }
            let entry = m.entry;
            let e = g.entry(entry);
            // A two-character short form inside a longer word is part of that
            // word (克州 in 车里雅宾斯克州), unless a known name ends where it
            // begins (广西南宁).
            if name.chars().count() == 2
                && e.entity_type != EntityType::Party
                && !doc.words.is_boundary(m.start)
                && doc.text[..m.start].ends_with(is_han)
                && doc.name_ending_at(m.start, &[EntityType::Place, EntityType::Party]).is_none()
            {
                continue;
            }
            // A part of a transliterated name is not a name (达尔 in 萨达尔·萨迪克).
            let prev = doc.text[..m.start].chars().next_back();
            let next = after.chars().next();
            if e.entity_type == EntityType::Person
                && ((next == Some('·') && prev.is_some_and(is_han)) || (prev == Some('·') && next.is_some_and(is_han)))
            {
                continue;
            }
            // A name written in quotation marks is the name inside them (“东伊运”).
            let (start, end) = match name.strip_prefix('“').and_then(|n| n.strip_suffix('”')) {
                Some(inner) => (m.start + '“'.len_utf8(), m.start + '“'.len_utf8() + inner.len()),
                None => (m.start, m.end),
            };
            out.candidates.push(Candidate {
                start,
                end,
                entity_type: e.entity_type,
                origin: Origin::Gazetteer(entry),
                name: e.canonical.clone(),
            });
        }
    }
}

/// One-character forms of the document's parties: 哈方, 对华, 来华, 在哈.
pub struct PartyForms {
    /// What follows an abbreviation (方 in 哈方).
    after: Vec<String>,
    /// Two-character starts of gazetteer names: 在阿拉木图 is a place, not 在 + 阿.
    name_starts: HashSet<String>,
    before: Vec<String>,
}

impl PartyForms {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lx = &knowledge.lexicon.extraction;
        let name_starts = knowledge
            .gazetteer
            .entries()
            .iter()
            .flat_map(|e| e.names())
            .filter_map(|n| {
                let mut it = n.chars();
                let (a, b) = (it.next()?, it.next()?);
                Some(format!("{a}{b}"))
            })
            .collect();
        Self { after: lx.abbrev_after.clone(), name_starts, before: lx.abbrev_before.clone() }
    }

    /// Adds a mention of the party abbreviated by `c`, spanning `[at, end)`.
    fn push(&self, doc: &DocView, out: &mut Findings, at: usize, end: usize, c: char) {
        if let Some(party) = doc.party_by_abbrev(c) {
            let e = doc.knowledge.gazetteer.entry(party);
            out.candidates.push(Candidate {
                start: at,
                end,
                entity_type: EntityType::Party,
                origin: Origin::PartyForm(party),
                name: e.canonical.clone(),
            });
        }
    }
}

impl Recognizer for PartyForms {
    fn name(&self) -> &'static str {
        "party_forms"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let text = doc.text;
        // 双方/各方/地方 are not parties; only a document party's abbreviation counts.
        for (at, end, ch) in crate::zh::marked_abbreviations(text, &self.after) {
            self.push(doc, out, at, end, ch);
        }
        // Only the parties' abbreviations can be forms: look for those alone.
        let mut chars: Vec<char> = doc.abbreviations().filter(|&c| is_han(c)).collect();
        chars.sort_unstable();
        chars.dedup();
        let mut found: Vec<(usize, char)> = Vec::new();
        for ch in chars {
            found.extend(memchr::memmem::find_iter(text.as_bytes(), ch.encode_utf8(&mut [0u8; 4]).as_bytes()).map(|i| (i, ch)));
        }
        found.sort_unstable();
        for (i, ch) in found {
            let before = &text[..i];
            if !self.before.iter().any(|b| before.ends_with(b.as_str())) {
                continue;
            }
            let next2: String = text[i..].chars().take(2).collect();
            let next = next2.chars().nth(1);
            // 哈方 is found above; 中塔 is a compound of the parties; 阿拉木图 a name.
            if next.is_some_and(|n| n == '方' || (n != ch && doc.party_by_abbrev(n).is_some())) || self.name_starts.contains(&next2) {
                continue;
            }
            self.push(doc, out, i, i + ch.len_utf8(), ch);
        }
        for word in ["双方", "两国"] {
            for i in memchr::memmem::find_iter(text.as_bytes(), word) {
                out.both.push(BothMention { start: i, end: i + word.len() });
            }
        }
    }
}

/// A person named after an office: after a party and a leader's title
/// (哈萨克斯坦共和国总统卡瑟姆若马尔特·托卡耶夫), or after any office title when
/// the name is a transliteration (议长萨达尔·萨迪克) or begins with a common
/// Chinese surname (副委员长蔡达峰); whether or not the gazetteer knows the person.
pub struct Persons {
    /// Leaders' titles, longest first (after a party name).
    roles: Vec<String>,
    /// Every office title, found in one pass.
    offices: aho_corasick::AhoCorasick,
    surnames: crate::knowledge::lexicon::CharSet,
}

/// Words that end a name written after a title.
const NAME_ENDS: &[&str] = &["邀请", "于", "对", "和", "与", "同", "在", "表示", "的", "出席", "访问", "一行", "会见", "会谈", "感谢", "主持", "签署", "共同", "就", "将", "并", "以及", "及", "分别", "等", "也", "向", "致", "为"];

impl Persons {
    pub fn new(knowledge: &Knowledge) -> Self {
        let mut roles = knowledge.lexicon.documents.leader_roles.clone();
        roles.sort_by_key(|r| std::cmp::Reverse(r.chars().count()));
        let lx = &knowledge.lexicon.extraction;
        let offices = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(roles.iter().chain(&lx.office_titles))
            .expect("office automaton");
        Self { roles, offices, surnames: lx.surnames.clone() }
    }

    /// The name written at `at`: Han characters and middle dots, up to a word
    /// that ends names.
    fn name_at<'t>(&self, text: &'t str, at: usize) -> &'t str {
        let rest = &text[at..];
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if !(is_han(c) || c == '·' || c == '-') || NAME_ENDS.iter().any(|w| rest[i..].starts_with(w)) || i >= 60 {
                break;
            }
            end = i + c.len_utf8();
        }
        &rest[..end]
    }

    fn push(&self, out: &mut Findings, start: usize, name: &str, party: Option<crate::knowledge::gazetteer::EntryId>) {
        out.candidates.push(Candidate { start, end: start + name.len(), entity_type: EntityType::Person, origin: Origin::Person { party }, name: name.to_owned() });
    }
}

impl Recognizer for Persons {
    fn name(&self) -> &'static str {
        "persons"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let g = &doc.knowledge.gazetteer;
        let text = doc.text;
        // After a party and a leader's title: any name of 2–4 characters, or a transliteration.
        for m in &doc.names {
            if g.entry(m.entry).entity_type != EntityType::Party {
                continue;
            }
            let after = &text[m.end..];
            let after = after.strip_prefix("政府").unwrap_or(after);
            let Some(role) = self.roles.iter().find(|r| after.starts_with(r.as_str())) else { continue };
            let name_start = text.len() - after.len() + role.len();
            let name = self.name_at(text, name_start);
            let chars = name.chars().count();
            // Chinese names have 2–4 characters; transliterations carry a middle dot.
            if chars < 2 || (!name.contains('·') && chars > 4) {
                continue;
            }
            self.push(out, name_start, name, Some(m.entry));
        }
        // After any office title: a transliteration (with a middle dot, or of
        // characters transliterations use), or a Chinese name of two or three
        // characters beginning with a common surname.
        let lx = &doc.knowledge.lexicon.extraction;
        for m in self.offices.find_iter(text) {
            let name = self.name_at(text, m.end());
            let len = name.chars().count();
            let transliterated = (2..=6).contains(&len) && name.chars().all(|c| lx.is_transliteration_char(c));
            // A common word that begins with a surname character is no name (外长战略对话).
            let common_word = || {
                doc.words.word_at(m.end()).is_some_and(|(end, class)| text[m.end()..end].chars().count() >= 2 && !matches!(class, WordClass::Proper | WordClass::Unknown))
            };
            let chinese = (2..=3).contains(&len) && name.chars().next().is_some_and(|c| self.surnames.contains(c)) && !common_word();
            if !(name.contains('·') || transliterated || chinese) {
                continue;
            }
            if name.chars().count() >= 2 {
                self.push(out, m.end(), name, None);
            }
        }
    }
}
