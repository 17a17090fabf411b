//! `diplograph serve`, queried by curl as an independent client (and by
//! Python's SPARQLWrapper where installed): the SPARQL 1.1 Protocol's request
//! forms, every result format, errors, limits, CORS and discovery.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{bin, curl, ingested_store, require_python_module, require_tool, CurlReply, Server};
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

// Hostile queries and clients: each test runs them against a real server
// and then checks that it still answers a normal query.

const NORMAL_QUERY: &str = "ASK { GRAPH ?g { ?s a dg:Document } }";

fn answers_normally(server: &Server) {
    let reply = curl(&["-G", "--data-urlencode", &format!("query={NORMAL_QUERY}"), &server.endpoint]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.text().contains("true"));
}

fn post_query(server: &Server, query: &str) -> CurlReply {
    curl(&["-H", "Content-Type: application/sparql-query", "--data-binary", query, &server.endpoint])
}

/// Before the nesting limit, 4,000 nested groups or a chain of 4,000 UNIONs
/// overflowed the stack and aborted the server.
#[test]
fn a_query_nested_past_the_limit_gets_400_and_the_server_answers_on() {
    let Some((dir, _store, server)) = served_corpus(&[]) else { return };
    for deep in [
        format!("SELECT * WHERE {}{}", "{".repeat(4000), "}".repeat(4000)),
        format!("SELECT * WHERE {{ {{}} {} }}", "UNION {} ".repeat(4000)),
        format!("SELECT (1{} AS ?n) WHERE {{}}", "+1".repeat(4000)),
        format!("SELECT * WHERE {{ ?s ?p ?o {} }}", "OPTIONAL { ?s ?p ?o } ".repeat(4000)),
    ] {
        let reply = post_query(&server, &deep);
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert!(reply.text().contains(&format!("over the limit of {}", sparql::MAX_NESTING)), "{}", reply.text());
    }
    // Brackets after a `<` that could open an IRI are not counted before
    // parsing; nested 100,000 deep they exhaust even the evaluation's stack,
    // which ends the worker parsing them, not the server.
    let crafted = dir.path().join("crafted.rq");
    std::fs::write(&crafted, format!("ASK {{ FILTER(?a<{}?b>?c{}) }}", "(".repeat(100_000), ")".repeat(100_000))).unwrap();
    let reply = curl(&["-H", "Content-Type: application/sparql-query", "--data-binary", &format!("@{}", crafted.display()), &server.endpoint]);
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.text().contains("nests too deeply"), "{}", reply.text());
    let within = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {{}} {} }}", "UNION {} ".repeat(200));
    assert_eq!(post_query(&server, &within).status, 200);
    answers_normally(&server);
}

/// CPU seconds used so far by a process and its children, from /proc (Linux
/// counts them in hundredths of a second).
fn cpu_seconds(pid: u32) -> f64 {
    let pid = pid.to_string();
    let mut ticks = 0u64;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // After "pid (name) ": state, ppid, … utime (12th), stime (13th).
        let Some((_, rest)) = stat.rsplit_once(") ") else { continue };
        let fields: Vec<&str> = rest.split(' ').collect();
        let ours = entry.file_name().to_str() == Some(pid.as_str()) || fields.get(1) == Some(&pid.as_str());
        if ours && fields.len() > 12 {
            ticks += fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
        }
    }
    ticks as f64 / 100.0
}

/// Before queries ran in worker processes, a query past its deadline got its
/// 503 but went on evaluating in the server: a cartesian product at full
/// speed, a property path query growing its memory.
#[test]
fn a_query_past_its_deadline_stops_evaluating_within_a_second() {
    let Some((_dir, _store, server)) = served_corpus(&["--timeout", "2"]) else { return };
    for runaway in [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://x>|!<http://y>)* ?o }",
    ] {
        let started = Instant::now();
        let reply = curl(&["-G", "--data-urlencode", &format!("query={runaway}"), &server.endpoint]);
        let answered = started.elapsed();
        assert_eq!(reply.status, 503, "{}", reply.text());
        assert!(reply.text().contains("timeout"), "{}", reply.text());
        assert!(answered < Duration::from_secs(3), "answered after {answered:?}");
        // Nothing evaluates it any more: the server and its workers sit idle.
        std::thread::sleep(Duration::from_millis(300));
        let before = cpu_seconds(server.pid());
        std::thread::sleep(Duration::from_secs(1));
        let used = cpu_seconds(server.pid()) - before;
        assert!(used < 0.2, "{used:.2} CPU seconds in the second after the deadline of {runaway}");
        answers_normally(&server);
    }
}

/// Before the memory limit, a query doubling a string thirty times aborted
/// the server on a failed allocation.
#[test]
fn a_query_over_the_memory_limit_gets_503_and_the_server_answers_on() {
    let Some((_dir, _store, server)) = served_corpus(&["--max-memory", "300"]) else { return };
    let doublings: String = (1..=30).map(|i| format!("BIND(CONCAT(?s{0}, ?s{0}) AS ?s{i}) ", i - 1)).collect();
    let hungry = format!("SELECT (STRLEN(?s30) AS ?n) WHERE {{ BIND(\"0123456789abcdef\" AS ?s0) {doublings}}}");
    let started = Instant::now();
    let reply = post_query(&server, &hungry);
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.text().contains("--max-memory") && reply.text().contains("300 MB"), "{}", reply.text());
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    answers_normally(&server);
}

