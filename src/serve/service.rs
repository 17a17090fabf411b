//! What a client can discover: the SPARQL 1.1 Service Description (GET on
//! the endpoint without a query) and the ready queries at `/queries`. The
//! page at `/` is the workbench's.

use oxigraph::io::RdfSerializer;
use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};

use super::{negotiate, Endpoint, HttpRequest, HttpResponse, Status};
use crate::graph::vocab::{self, DCTERMS, RDF, RDFS};
use crate::queries::ReadyQuery;

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
const VOID: &str = "http://rdfs.org/ns/void#";

/// `http://host:port` as the client addressed the server.
fn base_url(endpoint: &Endpoint, request: &HttpRequest) -> String {
    format!("http://{}", request.host.as_deref().unwrap_or(&endpoint.config.bind))
}

fn run_url(base: &str, query: &ReadyQuery) -> String {
    let encoded: String = form_urlencoded::Serializer::new(String::new()).append_pair("query", &query.text).finish();
    format!("{base}/sparql?{encoded}")
}

/// The service description, in the RDF format the client accepts.
pub fn description(endpoint: &Endpoint, request: &HttpRequest) -> HttpResponse {
    let Some(format) = negotiate::choose(request.accept.as_deref(), &negotiate::GRAPH_FORMATS, |f| f.media_type()) else {
        return HttpResponse::error(Status::NotAcceptable, "the service description is offered as Turtle, N-Triples, JSON-LD or RDF/XML");
    };
    let base = base_url(endpoint, request);
    let iri = |ns: &str, local: &str| vocab::iri(ns, local);
    let service = NamedNode::new_unchecked(format!("{base}/sparql"));
    let mut triples = vec![
        Triple::new(service.clone(), iri(RDF, "type"), iri(SD, "Service")),
        Triple::new(service.clone(), iri(SD, "endpoint"), service.clone()),
        Triple::new(service.clone(), iri(SD, "supportedLanguage"), iri(SD, "SPARQL11Query")),
        Triple::new(service.clone(), iri(SD, "feature"), iri(SD, "UnionDefaultGraph")),
        Triple::new(service.clone(), iri(DCTERMS, "title"), Literal::new_simple_literal("diplograph knowledge graph")),
        Triple::new(
            service.clone(),
            iri(RDFS, "comment"),
            Literal::new_simple_literal(format!(
                "The default graph is the union of all graphs. Ready queries: {base}/queries. Limits: {} s per query, \
                 {} solutions or triples per result, {} levels of nesting{}.",
                endpoint.config.timeout.as_secs_f64(),
                endpoint.config.max_results,
                crate::graph::sparql::MAX_NESTING,
                endpoint.max_memory_bytes().map(|bytes| format!(", {} MB of memory", bytes >> 20)).unwrap_or_default()
            )),
        ),
    ];
    if endpoint.config.allow_updates {
        triples.push(Triple::new(service.clone(), iri(SD, "supportedLanguage"), iri(SD, "SPARQL11Update")));
    }
    for f in negotiate::RESULT_FORMATS {
        triples.push(Triple::new(service.clone(), iri(SD, "resultFormat"), NamedNode::new_unchecked(f.iri())));
    }
    for f in negotiate::GRAPH_FORMATS {
        triples.push(Triple::new(service.clone(), iri(SD, "resultFormat"), NamedNode::new_unchecked(f.iri())));
    }
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    triples.push(Triple::new(service.clone(), iri(SD, "defaultDataset"), dataset.clone()));
    triples.push(Triple::new(dataset.clone(), iri(RDF, "type"), iri(SD, "Dataset")));
    triples.push(Triple::new(dataset, iri(SD, "defaultGraph"), default_graph.clone()));
    triples.push(Triple::new(default_graph.clone(), iri(RDF, "type"), iri(SD, "Graph")));
    if let Ok(n) = endpoint.triple_count() {
        triples.push(Triple::new(default_graph, iri(VOID, "triples"), Literal::from(n as i64)));
    }
    for q in &endpoint.ready_queries {
        let page = NamedNode::new_unchecked(format!("{base}/queries/{}", q.name));
        triples.push(Triple::new(service.clone(), iri(RDFS, "seeAlso"), page.clone()));
        triples.push(Triple::new(page.clone(), iri(DCTERMS, "identifier"), Literal::new_simple_literal(&q.name)));
        triples.push(Triple::new(page.clone(), iri(DCTERMS, "title"), Literal::new_simple_literal(&q.title)));
        triples.push(Triple::new(page, iri(DCTERMS, "format"), Literal::new_simple_literal("application/sparql-query")));
    }
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in [("sd", SD), ("void", VOID), ("dcterms", DCTERMS), ("rdfs", RDFS)] {
        serializer = serializer.with_prefix(prefix, ns).expect("valid prefix IRIs");
    }
    let mut writer = serializer.for_writer(Vec::new());
    for t in &triples {
        if let Err(e) = writer.serialize_triple(t) {
            return HttpResponse::error(Status::InternalServerError, e);
        }
    }
    match writer.finish() {
        Ok(body) => HttpResponse::new(Status::Ok, &super::with_charset(format.media_type()), body),
        Err(e) => HttpResponse::error(Status::InternalServerError, e),
    }
}

#[derive(serde::Serialize)]
struct QueryListing<'a> {
    endpoint: String,
    queries: Vec<QueryEntry<'a>>,
}

#[derive(serde::Serialize)]
struct QueryEntry<'a> {
    name: &'a str,
    title: &'a str,
    description: String,
    /// The query text, with its prefixes declared.
    url: String,
    /// GET this to run the query.
    run: String,
}

/// `/queries`: every ready query, as JSON.
pub fn list_queries(endpoint: &Endpoint, request: &HttpRequest) -> HttpResponse {
    let base = base_url(endpoint, request);
    let listing = QueryListing {
        endpoint: format!("{base}/sparql"),
        queries: endpoint
            .ready_queries
            .iter()
            .map(|q| QueryEntry {
                name: &q.name,
                title: &q.title,
                description: q.description(),
                url: format!("{base}/queries/{}", q.name),
                run: run_url(&base, q),
            })
            .collect(),
    };
    match serde_json::to_vec_pretty(&listing) {
        Ok(body) => HttpResponse::new(Status::Ok, "application/json", body),
        Err(e) => HttpResponse::error(Status::InternalServerError, e),
    }
}

/// `/queries/NAME`: the query's text with its prefixes declared, so that it
/// also runs on other SPARQL stores.
pub fn ready_query(endpoint: &Endpoint, name: &str) -> HttpResponse {
    let name = name.strip_suffix(".rq").unwrap_or(name);
    match endpoint.ready_queries.iter().find(|q| q.name == name) {
        Some(q) => HttpResponse::new(Status::Ok, "application/sparql-query; charset=utf-8", vocab::sparql_prologue() + &q.text),
        None => HttpResponse::error(Status::NotFound, format!("no ready query named {name:?}; see /queries")),
    }
}
