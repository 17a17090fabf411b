//! A SPARQL 1.1 Protocol endpoint over the store.
//!
//! [`Endpoint::handle`] turns one [`HttpRequest`] into one [`HttpResponse`]
//! and knows nothing of sockets; [`start`] puts it behind the HTTP server of
//! `http.rs`, which bounds how long and how many clients may hold a
//! connection. Queries and updates are evaluated in worker processes
//! (`pool.rs`, `worker.rs`), each with a memory cap and killed at the
//! operation's deadline, so that no query can exhaust the server's memory or
//! stack, or keep running after its client got its answer. [`Endpoint::new`]
//! evaluates in this process instead, for tests and embedding: cancelled at
//! the deadline, but not contained, as it is when updates are allowed (a
//! writable store has one writer: this process). The analyst's pages of
//! `crate::workbench` are answered beside the endpoint, reading the store
//! through the library.

mod http;
mod negotiate;
mod pool;
mod protocol;
mod service;
mod worker;

use std::net::SocketAddr;
use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};

use oxigraph::model::NamedNode;
use oxigraph::sparql::CancellationToken;

use crate::graph::sparql::{self, Cancelled, QuerySyntaxError, RunOptions, Serialization, TooDeep, TooManyResults};
use crate::graph::GraphStore;
use crate::queries::ReadyQuery;
use crate::workbench::Workbench;

use http::ConnectionLimits;
use pool::Stopped;
pub use pool::{PoolSettings, WorkerPool};
pub use negotiate::{GRAPH_FORMATS, RESULT_FORMATS};
pub use protocol::{Operation, QueryRequest};
use worker::Job;
pub use worker::{run_worker, WorkerAllocator, WorkerOptions};

/// How the endpoint behaves.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: String,
    /// Accept SPARQL updates (off: they get 403).
    pub allow_updates: bool,
    /// An operation not answered by then is stopped with 503; a response
    /// must also be taken by the client within this long.
    pub timeout: Duration,
    /// A result with more solutions or triples gets 422.
    pub max_results: usize,
    /// A larger request body gets 413.
    pub max_request_bytes: usize,
    /// Connections open at once (each on its own thread).
    pub max_connections: usize,
    /// A kept-alive connection idle this long is closed.
    pub idle_timeout: Duration,
    /// A request must arrive whole within this long of its first byte.
    pub request_timeout: Duration,
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
            max_connections: 512,
            idle_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            log_requests: true,
        }
    }
}

impl ServeConfig {
    fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections.max(1),
            idle_timeout: self.idle_timeout,
            request_timeout: self.request_timeout,
            send_timeout: self.timeout,
            max_body_bytes: self.max_request_bytes,
        }
    }
}

/// The HTTP statuses the endpoint answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Ok = 200,
    NoContent = 204,
    /// A malformed request or query, or one nested too deeply.
    BadRequest = 400,
    Forbidden = 403,
    NotFound = 404,
    MethodNotAllowed = 405,
    NotAcceptable = 406,
    /// The request did not arrive within the request timeout.
    RequestTimeout = 408,
    PayloadTooLarge = 413,
    UnsupportedMediaType = 415,
    /// A valid query whose result exceeds the size limit.
    UnprocessableContent = 422,
    HeaderFieldsTooLarge = 431,
    InternalServerError = 500,
    NotImplemented = 501,
    /// The operation was stopped at the timeout or the memory limit, or the
    /// server is too busy to take it.
    ServiceUnavailable = 503,
}

impl Status {
    /// The reason phrase of the status line.
    pub fn reason(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::NoContent => "No Content",
            Status::BadRequest => "Bad Request",
            Status::Forbidden => "Forbidden",
            Status::NotFound => "Not Found",
            Status::MethodNotAllowed => "Method Not Allowed",
            Status::NotAcceptable => "Not Acceptable",
            Status::RequestTimeout => "Request Timeout",
            Status::PayloadTooLarge => "Content Too Large",
            Status::UnsupportedMediaType => "Unsupported Media Type",
            Status::UnprocessableContent => "Unprocessable Content",
            Status::HeaderFieldsTooLarge => "Request Header Fields Too Large",
            Status::InternalServerError => "Internal Server Error",
            Status::NotImplemented => "Not Implemented",
            Status::ServiceUnavailable => "Service Unavailable",
        }
    }
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

    fn no_content() -> Self {
        Self { status: Status::NoContent, content_type: None, headers: Vec::new(), body: Vec::new() }
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
/// Allow-Methods: GET and POST, all the endpoint takes, are always allowed.
const CORS_HEADERS: [(&str, &str); 3] = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
    ("Access-Control-Max-Age", "86400"),
];

