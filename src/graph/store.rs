//! The embedded store: oxigraph on disk, with ingest that replaces a source
//! file's documents atomically.

use std::path::Path;

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
    pub triples: usize,
}

/// The knowledge graph store.
pub struct GraphStore {
    store: Store,
}

impl GraphStore {
    /// Opens (or creates) the on-disk store at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(path).map_err(|e| anyhow::anyhow!("cannot create store directory {}: {e}", path.display()))?;
        let store = Store::open(path).map_err(|e| anyhow::anyhow!("cannot open store {}: {e}", path.display()))?;
        Ok(Self { store })
    }

    /// Opens an existing store for reading only: any number of readers may
    /// share it, alongside one writer.
    pub fn open_read_only(path: &Path) -> anyhow::Result<Self> {
        Self::require_existing(path)?;
        // A writer may be rotating its log at this moment: try again briefly.
        let mut attempt = 0;
        loop {
            match Store::open_read_only(path) {
                Ok(store) => return Ok(Self { store }),
                Err(_) if attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50 * attempt));
                }
                Err(e) => anyhow::bail!("cannot open store {}: {e}", path.display()),
            }
        }
    }

    /// Opens an existing store for writing.
    pub fn open_existing(path: &Path) -> anyhow::Result<Self> {
        Self::require_existing(path)?;
        Self::open(path)
    }

    fn require_existing(path: &Path) -> anyhow::Result<()> {
        if !path.join("CURRENT").exists() {
            anyhow::bail!("no store at {} (run `diplograph ingest PATH` first, or pass --store DIR)", path.display());
        }
        Ok(())
    }

    /// An in-memory store (tests, one-off runs).
    pub fn in_memory() -> anyhow::Result<Self> {
        Ok(Self { store: Store::new()? })
    }

    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// Replaces the documents of several sources at once: one transaction
    /// removes what they held before, then oxigraph's bulk loader writes the
    /// new quads and commits them atomically. After a crash each source's
    /// documents are wholly old, wholly new, or absent — never partial.
    pub fn replace_sources(&self, batch: &[(String, Vec<DocumentQuads>)]) -> anyhow::Result<IngestCounts> {
        let source_file = dg("sourceFile");
        let mut old: Vec<NamedOrBlankNode> = Vec::new();
        for (source, _) in batch {
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
        // own; split the batch so that every core takes a share.
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = quads.div_ceil(threads).max(1);
        let mut loader = self.store.bulk_loader().with_num_threads(threads).with_max_memory_size_in_megabytes((chunk * threads).div_ceil(1000));
        loader.load_quads(docs().flat_map(|d| d.quads.iter().chain(&d.entity_quads)).cloned())?;
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
