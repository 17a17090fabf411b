//! The analyst's workbench: pages in the browser, served by `diplograph
//! serve` beside the SPARQL endpoint. Pages get their data from the library
//! (`graph::read` for one document or entity, `analysis` for the network and
//! the citation graph), never over HTTP, and every text from the documents
//! is escaped ([`layout::esc`]); a Content-Security-Policy allows only the
//! binary's own script and stylesheet, served from `/assets/`.
//!
//! | route | page |
//! |---|---|
//! | `/` | the store at a glance; ready queries |
//! | `/search?q=` | documents and entities by any name |
//! | `/doc/ID` | a document ([`document`]) |
//! | `/entity/ID` | an entity ([`entity`]) |
//! | `/partner/ID` | a party's history with China ([`partner`]) |
//! | `/query` | the SPARQL editor ([`query`]) |
//!
//! A page is a function returning a title and a body of [`layout`] sections;
//! adding one is that function and one line in [`Workbench::route`].

pub mod document;
pub mod entity;
pub mod layout;
pub mod partner;
pub mod query;
pub mod search;
pub mod svg;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::analysis::{CitationGraph, Network};
use crate::graph::GraphStore;
use crate::queries::ReadyQuery;
use crate::serve::{HttpRequest, HttpResponse, Status};
use layout::{doc_href, entity_href, esc, link, page, section, table};
use search::SearchIndex;

/// Scripts and styles only from the server itself; no framing, no plugins,
/// forms and fetches only to the server. Inline SVG needs no exception.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLESHEET: &str = include_str!("assets/workbench.css");
const SCRIPT: &str = include_str!("assets/workbench.js");

/// What the pages read from the whole store, built once: the relation
/// network, the citation graph, the search index, mention counts and
/// surface forms. A read-only store cannot change under it; after an
/// update the endpoint drops it and the next page builds it again.
pub struct Snapshot {
    pub network: Network,
    pub citations: CitationGraph,
    pub search: SearchIndex,
    pub mention_counts: HashMap<String, usize>,
    pub surface_forms: HashMap<String, BTreeSet<String>>,
    /// The entities with the heaviest links, heaviest first, with their weighted degree.
    pub most_linked: Vec<(petgraph::graph::NodeIndex, f64)>,
    /// The parties of the documents besides China (id, label), by label.
    pub partners: Vec<(String, String)>,
    pub built_in: Duration,
}

impl Snapshot {
    pub fn build(store: &GraphStore) -> anyhow::Result<Self> {
        let started = Instant::now();
        let network = Network::from_store(store)?;
        let citations = CitationGraph::from_store(store)?;
        let surface_forms = crate::graph::read::surface_forms(store)?;
        let mention_counts = crate::graph::read::mention_counts(store)?;
        let search = SearchIndex::build(&network, &citations, &surface_forms, &mention_counts);
        let g = &network.graph;
        let mut most_linked: Vec<(petgraph::graph::NodeIndex, f64)> = g.node_indices().map(|n| (n, g.edges(n).map(|e| e.weight().weight).sum())).collect();
        most_linked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        most_linked.truncate(HOME_LISTS);
        let china = crate::analysis::timeline::CHINA;
        let mut partners: Vec<(String, String)> = citations.all_parties().into_iter().filter(|p| *p != china).map(|p| (p.clone(), String::new())).collect();
        partners.sort();
        partners.dedup();
        for p in &mut partners {
            p.1 = network.index.get(&p.0).map_or_else(|| p.0.clone(), |&n| network.graph[n].label.clone());
        }
        partners.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(Self { network, citations, search, mention_counts, surface_forms, most_linked, partners, built_in: started.elapsed() })
    }

    /// An entity's preferred label, or its id when the network lacks it.
    pub fn label(&self, id: &str) -> String {
        self.network.index.get(id).map_or_else(|| id.to_owned(), |&n| self.network.graph[n].label.clone())
    }
}

/// The pages, over one store.
pub struct Workbench {
    store: Arc<GraphStore>,
    ready_queries: Vec<ReadyQuery>,
    /// Built at the first request (or by [`Workbench::prepare_in_background`]);
    /// requests arriving meanwhile wait for it.
    snapshot: Mutex<Option<Arc<Snapshot>>>,
}

impl Workbench {
    pub fn new(store: Arc<GraphStore>, ready_queries: Vec<ReadyQuery>) -> Self {
        Self { store, ready_queries, snapshot: Mutex::new(None) }
    }