/// Where operations are evaluated.
enum Evaluator {
    /// On a thread of this process, cancelled at the deadline.
    InProcess(Arc<GraphStore>),
    /// In worker processes.
    Workers(WorkerPool),
}

/// The endpoint: where it evaluates, its settings and the ready queries.
pub struct Endpoint {
    evaluator: Evaluator,
    config: ServeConfig,
    ready_queries: Vec<ReadyQuery>,
    /// The store's triple count for the service description, counted once
    /// (a full scan) when the store is read-only and so cannot change.
    triples: OnceLock<usize>,
    /// The analyst's pages, beside the endpoint.
    workbench: Arc<Workbench>,
}

impl Endpoint {
    /// An endpoint evaluating in this process: for tests and embedding, and
    /// for a writable store, as a query that ignores cancellation or exhausts
    /// memory is not contained.
    pub fn new(store: GraphStore, config: ServeConfig, ready_queries: Vec<ReadyQuery>) -> Self {
        let store = Arc::new(store);
        let workbench = Arc::new(Workbench::new(Arc::clone(&store), ready_queries.clone()));
        Self { evaluator: Evaluator::InProcess(store), config, ready_queries, triples: OnceLock::new(), workbench }
    }

    /// An endpoint evaluating in the worker processes of `pool`; the pages
    /// read `pages_store`, this process's read-only view of the same store.
    pub fn with_workers(pool: WorkerPool, pages_store: GraphStore, config: ServeConfig, ready_queries: Vec<ReadyQuery>) -> Self {
        let workbench = Arc::new(Workbench::new(Arc::new(pages_store), ready_queries.clone()));
        Self { evaluator: Evaluator::Workers(pool), config, ready_queries, triples: OnceLock::new(), workbench }
    }

    /// The pages served beside the endpoint.
    pub fn workbench(&self) -> &Workbench {
        &self.workbench
    }

    /// Triples in the store: counted once when read-only, each time otherwise.
    fn triple_count(&self) -> anyhow::Result<usize> {
        if let Some(&n) = self.triples.get() {
            return Ok(n);
        }
        let response = self.run(Job::CountTriples);
        if response.status != Status::Ok {
            anyhow::bail!("{}", String::from_utf8_lossy(&response.body));
        }
        let n = String::from_utf8_lossy(&response.body).trim().parse()?;
        if !self.config.allow_updates {
            let _ = self.triples.set(n);
        }
        Ok(n)
    }

    pub fn config(&self) -> &ServeConfig {
        &self.config
    }

    /// The memory each operation may use, when evaluated in workers.
    fn max_memory_bytes(&self) -> Option<u64> {
        match &self.evaluator {
            Evaluator::Workers(pool) => Some(pool.settings().max_memory_bytes),
            Evaluator::InProcess(_) => None,
        }
    }

