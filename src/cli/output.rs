//! Output plumbing: buffered stdout, broken pipes, exit codes.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use diplograph::progress::Progress;
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

/// Progress on stderr: a bar counting items of one kind (files, graphs),
/// labelled with the last item's name, unless quiet or not on a terminal;
/// and every problem and note, printed as it is met.
pub struct Reporter(Option<ProgressBar>);

impl Reporter {
    /// Problems and notes, without a bar.
    pub fn messages_only() -> Self {
        Reporter(None)
    }

    /// A bar, unless `quiet` or stderr is not a terminal (messages are printed either way).
    pub fn new(quiet: bool, unit: &str) -> Self {
        Reporter((!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{elapsed}}  {{msg}}")).expect("valid template"));
            bar
        }))
    }

    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }

    fn say(&self, message: String) {
        match &self.0 {
            Some(bar) => bar.suspend(|| warn(message)),
            None => warn(message),
        }
    }
}

impl Progress for Reporter {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
        }
    }
    fn item_done(&self, name: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(name.rsplit('/').next().unwrap_or(name).to_owned());
            bar.inc(1);
        }
    }
    fn problem(&self, input: &str, problem: &str) {
        self.say(format!("{input}: {problem}"));
    }
    fn note(&self, input: &str, note: &str) {
        self.say(format!("{input}: {note}"));
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