    /// The snapshot, built now if there is none.
    pub fn snapshot(&self) -> anyhow::Result<Arc<Snapshot>> {
        let mut slot = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(Arc::clone(s));
        }
        let built = Arc::new(Snapshot::build(&self.store)?);
        *slot = Some(Arc::clone(&built));
        Ok(built)
    }

    /// Builds the snapshot on a thread of its own, so that the first page
    /// does not wait for it.
    pub fn prepare_in_background(self: &Arc<Self>) {
        let me = Arc::clone(self);
        std::thread::spawn(move || {
            if let Err(e) = me.snapshot() {
                eprintln!("workbench: cannot read the store: {e:#}");
            }
        });
    }

    /// Forgets the snapshot: the store was changed.
    pub fn invalidate(&self) {
        *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The page for a GET or HEAD request, or `None` when the path is not
    /// the workbench's.
    pub fn handle(&self, request: &HttpRequest) -> Option<HttpResponse> {
        if !matches!(request.method.as_str(), "GET" | "HEAD") {
            return None;
        }
        let path = layout::decode_path(&request.path);
        let params: Vec<(String, String)> = form_urlencoded::parse(request.query_string.as_bytes()).into_owned().collect();
        let mut response = match self.route(&path, &params)? {
            Ok(response) => response,
            Err(e) => page(Status::InternalServerError, "Error", "", &format!("<p class=\"error\">{}</p>", esc(&format!("{e:#}")))),
        };
        response.headers.push(("Content-Security-Policy", CONTENT_SECURITY_POLICY.to_owned()));
        response.headers.push(("X-Content-Type-Options", "nosniff".to_owned()));
        response.headers.push(("Referrer-Policy", "no-referrer".to_owned()));
        Some(response)
    }

    fn route(&self, path: &str, params: &[(String, String)]) -> Option<anyhow::Result<HttpResponse>> {
        let param = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let not_found = |what: &str| page(Status::NotFound, "Not found", "", &format!("<p class=\"empty\">The store has no {}.</p>", esc(what)));
        let found = |result: anyhow::Result<Option<(String, String)>>, what: &str| {
            result.map(|p| match p {
                Some((title, body)) => page(Status::Ok, &title, "", &body),
                None => not_found(what),
            })
        };
        Some(match path.trim_end_matches('/') {
            "" => self.with_snapshot(|s| Ok(page(Status::Ok, "The knowledge graph", "", &home(s, &self.ready_queries)))),
            "/search" => {
                let q = param("q").unwrap_or_default();
                self.with_snapshot(|s| Ok(page(Status::Ok, &format!("Search: {q}"), q, &search::page(s, q))))
            }
            "/query" => Ok(page(Status::Ok, "SPARQL", "", &query::page(&self.ready_queries, param("query"), param("ready"), param("run").is_some()))),
            "/assets/workbench.css" => Ok(asset("text/css; charset=utf-8", STYLESHEET)),
            "/assets/workbench.js" => Ok(asset("text/javascript; charset=utf-8", SCRIPT)),
            p => {
                if let Some(id) = p.strip_prefix("/doc/") {
                    self.with_snapshot(|s| found(document::page(&self.store, s, id), &format!("document {id}")))
                } else if let Some(id) = p.strip_prefix("/partner/") {
                    found(partner::page(&self.store, id), &format!("partner {id}"))
                } else if let Some(id) = p.strip_prefix("/entity/") {
                    let query = entity::NeighbourhoodQuery::from_params(params);
                    self.with_snapshot(|s| found(entity::page(&self.store, s, id, &query), &format!("entity {id}")))
                } else {
                    return None;
                }
            }
        })
    }

    fn with_snapshot(&self, f: impl FnOnce(&Snapshot) -> anyhow::Result<HttpResponse>) -> anyhow::Result<HttpResponse> {
        f(self.snapshot()?.as_ref())
    }
}

fn asset(content_type: &str, text: &'static str) -> HttpResponse {
    HttpResponse {
        status: Status::Ok,
        content_type: Some(content_type.to_owned()),
        headers: vec![("Cache-Control", "max-age=3600".to_owned())],
        body: text.as_bytes().to_vec(),
    }
}

/// Most recent documents and most linked entities listed on the home page.
const HOME_LISTS: usize = 20;

/// The store at a glance: counts, the latest documents, the most linked
/// entities, and the ready queries to open in the editor.
fn home(s: &Snapshot, ready_queries: &[ReadyQuery]) -> String {
    let (net, cg) = (&s.network, &s.citations);
    let mut docs: Vec<&crate::analysis::chain::Work> = cg.graph.node_weights().filter(|w| w.doc.is_some()).collect();
    docs.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    let mut by_type: std::collections::BTreeMap<crate::model::EntityType, usize> = Default::default();
    for n in net.graph.node_weights() {
        *by_type.entry(n.entity_type).or_default() += 1;
    }
    let counts = by_type.iter().map(|(t, n)| format!("{n} {t}")).collect::<Vec<_>>().join(", ");
    let mut body = format!(
        "<p>{} documents; {} entities ({counts}); {} links between entities. <span class=\"note\">Read in {:.1} s.</span></p>",
        docs.len(),
        net.graph.node_count(),
        net.graph.edge_count(),
        s.built_in.as_secs_f64()
    );
    let rows: Vec<Vec<String>> = docs
        .iter()
        .take(HOME_LISTS)
        .filter_map(|w| Some(vec![link(&doc_href(w.doc.as_ref()?), &w.title), esc(w.date.as_deref().unwrap_or("undated"))]))
        .collect();
    body.push_str(&section("documents", "Latest documents", &(table(&["title", "signed"], &rows) + &layout::shown_of(rows.len(), docs.len()))));
    let rows: Vec<Vec<String>> = s
        .most_linked
        .iter()
        .map(|&(n, w)| {
            let node = &net.graph[n];
            vec![link(&entity_href(&node.id), &node.label), esc(node.english.as_deref().unwrap_or("")), esc(node.entity_type.as_str()), format!("{w}")]
        })
        .collect();
    body.push_str(&section("entities", "Most linked entities", &table(&["name", "English", "type", "weighted degree"], &rows)));
    let partners: Vec<String> = s.partners.iter().map(|(id, label)| link(&partner::partner_href(id), label)).collect();
    if !partners.is_empty() {
        body.push_str(&section("partners", "Partners: their history with China", &format!("<p>{}</p>", partners.join(" · "))));
    }
    let rows: Vec<Vec<String>> = ready_queries
        .iter()
        .map(|q| vec![link(&format!("/query?ready={}", layout::encode_query(&q.name)), &q.name), esc(&q.title)])
        .collect();
    let endpoint = "<p>The SPARQL 1.1 endpoint is <code>/sparql</code> (its <a href=\"/sparql\">service description</a>; the ready queries as <a href=\"/queries\">JSON</a>).</p>";
    body.push_str(&section("queries", "Ready queries", &(table(&["query", "answers"], &rows) + endpoint)));
    body
}
