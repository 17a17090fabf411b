//! A SPARQL 1.1 Protocol endpoint over the store.
//!
//! [`Endpoint::handle`] turns one [`HttpRequest`] into one [`HttpResponse`]
//! and knows nothing of sockets; [`start`] runs it behind `oxhttp`, a thread
//! per connection. Every query runs under a deadline (it is cancelled then) and
//! a cap on the solutions or triples it may return, so a runaway query costs
//! one worker for at most the timeout and never the server.

mod negotiate;
mod protocol;
mod service;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use oxigraph::sparql::CancellationToken;

use crate::graph::sparql::{self, Cancelled, QuerySyntaxError, RunOptions, Serialization, TooManyResults};
use crate::graph::GraphStore;
use crate::queries::ReadyQuery;
use crate::workbench::Workbench;

pub use negotiate::{GRAPH_FORMATS, RESULT_FORMATS};
pub use protocol::{Operation, QueryRequest};

/// How the endpoint behaves.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: String,
    /// Accept SPARQL updates (off: they get 403).
    pub allow_updates: bool,
    /// A query or update running longer is cancelled with 503.
    pub timeout: Duration,
    /// A result with more solutions or triples gets 422.
    pub max_results: usize,
    /// A larger request body gets 413.
    pub max_request_bytes: usize,
    /// Connections served at once (each on its own thread).
    pub max_connections: usize,
    /// Write one line per request to stderr.
    pub log_requests: bool,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:7878".into(),
            allow_updates: false,
            timeout: Duration::from_secs(30),
            max_results: 100_000,
            max_request_bytes: 1 << 20,
            max_connections: 128,
            log_requests: true,
        }
    }
}

/// The HTTP statuses the endpoint answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok = 200,
    NoContent = 204,
    BadRequest = 400,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    NotAcceptable = 406,
    PayloadTooLarge = 413,
    UnsupportedMediaType = 415,
    /// A valid query whose result exceeds the size limit.
    UnprocessableContent = 422,
    InternalServerError = 500,
    /// The query ran past the timeout and was cancelled.
    ServiceUnavailable = 503,
}

/// A request as the endpoint sees it, independent of the HTTP library.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    /// The part of the URL after `?`, still percent-encoded.
    pub query_string: String,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    pub host: Option<String>,
    pub body: Vec<u8>,
}

/// A response: status, content type, extra headers, body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: Status,
    pub content_type: Option<String>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    fn new(status: Status, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self { status, content_type: Some(content_type.to_owned()), headers: Vec::new(), body: body.into() }
    }

    /// A plain-text error message (clients show it as it is).
    pub fn error(status: Status, message: impl std::fmt::Display) -> Self {
        Self::new(status, "text/plain; charset=utf-8", format!("{message}\n"))
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// Headers that let a browser page on another origin use the endpoint. No
/// Allow-Methods: GET and POST, all the endpoint takes, are always allowed
/// (and oxhttp withholds that header).
const CORS_HEADERS: [(&str, &str); 3] = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
    ("Access-Control-Max-Age", "86400"),
];

/// The endpoint: the store, its settings and the ready queries.
pub struct Endpoint {
    store: Arc<GraphStore>,
    config: ServeConfig,
    ready_queries: Vec<ReadyQuery>,
    /// Cancelled evaluations whose threads have not stopped yet.
    overrunning: Arc<AtomicUsize>,
    /// While this many overrun, new queries are turned away.
    overrun_limit: usize,
    /// The store's triple count for the service description, counted once
    /// (a full scan) when the store is read-only and so cannot change.
    triples: OnceLock<usize>,
    /// The analyst's pages, beside the endpoint.
    workbench: Arc<Workbench>,
}

