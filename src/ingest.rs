//! Ingest: inputs through every stage into the store, a batch at a time.
//!
//! Files are read and extracted in parallel batches (rayon), bounded both in
//! files and in bytes; each batch is written with oxigraph's bulk loader and
//! committed atomically, so memory stays bounded by the batch and a crash
//! leaves every file wholly in or wholly out. Each problem is reported
//! through [`Progress`] as the file is met, not at the end. A file whose
//! digest (its bytes, and the program and configuration reading them) the
//! store already holds is skipped.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::extract::Extraction;
use crate::graph::{document_quads, DocumentQuads, GraphStore};
use crate::ids::{DocumentPlace, UniqueDocumentIds};
use crate::pipeline::Pipeline;
use crate::source::{collect_inputs, InputRef};

/// Files extracted in parallel, then bulk-loaded. Larger batches mean
/// fewer, larger bulk loads (RocksDB ingests fewer files).
const BATCH_FILES: usize = 256;
/// Bytes of input per batch: an extraction takes up to a hundred times the
/// bytes of its input, so a batch of large files holds fewer of them.
const BATCH_BYTES: u64 = 4 << 20;
/// Quads written by one bulk load (each source's documents wholly in one):
/// quads in memory take a few hundred bytes each, and a dense input (a list
/// of titles) gives several per byte.
const LOAD_QUADS: usize = 500_000;

/// How to ingest.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions {
    /// Read every file, even one the store holds unchanged.
    pub force: bool,
}

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Files read and written to the store.
    pub files: usize,
    /// Files skipped: the store holds them as they are.
    pub unchanged: usize,
    pub documents: usize,
    pub removed_documents: usize,
    /// Documents that were in the store before and were written again.
    pub replaced_documents: usize,
    pub quads: usize,
    /// Inputs that could not be read, wholly or in part (each reported as met).
    pub problems: usize,
    /// Documents that got another id because theirs was taken (each reported).
    pub id_collisions: usize,
}

pub use crate::progress::{Progress, Quiet};

/// The name a file is recorded under (the path as given, without a leading `./`).
pub fn source_name(input: &InputRef) -> String {
    let name = input.display_name();
    name.strip_prefix("./").map(str::to_owned).unwrap_or(name)
}

/// One input of a batch, once read.
enum Read {
    /// Could not be read (reported).
    Failed,
    /// The store holds it as it is.
    Unchanged,
    Extracted { source: String, digest: String, extractions: Vec<Extraction> },
}

/// Reads, extracts and stores every input, with the default options.
pub fn ingest(pipeline: &Pipeline, store: &GraphStore, paths: &[PathBuf], progress: &dyn Progress) -> anyhow::Result<IngestReport> {
    ingest_with(pipeline, store, paths, IngestOptions::default(), progress)
}

/// Reads, extracts and stores every input. Input problems are reported
/// through `progress` as they are met and counted (the other files still go
/// in); store failures end the ingest.
pub fn ingest_with(pipeline: &Pipeline, store: &GraphStore, paths: &[PathBuf], options: IngestOptions, progress: &dyn Progress) -> anyhow::Result<IngestReport> {
    store.load_levels()?;
    let (inputs, errors) = collect_inputs(paths);
    let mut report = IngestReport { problems: errors.len(), ..Default::default() };
    for e in &errors {
        progress.problem(&e.path, &e.problem);
    }
    progress.start(inputs.len());
    for batch in batches(&inputs) {
        let read: Vec<Read> = batch.par_iter().map(|input| read_one(pipeline, store, input, options, progress)).collect();
        let mut extracted: Vec<(String, String, Vec<Extraction>)> = Vec::with_capacity(read.len());
        for r in read {
            match r {
                Read::Failed => report.problems += 1,
                Read::Unchanged => report.unchanged += 1,
                Read::Extracted { source, digest, extractions } => extracted.push((source, digest, extractions)),
            }
        }
        report.id_collisions += give_unique_ids(store, &mut extracted, progress)?;
        for group in load_groups(extracted) {
            let good: Vec<(String, Vec<DocumentQuads>)> = group
                .into_par_iter()
                .map(|(source, digest, extractions)| {
                    let quads = extractions.iter().map(|x| document_quads(x, Some(&digest))).collect();
                    (source, quads)
                })
                .collect();
            report.files += good.len();
            let counts = store.replace_sources(good)?;
            report.documents += counts.documents;
            report.removed_documents += counts.removed_documents;
            report.replaced_documents += counts.replaced_documents;
            report.quads += counts.quads;
        }
        for input in batch {
            progress.item_done(&source_name(input));
        }
    }
    // Entity descriptions can go stale only where documents were replaced.
    if report.removed_documents > 0 || report.replaced_documents > 0 {
        store.collect_garbage()?;
    }
    Ok(report)
}

