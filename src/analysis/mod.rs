//! Stage 5 — analysis of the graph in the store: the relation network
//! (petgraph), its centralities and communities, paths between entities, the
//! treaty-reference chain, and Graphviz views. Reads the store only through
//! SPARQL (`graph::sparql`); never a second copy of the extraction.

pub mod centrality;
pub mod chain;
pub mod communities;
pub mod dot;
pub mod export;
pub mod measures;
pub mod network;
pub mod path;
pub mod suggest;
pub mod timeline;

pub use chain::{chain, CitationGraph, CitationScope};
pub use measures::{analyze, write_back, Analysis, Measures};
pub use network::{Network, NetworkFilter, Years};
pub use timeline::{timeline, Timeline};
