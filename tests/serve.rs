//! `diplograph serve`, queried by curl as an independent client (and by
//! Python's SPARQLWrapper where installed): the SPARQL 1.1 Protocol's request
//! forms, every result format, errors, limits, CORS and discovery.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{bin, curl, ingested_store, require_python_module, require_tool, Server};
use diplograph::graph::{sparql, GraphStore};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use oxigraph::sparql::{QueryResults, QuerySolution};

const TYPES_QUERY: &str = "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?type } } GROUP BY ?type ORDER BY ?type";

/// The corpus ingested into a temporary store, and `diplograph serve` on it
/// with `extra` options; `None` (the test skips) where curl is missing.
fn served_corpus(extra: &[&str]) -> Option<(tempfile::TempDir, PathBuf, Server)> {
    if !require_tool("curl") {
        return None;
    }
    let (dir, store) = ingested_store();
    let server = Server::start(&store, extra);
    Some((dir, store, server))
}

type Rows = BTreeSet<Vec<(String, String)>>;

/// Solutions as a set of rows of (variable, term).
fn rows<E: std::fmt::Debug>(solutions: impl Iterator<Item = Result<QuerySolution, E>>) -> Rows {
    solutions
        .map(|s| s.unwrap().iter().map(|(v, t)| (v.as_str().to_owned(), t.to_string())).collect())
        .collect()
}

/// The solutions of a query run on the store directly.
fn local_rows(store: &Path, query: &str) -> Rows {
    let store = GraphStore::open_read_only(store).unwrap();
    let QueryResults::Solutions(solutions) = sparql::run(store.inner(), query).unwrap() else { panic!("SELECT") };
    rows(solutions)
}

/// The solutions parsed from a results document in `format`.
fn parsed_rows(format: QueryResultsFormat, body: &[u8]) -> Rows {
    let SliceQueryResultsParserOutput::Solutions(solutions) = QueryResultsParser::from_format(format).for_slice(body).unwrap() else {
        panic!("solutions expected")
    };
    rows(solutions)
}

#[test]
fn every_results_format_carries_the_same_solutions_as_the_store() {
    let Some((_dir, store, server)) = served_corpus(&[]) else { return };
    let expected = local_rows(&store, TYPES_QUERY);
    assert!(expected.len() >= 7, "entity types, documents, mentions…: {expected:?}");
    for (accept, format) in [
        ("application/sparql-results+json", QueryResultsFormat::Json),
        ("application/sparql-results+xml", QueryResultsFormat::Xml),
        ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ] {
        // GET with ?query=, as the protocol's first form.
        let reply = curl(&["-G", "-H", &format!("Accept: {accept}"), "--data-urlencode", &format!("query={TYPES_QUERY}"), &server.endpoint]);
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        assert!(reply.header("content-type").unwrap().starts_with(accept), "{accept}");
        assert_eq!(parsed_rows(format, &reply.body), expected, "{accept}");
    }
    // CSV has no typed parser in oxigraph: compare the plain values of each row.
    let reply = curl(&["-H", "Accept: text/csv", "-H", "Content-Type: application/sparql-query", "--data-binary", TYPES_QUERY, &server.endpoint]);
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().starts_with("text/csv"));
    let text = reply.text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("type,n"));
    let csv_rows: BTreeSet<String> = lines.map(str::to_owned).collect();
    let expected_csv: BTreeSet<String> = expected
        .iter()
        .map(|row| row.iter().map(|(_, t)| t.trim_matches(|c| c == '<' || c == '>').split("^^").next().unwrap().trim_matches('"').to_owned()).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(csv_rows, expected_csv);
    // A POSTed form, and a format parameter instead of Accept.
    let reply = curl(&["--data-urlencode", &format!("query={TYPES_QUERY}"), "--data-urlencode", "format=json", &server.endpoint]);
    assert_eq!(reply.status, 200);
    assert_eq!(parsed_rows(QueryResultsFormat::Json, &reply.body), expected);
    // ASK in JSON.
    let reply = curl(&["-G", "--data-urlencode", "query=ASK { GRAPH ?g { ?s a dg:Document } }", &server.endpoint]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&reply.body).unwrap()["boolean"], true);
}

