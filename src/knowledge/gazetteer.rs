//! The gazetteer: known names of real-world things, loaded from TOML data.
//!
//! The default lists ship in `ontology/gazetteer/*.toml` and are compiled in;
//! users add or override entries with their own files (`--gazetteer FILE`)
//! without recompiling. A later entry with the same type and canonical name
//! extends the earlier one (its aliases are added, other fields replaced).

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::model::EntityType;

/// The gazetteer that ships with diplograph: (file name, TOML text).
pub const DEFAULT_GAZETTEER: &[(&str, &str)] = &[
    ("ontology/gazetteer/states.toml", include_str!("../../ontology/gazetteer/states.toml")),
    ("ontology/gazetteer/people.toml", include_str!("../../ontology/gazetteer/people.toml")),
    ("ontology/gazetteer/organizations.toml", include_str!("../../ontology/gazetteer/organizations.toml")),
    ("ontology/gazetteer/places.toml", include_str!("../../ontology/gazetteer/places.toml")),
    ("ontology/gazetteer/works.toml", include_str!("../../ontology/gazetteer/works.toml")),
    ("ontology/gazetteer/un-system.toml", include_str!("../../ontology/gazetteer/un-system.toml")),
    ("ontology/gazetteer/international.toml", include_str!("../../ontology/gazetteer/international.toml")),
    ("ontology/gazetteer/china.toml", include_str!("../../ontology/gazetteer/china.toml")),
    ("ontology/gazetteer/legislatures.toml", include_str!("../../ontology/gazetteer/legislatures.toml")),
    ("ontology/gazetteer/parties.toml", include_str!("../../ontology/gazetteer/parties.toml")),
    ("ontology/gazetteer/proscribed.toml", include_str!("../../ontology/gazetteer/proscribed.toml")),
    ("ontology/gazetteer/leaders.toml", include_str!("../../ontology/gazetteer/leaders.toml")),
    ("ontology/gazetteer/events.toml", include_str!("../../ontology/gazetteer/events.toml")),
    ("ontology/gazetteer/treaties.toml", include_str!("../../ontology/gazetteer/treaties.toml")),
    ("ontology/gazetteer/projects.toml", include_str!("../../ontology/gazetteer/projects.toml")),
    ("ontology/gazetteer/cities.toml", include_str!("../../ontology/gazetteer/cities.toml")),
];

/// One known thing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GazetteerEntry {
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub canonical: String,
    #[serde(default)]
    pub english: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Party only: one-character abbreviations (哈 in 哈方, 中哈, 对哈).
    #[serde(default)]
    pub abbrev: Vec<String>,
    /// Party only: ISO 3166-1 alpha-2 code.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub wikidata: Option<String>,
    /// The Party a person serves or an organization belongs to.
    #[serde(default)]
    pub of: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

impl GazetteerEntry {
    /// Every surface form: the canonical name first, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.canonical.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Debug, Deserialize)]
struct GazetteerFile {
    #[serde(default)]
    entry: Vec<GazetteerEntry>,
}

/// Index of an entry in [`Gazetteer::entries`].
pub type EntryId = usize;

/// A name found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMatch {
    pub start: usize,
    pub end: usize,
    pub entry: EntryId,
}

/// All known names, with a matcher that finds them in text.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    matcher: AhoCorasick,
    /// Pattern index → every entry with that exact name (ambiguous names have several).
    pattern_entries: Vec<Vec<EntryId>>,
    by_name: HashMap<String, Vec<EntryId>>,
    by_abbrev: HashMap<char, Vec<EntryId>>,
}

impl Gazetteer {
    /// The built-in gazetteer plus the given user files, in order.
    pub fn load(extra_files: &[impl AsRef<Path>]) -> anyhow::Result<Self> {
        let mut sources: Vec<(String, String)> =
            DEFAULT_GAZETTEER.iter().map(|(name, text)| (format!("{name} (built in)"), (*text).to_owned())).collect();
        for path in extra_files {
            let path = path.as_ref();
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read gazetteer {}: {e}", crate::paths::path_name(path)))?;
            sources.push((crate::paths::path_name(path), text));
        }
        Self::from_sources(&sources)
    }

    /// Builds a gazetteer from (name, TOML text) pairs; later ones extend earlier ones.
    pub fn from_sources(sources: &[(String, String)]) -> anyhow::Result<Self> {
        let mut entries: Vec<GazetteerEntry> = Vec::new();
        let mut key_index: HashMap<(EntityType, String), usize> = HashMap::new();
        for (name, text) in sources {
            let file: GazetteerFile =
                toml::from_str(text).map_err(|e| anyhow::anyhow!("gazetteer {name} is not valid: {e}"))?;
            for entry in file.entry {
                if entry.canonical.trim().is_empty() {
                    anyhow::bail!("gazetteer {name}: an entry has an empty canonical name");
                }
                let key = (entry.entity_type, entry.canonical.clone());
                match key_index.get(&key) {
                    Some(&i) => merge_entry(&mut entries[i], entry),
                    None => {
                        key_index.insert(key, entries.len());
                        entries.push(entry);
                    }
                }
            }
        }
        Ok(Self::from_entries(entries))
    }

