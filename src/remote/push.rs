//! Pushing the store to a remote triple store with the SPARQL 1.1 Graph
//! Store HTTP Protocol: every named graph is replaced (PUT, then POST for the
//! further batches of a large graph), and graphs in diplograph's namespace
//! that the local store no longer has are deleted, so the remote ends up
//! holding exactly what the local store holds, however often it is pushed.

use std::collections::BTreeSet;
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput};

use super::client::{check_url, redact, RemoteClient};
use crate::graph::vocab::{entities_graph, ID};
use crate::graph::GraphStore;
use crate::progress::Progress;

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// The remote SPARQL query endpoint: lists and counts the remote graphs.
    pub endpoint: String,
    /// The Graph Store Protocol service that receives the graphs.
    pub graph_store: String,
    /// Triples per request; a larger graph is sent in several.
    pub batch_triples: usize,
    /// Delete remote graphs in diplograph's namespace that the store lacks.
    pub prune: bool,
}

/// What a push did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PushReport {
    pub graphs: usize,
    pub triples: usize,
    pub bytes: usize,
    pub requests: usize,
    pub retries: usize,
    pub pruned: usize,
    /// Triples in diplograph's graphs on the remote after the push, when its
    /// endpoint answered the count.
    pub remote_triples: Option<usize>,
    pub seconds: f64,
}

/// Pushes every named graph of `store` to the remote store.
pub fn push(store: &GraphStore, client: &RemoteClient, config: &PushConfig, progress: &dyn Progress) -> anyhow::Result<PushReport> {
    check_url(&config.endpoint)?;
    check_url(&config.graph_store)?;
    let started = Instant::now();
    let mut report = PushReport::default();
    let inner = store.inner();
    let graphs: Vec<NamedOrBlankNode> = inner.named_graphs().collect::<Result<_, _>>()?;
    // Listed first, so that a wrong endpoint fails before anything is sent.
    let remote_before = if config.prune { remote_graphs(client, &config.endpoint)? } else { BTreeSet::new() };
    client.authenticate(&graph_url(&config.graph_store, entities_graph().as_str()))?;
    progress.start(graphs.len());
    let mut local = BTreeSet::new();
    for graph in &graphs {
        let NamedOrBlankNode::NamedNode(name) = graph else { continue };
        local.insert(name.as_str().to_owned());
        let mut batch = Vec::with_capacity(config.batch_triples.min(1 << 16));
        let mut first = true;
        let mut triples = 0;
        for quad in inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(name.as_ref()))) {
            batch.push(quad?);
            if batch.len() >= config.batch_triples.max(1) {
                report.bytes += send_batch(client, config, name.as_str(), &batch, first)?;
                report.requests += 1;
                triples += batch.len();
                batch.clear();
                first = false;
            }
        }
        if first || !batch.is_empty() {
            report.bytes += send_batch(client, config, name.as_str(), &batch, first)?;
            report.requests += 1;
            triples += batch.len();
        }
        report.graphs += 1;
        report.triples += triples;
        progress.item_done(name.as_str());
    }
    if config.prune {
        for stale in remote_before.difference(&local) {
            client.send("DELETE", &graph_url(&config.graph_store, stale), &[], &[], &[404])?;
            report.requests += 1;
            report.pruned += 1;
        }
    }
    report.remote_triples = remote_triple_count(client, &config.endpoint).ok();
    report.retries = client.retries();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Sends one batch of a graph: the first replaces the graph, later ones add to it.
fn send_batch(client: &RemoteClient, config: &PushConfig, graph: &str, quads: &[oxigraph::model::Quad], first: bool) -> anyhow::Result<usize> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for q in quads {
        writer.serialize_triple(oxigraph::model::TripleRef::new(&q.subject, &q.predicate, &q.object))?;
    }
    let body = writer.finish()?;
    let method = if first { "PUT" } else { "POST" };
    client.send(method, &graph_url(&config.graph_store, graph), &[("Content-Type", "application/n-triples")], &body, &[])?;
    Ok(body.len())
}

/// The Graph Store Protocol URL of one graph (`?graph=` indirect identification).
pub fn graph_url(service: &str, graph: &str) -> String {
    let separator = if service.contains('?') { '&' } else { '?' };
    let encoded: String = form_urlencoded::Serializer::new(String::new()).append_pair("graph", graph).finish();
    format!("{service}{separator}{encoded}")
}

/// Runs a SELECT on the remote endpoint and returns the terms of `var`.
fn remote_select(client: &RemoteClient, endpoint: &str, query: &str, var: &str) -> Result<Vec<Term>, anyhow::Error> {
    let encoded: String = form_urlencoded::Serializer::new(String::new()).append_pair("query", query).finish();
    let reply = client.send(
        "POST",
        endpoint,
        &[("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/sparql-results+json")],
        encoded.as_bytes(),
        &[],
    )?;
    let parser = QueryResultsParser::from_format(QueryResultsFormat::Json).for_reader(reply.body.as_bytes());
    let ReaderQueryResultsParserOutput::Solutions(solutions) = parser.map_err(|e| bad_results(endpoint, e))? else {
        anyhow::bail!("{}: expected solutions from a SELECT", redact(endpoint));
    };
    let mut out = Vec::new();
    for s in solutions {
        if let Some(t) = s.map_err(|e| bad_results(endpoint, e))?.get(var) {
            out.push(t.clone());
        }
    }
    Ok(out)
}

fn bad_results(endpoint: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{}: the endpoint's answer is not SPARQL JSON results: {e}", redact(endpoint))
}

/// A pattern matching every triple of the remote graphs in diplograph's namespace.
fn triples_in_our_graphs() -> String {
    format!("GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{ID}\"))")
}

/// The remote graphs in diplograph's namespace.
pub fn remote_graphs(client: &RemoteClient, endpoint: &str) -> anyhow::Result<BTreeSet<String>> {
    let query = format!("SELECT DISTINCT ?g WHERE {{ {} }}", triples_in_our_graphs());
    Ok(remote_select(client, endpoint, &query, "g")?
        .into_iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n.into_string()),
            _ => None,
        })
        .collect())
}

/// Triples in the remote graphs of diplograph's namespace.
pub fn remote_triple_count(client: &RemoteClient, endpoint: &str) -> anyhow::Result<usize> {
    let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {} }}", triples_in_our_graphs());
    match remote_select(client, endpoint, &query, "n")?.first() {
        Some(Term::Literal(l)) => Ok(l.value().parse()?),
        _ => anyhow::bail!("{}: the count query returned no number", redact(endpoint)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_urls_encode_the_graph_iri() {
        assert_eq!(
            graph_url("http://h/ds/data", "https://w3id.org/diplograph/id/doc/a#b"),
            "http://h/ds/data?graph=https%3A%2F%2Fw3id.org%2Fdiplograph%2Fid%2Fdoc%2Fa%23b"
        );
        assert_eq!(graph_url("http://h/x?db=1", "http://g"), "http://h/x?db=1&graph=http%3A%2F%2Fg");
    }
}
