//! Recognizers of names by their shape, for things no list can hold:
//! a name ends in a telling word (…委员会, …管道, …峰会) and extends left to
//! the nearest stop word; a quoted name before a head word (“光明之路”新经济政策);
//! patterns such as COP29; a short name in a place phrase (在X举行).

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use crate::knowledge::lexicon::SuffixRule;
use crate::knowledge::{Knowledge, Lexicon};
use crate::model::EntityType;
use crate::zh::{is_han, Endings};
use crate::zh::words::WordClass;

use super::candidate::{Candidate, Origin};
use super::context::{DocView, Findings, Recognizer};

/// A year written right before a name (2027年世博会, 2026减贫…论坛).
static YEAR_BEFORE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r"(?:^|[^0-9０-９.])((?:19|20)[0-9]{2}年?)$").unwrap());
static YEAR_AT_START: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r"^(?:19|20)[0-9]{2}").unwrap());

/// A run of digits in a stem.
static QUANTITY: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r"[0-9０-９][0-9０-９.]*").unwrap());

/// Longest name built by scanning left, in characters.
const MAX_NAME_CHARS: usize = 36;

pub struct NameShapes {
    suffixes: AhoCorasick,
    rules: Vec<SuffixRule>,
    /// Left stop words.
    stops: Endings,
    conjunctions: Vec<char>,
    /// The suffixes.
    suffix_ends: Endings,
    /// The suffixes and the other words that end a name.
    name_ends: Endings,
    citation_verb_ends: Endings,
    not_name_ends: Endings,
    weak_suffixes: Vec<String>,
    abbrev_before: Vec<String>,
    abbrev_modifiers: Vec<String>,
    strip_prefixes: Vec<String>,
    not_names: HashSet<String>,
    name_initial_words: Vec<String>,
    measure_words: Vec<String>,
    series_kinds: Vec<String>,
    scope_words: Vec<String>,
    ordinal: Regex,
}

impl NameShapes {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lx = &knowledge.lexicon.extraction;
        let patterns: Vec<&str> = lx.suffixes.iter().map(|r| r.suffix.as_str()).collect();