    pub fn from_entries(entries: Vec<GazetteerEntry>) -> Self {
        let mut by_name: HashMap<String, Vec<EntryId>> = HashMap::new();
        let mut by_abbrev: HashMap<char, Vec<EntryId>> = HashMap::new();
        for (id, e) in entries.iter().enumerate() {
            for name in e.names() {
                let ids = by_name.entry(name.to_owned()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            for a in &e.abbrev {
                if let Some(c) = a.chars().next() {
                    by_abbrev.entry(c).or_default().push(id);
                }
            }
        }
        let mut patterns: Vec<&String> = by_name.keys().filter(|n| n.chars().count() >= 2).collect();
        patterns.sort();
        let pattern_entries = patterns.iter().map(|p| by_name[*p].clone()).collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("gazetteer names form a valid automaton");
        Self { entries, matcher, pattern_entries, by_name, by_abbrev }
    }

    pub fn entries(&self) -> &[GazetteerEntry] {
        &self.entries
    }

    pub fn entry(&self, id: EntryId) -> &GazetteerEntry {
        &self.entries[id]
    }

    /// Entries with exactly this name (canonical or alias).
    pub fn lookup(&self, name: &str) -> &[EntryId] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The entry of type `t` with this name, if exactly one.
    pub fn lookup_typed(&self, name: &str, t: EntityType) -> Option<EntryId> {
        let mut it = self.lookup(name).iter().copied().filter(|&id| self.entries[id].entity_type == t);
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }

    /// Parties abbreviated by this character (哈 → Kazakhstan; 阿 → several).
    pub fn parties_by_abbrev(&self, c: char) -> &[EntryId] {
        self.by_abbrev.get(&c).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every known name in `text`, leftmost-longest, non-overlapping. A name
    /// shared by several entries yields one match per entry.
    pub fn find_names<'a>(&'a self, text: &'a str) -> impl Iterator<Item = NameMatch> + 'a {
        self.matcher.find_iter(text).flat_map(move |m| {
            self.pattern_entries[m.pattern().as_usize()]
                .iter()
                .map(move |&entry| NameMatch { start: m.start(), end: m.end(), entry })
        })
    }
}

fn merge_entry(into: &mut GazetteerEntry, from: GazetteerEntry) {
    for a in from.aliases {
        if !into.aliases.contains(&a) && a != into.canonical {
            into.aliases.push(a);
        }
    }
    for a in from.abbrev {
        if !into.abbrev.contains(&a) {
            into.abbrev.push(a);
        }
    }
    macro_rules! replace {
        ($($f:ident),*) => { $( if from.$f.is_some() { into.$f = from.$f; } )* };
    }
    replace!(english, code, wikidata, of, role, kind);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small gazetteer for unit tests of the stages that use one.
    pub(crate) fn sample() -> Gazetteer {
        let toml = r#"
[[entry]]
type = "Party"
canonical = "中华人民共和国"
english = "China"
aliases = ["中国"]
abbrev = ["中", "华"]
code = "CN"
wikidata = "Q148"

[[entry]]
type = "Party"
canonical = "哈萨克斯坦共和国"
english = "Kazakhstan"
aliases = ["哈萨克斯坦"]
abbrev = ["哈"]
code = "KZ"

[[entry]]
type = "Party"
canonical = "吉尔吉斯共和国"
english = "Kyrgyzstan"
aliases = ["吉尔吉斯斯坦"]
abbrev = ["吉"]
code = "KG"

[[entry]]
type = "Party"
canonical = "阿塞拜疆共和国"
english = "Azerbaijan"
aliases = ["阿塞拜疆"]
abbrev = ["阿"]
code = "AZ"

[[entry]]
type = "Place"
canonical = "西安"
english = "Xi'an"

[[entry]]
type = "Place"
canonical = "阿斯塔纳"
english = "Astana"
"#;
        Gazetteer::from_sources(&[("test".into(), toml.into())]).unwrap()
    }

    #[test]
    fn finds_longest_names() {
        let g = sample();
        let found: Vec<_> = g.find_names("中华人民共和国和哈萨克斯坦共和国").map(|m| g.entry(m.entry).canonical.clone()).collect();
        assert_eq!(found, ["中华人民共和国", "哈萨克斯坦共和国"]);
        assert_eq!(g.parties_by_abbrev('哈').len(), 1);
    }

    #[test]
    fn user_file_extends_an_entry() {
        let base = "[[entry]]\ntype = \"Party\"\ncanonical = \"蒙古国\"\naliases = [\"蒙古\"]\n";
        let user = "[[entry]]\ntype = \"Party\"\ncanonical = \"蒙古国\"\naliases = [\"外蒙\"]\nenglish = \"Mongolia\"\n";
        let g = Gazetteer::from_sources(&[("a".into(), base.into()), ("b".into(), user.into())]).unwrap();
        assert_eq!(g.entries().len(), 1);
        assert_eq!(g.entry(0).aliases, ["蒙古", "外蒙"]);
        assert_eq!(g.entry(0).english.as_deref(), Some("Mongolia"));
    }

    #[test]
    fn invalid_file_is_reported_with_its_name() {
        let err = Gazetteer::from_sources(&[("mine.toml".into(), "[[entry]]\ntype = \"Planet\"\ncanonical = \"x\"".into())]).unwrap_err();
        assert!(err.to_string().contains("mine.toml"), "{err}");
    }

    #[test]
    fn built_in_gazetteer_parses() {
        let g = Gazetteer::load(&[] as &[&str]).unwrap();
        assert!(g.entries().len() > 500);
        let china = g.lookup_typed("中国", EntityType::Party).unwrap();
        assert_eq!(g.entry(china).wikidata.as_deref(), Some("Q148"));
    }
}
