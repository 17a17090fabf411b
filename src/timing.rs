//! Where a run's time goes, stage by stage, for `diplograph bench extract
//! --stages`. Off unless a benchmark turns it on: a timed call then costs two
//! clock reads and a lock, otherwise one relaxed load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
static TOTALS: Mutex<Vec<StageTime>> = Mutex::new(Vec::new());

/// The time spent in one stage, summed over every call and thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageTime {
    pub stage: &'static str,
    pub total: Duration,
    pub calls: u64,
}

/// Starts timing stages, from zero.
pub fn start() {
    TOTALS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    ON.store(true, Ordering::Relaxed);
}

/// Stops timing; the stages timed since [`start`], in the order first met.
pub fn stop() -> Vec<StageTime> {
    ON.store(false, Ordering::Relaxed);
    std::mem::take(&mut *TOTALS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Runs `f`, adding its time to `stage` when timing is on.
pub fn time<R>(stage: &'static str, f: impl FnOnce() -> R) -> R {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let began = Instant::now();
    let out = f();
    let took = began.elapsed();
    let mut totals = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    match totals.iter_mut().find(|t| t.stage == stage) {
        Some(t) => {
            t.total += took;
            t.calls += 1;
        }
        None => totals.push(StageTime { stage, total: took, calls: 1 }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_timed_only_while_on() {
        assert_eq!(time("untimed", || 1), 1);
        start();
        time("sleep", || std::thread::sleep(Duration::from_millis(2)));
        time("sleep", || ());
        let stages = stop();
        time("after", || ());
        assert_eq!(stages.len(), 1, "{stages:?}");
        assert_eq!((stages[0].stage, stages[0].calls), ("sleep", 2));
        assert!(stages[0].total >= Duration::from_millis(2));
        assert!(stop().is_empty(), "nothing is timed while off");
    }
}
