//! The server's side of the query workers: a fixed number of worker
//! processes, each evaluating one job at a time. A job waits for a free
//! worker until its deadline; a worker still busy at the deadline is killed
//! (which stops its evaluation and frees its memory at once) and a fresh
//! worker takes its slot, so a runaway query holds a slot for its timeout at
//! most.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::worker::{Job, Message, OUT_OF_MEMORY_EXIT};
use super::HttpResponse;

/// How the pool's workers are run.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// The `diplograph` binary, run as `diplograph serve-worker`.
    pub program: PathBuf,
    pub store: PathBuf,
    /// Open the store for writing; then there is one worker, as only one
    /// process may write to the store.
    pub writable: bool,
    pub workers: usize,
    pub max_memory_bytes: u64,
}

/// Why a job got no response from a worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// No worker became free before the deadline.
    Busy,
    /// The job ran past its deadline; its worker was killed.
    TimedOut,
    /// The worker ran out of the memory it may use.
    OutOfMemory,
    /// The worker ended while parsing the job: its parser ran out of stack.
    TooDeepToParse,
    /// The worker ended otherwise, with this exit status.
    Crashed(String),
    /// A worker could not be started, for this reason.
    CannotStart(String),
}

/// How long a new worker may take to open the store.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// The workers.
pub struct WorkerPool {
    settings: PoolSettings,
    slots: Arc<Slots>,
}

/// The free slots: an idle worker, or room to start one.
struct Slots {
    free: Mutex<Vec<Option<Worker>>>,
    freed: Condvar,
}

impl WorkerPool {
    /// Starts the workers; fails, with the worker's reason, when the store
    /// cannot be opened.
    pub fn start(mut settings: PoolSettings) -> anyhow::Result<Self> {
        settings.workers = if settings.writable { 1 } else { settings.workers.max(1) };
        let workers = (0..settings.workers).map(|_| Worker::start(&settings, None).map(Some)).collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self { settings, slots: Arc::new(Slots { free: Mutex::new(workers), freed: Condvar::new() }) })
    }

    pub fn settings(&self) -> &PoolSettings {
        &self.settings
    }

    /// Runs `job` on a worker, answering by `deadline`.
    pub fn run(&self, job: &Job, deadline: Instant) -> Result<HttpResponse, Stopped> {
        let slot = self.slots.acquire(deadline).ok_or(Stopped::Busy)?;
        let mut worker = match slot.and_then(|mut worker| worker.is_alive().then_some(worker)) {
            Some(worker) => worker,
            None => match Worker::start(&self.settings, Some(deadline)) {
                Ok(worker) => worker,
                Err(e) => {
                    self.slots.release(None);
                    return Err(Stopped::CannotStart(format!("{e:#}")));
                }
            },
        };
        let outcome = worker.run(job, deadline);
        if outcome.is_ok() {
            self.slots.release(Some(worker));
        } else {
            self.replace_in_background();
        }
        outcome
    }

    /// Starts a worker for a slot whose worker is gone, so that the next job
    /// does not wait for it.
    fn replace_in_background(&self) {
        let (settings, slots) = (self.settings.clone(), Arc::clone(&self.slots));
        let started = std::thread::Builder::new().name("worker start".into()).spawn({
            let slots = Arc::clone(&slots);
            move || slots.release(Worker::start(&settings, None).ok())
        });
        if started.is_err() {
            slots.release(None);
        }
    }
}

