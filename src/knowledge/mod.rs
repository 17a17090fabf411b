//! Knowledge the pipeline is configured with: the gazetteer (known names) and
//! the lexicon (language patterns). Both are data files under `ontology/`,
//! compiled in as defaults and extendable by the user at run time. Every stage
//! may read them; none writes them.

pub mod gazetteer;
pub mod levels;
pub mod lexicon;
pub mod required;

use std::path::PathBuf;

pub use gazetteer::{Gazetteer, GazetteerEntry};
pub use levels::RelationshipLevels;
pub use lexicon::Lexicon;

/// Where to load knowledge from, beyond the built-in files.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeConfig {
    pub gazetteers: Vec<PathBuf>,
    pub lexicon: Option<PathBuf>,
}

/// The gazetteer and lexicon together.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
    pub levels: RelationshipLevels,
}

impl Knowledge {
    pub fn load(config: &KnowledgeConfig) -> anyhow::Result<Self> {
        let lexicon = Lexicon::load(config.lexicon.as_deref())?;
        let levels = RelationshipLevels::builtin(&lexicon.relationships.bases, &lexicon.relationships.qualifiers)?;
        Ok(Self { gazetteer: Gazetteer::load(&config.gazetteers)?, lexicon, levels })
    }

    /// The built-in knowledge only.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::load(&KnowledgeConfig::default())
    }
}