        Self {
            suffixes: AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(aho_corasick::AhoCorasickKind::DFA)).build(&patterns).expect("suffix automaton"),
            rules: lx.suffixes.clone(),
            stops: Endings::new(&lx.left_stops),
            suffix_ends: Endings::new(lx.suffixes.iter().map(|r| &r.suffix)),
            name_ends: Endings::new(lx.suffixes.iter().map(|r| &r.suffix).chain(&lx.name_final_words)),
            citation_verb_ends: Endings::new(&lx.citation_verbs_before),
            not_name_ends: Endings::new(&lx.not_name_endings),
            conjunctions: lx.inner_conjunctions.iter().filter_map(|c| c.chars().next()).collect(),
            weak_suffixes: lx.weak_suffixes.clone(),
            abbrev_before: lx.abbrev_before.clone(),
            abbrev_modifiers: lx.abbrev_modifiers.clone(),
            strip_prefixes: lx.strip_prefixes.clone(),
            not_names: lx.not_names.iter().cloned().collect(),
            name_initial_words: lx.name_initial_words.clone(),
            measure_words: lx.measure_words.clone(),
            series_kinds: lx.series_kinds.clone(),
            scope_words: lx.scope_words.clone(),
            ordinal: ordinal_regex(knowledge),
        }
    }

    fn stop_before(&self, text: &str, pos: usize, doc: &DocView) -> bool {
        self.stop_word_before(text, pos, doc).is_some()
    }

    /// The stop word ending at `pos`, if any. A one-character stop must be a
    /// word of its own: 应 in 应用, 对 in 对话 and 由 in 自由 are parts of the
    /// name's words. A longer stop counts even inside a longer word (肯定 in
    /// 充分肯定, 举行 in 举行会谈).
    fn stop_word_before(&self, text: &str, pos: usize, doc: &DocView) -> Option<&str> {
        let whole_word = |w: &str| doc.words.is_boundary(pos) && doc.words.is_boundary(pos - w.len());
        self.stops.ending(&text[..pos]).find(|w| w.chars().nth(1).is_some() || whole_word(w))
    }

    /// A party's short form ends at `pos` (在哈, 对华, 阿方): a name cannot extend over it.
    fn party_form_before(&self, text: &str, pos: usize, doc: &DocView) -> bool {
        let mut back = text[..pos].chars().rev();
        match (back.next(), back.next()) {
            (Some('方'), Some(x)) => doc.party_by_abbrev(x).is_some(),
            (Some(x), Some(_)) if doc.party_by_abbrev(x).is_some() => {
                // 在中塔政府间…: 中 begins a compound of the parties, not a form of China.
                let compound = text[pos..].chars().next().is_some_and(|n| n != x && doc.party_by_abbrev(n).is_some());
                let before = &text[..pos - x.len_utf8()];
                // 援老 (aid to Laos) is a modifier inside a name, not a place phrase.
                let modifier = self.abbrev_modifiers.iter().any(|b| before.ends_with(b.as_str()));
                !compound && !modifier && self.abbrev_before.iter().any(|b| before.ends_with(b.as_str()))
            }
            _ => false,
        }
    }

    /// Scans left from `pos` over the characters a name can hold. A place's
    /// name stops at a place or state named before it (中国湖南省: 湖南省).
    fn scan_left(&self, text: &str, suffix_start: usize, rule: &SuffixRule, doc: &DocView) -> usize {
        let mut pos = suffix_start;
        let mut chars = 0;
        loop {
            if chars >= MAX_NAME_CHARS || self.party_form_before(text, pos, doc) {
                return pos;
            }
            if rule.entity_type == EntityType::Place && pos < suffix_start && place_name_start(pos, doc).is_some() {
                return pos;
            }
            // A compound of the document's parties (中哈, 中阿) opens a name,
            // unless an ordinal stands before it (第三届中哈地方合作论坛).
            if starts_with_party_compound(&text[pos..], doc) && !self.ordinal_before(text, pos) {
                return pos;
            }
            // A state's full name starts the name (中华人民共和国国家市场监督管理总局),
            // unless it is one end of a pair (中国－哈萨克斯坦国际运输通道).
            if let Some(start) = party_name_start(text, pos, doc) {
                // Both parties may open a name: 中华人民共和国和塞尔维亚共和国政府间合作委员会.
                let before = text[..start].strip_suffix(['和', '与']).and_then(|b| party_name_start(text, b.len(), doc));
                if let Some(first) = before {
                    return first;
                }
                if !text[..start].ends_with(crate::zh::DASHES) {
                    return start;
                }
                chars += text[start..pos].chars().count();
                pos = start;
                continue;
            }
            // A stop word of two or more characters (参与, 利用) ends the name before
            // a conjunction can be crossed; a verb that begins established names
            // does not before a quotation (共建“一带一路”合作规划纲要).
            if let Some(w) = self.stop_word_before(text, pos, doc).filter(|w| w.chars().count() > 1) {
                if !(text[pos..].starts_with('“') && self.name_initial_words.iter().any(|n| n == w)) {
                    return pos;
                }
                chars += w.chars().count();
                pos -= w.len();
                continue;
            }
            // A conjunction is a word of its own (和 in 和平 is not one), but after
            // a whole name it joins two names whatever the words say (…项目和田湾核电站).
            let after_name = |c: char| self.name_ends.any(&text[..pos - c.len_utf8()]);
            if text[..pos].chars().next_back().is_some_and(|c| self.conjunctions.contains(&c) && after_name(c)) {
                return pos;
            }
            let conjunction = text[..pos].chars().next_back().filter(|c| self.conjunctions.contains(c) && doc.words.is_boundary(pos - c.len_utf8()) && doc.words.is_boundary(pos));
            if let Some(c) = conjunction {
                match self.cross_conjunction(text, pos - c.len_utf8(), doc) {
                    Some(p) => {
                        chars += text[p..pos].chars().count();
                        pos = p;
                        continue;
                    }
                    None => return pos,
                }
            }
            if self.stop_before(text, pos, doc) {
                return pos;
            }
            // A date ends the name, except a year inside it (上海合作组织至2025年发展战略)
            // and a year written without 年, which only a name holds (…2018—2028十年行动).
            if let Some(date_start) = date_ending_at(doc, pos) {
                let date = &text[date_start..pos];
                if !date.contains('年') {
                    chars += date.chars().count();
                    pos = date_start;
                    continue;
                }
                let year_only = date.chars().count() == 5 && date.ends_with('年');
                if year_only && text[..date_start].ends_with('至') {
                    pos = date_start - '至'.len_utf8();
                    chars += 6;
                    continue;
                }
                return pos;
            }
            let Some(c) = text[..pos].chars().next_back() else { return pos };
            match c {
                c if is_han(c) || c.is_ascii_digit() => {}
                // A version number inside a name (自贸区3.0版).
                '.' if text[..pos - 1].ends_with(|d: char| d.is_ascii_digit()) && text[pos..].starts_with(|d: char| d.is_ascii_digit()) => {}
                '—' | '－' | '―' | '–' | '·' => {}
                '）' | '”' | '〉' => {
                    let open = match c {
                        '）' => '（',
                        '”' => '“',
                        _ => '〈',
                    };
                    // A bracketed or quoted part inside a name: 中欧（亚）班列,
                    // 第二届“一带一路”国际合作高峰论坛 — but a quoted name right before
                    // the suffix (“一带一路”倡议) is a name of its own.
                    // …and so is one that a name or an ordinal opens (老挝“六七”学校,
                    // 第三届“集束弹药公约”大会).
                    let Some(o) = text[..pos].rfind(open) else { return pos };
                    let words_after = text[pos..suffix_start].chars().count();
                    let opened = rule.entity_type != EntityType::Treaty && doc.name_ending_at(o, &[EntityType::Party, EntityType::Place, EntityType::Organization, EntityType::Project]).is_some()
                        || party_compound_ending_at(text, o, doc)
                        || self.ordinal_before(text, o);
                    let inside = text[o..pos].chars().count() <= 30 && (c == '）' || words_after >= 2 || opened);
                    if !inside {
                        return pos;
                    }
                    chars += text[o..pos].chars().count();
                    pos = o;
                    continue;
                }
                _ => return pos,
            }
            pos -= c.len_utf8();
            chars += 1;
        }
    }

    /// At a conjunction inside a possible name (贸易和一体化部, 世界和传统宗教领袖大会,
    /// 中哈利用和保护跨界河流联委会, 中亚及阿富汗地区中心): cross it when the words
    /// before it are short and begin after a stop or a state's name, or when
    /// it joins two place names. Returns the new scan position.
    fn cross_conjunction(&self, text: &str, conj: usize, doc: &DocView) -> Option<usize> {
        let conj_len = text[conj..].chars().next().map_or(0, char::len_utf8);
        let right = conj + conj_len;
        // 上海合作组织和亚信: a name ends before the conjunction, so two names.
        if self.name_ends.any(&text[..conj]) {
            return None;
        }
        // The words after the conjunction are a name of their own (…完工和霍尔果斯河…)
        // or a generic noun (检验检疫和边境口岸).
        let right_rest = &text[right..];
        if self.not_names.iter().any(|n| right_rest.starts_with(n.as_str()) && self.suffix_ends.any(n)) {
            return None;
        }
        let left_is_place = place_name_start(conj, doc);
        let right_is_place = place_name_follows(right, doc);
        match (left_is_place, right_is_place) {
            (Some(left), true) => return Some(left),
            (None, true) => return None,
            _ => {}
        }
        let mut p = conj;
        let mut n = 0;
        let mut after_name = false;
        while n < 6 {
            if party_name_start(text, p, doc).is_some() || (n >= 2 && self.suffix_ends.any(&text[..p])) {
                after_name = true;
                break;
            }
            let Some(c) = text[..p].chars().next_back() else { break };
            // The first word may be a verb (利用和保护); stops count from the
            // second on, but a one-character word such as 在 never joins.
            let one_char_stop = n == 0 && self.stop_word_before(text, p, doc).is_some_and(|w| w.chars().count() == 1);
            if !is_han(c) || one_char_stop || (n >= 2 && self.stop_before(text, p, doc)) || self.conjunctions.contains(&c) {
                break;
            }
            p -= c.len_utf8();
            n += 1;
        }
        if n == 0 || p == conj {
            return None;
        }
        let starts_after_stop = self.stop_before(text, p, doc) || text[..p].chars().next_back().is_none_or(|c| !is_han(c));
        ((after_name || starts_after_stop) && n <= 4).then_some(p)
    }

    /// A known series (a fair, a games, a summit) with a year or an ordinal
    /// right before it is one edition of it, an Event: 2027年世博会, 第五届进博会.
    fn editions(&self, doc: &DocView, out: &mut Findings) {
        let g = &doc.knowledge.gazetteer;
        for m in &doc.names {
            let e = g.entry(m.entry);
            if !e.kind.as_ref().is_some_and(|k| self.series_kinds.contains(k)) {
                continue;
            }
            let before = &doc.text[..m.start];
            let start = YEAR_BEFORE.captures(before).and_then(|c| c.get(1)).map(|y| y.start()).or_else(|| ordinal_ending_at(&self.ordinal, doc.text, m.start));
            if let Some(start) = start {
                let name = &doc.text[start..m.end];
                out.candidates.push(Candidate { start, end: m.end, entity_type: EntityType::Event, origin: Origin::Shape, name: name.to_owned() });
            }
        }
    }

    /// Moves a name's start to where a name can begin: a word boundary, past
    /// verbs, adverbs and other function words that govern the name (加深…,
    /// 推动…, 发展…), as long as a stem of `min_stem` characters remains. A word
    /// before a quoted name stays (共建“一带一路”…).
    fn begin_at_word(&self, text: &str, start: usize, suffix_start: usize, rule: &SuffixRule, doc: &DocView) -> usize {
        let mut start = start;
        // A document's name says what it is about, verbs included (互认学历学位协议).
        if rule.entity_type == EntityType::Treaty {
            return start;
        }
        while let Some((end, class)) = doc.words.word_at(start) {
            let word = &text[start..end];
            // One character is as likely a part of a name (磨 in 磨憨, 援 in 援老) as a verb.
            // A verb governs the name that follows it (加深中塔…, 发展中巴经济走廊,
            // 探讨“小而美”…); before common words it is part of the name
            // (执法部门间…机制, 投资合作工作组).
            let name_follows = starts_with_party_compound(&text[end..], doc)
                || text[end..].starts_with('“')
                || self.scope_words.iter().any(|w| text[end..].starts_with(w.as_str()))
                || doc.name_starting_at(end, &[EntityType::Party, EntityType::Place, EntityType::Organization, EntityType::Project]).is_some();
            let governs = word.chars().nth(1).is_some() && matches!(class, WordClass::Function | WordClass::VerbalNoun) && name_follows;
            if !governs
                || end >= suffix_start
                || self.name_initial_words.iter().any(|w| w == word)
                || text[end..suffix_start].chars().count() < rule.min_stem.max(1)
            {
                break;
            }
            start = end;
        }
        start
    }

    /// Moves a name's start past places that only say where it is: a place
    /// followed by another place or a state (广西南宁老挝“六七”学校: the school
    /// is 老挝“六七”学校, in 南宁, in 广西).
    fn past_locatives(&self, mut start: usize, suffix_start: usize, doc: &DocView) -> usize {
        while let Some(m) = doc.name_starting_at(start, &[EntityType::Place]) {
            if m.end >= suffix_start || doc.name_starting_at(m.end, &[EntityType::Place, EntityType::Party]).is_none() {
                break;
            }
            start = m.end;
        }
        start
    }

    /// Whether a stem holds a word that is not a function word: 终止本, 达成
    /// and 认识到 name nothing.
    fn has_content_word(&self, text: &str, start: usize, suffix_start: usize, doc: &DocView) -> bool {
        let mut pos = start;
        while pos < suffix_start {
            let Some((end, class)) = doc.words.word_at(pos) else { return true };
            if class != WordClass::Function && text[pos..end].chars().any(is_han) {
                return true;
            }
            pos = end;
        }
        false
    }

    /// Whether a name's stem holds something that names one thing: a known
    /// name, the parties' compound (中老), a one-character form of a party,
    /// a quotation, an ordinal or a year, letters or digits, a proper name or
    /// a transliteration the dictionary does not know.
    fn names_something(&self, text: &str, start: usize, suffix_start: usize, doc: &DocView) -> bool {
        let stem = &text[start..suffix_start];
        // Digits name an edition or a model (3.0版, 一号), not a quantity (3000个).
        let numbered = QUANTITY.find_iter(stem).any(|m| !self.measure_words.iter().any(|w| stem[m.end()..].starts_with(w.as_str())));
        if stem.contains(['“', '《', '〈']) || stem.chars().any(|c| c.is_ascii_alphabetic()) || numbered || starts_with_party_compound(stem, doc) {
            return true;
        }
        if doc.names.iter().any(|m| m.start >= start && m.end <= suffix_start) || self.ordinal.is_match(stem) {
            return true;
        }
        // A scope (世界, 国际, 国家) and a field make a body's or a plan's name
        // (世界人工智能合作组织, 国家经济转型计划); a list does not (国际和地区议会组织).
        let scoped = self.scope_words.iter().find(|w| stem.starts_with(w.as_str()));
        if scoped.is_some_and(|w| stem[w.len()..].chars().count() >= 3 && !stem.contains(|c: char| self.conjunctions.contains(&c) || c == '、')) {
            return true;
        }
        if stem.chars().any(|c| doc.party_by_abbrev(c).is_some() && c != '中') && stem.chars().count() <= 8 {
            return true;
        }
        // A transliterated name (three or more characters that transliterations use).
        let mut run = 0;
        for c in stem.chars() {
            run = if doc.knowledge.lexicon.extraction.is_transliteration_char(c) { run + 1 } else { 0 };
            if run >= 3 {
                return true;
            }
        }
        // Proper names the dictionary knows; and words it does not know, which
        // it leaves as a run of single characters (赛/色/塔).
        let mut pos = start;
        let mut singles = 0;
        while pos < suffix_start {
            let Some((end, class)) = doc.words.word_at(pos) else { break };
            let word = &text[pos..end];
            let han = word.chars().all(is_han);
            if han && matches!(class, WordClass::Proper | WordClass::Unknown) {
                return true;
            }
            singles = if han && word.chars().count() == 1 && class == WordClass::Other { singles + 1 } else { 0 };
            if singles >= 3 {
                return true;
            }
            pos = end;
        }
        false
    }

    /// Whether the gathering named from `start` is held on a date: a holding
    /// verb just before it (举行, 主办的) and a date earlier in the clause
    /// (于2021年举行上合组织旅游论坛, 11月3日至6日…主办的…论坛).
    fn held_on_a_date(&self, text: &str, start: usize, doc: &DocView) -> bool {
        let lx = &doc.knowledge.lexicon.extraction;
        let Some(verb) = lx.holding_verbs.iter().find(|v| text[..start].ends_with(v.as_str())) else { return false };
        let verb_start = start - verb.len();
        let clause_start = text[..verb_start].rfind(['，', '。', '；', '\n']).map_or(0, |i| i + 1);
        doc.dates.iter().any(|d| d.start >= clause_start && d.end <= verb_start)
    }

    /// Whether an ordinal (第三届, 首次) ends at `pos`.
    fn ordinal_before(&self, text: &str, pos: usize) -> bool {
        ordinal_ending_at(&self.ordinal, text, pos).is_some()
    }

    fn strip<'t>(&self, mut name: &'t str) -> &'t str {
        loop {
            let before = name;
            for p in &self.strip_prefixes {
                if let Some(rest) = name.strip_prefix(p.as_str()) {
                    name = rest;
                }
            }
            if before == name {
                return name;
            }
        }
    }
}

