//! `serve` and `push`: the graph over the standard HTTP protocols.

use std::io::Write;
use std::time::Duration;

use clap::Args;
use diplograph::graph::GraphStore;
use diplograph::queries;
use diplograph::remote::client::redact;
use diplograph::remote::{push, Credentials, PushConfig, RemoteClient, RetryPolicy};
use diplograph::serve::{self, Endpoint, PoolSettings, ServeConfig, WorkerOptions, WorkerPool};

use super::output::{self, CliResult, Outcome};
use super::store::StoreArgs;

#[derive(Args)]
#[command(after_help = "Endpoints:\n  /sparql          SPARQL 1.1 Protocol: GET ?query=…, POST a form or an application/sparql-query body;\n                   GET without a query returns the service description\n  /queries         the ready queries (JSON), each with a URL that runs it\n  /queries/NAME    one ready query's text\nThe workbench, for a browser:\n  /                the store at a glance       /search?q=NAME   documents and entities by any name\n  /doc/ID          a document and its text     /entity/ID       an entity, its neighbours and evidence\n  /query           a SPARQL editor with the ready queries and a results table\n\nResults are JSON, XML, CSV or TSV (graphs: Turtle, N-Triples, JSON-LD, RDF/XML), chosen by the\nAccept header or a format=csv parameter. A malformed query gets 400 with the parser's message, and\nso does one nested more than 256 levels deep; a result over --max-results gets 422; an update 403\nunless --allow-updates.\n\nQueries run in --workers worker processes, each limited to --max-memory: a query still running at\n--timeout, or needing more memory, is stopped (its worker is killed and replaced) and gets 503.\nA connection idle for --idle-timeout is closed, a request must arrive within --request-timeout\n(408), and at most --max-connections are open: beyond that the one that has waited longest for\nits client is closed. The store is opened read-only unless updates are allowed (then the server\nprocess evaluates everything itself, without the workers' memory limit); restart the server to\nsee a later ingest.\n\nExamples:\n  diplograph serve\n  diplograph serve --store kg.db --bind 127.0.0.1:8080 --timeout 10 --max-memory 512\n  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' http://127.0.0.1:7878/sparql")]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address and port to listen on; port 0 picks a free one. Loopback unless you say otherwise.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Accept SPARQL updates (POST application/sparql-update or update=).
    #[arg(long)]
    pub allow_updates: bool,
    /// Stop a query or update that runs longer (seconds); also the time a client has to take a response.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Refuse results with more solutions or triples.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_results: usize,
    /// Worker processes evaluating queries at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Memory each worker process may use, the query it evaluates included (MB).
    #[arg(long, value_name = "MB", default_value_t = 2048)]
    pub max_memory: u64,
    /// Connections open at once; beyond that, the one waiting longest for its client is closed.
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections: usize,
    /// Close a kept-alive connection that sends no request for this long (seconds).
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub idle_timeout: f64,
    /// A request must arrive whole within this long of its first byte (seconds), else 408.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub request_timeout: f64,
    /// No line per request on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// A positive, finite number of seconds.
fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    if !(value > 0.0 && value.is_finite()) {
        anyhow::bail!("{flag} must be a positive number of seconds");
    }
    Ok(Duration::from_secs_f64(value))
}

pub fn run_serve(args: ServeArgs) -> CliResult {
    let config = ServeConfig {
        bind: args.bind,
        allow_updates: args.allow_updates,
        timeout: seconds(args.timeout, "--timeout")?,
        max_results: args.max_results,
        max_connections: args.max_connections,
        idle_timeout: seconds(args.idle_timeout, "--idle-timeout")?,
        request_timeout: seconds(args.request_timeout, "--request-timeout")?,
        log_requests: !args.quiet,
        ..ServeConfig::default()
    };
    if args.max_memory < 256 {
        return Err(anyhow::anyhow!("--max-memory must be at least 256 MB (a worker needs about 150 MB before it evaluates anything)").into());
    }
    let mode = if config.allow_updates { "updates allowed, evaluated in the server" } else { "read-only" };
    let (endpoint, summary) = if config.allow_updates {
        // One writer: the pages and the updates share this process's store.
        let store = GraphStore::open_existing(&args.store.store)?;
        let summary = format!("{mode}, timeout {} s, at most {} results", args.timeout, config.max_results);
        (Endpoint::new(store, config, queries::all()?), summary)
    } else {
        let pages_store = GraphStore::open_read_only(&args.store.store)?;
        let pool = WorkerPool::start(PoolSettings {
            program: std::env::current_exe()?,
            store: args.store.store.clone(),
            writable: false,
            workers: args.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            max_memory_bytes: args.max_memory << 20,
        })?;
        let summary = format!(
            "{mode}, timeout {} s, at most {} results, {} query worker(s) of at most {} MB",
            args.timeout,
            config.max_results,
            pool.settings().workers,
            args.max_memory
        );
        (Endpoint::with_workers(pool, pages_store, config, queries::all()?), summary)
    };
    let server = serve::start(endpoint)?;
    let address = server.address();
    if !address.ip().is_loopback() {
        output::warn(format!("listening on {}: anyone who can reach this machine can query the store", address.ip()));
    }
    // The address goes to stdout, so that scripts started with port 0 can read it.
    let mut out = output::stdout();
    writeln!(out, "serving {} at http://{address}/sparql ({summary})", diplograph::paths::path_name(&args.store.store))?;
    out.flush()?;
    drop(out);
    server.join()?;
    Ok(Outcome::Success)
}

