//! The pipeline: the stages wired together with their configuration, for
//! one input or a run of them. The CLI and the tests call this; beyond
//! passing one stage's output to the next it only keeps a run whole: a panic
//! costs one input, ids are unique across the run, problems are reported as
//! they are met.

use std::collections::HashMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::document::{read_documents, Block, Document, ParagraphPatterns};
use crate::extract::{resolve_citations, Extraction, Extractor};
use crate::ids::{DocumentPlace, UniqueDocumentIds};
use crate::knowledge::{Knowledge, KnowledgeConfig, Lexicon};
use crate::model::DocumentMeta;
use crate::panics::contain;
use crate::progress::Progress;
use crate::source::{collect_inputs, InputError, InputRef, ReadOptions, SourceFile};

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
    /// What besides a file's bytes and the program decides what is read
    /// from it: the knowledge files and options the pipeline was given.
    configuration: [u8; 32],
}

/// One input file and the documents found in it.
pub struct ReadFile {
    pub source: SourceFile,
    pub documents: Vec<Document>,
    /// Every paragraph of the file with its role and document.
    pub blocks: Vec<Block>,
}

impl ReadFile {
    /// A file with text but no document in it is a problem to report: every
    /// input gives a document or a message.
    pub fn no_document_problem(&self) -> Option<InputError> {
        self.documents.is_empty().then(|| {
            let chars = self.source.clean.as_str().chars().count();
            InputError::new(&self.source.name, format!("no document found in {chars} character(s) of text (no title, opening formula or dateline, and too short to be one)"))
        })
    }
}

/// One input read and extracted, with what went wrong inside it.
pub struct FileExtraction {
    pub source: SourceFile,
    /// The documents extracted, in reading order.
    pub extractions: Vec<Extraction>,
    /// Problems of this input: a document that could not be extracted, or no document at all.
    pub problems: Vec<InputError>,
    /// To report with the file's name: repairs made while reading, bounds reached.
    pub notes: Vec<String>,
}

impl FileExtraction {
    /// Reports the problems and notes of this input; returns whether it had a problem.
    pub fn report(&self, progress: &dyn Progress) -> bool {
        for p in &self.problems {
            progress.problem(&p.path, &p.problem);
        }
        for note in &self.notes {
            progress.note(&self.source.name, note);
        }
        !self.problems.is_empty()
    }
}

/// Every extraction of a run of inputs.
pub struct CorpusExtraction {
    pub extractions: Vec<Extraction>,
    /// The decoded source texts by name, when asked for.
    pub sources: HashMap<String, String>,
    /// Inputs with a problem, each reported as it was met.
    pub problems: usize,
}

/// Document ids made unique across one run, each collision reported.
#[derive(Default)]
struct RunIds(UniqueDocumentIds);