impl Endpoint {
    pub fn new(store: GraphStore, config: ServeConfig, ready_queries: Vec<ReadyQuery>) -> Self {
        let store = Arc::new(store);
        Self {
            workbench: Arc::new(Workbench::new(Arc::clone(&store), ready_queries.clone())),
            store,
            config,
            ready_queries,
            overrunning: Arc::default(),
            overrun_limit: std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            triples: OnceLock::new(),
        }
    }

    /// Triples in the store: counted once when read-only, each time otherwise.
    fn triple_count(&self) -> anyhow::Result<usize> {
        if self.config.allow_updates {
            return self.store.len();
        }
        if let Some(&n) = self.triples.get() {
            return Ok(n);
        }
        let n = self.store.len()?;
        Ok(*self.triples.get_or_init(|| n))
    }

    pub fn config(&self) -> &ServeConfig {
        &self.config
    }

    /// The pages served beside the endpoint.
    pub fn workbench(&self) -> &Workbench {
        &self.workbench
    }

    /// Answers one request. Never panics on any input; every refusal says why.
    pub fn handle(&self, request: &HttpRequest) -> HttpResponse {
        let mut response = if request.method == "OPTIONS" {
            HttpResponse { status: Status::NoContent, content_type: None, headers: Vec::new(), body: Vec::new() }
        } else if request.body.len() > self.config.max_request_bytes {
            HttpResponse::error(Status::PayloadTooLarge, format!("the request body is over {} bytes", self.config.max_request_bytes))
        } else {
            self.route(request)
        };
        response.headers.extend(CORS_HEADERS.iter().map(|(k, v)| (*k, (*v).to_owned())));
        response.headers.push(("Vary", "Accept, Origin".to_owned()));
        response
    }

    fn route(&self, request: &HttpRequest) -> HttpResponse {
        let path = request.path.trim_end_matches('/');
        let readable = matches!(request.method.as_str(), "GET" | "HEAD");
        if let Some(page) = self.workbench.handle(request) {
            return page;
        }
        match path {
            "/sparql" => self.sparql(request),
            "/queries" if readable => service::list_queries(self, request),
            _ if readable && path.starts_with("/queries/") => service::ready_query(self, &path["/queries/".len()..]),
            "" | "/queries" => HttpResponse::error(Status::MethodNotAllowed, "use GET").with_header("Allow", "GET, HEAD, OPTIONS"),
            _ => HttpResponse::error(Status::NotFound, format!("nothing at {}: the endpoint is /sparql, the ready queries are at /queries", request.path)),
        }
    }

    fn sparql(&self, request: &HttpRequest) -> HttpResponse {
        match protocol::read_operation(request) {
            Err(refusal) => {
                let response = HttpResponse::error(refusal.status, refusal.message);
                if refusal.status == Status::MethodNotAllowed {
                    response.with_header("Allow", "GET, POST, OPTIONS")
                } else {
                    response
                }
            }
            Ok(Operation::Describe) => service::description(self, request),
            Ok(Operation::Query(query)) => self.query(&query, request.accept.as_deref()),
            Ok(Operation::Update(update)) => self.update(&update),
        }
    }

