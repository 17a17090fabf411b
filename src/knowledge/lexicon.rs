//! The lexicon: the language knowledge of the pipeline (kind words, roles,
//! suffixes, patterns), loaded from `ontology/lexicon.toml`.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

/// The lexicon that ships with diplograph.
pub const DEFAULT_LEXICON: &str = include_str!("../../ontology/lexicon.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Lexicon {
    pub reader: ReaderLexicon,
    pub documents: DocumentLexicon,
    pub extraction: ExtractionLexicon,
    pub relationships: RelationshipLexicon,
}

/// The words of relationship levels, acts and visits.
#[derive(Debug, Clone, Deserialize)]
pub struct RelationshipLexicon {
    /// What a level phrase ends with: 伙伴关系, 命运共同体.
    pub bases: Vec<String>,
    /// The words that qualify a level (全面, 战略, 全天候, 永久, 新时代…).
    pub qualifiers: Vec<String>,
    /// Words before a level that do not change it (两国, 双边, 长期稳定的).
    pub neutral_modifiers: Vec<String>,
    /// Verbs before a level and the act they make.
    pub acts: Vec<ActWord>,
    /// Concepts that end in a base but are no relationship between two states.
    pub not_levels: Vec<String>,
    /// Visit and meeting cues.
    pub visits: Vec<VisitCue>,
}

/// A visit or meeting cue: a pattern over a sentence's tokens with named
/// groups for the roles, and the kind it finds (refined by the word in `k`).
#[derive(Debug, Clone, Deserialize)]
pub struct VisitCue {
    pub kind: String,
    #[serde(default)]
    pub kinds: Vec<KindWord>,
    pub cue: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ActWord {
    pub word: String,
    pub act: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReaderLexicon {
    pub cruft: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KindWord {
    pub word: String,
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentLexicon {
    pub kinds: Vec<KindWord>,
    pub document_kinds: Vec<String>,
    pub leader_roles: Vec<String>,
    pub newspapers: Vec<String>,
    pub preamble: Vec<String>,
    pub opening: Vec<String>,
    pub signing: Vec<String>,
    pub dateline: String,
    pub date_header: String,
    pub headline_markers: Vec<String>,
    pub signature_markers: Vec<String>,
    pub paragraph_starters: Vec<String>,
    pub attendance_cues: Vec<String>,
    pub non_member_cues: Vec<String>,
    pub title_max_chars: usize,
}

/// A name shape: names ending in `suffix` are of `type` (unless a longer suffix says otherwise).
#[derive(Debug, Clone, Deserialize)]
pub struct SuffixRule {
    pub suffix: String,
    #[serde(rename = "type")]
    pub entity_type: crate::model::EntityType,
    /// The fewest characters the name must have before the suffix.
    #[serde(default = "one")]
    pub min_stem: usize,
    /// A generic head (机制, 基地, 平台): a name needs a proper element before
    /// it (a known name, the parties' compound, a quotation, an ordinal...).
    #[serde(default)]
    pub needs_name: bool,
    /// A recurring gathering (论坛, 博览会): dated or numbered, it is an Event.
    #[serde(default)]
    pub occurrence: bool,
}

fn one() -> usize {
    1
}

/// A relation cue: a pattern over a sentence whose mentions are replaced by
/// tokens `⟦Pn⟧` (see [`write_token`] and `ontology/lexicon.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct RelationCue {
    pub predicate: String,
    pub cue: String,
    #[serde(default)]
    pub subject_types: Vec<String>,
    #[serde(default)]
    pub object_types: Vec<String>,
}

impl RelationCue {
    /// The cue as a regex: `{S}`/`{O}` become the named groups `s`/`o`
    /// matching tokens of the listed types; the other placeholders as in
    /// [`expand_placeholders`].
    pub fn expand(&self) -> String {
        let cue = self.cue.replace("{S}", &format!("(?P<s>{})", token(&self.subject_types))).replace("{O}", &format!("(?P<o>{})", token(&self.object_types)));
        expand_placeholders(&cue)
    }
}

/// The kinds of token in a masked sentence, each with the letter that
/// stands for it.
pub const TOKEN_KINDS: [(&str, char); 9] =
    [("Party", 'P'), ("Person", 'H'), ("Organization", 'O'), ("Treaty", 'T'), ("Project", 'J'), ("Event", 'E'), ("Place", 'L'), ("Date", 'D'), ("Both", 'B')];

/// The letter of a token kind (`X` for a kind no token has).
pub fn token_letter(kind: &str) -> char {
    TOKEN_KINDS.iter().find(|(k, _)| *k == kind).map_or('X', |&(_, c)| c)
}

/// The kind a token letter stands for.
pub fn token_kind(letter: char) -> &'static str {
    TOKEN_KINDS.iter().find(|&&(_, c)| c == letter).map_or("", |(k, _)| k)
}

/// Writes the token of item `n` of `kind`: `⟦`, the kind's letter, the
/// index, `⟧` (⟦P3⟧). Short, because every cue reads every token.
pub fn write_token(out: &mut String, kind: &str, n: usize) {
    use std::fmt::Write;
    write!(out, "⟦{}{n}⟧", token_letter(kind)).expect("writing to a string");
}

/// The item index of a token (3 in ⟦P3⟧).
pub fn token_index(token: &str) -> Option<usize> {
    let inner = token.trim_start_matches('⟦').trim_end_matches('⟧');
    inner.get(1..)?.parse().ok()
}

/// The kind of a token (Party for ⟦P3⟧), or of a token's letter alone (P).
pub fn kind_of_token(token: &str) -> &'static str {
    token.trim_start_matches('⟦').chars().next().map_or("", token_kind)
}

/// A token of one of `types` (any type when empty).
fn token<S: AsRef<str>>(types: &[S]) -> String {
    // ASCII classes: Unicode \w and \d would make every cue's automaton huge.
    let letters: String = if types.is_empty() { "A-Z".to_owned() } else { types.iter().map(|t| token_letter(t.as_ref())).collect() };
    format!("⟦[{letters}][0-9]+⟧")
}

/// The words a cue cannot match without: its pattern's required words, with
/// the placeholders ({S}, {G2}...) standing for no word.
pub fn cue_requirements(cue: &str) -> super::required::Requirements {
    static PLACEHOLDER: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| Regex::new(r"\{[A-Za-z][A-Za-z0-9]*\}").unwrap());
    super::required::required_words(&PLACEHOLDER.replace_all(cue, "(?:)"))
}

