//! Typed relations from cue patterns, part-of from nested names, and
//! paragraph co-mentions.
//!
//! Each sentence is rewritten with its mentions replaced by tokens `⟦Pn⟧`
//! (a letter for the type, n the item; see `lexicon::write_token`); the
//! lexicon's cues are regexes over that form, so they speak of roles (a
//! party, then 支持, then any entity) rather than of words.

use std::collections::HashMap;

use regex::Regex;

use super::bounds;
use crate::knowledge::lexicon::{cue_requirements, kind_of_token, token_index, token_letter, write_token, RelationCue, TOKEN_KINDS};
use crate::knowledge::required::Requirements;
use crate::knowledge::Knowledge;
use crate::model::EntityType;

/// One item the cues can refer to: a mention, a date, or 双方.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// Byte range in the document text.
    pub start: usize,
    pub end: usize,
    /// Token type name (an entity type, `Date` or `Both`).
    pub kind: &'static str,
    /// Entity ids (several for 双方), or the normalized date.
    pub targets: &'a [String],
}

/// A relation found, in document-text bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRelation {
    pub subject: String,
    pub predicate: String,
    pub object: String,
    pub start: usize,
    pub end: usize,
}

/// One cue, with what a sentence must hold for it to have a chance.
struct Cue {
    predicate: String,
    pattern: Regex,
    /// The token kinds its subject and object may have; empty means any.
    subject_kinds: Kinds,
    object_kinds: Kinds,
}

/// A set of token kinds, as bits: a cue's test against a sentence's kinds is
/// one AND, not a comparison of names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Kinds(u16);

impl Kinds {
    fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        // A bit per token kind; a kind no token has gets a bit no sentence sets.
        Kinds(names.into_iter().map(|n| TOKEN_KINDS.iter().position(|(k, _)| *k == n).map_or(1 << 15, |i| 1 << i)).fold(0, |a, b| a | b))
    }

    /// Whether a cue wanting `self` (any kind when empty) finds it among `present`.
    fn met_by(self, present: Kinds) -> bool {
        self.0 == 0 || self.holds(present)
    }

    /// Whether `self` and `other` share a kind.
    fn holds(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }
}

impl Cue {
    /// Whether a sentence holding these token kinds could match.
    fn may_match(&self, kinds: Kinds) -> bool {
        self.subject_kinds.met_by(kinds) && self.object_kinds.met_by(kinds)
    }
}

pub struct RelationCues {
    cues: Vec<Cue>,
    /// The words each cue cannot match without (支持 in {S}{G}支持{G}{O}).
    requirements: Vec<Requirements>,
    list_link: Regex,
    /// What follows a party or person that is the agent of a clause (主席就…, 提出的…).
    agent_of_clause: Regex,
    /// What follows a party that owns the next mention (中方提出的⟦…⟧).
    owned: Regex,
}

impl RelationCues {
    pub fn new(knowledge: &Knowledge) -> Self {
        let lexicon_cues = &knowledge.lexicon.extraction.relation_cues;
        let cues = lexicon_cues
            .iter()
            .map(|c: &RelationCue| {
                Cue {
                    predicate: c.predicate.clone(),
                    pattern: Regex::new(&c.expand()).expect("validated at load"),
                    subject_kinds: Kinds::of(c.subject_types.iter().map(String::as_str)),
                    object_kinds: Kinds::of(c.object_types.iter().map(String::as_str)),
                }
            })
            .collect();
        Self {
            cues,
            requirements: lexicon_cues.iter().map(|c| cue_requirements(&c.cue)).collect(),
            // 、⟦B⟧, 和⟦B⟧, and between titles 》和《⟦B⟧ or 》《⟦B⟧.
            list_link: Regex::new(r"^(?:(?:、|和|及|与|以及|，)|[》〉”](?:、|和|及|与|以及)?[《〈“])⟦([A-Z])[0-9]+⟧").unwrap(),
            agent_of_clause: Regex::new(r"^(?:主席|总统|总理|总书记)?(?:就|提出|倡导|发起|首倡|提议)").unwrap(),
            owned: Regex::new(&format!(
                r"^(?:主席|总统|总理|总书记)?(?:(?:提出|倡导|发起|倡议|首倡|提议|推动)(?:成立|建立|设立)?|关于(?:成立|建立|设立)?)?(?:的[^⟦。；，]{{0,16}}?)?[《〈“]?⟦([{}])[0-9]+⟧",
                ["Treaty", "Project", "Organization", "Event"].map(token_letter).iter().collect::<String>()
            ))
            .unwrap(),
        }
    }