/// Whether the two characters before `pos` are the parties' compound (中老).
fn party_compound_ending_at(text: &str, pos: usize, doc: &DocView) -> bool {
    let mut back = text[..pos].chars().rev();
    let (Some(b), Some(a)) = (back.next(), back.next()) else { return false };
    a != b && doc.party_by_abbrev(a).is_some() && doc.party_by_abbrev(b).is_some()
}

/// Where the 关于 that opens a document name with a 的 before `pos` stands,
/// in the same clause and at most 60 characters back.
fn about_start(text: &str, pos: usize) -> Option<usize> {
    let mut back = pos;
    for (n, c) in text[..pos].chars().rev().enumerate() {
        if n > 60 || matches!(c, '，' | '。' | '；' | '：' | '\n' | '《' | '》') {
            return None;
        }
        back -= c.len_utf8();
        if text[back..].starts_with("关于") {
            return Some(back);
        }
    }
    None
}

/// Whether `text` starts with 中 and another party of the document (中哈), or the reverse.
fn starts_with_party_compound(text: &str, doc: &DocView) -> bool {
    let mut it = text.chars();
    let (Some(a), Some(b)) = (it.next(), it.next()) else { return false };
    a != b && doc.party_by_abbrev(a).is_some() && doc.party_by_abbrev(b).is_some()
}