/// Fails when none of `paths` exists, so that a mistyped path never leaves
/// an empty store behind.
pub fn ensure_some_input_exists(paths: &[PathBuf]) -> anyhow::Result<()> {
    let mut missing = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if path.as_os_str() != "-" => missing.push(format!("{}: {e}", crate::paths::path_name(path))),
            _ => return Ok(()),
        }
    }
    anyhow::bail!("nothing to ingest: {}", missing.join("; "))
}

/// The inputs cut into batches of at most [`BATCH_FILES`] files and, past
/// the first file, [`BATCH_BYTES`] bytes.
fn batches(inputs: &[InputRef]) -> Vec<&[InputRef]> {
    let size = |input: &InputRef| match input {
        InputRef::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        InputRef::Stdin => 0,
    };
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, input) in inputs.iter().enumerate() {
        let len = size(input);
        if i > start && (i - start == BATCH_FILES || bytes + len > BATCH_BYTES) {
            out.push(&inputs[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += len;
    }
    if start < inputs.len() {
        out.push(&inputs[start..]);
    }
    out
}

/// The batch's files in groups of about [`LOAD_QUADS`] quads, each written
/// by one bulk load.
fn load_groups(files: Vec<(String, String, Vec<Extraction>)>) -> Vec<Vec<(String, String, Vec<Extraction>)>> {
    // Roughly the quads of a document: a dozen per mention, citation and
    // relation, a few per sentence and entity (see graph::mapping).
    let quads = |x: &Extraction| 12 * (x.mentions.len() + x.citations.len() + x.relations.len()) + 5 * (x.sentences.len() + x.entities.len()) + 20;
    let mut groups: Vec<Vec<_>> = vec![Vec::new()];
    let mut in_group = 0;
    for file in files {
        let n: usize = file.2.iter().map(quads).sum();
        if in_group > 0 && in_group + n > LOAD_QUADS {
            groups.push(Vec::new());
            in_group = 0;
        }
        in_group += n;
        groups.last_mut().expect("a group").push(file);
    }
    groups
}

fn read_one(pipeline: &Pipeline, store: &GraphStore, input: &InputRef, options: IngestOptions, progress: &dyn Progress) -> Read {
    let source = source_name(input);
    let bytes = match pipeline.input_bytes(input) {
        Ok(bytes) => bytes,
        Err(e) => {
            progress.problem(&source, &e.problem);
            return Read::Failed;
        }
    };
    let digest = pipeline.source_digest(&bytes);
    if !options.force && store.source_digest(&source).ok().flatten().as_deref() == Some(digest.as_str()) {
        return Read::Unchanged;
    }
    match pipeline.extract_input(&source, &bytes) {
        Err(e) => {
            progress.problem(&source, &e.problem);
            Read::Failed
        }
        Ok(file) => {
            file.report(progress);
            // A file with problems still replaces what the store held from it.
            Read::Extracted { source, digest, extractions: file.extractions }
        }
    }
}

/// Gives every document of the batch an id no other document has, in the
/// batch or in the store; returns how many had to get another one. The
/// documents that keep the id their own file held in the store claim first,
/// so re-ingesting files never moves an id from one document to another.
fn give_unique_ids(store: &GraphStore, batch: &mut [(String, String, Vec<Extraction>)], progress: &dyn Progress) -> anyhow::Result<usize> {
    let batch_sources: HashSet<String> = batch.iter().map(|(source, _, _)| source.clone()).collect();
    // Held outside the batch: by a file this batch does not rewrite.
    let held_elsewhere = |id: &str| store.source_of_document(id).ok().flatten().filter(|s| !batch_sources.contains(s));
    let mut order: Vec<(bool, usize, usize)> = Vec::new();
    for (b, (source, _, extractions)) in batch.iter().enumerate() {
        for (d, x) in extractions.iter().enumerate() {
            let keeps_own = store.source_of_document(&x.meta.doc)?.as_ref() == Some(source);
            order.push((!keeps_own, b, d));
        }
    }
    order.sort();
    let mut ids = UniqueDocumentIds::default();
    let mut collisions = 0;
    for (_, b, d) in order {
        let (source, _, extractions) = &mut batch[b];
        let x = &mut extractions[d];
        let place = DocumentPlace { source: source.clone(), start: x.meta.spans.first().map_or(0, |s| s[0]) };
        if let Err(c) = ids.claim(&x.meta.doc, &place, held_elsewhere) {
            progress.note(source, &c.message(source, &x.meta.title));
            x.meta.doc = c.new_id;
            collisions += 1;
        }
    }
    Ok(collisions)
}
