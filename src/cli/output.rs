//! Output plumbing: buffered stdout, broken pipes, exit codes.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use diplograph::progress::{Progress, Quiet};
use indicatif::{ProgressBar, ProgressStyle};

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

/// Writes `value` as pretty-printed JSON, ending the line.
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Buffered, locked stdout.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// A progress bar on stderr counting items of one kind (files, graphs),
/// labelled with the last item's name.
pub struct CountBar(ProgressBar);

impl CountBar {
    /// A bar, unless `quiet` or stderr is not a terminal.
    pub fn unless_quiet(quiet: bool, unit: &str) -> Option<Self> {
        (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{elapsed}}  {{msg}}")).expect("valid template"));
            CountBar(bar)
        })
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}

impl Progress for CountBar {
    fn start(&self, total: usize) {
        self.0.set_length(total as u64);
    }
    fn item_done(&self, name: &str) {
        self.0.set_message(name.rsplit('/').next().unwrap_or(name).to_owned());
        self.0.inc(1);
    }
}

/// The bar as a progress sink, or no display.
pub fn progress_of(bar: &Option<CountBar>) -> &dyn Progress {
    match bar {
        Some(b) => b,
        None => &Quiet,
    }
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
