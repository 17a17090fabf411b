//! A panic costs the work that raised it, not the run: the pipeline reads
//! each file and extracts each document inside [`contain`], so a bug that
//! one input trips is reported as that input's problem while every other
//! input goes on.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside `contain` (its panics are reported by it, not printed).
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
    /// The last contained panic's message and place.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `work`. A panic inside it becomes `Err` with the panic's message and
/// where it was raised, instead of unwinding further; the default panic
/// message is not printed for it.
pub fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINING.get() {
                let place = info.location().map(|l| format!(" (at {}:{})", l.file(), l.line())).unwrap_or_default();
                LAST.set(Some(format!("{}{place}", message(info.payload()))));
            } else {
                previous(info);
            }
        }));
    });
    let outer = CONTAINING.replace(true);
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CONTAINING.set(outer);
    result.map_err(|payload| LAST.take().unwrap_or_else(|| message(payload.as_ref())))
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[cfg(test)]
mod tests {
    use super::contain;

    #[test]
    fn a_panic_becomes_an_error_with_its_message_and_place() {
        let error = contain(|| {
            let v: Vec<u32> = Vec::new();
            v[usize::from(v.is_empty())]
        })
        .unwrap_err();
        assert!(error.contains("index out of bounds") && error.contains("src/panics.rs"), "{error}");
        assert_eq!(contain(|| 7), Ok(7));
        // Nested: the inner panic is the inner call's, the outer work goes on.
        assert_eq!(contain(|| contain(|| panic!("inner")).unwrap_err().starts_with("inner")), Ok(true));
    }
}