    /// Runs the query on a thread of its own. At the deadline the evaluation
    /// is cancelled; if it has not noticed within a grace period (some
    /// in-memory joins check rarely), the client gets its 503 anyway and the
    /// thread is left to wind down. Such overrunning threads are counted, and
    /// while there are too many, new queries are turned away.
    fn query(&self, query: &QueryRequest, accept: Option<&str>) -> HttpResponse {
        if self.overrunning.load(Ordering::SeqCst) >= self.overrun_limit {
            return HttpResponse::error(Status::ServiceUnavailable, "the server is busy with queries that overran the timeout; try again shortly");
        }
        let token = CancellationToken::new();
        let (done, outcome) = mpsc::channel();
        let fate = Arc::new(Mutex::new(Fate::default()));
        let (store, overrunning, thread_fate) = (Arc::clone(&self.store), Arc::clone(&self.overrunning), Arc::clone(&fate));
        let max_results = self.config.max_results;
        let (query, accept, cancellation) = (query.clone(), accept.map(str::to_owned), token.clone());
        std::thread::spawn(move || {
            let result = evaluate(&store, &query, accept.as_deref(), max_results, cancellation);
            let mut fate = thread_fate.lock().unwrap_or_else(|e| e.into_inner());
            fate.finished = true;
            if fate.abandoned {
                overrunning.fetch_sub(1, Ordering::SeqCst);
            }
            let _ = done.send(result);
        });
        let answer = outcome.recv_timeout(self.config.timeout).or_else(|_| {
            token.cancel();
            outcome.recv_timeout(CANCELLATION_GRACE)
        });
        match answer {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => self.failure(e),
            Err(_) => {
                let mut fate = fate.lock().unwrap_or_else(|e| e.into_inner());
                if !fate.finished {
                    fate.abandoned = true;
                    self.overrunning.fetch_add(1, Ordering::SeqCst);
                }
                self.failure(Cancelled.into())
            }
        }
    }

    fn update(&self, update: &str) -> HttpResponse {
        if !self.config.allow_updates {
            return HttpResponse::error(Status::Forbidden, "updates are disabled on this endpoint (start it with --allow-updates)");
        }
        let token = CancellationToken::new();
        let _watchdog = Watchdog::arm(token.clone(), self.config.timeout);
        match sparql::update(self.store.inner(), update, Some(&token)) {
            Ok(()) => {
                self.workbench.invalidate();
                HttpResponse { status: Status::NoContent, content_type: None, headers: Vec::new(), body: Vec::new() }
            }
            Err(e) => self.failure(e),
        }
    }

    /// The response for an operation that failed: the status says whose fault.
    fn failure(&self, e: anyhow::Error) -> HttpResponse {
        if let Some(syntax) = e.downcast_ref::<QuerySyntaxError>() {
            HttpResponse::error(Status::BadRequest, syntax)
        } else if e.is::<Cancelled>() {
            HttpResponse::error(
                Status::ServiceUnavailable,
                format!("the query was cancelled after the server's timeout of {:?} (--timeout)", self.config.timeout),
            )
        } else if let Some(big) = e.downcast_ref::<TooManyResults>() {
            HttpResponse::error(
                Status::UnprocessableContent,
                format!("{big} (the server's --max-results): add a LIMIT or narrow the query"),
            )
        } else {
            HttpResponse::error(Status::InternalServerError, format!("the query failed: {e:#}"))
        }
    }
}

/// Whether an evaluation thread has finished, and whether its client stopped waiting.
#[derive(Default)]
struct Fate {
    finished: bool,
    abandoned: bool,
}

/// How long a cancelled query may take to stop before the client is answered.
const CANCELLATION_GRACE: Duration = Duration::from_millis(200);

/// Evaluates and serializes one query: the response, or the error to map.
fn evaluate(
    store: &GraphStore,
    query: &QueryRequest,
    accept: Option<&str>,
    max_results: usize,
    cancellation: CancellationToken,
) -> anyhow::Result<HttpResponse> {
    let options = RunOptions {
        default_graphs: query.default_graphs.clone(),
        named_graphs: query.named_graphs.clone(),
        cancellation: Some(cancellation),
    };
    let results = sparql::run_with(store.inner(), &query.text, &options)?;
    let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
    let Some(format) = negotiated(query.format.as_deref(), accept, is_graph) else {
        return Ok(HttpResponse::error(
            Status::NotAcceptable,
            format!("no acceptable format for this result; offered: {}", negotiate::offered_media_types()),
        ));
    };
    let media_type = if is_graph { format.graph.media_type() } else { format.results.media_type() };
    let body = sparql::serialize_results(results, format, Some(max_results), Vec::new())?;
    Ok(HttpResponse::new(Status::Ok, &with_charset(media_type), body))
}

