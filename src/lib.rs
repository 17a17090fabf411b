//! diplograph: Chinese-language diplomatic texts to a knowledge graph.
//!
//! Data flows one way through these stages (see ARCHITECTURE.md):
//!
//! ```text
//! source    files → decoded, normalized text (offset-mapped)
//! document  text → documents with metadata
//! extract   documents → mentions, entities, citations, relations
//! graph     extraction → RDF in an oxigraph store; SPARQL; exports
//! analysis  store → petgraph networks, chains, Graphviz
//! serve     store → SPARQL 1.1 Protocol endpoint over HTTP
//! workbench store → pages for an analyst, served beside the endpoint
//! remote    store → graphs pushed to a remote triple store
//! ```
//!
//! `knowledge` (gazetteer, lexicon), `zh` (numerals, dates), `ids`, `model`,
//! `paths` (printable, lossless path names), `panics` (a panic costs one
//! input) and `progress` are shared leaves every stage may use.

pub mod analysis;
pub mod bench;
pub mod document;
pub mod eval;
pub mod extract;
pub mod graph;
pub mod ids;
pub mod ingest;
pub mod knowledge;
pub mod model;
pub mod panics;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod queries;
pub mod remote;
pub mod serve;
pub mod source;
pub mod timing;
pub mod workbench;
pub mod zh;

pub use pipeline::Pipeline;