/// `default-graph-uri` makes the named graphs given the default graph.
#[test]
fn the_protocol_dataset_replaces_the_union_default_graph() {
    let Some((_dir, store, server)) = served_corpus(&[]) else { return };
    let entities = "https://w3id.org/diplograph/id/graph/entities";
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let in_entities = local_rows(&store, &format!("SELECT ?s ?p ?o WHERE {{ GRAPH <{entities}> {{ ?s ?p ?o }} }}")).len();
    let all = GraphStore::open_read_only(&store).unwrap().len().unwrap();
    assert!(in_entities > 0 && in_entities < all);
    for (extra, expected) in [(None, all), (Some(format!("default-graph-uri={entities}")), in_entities)] {
        let mut args = vec!["-G".to_owned(), "-H".into(), "Accept: text/csv".into(), "--data-urlencode".into(), format!("query={count}")];
        if let Some(e) = extra {
            args.extend(["--data-urlencode".to_owned(), e]);
        }
        args.push(server.endpoint.clone());
        let reply = curl(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(reply.text().lines().nth(1), Some(expected.to_string().as_str()), "{args:?}");
    }
}

#[test]
fn construct_results_come_as_turtle_n_triples_and_json_ld() {
    let Some((_dir, store, server)) = served_corpus(&[]) else { return };
    let construct = "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { GRAPH <https://w3id.org/diplograph/id/graph/entities> { ?e skos:prefLabel ?l } }";
    let count = local_rows(&store, "SELECT DISTINCT ?e ?l WHERE { GRAPH <https://w3id.org/diplograph/id/graph/entities> { ?e skos:prefLabel ?l } }").len();
    assert!(count > 100, "entity labels: {count}");
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/ld+json", RdfFormat::JsonLd { profile: Default::default() }),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let reply = curl(&["-G", "-H", &format!("Accept: {accept}"), "--data-urlencode", &format!("query={construct}"), &server.endpoint]);
        assert_eq!(reply.status, 200, "{accept}: {}", reply.text());
        assert!(reply.header("content-type").unwrap().starts_with(accept), "{accept}");
        let triples: Vec<_> = RdfParser::from_format(format).for_slice(&reply.body).collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{accept}: {e}"));
        assert_eq!(triples.len(), count, "{accept}");
    }
    // A graph cannot be sent as CSV: 406, naming what is offered.
    let reply = curl(&["-G", "-H", "Accept: text/csv", "--data-urlencode", &format!("query={construct}"), &server.endpoint]);
    assert_eq!(reply.status, 406);
    assert!(reply.text().contains("text/turtle"), "{}", reply.text());
}

#[test]
fn a_malformed_query_gets_400_with_the_parsers_message() {
    let Some((_dir, _store, server)) = served_corpus(&[]) else { return };
    let bad = "SELECT ?x WHERE { ?x a }";
    let parser_message = {
        let store = GraphStore::in_memory().unwrap();
        sparql::run(store.inner(), bad).err().expect("the query is malformed").to_string()
    };
    for args in [
        vec!["-G", "--data-urlencode", "query=SELECT ?x WHERE { ?x a }"],
        vec!["-H", "Content-Type: application/sparql-query", "--data-binary", bad],
    ] {
        let reply = curl(&[args.as_slice(), &[server.endpoint.as_str()]].concat());
        assert_eq!(reply.status, 400);
        assert_eq!(reply.text().trim(), parser_message);
        assert!(parser_message.contains("1:"), "the message gives the position: {parser_message}");
    }
    // A POST with a body of an unknown type is refused by type.
    let reply = curl(&["-H", "Content-Type: text/plain", "--data-binary", "SELECT * {}", &server.endpoint]);
    assert_eq!(reply.status, 415);
    // And the server answers on.
    assert_eq!(curl(&["-G", "--data-urlencode", "query=ASK {}", &server.endpoint]).status, 200);
}

