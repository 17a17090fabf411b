//! The relationship levels (`ontology/relationship-levels.ttl`, SKOS): what a
//! statement calls the relationship it declares (全面战略合作伙伴关系,
//! 新时代全天候命运共同体…), normalized to one concept of an ordered scheme.
//!
//! A level is its base (伙伴关系 or 命运共同体) and its set of qualifiers (全面,
//! 战略, 合作, 全天候, 永久, 新时代…), both read from the concept's Chinese
//! label with the lexicon's qualifier words; a phrase of a statement names the
//! concept with the same base and qualifiers.

use std::collections::BTreeSet;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;

/// The scheme that ships with diplograph.
pub const DEFAULT_LEVELS: &str = include_str!("../../ontology/relationship-levels.ttl");

const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DG: &str = "https://w3id.org/diplograph/ontology#";

/// One level of the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub iri: String,
    pub label_zh: String,
    pub label_en: String,
    pub rank: i32,
    base: String,
    qualifiers: BTreeSet<String>,
}

/// The levels, and the words that make them.
#[derive(Debug, Clone)]
pub struct RelationshipLevels {
    levels: Vec<Level>,
    bases: Vec<String>,
    qualifiers: Vec<String>,
}

impl RelationshipLevels {
    /// Reads the scheme from Turtle, with the lexicon's base and qualifier words.
    pub fn parse(turtle: &str, bases: &[String], qualifiers: &[String]) -> anyhow::Result<Self> {
        #[derive(Default)]
        struct Draft {
            zh: Option<String>,
            en: Option<String>,
            rank: Option<i32>,
            is_level: bool,
        }
        let mut drafts: std::collections::BTreeMap<String, Draft> = Default::default();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.map_err(|e| anyhow::anyhow!("the relationship levels are not valid Turtle: {e}"))?;
            let subject = quad.subject.to_string().trim_matches(['<', '>']).to_owned();
            let d = drafts.entry(subject).or_default();
            match (quad.predicate.as_str(), &quad.object) {
                (p, Term::Literal(l)) if p == format!("{SKOS}prefLabel") && l.language() == Some("zh") => d.zh = Some(l.value().to_owned()),
                (p, Term::Literal(l)) if p == format!("{SKOS}prefLabel") && l.language() == Some("en") => d.en = Some(l.value().to_owned()),
                (p, Term::Literal(l)) if p == format!("{DG}rank") => d.rank = l.value().parse().ok(),
                (p, Term::NamedNode(n)) if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" && n.as_str() == format!("{DG}RelationshipLevel") => d.is_level = true,
                _ => {}
            }
        }
        let mut scheme = Self { levels: Vec::new(), bases: bases.to_vec(), qualifiers: qualifiers.to_vec() };
        // Longest words first: 新时代 before 时代, 更加紧密的 before 紧密.
        scheme.qualifiers.sort_by_key(|q| std::cmp::Reverse(q.chars().count()));
        for (iri, d) in drafts.into_iter().filter(|(_, d)| d.is_level) {
            let (Some(zh), Some(rank)) = (d.zh, d.rank) else { anyhow::bail!("relationship level {iri} needs a Chinese prefLabel and a dg:rank") };
            let Some((base, qualifiers)) = scheme.read(&zh) else { anyhow::bail!("relationship level {iri}: {zh} is not qualifiers before 伙伴关系 or 命运共同体") };
            scheme.levels.push(Level { iri, label_en: d.en.unwrap_or_else(|| zh.clone()), label_zh: zh, rank, base, qualifiers });
        }
        scheme.levels.sort_by_key(|l| l.rank);
        Ok(scheme)
    }

    /// The built-in scheme.
    pub fn builtin(bases: &[String], qualifiers: &[String]) -> anyhow::Result<Self> {
        Self::parse(DEFAULT_LEVELS, bases, qualifiers)
    }

    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The bases a level phrase ends with (伙伴关系, 命运共同体).
    pub fn bases(&self) -> &[String] {
        &self.bases
    }

    /// A phrase's base and qualifiers, when it is made of nothing else.
    fn read(&self, phrase: &str) -> Option<(String, BTreeSet<String>)> {
        let base = self.bases.iter().find(|b| phrase.ends_with(b.as_str()))?;
        let mut rest = &phrase[..phrase.len() - base.len()];
        let mut qualifiers = BTreeSet::new();
        while !rest.is_empty() {
            let q = self.qualifiers.iter().find(|q| rest.starts_with(q.as_str()))?;
            qualifiers.insert(q.clone());
            rest = &rest[q.len()..];
        }
        Some((base.clone(), qualifiers))
    }

    /// The level a phrase of qualifiers and a base names: the concept with the
    /// same ones, else the closest below it (the most of its qualifiers).
    pub fn level_of(&self, phrase: &str) -> Option<&Level> {
        let (base, qualifiers) = self.read(phrase)?;
        self.levels
            .iter()
            .filter(|l| l.base == base && l.qualifiers.is_subset(&qualifiers))
            .max_by_key(|l| (l.qualifiers.len(), l.rank))
    }

    /// Whether `word` qualifies a level (the longest such word at the start of `text`).
    pub fn qualifier_at<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.qualifiers.iter().find(|q| text.starts_with(q.as_str())).map(|q| &text[..q.len()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> RelationshipLevels {
        let lx = crate::knowledge::Lexicon::load(None).unwrap();
        RelationshipLevels::builtin(&lx.relationships.bases, &lx.relationships.qualifiers).unwrap()
    }

    #[test]
    fn wordings_normalize_to_one_ordered_level() {
        let s = scheme();
        let label = |p: &str| s.level_of(p).map(|l| l.label_zh.clone());
        assert_eq!(label("全面战略合作伙伴关系").as_deref(), Some("全面战略合作伙伴关系"));
        assert_eq!(label("新时代全天候命运共同体").as_deref(), Some("新时代全天候命运共同体"));
        // A combination the scheme lacks is the highest level made of its qualifiers.
        assert_eq!(label("永久全面战略合作伙伴关系").as_deref(), Some("永久全面战略伙伴关系"));
        assert!(s.level_of("安全伙伴关系").is_none(), "a sector's partnership is no level");
        let rank = |p: &str| s.level_of(p).unwrap().rank;
        assert!(rank("战略伙伴关系") < rank("全面战略伙伴关系") && rank("全面战略伙伴关系") < rank("永久全面战略伙伴关系"));
        assert!(rank("永久全面战略伙伴关系") < rank("命运共同体"));
    }
}