    /// Answers one request. Never panics on any input; every refusal says why.
    pub fn handle(&self, request: &HttpRequest) -> HttpResponse {
        let response = if request.method == "OPTIONS" { HttpResponse::no_content() } else { self.route(request) };
        with_common_headers(response)
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
            Ok(Operation::Query(query)) => self.run(Job::Query {
                text: query.text,
                default_graphs: query.default_graphs.iter().map(|g| g.as_str().to_owned()).collect(),
                named_graphs: query.named_graphs.iter().map(|g| g.as_str().to_owned()).collect(),
                format: query.format,
                accept: request.accept.clone(),
                max_results: self.config.max_results,
            }),
            Ok(Operation::Update(_)) if !self.config.allow_updates => {
                HttpResponse::error(Status::Forbidden, "updates are disabled on this endpoint (start it with --allow-updates)")
            }
            Ok(Operation::Update(update)) => {
                let response = self.run(Job::Update(update));
                if response.status == Status::NoContent {
                    // The pages' whole-store snapshot no longer says what the store holds.
                    self.workbench.invalidate();
                }
                response
            }
        }
    }

    /// Evaluates `job`, answering within the timeout.
    fn run(&self, job: Job) -> HttpResponse {
        match &self.evaluator {
            Evaluator::InProcess(store) => {
                let token = CancellationToken::new();
                let _watchdog = Watchdog::arm(token.clone(), self.config.timeout);
                answer(store, &job, Some(token), &|| {}).unwrap_or_else(|Cancelled| self.stopped(Stopped::TimedOut))
            }
            Evaluator::Workers(pool) => {
                pool.run(&job, Instant::now() + self.config.timeout).unwrap_or_else(|stopped| self.stopped(stopped))
            }
        }
    }

    /// The response for an operation that got no answer, saying why.
    fn stopped(&self, why: Stopped) -> HttpResponse {
        match why {
            Stopped::Busy => HttpResponse::error(
                Status::ServiceUnavailable,
                format!("every query worker was busy until the server's timeout of {:?} (--timeout); try again shortly", self.config.timeout),
            ),
            Stopped::TimedOut => HttpResponse::error(
                Status::ServiceUnavailable,
                format!("the query was stopped at the server's timeout of {:?} (--timeout)", self.config.timeout),
            ),
            Stopped::OutOfMemory => HttpResponse::error(
                Status::ServiceUnavailable,
                format!(
                    "the query was stopped: it needed more than the {} MB of memory a query may use (--max-memory)",
                    self.max_memory_bytes().unwrap_or_default() >> 20
                ),
            ),
            Stopped::TooDeepToParse => HttpResponse::error(
                Status::BadRequest,
                format!(
                    "the SPARQL operation nests too deeply to be read: the parser ran out of stack (the limit is {} levels)",
                    sparql::MAX_NESTING
                ),
            ),
            Stopped::Crashed(status) => {
                HttpResponse::error(Status::InternalServerError, format!("the query's evaluation failed: its worker process ended ({status})"))
            }
            Stopped::CannotStart(reason) => HttpResponse::error(Status::InternalServerError, format!("cannot start a query worker: {reason}")),
        }
    }
}

impl http::Respond for Endpoint {
    fn respond(&self, request: &HttpRequest) -> HttpResponse {
        self.handle(request)
    }

    fn refuse(&self, status: Status, message: String) -> HttpResponse {
        with_common_headers(HttpResponse::error(status, message))
    }
}

/// A response with the headers every response carries.
fn with_common_headers(mut response: HttpResponse) -> HttpResponse {
    response.headers.extend(CORS_HEADERS.iter().map(|(k, v)| (*k, (*v).to_owned())));
    response.headers.push(("Vary", "Accept, Origin".to_owned()));
    response
}

/// The stack each evaluation gets: far more than [`sparql::MAX_NESTING`]
/// levels need, so that a query the nesting check misreads is still parsed
/// and refused rather than overflowing.
const EVALUATION_STACK_BYTES: usize = 64 << 20;

/// Evaluates `job` on a thread with [`EVALUATION_STACK_BYTES`] of stack,
/// calling `parsed` once the job is parsed and has passed its checks: the
/// response, or [`Cancelled`] if `cancellation` was cancelled.
pub(crate) fn answer(
    store: &GraphStore,
    job: &Job,
    cancellation: Option<CancellationToken>,
    parsed: &(dyn Fn() + Sync),
) -> Result<HttpResponse, Cancelled> {
    std::thread::scope(|scope| {
        let evaluation = std::thread::Builder::new()
            .name("evaluation".into())
            .stack_size(EVALUATION_STACK_BYTES)
            .spawn_scoped(scope, || evaluate(store, job, cancellation, parsed));
        let outcome = match evaluation {
            Ok(thread) => thread.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the evaluation panicked"))),
            Err(e) => Err(anyhow::anyhow!("cannot start an evaluation thread: {e}")),
        };
        match outcome {
            Ok(response) => Ok(response),
            Err(e) if e.is::<Cancelled>() => Err(Cancelled),
            Err(e) => Ok(failure(e)),
        }
    })
}