/// The hidden `serve-worker` command: `serve` runs it in child processes.
#[derive(Args)]
pub struct ServeWorkerArgs {
    #[arg(long)]
    pub store: std::path::PathBuf,
    #[arg(long)]
    pub writable: bool,
    #[arg(long)]
    pub max_memory_bytes: u64,
}

pub fn run_serve_worker(args: ServeWorkerArgs) -> CliResult {
    serve::run_worker(&WorkerOptions { store: args.store, writable: args.writable, max_memory_bytes: args.max_memory_bytes })?;
    Ok(Outcome::Success)
}

#[derive(Args)]
#[command(after_help = "Every named graph of the store (one per document, the shared entity graph, the analysis\ngraph) replaces its namesake on the remote store (HTTP PUT; graphs over --batch triples go in\nseveral requests). Graphs in diplograph's namespace that the local store no longer has are\ndeleted, so pushing twice changes nothing. Transient failures (connection errors, 429, 5xx)\nare retried with exponential backoff. The password is read from the environment variable\nnamed by --password-env and is never printed.\n\nExamples:\n  # Apache Jena Fuseki, dataset /kg\n  diplograph push --endpoint http://localhost:3030/kg/sparql --graph-store http://localhost:3030/kg/data\n  # Virtuoso (Digest authentication on the -auth service)\n  DBA_PASSWORD=… diplograph push --endpoint http://localhost:8890/sparql \\\n      --graph-store http://localhost:8890/sparql-graph-crud-auth --user dba --password-env DBA_PASSWORD\n  # GraphDB, repository kg\n  diplograph push --endpoint http://localhost:7200/repositories/kg \\\n      --graph-store http://localhost:7200/repositories/kg/rdf-graphs/service")]
pub struct PushArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The remote SPARQL query endpoint (lists and counts the remote graphs).
    #[arg(long, value_name = "URL")]
    pub endpoint: String,
    /// The remote Graph Store Protocol service (default: the endpoint URL).
    #[arg(long, value_name = "URL")]
    pub graph_store: Option<String>,
    /// User name for the remote store (Basic or Digest authentication, as it asks).
    #[arg(long, value_name = "USER", requires = "password_env")]
    pub user: Option<String>,
    /// Name of the environment variable that holds the password.
    #[arg(long, value_name = "VAR", requires = "user")]
    pub password_env: Option<String>,
    /// Triples per request.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub batch: usize,
    /// Attempts per request before giving up.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub attempts: u32,
    /// The longest wait on the remote store at any one step of a request (seconds).
    #[arg(long, value_name = "SECONDS", default_value_t = diplograph::remote::client::DEFAULT_REQUEST_TIMEOUT.as_secs_f64())]
    pub timeout: f64,
    /// Keep remote graphs in diplograph's namespace that the local store lacks.
    #[arg(long)]
    pub no_prune: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run_push(args: PushArgs) -> CliResult {
    let credentials = match (args.user, args.password_env) {
        (Some(user), Some(var)) => {
            let password = std::env::var(&var).map_err(|_| anyhow::anyhow!("the environment variable {var} (--password-env) is not set"))?;
            Some(Credentials { user, password })
        }
        _ => None,
    };
    if args.batch == 0 || args.attempts == 0 {
        return Err(anyhow::anyhow!("--batch and --attempts must be at least 1").into());
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        return Err(anyhow::anyhow!("--timeout must be a positive number of seconds").into());
    }
    let store = GraphStore::open_read_only(&args.store.store)?;
    let client = RemoteClient::new(credentials, RetryPolicy { attempts: args.attempts, request_timeout: Duration::from_secs_f64(args.timeout), ..RetryPolicy::default() });
    let config = PushConfig {
        graph_store: args.graph_store.unwrap_or_else(|| args.endpoint.clone()),
        endpoint: args.endpoint,
        batch_triples: args.batch,
        prune: !args.no_prune,
    };
    let reporter = output::Reporter::new(args.quiet, "graphs");
    let report = push(&store, &client, &config, &reporter)?;
    reporter.finish();
    let local = store.len()?;
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &report)?;
    } else {
        writeln!(
            out,
            "pushed {} graph(s), {} triples ({:.1} MB) to {} in {:.1} s: {} request(s), {} retried; {} stale graph(s) removed",
            report.graphs,
            report.triples,
            report.bytes as f64 / 1e6,
            redact(&config.graph_store),
            report.seconds,
            report.requests,
            report.retries,
            report.pruned
        )?;
        match report.remote_triples {
            Some(n) => writeln!(out, "the remote holds {n} triples in diplograph's graphs; the local store {local}")?,
            None => writeln!(out, "the remote endpoint did not answer a triple count")?,
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
