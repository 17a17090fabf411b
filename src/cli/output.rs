//! Output plumbing: buffered stdout, broken pipes, exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Some inputs could not be read; the rest were processed.
    PartialInputs,
}

/// A failure of the whole command.
#[derive(Debug)]
pub struct CliError(pub anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.into())
    }
}

pub type CliResult = Result<Outcome, CliError>;

/// Buffered, locked stdout.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Reports one problem with an input on stderr.
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("diplograph: {message}");
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == Some(io::ErrorKind::BrokenPipe)
    })
}

pub fn finish(result: CliResult) -> ExitCode {
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::PartialInputs) => ExitCode::from(1),
        Err(CliError(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(CliError(e)) => {
            let _ = io::stdout().flush();
            eprintln!("diplograph: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