fn with_charset(media_type: &str) -> String {
    if media_type.contains("charset=") {
        media_type.to_owned()
    } else if media_type.starts_with("text/") || media_type.ends_with("json") || media_type.ends_with("xml") {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type.to_owned()
    }
}

/// The serialization for a result: a `format` parameter first (one naming no
/// format is ignored, as clients send names for other servers), then `Accept`.
/// `None` when nothing acceptable is offered for this kind of result.
fn negotiated(format_param: Option<&str>, accept: Option<&str>, is_graph: bool) -> Option<Serialization> {
    let named = format_param
        .map(|name| (negotiate::result_format_named(name), negotiate::graph_format_named(name)))
        .filter(|(results, graph)| results.is_some() || graph.is_some());
    let (results, graph) = named.unwrap_or_else(|| {
        (
            negotiate::choose(accept, &negotiate::RESULT_FORMATS, |f| f.media_type()),
            negotiate::choose(accept, &negotiate::GRAPH_FORMATS, |f| f.media_type()),
        )
    });
    match (results, graph) {
        (Some(results), Some(graph)) => Some(Serialization { results, graph }),
        (Some(results), None) if !is_graph => Some(Serialization { results, graph: negotiate::GRAPH_FORMATS[0] }),
        (None, Some(graph)) if is_graph => Some(Serialization { results: negotiate::RESULT_FORMATS[0], graph }),
        _ => None,
    }
}

/// Cancels a token when a deadline passes, unless dropped first.
struct Watchdog {
    _disarm: mpsc::Sender<()>,
}

impl Watchdog {
    fn arm(token: CancellationToken, after: Duration) -> Self {
        let (disarm, disarmed) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if disarmed.recv_timeout(after) == Err(mpsc::RecvTimeoutError::Timeout) {
                token.cancel();
            }
        });
        Self { _disarm: disarm }
    }
}

/// A running server.
pub struct RunningServer {
    listening: oxhttp::ListeningServer,
    address: SocketAddr,
}

impl RunningServer {
    /// The address it listens on (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Blocks while the server runs.
    pub fn join(self) -> anyhow::Result<()> {
        Ok(self.listening.join()?)
    }
}

/// Binds `endpoint.config().bind` and answers each connection on its own
/// thread (up to `max_connections`), with TCP_NODELAY so that kept-alive
/// connections do not wait on delayed acknowledgements.
pub fn start(endpoint: Endpoint) -> anyhow::Result<RunningServer> {
    let bind = &endpoint.config.bind;
    let mut address: SocketAddr = std::net::ToSocketAddrs::to_socket_addrs(bind.as_str())
        .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?
        .next()
        .ok_or_else(|| anyhow::anyhow!("cannot listen on {bind}: no address"))?;
    if address.port() == 0 {
        // Ask the system for a free port, then hand it to the server.
        let probe = std::net::TcpListener::bind(address).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
        address = probe.local_addr()?;
    }
    endpoint.workbench.prepare_in_background();
    let timeout = endpoint.config.timeout + CONNECTION_SLACK;
    let max_connections = endpoint.config.max_connections.max(1);
    let endpoint = Arc::new(endpoint);
    let listening = oxhttp::Server::new(move |request| answer(&endpoint, request))
        .bind(address)
        .with_global_timeout(timeout)
        .with_max_concurrent_connections(max_connections)
        .with_server_name(concat!("diplograph/", env!("CARGO_PKG_VERSION")))
        .expect("a valid server name")
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot listen on {address}: {e}"))?;
    Ok(RunningServer { listening, address })
}

/// Socket reads and writes may take this much longer than a query.
const CONNECTION_SLACK: Duration = Duration::from_secs(30);