const STATES: &[EntityType] = &[EntityType::Party];
const STATES_AND_PLACES: &[EntityType] = &[EntityType::Party, EntityType::Place];

/// An ordinal (第三届, 首次, 下一轮) at the start of a text.
fn ordinal_regex(knowledge: &Knowledge) -> Regex {
    Regex::new(&format!("^(?:{})", knowledge.lexicon.extraction.event_ordinals.join("|"))).expect("validated at load")
}

/// Where a gazetteer place or state name ending at `pos` begins.
fn place_name_start(pos: usize, doc: &DocView) -> Option<usize> {
    doc.name_ending_at(pos, STATES_AND_PLACES).map(|m| m.start)
}

/// Whether a gazetteer place or state name starts at `pos`.
fn place_name_follows(pos: usize, doc: &DocView) -> bool {
    doc.name_starting_at(pos, STATES_AND_PLACES).is_some()
}

/// Where a state's full name (four characters or more) that ends at `pos` begins.
fn party_name_start(text: &str, pos: usize, doc: &DocView) -> Option<usize> {
    doc.name_ending_at(pos, STATES).filter(|m| text[m.start..pos].chars().count() >= 4).map(|m| m.start)
}

/// The start of the date that ends at byte `pos` (the dates are in order and do not overlap).
fn date_ending_at(doc: &DocView, pos: usize) -> Option<usize> {
    doc.dates.binary_search_by_key(&pos, |d| d.end).ok().map(|i| doc.dates[i].start)
}

