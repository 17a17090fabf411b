//! Stage 4 — extraction to RDF in an oxigraph store; SPARQL; exports.
//!
//! Depends on `extract` (its output), `model`, `ids`. The mapping is the only
//! place that knows how the extraction model becomes triples; the store the
//! only place that writes to oxigraph.

pub mod mapping;
pub mod read;
pub mod sparql;
pub mod store;
pub mod vocab;

pub use mapping::{document_quads, DocumentQuads};
pub use store::{GraphStore, IngestCounts, Stats};