/// The placeholders of relation and visit cues as regex: `{DATE}`, `{PARTY}`
/// (a party or 双方), `{PLACE}`, and `{Person}`, `{Party}`, `{Date}`,
/// `{Event}`, `{Place}`, `{Organization}` for one token of that type; the gaps
/// `{G}`, `{G2}`, `{GC}`, `{GH}`, `{TOPIC}`, `{GV}`, `{GO}`, `{GP}` (see
/// `ontology/lexicon.toml`).
pub fn expand_placeholders(cue: &str) -> String {
    let mut out = cue.replace("{DATE}", &token(&["Date"])).replace("{PARTY}", &token(&["Party", "Both"])).replace("{PLACE}", &token(&["Place"]));
    for t in ["Person", "Party", "Date", "Event", "Place", "Organization", "Treaty", "Project"] {
        out = out.replace(&format!("{{{t}}}"), &token(&[t]));
    }
    let things = token(&["Organization", "Treaty", "Project", "Event", "Date"]);
    out.replace("{GC}", &format!("(?:[^⟦。；，]|{things}|{})*?", token(&["Place"])))
        // (关于 before the verb makes a proposal's title: X关于举行Y的倡议.)
        .replace("{GH}", &format!("(?:[^⟦。；，关]|关[^于⟦。；，]|{things}|在(?:{})+)*?", token(&["Place"])))
        .replace("{TOPIC}", "[^⟦。；，]{0,8}?")
        .replace("{GV}", "[^⟦。；，]*?")
        .replace("{GO}", &format!("(?:[^⟦。；，]|[“《]?{}[”》]?框架[内下])*?", token::<&str>(&[])))
        .replace("{GP}", &format!("(?:[^⟦。；]|{})*?", token(&["Party", "Organization", "Both"])))
        // The long gap is unbounded (it cannot cross a mention or a sentence
        // end anyway): counted repetitions make the automata explode.
        .replace("{G}", "[^⟦。；，]*?")
        .replace("{G2}", "[^⟦。；]{0,4}?")
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExtractionLexicon {
    pub suffixes: Vec<SuffixRule>,
    pub weak_suffixes: Vec<String>,
    pub left_stops: Vec<String>,
    pub not_name_endings: Vec<String>,
    pub name_final_words: Vec<String>,
    pub inner_conjunctions: Vec<String>,
    pub strip_prefixes: Vec<String>,
    pub name_initial_words: Vec<String>,
    pub measure_words: Vec<String>,
    pub series_kinds: Vec<String>,
    pub scope_words: Vec<String>,
    pub pair_heads: Vec<String>,
    pub transliteration_chars: CharSet,
    pub office_titles: Vec<String>,
    pub surnames: CharSet,
    pub not_names: Vec<String>,
    pub citation_verbs_before: Vec<String>,
    pub citation_verbs_after: Vec<String>,
    #[serde(rename = "citation_purpose_markers")]
    pub purpose_markers: Vec<String>,
    pub proposal_heads: Vec<String>,
    pub establishing_words: Vec<String>,
    pub agent_markers: Vec<String>,
    pub holding_verbs: Vec<String>,
    pub abbrev_after: Vec<String>,
    pub abbrev_before: Vec<String>,
    pub abbrev_modifiers: Vec<String>,
    pub quoted_project_heads: Vec<String>,
    pub quoted_treaty_heads: Vec<String>,
    pub quoted_treaty_heads_with_head: Vec<String>,
    pub quoted_event_suffixes: Vec<String>,
    pub quoted_event_heads_with_head: Vec<String>,
    pub concepts: Vec<String>,
    pub event_ordinals: Vec<String>,
    pub event_patterns: Vec<String>,
    pub place_cues: Vec<String>,
    pub relation_cues: Vec<RelationCue>,
}

impl ExtractionLexicon {
    /// Whether transliterations of foreign names use `c` (阿, 斯, 塔...).
    pub fn is_transliteration_char(&self, c: char) -> bool {
        self.transliteration_chars.contains(c)
    }
}

/// A set of characters written in the lexicon as one string (whitespace
/// ignored), looked up by binary search: recognizers ask it of every
/// character of a text.
#[derive(Debug, Clone, Default)]
pub struct CharSet(Vec<char>);

impl CharSet {
    pub fn contains(&self, c: char) -> bool {
        self.0.binary_search(&c).is_ok()
    }
}

impl<'de> Deserialize<'de> for CharSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut chars: Vec<char> = String::deserialize(d)?.chars().filter(|c| !c.is_whitespace()).collect();
        chars.sort_unstable();
        chars.dedup();
        Ok(Self(chars))
    }
}