/// Length in bytes of a state's full name starting at byte `pos`.
fn party_name_len_at(pos: usize, doc: &DocView) -> Option<usize> {
    doc.name_starting_at(pos, STATES).map(|m| m.end - m.start)
}

impl Recognizer for NameShapes {
    fn name(&self) -> &'static str {
        "name_shapes"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let text = doc.text;
        // The longest suffix ending at each position (matches come in the
        // order of their ends).
        let mut ends: Vec<(usize, (usize, usize))> = Vec::new();
        for m in self.suffixes.find_overlapping_iter(text) {
            match ends.last_mut() {
                Some((end, longest)) if *end == m.end() => {
                    if m.start() < longest.0 {
                        *longest = (m.start(), m.pattern().as_usize());
                    }
                }
                _ => ends.push((m.end(), (m.start(), m.pattern().as_usize()))),
            }
        }
        self.editions(doc, out);
        for (end, (suffix_start, rule_index)) in ends {
            let rule = &self.rules[rule_index];
            // The suffix ends a word (部 does not in 部长, 部门; 协议 does in 协议落地).
            if !doc.words.is_boundary(end) {
                continue;
            }
            let mut start = self.scan_left(text, suffix_start, rule, doc);
            // An ordinal after a closing 》 continues a title: 《公约》第二十九次缔约方大会.
            let stem_text = &text[start..suffix_start];
            if text[..start].ends_with('》') && self.ordinal.is_match(stem_text) {
                if let Some(open) = text[..start].rfind('《') {
                    start = open;
                }
            }
            // A document named 关于…的…协定 reaches back over its 的 to 关于 when
            // the document is being signed, issued or recalled (签署关于…的备忘录,
            // 重申关于…的五点倡议), or its issuer is named (两国外交部关于…的协议).
            if rule.entity_type == EntityType::Treaty && text[..start].ends_with('的') {
                let governed = |a: usize| {
                    self.citation_verb_ends.any(&text[..a])
                        || doc.words.word_before(a).is_some_and(|(_, class)| class == WordClass::Function)
                        || doc.name_ending_at(a, &[EntityType::Organization, EntityType::Party]).is_some()
                };
                let lx = &doc.knowledge.lexicon.extraction;
                let proposes_establishing = |about: usize| {
                    lx.proposal_heads.iter().any(|h| h == &rule.suffix) && lx.establishing_words.iter().any(|w| text[about + "关于".len()..].starts_with(w.as_str()))
                };
                if let Some(about) = about_start(text, start).filter(|&a| governed(a) && !proposes_establishing(a)) {
                    start = about;
                }
            }
            let start = self.begin_at_word(text, start, suffix_start, rule, doc);
            let start = self.past_locatives(start, suffix_start, doc);
            let raw = &text[start..end];
            let name = self.strip(raw);
            let start = end - name.len();
            // A category named by common words only (钾肥生产基地, 友好省) is no name;
            // neither are function words (达成协议), nor a list of heads (理念和倡议).
            if (rule.needs_name && !self.names_something(text, start, suffix_start, doc))
                || (start < suffix_start && !self.has_content_word(text, start, suffix_start, doc))
                || text[..suffix_start].ends_with(|c: char| self.conjunctions.contains(&c) || c == '、')
            {
                continue;
            }
            // The stem is what names the thing: a leading state name does not count
            // (阿塞拜疆立法机构 is generic), nor does a name a weak suffix follows
            // (…委员会机制 is the committee's mechanism).
            let stem = &name[..name.len() - rule.suffix.len()];
            let stem = party_name_len_at(start, doc).filter(|&n| n <= stem.len()).map_or(stem, |n| &stem[n..]);
            let stem_chars = stem.chars().count();
            if self.weak_suffixes.contains(&rule.suffix)
                && self.rules.iter().any(|r| r.entity_type == EntityType::Organization && stem.ends_with(r.suffix.as_str()))
            {
                continue;
            }
            // 应X倡议: X proposed; the words name no initiative.
            let agent = rule.entity_type == EntityType::Treaty && doc.knowledge.lexicon.extraction.agent_markers.iter().any(|m| text[..start].ends_with(m.as_str()));
            if agent
                || stem_chars < rule.min_stem.max(1)
                || self.not_names.contains(name)
                || self.not_name_ends.any(name)
                || name.chars().all(|c| !is_han(c))
            {
                continue;
            }
            let mut entity_type = rule.entity_type;
            if entity_type == EntityType::Organization && self.ordinal.is_match(name) {
                entity_type = EntityType::Event;
            }
            // A gathering (a forum, a fair) with a year is one occurrence of it,
            // an Event: a year just before the name belongs to it (2027年世博会,
            // 2026减贫与发展高层论坛); a fuller date before it does not (2026年1月…论坛).
            let mut start = start;
            if entity_type == EntityType::Event || rule.occurrence {
                if let Some(y) = YEAR_BEFORE.captures(&text[..start]).and_then(|c| c.get(1)) {
                    start = y.start();
                    entity_type = EntityType::Event;
                } else if YEAR_AT_START.is_match(name)
                    || doc.dates.iter().any(|d| d.end == start || (d.end < start && text[d.end..start] == *"的"))
                    || self.held_on_a_date(text, start, doc)
                {
                    entity_type = EntityType::Event;
                }
            }
            let name = &text[start..end];
            let canonical: String = name.chars().filter(|c| !matches!(c, '《' | '》')).collect();
            out.candidates.push(Candidate { start, end, entity_type, origin: Origin::Shape, name: canonical });
        }
    }
}

