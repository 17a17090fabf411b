//! The `diplograph` command line: parses arguments, calls the library, prints.
//!
//! Exit codes: 0 success; 1 some inputs could not be read (the others were
//! processed); 2 the command failed (bad arguments, store or query errors).
//! Results go to stdout, messages to stderr; a closed pipe ends quietly.

mod cli;

/// mimalloc, except in a query worker, where an allocation
/// refused by its memory limit ends the worker with a status that says so.
#[global_allocator]
static ALLOCATOR: diplograph::serve::WorkerAllocator = diplograph::serve::WorkerAllocator;

fn main() -> std::process::ExitCode {
    cli::run()
}
