//! Visits and meetings: who went to whom, where and when, each with the words
//! that say it. Cues (`[[relationships.visits]]` in the lexicon) are patterns
//! over a sentence whose mentions are tokens, with named groups for the roles:
//! `visitor`, `host`, `hostparty`, `date`, `event`, `places`, and `k` for the
//! word that makes the kind (国事 → state visit).

use regex::Regex;

use crate::knowledge::lexicon::{cue_requirements, kind_of_token, token_index};
use crate::knowledge::required::Requirements;
use crate::knowledge::Knowledge;
use crate::model::Visit;

use super::relations::{Item, Masked};

struct VisitCue {
    kind: String,
    kinds_by_word: Vec<(String, String)>,
    pattern: Regex,
}

pub struct VisitCues {
    cues: Vec<VisitCue>,
    /// The words each cue cannot match without.
    requirements: Vec<Requirements>,
    token: Regex,
}

/// A visit found, in document-text bytes.
pub struct FoundVisit {
    pub visit: Visit,
    pub start: usize,
    pub end: usize,
}

impl VisitCues {
    pub fn new(knowledge: &Knowledge) -> Self {
        let cues = knowledge
            .lexicon
            .relationships
            .visits
            .iter()
            .map(|c| VisitCue {
                kind: c.kind.clone(),
                kinds_by_word: c.kinds.iter().map(|k| (k.word.clone(), k.kind.clone())).collect(),
                pattern: Regex::new(&crate::knowledge::lexicon::expand_placeholders(&c.cue)).expect("validated at load"),
            })
            .collect();
        let requirements = knowledge.lexicon.relationships.visits.iter().map(|c| cue_requirements(&c.cue)).collect();
        Self { cues, requirements, token: Regex::new(r"⟦[A-Z][0-9]+⟧").unwrap() }
    }

    /// The visits and meetings one sentence `[s, e)` reports.
    /// The words each cue cannot match without, in the order of the cues.
    pub fn requirements(&self) -> &[Requirements] {
        &self.requirements
    }

    /// `possible(i)` says whether the sentence holds the words cue `i` needs.
    pub fn find(&self, text: &str, s: usize, e: usize, possible: impl Fn(usize) -> bool, items: &[Item<'_>]) -> Vec<FoundVisit> {
        let applicable: Vec<&VisitCue> = self.cues.iter().enumerate().filter(|&(i, _)| possible(i)).map(|(_, c)| c).collect();
        if applicable.is_empty() {
            return Vec::new();
        }
        let masked = Masked::of(text, s, e, items);
        let one = |c: &regex::Captures, name: &str| -> Option<String> { c.name(name).and_then(|m| token_index(m.as_str())).and_then(|i| items[i].targets.first().cloned()) };
        let mut out: Vec<FoundVisit> = Vec::new();
        for cue in applicable {
            for c in cue.pattern.captures_iter(&masked.text) {
                let whole = c.get(0).expect("match");
                let kind = c.name("k").and_then(|k| cue.kinds_by_word.iter().find(|(w, _)| w == k.as_str())).map_or(cue.kind.clone(), |(_, kind)| kind.clone());
                let places = c
                    .name("places")
                    .map(|m| self.token.find_iter(m.as_str()).filter(|t| kind_of_token(t.as_str()) == "Place").filter_map(|t| token_index(t.as_str())).filter_map(|i| items[i].targets.first().cloned()).collect())
                    .unwrap_or_default();
                let visitor = one(&c, "visitor");
                let visitor_party = one(&c, "visitorparty").or_else(|| party_before(&masked.text, c.name("visitor").map_or(0, |m| m.start()), items));
                let host = one(&c, "host");
                let host_party = one(&c, "hostparty").or_else(|| c.name("host").and_then(|m| party_before(&masked.text, m.start(), items)));
                let visit = Visit {
                    kind,
                    visitor,
                    visitor_party,
                    host,
                    host_party,
                    event: one(&c, "event"),
                    places,
                    date: one(&c, "date"),
                    start: 0,
                    end: 0,
                    sentence: 0,
                };
                let (start, end) = (masked.back(whole.start()), masked.back(whole.end()).min(e));
                // One visit told by two cues is one (the invitation's tells more).
                let same = |v: &Visit| {
                    v.kind == visit.kind && v.visitor == visit.visitor && v.event == visit.event && v.date == visit.date && (visit.host.is_none() || v.host == visit.host) && (visit.host_party.is_none() || v.host_party == visit.host_party)
                };
                if !out.iter().any(|f| same(&f.visit)) {
                    out.push(FoundVisit { visit, start, end });
                }
            }
        }
        out
    }
}

/// The party named right before a person with only an office between them
/// (塔吉克斯坦共和国总统⟦拉赫蒙⟧): the person's party.
fn party_before(masked: &str, person_at: usize, items: &[Item<'_>]) -> Option<String> {
    let before = &masked[..person_at];
    let open = before.rfind('⟦')?;
    let close = before.rfind('⟧')?;
    let between = &before[close + '⟧'.len_utf8()..];
    let token = &before[open..close + '⟧'.len_utf8()];
    (kind_of_token(token) == "Party" && between.chars().count() <= 8 && !between.contains(['，', '、', '和', '与', '同']))
        .then(|| token_index(token).and_then(|i| items[i].targets.first().cloned()))
        .flatten()
}
