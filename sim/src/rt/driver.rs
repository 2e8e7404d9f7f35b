//! Test code's handle on a thread runtime: the [`Driver`] trait, plus what a
//! researcher needs around it (a clock, process records, more client
//! handles for other threads, a receive for the driver's own mailbox) and
//! the shutdown that ends every thread.
//!
//! A handle is a pseudo-process (a table entry with a mailbox, no thread of
//! its own): it traps exits and never dies. The main handle ([`ThreadDriver::new`],
//! [`Pid::DRIVER`]) owns the runtime's end: [`ThreadDriver::finish`] (or its
//! `Drop`) kills every live process and joins every thread, so no thread
//! outlives the runtime (loom requires it). Invariant: every blocking
//! method here ends: a call ends with the reply or the callee's `DOWN`, a
//! stop with the process's death, a join with a thread that is dying.

use super::kernel::Kernel;
use super::platform::Platform;
use super::process::{self, Local};
use crate::call::{Caller, Outstanding};
use crate::det::ProcessRecord;
use crate::{Actor, CallError, Driver, Msg, Pid, Reason, Ref, RunError, Signal};
use std::sync::Arc;

/// Default upper bound on pids (processes and driver handles) per runtime.
pub const DEFAULT_CAPACITY: usize = 4096;

/// A driver handle on a thread runtime over platform `P`.
pub struct ThreadDriver<P: Platform> {
    kernel: Arc<Kernel<P>>,
    me: Pid,
    local: Local,
    /// The main handle shuts the runtime down; client handles do not.
    main: bool,
    finished: bool,
}

impl<P: Platform> Default for ThreadDriver<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Platform> ThreadDriver<P> {
    /// A new runtime, and its main handle ([`Pid::DRIVER`]).
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// A new runtime holding at most `capacity` pids.
    pub fn with_capacity(capacity: usize) -> Self {
        let kernel = Arc::new(Kernel::new(capacity));
        let me = kernel.add("test".to_string(), true, None);
        assert_eq!(me, Some(Pid::DRIVER));
        let me = Pid::DRIVER;
        kernel.activity.handle_opens();
        ThreadDriver { kernel, me, local: Local::new(true), main: true, finished: false }
    }

    /// Another handle on the same runtime, with a pid of its own, for test
    /// code on another thread. Join that thread before [`ThreadDriver::finish`].
    pub fn client(&self, label: &str) -> ThreadDriver<P> {
        let me = self.kernel.add(label.to_string(), true, None).expect("the runtime has room for another handle");
        self.kernel.activity.handle_opens();
        ThreadDriver { kernel: Arc::clone(&self.kernel), me, local: Local::new(true), main: false, finished: false }
    }

    pub fn pid(&self) -> Pid {
        self.me
    }

    /// The runtime's logical clock: a new, larger stamp on every call.
    pub fn now(&self) -> u64 {
        self.kernel.tick()
    }

    /// How `pid` lived: label, and the stamps of its start and end.
    pub fn process(&self, pid: Pid) -> Option<ProcessRecord> {
        self.kernel.record(pid)
    }

    /// Every process (driver handles excluded), in spawn order.
    pub fn processes(&self) -> Vec<ProcessRecord> {
        self.kernel.records()
    }

    /// `monitor(pid)` by this handle; its `DOWN` lands in this handle's mailbox.
    pub fn monitor(&mut self, pid: Pid) -> Ref {
        let mref = self.local.make_ref(self.me);
        self.kernel.monitor(self.me, &mut self.local.monitors, mref, pid);
        mref
    }

    /// Blocks until a signal for which `wanted` holds is in this handle's
    /// mailbox, and takes it; `Deadlock` when every process and every other
    /// handle waits too, so none can ever come.
    pub fn receive(&mut self, wanted: impl Fn(&Signal) -> bool) -> Result<Signal, RunError> {
        let cell = self.kernel.cell(self.me).expect("a driver has a cell");
        let signal = self.kernel.driver_wait(cell, |m| m.take_first(&wanted))?;
        if let Signal::Down { mref, .. } = &signal {
            self.local.monitors.remove(mref);
        }
        Ok(signal)
    }

    /// How many signals waiting in this handle's mailbox satisfy `wanted`.
    pub fn pending(&self, wanted: impl Fn(&Signal) -> bool) -> usize {
        let cell = self.kernel.cell(self.me).expect("a driver has a cell");
        cell.with(|m| m.count(&wanted))
    }

    /// Waits until `pid`'s thread has ended: it is dead and every signal of
    /// its death has been delivered. Returns at once for a pid without a
    /// thread. Never call it for a live process nobody will end.
    pub fn join(&mut self, pid: Pid) {
        self.kernel.join(pid);
    }

