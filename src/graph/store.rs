//! The embedded store: oxigraph on disk, with ingest that replaces a source
//! file's documents atomically.
//!
//! One process writes a store at a time, and never while another reads it:
//! RocksDB does not support a reader beside a writer (a compaction may delete
//! a file the reader is about to open). Two lock files in the store's
//! directory say who is using it; a command that cannot have the store says
//! why, in words, instead of failing inside RocksDB.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Literal, NamedOrBlankNode, Term};
use oxigraph::store::Store;

use super::mapping::DocumentQuads;
use super::sparql;
use super::vocab::{self, dg};
use crate::model::EntityType;

/// What one ingest call changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestCounts {
    pub documents: usize,
    pub removed_documents: usize,
    /// Documents whose graph existed and was written again.
    pub replaced_documents: usize,
    pub quads: usize,
}

/// Counts shown by `diplograph stats`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    pub documents: usize,
    pub entities: Vec<(String, usize)>,
    pub mentions: usize,
    pub citations: usize,
    pub resolved_citations: usize,
    pub relations: usize,
    pub co_mentions: usize,
    /// Relationship levels declared or recalled, and visits or meetings.
    pub declarations: usize,
    pub visits: usize,
    pub triples: usize,
}

/// Held by the one process writing a store.
const WRITER_LOCK: &str = "diplograph-writer.lock";
/// Held shared by every process reading a store, and exclusively by its writer.
const USERS_LOCK: &str = "diplograph-users.lock";
/// How long a writer waits for the readers of a store to finish (a `stats`
/// or a query takes seconds; a `serve` holds the store until stopped).
const WAIT_FOR_READERS: Duration = Duration::from_secs(10);

fn lock_file(dir: &Path, name: &str) -> anyhow::Result<File> {
    let path = dir.join(name);
    File::options().create(true).truncate(false).write(true).open(&path).or_else(|_| File::open(&path)).map_err(|e| anyhow::anyhow!("cannot open the lock file {}: {e}", crate::paths::path_name(&path)))
}

/// Takes the store for writing: no other writer, no reader.
fn lock_for_writing(dir: &Path) -> anyhow::Result<Vec<File>> {
    let shown = crate::paths::path_name(dir);
    let writer = lock_file(dir, WRITER_LOCK)?;
    match writer.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => anyhow::bail!("another diplograph command is writing to the store {shown} (an ingest?); run this one when it has finished"),
        Err(TryLockError::Error(e)) => anyhow::bail!("cannot lock the store {shown}: {e}"),
    }
    let users = lock_file(dir, USERS_LOCK)?;
    let deadline = Instant::now() + WAIT_FOR_READERS;
    loop {
        match users.try_lock() {
            Ok(()) => return Ok(vec![writer, users]),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(TryLockError::WouldBlock) => anyhow::bail!(
                "the store {shown} is open for reading by another process (a `diplograph serve`, or a long query); stop it, or run this again when it has finished"
            ),
            Err(TryLockError::Error(e)) => anyhow::bail!("cannot lock the store {shown}: {e}"),
        }
    }
}

/// Takes the store for reading, beside other readers and no writer. A store
/// in a directory this user cannot write has no lock file to share; it is
/// read without one.
fn lock_for_reading(dir: &Path) -> anyhow::Result<Vec<File>> {
    let Ok(users) = lock_file(dir, USERS_LOCK) else { return Ok(Vec::new()) };
    match users.try_lock_shared() {
        Ok(()) => Ok(vec![users]),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "an ingest (or another diplograph command that writes) is writing to the store {}; run this again when it has finished",
            crate::paths::path_name(dir)
        ),
        Err(TryLockError::Error(e)) => anyhow::bail!("cannot lock the store {}: {e}", crate::paths::path_name(dir)),
    }
}

/// Quads the bulk loader sorts at once on one thread.
const LOADER_CHUNK_QUADS: usize = 200_000;

/// The knowledge graph store.
pub struct GraphStore {
    store: Store,
    /// Held for as long as the store is open (dropped after it).
    _locks: Vec<File>,
}

