//! Running a handler so that its panic crashes the process, not the harness.
//!
//! `catch_unwind` turns a panic into a value; a panic hook installed once keeps
//! such expected panics off stderr (thousands of seeds would otherwise print
//! thousands of backtraces) while leaving every other panic's report alone.

use crate::{Actor, Ctx, Reason, Signal};
use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static IN_HANDLER: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_HANDLER.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `actor` on one signal, as every executor does: a `Stop` runs
/// `terminate` and ends the process with its reason (`Ok(Some(reason))`);
/// anything else runs `handle` (`Ok(None)`); a panic in either is `Err`.
pub fn run_signal(actor: &mut dyn Actor, signal: Signal, ctx: &mut dyn Ctx) -> Result<Option<Reason>, String> {
    run_handler(|| match signal {
        Signal::Stop { reason, .. } => {
            actor.terminate(&reason, ctx);
            Some(reason)
        }
        other => {
            actor.handle(other, ctx);
            None
        }
    })
}

/// Where the oldest signal in `mailbox` that `actor` accepts is; when
/// `accepts` panicked on it, also the panic's message. A panicking `accepts`
/// takes the signal, so the process crashes when it would handle it.
pub fn first_accepted<'a>(
    actor: &dyn Actor,
    mut mailbox: impl ExactSizeIterator<Item = &'a Signal>,
) -> Option<(usize, Option<String>)> {
    if mailbox.len() == 0 {
        return None; // the common case, without the guard's cost
    }
    let mut at = 0;
    let scan = run_handler(|| {
        for signal in mailbox.by_ref() {
            if actor.accepts(signal) {
                return true;
            }
            at += 1;
        }
        false
    });
    match scan {
        Ok(found) => found.then_some((at, None)),
        Err(text) => Some((at, Some(text))),
    }
}

/// Leaves the running handler at once: its process ends with `Reason::Panic(why)`.
pub fn abandon_handler(why: String) -> ! {
    panic::resume_unwind(Box::new(why))
}

/// Runs `f`; a panic becomes `Err(message)`.
pub fn run_handler<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    let was_inside = IN_HANDLER.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_HANDLER.with(|c| c.set(was_inside));
    result.map_err(|payload| panic_text(&*payload))
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}