impl RunIds {
    fn settle(&mut self, meta: &mut DocumentMeta, progress: &dyn Progress) {
        let place = DocumentPlace { source: meta.source.clone(), start: meta.spans.first().map_or(0, |s| s[0]) };
        if let Err(c) = self.0.claim(&meta.doc, &place, |_| None) {
            progress.note(&meta.source, &c.message(&meta.source, &meta.title));
            meta.doc = c.new_id;
        }
    }
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
            cruft: crate::source::normalize::Cruft::new(Lexicon::compile(&knowledge.lexicon.reader.cruft)),
            max_bytes: config.max_file_bytes,
        };
        // The word segmenter's dictionary loads while files are being read.
        crate::zh::words::warm_up();
        let extractor = Extractor::new(&knowledge);
        let paragraph_patterns = ParagraphPatterns::new(&knowledge.lexicon);
        let configuration = configuration_digest(config)?;
        Ok(Self { knowledge, extractor, paragraph_patterns, read_options, configuration })
    }

    /// The built-in configuration.
    pub fn builtin() -> anyhow::Result<Self> {
        Self::new(&PipelineConfig::default())
    }

    /// The bytes of one input (refused over the size limit).
    pub fn input_bytes(&self, input: &InputRef) -> Result<Vec<u8>, InputError> {
        crate::source::read_bytes(input, &self.read_options)
    }

    /// Reads one input and finds its documents.
    pub fn read(&self, input: &InputRef) -> Result<ReadFile, InputError> {
        let bytes = self.input_bytes(input)?;
        self.read_bytes(&input.display_name(), &bytes)
    }

    /// Reads text given in memory (tests, stdin already read). A panic while
    /// reading is this input's problem, not the caller's.
    pub fn read_bytes(&self, name: &str, bytes: &[u8]) -> Result<ReadFile, InputError> {
        let read = contain(|| crate::source::source_from_bytes(name.to_owned(), bytes, &self.read_options).map(|source| self.documents_of(source)));
        read.unwrap_or_else(|panic| Err(InputError::new(name, format!("internal error while reading the file, which was skipped: {panic}"))))
    }

    /// Extracts mentions, entities, citations and relations from one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extractor.extract(doc, &self.knowledge)
    }

    /// Every candidate mention of a document and what became of it.
    pub fn explain(&self, doc: &Document) -> Vec<crate::extract::Explained> {
        self.extractor.explain(doc, &self.knowledge)
    }

    /// [`Pipeline::extract`], with a panic returned as an error (its message
    /// and place) instead of unwinding.
    pub fn try_extract(&self, doc: &Document) -> Result<Extraction, String> {
        contain(|| self.extract(doc))
    }

    /// Reads the input `name` from its bytes and extracts every document of
    /// it. A panic costs only the document (or, while reading, the file)
    /// where it happened; it is reported among the problems.
    pub fn extract_input(&self, name: &str, bytes: &[u8]) -> Result<FileExtraction, InputError> {
        self.extract_input_with(name, bytes, |doc| self.extract(doc))
    }

    fn extract_input_with(&self, name: &str, bytes: &[u8], extract: impl Fn(&Document) -> Extraction) -> Result<FileExtraction, InputError> {
        let file = self.read_bytes(name, bytes)?;
        let mut problems: Vec<InputError> = file.no_document_problem().into_iter().collect();
        let mut notes = file.source.warnings.clone();
        let mut extractions = Vec::with_capacity(file.documents.len());
        for (i, doc) in file.documents.iter().enumerate() {
            match contain(|| extract(doc)) {
                Ok(x) => {
                    notes.extend(x.bounds_reached.iter().map(|b| format!("document {}: {b}", x.meta.doc)));
                    extractions.push(x);
                }
                Err(panic) => problems.push(InputError::new(
                    name,
                    format!("internal error while extracting document {} of {} ({}), which was left out: {panic}", i + 1, file.documents.len(), doc.meta.title),
                )),
            }
        }
        Ok(FileExtraction { source: file.source, extractions, problems, notes })
    }

    /// Reads every input under `paths` and hands each file's documents to
    /// `each`, ids made unique across the run. Problems and notes go to
    /// `progress` as they are met; returns how many inputs had a problem.
    pub fn read_paths(&self, paths: &[PathBuf], progress: &dyn Progress, mut each: impl FnMut(ReadFile) -> anyhow::Result<()>) -> anyhow::Result<usize> {
        let (inputs, errors) = collect_inputs(paths);
        for e in &errors {
            progress.problem(&e.path, &e.problem);
        }
        let mut problems = errors.len();
        let mut ids = RunIds::default();
        for input in &inputs {
            match self.read(input) {
                Ok(mut file) => {
                    for w in &file.source.warnings {
                        progress.note(&file.source.name, w);
                    }
                    if let Some(p) = file.no_document_problem() {
                        progress.problem(&p.path, &p.problem);
                        problems += 1;
                    }
                    for d in &mut file.documents {
                        ids.settle(&mut d.meta, progress);
                    }
                    each(file)?;
                }
                Err(e) => {
                    progress.problem(&e.path, &e.problem);
                    problems += 1;
                }
            }
        }
        Ok(problems)
    }

    /// Reads and extracts every input under `paths`, ids made unique across
    /// the run and citations resolved among the documents. Problems and notes
    /// go to `progress` as they are met.
    pub fn extract_paths(&self, paths: &[PathBuf], keep_sources: bool, progress: &dyn Progress) -> CorpusExtraction {
        let (inputs, errors) = collect_inputs(paths);
        for e in &errors {
            progress.problem(&e.path, &e.problem);
        }
        let mut corpus = CorpusExtraction { extractions: Vec::new(), sources: HashMap::new(), problems: errors.len() };
        let mut ids = RunIds::default();
        for input in &inputs {
            match self.input_bytes(input).and_then(|bytes| self.extract_input(&input.display_name(), &bytes)) {
                Ok(mut file) => {
                    corpus.problems += usize::from(file.report(progress));
                    for x in &mut file.extractions {
                        ids.settle(&mut x.meta, progress);
                    }
                    corpus.extractions.append(&mut file.extractions);
                    if keep_sources {
                        corpus.sources.insert(file.source.name, file.source.text);
                    }
                }
                Err(e) => {
                    progress.problem(&e.path, &e.problem);
                    corpus.problems += 1;
                }
            }
        }
        resolve_citations(&mut corpus.extractions);
        corpus
    }

    /// A digest of `bytes` read by this program with this configuration:
    /// equal digests mean equal extractions, so a file whose digest the store
    /// holds need not be read again.
    pub fn source_digest(&self, bytes: &[u8]) -> String {
        let digest = Sha256::new().chain_update(program_digest()).chain_update(self.configuration).chain_update(bytes).finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn documents_of(&self, source: SourceFile) -> ReadFile {
        let (documents, blocks) = read_documents(&source, &self.knowledge, &self.paragraph_patterns);
        ReadFile { source, documents, blocks }
    }
}