    /// Relations in one sentence `[s, e)` of `text`, whose items are `items`
    /// (sorted, non-overlapping). `lists_cut` is set when a list (A、B和C)
    /// was longer than [`bounds::LIST_ITEMS`] and only its first items were paired.
    /// The words each cue cannot match without, in the order of the cues.
    pub fn requirements(&self) -> &[Requirements] {
        &self.requirements
    }

    /// `possible(i)` says whether the sentence holds the words cue `i`
    /// needs: most sentences do not, and the regex never runs on them.
    pub fn find(&self, text: &str, s: usize, e: usize, possible: impl Fn(usize) -> bool, items: &[Item<'_>], lists_cut: &mut bool) -> Vec<FoundRelation> {
        let inside: Vec<&str> = items.iter().filter(|it| it.start >= s && it.end <= e).map(|it| it.kind).collect();
        let kinds = Kinds::of(inside.iter().copied());
        // A relation needs two items.
        if inside.len() < 2 {
            return Vec::new();
        }
        let applicable: Vec<&Cue> = self.cues.iter().enumerate().filter(|&(i, c)| c.may_match(kinds) && possible(i)).map(|(_, c)| c).collect();
        if applicable.is_empty() {
            return Vec::new();
        }
        let m = Masked::of(text, s, e, items);
        let (masked, back) = (&m.text, |at: usize| m.back(at));
        // Text never holds ⟦ (push_text replaces it), so every token is one of ours.
        let index = |tok: &str| token_index(tok).filter(|&i| i < items.len());
        let mut out = Vec::new();
        for cue in applicable {
            // Matches may share text: the next search starts past the later of
            // the two ends, not past the match (A与B、C与D的交流: both pairs).
            let mut at = 0;
            while let Some(c) = masked.get(at..).and_then(|_| cue.pattern.captures_at(masked, at)) {
                let whole = c.get(0).expect("match");
                let ends = c.name("s").into_iter().chain(c.name("o")).map(|m| m.end()).max();
                at = ends.unwrap_or(whole.end()).min(whole.end()).max(whole.start() + 1);
                while at < masked.len() && !masked.is_char_boundary(at) {
                    at += 1;
                }
                let Some(sm) = c.name("s") else { continue };
                let Some(om) = c.name("o") else {
                    // No object: 双方 relates its parties to each other.
                    let whole = c.get(0).expect("match");
                    let (start, end) = (back(whole.start()).max(s), back(whole.end()).min(e));
                    if let Some(subject) = index(sm.as_str()).map(|i| &items[i]).filter(|it| it.kind == "Both") {
                        for (k, a) in subject.targets.iter().enumerate() {
                            for b in &subject.targets[k + 1..] {
                                out.push(FoundRelation { subject: a.clone(), predicate: cue.predicate.clone(), object: b.clone(), start, end });
                            }
                        }
                    }
                    continue;
                };
                let Some((os, oe)) = self.object_at(masked, om.start(), om.end(), cue) else { continue };
                let mut subjects = self.with_list(masked, sm.start(), sm.end(), index, lists_cut);
                subjects.extend(self.list_before(masked, sm.start(), index, lists_cut));
                let objects = self.with_list(masked, os, oe, index, lists_cut);
                // The evidence runs over the match and every subject and object
                // listed, so it names both ends of each relation.
                let ends = subjects.iter().chain(&objects).map(|&i| &items[i]);
                let first = ends.clone().map(|it| it.start).min().unwrap_or(s).min(back(c.get(0).expect("match").start()));
                let last = ends.map(|it| it.end).max().unwrap_or(e).max(back(c.get(0).expect("match").end())).min(e);
                let (start, end) = (first.max(s), last);
                for &si in &subjects {
                    for &oi in &objects {
                        for subject in items[si].targets {
                            for object in items[oi].targets {
                                if subject != object {
                                    out.push(FoundRelation { subject: subject.clone(), predicate: cue.predicate.clone(), object: object.clone(), start, end });
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The object a cue matched at `[os, oe)`, as the sentence means it: a
    /// party that owns what follows it is not the object, the thing is
    /// (欢迎中方提出的⟦倡议⟧); a modifier (以⟦联合国⟧为核心的…) or a frame
    /// (⟦上海合作组织⟧框架内…) is no object at all.
    fn object_at(&self, masked: &str, os: usize, oe: usize, cue: &Cue) -> Option<(usize, usize)> {
        let (os, oe) = match self.owned.captures(&masked[oe..]) {
            Some(c) if matches!(kind_of_token(&masked[os..oe]), "Party" | "Person") && cue.object_kinds.holds(Kinds::of([kind_of_token(&c[1])])) => {
                let t = c.get(1).expect("group").start() - "⟦".len();
                (oe + t, oe + c.get(0).expect("match").end())
            }
            _ => (os, oe),
        };
        // A party or person that goes on to propose or speak (支持⟦习近平⟧主席就…提出的主张)
        // is the agent of what is supported, which is not named here.
        let agent = matches!(kind_of_token(&masked[os..oe]), "Party" | "Person") && self.agent_of_clause.is_match(&masked[oe..]);
        let modifier = masked[..os].ends_with('以') && masked[oe..].starts_with('为');
        let frame = masked[oe..].starts_with("框架");
        (!agent && !modifier && !frame).then_some((os, oe))
    }

    /// The tokens of the same type listed right before position `s` (A和B签署: A).
    fn list_before(&self, masked: &str, s: usize, index: impl Fn(&str) -> Option<usize>, cut: &mut bool) -> Vec<usize> {
        let Some(kind) = masked[s..].find('⟧').map(|e| kind_of_token(&masked[s..s + e])) else { return Vec::new() };
        let mut out = Vec::new();
        let mut pos = s;
        loop {
            if out.len() >= bounds::LIST_ITEMS {
                *cut = true;
                break;
            }
            let before = &masked[..pos];
            let Some(link) = ["、", "和", "及", "与"].iter().find(|l| before.ends_with(*l)) else { break };
            let before = &before[..before.len() - link.len()];
            if !before.ends_with('⟧') {
                break;
            }
            let Some(open) = before.rfind('⟦') else { break };
            let tok = &before[open..];
            // A member that is the second of a pair (A与B、C…) ends the list.
            if kind_of_token(tok) != kind || ["与", "同"].iter().any(|p| before[..open].ends_with(p)) {
                break;
            }
            if let Some(i) = index(tok) {
                out.push(i);
            }
            pos = open;
        }
        out
    }

    /// The token at `[s, e)` and the tokens listed after it (A、B和C).
    fn with_list(&self, masked: &str, s: usize, e: usize, index: impl Fn(&str) -> Option<usize>, cut: &mut bool) -> Vec<usize> {
        let mut out: Vec<usize> = index(&masked[s..e]).into_iter().collect();
        let kind = kind_of_token(&masked[s..e]);
        let mut pos = e;
        while let Some(c) = self.list_link.captures(&masked[pos..]) {
            let whole = c.get(0).expect("match");
            if kind_of_token(&c[1]) != kind {
                break;
            }
            if out.len() >= bounds::LIST_ITEMS {
                *cut = true;
                break;
            }
            // A member that pairs with the next token (A与B、C与D) ends the list: it heads its own pair.
            if ["与⟦", "同⟦"].iter().any(|p| masked[pos + whole.end()..].starts_with(p)) {
                break;
            }
            let token = &whole.as_str()[whole.as_str().find('⟦').unwrap_or(0)..];
            out.extend(index(token));
            pos += whole.end();
        }
        out
    }
}

/// A sentence with its items replaced by tokens `⟦Pn⟧` (n indexes the
/// items), and where each piece of it comes from in the document.
pub struct Masked {
    pub text: String,
    /// (start in `text`, start in the document, whether it is a token), in order.
    pieces: Vec<(usize, usize, bool)>,
    /// The sentence's end in the document.
    end: usize,
}

impl Masked {
    /// Masks `[s, e)` of `text`; `items` are sorted and do not overlap.
    pub fn of(text: &str, s: usize, e: usize, items: &[Item<'_>]) -> Self {
        let mut masked = String::with_capacity(e - s + 16 * items.len());
        let mut pieces = Vec::with_capacity(2 * items.len() + 1);
        let mut pos = s;
        for (n, it) in items.iter().enumerate() {
            if it.start < pos || it.end > e {
                continue;
            }
            push_text(&mut masked, &mut pieces, text, pos, it.start);
            pieces.push((masked.len(), it.start, true));
            write_token(&mut masked, it.kind, n);
            pos = it.end;
        }
        push_text(&mut masked, &mut pieces, text, pos, e);
        Self { text: masked, pieces, end: e }
    }

    /// The document byte that byte `at` of the masked text stands for (a
    /// token's start for any byte of it; the sentence's end for the end).
    pub fn back(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.end;
        }
        let (start, doc, token) = self.pieces[self.pieces.partition_point(|p| p.0 <= at) - 1];
        if token {
            doc
        } else {
            doc + (at - start)
        }
    }
}

/// Copies `text[from..to]` into the masked sentence. The token brackets are
/// replaced (by U+FFFD, of the same length), so that text that looks like a
/// token (⟦O57⟧) is never read as one.
fn push_text(masked: &mut String, pieces: &mut Vec<(usize, usize, bool)>, text: &str, from: usize, to: usize) {
    if from >= to {
        return;
    }
    pieces.push((masked.len(), from, false));
    let piece = &text[from..to];
    if piece.contains(['⟦', '⟧']) {
        masked.extend(piece.chars().map(|ch| if matches!(ch, '⟦' | '⟧') { char::REPLACEMENT_CHARACTER } else { ch }));
    } else {
        masked.push_str(piece);
    }
}

/// Co-mentions: each pair of entities named in the same paragraph, with the
/// number of paragraphs naming both and the first such paragraph's range.
/// The sentence naming both entities of a co-mention, or the two naming each.
pub type PairSentences = (usize, Option<usize>);
/// (a, b, paragraphs naming both, the first such paragraph's start and end, its evidence sentences).
pub type CoMentionPair = (String, String, u32, usize, usize, PairSentences);

pub struct CoMentions {
    /// (a, b, paragraphs naming both, the first such paragraph's start and
    /// end, the sentence of that paragraph that names both, or else the
    /// sentences where each is first named).
    pub pairs: Vec<CoMentionPair>,
    /// Paragraphs naming more than [`bounds::CO_MENTIONED_PER_PARAGRAPH`]
    /// entities, of which only those named most often were paired.
    pub paragraphs_cut: usize,
    /// Pairs left out beyond [`bounds::CO_MENTION_PAIRS_PER_DOCUMENT`].
    pub pairs_dropped: usize,
}

/// The co-mentions of `mentions` (position, entity id, type; sorted by
/// position) in `paragraphs` (sorted, not overlapping). Pairs grow with the
/// square of a paragraph's entities, so each paragraph pairs at most
/// [`bounds::CO_MENTIONED_PER_PARAGRAPH`] of them (those it names most
/// often, then those it names first), and a document keeps at most
/// [`bounds::CO_MENTION_PAIRS_PER_DOCUMENT`] pairs (those of most paragraphs).
/// `sentence_of` gives the sentence index of a text position: a pair's
/// evidence is a sentence naming both when the paragraph has one.
pub fn co_mentions(paragraphs: &[(usize, usize)], mentions: &[(usize, String, EntityType)], sentence_of: &dyn Fn(usize) -> usize) -> CoMentions {
    // Entities as numbers, so that pairs are cheap to key.
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    let entity: Vec<usize> = mentions
        .iter()
        .map(|m| {
            *numbers.entry(m.1.as_str()).or_insert_with(|| {
                names.push(m.1.as_str());
                names.len() - 1
            })
        })
        .collect();
    let mut pairs: HashMap<(usize, usize), (u32, usize, usize, PairSentences)> = HashMap::new();
    let mut paragraphs_cut = 0;
    for &(ps, pe) in paragraphs {
        let lo = mentions.partition_point(|m| m.0 < ps);
        let hi = mentions.partition_point(|m| m.0 < pe);
        // Entity → (times named here, order of first naming).
        let mut named: Vec<(usize, (usize, usize))> = Vec::new();
        for (order, i) in (lo..hi).enumerate().filter(|&(_, i)| mentions[i].2 != EntityType::Date) {
            match named.iter_mut().find(|(e, _)| *e == entity[i]) {
                Some((_, (times, _))) => *times += 1,
                None => named.push((entity[i], (1, order))),
            }
        }
        if named.len() > bounds::CO_MENTIONED_PER_PARAGRAPH {
            named.sort_by_key(|&(_, (times, first))| (std::cmp::Reverse(times), first));
            named.truncate(bounds::CO_MENTIONED_PER_PARAGRAPH);
            paragraphs_cut += 1;
        }
        let mut ids: Vec<usize> = named.into_iter().map(|(e, _)| e).collect();
        ids.sort_unstable_by_key(|&e| names[e]);
        // The sentences each entity is named in, in order.
        let mut sentences: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in lo..hi {
            let v = sentences.entry(entity[i]).or_default();
            let si = sentence_of(mentions[i].0);
            if v.last() != Some(&si) {
                v.push(si);
            }
        }
        for (k, &a) in ids.iter().enumerate() {
            for &b in &ids[k + 1..] {
                let entry = pairs.entry((a, b)).or_insert_with(|| {
                    let (sa, sb) = (&sentences[&a], &sentences[&b]);
                    let evidence = match sa.iter().find(|s| sb.contains(s)) {
                        Some(&shared) => (shared, None),
                        None => (sa[0].min(sb[0]), Some(sa[0].max(sb[0]))),
                    };
                    (0, ps, pe, evidence)
                });
                entry.0 += 1;
            }
        }
    }
    let mut pairs: Vec<CoMentionPair> = pairs.into_iter().map(|((a, b), (n, s, e, si))| (names[a].to_owned(), names[b].to_owned(), n, s, e, si)).collect();
    pairs.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    let pairs_dropped = pairs.len().saturating_sub(bounds::CO_MENTION_PAIRS_PER_DOCUMENT);
    if pairs_dropped > 0 {
        // Keep the pairs named together most often, then in id order.
        pairs.sort_by(|x, y| y.2.cmp(&x.2).then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1))));
        pairs.truncate(bounds::CO_MENTION_PAIRS_PER_DOCUMENT);
        pairs.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    }
    CoMentions { pairs, paragraphs_cut, pairs_dropped }
}

#[cfg(test)]
mod tests {
    use super::{bounds, co_mentions, Cue, Kinds};
    use crate::knowledge::lexicon::cue_requirements as required_words;
    use crate::model::EntityType;

    #[test]
    fn a_paragraph_pairs_only_the_entities_it_names_most() {
        // One paragraph names "a" three times and 100 others once each; another names two.
        let mut mentions: Vec<(usize, String, EntityType)> = (0..3).map(|i| (i, "a".to_owned(), EntityType::Party)).collect();
        mentions.extend((0..100).map(|i| (10 + i, format!("org/{i:03}"), EntityType::Organization)));
        mentions.push((200, "2024".to_owned(), EntityType::Date));
        mentions.extend([(1000, "a".to_owned(), EntityType::Party), (1001, "org/000".to_owned(), EntityType::Organization)]);
        let co = co_mentions(&[(0, 500), (1000, 1100)], &mentions, &|p| p / 100);
        let n = bounds::CO_MENTIONED_PER_PARAGRAPH;
        assert_eq!(co.paragraphs_cut, 1);
        assert_eq!(co.pairs.len(), n * (n - 1) / 2, "the first paragraph's {n} entities, pairwise; the second's pair is among them");
        assert!(co.pairs.iter().filter(|p| p.0 == "a").count() == n - 1, "the entity named most is kept");
        assert!(co.pairs.iter().all(|p| p.1 != "2024"), "dates are not entities");
        let both = co.pairs.iter().find(|p| p.0 == "a" && p.1 == "org/000").unwrap();
        assert_eq!((both.2, both.3, both.4), (2, 0, 500), "named together in two paragraphs, first in the first");
    }

    #[test]
    fn a_cue_runs_only_where_its_kinds_are() {
        let cue = Cue {
            predicate: "supports".into(),
            pattern: regex::Regex::new("x").unwrap(),
            subject_kinds: Kinds::of(["Party", "Both"]),
            object_kinds: Kinds::of(["Organization"]),
        };
        assert!(cue.may_match(Kinds::of(["Both", "Organization"])));
        assert!(!cue.may_match(Kinds::of(["Person", "Organization"])), "no subject of its kinds");
        assert!(!cue.may_match(Kinds::of(["Party", "Treaty"])), "no object of its kinds");
        let any = Cue { subject_kinds: Kinds::default(), object_kinds: Kinds::default(), ..cue };
        assert!(any.may_match(Kinds::of(["Date"])), "a cue without kinds may match anywhere");
    }

    #[test]
    fn words_a_cue_requires() {
        assert_eq!(required_words("{S}{G}支持{G2}(?:{PARTY}(?:提出|倡导)?的)?{G2}{O}"), [["支持"]]);
        assert_eq!(required_words("应(?:{PARTY}{G2})?{S}{G2}邀请[，,]?{O}"), [["应"], ["邀请"]]);
        assert_eq!(required_words("{O}{G2}(?:成功)?(?:举办|举行)的?{S}"), [["举办", "举行"]]);
        assert_eq!(required_words("{S}{G2}(?:对{G2})?欢迎{O}"), [["欢迎"]]);
        assert_eq!(required_words("{S}{GC}(?:支持|维护)?{O}"), Vec::<Vec<String>>::new(), "an optional group requires nothing");
        assert_eq!(required_words("{S}(?:主办|承办)的{O}"), [vec!["主办", "承办"], vec!["的"]]);
    }
}