/// A name found by its shape that only adds common words in front of a known
/// name (开发冰上通道 around 冰上通道) gives way to the known name. Proper
/// modifiers keep the longer name: a state or place (哈萨克斯坦共和国…部), a
/// compound of the parties (中哈…), an ordinal or a year (第二届中国国际进口博览会,
/// 2027年世博会).
pub struct KnownNamesFirst {
    ordinal: Regex,
}

impl KnownNamesFirst {
    pub fn new(knowledge: &Knowledge) -> Self {
        Self { ordinal: ordinal_regex(knowledge) }
    }

    pub fn apply(&self, candidates: &mut Vec<Candidate>, doc: &DocView) {
        // Known names by where they end.
        let mut known: HashMap<usize, usize> = HashMap::new();
        for c in candidates.iter().filter(|c| matches!(c.origin, Origin::Gazetteer(_))) {
            let e = known.entry(c.end).or_insert(c.start);
            *e = (*e).min(c.start);
        }
        candidates.retain(|c| {
            if !matches!(c.origin, Origin::Shape) {
                return true;
            }
            let Some(&inner_start) = known.get(&c.end).filter(|&&s| s > c.start) else { return true };
            let prefix = &doc.text[c.start..inner_start];
            let proper = self.ordinal.is_match(prefix)
                || YEAR_AT_START.is_match(prefix)
                || starts_with_party_compound(prefix, doc)
                || doc.name_starting_at(c.start, &[EntityType::Party, EntityType::Place, EntityType::Organization]).is_some()
                || prefix.starts_with('《');
            proper
        });
    }
}

/// “X” before a head word: an initiative or policy, a document, or a themed year.
/// The head may end the quotation itself (“杜尚别进程”, “千万工程”) or follow
/// it, after other quoted names of the same list (“光明行”“爱心行”等“小而美”项目).
pub struct QuotedNames {
    quote: Regex,
    project_heads: Vec<String>,
    treaty_heads: Vec<String>,
    treaty_heads_with_head: Vec<String>,
    event_heads_with_head: Vec<String>,
    event_suffixes: Vec<String>,
    ordinal: Regex,
}

/// Longest quotation read as a name, in characters.
const MAX_QUOTED_CHARS: usize = 40;
/// How far after a list of quoted names its head may stand (…及后续通信卫星项目).
const HEAD_REACH_CHARS: usize = 10;