/// Before runaway evaluations were killed, four concurrent cartesian
/// products left the server answering every later query with 503 "busy".
#[test]
fn concurrent_runaway_queries_free_their_workers_at_the_deadline() {
    let Some((_dir, _store, server)) = served_corpus(&["--timeout", "2"]) else { return };
    let product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let clients = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8) * 2;
    let started = Instant::now();
    let runaways: Vec<_> = (0..clients)
        .map(|_| {
            Command::new("curl")
                .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60", "-G", "--data-urlencode"])
                .arg(format!("query={product}"))
                .arg(&server.endpoint)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for runaway in runaways {
        let out = runaway.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "503");
    }
    assert!(started.elapsed() < Duration::from_secs(4), "the last 503 came after {:?}", started.elapsed());
    let started = Instant::now();
    answers_normally(&server);
    assert!(started.elapsed() < Duration::from_secs(1), "a normal query took {:?}", started.elapsed());
}

/// A new client's query, with its own short timeout: the status and how long it took.
fn probe(server: &Server) -> (String, Duration) {
    let started = Instant::now();
    let out = Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "-G", "--data-urlencode"])
        .arg(format!("query={NORMAL_QUERY}"))
        .arg(&server.endpoint)
        .output()
        .unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), started.elapsed())
}

/// Reads one response off a raw connection (the server may not answer
/// before the read timeout; then whatever came).
fn read_response(mut stream: &TcpStream) {
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut received = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        let text = String::from_utf8_lossy(&received);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(str::to_owned));
            if length.and_then(|l| l.trim().parse::<usize>().ok()).is_some_and(|l| body.len() >= l) {
                return;
            }
        }
        match std::io::Read::read(&mut stream, &mut chunk) {
            Ok(n) if n > 0 => received.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    }
}

/// Whether the server still holds a connection open (it has neither closed
/// it nor sent anything).
fn held(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let open = matches!(stream.peek(&mut [0]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    open
}

/// Whether the server closed a connection within `within`, after sending anything.
fn closed_within(mut stream: &TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut sink = [0; 1024];
    loop {
        match std::io::Read::read(&mut stream, &mut sink) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => return e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
}

/// Before connections were timed out and capped, 200 idle keep-alive
/// connections made a new client wait 56 s, and 130 connections sending
/// their headers a byte at a time made new clients time out.
#[test]
fn idle_and_slow_connections_cannot_keep_a_new_client_waiting() {
    let Some((_dir, store, server)) = served_corpus(&[]) else { return };
    let address = server.base().trim_start_matches("http://").to_owned();
    let request = format!("GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect();
    for stream in &idle {
        // The answer to the first request; the connection stays open, idle.
        read_response(stream);
    }
    let slow: Vec<TcpStream> = (0..130).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let trickling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let trickler = {
        let (slow, trickling, request) = (slow.iter().map(|s| s.try_clone().unwrap()).collect::<Vec<_>>(), trickling.clone(), request.clone());
        std::thread::spawn(move || {
            for byte in request.bytes().cycle() {
                for mut stream in &slow {
                    let _ = stream.write_all(&[byte]);
                }
                std::thread::sleep(Duration::from_millis(500));
                if !trickling.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
            }
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..3 {
        let (status, took) = probe(&server);
        assert_eq!(status, "200");
        assert!(took < Duration::from_secs(1), "a new client waited {took:?}");
    }
    let held_idle = idle.iter().filter(|s| held(s)).count();
    let held_slow = slow.iter().filter(|s| held(s)).count();
    assert_eq!((held_idle, held_slow), (200, 130), "the hostile connections were still open during the probes");
    // Then the server lets go of them: idle ones after the idle timeout (5 s),
    // slow ones (with a 408) after the request timeout (10 s).
    assert!(idle.iter().all(|s| closed_within(s, Duration::from_secs(6))), "idle connections are closed");
    assert!(slow.iter().all(|s| closed_within(s, Duration::from_secs(10))), "slow connections are closed");
    trickling.store(false, std::sync::atomic::Ordering::Relaxed);
    trickler.join().unwrap();
    answers_normally(&server);

    // With a cap below the hostile connections, the ones waiting longest make room.
    let capped = Server::start(&store, &["--max-connections", "64"]);
    let address = capped.base().trim_start_matches("http://").to_owned();
    let crowd: Vec<TcpStream> = (0..200).map(|_| TcpStream::connect(&address).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, took) = probe(&capped);
    assert_eq!(status, "200");
    assert!(took < Duration::from_secs(1), "a new client waited {took:?}");
    let open = crowd.iter().filter(|s| held(s)).count();
    assert!(open < 64, "{open} of the crowd's connections are still open, over the cap");
    answers_normally(&capped);
}
