//! The gold-standard schema (see `tests/data/GOLD-README.md`).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub documents: Vec<GoldDocument>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub treaty_citations: Vec<GoldCitation>,
    #[serde(default)]
    pub dates: Vec<GoldDate>,
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldDocument {
    pub id: String,
    pub file: String,
    pub title: Option<String>,
    #[serde(default)]
    pub parties: Vec<String>,
    pub signed_date: Option<String>,
    pub signed_place: Option<String>,
    #[serde(default)]
    pub char_spans: Vec<[u32; 2]>,
    #[serde(default)]
    pub title_in_text: Option<bool>,
    /// The document's kind (joint statement, treaty...), when the gold gives it.
    #[serde(default)]
    pub kind: Option<String>,
    /// The normalized date of the news dateline, when the gold gives it.
    #[serde(default)]
    pub dateline_date: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub doc: String,
    #[serde(rename = "type")]
    pub entity_type: String,
    pub canonical: String,
    #[serde(default)]
    pub surface_forms: Vec<String>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub alt_types: Vec<String>,
    pub date: Option<String>,
}

impl Gold {
    /// Several gold files as one (their document ids must differ).
    pub fn merge(golds: Vec<Gold>) -> anyhow::Result<Gold> {
        let mut all = Gold { documents: Vec::new(), entities: Vec::new(), treaty_citations: Vec::new(), dates: Vec::new(), relations: Vec::new() };
        for g in golds {
            if let Some(d) = g.documents.iter().find(|d| all.documents.iter().any(|a| a.id == d.id)) {
                anyhow::bail!("the gold document id {} is given twice", d.id);
            }
            all.documents.extend(g.documents);
            all.entities.extend(g.entities);
            all.treaty_citations.extend(g.treaty_citations);
            all.dates.extend(g.dates);
            all.relations.extend(g.relations);
        }
        Ok(all)
    }

    /// Only the documents `keep` accepts, with their items.
    pub fn retain_documents(&mut self, keep: impl Fn(&str) -> bool) {
        self.documents.retain(|d| keep(&d.id));
        self.entities.retain(|e| keep(&e.doc));
        self.treaty_citations.retain(|c| keep(&c.citing_doc));
        self.dates.retain(|d| keep(&d.doc));
        self.relations.retain(|r| keep(&r.doc));
    }
}

impl GoldEntity {
    pub fn accepts_type(&self, t: &str) -> bool {
        self.entity_type == t || self.alt_types.iter().any(|a| a == t)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.canonical.as_str()).chain(self.surface_forms.iter().map(String::as_str))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldCitation {
    pub citing_doc: String,
    pub cited_title: String,
    pub cited_date: Option<String>,
    pub verb: Option<String>,
    pub kind: Option<String>,
    pub resolves_to_doc: Option<String>,
    /// A borderline item (the paper's name in its masthead): neither rewarded nor penalised.
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldDate {
    pub doc: String,
    pub surface: String,
    pub normalized: String,
    pub context: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    pub doc: String,
    pub subject: String,
    pub predicate: String,
    pub object: String,
    #[serde(default)]
    pub also_holds_for_subject: Option<String>,
}