impl GraphStore {
    /// Opens (or creates) the on-disk store at `path`, for writing.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let shown = crate::paths::path_name(path);
        std::fs::create_dir_all(path).map_err(|e| anyhow::anyhow!("cannot create store directory {shown}: {e}"))?;
        let locks = lock_for_writing(path)?;
        let store = Store::open(path).map_err(|e| anyhow::anyhow!("cannot open store {shown}: {e}"))?;
        Ok(Self { store, _locks: locks })
    }

    /// Opens an existing store for reading only: any number of readers may
    /// share it, while no process writes it.
    pub fn open_read_only(path: &Path) -> anyhow::Result<Self> {
        Self::require_existing(path)?;
        let locks = lock_for_reading(path)?;
        let store = Store::open_read_only(path).map_err(|e| anyhow::anyhow!("cannot open store {}: {e}", crate::paths::path_name(path)))?;
        Ok(Self { store, _locks: locks })
    }

    /// Opens an existing store for writing.
    pub fn open_existing(path: &Path) -> anyhow::Result<Self> {
        Self::require_existing(path)?;
        Self::open(path)
    }

    fn require_existing(path: &Path) -> anyhow::Result<()> {
        if !path.join("CURRENT").exists() {
            anyhow::bail!("no store at {} (run `diplograph ingest PATH` first, or pass --store DIR)", crate::paths::path_name(path));
        }
        Ok(())
    }

    /// An in-memory store (tests, one-off runs).
    pub fn in_memory() -> anyhow::Result<Self> {
        Ok(Self { store: Store::new()?, _locks: Vec::new() })
    }

    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// The source file holding the document `id`, if the store has it.
    pub fn source_of_document(&self, id: &str) -> anyhow::Result<Option<String>> {
        let doc = vocab::document(id);
        let graph = GraphNameRef::NamedNode(doc.as_ref());
        let source_file = dg("sourceFile");
        let found = self.store.quads_for_pattern(Some(doc.as_ref().into()), Some(source_file.as_ref()), None, Some(graph)).next().transpose()?;
        Ok(found.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// The digest recorded for `source` (`dg:sourceDigest`), when every
    /// document the store holds from it carries that one digest.
    pub fn source_digest(&self, source: &str) -> anyhow::Result<Option<String>> {
        let (source_file, source_digest) = (dg("sourceFile"), dg("sourceDigest"));
        let literal = Term::from(Literal::new_simple_literal(source));
        let mut digests = std::collections::BTreeSet::new();
        for q in self.store.quads_for_pattern(None, Some(source_file.as_ref()), Some(literal.as_ref()), None) {
            let q = q?;
            let oxigraph::model::GraphName::NamedNode(graph) = &q.graph_name else { continue };
            let digest = self.store.quads_for_pattern(Some(q.subject.as_ref()), Some(source_digest.as_ref()), None, Some(GraphNameRef::NamedNode(graph.as_ref()))).next().transpose()?;
            match digest.map(|d| d.object) {
                Some(Term::Literal(l)) => digests.insert(l.value().to_owned()),
                _ => return Ok(None),
            };
        }
        Ok(if digests.len() == 1 { digests.pop_first() } else { None })
    }

    /// Replaces the documents of several sources at once: one transaction
    /// removes what they held before, then oxigraph's bulk loader writes the
    /// new quads and commits them atomically. After a crash each source's
    /// documents are wholly old, wholly new, or absent — never partial.
    /// Writes the relationship levels and acts (SKOS) into their graph, so
    /// that declarations meet their labels and ranks. Inserting them again
    /// changes nothing.
    pub fn load_levels(&self) -> anyhow::Result<()> {
        let graph = vocab::levels_graph();
        if self.store.contains_named_graph(graph.as_ref())? {
            return Ok(());
        }
        self.store
            .load_from_slice(oxigraph::io::RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph), crate::knowledge::levels::DEFAULT_LEVELS.as_bytes())
            .map_err(|e| anyhow::anyhow!("the relationship levels could not be stored: {e}"))?;
        Ok(())
    }

    pub fn replace_sources(&self, batch: Vec<(String, Vec<DocumentQuads>)>) -> anyhow::Result<IngestCounts> {
        let source_file = dg("sourceFile");
        let mut old: Vec<NamedOrBlankNode> = Vec::new();
        for (source, _) in &batch {
            let literal = Term::from(Literal::new_simple_literal(source));
            old.extend(
                self.store
                    .quads_for_pattern(None, Some(source_file.as_ref()), Some(literal.as_ref()), None)
                    .filter_map(Result::ok)
                    .filter_map(|q| match q.graph_name {
                        oxigraph::model::GraphName::NamedNode(n) => Some(NamedOrBlankNode::from(n)),
                        _ => None,
                    }),
            );
        }
        let new_graphs: Vec<NamedOrBlankNode> = batch.iter().flat_map(|(_, docs)| docs.iter().map(|d| NamedOrBlankNode::from(d.graph.clone()))).collect();
        let existing_new: Vec<&NamedOrBlankNode> = new_graphs.iter().filter(|g| self.store.contains_named_graph(g.as_ref()).unwrap_or(true)).collect();
        let stale: Vec<&NamedOrBlankNode> = old.iter().chain(existing_new.iter().copied()).collect();
        if !stale.is_empty() {
            let mut t = self.store.start_transaction()?;
            for g in &stale {
                t.remove_named_graph(g.as_ref())?;
            }
            t.commit()?;
        }
        let docs = || batch.iter().flat_map(|(_, docs)| docs);
        let quads: usize = docs().map(|d| d.quads.len() + d.entity_quads.len()).sum();
        let documents = docs().count();
        // The loader sorts and writes each chunk of quads on a thread of its
        // own; split the batch so that every core takes a share, in chunks
        // small enough that the chunks in flight stay within memory.
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = quads.div_ceil(threads).clamp(1, LOADER_CHUNK_QUADS);
        let mut loader = self.store.bulk_loader().with_num_threads(threads).with_max_memory_size_in_megabytes((chunk * threads).div_ceil(1000));
        loader.load_quads(batch.into_iter().flat_map(|(_, docs)| docs).flat_map(|d| d.quads.into_iter().chain(d.entity_quads)))?;
        loader.commit()?;
        let removed_documents = old.iter().filter(|g| !new_graphs.contains(g)).count();
        let replaced_documents = existing_new.len();
        Ok(IngestCounts { documents, removed_documents, replaced_documents, quads })
    }

    /// Removes entity descriptions that no document refers to any more.
    pub fn collect_garbage(&self) -> anyhow::Result<usize> {
        let entities = vocab::entities_graph();
        let query = format!(
            "SELECT DISTINCT ?e WHERE {{ GRAPH <{g}> {{ ?e a ?t }} FILTER NOT EXISTS {{ GRAPH ?d {{ ?x ?p ?e }} FILTER(?d != <{g}>) }} }}",
            g = entities.as_str()
        );
        let stale: Vec<NamedOrBlankNode> = sparql::select_iris(&self.store, &query, "e")?.into_iter().map(NamedOrBlankNode::from).collect();
        let mut t = self.store.start_transaction()?;
        for e in &stale {
            let quads: Vec<_> = t.quads_for_pattern(Some(e.as_ref()), None, None, Some(GraphNameRef::NamedNode(entities.as_ref()))).collect::<Result<_, _>>()?;
            for q in quads {
                t.remove(q.as_ref());
            }
        }
        t.commit()?;
        Ok(stale.len())
    }

    pub fn len(&self) -> anyhow::Result<usize> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> anyhow::Result<bool> {
        Ok(self.store.is_empty()?)
    }

    pub fn stats(&self) -> anyhow::Result<Stats> {
        let count = |q: &str| -> anyhow::Result<usize> { sparql::count(&self.store, q) };
        let mut entities = Vec::new();
        for t in EntityType::ENTITY_TYPES {
            let n = count(&format!("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{}> {{ ?e a dg:{} }} }}", vocab::entities_graph().as_str(), t.as_str()))?;
            entities.push((t.as_str().to_owned(), n));
        }
        Ok(Stats {
            documents: count("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dg:Document }")?,
            entities,
            mentions: count("SELECT (COUNT(?m) AS ?n) WHERE { ?m a dg:Mention }")?,
            citations: count("SELECT (COUNT(?c) AS ?n) WHERE { ?c a dg:Citation }")?,
            resolved_citations: count("SELECT (COUNT(?c) AS ?n) WHERE { ?c a dg:Citation ; dg:citedWork ?w ; dg:citingDocument ?from . ?d dg:work ?w . FILTER(?d != ?from) }")?,
            relations: count("SELECT (COUNT(?r) AS ?n) WHERE { ?r a rdf:Statement }")?,
            co_mentions: count("SELECT (COUNT(?c) AS ?n) WHERE { ?c a dg:CoMention }")?,
            declarations: count("SELECT (COUNT(?d) AS ?n) WHERE { ?d a dg:RelationshipDeclaration }")?,
            visits: count("SELECT (COUNT(?v) AS ?n) WHERE { ?v a dg:Visit }")?,
            triples: self.store.len()?,
        })
    }

    /// Writes the store (or one graph) in `format`. Formats without named
    /// graphs (Turtle, N-Triples) get the union of all graphs.
    pub fn export<W: std::io::Write>(&self, format: RdfFormat, graph: Option<&str>, writer: W) -> anyhow::Result<W> {
        let mut serializer = RdfSerializer::from_format(format);
        if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
            for (p, iri) in vocab::PREFIXES {
                serializer = serializer.with_prefix(*p, *iri)?;
            }
        }
        let mut out = serializer.for_writer(writer);
        let graph_node = match graph {
            Some(g) => Some(oxigraph::model::NamedNode::new(g).map_err(|e| anyhow::anyhow!("--graph {g:?} is not an IRI: {e}"))?),
            None => None,
        };
        let graph_ref = graph_node.as_ref().map(|g| GraphNameRef::NamedNode(g.as_ref()));
        let mut seen_triples = std::collections::HashSet::new();
        for q in self.store.quads_for_pattern(None, None, None, graph_ref) {
            let q = q?;
            if format.supports_datasets() {
                out.serialize_quad(q.as_ref())?;
            } else {
                // Union of graphs: each triple once.
                let triple = oxigraph::model::Triple::from(q);
                if seen_triples.insert(triple.clone()) {
                    out.serialize_triple(triple.as_ref())?;
                }
            }
        }
        Ok(out.finish()?)
    }
}
