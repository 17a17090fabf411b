//! Progress of long operations (ingest's files, push's graphs), reported to
//! whatever displays it: the CLI's progress bar, or nothing.

/// Told how many items there are, then of each one as it is done.
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn item_done(&self, _name: &str) {}
}

/// No progress display.
pub struct Quiet;
impl Progress for Quiet {}