impl Lexicon {
    /// The built-in lexicon, with the sections of `override_file` replacing its own.
    pub fn load(override_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut base: toml::Table = toml::from_str(DEFAULT_LEXICON)?;
        if let Some(path) = override_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read lexicon {}: {e}", crate::paths::path_name(path)))?;
            let user: toml::Table =
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("lexicon {} is not valid TOML: {e}", crate::paths::path_name(path)))?;
            for (section, value) in user {
                match (base.get_mut(&section), value) {
                    (Some(toml::Value::Table(b)), toml::Value::Table(u)) => b.extend(u),
                    (_, v) => {
                        base.insert(section, v);
                    }
                }
            }
        }
        let lexicon: Lexicon = toml::Value::Table(base)
            .try_into()
            .map_err(|e| anyhow::anyhow!("lexicon is not valid: {e}"))?;
        lexicon.validate()?;
        Ok(lexicon)
    }

    /// Checks that every pattern compiles, so a bad user file fails at start-up with a clear message.
    fn validate(&self) -> anyhow::Result<()> {
        let patterns = self
            .reader
            .cruft
            .iter()
            .chain(&self.documents.preamble)
            .chain(&self.documents.opening)
            .chain(&self.documents.signing)
            .chain([&self.documents.dateline, &self.documents.date_header])
            .chain(&self.extraction.event_patterns)
            .chain(&self.extraction.event_ordinals)
            .chain(&self.extraction.place_cues)
            .cloned()
            .chain(self.extraction.relation_cues.iter().map(RelationCue::expand))
            .chain(self.relationships.visits.iter().map(|v| expand_placeholders(&v.cue)));
        for p in patterns {
            Regex::new(&p).map_err(|e| anyhow::anyhow!("lexicon pattern {p:?} does not compile: {e}"))?;
        }
        Ok(())
    }

    /// Compiles a list of patterns that [`Lexicon::validate`] accepted.
    pub fn compile(patterns: &[String]) -> Vec<Regex> {
        patterns.iter().map(|p| Regex::new(p).expect("validated at load")).collect()
    }

    /// The kind of document a title or name ends in (longest kind word wins).
    pub fn kind_of(&self, title: &str) -> Option<&str> {
        let mut title = title.trim_end_matches(['》', '”', '"']);
        // A trailing bracket is a qualifier: 实施纲要（2025—2028年）.
        if title.ends_with(['）', ')']) {
            if let Some(open) = title.rfind(['（', '(']) {
                title = &title[..open];
            }
        }
        self.documents
            .kinds
            .iter()
            .filter(|k| title.ends_with(&k.word))
            .max_by_key(|k| k.word.chars().count())
            .map(|k| k.kind.as_str())
    }

    /// The Chinese word for a kind (first listed), for composing titles.
    pub fn word_for_kind(&self, kind: &str) -> Option<&str> {
        self.documents.kinds.iter().find(|k| k.kind == kind).map(|k| k.word.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_lexicon_loads() {
        let lx = Lexicon::load(None).unwrap();
        assert_eq!(lx.kind_of("中华人民共和国和哈萨克斯坦共和国联合声明"), Some("joint statement"));
        assert_eq!(lx.kind_of("睦邻友好合作条约》"), Some("treaty"));
        assert_eq!(lx.kind_of("联合国气候变化框架公约"), Some("convention"));
        assert_eq!(lx.word_for_kind("joint statement"), Some("联合声明"));
    }

    #[test]
    fn user_section_replaces_built_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lx.toml");
        std::fs::write(&path, "[reader]\ncruft = ['广告']\n").unwrap();
        let lx = Lexicon::load(Some(&path)).unwrap();
        assert_eq!(lx.reader.cruft, ["广告"]);
        assert!(!lx.documents.kinds.is_empty());
    }

    #[test]
    fn bad_pattern_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lx.toml");
        std::fs::write(&path, "[reader]\ncruft = ['(unclosed']\n").unwrap();
        let err = Lexicon::load(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("(unclosed"), "{err}");
    }
}