impl QuotedNames {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lx = &knowledge.lexicon.extraction;
        Self {
            quote: Regex::new(&format!(r"“([^“”\n]{{2,{MAX_QUOTED_CHARS}}})”")).unwrap(),
            project_heads: lx.quoted_project_heads.clone(),
            treaty_heads: lx.quoted_treaty_heads.clone(),
            treaty_heads_with_head: lx.quoted_treaty_heads_with_head.clone(),
            event_heads_with_head: lx.quoted_event_heads_with_head.clone(),
            event_suffixes: lx.quoted_event_suffixes.clone(),
            ordinal: ordinal_regex(knowledge),
        }
    }

    /// The longest head of `heads` that `text` starts with and that ends a
    /// phrase (“3+3”战略对话机制: 战略 goes on into a longer noun).
    fn head_of<'h>(&self, heads: &'h [String], text: &str, at: usize, doc: &DocView) -> Option<&'h String> {
        self.heads_at(heads, text, at)
            .filter(|h| {
                let end = at + h.len();
                match doc.words.word_at(end) {
                    Some((_, class)) => !text[end..].starts_with(|c: char| is_han(c)) || class == WordClass::Function,
                    None => true,
                }
            })
            .max_by_key(|h| h.len())
    }

    fn heads_at<'h, 't>(&self, heads: &'h [String], text: &'t str, at: usize) -> impl Iterator<Item = &'h String> + use<'h, 't> {
        heads.iter().filter(move |h| text[at..].starts_with(h.as_str()))
    }

    /// The type a head after the quotation gives: right after it, or after a
    /// list of further quoted names and a few words (“A”“B”等“C”项目, “A”及后续…项目).
    fn head_after(&self, text: &str, from: usize, doc: &DocView) -> Option<EntityType> {
        let mut at = from;
        // A head right after a later quotation is that quotation's alone
        // (“颜色革命”、“一带一路”项目), unless 等 sums up the list.
        let (mut after_quote, mut summed_up) = (false, false);
        loop {
            let rest = &text[at..];
            if let Some(q) = rest.strip_prefix('“') {
                at = match q.find('”') {
                    Some(close) if q[..close].chars().count() <= MAX_QUOTED_CHARS => at + '“'.len_utf8() + close + '”'.len_utf8(),
                    _ => return None,
                };
                after_quote = true;
            } else if let Some(sep) = ["、", "和", "及", "等"].iter().find(|s| rest.starts_with(*s)) {
                at += sep.len();
                after_quote = false;
                summed_up |= *sep == "等";
            } else {
                break;
            }
        }
        if after_quote && !summed_up {
            return None;
        }
        let mut pos = at;
        for _ in 0..=HEAD_REACH_CHARS {
            // Right after the quotation the head must end the phrase; after a
            // list it names the list's kind whatever follows (…项目合作).
            let head = |heads: &[String]| if from == at { self.head_of(heads, text, pos, doc).is_some() } else { self.heads_at(heads, text, pos).next().is_some() };
            if head(&self.treaty_heads) {
                return Some(EntityType::Treaty);
            }
            if head(&self.project_heads) {
                return Some(EntityType::Project);
            }
            // Words before the head only after a list (“A”及后续…项目), not after one name.
            match text[pos..].chars().next() {
                Some(c) if is_han(c) && from != at => pos += c.len_utf8(),
                _ => return None,
            }
        }
        None
    }
}

impl Recognizer for QuotedNames {
    fn name(&self) -> &'static str {
        "quoted_names"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let text = doc.text;
        for c in self.quote.captures_iter(text) {
            let whole = c.get(0).expect("match");
            let inner = c.get(1).expect("group");
            let quoted = inner.as_str();
            let with_head = |heads: &[String]| self.head_of(heads, text, whole.end(), doc).map(|h| h.len());
            let (mut start, end, entity_type) = if let Some(h) = with_head(&self.treaty_heads_with_head) {
                (whole.start(), whole.end() + h, EntityType::Treaty)
            } else if let Some(h) = with_head(&self.event_heads_with_head) {
                (whole.start(), whole.end() + h, EntityType::Event)
            } else if let Some(t) = self.head_after(text, whole.end(), doc) {
                (inner.start(), inner.end(), t)
            } else if self.treaty_heads.iter().any(|h| quoted.ends_with(h.as_str()) && quoted.len() > h.len()) {
                (inner.start(), inner.end(), EntityType::Treaty)
            } else if self.project_heads.iter().any(|h| quoted.ends_with(h.as_str()) && quoted.len() > h.len()) {
                (inner.start(), inner.end(), EntityType::Project)
            } else if is_place_list(doc, inner.start(), inner.end()) {
                // A name of places joined in quotation marks is one place (“科索沃和梅托希亚”).
                (inner.start(), inner.end(), EntityType::Place)
            } else if self.event_suffixes.iter().any(|s| quoted.ends_with(s.as_str()))
                && quoted.chars().rev().nth(1).is_some_and(|c| is_han(c) && !c.is_numeric())
                && !quoted.chars().any(|c| c.is_ascii_digit() || "一二三四五六七八九十百".contains(c))
            {
                (inner.start(), inner.end(), EntityType::Event)
            } else {
                continue;
            };
            // An ordinal before a quoted event name is part of it (第三届“…”大会).
            if entity_type == EntityType::Event && start == whole.start() {
                if let Some(s) = ordinal_ending_at(&self.ordinal, text, start) {
                    start = s;
                }
            }
            out.candidates.push(Candidate { start, end, entity_type, origin: Origin::Shape, name: text[start..end].to_owned() });
        }
    }
}

/// Whether `[start, end)` is place names joined by 和 or 与: known places,
/// the last one perhaps a name the dictionary does not know (梅托希亚).
fn is_place_list(doc: &DocView, start: usize, end: usize) -> bool {
    let mut at = start;
    let mut places = 0;
    while let Some(m) = doc.name_starting_at(at, &[EntityType::Place]) {
        places += 1;
        at = m.end;
        if at == end {
            return places >= 2;
        }
        match ["和", "与"].iter().find(|j| doc.text[at..].starts_with(*j)) {
            Some(j) => at += j.len(),
            None => return false,
        }
    }
    places >= 1 && is_unknown_name(doc, at, end)
}