/// The response for an operation that failed: the status says whose fault.
fn failure(e: anyhow::Error) -> HttpResponse {
    if let Some(syntax) = e.downcast_ref::<QuerySyntaxError>() {
        HttpResponse::error(Status::BadRequest, syntax)
    } else if let Some(deep) = e.downcast_ref::<TooDeep>() {
        HttpResponse::error(Status::BadRequest, deep)
    } else if let Some(big) = e.downcast_ref::<TooManyResults>() {
        HttpResponse::error(Status::UnprocessableContent, format!("{big} (the server's --max-results): add a LIMIT or narrow the query"))
    } else {
        HttpResponse::error(Status::InternalServerError, format!("the operation failed: {e:#}"))
    }
}

/// Evaluates and serializes one job: the response, or the error to map.
fn evaluate(store: &GraphStore, job: &Job, cancellation: Option<CancellationToken>, parsed: &dyn Fn()) -> anyhow::Result<HttpResponse> {
    match job {
        Job::Query { text, default_graphs, named_graphs, format, accept, max_results } => {
            let iris = |iris: &[String]| iris.iter().map(|i| NamedNode::new_unchecked(i.as_str())).collect();
            let options = RunOptions { default_graphs: iris(default_graphs), named_graphs: iris(named_graphs), cancellation };
            let prepared = sparql::prepare_query(text, &options)?;
            parsed();
            let results = prepared.run(store.inner())?;
            let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
            let Some(format) = negotiated(format.as_deref(), accept.as_deref(), is_graph) else {
                return Ok(HttpResponse::error(
                    Status::NotAcceptable,
                    format!("no acceptable format for this result; offered: {}", negotiate::offered_media_types()),
                ));
            };
            let media_type = if is_graph { format.graph.media_type() } else { format.results.media_type() };
            let body = sparql::serialize_results(results, format, Some(*max_results), Vec::new())?;
            Ok(HttpResponse::new(Status::Ok, &with_charset(media_type), body))
        }
        Job::Update(text) => {
            let prepared = sparql::prepare_update(text, cancellation.as_ref())?;
            parsed();
            prepared.run(store.inner()).map(|()| HttpResponse::no_content())
        }
        Job::CountTriples => {
            parsed();
            Ok(HttpResponse::new(Status::Ok, "text/plain; charset=utf-8", store.len()?.to_string()))
        }
    }
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
    accepting: std::thread::JoinHandle<()>,
    address: SocketAddr,
}

impl RunningServer {
    /// The address it listens on (the real port when 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Blocks while the server runs.
    pub fn join(self) -> anyhow::Result<()> {
        self.accepting.join().map_err(|_| anyhow::anyhow!("the server stopped unexpectedly"))
    }
}

/// Binds `endpoint.config().bind` and answers each connection on its own
/// thread, within the limits of [`ServeConfig`].
pub fn start(endpoint: Endpoint) -> anyhow::Result<RunningServer> {
    let bind = endpoint.config.bind.clone();
    let listener = std::net::TcpListener::bind(bind.as_str()).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    let address = listener.local_addr()?;
    let (limits, log_requests) = (endpoint.config.connection_limits(), endpoint.config.log_requests);
    endpoint.workbench.prepare_in_background();
    let responder: Arc<dyn http::Respond> = Arc::new(endpoint);
    let accepting = std::thread::Builder::new()
        .name("http listener".into())
        .spawn(move || http::serve(listener, limits, responder, log_requests))?;
    Ok(RunningServer { accepting, address })
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
    fn a_query_nested_past_the_limit_gets_400_saying_so() {
        let e = endpoint(ServeConfig::default());
        let braces = format!("SELECT * WHERE {}{}", "{".repeat(4000), "}".repeat(4000));
        let unions = format!("SELECT * WHERE {{ {{}} {} }}", "UNION {} ".repeat(4000));
        for query in [braces, unions] {
            let encoded: String = form_urlencoded::Serializer::new(String::new()).append_pair("query", &query).finish();
            let response = e.handle(&get("/sparql", &encoded));
            assert_eq!(response.status, Status::BadRequest);
            let message = String::from_utf8_lossy(&response.body);
            assert!(message.contains(&format!("limit of {}", sparql::MAX_NESTING)), "{message}");
        }
    }
}