    /// Ends the runtime: kills every live process, joins every thread, and
    /// answers every process's record. Only the main handle may finish.
    pub fn finish(mut self) -> Vec<ProcessRecord> {
        self.shutdown();
        self.kernel.records()
    }

    /// Kills the live processes one at a time, in spawn order, joining each
    /// before the next (a spawner's handler has finished, so its children's
    /// threads are known, before they are reached); then joins the rest.
    fn shutdown(&mut self) {
        assert!(self.main, "only the main driver handle ends the runtime");
        self.finished = true;
        let rounds = self.kernel.len();
        for _ in 0..=rounds {
            let live = self.kernel.live();
            if live.is_empty() {
                break;
            }
            for pid in live {
                self.kernel.send(pid, Signal::Exit { from: self.me, reason: Reason::Kill });
                self.kernel.join(pid);
            }
        }
        assert!(self.kernel.live().is_empty(), "every process ended at shutdown");
        for index in 0..self.kernel.len() {
            self.kernel.join(Pid(index as u32));
        }
    }
}

impl<P: Platform> ThreadDriver<P> {
    fn caller(&mut self) -> HandleCaller<'_, P> {
        HandleCaller { kernel: &self.kernel, me: self.me, local: &mut self.local }
    }
}

/// A driver handle as a caller: it monitors and sends in one step, so a
/// call to the dead fails with `noproc`.
struct HandleCaller<'a, P: Platform> {
    kernel: &'a Kernel<P>,
    me: Pid,
    local: &'a mut Local,
}

impl<P: Platform> Caller for HandleCaller<'_, P> {
    fn me(&self) -> Pid {
        self.me
    }
    fn monitor_and_send(&mut self, to: Pid, call: impl FnOnce(Ref) -> Msg) -> Ref {
        let tag = self.local.make_ref(self.me);
        let signal = Signal::Message { from: self.me, msg: call(tag) };
        self.kernel.monitor_and_send(self.me, &mut self.local.monitors, tag, to, signal);
        tag
    }
    fn demonitor_flush(&mut self, mref: Ref) {
        self.kernel.demonitor(self.me, &mut self.local.monitors, mref, true);
    }
}

impl<P: Platform> Drop for ThreadDriver<P> {
    fn drop(&mut self) {
        if self.main && !self.finished && !std::thread::panicking() {
            self.shutdown();
        }
        if self.kernel.activity.handle_closes() {
            self.kernel.report_deadlock(); // the other handles' waits end
        }
    }
}

impl<P: Platform> Driver for ThreadDriver<P> {
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Result<Pid, RunError> {
        process::spawn(&self.kernel, self.me, actor, false, 0)
    }

    /// A call to a driver handle fails at once with `Deadlock`, as under
    /// `det`: nothing would ever answer it. So does a call that waits while
    /// every process and every other handle waits too (a call cycle).
    fn call(&mut self, to: Pid, req: Msg) -> Result<Msg, CallError> {
        if self.kernel.is_driver_handle(to) {
            return Err(CallError::Run(RunError::Deadlock));
        }
        let call = Outstanding::start(&mut self.caller(), to, req);
        let answer = self.receive(|s| call.is_answer(s));
        call.finish_wait(&mut self.caller(), answer)
    }

    fn cast(&mut self, to: Pid, msg: Msg) -> Result<(), RunError> {
        self.kernel.send(to, Signal::Message { from: self.me, msg });
        Ok(())
    }

    /// Returns once `pid` is dead: before its `DOWN`s and link signals are
    /// delivered (they follow, one step each). A driver handle never dies:
    /// stopping one fails at once with `Deadlock`, as under `det`; so does a
    /// stop that waits while every process and every other handle waits too.
    fn stop(&mut self, pid: Pid, reason: Reason) -> Result<(), CallError> {
        if self.kernel.is_driver_handle(pid) {
            return Err(CallError::Run(RunError::Deadlock));
        }
        match self.kernel.stop(pid, Signal::Stop { from: self.me, reason: reason.clone() })? {
            None => Err(CallError::Exit(Reason::Noproc)),
            Some(actual) if actual == reason => Ok(()),
            Some(actual) => Err(CallError::Exit(actual)),
        }
    }

    fn kill(&mut self, pid: Pid) -> Result<(), RunError> {
        self.kernel.send(pid, Signal::Exit { from: self.me, reason: Reason::Kill });
        Ok(())
    }

    fn is_alive(&mut self, pid: Pid) -> bool {
        self.kernel.alive(pid)
    }
}
