//! Resolution: chosen candidates to entities with stable ids.
//!
//! One entity per real-world thing: gazetteer names resolve to their entry;
//! a title resolves by its [`TitleKey`] and date; a leader's transliterated
//! name by party and surname (two spellings of 托卡耶夫 are one person); an
//! organization written with and without its state's name is one; a short
//! form that ends a longer name of the same type in the document (农业合作分委会 in
//! 中哈合作委员会农业合作分委会) is that name.

use std::collections::HashMap;
use std::sync::Arc;

use crate::ids::{entity_id, TitleKey};
use crate::knowledge::gazetteer::EntryId;
use crate::model::{Entity, EntityType};

use super::candidate::{Candidate, Origin};
use super::context::DocView;
use super::titles::RawCitation;

/// A chosen candidate with the entity it names (shared: a document names
/// the same entities many times).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub candidate: Candidate,
    pub entity: Arc<Entity>,
}

/// The name of China's state, which Chinese agencies usually drop (国家广播电视总局).
const CHINA_CODE: &str = "CN";

pub fn resolve(candidates: Vec<Candidate>, citations: &[RawCitation], doc: &DocView) -> Vec<Resolved> {
    let g = &doc.knowledge.gazetteer;
    let citation_at: HashMap<(usize, usize), &RawCitation> = citations.iter().map(|c| ((c.start, c.end), c)).collect();
    let mut out: Vec<Resolved> = candidates
        .into_iter()
        .map(|c| {
            let entity: Arc<Entity> = match &c.origin {
                Origin::Gazetteer(entry) | Origin::PartyForm(entry) => from_entry(*entry, doc),
                Origin::Title => {
                    let date = citation_at.get(&(c.start, c.end)).and_then(|r| r.date.clone());
                    treaty(&c.name, date, doc)
                }
                Origin::Person { party } => person(&c.name, *party, doc),
                Origin::Shape => match c.entity_type {
                    EntityType::Treaty => treaty(&c.name, None, doc),
                    EntityType::Organization => organization(&c.name, doc),
                    t => match g.lookup_typed(&c.name, t) {
                        Some(entry) => from_entry(entry, doc),
                        None => Arc::new(plain(t, &c.name)),
                    },
                },
            };
            Resolved { candidate: c, entity }
        })
        .collect();
    merge_short_forms(&mut out);
    out
}

/// The entity of a gazetteer entry.
pub fn entity_of_entry(entry: EntryId, doc: &DocView) -> Entity {
    Entity::clone(&from_entry(entry, doc))
}

fn from_entry(entry: EntryId, doc: &DocView) -> Arc<Entity> {
    doc.known_entities[entry]
        .get_or_init(|| {
            let e = doc.knowledge.gazetteer.entry(entry);
            Arc::new(Entity {
                id: entity_id(e.entity_type, &e.canonical, None),
                entity_type: e.entity_type,
                canonical: e.canonical.clone(),
                english: e.english.clone(),
                wikidata: e.wikidata.clone(),
                date: None,
                kind: e.kind.clone(),
            })
        })
        .clone()
}

fn plain(t: EntityType, name: &str) -> Entity {
    Entity { id: entity_id(t, name, None), entity_type: t, canonical: name.to_owned(), english: None, wikidata: None, date: None, kind: None }
}

fn treaty(title: &str, date: Option<String>, doc: &DocView) -> Arc<Entity> {
    let g = &doc.knowledge.gazetteer;
    if date.is_none() {
        if let Some(entry) = g.lookup_typed(title, EntityType::Treaty) {
            return from_entry(entry, doc);
        }
    }
    let key = TitleKey::of(title, g, &doc.party_codes);
    Arc::new(Entity {
        id: key.treaty_id(date.as_deref()),
        entity_type: EntityType::Treaty,
        canonical: title.to_owned(),
        english: None,
        wikidata: None,
        kind: doc.knowledge.lexicon.kind_of(title).map(str::to_owned),
        date,
    })
}

/// A leader: the gazetteer's entry if it knows the name or the surname,
/// else an entity keyed by party and surname.
fn person(name: &str, party: Option<EntryId>, doc: &DocView) -> Arc<Entity> {
    let g = &doc.knowledge.gazetteer;
    let surname = name.rsplit('·').next().unwrap_or(name);
    let known = g.lookup_typed(name, EntityType::Person).or_else(|| {
        let party_name = party.map(|p| g.entry(p).canonical.as_str());
        g.lookup(surname).iter().copied().find(|&id| {
            let e = g.entry(id);
            e.entity_type == EntityType::Person && (party_name.is_none() || e.of.as_deref() == party_name)
        })
    });
    if let Some(entry) = known {
        return from_entry(entry, doc);
    }
    let code = party.and_then(|p| g.entry(p).code.clone()).unwrap_or_default().to_lowercase();
    let key = if name.contains('·') { format!("{code}-{surname}") } else { name.to_owned() };
    Arc::new(Entity { id: entity_id(EntityType::Person, &key, None), entity_type: EntityType::Person, canonical: name.to_owned(), english: None, wikidata: None, date: None, kind: None })
}