#[test]
fn updates_are_refused_unless_enabled() {
    if !require_tool("curl") {
        return;
    }
    let (_dir, store) = ingested_store();
    let insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> \"c\" } }";
    let ask = "ASK { GRAPH <http://example.org/g> { ?s ?p \"c\" } }";
    {
        let server = Server::start(&store, &[]);
        for args in [
            vec!["-H", "Content-Type: application/sparql-update", "--data-binary", insert],
            vec!["--data-urlencode", &format!("update={insert}")],
        ] {
            let reply = curl(&[args.as_slice(), &[server.endpoint.as_str()]].concat());
            assert_eq!(reply.status, 403, "{}", reply.text());
            assert!(reply.text().contains("--allow-updates"));
        }
        let reply = curl(&["-G", "--data-urlencode", &format!("query={ask}"), &server.endpoint]);
        assert!(reply.text().contains("false"), "nothing was written: {}", reply.text());
    }
    let server = Server::start(&store, &["--allow-updates"]);
    let reply = curl(&["-H", "Content-Type: application/sparql-update", "--data-binary", insert, &server.endpoint]);
    assert_eq!(reply.status, 204, "{}", reply.text());
    let reply = curl(&["-G", "--data-urlencode", &format!("query={ask}"), &server.endpoint]);
    assert!(reply.text().contains("true"), "{}", reply.text());
}

/// A query that would run for hours is cut off at the timeout with 503, and
/// the server goes on answering.
#[test]
fn a_query_over_the_timeout_is_cut_off_and_the_server_answers_on() {
    let Some((_dir, _store, server)) = served_corpus(&["--timeout", "1"]) else { return };
    let endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let reply = curl(&["-G", "--data-urlencode", &format!("query={endless}"), &server.endpoint]);
    let took = started.elapsed();
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.text().contains("timeout"), "{}", reply.text());
    assert!(took.as_secs_f64() < 5.0, "answered after {took:?}");
    let reply = curl(&["-G", "--data-urlencode", "query=ASK { GRAPH ?g { ?s a dg:Document } }", &server.endpoint]);
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("true"));
}

#[test]
fn a_result_over_the_size_limit_gets_422() {
    let Some((_dir, _store, server)) = served_corpus(&["--max-results", "50"]) else { return };
    let reply = curl(&["-G", "--data-urlencode", "query=SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", &server.endpoint]);
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("50") && reply.text().contains("LIMIT"), "{}", reply.text());
    let reply = curl(&["-G", "--data-urlencode", "query=SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 50", &server.endpoint]);
    assert_eq!(reply.status, 200);
}

