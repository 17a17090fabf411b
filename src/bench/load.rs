//! A bounded load on a SPARQL endpoint: the ready queries, round-robin, from
//! several concurrent clients; throughput and latency percentiles.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::queries::ReadyQuery;
use crate::remote::{RemoteClient, RetryPolicy};

/// What a load run measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoadReport {
    pub queries: usize,
    pub concurrency: usize,
    pub errors: usize,
    /// The first error met, if any.
    pub first_error: Option<String>,
    pub seconds: f64,
    pub queries_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Sends `total` queries (cycling through `queries`) from `concurrency` clients.
pub fn load(endpoint: &str, queries: &[ReadyQuery], total: usize, concurrency: usize) -> anyhow::Result<LoadReport> {
    anyhow::ensure!(!queries.is_empty(), "no queries to send");
    // No retries: a failure must count as one.
    let client = RemoteClient::new(None, RetryPolicy { attempts: 1, ..RetryPolicy::default() });
    let bodies: Vec<String> = queries
        .iter()
        .map(|q| form_urlencoded::Serializer::new(String::new()).append_pair("query", &q.text).finish())
        .collect();
    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total));
    let errors = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let body = &bodies[i % bodies.len()];
                let sent = Instant::now();
                let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/sparql-results+json")];
                match client.send("POST", endpoint, &headers, body.as_bytes(), &[]) {
                    Ok(_) => latencies.lock().unwrap_or_else(|e| e.into_inner()).push(sent.elapsed()),
                    Err(e) => errors.lock().unwrap_or_else(|e| e.into_inner()).push(e.to_string()),
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut latencies = latencies.into_inner().unwrap_or_else(|e| e.into_inner());
    latencies.sort();
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        ms(latencies[rank - 1])
    };
    Ok(LoadReport {
        queries: total,
        concurrency,
        errors: errors.len(),
        first_error: errors.first().cloned(),
        seconds,
        queries_per_second: total as f64 / seconds,
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        max_ms: latencies.last().copied().map(ms).unwrap_or(0.0),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