/// The running program: its executable's bytes (read once), or its version
/// when they cannot be read.
fn program_digest() -> &'static [u8; 32] {
    static PROGRAM: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| {
        let executable = std::env::current_exe().and_then(std::fs::read).unwrap_or_else(|_| env!("CARGO_PKG_VERSION").as_bytes().to_vec());
        Sha256::digest(executable).into()
    })
}

/// The knowledge files and the encoding a pipeline is configured with.
fn configuration_digest(config: &PipelineConfig) -> anyhow::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    for path in config.knowledge.gazetteers.iter().chain(&config.knowledge.lexicon) {
        let text = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", crate::paths::path_name(path)))?;
        hasher.update(Sha256::digest(text));
    }
    hasher.update(config.encoding.as_deref().unwrap_or("").as_bytes());
    Ok(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_extracting_costs_that_document_only() {
        let pipeline = Pipeline::builtin().unwrap();
        let first = "中华人民共和国和哈萨克斯坦共和国联合声明\n应哈萨克斯坦共和国总统托卡耶夫邀请，中华人民共和国主席习近平于2024年7月2日至4日对哈萨克斯坦共和国进行国事访问。\n双方支持上海合作组织。\n本声明于2024年7月3日在阿斯塔纳签署。\n";
        let second = "中华人民共和国和塔吉克斯坦共和国联合声明\n应塔吉克斯坦共和国总统拉赫蒙邀请，中华人民共和国主席习近平于2024年7月4日至6日对塔吉克斯坦共和国进行国事访问。\n双方支持上海合作组织。\n本声明于2024年7月5日在杜尚别签署。\n";
        let text = format!("{first}{second}");
        let file = pipeline
            .extract_input_with("two.txt", text.as_bytes(), |doc| {
                assert_ne!(doc.meta.signed_date.as_deref(), Some("2024-07-05"), "a bug this document trips");
                pipeline.extract(doc)
            })
            .unwrap();
        assert_eq!(file.extractions.len(), 1, "the other document is kept");
        assert_eq!(file.problems.len(), 1);
        let problem = &file.problems[0];
        assert_eq!(problem.path, "two.txt");
        assert!(problem.problem.contains("internal error while extracting document 2 of 2") && problem.problem.contains("a bug this document trips"), "{}", problem.problem);
    }

    #[test]
    fn a_file_without_a_document_is_a_problem() {
        let pipeline = Pipeline::builtin().unwrap();
        let file = pipeline.extract_input("short.txt", "你好".as_bytes()).unwrap();
        assert!(file.extractions.is_empty());
        assert!(file.problems[0].problem.starts_with("no document found"), "{:?}", file.problems);
    }
}