/// An organization; China's own agencies are keyed without the state's name.
fn organization(name: &str, doc: &DocView) -> Arc<Entity> {
    let g = &doc.knowledge.gazetteer;
    if let Some(entry) = g.lookup_typed(name, EntityType::Organization) {
        return from_entry(entry, doc);
    }
    if let Some(m) = g.find_names(name).next().filter(|m| m.start == 0 && g.entry(m.entry).entity_type == EntityType::Party) {
        let party = g.entry(m.entry);
        let rest = &name[m.end..];
        // …not a pair with China as one member (中国—东盟).
        if party.code.as_deref() == Some(CHINA_CODE) && rest.chars().count() >= 2 && rest.starts_with(crate::zh::is_han) {
            if let Some(entry) = g.lookup_typed(rest, EntityType::Organization) {
                return from_entry(entry, doc);
            }
            let mut e = plain(EntityType::Organization, rest);
            e.canonical = rest.to_owned();
            return Arc::new(e);
        }
    }
    Arc::new(plain(EntityType::Organization, name))
}

/// A name that ends a longer name of the same type (after a party name or a
/// unit's suffix) is that longer name's short form: the longest such name
/// (the last in name order among equally long ones).
fn merge_short_forms(resolved: &mut [Resolved]) {
    // Distinct longer names (a long text repeats the same names many times).
    let mut longs: std::collections::BTreeMap<String, Arc<Entity>> = Default::default();
    for r in resolved.iter().filter(|r| r.entity.wikidata.is_none() && matches!(r.candidate.origin, Origin::Shape) && r.entity.entity_type == EntityType::Organization) {
        longs.entry(r.candidate.name.clone()).or_insert_with(|| r.entity.clone());
    }
    // The names that end with a short one are, read backwards, a run of
    // names that begin with it backwards: sorted so, each short name is two
    // binary searches and a range-maximum query, not a scan of every name.
    let mut backwards: Vec<(String, &str)> = longs.keys().map(|n| (n.chars().rev().collect(), n.as_str())).collect();
    backwards.sort_unstable();
    let longest = RangeMax::new(backwards.iter().map(|(_, n)| (n.len(), *n)).collect());
    let mut cache: HashMap<String, Option<Arc<Entity>>> = HashMap::new();
    for r in resolved.iter_mut() {
        if !matches!(r.candidate.origin, Origin::Shape) || r.entity.entity_type != EntityType::Organization {
            continue;
        }
        let short = r.candidate.name.clone();
        let longer = cache.entry(short.clone()).or_insert_with(|| {
            let key: String = short.chars().rev().collect();
            let from = backwards.partition_point(|(b, _)| b.as_str() < key.as_str());
            let to = from + backwards[from..].partition_point(|(b, _)| b.starts_with(key.as_str()));
            longest.max(from, to).filter(|(len, _)| *len > short.len()).map(|(_, name)| longs[name].clone())
        });
        if let Some(e) = longer {
            r.entity = e.clone();
        }
    }
}

/// The greatest of a range of values, in constant time after an
/// O(n log n) table (a sparse table).
struct RangeMax<T: Ord + Copy> {
    /// `levels[k][i]`: the greatest of the 2^k values from `i`.
    levels: Vec<Vec<T>>,
}

impl<T: Ord + Copy> RangeMax<T> {
    fn new(values: Vec<T>) -> Self {
        let mut levels = vec![values];
        while 1 << levels.len() <= levels[0].len() {
            let (last, half) = (levels.last().expect("a level"), 1 << (levels.len() - 1));
            let next = (0..last.len() - half).map(|i| last[i].max(last[i + half])).collect();
            levels.push(next);
        }
        Self { levels }
    }

    /// The greatest value of `[from, to)`, if the range is not empty.
    fn max(&self, from: usize, to: usize) -> Option<T> {
        if from >= to {
            return None;
        }
        let k = (usize::BITS - 1 - (to - from).leading_zeros()) as usize;
        Some(self.levels[k][from].max(self.levels[k][to - (1 << k)]))
    }
}

#[cfg(test)]
mod tests {
    use super::RangeMax;

    #[test]
    fn range_maximum_agrees_with_a_scan() {
        let values: Vec<u32> = (0..37u32).map(|i| (i * 7919) % 101).collect();
        let table = RangeMax::new(values.clone());
        for from in 0..values.len() {
            for to in from..=values.len() {
                assert_eq!(table.max(from, to), values[from..to].iter().copied().max(), "{from}..{to}");
            }
        }
    }
}
