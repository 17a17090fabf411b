//! The pipeline: the stages wired together with their configuration.
//! The CLI and the tests call this; it holds no logic of its own beyond
//! passing one stage's output to the next.

use crate::document::{read_documents, Block, Document, ParagraphPatterns};
use crate::extract::{Extraction, Extractor};
use crate::knowledge::{Knowledge, KnowledgeConfig, Lexicon};
use crate::source::{read_input, InputError, InputRef, ReadOptions, SourceFile};

/// Options shared by every command that reads inputs.
#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    pub knowledge: KnowledgeConfig,
    /// Encoding label forced on every input (`--encoding`).
    pub encoding: Option<String>,
    /// Larger input files are refused with a message.
    pub max_file_bytes: Option<u64>,
}

/// A configured pipeline.
pub struct Pipeline {
    pub knowledge: Knowledge,
    pub extractor: Extractor,
    paragraph_patterns: ParagraphPatterns,
    read_options: ReadOptions,
}

/// One input file and the documents found in it.
pub struct ReadFile {
    pub source: SourceFile,
    pub documents: Vec<Document>,
    /// Every paragraph of the file with its role and document.
    pub blocks: Vec<Block>,
}

impl Pipeline {
    pub fn new(config: &PipelineConfig) -> anyhow::Result<Self> {
        let knowledge = Knowledge::load(&config.knowledge)?;
        let encoding = match &config.encoding {
            Some(label) => Some(crate::source::decode::encoding_for_label(label)?),
            None => None,
        };
        let read_options = ReadOptions {
            encoding,
            cruft: Lexicon::compile(&knowledge.lexicon.reader.cruft),
            max_bytes: config.max_file_bytes,
        };
        // The word segmenter's dictionary loads while files are being read.
        crate::zh::words::warm_up();
        let extractor = Extractor::new(&knowledge);
        let paragraph_patterns = ParagraphPatterns::new(&knowledge.lexicon);
        Ok(Self { knowledge, extractor, paragraph_patterns, read_options })
    }

    /// The built-in configuration.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::new(&PipelineConfig::default())
    }

    /// Reads one input and finds its documents.
    pub fn read(&self, input: &InputRef) -> Result<ReadFile, InputError> {
        let source = read_input(input, &self.read_options)?;
        Ok(self.documents_of(source))
    }

    /// Reads text given in memory (tests, stdin already read).
    pub fn read_bytes(&self, name: &str, bytes: &[u8]) -> Result<ReadFile, InputError> {
        let source = crate::source::source_from_bytes(name.to_owned(), bytes, &self.read_options)?;
        Ok(self.documents_of(source))
    }

    /// Extracts mentions, entities, citations and relations from one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extractor.extract(doc, &self.knowledge)
    }

    /// Every candidate mention of a document and what became of it.
    pub fn explain(&self, doc: &Document) -> Vec<crate::extract::Explained> {
        self.extractor.explain(doc, &self.knowledge)
    }

    fn documents_of(&self, source: SourceFile) -> ReadFile {
        let (documents, blocks) = read_documents(&source, &self.knowledge, &self.paragraph_patterns);
        ReadFile { source, documents, blocks }
    }
}