fn answer(endpoint: &Endpoint, request: &mut oxhttp::model::Request<oxhttp::model::Body>) -> oxhttp::model::Response<oxhttp::model::Body> {
    let started = Instant::now();
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut ours = HttpRequest {
        method: request.method().as_str().to_ascii_uppercase(),
        path: request.uri().path().to_owned(),
        query_string: request.uri().query().unwrap_or_default().to_owned(),
        content_type: header("content-type"),
        accept: header("accept"),
        host: header("host"),
        body: Vec::new(),
    };
    // Read one byte past the limit, so that an oversized body is seen as such.
    let limit = endpoint.config.max_request_bytes as u64 + 1;
    let response = match std::io::Read::read_to_end(&mut std::io::Read::take(request.body_mut(), limit), &mut ours.body) {
        Ok(_) => endpoint.handle(&ours),
        Err(e) => HttpResponse::error(Status::BadRequest, format!("cannot read the request body: {e}")),
    };
    if endpoint.config.log_requests {
        eprintln!(
            "{} {} {} {} bytes {:.1} ms",
            ours.method,
            ours.path,
            response.status as u16,
            response.body.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let mut builder = oxhttp::model::Response::builder().status(response.status as u16);
    let headers = response.content_type.map(|c| ("Content-Type", c)).into_iter().chain(response.headers);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    let body = if ours.method == "HEAD" { Vec::new() } else { response.body };
    builder.body(body.into()).unwrap_or_else(|_| {
        let mut fallback = oxhttp::model::Response::new(oxhttp::model::Body::from("cannot build the response\n"));
        *fallback.status_mut() = oxhttp::model::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(config: ServeConfig) -> Endpoint {
        Endpoint::new(GraphStore::in_memory().unwrap(), config, crate::queries::all().unwrap())
    }

    fn get(path: &str, query_string: &str) -> HttpRequest {
        HttpRequest { method: "GET".into(), path: path.into(), query_string: query_string.into(), ..HttpRequest::default() }
    }

    #[test]
    fn every_response_carries_cors_headers_and_refusals_say_why() {
        let e = endpoint(ServeConfig::default());
        for (request, status) in [
            (HttpRequest { method: "OPTIONS".into(), path: "/sparql".into(), ..HttpRequest::default() }, Status::NoContent),
            (get("/elsewhere", ""), Status::NotFound),
            (get("/sparql", "query=ASK%7B%7D"), Status::Ok),
            (HttpRequest { method: "PUT".into(), path: "/sparql".into(), ..HttpRequest::default() }, Status::MethodNotAllowed),
        ] {
            let response = e.handle(&request);
            assert_eq!(response.status, status, "{request:?}");
            assert!(response.headers.iter().any(|(k, v)| *k == "Access-Control-Allow-Origin" && v == "*"));
            if status != Status::Ok && status != Status::NoContent {
                assert!(!response.body.is_empty(), "a reason for {status:?}");
            }
        }
    }

    #[test]
    fn queries_are_turned_away_while_too_many_overran() {
        let e = endpoint(ServeConfig::default());
        e.overrunning.store(e.overrun_limit, Ordering::SeqCst);
        let response = e.handle(&get("/sparql", "query=ASK%7B%7D"));
        assert_eq!(response.status, Status::ServiceUnavailable);
        assert!(String::from_utf8_lossy(&response.body).contains("busy"));
        e.overrunning.store(e.overrun_limit - 1, Ordering::SeqCst);
        assert_eq!(e.handle(&get("/sparql", "query=ASK%7B%7D")).status, Status::Ok);
    }

    #[test]
    fn an_oversized_request_body_gets_413() {
        let e = endpoint(ServeConfig { max_request_bytes: 10, ..ServeConfig::default() });
        let request = HttpRequest {
            method: "POST".into(),
            path: "/sparql".into(),
            content_type: Some("application/sparql-query".into()),
            body: b"SELECT * WHERE { ?s ?p ?o }".to_vec(),
            ..HttpRequest::default()
        };
        assert_eq!(e.handle(&request).status, Status::PayloadTooLarge);
    }
}
