//! Candidate mentions proposed by recognizers, and the choice among
//! overlapping ones.

use crate::knowledge::gazetteer::EntryId;
use crate::model::EntityType;

/// Where a candidate came from; decides ties and how it resolves to an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A gazetteer name.
    Gazetteer(EntryId),
    /// A one-character party form (哈方, 对华) resolved to a gazetteer party.
    PartyForm(EntryId),
    /// A title in 《》 (or 〈〉 inside one).
    Title,
    /// A name recognized by its shape (suffix, quotes, ordinal, cue).
    Shape,
    /// A person recognized after a party and a leader's title, of that party.
    Person { party: Option<EntryId> },
}

#[derive(Debug, Clone)]
pub struct Candidate {
    /// Byte range in the document text.
    pub start: usize,
    pub end: usize,
    pub entity_type: EntityType,
    pub origin: Origin,
    /// The name to resolve (for shapes: the name without stripped words; for
    /// events around a title: without 《》).
    pub name: String,
}

impl Candidate {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    fn priority(&self) -> u8 {
        match self.origin {
            Origin::Title => 4,
            Origin::Gazetteer(_) => 3,
            Origin::Person { .. } => 2,
            Origin::PartyForm(_) => 1,
            Origin::Shape => 0,
        }
    }

    fn contains(&self, other: &Candidate) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    fn overlaps(&self, other: &Candidate) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Whether a mention nested inside another is kept (an organization inside a
/// committee's or event's name, a title inside an event's name).
fn keeps_nested(outer: &Candidate, inner: &Candidate) -> bool {
    let org_or_title_in_body = matches!(outer.entity_type, EntityType::Organization | EntityType::Event | EntityType::Project)
        && matches!(inner.entity_type, EntityType::Organization | EntityType::Treaty);
    // A known organization inside a document's name (联大 in 联大决议).
    let known_org_in_document = outer.entity_type == EntityType::Treaty
        && inner.entity_type == EntityType::Organization
        && matches!(inner.origin, Origin::Gazetteer(_));
    // A shorter name ending where the longer one ends is a cut of it, not a part.
    let distinct = inner.name != outer.name && (inner.end < outer.end || !matches!(inner.origin, Origin::Shape));
    (org_or_title_in_body || known_org_in_document) && distinct && !is_own_meeting(outer, inner)
}

/// Whether `outer` is a meeting of the body `inner` that opens its name
/// (上海合作组织成员国元首理事会第二十四次会议): the body is named only as the
/// meeting's owner.
fn is_own_meeting(outer: &Candidate, inner: &Candidate) -> bool {
    if outer.entity_type != EntityType::Event || inner.entity_type != EntityType::Organization || inner.start != outer.start {
        return false;
    }
    let rest = outer.name.get(inner.end - inner.start..).unwrap_or("");
    let rest = rest.trim_start_matches(|c: char| c == '第' || c.is_ascii_digit() || "一二三四五六七八九十百零〇届次轮".contains(c));
    ["会议", "峰会", "大会", "会晤", "年会", "全会", "会"].contains(&rest)
}

/// Chooses among candidates: longer first, then by origin; a candidate that
/// crosses a chosen one is dropped; one inside a chosen one is kept only
/// where nesting is meaningful ([`keeps_nested`]).
pub fn select(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| b.len().cmp(&a.len()).then(b.priority().cmp(&a.priority())).then(a.start.cmp(&b.start)));
    let longest = candidates.first().map_or(0, Candidate::len);
    // Chosen candidates by (start, index): only those starting within
    // `longest` bytes before a candidate can overlap it.
    let mut by_start: std::collections::BTreeSet<(usize, usize)> = Default::default();
    let mut chosen: Vec<Candidate> = Vec::with_capacity(candidates.len());
    'next: for c in candidates {
        for &(_, i) in by_start.range((c.start.saturating_sub(longest), 0)..(c.end, 0)) {
            let k = &chosen[i];
            if k.overlaps(&c) && !(k.contains(&c) && keeps_nested(k, &c) && k.len() > c.len()) {
                continue 'next;
            }
        }
        by_start.insert((c.start, chosen.len()));
        chosen.push(c);
    }
    chosen.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(start: usize, end: usize, t: EntityType, origin: Origin) -> Candidate {
        Candidate { start, end, entity_type: t, origin, name: format!("{start}-{end}") }
    }

    #[test]
    fn longest_wins_and_crossing_is_dropped() {
        let chosen = select(vec![
            cand(0, 6, EntityType::Party, Origin::Gazetteer(0)),
            cand(0, 12, EntityType::Organization, Origin::Shape),
            cand(9, 15, EntityType::Place, Origin::Gazetteer(1)),
        ]);
        assert_eq!(chosen.len(), 1);
        assert_eq!((chosen[0].start, chosen[0].end), (0, 12));
    }

    #[test]
    fn organization_inside_a_committee_is_kept() {
        let chosen = select(vec![
            cand(0, 30, EntityType::Organization, Origin::Shape),
            cand(0, 21, EntityType::Organization, Origin::Shape),
            cand(0, 6, EntityType::Party, Origin::Gazetteer(0)),
        ]);
        let spans: Vec<_> = chosen.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(spans, [(0, 30), (0, 21)]);
    }
}
