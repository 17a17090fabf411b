//! The workbench in a real browser: `diplograph serve` on a loopback port,
//! each kind of page loaded in headless Chromium, and the DOM it shows once
//! its scripts ran checked against what the store says. The store holds the
//! corpus and a statement whose text carries markup (tests/data/hostile.html),
//! which must show as text and never run.

mod common;


use std::process::Command;

use common::{bin, corpus, curl, require_tool, root, Server};
use diplograph::graph::{sparql, GraphStore};
use oxigraph::model::Term;

/// The corpus and the hostile statement in one store, and `serve` on it
/// (stopped when dropped); `None` where Chromium or curl is missing.
struct Served {
    dir: tempfile::TempDir,
    server: Server,
}

fn served() -> Option<Served> {
    if !(require_tool("chromium") && require_tool("curl")) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg.db");
    let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&store).arg(corpus()).arg(root().join("tests/data/hostile.html")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = Server::start(&store, &[]);
    Some(Served { dir, server })
}

impl Served {
    /// Rows of a SELECT on the served store, each value as text.
    fn select(&self, query: &str) -> Vec<Vec<String>> {
        let store = GraphStore::open_read_only(&self.dir.path().join("kg.db")).unwrap();
        let (_, rows) = sparql::select_rows(store.inner(), query).unwrap();
        rows.into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|t| match t {
                        Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                        Some(Term::Literal(l)) => l.value().to_owned(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The DOM of a page after its scripts ran, as headless Chromium serializes it.
    fn dom(&self, path: &str) -> String {
        let server = &self.server;
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--virtual-time-budget=10000", "--dump-dom"])
            .arg(format!("{}{path}", server.base()))
            .output()
            .expect("run chromium");
        assert!(out.status.success(), "chromium failed on {path}: {}", String::from_utf8_lossy(&out.stderr));
        let dom = String::from_utf8(out.stdout).unwrap();
        assert!(dom.contains("<main>"), "{path} shows no page: {dom}");
        // Nothing from elsewhere, and no script but the workbench's own.
        assert!(!dom.contains("src=\"http") && !dom.contains("<link rel=\"stylesheet\" href=\"http"), "{path} loads from another site");
        let scripts: Vec<String> = dom.match_indices("<script").map(|(i, _)| dom[i..].chars().take(60).collect()).collect();
        assert!(scripts.iter().all(|s| s.starts_with("<script src=\"/assets/workbench.js\"") || s.starts_with("<script type=\"application/json\"")), "{path}: {scripts:?}");
        dom
    }
}

/// The hrefs of the links in a DOM whose class is `class`.
fn links_of_class(dom: &str, class: &str) -> Vec<String> {
    let re = regex::Regex::new(&format!(r#"<a class="{class}[^"]*" href="([^"]+)""#)).unwrap();
    re.captures_iter(dom).map(|c| c[1].to_owned()).collect()
}

fn decode(href: &str) -> String {
    diplograph::workbench::layout::decode_path(href)
}

/// What a browser shows of a stretch of markup: tags dropped, entities decoded.
fn text_of(html: &str) -> String {
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    tags.replace_all(html, "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The markup of a page's section.
fn section<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom.find(&format!("<section id=\"{id}\">")).unwrap_or_else(|| panic!("no section {id}"));
    let end = dom[start..].find("</section>").unwrap() + start;
    &dom[start..end]
}

fn rows(html: &str) -> usize {
    html.matches("<tr>").count().saturating_sub(1)
}

const ID: &str = "https://w3id.org/diplograph/id/";

#[test]
fn the_hostile_statement_shows_its_markup_as_text_and_runs_nothing() {
    let Some(w) = served() else { return };
    let server = &w.server;
    let doc = w.select("SELECT ?d WHERE { GRAPH ?d { ?d dg:sourceFile ?f FILTER(CONTAINS(?f, \"hostile\")) } }");
    let doc = doc[0][0].strip_prefix(&format!("{ID}doc/")).unwrap().to_owned();
    let page = w.dom(&format!("/doc/{doc}"));
    // The injected script did not run, and no element was injected.
    let pwned = regex::Regex::new("<body[^>]*data-pwned").unwrap();
    assert!(!pwned.is_match(&page), "an injected script ran");
    assert!(!page.contains("<img"), "markup from the text became an element");
    // The text shows, as text, where the statement has it.
    let text = text_of(section(&page, "text"));
    assert!(text.contains("<script>document.body.setAttribute('data-pwned','1')</script>"), "{text}");
    assert!(text_of(section(&page, "citations")).contains("<img src=x onerror="));
    // The cited title is also an entity's label: its page escapes it too.
    let treaty = w.select("SELECT ?e WHERE { GRAPH <https://w3id.org/diplograph/id/graph/entities> { ?e skos:prefLabel ?l FILTER(CONTAINS(?l, \"<img\")) } }");
    let treaty = treaty[0][0].strip_prefix(ID).unwrap().to_owned();
    let page = w.dom(&diplograph::workbench::layout::entity_href(&treaty));
    assert!(!page.contains("<img") && !pwned.is_match(&page));
    assert!(text_of(&page).contains("<img src=x onerror="));
    // Search results carry it as text as well.
    let page = w.dom("/search?q=onerror");
    assert!(!page.contains("<img") && text_of(section(&page, "entities")).contains("<img src=x"));
    // Every page forbids inline scripts and other origins.
    for path in ["/", &format!("/doc/{doc}"), "/query", "/search?q=x"] {
        let reply = curl(&[&format!("{}{path}", server.base())]);
        let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path} has no CSP"));
        assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

/// Of the documents citing another one of the store, the one that cites most:
/// its metadata, its text with every mention linked, its citations out and
/// in, its chain, its relations.
#[test]
fn a_document_page_shows_text_mentions_citations_chain_and_relations() {
    let Some(w) = served() else { return };
    let docs = w.select(
        "SELECT ?d (COUNT(?c) AS ?n) WHERE { GRAPH ?d { ?c a dg:Citation } \
         FILTER EXISTS { GRAPH ?d { ?r dg:citedWork ?w } GRAPH ?e { ?e dg:work ?w } FILTER(?e != ?d) } } \
         GROUP BY ?d ORDER BY DESC(?n) ?d",
    );
    let doc_iri = docs[0][0].clone();
    let doc = doc_iri.strip_prefix(&format!("{ID}doc/")).unwrap().to_owned();
    let citations: usize = docs[0][1].parse().unwrap();
    let page = w.dom(&format!("/doc/{doc}"));
    let title = &w.select(&format!("SELECT ?t WHERE {{ GRAPH <{doc_iri}> {{ <{doc_iri}> schema:name ?t }} }}"))[0][0];
    assert!(page.contains(&format!("<h1>{title}</h1>")), "the title heads the page");

    // Every entity the document mentions is linked from its text, and each
    // link's words are a mention of that entity.
    let mentioned = w.select(&format!("SELECT DISTINCT ?e WHERE {{ GRAPH <{doc_iri}> {{ ?m itsrdf:taIdentRef ?e }} }}"));
    let text = section(&page, "text");
    let linked: std::collections::BTreeSet<String> = links_of_class(text, "mention").iter().map(|h| decode(h.strip_prefix("/entity/").unwrap())).collect();
    for e in &mentioned {
        assert!(linked.contains(e[0].strip_prefix(ID).unwrap()), "{} is not linked from the text", e[0]);
    }
    // (A mention holding another is linked in pieces around it.)
    let quotes: Vec<String> = w.select(&format!("SELECT DISTINCT ?q WHERE {{ GRAPH <{doc_iri}> {{ ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?q }} }}")).into_iter().map(|r| r[0].clone()).collect();
    let anchor = regex::Regex::new(r#"<a class="mention[^>]*>([^<]*)</a>"#).unwrap();
    for c in anchor.captures_iter(text) {
        let words = text_of(&c[1]);
        assert!(quotes.iter().any(|q| q.contains(&words)), "{words} is highlighted but is no mention");
    }
    // The text is all there, in reading order: it opens with the sentence
    // starting the first span, and holds every sentence.
    let opening = w.select(&format!("SELECT ?t WHERE {{ GRAPH <{doc_iri}> {{ <{doc_iri}> dg:hasSpan ?span . ?span dg:order 0 ; nif:beginIndex ?b . ?s a nif:Sentence ; nif:beginIndex ?b ; nif:anchorOf ?t }} }}"));
    let shown = text_of(&text[text.find("<div class=\"document-text\">").expect("the text")..]);
    assert!(shown.trim_start().starts_with(&opening[0][0]), "opens with {}", opening[0][0]);
    for sentence in w.select(&format!("SELECT ?t WHERE {{ GRAPH <{doc_iri}> {{ ?s a nif:Sentence ; nif:anchorOf ?t }} }}")) {
        assert!(shown.contains(&sentence[0]), "{} is shown", sentence[0]);
    }

    // Citations out: one row each; those of documents in the store link to them.
    let cites = section(&page, "citations");
    assert_eq!(rows(cites), citations);
    let resolved = w.select(&format!("SELECT DISTINCT ?d WHERE {{ GRAPH <{doc_iri}> {{ ?c dg:citedWork ?w }} GRAPH ?d {{ ?d dg:work ?w }} FILTER(?d != <{doc_iri}>) }}"));
    assert!(!resolved.is_empty(), "the corpus's latest statement cites an earlier one");
    for d in &resolved {
        let href = format!("/doc/{}", d[0].strip_prefix(&format!("{ID}doc/")).unwrap());
        assert!(cites.contains(&format!("href=\"{href}\"")), "{href} is linked");
        assert!(section(&page, "chain").contains(&format!("href=\"{href}\"")), "{href} is in the chain");
    }
    // Citations in, on a cited document's page: the citing one is listed.
    let cited = resolved[0][0].strip_prefix(&format!("{ID}doc/")).unwrap();
    let citers = w.select(&format!("SELECT DISTINCT ?d WHERE {{ GRAPH <{}> {{ ?x dg:work ?w }} GRAPH ?d {{ ?c dg:citedWork ?w }} }}", resolved[0][0]));
    let cited_page = w.dom(&format!("/doc/{cited}"));
    let cited_by = section(&cited_page, "cited-by");
    assert_eq!(rows(cited_by), citers.len());
    assert!(cited_by.contains(&format!("href=\"/doc/{doc}\"")));
    assert!(section(&cited_page, "chain").contains("<svg class=\"chain"), "the chain is drawn");

    // Relations: one row per statement, each with its evidence sentence.
    let statements = w.select(&format!("SELECT ?r ?t WHERE {{ GRAPH <{doc_iri}> {{ ?r a rdf:Statement ; prov:wasDerivedFrom ?s . ?s nif:anchorOf ?t }} }}"));
    let relations = section(&page, "relations");
    assert_eq!(rows(relations), statements.len());
    assert!(text_of(relations).contains(&statements[0][1]));
}

/// The entity most mentioned: labels, aliases, Wikidata link, mentions with
/// their quotes, typed relations, and a neighbourhood that its filters narrow.
#[test]
fn an_entity_page_shows_labels_mentions_relations_and_a_filtered_neighbourhood() {
    let Some(w) = served() else { return };
    let top = w.select("SELECT ?e (COUNT(?m) AS ?n) WHERE { GRAPH ?d { ?m itsrdf:taIdentRef ?e } } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1");
    let (iri, mentions): (&str, usize) = (&top[0][0], top[0][1].parse().unwrap());
    let id = iri.strip_prefix(ID).unwrap();
    let described = w.select(&format!("SELECT ?label ?en ?wd WHERE {{ GRAPH <{ID}graph/entities> {{ <{iri}> skos:prefLabel ?label OPTIONAL {{ <{iri}> rdfs:label ?en }} OPTIONAL {{ <{iri}> owl:sameAs ?wd }} }} }}"));
    let page = w.dom(&diplograph::workbench::layout::entity_href(id));
    let [label, english, wikidata] = [&described[0][0], &described[0][1], &described[0][2]];
    assert!(page.contains(&format!("<h1>{label}</h1>")));
    assert!(page.contains(english.as_str()));
    let q = wikidata.rsplit('/').next().unwrap();
    assert!(page.contains(&format!("href=\"https://www.wikidata.org/wiki/{q}\"")), "Wikidata link {q}");
    for alias in w.select(&format!("SELECT DISTINCT ?a WHERE {{ GRAPH ?d {{ <{iri}> skos:altLabel ?a }} }}")) {
        assert!(page.contains(&alias[0]), "alias {}", alias[0]);
    }
    let listed = section(&page, "mentions");
    assert_eq!(rows(listed), mentions.min(100));
    assert!(listed.contains("<mark>"), "quotes are marked in their sentences");
    assert!(rows(section(&page, "relations")) > 0, "typed relations");

    // The neighbourhood: at most n neighbours, of the types asked for.
    let circles = |dom: &str| section(dom, "neighbourhood").matches("<circle").count();
    assert_eq!(circles(&page), 16, "the entity and its 15 strongest neighbours");
    let narrowed = w.dom(&format!("{}?n=4&type=Organization&typed=1", diplograph::workbench::layout::entity_href(id)));
    let drawn = section(&narrowed, "neighbourhood");
    assert!((2..=5).contains(&circles(&narrowed)), "{drawn}");
    let hrefs: Vec<&str> = drawn.match_indices("<a href=\"").map(|(i, _)| drawn[i + 9..].split('"').next().unwrap()).collect();
    assert!(hrefs.iter().filter(|h| decode(h) != format!("/entity/{id}")).all(|h| h.starts_with("/entity/org/")), "{hrefs:?}");
    assert!(drawn.contains("checked"), "the form shows what was asked");
}

/// Search finds entities by surface form, English label, Wikidata id and
/// traditional characters, and documents by title words.
#[test]
fn search_finds_by_any_name_in_either_script() {
    let Some(w) = served() else { return };
    let kz = "/entity/party/%E5%93%88%E8%90%A8%E5%85%8B%E6%96%AF%E5%9D%A6%E5%85%B1%E5%92%8C%E5%9B%BD";
    for query in ["哈萨克斯坦共和国", "哈方", "Kazakhstan", "q232", "哈薩克斯坦共和國"] {
        let page = w.dom(&format!("/search?q={}", diplograph::workbench::layout::encode_query(query)));
        let entities = section(&page, "entities");
        assert!(entities.contains(kz), "{query} finds Kazakhstan");
        assert!(page.contains(&format!("value=\"{query}\"")), "the box keeps the query");
    }
    let page = w.dom(&format!("/search?q={}", diplograph::workbench::layout::encode_query("聯合聲明")));
    let documents = w.select("SELECT ?d WHERE { GRAPH ?d { ?d schema:name ?t FILTER(CONTAINS(?t, \"联合声明\")) } }");
    assert_eq!(rows(section(&page, "documents")), documents.len());
    assert!(w.dom("/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%90%8D%E5%AD%97").contains("Nothing is named"));
}

/// The SPARQL page runs a query on the endpoint and shows the answer as a
/// table whose IRIs link to their pages; it offers every format to download.
#[test]
fn the_sparql_page_shows_results_as_a_linked_table_and_offers_every_format() {
    let Some(w) = served() else { return };
    let server = &w.server;
    let query = "SELECT ?doc ?title WHERE { GRAPH ?doc { ?doc a dg:Document ; schema:name ?title } } ORDER BY ?doc";
    let expected = w.select(query);
    let page = w.dom(&format!("/query?run=1&query={}", diplograph::workbench::layout::encode_query(query)));
    let results = section(&page, "answer");
    assert_eq!(rows(results), expected.len(), "{results}");
    for row in &expected {
        let doc = row[0].strip_prefix(&format!("{ID}doc/")).unwrap();
        assert!(results.contains(&format!("href=\"/doc/{doc}\"")), "{doc} links to its page");
        assert!(text_of(results).contains(&row[1]));
    }
    assert!(results.contains(&format!("{} rows", expected.len())));
    // The ready queries are there to start from, with their text.
    let editor = section(&page, "editor");
    for name in std::fs::read_dir(root().join("queries")).unwrap().filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned())) {
        assert!(editor.contains(&format!("<option value=\"{name}\"")), "{name}");
    }
    // A ready query opened by name fills the editor.
    let ready = w.dom("/query?ready=documents");
    assert!(section(&ready, "editor").contains("dg:Document"));
    // Every format offered downloads, as the endpoint serves it.
    let select_format = &editor[editor.find("<select name=\"format\">").expect("a format choice")..];
    let select_format = &select_format[..select_format.find("</select>").unwrap()];
    let formats: Vec<&str> = select_format.match_indices("<option value=\"").map(|(i, _)| select_format[i + 15..].split('"').next().unwrap()).collect();
    let offered: Vec<&str> = diplograph::serve::RESULT_FORMATS.iter().map(|f| f.file_extension()).chain(diplograph::serve::GRAPH_FORMATS.iter().map(|f| f.file_extension())).collect();
    assert_eq!(formats, offered);
    let construct = "CONSTRUCT { ?d a dg:Document } WHERE { GRAPH ?d { ?d a dg:Document } }";
    for format in formats {
        let graph = diplograph::serve::GRAPH_FORMATS.iter().any(|f| f.file_extension() == format);
        let reply = curl(&["-G", "--data-urlencode", &format!("query={}", if graph { construct } else { query }), "--data-urlencode", &format!("format={format}"), &server.endpoint]);
        assert_eq!(reply.status, 200, "{format}: {}", reply.text());
        assert!(reply.text().contains(if graph { "Document" } else { "doc/" }), "{format}: {}", reply.text());
    }
}

/// The home page lists the latest documents and the ready queries; every
/// asset it uses comes from the server.
#[test]
fn the_home_page_leads_to_documents_entities_and_queries() {
    let Some(w) = served() else { return };
    let server = &w.server;
    let page = w.dom("/");
    let documents = w.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a dg:Document } }")[0][0].parse::<usize>().unwrap();
    assert_eq!(rows(section(&page, "documents")), documents.min(20));
    assert!(rows(section(&page, "entities")) > 0);
    assert!(section(&page, "queries").contains("href=\"/query?ready=treaty-chain\""));
    for asset in ["/assets/workbench.css", "/assets/workbench.js"] {
        assert_eq!(curl(&[&format!("{}{asset}", server.base())]).status, 200);
    }
    assert_eq!(curl(&[&format!("{}/doc/no-such-document", server.base())]).status, 404);
}


/// A partner's page shows its history with China on a time axis and as a
/// table: the levels of 2011, 2019 and 2024 with the documents that state
/// them, the state visits, and the earlier agreements cited; the home page
/// and the partner's entity page lead to it.
#[test]
fn a_partner_page_shows_levels_visits_and_documents_on_a_time_axis() {
    let Some(w) = served() else { return };
    let kz = "party/哈萨克斯坦共和国";
    let href = diplograph::workbench::partner::partner_href(kz);
    assert!(section(&w.dom("/"), "partners").contains(&format!("href=\"{href}\"")), "the home page lists the partner");
    assert!(w.dom(&diplograph::workbench::layout::entity_href(kz)).contains(&format!("href=\"{href}\"")), "the entity page leads to it");
    let page = w.dom(&href);
    let axis = section(&page, "axis");
    for year in ["2011", "2019", "2024"] {
        assert!(axis.contains(&format!(">{year}</text>")), "{year} on the axis");
    }
    assert!(text_of(axis).contains("永久全面战略伙伴关系"));
    let history = section(&page, "history");
    let text = text_of(history);
    for expected in ["全面战略伙伴关系 (comprehensive strategic partnership) (recalled)", "level reaffirm: 永久全面战略伙伴关系", "state visit: 习近平 → 卡瑟姆若马尔特·托卡耶夫", "《中华人民共和国和哈萨克斯坦共和国睦邻友好合作条约》"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // Every document of the pair is listed and linked, as the store has them.
    let docs = w.select("SELECT DISTINCT ?d WHERE { GRAPH ?d { ?d a dg:Document ; dg:party <https://w3id.org/diplograph/id/party/哈萨克斯坦共和国> } }");
    for d in docs {
        let id = diplograph::graph::vocab::document_id(&d[0]).unwrap();
        assert!(history.contains(&format!("href=\"{}\"", diplograph::workbench::layout::doc_href(id))), "{id} linked");
    }
    assert_eq!(curl(&[&format!("{}/partner/party/no-such-state", w.server.base())]).status, 404);
}

/// With updates allowed, an update changes what the pages show: the
/// snapshot they read is dropped and read again.
#[test]
fn pages_follow_an_update() {
    use diplograph::serve::{Endpoint, HttpRequest, ServeConfig, Status};
    let store = GraphStore::in_memory().unwrap();
    diplograph::ingest::ingest(common::pipeline(), &store, &[corpus()], &diplograph::progress::Quiet).unwrap();
    let doc = {
        let (_, rows) = sparql::select_rows(store.inner(), "SELECT ?d WHERE { GRAPH ?d { ?d a dg:Document } } ORDER BY ?d LIMIT 1").unwrap();
        match &rows[0][0] {
            Some(Term::NamedNode(n)) => n.as_str().to_owned(),
            other => panic!("{other:?}"),
        }
    };
    let id = doc.strip_prefix(&format!("{ID}doc/")).unwrap().to_owned();
    let endpoint = Endpoint::new(store, ServeConfig { allow_updates: true, ..ServeConfig::default() }, diplograph::queries::all().unwrap());
    let get = |path: &str, query_string: &str| endpoint.handle(&HttpRequest { method: "GET".into(), path: path.into(), query_string: query_string.into(), ..HttpRequest::default() });
    let search = format!("q={id}");
    assert!(String::from_utf8_lossy(&get("/search", &search).body).contains(&format!("href=\"/doc/{id}\"")));
    assert_eq!(get(&format!("/doc/{id}"), "").status, Status::Ok);
    let update = HttpRequest {
        method: "POST".into(),
        path: "/sparql".into(),
        content_type: Some("application/sparql-update".into()),
        body: format!("DROP GRAPH <{doc}>").into_bytes(),
        ..HttpRequest::default()
    };
    assert_eq!(endpoint.handle(&update).status, Status::NoContent);
    assert!(!String::from_utf8_lossy(&get("/search", &search).body).contains(&format!("href=\"/doc/{id}\"")), "the search forgot the dropped document");
    assert_eq!(get(&format!("/doc/{id}"), "").status, Status::NotFound);
}

/// A click on a heading of the results table sorts the rows by that column
/// (numbers as numbers), a second click the other way; the browser is
/// driven over the DevTools protocol (tests/browser/click_heading.py).
#[test]
fn the_results_table_sorts_by_a_click_on_its_heading() {
    let Some(w) = served() else { return };
    if !require_tool("python3") {
        return;
    }
    let query = "SELECT ?entity (COUNT(?m) AS ?mentions) WHERE { GRAPH ?d { ?m itsrdf:taIdentRef ?entity } } GROUP BY ?entity";
    let url = format!("{}/query?run=1&query={}", w.server.base(), diplograph::workbench::layout::encode_query(query));
    let out = Command::new("python3").arg(root().join("tests/browser/click_heading.py")).arg(&url).arg("1").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let numbers = |cells: &[String]| cells.iter().map(|c| c.parse::<u64>().unwrap()).collect::<Vec<_>>();
    let (before, once, twice) = (numbers(&shown[0]), numbers(&shown[1]), numbers(&shown[2]));
    let mut ascending = before.clone();
    ascending.sort();
    assert!(ascending.iter().any(|&n| n >= 10) && ascending.iter().any(|&n| n < 10), "counts of one and two digits: {ascending:?}");
    assert_eq!(once, ascending, "one click sorts up, as numbers");
    ascending.reverse();
    assert_eq!(twice, ascending, "a second click sorts down");
}
