//! A query worker: a child process of `diplograph serve` (the hidden
//! `serve-worker` command) that opens the store itself and evaluates one
//! job at a time. Its memory is capped by the system (RLIMIT_DATA), and the
//! server kills it at a job's deadline, so a runaway query costs one worker
//! process and never the server.
//!
//! The server writes jobs to the worker's stdin, one JSON line each; the
//! worker answers on stdout with a JSON line (a [`Message`]) and, for a
//! reply, the body's bytes right after it.

use std::alloc::{GlobalAlloc, Layout};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::{answer, HttpResponse, Status};
use crate::graph::GraphStore;

/// The exit status of a worker whose allocation failed: it ran into the
/// memory limit.
pub const OUT_OF_MEMORY_EXIT: i32 = 3;

/// One thing for a worker to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Job {
    Query {
        text: String,
        /// `default-graph-uri` and `named-graph-uri`, already checked to be IRIs.
        default_graphs: Vec<String>,
        named_graphs: Vec<String>,
        format: Option<String>,
        accept: Option<String>,
        max_results: usize,
    },
    Update(String),
    /// The number of triples in the store, as the body of a 200 response.
    CountTriples,
}

/// What a worker says on its stdout.
#[derive(Debug, Serialize, Deserialize)]
pub enum Message {
    /// The store is open: jobs may come.
    Ready,
    /// The worker could not start, and why.
    Failed(String),
    /// The job is parsed and passed its checks: if the worker ends before
    /// replying, its evaluation ended it, not its parsing.
    Parsed,
    /// The response to a job; `body_bytes` bytes of body follow the line.
    Reply { status: Status, content_type: Option<String>, body_bytes: usize },
}

/// How a worker is started.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub store: PathBuf,
    /// Open the store for writing (so that updates can run).
    pub writable: bool,
    /// The most memory the process may map for data (heap, stacks).
    pub max_memory_bytes: u64,
}

/// Runs a worker on this process's stdin and stdout until stdin ends.
pub fn run_worker(options: &WorkerOptions) -> anyhow::Result<()> {
    let store = limit_memory(options.max_memory_bytes).and_then(|()| {
        if options.writable {
            GraphStore::open_existing(&options.store)
        } else {
            GraphStore::open_read_only(&options.store)
        }
    });
    let store = match store {
        Ok(store) => store,
        Err(e) => {
            send(&Message::Failed(format!("{e:#}")), &[])?;
            return Err(e);
        }
    };
    EXIT_ON_ALLOCATION_FAILURE.store(true, Ordering::SeqCst);
    send(&Message::Ready, &[])?;
    let (jobs, incoming) = std::sync::mpsc::channel::<String>();
    // Stdin ends when the server is gone: stop at once, even mid-evaluation,
    // rather than finish a job nobody waits for.
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if jobs.send(line).is_err() {
                break;
            }
        }
        end_now(0);
    });
    for line in incoming {
        let response = match serde_json::from_str::<Job>(&line) {
            // Nothing cancels a job here: the server kills the worker instead.
            Ok(job) => {
                let parsed = || {
                    let _ = send(&Message::Parsed, &[]);
                };
                answer(&store, &job, None, &parsed).unwrap_or_else(|e| HttpResponse::error(Status::ServiceUnavailable, e))
            }
            Err(e) => HttpResponse::error(Status::InternalServerError, format!("a job the worker cannot read: {e}")),
        };
        let reply = Message::Reply { status: response.status, content_type: response.content_type, body_bytes: response.body.len() };
        send(&reply, &response.body)?;
    }
    Ok(())
}

/// Writes one message, and its body, to the server (from any thread).
fn send(message: &Message, body: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, message)?;
    out.write_all(b"\n")?;
    out.write_all(body)?;
    out.flush()
}

/// Caps the data this process may map (heap and thread stacks, not the
/// store's memory-mapped files): past it, allocations fail.
#[cfg(unix)]
fn limit_memory(bytes: u64) -> anyhow::Result<()> {
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: setrlimit reads the struct it is given and nothing else.
    if unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) } != 0 {
        anyhow::bail!("cannot limit the worker's memory: {}", std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn limit_memory(_bytes: u64) -> anyhow::Result<()> {
    anyhow::bail!("query workers need a Unix system to limit their memory")
}

/// Ends the process without unwinding or running exit handlers (the store
/// may be in use on another thread).
fn end_now(status: i32) -> ! {
    // SAFETY: _exit only ends the process.
    unsafe { libc::_exit(status) }
}

static EXIT_ON_ALLOCATION_FAILURE: AtomicBool = AtomicBool::new(false);

/// The `diplograph` binary's allocator: mimalloc (allocation is a large
/// share of extraction's time), except that in a
/// worker a failed allocation ends the process with [`OUT_OF_MEMORY_EXIT`]
/// (instead of an abort), so that the server can tell the client why its
/// query stopped.
pub struct WorkerAllocator;

impl WorkerAllocator {
    fn checked(pointer: *mut u8) -> *mut u8 {
        if pointer.is_null() && EXIT_ON_ALLOCATION_FAILURE.load(Ordering::Relaxed) {
            end_now(OUT_OF_MEMORY_EXIT);
        }
        pointer
    }
}

// SAFETY: every call is passed to mimalloc unchanged.
unsafe impl GlobalAlloc for WorkerAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::checked(mimalloc::MiMalloc.alloc(layout))
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::checked(mimalloc::MiMalloc.alloc_zeroed(layout))
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::checked(mimalloc::MiMalloc.realloc(pointer, layout, new_size))
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        mimalloc::MiMalloc.dealloc(pointer, layout)
    }
}
