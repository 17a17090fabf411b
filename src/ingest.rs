//! Ingest: inputs through every stage into the store, a file at a time.
//!
//! Files are read and extracted in parallel batches (rayon); each batch is
//! written with oxigraph's bulk loader and committed atomically, so memory
//! stays bounded by the batch and a crash leaves every file wholly in or
//! wholly out.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::graph::{document_quads, DocumentQuads, GraphStore};
use crate::pipeline::Pipeline;
use crate::source::{collect_inputs, InputError, InputRef};

/// Files extracted in parallel, then bulk-loaded in one commit. Larger
/// batches mean fewer, larger bulk loads (RocksDB ingests fewer files);
/// memory grows with the batch (about 1 MB per file of statements).
const BATCH: usize = 256;

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub files: usize,
    pub documents: usize,
    pub removed_documents: usize,
    /// Documents that were in the store before and were written again.
    pub replaced_documents: usize,
    pub quads: usize,
    pub errors: Vec<InputError>,
    /// Files read with repairs: (file, what was repaired).
    pub warnings: Vec<(String, String)>,
}

pub use crate::progress::{Progress, Quiet};

/// The name a file is recorded under (the path as given, without a leading `./`).
pub fn source_name(input: &InputRef) -> String {
    let name = input.display_name();
    name.strip_prefix("./").map(str::to_owned).unwrap_or(name)
}

/// Reads, extracts and stores every input. Input problems are collected in
/// the report (the other files still go in); store failures end the ingest.
pub fn ingest(pipeline: &Pipeline, store: &GraphStore, paths: &[PathBuf], progress: &dyn Progress) -> anyhow::Result<IngestReport> {
    let (inputs, errors) = collect_inputs(paths);
    let mut report = IngestReport { errors, ..Default::default() };
    progress.start(inputs.len());
    for batch in inputs.chunks(BATCH) {
        #[allow(clippy::type_complexity)]
        let extracted: Vec<(String, Result<(Vec<DocumentQuads>, Vec<String>), InputError>)> = batch
            .par_iter()
            .map(|input| {
                let name = source_name(input);
                let result = pipeline.read(input).map(|file| {
                    let docs = file
                        .documents
                        .iter()
                        .map(|d| {
                            let mut x = pipeline.extract(d);
                            x.meta.source = name.clone();
                            document_quads(&x)
                        })
                        .collect();
                    (docs, file.source.warnings)
                });
                (name, result)
            })
            .collect();
        let mut good: Vec<(String, Vec<DocumentQuads>)> = Vec::with_capacity(extracted.len());
        for (name, result) in extracted {
            match result {
                Ok((docs, warnings)) => {
                    report.warnings.extend(warnings.into_iter().map(|w| (name.clone(), w)));
                    good.push((name, docs));
                }
                Err(e) => report.errors.push(e),
            }
        }
        let counts = store.replace_sources(&good)?;
        report.files += good.len();
        report.documents += counts.documents;
        report.removed_documents += counts.removed_documents;
        report.replaced_documents += counts.replaced_documents;
        report.quads += counts.quads;
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