impl Slots {
    /// A free slot, waiting for one until `deadline`: an idle worker if
    /// there is one.
    fn acquire(&self, deadline: Instant) -> Option<Option<Worker>> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if !free.is_empty() {
                let idle = free.iter().position(Option::is_some).unwrap_or(0);
                return Some(free.swap_remove(idle));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            free = self.freed.wait_timeout(free, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    fn release(&self, slot: Option<Worker>) {
        self.free.lock().unwrap_or_else(|e| e.into_inner()).push(slot);
        self.freed.notify_one();
    }
}

/// One worker process, and what it said so far.
struct Worker {
    child: Child,
    jobs: ChildStdin,
    messages: mpsc::Receiver<Received>,
}

/// A message from a worker, with the body of a reply.
enum Received {
    Ready,
    Failed(String),
    Parsed,
    Reply(HttpResponse),
}

impl Worker {
    /// Starts a worker and waits until it has opened the store, at most
    /// [`STARTUP_TIMEOUT`] or until `deadline`.
    fn start(settings: &PoolSettings, deadline: Option<Instant>) -> anyhow::Result<Self> {
        let startup_timeout = deadline.map_or(STARTUP_TIMEOUT, |d| d.saturating_duration_since(Instant::now()).min(STARTUP_TIMEOUT));
        let mut command = Command::new(&settings.program);
        command.arg("serve-worker").arg("--store").arg(&settings.store).arg("--max-memory-bytes").arg(settings.max_memory_bytes.to_string());
        if settings.writable {
            command.arg("--writable");
        }
        // The allocator reserves address space a gigabyte at a time, which the
        // worker's memory limit would count as used: reserve little at a time.
        command.env("MIMALLOC_ARENA_RESERVE", "8MiB");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot run {} serve-worker: {e}", settings.program.display()))?;
        let (jobs, output) = (child.stdin.take().expect("piped stdin"), child.stdout.take().expect("piped stdout"));
        let (received, messages) = mpsc::channel();
        std::thread::Builder::new().name("worker output".into()).spawn(move || {
            let mut output = BufReader::new(output);
            while let Some(message) = read_message(&mut output) {
                if received.send(message).is_err() {
                    break;
                }
            }
        })?;
        let mut worker = Self { child, jobs, messages };
        match worker.messages.recv_timeout(startup_timeout) {
            Ok(Received::Ready) => Ok(worker),
            Ok(Received::Failed(reason)) => {
                worker.stop();
                Err(anyhow::anyhow!(reason))
            }
            Ok(Received::Parsed | Received::Reply(_)) | Err(_) => {
                let status = worker.stop();
                Err(anyhow::anyhow!("the query worker did not start ({status})"))
            }
        }
    }

    fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `job` and waits for the reply until `deadline`; on any failure
    /// the worker is stopped and says why.
    fn run(&mut self, job: &Job, deadline: Instant) -> Result<HttpResponse, Stopped> {
        let mut line = serde_json::to_vec(job).map_err(|e| Stopped::Crashed(e.to_string()))?;
        line.push(b'\n');
        if self.jobs.write_all(&line).and_then(|()| self.jobs.flush()).is_err() {
            return Err(self.ended());
        }
        let mut parsed = false;
        loop {
            match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(Received::Reply(response)) => return Ok(response),
                Ok(Received::Parsed) => parsed = true,
                Ok(Received::Ready | Received::Failed(_)) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.stop();
                    return Err(Stopped::TimedOut);
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(match self.ended() {
                        // The parser recurses per bracket; the checks that keep
                        // it within its stack can be misled by a crafted text.
                        Stopped::Crashed(_) if !parsed => Stopped::TooDeepToParse,
                        ended => ended,
                    })
                }
            }
        }
    }

    /// Why the worker ended on its own. It is killed first, in case it only
    /// broke off its output: killing a process that has exited changes
    /// nothing, and waiting for one that broke off would wait forever.
    fn ended(&mut self) -> Stopped {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) if status.code() == Some(OUT_OF_MEMORY_EXIT) => Stopped::OutOfMemory,
            Ok(status) => Stopped::Crashed(status.to_string()),
            Err(e) => Stopped::Crashed(e.to_string()),
        }
    }

    /// Kills the worker and waits for it to be gone: its status.
    fn stop(&mut self) -> String {
        let _ = self.child.kill();
        self.child.wait().map_or_else(|e| e.to_string(), |s| s.to_string())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if self.is_alive() {
            self.stop();
        }
    }
}

/// The next message of a worker, with its body; `None` at the end of its output.
fn read_message(output: &mut impl BufRead) -> Option<Received> {
    let mut line = String::new();
    if output.read_line(&mut line).ok()? == 0 {
        return None;
    }
    Some(match serde_json::from_str(&line).ok()? {
        Message::Ready => Received::Ready,
        Message::Failed(reason) => Received::Failed(reason),
        Message::Parsed => Received::Parsed,
        Message::Reply { status, content_type, body_bytes } => {
            let mut body = vec![0; body_bytes];
            output.read_exact(&mut body).ok()?;
            Received::Reply(HttpResponse { status, content_type, headers: Vec::new(), body })
        }
    })
}
