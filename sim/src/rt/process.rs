//! A process's life on its own thread: spawn (with `init` in the spawner's
//! step), the receive-handle loop, and death.
//!
//! Death is split on purpose. A dying process first becomes dead in one
//! table step (mailbox closed, links and watchers taken, stoppers woken), so
//! a synchronous stop can return; then it delivers each link's exit signal
//! and each monitor's `DOWN` as a step of its own. Between those steps other
//! threads run: a client's next call can reach a monitoring server before the
//! `DOWN` does, which is the race the deterministic executor's two-phase exits reach, and
//! what loom must be able to reach. Invariant: a process's thread ends only
//! after it is dead and every signal of its death has been delivered.

use super::activity::Idle;
use super::ctx::ThreadCtx;
use super::kernel::{Kernel, Monitors};
use super::mailbox::Next;
use super::platform::Platform;
use crate::actor::DEFAULT_LABEL;
use crate::panic_guard::{run_handler, run_signal};
use crate::{Actor, Pid, Reason, Ref, RunError, Signal};
use std::cell::RefCell;
use std::sync::Arc;

/// What only a process itself reads and writes.
pub(crate) struct Local {
    pub trap_exit: bool,
    /// Set by `stop_self`: end with this reason once the handler returns.
    pub stop_after: Option<Reason>,
    /// Its monitors whose `DOWN` it has not taken.
    pub monitors: Monitors,
    ref_serial: u32,
}

impl Local {
    pub fn new(trap_exit: bool) -> Local {
        Local { trap_exit, stop_after: None, monitors: Monitors::new(), ref_serial: 0 }
    }

    pub fn make_ref(&mut self, owner: Pid) -> Ref {
        self.ref_serial = self.ref_serial.checked_add(1).expect("fewer than 2^32 refs per process");
        Ref { owner, serial: self.ref_serial }
    }
}

/// Starts a process for `parent`, whose handler runs `depth` inits deep
/// (0 outside any init): its `init` runs here, in the spawner's step; then,
/// unless `init` ended it, its thread starts. A `label` or `init` that
/// panics ends the child; a runtime at capacity refuses the spawn.
pub(crate) fn spawn<P: Platform>(
    kernel: &Arc<Kernel<P>>,
    parent: Pid,
    mut actor: Box<dyn Actor>,
    link: bool,
    depth: usize,
) -> Result<Pid, RunError> {
    let label = run_handler(|| actor.label());
    let name = label.as_ref().map_or_else(|_| DEFAULT_LABEL.to_string(), |label| label.to_string());
    let pid =
        kernel.add(name.clone(), false, link.then_some(parent)).ok_or(RunError::ProcessBound(kernel.capacity()))?;
    let mut local = Local::new(false);
    let outcome = label.and_then(|_| {
        run_handler(|| actor.init(&mut ThreadCtx { kernel, me: pid, local: &mut local, depth: depth + 1 }))
    });
    if let Some(reason) = settle(outcome.map(|()| None), &mut local) {
        die(kernel, pid, reason);
        return Ok(pid);
    }
    let shared = Arc::clone(kernel);
    kernel.activity.thread_starts();
    let handle = P::spawn(format!("{name}{pid}"), Box::new(move || run(shared, pid, actor, local)));
    kernel.set_thread(pid, handle);
    Ok(pid)
}

/// The process's thread: receive, handle, until it dies.
fn run<P: Platform>(kernel: Arc<Kernel<P>>, pid: Pid, mut actor: Box<dyn Actor>, mut local: Local) {
    // Ends when the process dies; each turn handles one signal.
    loop {
        let signal = match receive(&kernel, pid, actor.as_ref(), local.trap_exit) {
            Next::Die(reason) => break die(&kernel, pid, reason),
            Next::Handle(signal) => signal,
        };
        if let Signal::Down { mref, .. } = &signal {
            local.monitors.remove(mref);
        }
        if let Some(reason) = dispatch(&kernel, pid, actor.as_mut(), &mut local, signal) {
            break die(&kernel, pid, reason);
        }
    }
    drop(actor);
    if kernel.activity.thread_ends() {
        kernel.report_deadlock();
    }
}

/// Waits for the next signal `pid` acts on. An `accepts` that panics takes
/// the signal it panicked on, and the process dies of the panic.
fn receive<P: Platform>(kernel: &Kernel<P>, pid: Pid, actor: &dyn Actor, trap_exit: bool) -> Next {
    let cell = kernel.cell(pid).expect("a spawned pid has a cell");
    let panicked = RefCell::new(None);
    let accepts = |s: &Signal| {
        run_handler(|| actor.accepts(s)).unwrap_or_else(|text| {
            *panicked.borrow_mut() = Some(text);
            true
        })
    };
    let next = loop {
        match cell.wait_until(|m| m.next(pid, trap_exit, accepts)) {
            Ok(next) => break next,
            Err(Idle) => kernel.report_deadlock(), // then wait again: a driver handle is awake now
        }
    };
    match panicked.into_inner() {
        Some(text) => Next::Die(Reason::Panic(text)),
        None => next,
    }
}

/// Runs one handler; answers the reason the process ends with, if it does.
fn dispatch<P: Platform>(
    kernel: &Arc<Kernel<P>>,
    pid: Pid,
    actor: &mut dyn Actor,
    local: &mut Local,
    signal: Signal,
) -> Option<Reason> {
    let outcome = run_signal(actor, signal, &mut ThreadCtx { kernel, me: pid, local: &mut *local, depth: 0 });
    settle(outcome, local)
}

/// A panic or a stop ends the process; so does a `stop_self` from the handler.
fn settle(outcome: Result<Option<Reason>, String>, local: &mut Local) -> Option<Reason> {
    match outcome {
        Err(text) => Some(Reason::Panic(text)),
        Ok(stop) => stop.or_else(|| local.stop_after.take()),
    }
}

/// Ends `pid`: dead in one step, then one delivery step per link and monitor.
pub(crate) fn die<P: Platform>(kernel: &Kernel<P>, pid: Pid, reason: Reason) {
    let cell = kernel.cell(pid).expect("a process has a cell");
    let death = cell.change(|m| m.close(reason.clone(), kernel.tick()));
    drop(death.dropped);
    for partner in death.links {
        if let Some(cell) = kernel.cell(partner) {
            cell.change(|m| {
                m.unlink(pid);
                m.push(Signal::Exit { from: pid, reason: reason.clone() })
            });
        }
    }
    for (mref, owner) in death.watchers {
        if let Some(cell) = kernel.cell(owner) {
            cell.change(|m| m.push_down(mref, pid, reason.clone()));
        }
    }
}