/// Whether `[start, end)` is a short transliterated name: every character
/// one that transliterations use (梅托希亚).
fn is_unknown_name(doc: &DocView, start: usize, end: usize) -> bool {
    let text = &doc.text[start..end];
    (2..=8).contains(&text.chars().count()) && text.chars().all(|c| doc.knowledge.lexicon.extraction.is_transliteration_char(c))
}

/// Where an ordinal (第三届, 首次) that ends at `pos` begins.
fn ordinal_ending_at(ordinal: &Regex, text: &str, pos: usize) -> Option<usize> {
    let from = text[..pos].char_indices().rev().nth(7).map_or(0, |(i, _)| i);
    (from..pos).filter(|&i| text.is_char_boundary(i)).find(|&i| ordinal.find(&text[i..pos]).is_some_and(|m| m.end() == pos - i))
}

/// Names joined by a dash name a pair or a group as one party to something:
/// a cooperation framework (中国—东盟等多边机制) or, with 对话, a dialogue
/// (贝尔格莱德—普里什蒂纳对话). A longer name around the pair (中国—东盟自贸区)
/// wins over it.
pub struct PairNames {
    dialogue_heads: Vec<String>,
}

impl PairNames {
    pub fn new(knowledge: &Knowledge) -> Self {
        Self { dialogue_heads: knowledge.lexicon.extraction.pair_heads.clone() }
    }
}

const PAIRED: &[EntityType] = &[EntityType::Party, EntityType::Place, EntityType::Organization];

impl Recognizer for PairNames {
    fn name(&self) -> &'static str {
        "pair_names"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        let text = doc.text;
        for first in &doc.names {
            if !PAIRED.contains(&doc.knowledge.gazetteer.entry(first.entry).entity_type) {
                continue;
            }
            // The pair's names must be dash-joined all the way (中国—塔吉克斯坦—阿富汗).
            let g = &doc.knowledge.gazetteer;
            let mut end = first.end;
            let mut members = 1;
            let mut has_body = g.entry(first.entry).entity_type == EntityType::Organization;
            while let Some(rest) = text[end..].strip_prefix(crate::zh::DASHES) {
                let at = text.len() - rest.len();
                match doc.name_starting_at(at, PAIRED) {
                    Some(next) => {
                        end = next.end;
                        members += 1;
                        has_body |= g.entry(next.entry).entity_type == EntityType::Organization;
                    }
                    None => break,
                }
            }
            // One pair is proposed once, from its first name.
            let preceded = text[..first.start].ends_with(crate::zh::DASHES);
            if members < 2 || preceded {
                continue;
            }
            // A pair with a body in it is a framework when nothing more of a name
            // follows (中国—东盟等); otherwise only a dialogue makes a pair a name.
            match self.dialogue_heads.iter().find(|h| text[end..].starts_with(h.as_str())) {
                Some(head) => end += head.len(),
                None => {
                    let ends_here = !text[end..].starts_with(is_han) || ["等", "和", "与", "及"].iter().any(|w| text[end..].starts_with(w));
                    if !(has_body && ends_here) {
                        continue;
                    }
                }
            }
            let name = &text[first.start..end];
            out.candidates.push(Candidate { start: first.start, end, entity_type: EntityType::Organization, origin: Origin::Shape, name: name.to_owned() });
        }
    }
}

/// Free-standing event patterns (COP29).
pub struct EventPatterns {
    patterns: Vec<Regex>,
}

impl EventPatterns {
    pub fn new(knowledge: &Knowledge) -> Self {
        Self { patterns: Lexicon::compile(&knowledge.lexicon.extraction.event_patterns) }
    }
}

impl Recognizer for EventPatterns {
    fn name(&self) -> &'static str {
        "event_patterns"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        for re in &self.patterns {
            for m in re.find_iter(doc.text) {
                out.candidates.push(Candidate { start: m.start(), end: m.end(), entity_type: EntityType::Event, origin: Origin::Shape, name: m.as_str().to_owned() });
            }
        }
    }
}

/// A short unknown name in a place phrase (在X举行, 于X签署) is a place.
pub struct PlaceCues {
    patterns: Vec<Regex>,
    stops: Vec<String>,
}

impl PlaceCues {
    pub fn new(knowledge: &Knowledge) -> Self {
        Self { patterns: Lexicon::compile(&knowledge.lexicon.extraction.place_cues), stops: knowledge.lexicon.extraction.left_stops.clone() }
    }
}

impl Recognizer for PlaceCues {
    fn name(&self) -> &'static str {
        "place_cues"
    }

    fn recognize(&self, doc: &DocView, out: &mut Findings) {
        for re in &self.patterns {
            for c in re.captures_iter(doc.text) {
                let Some(p) = c.name("place") else { continue };
                // 在中国西安举行: the state's name before the city is not part of it.
                let skip = doc.name_starting_at(p.start(), STATES).filter(|m| m.end < p.end()).map_or(0, |m| m.end - m.start);
                let (start, name) = (p.start() + skip, &p.as_str()[skip..]);
                if self.stops.iter().any(|s| name.contains(s.as_str())) || name.ends_with('方') || name.ends_with("成功") || name.chars().count() < 2 {
                    continue;
                }
                out.candidates.push(Candidate { start, end: p.end(), entity_type: EntityType::Place, origin: Origin::Shape, name: name.to_owned() });
            }
        }
    }
}