#[test]
fn browsers_on_other_origins_may_query() {
    let Some((_dir, _store, server)) = served_corpus(&[]) else { return };
    let preflight = curl(&[
        "-X",
        "OPTIONS",
        "-H",
        "Origin: https://yasgui.example",
        "-H",
        "Access-Control-Request-Method: POST",
        "-H",
        "Access-Control-Request-Headers: content-type",
        &server.endpoint,
    ]);
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    // POST and GET need no Access-Control-Allow-Methods; a SPARQL body's Content-Type needs allowing.
    assert!(preflight.header("access-control-allow-headers").unwrap().to_ascii_lowercase().contains("content-type"));
    let reply = curl(&["-G", "-H", "Origin: https://yasgui.example", "--data-urlencode", "query=ASK {}", &server.endpoint]);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn the_service_description_and_ready_queries_can_be_discovered_and_run() {
    let Some((_dir, store, server)) = served_corpus(&[]) else { return };
    // GET on the endpoint without a query: the SPARQL 1.1 Service Description.
    let reply = curl(&["-H", "Accept: text/turtle", &server.endpoint]);
    assert_eq!(reply.status, 200);
    let description: Vec<_> = RdfParser::from_format(RdfFormat::Turtle).for_slice(&reply.body).collect::<Result<_, _>>().unwrap();
    let endpoint_triple = description.iter().find(|t| t.predicate.as_str() == "http://www.w3.org/ns/sparql-service-description#endpoint").unwrap();
    assert_eq!(endpoint_triple.object.to_string(), format!("<{}>", server.endpoint));
    let triples = GraphStore::open_read_only(&store).unwrap().len().unwrap();
    for _ in 0..2 {
        // Counted once, then remembered: the read-only store cannot change.
        let reply = curl(&["-H", "Accept: application/n-triples", &server.endpoint]);
        let description: Vec<_> = RdfParser::from_format(RdfFormat::NTriples).for_slice(&reply.body).collect::<Result<_, _>>().unwrap();
        let count = description.iter().find(|t| t.predicate.as_str() == "http://rdfs.org/ns/void#triples").unwrap();
        assert_eq!(count.object.to_string(), format!("\"{triples}\"^^<http://www.w3.org/2001/XMLSchema#integer>"));
    }
    // The ready queries: the listing names every one, and each runs.
    let listing = curl(&[&format!("{}/queries", server.base())]);
    let listing: serde_json::Value = serde_json::from_slice(&listing.body).unwrap();
    let listed: Vec<&str> = listing["queries"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    let ours: Vec<String> = std::fs::read_dir(common::root().join("queries"))
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    for name in &ours {
        assert!(listed.contains(&name.as_str()), "{name} is listed");
    }
    for q in listing["queries"].as_array().unwrap() {
        let text = curl(&[q["url"].as_str().unwrap()]);
        assert_eq!(text.status, 200);
        assert!(text.text().starts_with("PREFIX "), "the text declares its prefixes");
        let run = curl(&["-H", "Content-Type: application/sparql-query", "-H", "Accept: text/csv", "--data-binary", &text.text(), &server.endpoint]);
        assert_eq!(run.status, 200, "{}: {}", q["name"], run.text());
        let by_link = curl(&["-H", "Accept: text/csv", q["run"].as_str().unwrap()]);
        assert_eq!(by_link.body, run.body, "{}", q["name"]);
    }
    assert_eq!(curl(&[&format!("{}/queries/no-such-query", server.base())]).status, 404);
    assert_eq!(curl(&[&format!("{}/nowhere", server.base())]).status, 404);
}

/// Python's SPARQLWrapper, the client many analysts use, reads JSON results
/// and a CONSTRUCT from the endpoint.
#[test]
fn sparqlwrapper_reads_results_and_graphs() {
    if !require_python_module("SPARQLWrapper") {
        return;
    }
    let (_dir, store) = ingested_store();
    let documents = local_rows(&store, "SELECT ?d WHERE { GRAPH ?d { ?d a dg:Document } }").len();
    let server = Server::start(&store, &[]);
    let script = r#"
import sys
from SPARQLWrapper import SPARQLWrapper, JSON, TURTLE
s = SPARQLWrapper(sys.argv[1])
s.setQuery("PREFIX dg: <https://w3id.org/diplograph/ontology#> SELECT ?d WHERE { GRAPH ?d { ?d a dg:Document } }")
s.setReturnFormat(JSON)
print(len(s.query().convert()["results"]["bindings"]))
s.setQuery("CONSTRUCT { ?d a ?t } WHERE { GRAPH ?d { ?d a ?t } }")
s.setReturnFormat(TURTLE)
print(b"@prefix" in s.query().convert() or b"<https://w3id.org/diplograph/" in s.query().convert())
"#;
    let out = Command::new("python3").args(["-c", script, &server.endpoint]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().collect::<Vec<_>>(), vec![documents.to_string().as_str(), "True"]);
}

/// A bounded load: 1,000 queries from 16 concurrent clients, no errors.
#[test]
fn the_endpoint_answers_a_thousand_concurrent_queries_without_error() {
    let (_dir, store) = ingested_store();
    let server = Server::start(&store, &[]);
    let out = Command::new(bin())
        .args(["bench", "load", "--endpoint", &server.endpoint, "--queries", "1000", "--concurrency", "16", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["queries"], 1000);
    assert_eq!(report["errors"], 0, "{report}");
    assert!(report["p99_ms"].as_f64().unwrap() >= report["p50_ms"].as_f64().unwrap());
}
