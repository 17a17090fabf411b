//! The `diplograph` command line: parses arguments, calls the library, prints.
//!
//! Exit codes: 0 success; 1 some inputs could not be read (the others were
//! processed); 2 the command failed (bad arguments, store or query errors).
//! Results go to stdout, messages to stderr; a closed pipe ends quietly.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
