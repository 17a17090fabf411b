//! Progress of long operations (ingest's files, push's graphs), reported to
//! whatever displays it: the CLI's progress bar and messages, or nothing.

/// Told how many items there are, then of each one as it is done, and of
/// each problem and note as it is met (not at the end: a long run reports
/// its first bad file at once).
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn item_done(&self, _name: &str) {}
    /// An input that could not be read, wholly or in part.
    fn problem(&self, _input: &str, _problem: &str) {}
    /// Something to know about an input that was read: a repair, a bound reached, an id taken.
    fn note(&self, _input: &str, _note: &str) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}
