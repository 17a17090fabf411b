//! The data model that flows between stages: documents, mentions, entities,
//! citations and relations. Plain data with serde; no behaviour beyond naming.

use serde::{Deserialize, Serialize};

/// Entity types. `Date` is used for date mentions only; dates are values, not entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    Party,
    Person,
    Organization,
    Treaty,
    Project,
    Event,
    Place,
    Date,
}

impl EntityType {
    pub const ENTITY_TYPES: [EntityType; 7] = [
        EntityType::Party,
        EntityType::Person,
        EntityType::Organization,
        EntityType::Treaty,
        EntityType::Project,
        EntityType::Event,
        EntityType::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Party => "Party",
            EntityType::Person => "Person",
            EntityType::Organization => "Organization",
            EntityType::Treaty => "Treaty",
            EntityType::Project => "Project",
            EntityType::Event => "Event",
            EntityType::Place => "Place",
            EntityType::Date => "Date",
        }
    }

    /// Lower-case path segment used in identifiers.
    pub fn slug(self) -> &'static str {
        match self {
            EntityType::Party => "party",
            EntityType::Person => "person",
            EntityType::Organization => "org",
            EntityType::Treaty => "treaty",
            EntityType::Project => "project",
            EntityType::Event => "event",
            EntityType::Place => "place",
            EntityType::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ENTITY_TYPES.into_iter().chain([EntityType::Date]).find(|t| t.as_str().eq_ignore_ascii_case(s) || t.slug() == s)
    }
}

impl std::fmt::Display for EntityType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A party to a document, as listed in its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRef {
    /// Canonical Chinese name.
    pub name: String,
    /// English label, when known.
    pub en: Option<String>,
    /// Entity id.
    pub id: String,
}

/// Document metadata: what `documents --json` prints for each document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Stable id derived from parties, date, kind and a digest of the title (see `ids::document_id`).
    pub doc: String,
    /// The input path as given.
    pub source: String,
    /// `[start, end)` code point ranges of the source, in reading order.
    pub spans: Vec<[u32; 2]>,
    pub title: String,
    /// False when the title was composed from parties and kind.
    pub title_in_text: bool,
    /// joint statement, joint declaration, joint communique, treaty, ...
    pub kind: String,
    pub parties: Vec<PartyRef>,
    /// YYYY-MM-DD, or null when the text does not say.
    pub signed_date: Option<String>,
    /// Chinese place name, or null.
    pub signed_place: Option<String>,
    /// The news dateline as written ("新华社阿斯塔纳7月3日电"), or null.
    pub dateline: Option<String>,
    /// Normalized date of the dateline, or null.
    pub dateline_date: Option<String>,
    /// Id of the treaty entity this document is (so citations of it resolve here).
    pub work: String,
    /// The body that issues the document, when its title opens with one
    /// (上海合作组织成员国政府首脑（总理）理事会第十九次会议联合公报).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<PartyRef>,
}

impl DocumentMeta {
    /// The year that resolves relative dates in this document.
    pub fn reference_year(&self) -> Option<i32> {
        self.signed_date
            .as_deref()
            .or(self.dateline_date.as_deref())
            .and_then(crate::zh::dates::year_of)
    }
}

/// One mention of an entity or a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub text: String,
    /// Code point offsets into the source file: source[start..end] == text.
    pub start: u32,
    pub end: u32,
    /// Canonical name of the entity (for dates: the normalized value).
    pub entity: String,
    /// Entity id (for dates: null).
    pub id: Option<String>,
    /// Normalized value, for dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Index of the sentence it stands in (see `Extraction::sentences`).
    pub sentence: usize,
}

/// A title cited in 《》.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The text inside 《》.
    pub title: String,
    pub date: Option<String>,
    pub verb: Option<String>,
    pub kind: String,
    /// Treaty entity id.
    pub id: String,
    /// `doc` id of the corpus document it is, or null.
    pub resolves_to: Option<String>,
    pub start: u32,
    pub end: u32,
    pub sentence: usize,
}

/// A typed relation with the offsets of its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub subject: String,
    pub predicate: String,
    /// Entity id, or a normalized date for `held_on`.
    pub object: String,
    pub start: u32,
    pub end: u32,
    /// For co-mentions: how many paragraphs name both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Index of the sentence holding the evidence.
    pub sentence: usize,
    /// For a co-mention whose two entities no sentence of the paragraph names
    /// together: the sentence naming the other one, so that the evidence names both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_sentence: Option<usize>,
}

/// A relationship level a document declares, or recalls from an earlier
/// time (2014年两国建立全面战略伙伴关系).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipDeclaration {
    /// The two parties (entity ids), China first.
    pub parties: Vec<String>,
    /// IRI of the level's concept in `ontology/relationship-levels.ttl`.
    pub level: String,
    /// Its Chinese label (the normalized level).
    pub level_label: String,
    /// Its rank: higher is closer.
    pub rank: i32,
    /// establish, upgrade, develop, deepen, reaffirm or build.
    pub act: String,
    /// When: the recalled date, else the document's date (YYYY[-MM[-DD]]).
    pub date: Option<String>,
    /// An earlier declaration the text recalls, not the document's own.
    pub recalled: bool,
    /// The level as written (中塔新时代全面战略合作伙伴关系).
    pub phrase: String,
    /// Code point offsets of the evidence into the source file.
    pub start: u32,
    pub end: u32,
    pub sentence: usize,
}

/// A visit or meeting a document reports: who went to whom, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// state visit, official visit, working visit, visit, talks, meeting or attendance.
    pub kind: String,
    /// Entity ids of the visiting person and party, and of the host.
    pub visitor: Option<String>,
    pub visitor_party: Option<String>,
    pub host: Option<String>,
    pub host_party: Option<String>,
    /// The event attended (for attendance).
    pub event: Option<String>,
    /// Places named (entity ids).
    pub places: Vec<String>,
    /// A date or a range (YYYY-MM-DD/YYYY-MM-DD).
    pub date: Option<String>,
    /// Code point offsets of the evidence into the source file.
    pub start: u32,
    pub end: u32,
    pub sentence: usize,
}

/// A sentence of a document, the unit of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Source code point range (for a sentence cut across a rotation, its first part's start and last part's end).
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// An entity as described once for the whole corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub canonical: String,
    pub english: Option<String>,
    pub wikidata: Option<String>,
    /// Date that separates same-title treaties.
    pub date: Option<String>,
    /// Sub-kind (state, fair, joint statement, ...).
    pub kind: Option<String>,
}
