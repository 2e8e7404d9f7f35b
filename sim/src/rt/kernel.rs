//! The state one runtime shares between its threads, and the signal
//! operations on it: send, monitor, demonitor, link, liveness, the clock.
//!
//! There is no global lock on the way of a signal: each process's cell
//! (`mailbox`) has its own mutex, and an operation locks only the cells of
//! the processes it involves, one at a time (never two at once, so no lock
//! order can be broken). The one shared lock, `count`, hands out pids.
//! Invariants kept here:
//! - a pid's slot (label, cell, thread handle) is installed before the pid
//!   can escape, and pids are never reused;
//! - a monitor yields exactly one `DOWN`: registered in the target's cell
//!   while it lives (its death then delivers the `DOWN`), else `DOWN(noproc)`
//!   at once; none lands after `demonitor` (see `Mailbox::cancel_down`);
//! - the clock only grows, and every stamp is unique.
//!
//! The slots are write-once `std::sync::OnceLock`s and the thread handles sit
//! in `std::sync::Mutex`es on both platforms: they are directories, held for
//! no longer than a move, never across a platform operation, so under loom
//! they can neither block nor hide an interleaving of the runtime's behaviour.

use super::activity::{Activity, Idle};
use super::mailbox::Mailbox;
use super::platform::{Locked, Platform};
use crate::det::ProcessRecord;
use crate::{Label, Pid, Reason, Ref, RunError, Signal};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

pub(crate) struct Slot<P: Platform> {
    label: String,
    spawned_at: u64,
    /// Test code's pseudo-process: traps exits, never dies, has no thread.
    driver: bool,
    pub cell: Locked<P, Mailbox>,
    /// The process's thread, until someone joins it.
    thread: Mutex<Option<P::JoinHandle>>,
}

/// A process's own monitors (ref -> target) whose `DOWN` it has not taken.
pub(crate) type Monitors = BTreeMap<Ref, Pid>;

pub(crate) struct Kernel<P: Platform> {
    /// Pids handed out so far.
    count: Locked<P, usize>,
    slots: Box<[OnceLock<Box<Slot<P>>>]>,
    /// The logical clock: a platform counter, so that loom sees every stamp.
    clock: P::Counter,
    /// Who is awake, for deadlock detection.
    pub activity: Arc<Activity>,
}

impl<P: Platform> Kernel<P> {
    pub fn new(capacity: usize) -> Kernel<P> {
        assert!(capacity >= 1, "a runtime holds at least its driver");
        let activity = Arc::new(Activity::default());
        Kernel {
            count: Locked::new(0, &activity),
            slots: (0..capacity).map(|_| OnceLock::new()).collect(),
            clock: P::counter(),
            activity,
        }
    }

    /// The logical clock: a new, larger stamp on every call. A platform
    /// counter: under loom each stamp is a shared access loom orders against
    /// every other, or loom could not reach the orders in which properties
    /// judged on stamps fail.
    pub fn tick(&self) -> u64 {
        P::increment(&self.clock)
    }

    fn slot(&self, pid: Pid) -> Option<&Slot<P>> {
        self.slots.get(pid.index())?.get().map(|slot| &**slot)
    }

    /// The cell of `pid`, if it was ever spawned.
    pub fn cell(&self, pid: Pid) -> Option<&Locked<P, Mailbox>> {
        self.slot(pid).map(|slot| &slot.cell)
    }

    /// How many pids (processes and driver handles) the runtime holds at most.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// A new pid and its cell, linked to `link` if given (who must be alive:
    /// it is the spawner, in the middle of its handler); `None` at capacity.
    pub fn add(&self, label: String, driver: bool, link: Option<Pid>) -> Option<Pid> {
        let pid = self.count.with(|count| {
            if *count == self.slots.len() {
                return None;
            }
            let pid = Pid(*count as u32);
            let cell = Locked::new(Mailbox::new(link.into_iter().collect()), &self.activity);
            let slot = Slot { label, spawned_at: self.tick(), driver, cell, thread: Mutex::new(None) };
            assert!(self.slots[pid.index()].set(Box::new(slot)).is_ok(), "pids are never reused");
            *count += 1;
            Some(pid)
        })?;
        if let Some(parent) = link {
            let parent_alive = self.cell(parent).expect("the spawner exists").with(|m| m.link(pid));
            assert!(parent_alive, "a spawner is alive while its handler runs");
        }
        Some(pid)
    }

    pub fn set_thread(&self, pid: Pid, handle: P::JoinHandle) {
        let slot = self.slot(pid).expect("a spawned pid has a slot");
        let previous = slot.thread.lock().unwrap_or_else(PoisonError::into_inner).replace(handle);
        assert!(previous.is_none(), "one thread per process");
    }

    /// Waits until `pid`'s thread has finished (it is dead and has delivered
    /// every signal of its death); at once when it has no thread (any more).
    pub fn join(&self, pid: Pid) {
        let Some(slot) = self.slot(pid) else { return };
        let handle = slot.thread.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(handle) = handle {
            P::join(handle);
        }
    }

    /// Sends `signal` to `to` (one step); false, and dropped, when `to` is dead or unknown.
    pub fn send(&self, to: Pid, signal: Signal) -> bool {
        self.cell(to).is_some_and(|cell| cell.change(|m| m.push(signal)))
    }

    pub fn alive(&self, pid: Pid) -> bool {
        self.cell(pid).is_some_and(|cell| cell.with(|m| m.alive()))
    }

    /// `owner` monitors `target` with `mref`: registered while `target` lives,
    /// else `DOWN(noproc)` lands at once.
    pub fn monitor(&self, owner: Pid, monitors: &mut Monitors, mref: Ref, target: Pid) {
        monitors.insert(mref, target);
        let watched = self.cell(target).is_some_and(|cell| cell.with(|m| m.watch(mref, owner)));
        if !watched {
            let own = self.cell(owner).expect("a monitor's owner exists");
            own.change(|m| m.push(Signal::Down { mref, pid: target, reason: Reason::Noproc }));
        }
    }

    /// A call's start in one step: `monitor(target)` and, while `target`
    /// lives, `signal` to it; else `DOWN(noproc)` lands at once (and the
    /// signal is dropped, as a send to the dead is).
    pub fn monitor_and_send(&self, owner: Pid, monitors: &mut Monitors, mref: Ref, target: Pid, signal: Signal) {
        monitors.insert(mref, target);
        let sent = self.cell(target).is_some_and(|cell| cell.change(|m| m.watch(mref, owner) && m.push(signal)));
        if !sent {
            let own = self.cell(owner).expect("a monitor's owner exists");
            own.change(|m| m.push(Signal::Down { mref, pid: target, reason: Reason::Noproc }));
        }
    }

    /// No `DOWN` of `mref` lands after this; with `flush`, one that landed is removed.
    /// A monitor whose `DOWN` the owner already took is gone: nothing to do.
    pub fn demonitor(&self, owner: Pid, monitors: &mut Monitors, mref: Ref, flush: bool) {
        let Some(target) = monitors.remove(&mref) else { return };
        if self.cell(target).is_some_and(|cell| cell.with(|m| m.unwatch(mref))) {
            return;
        }
        let own = self.cell(owner).expect("a monitor's owner exists");
        own.with(|m| m.cancel_down(mref, flush));
    }

    /// Links `a` (the caller) and `b`; a dead `b` sends `a` an `EXIT(noproc)`.
    /// If `b` dies between the two steps, its exit signal reaches `a` and
    /// `a` keeps a stale link, which its own death sends into the void.
    pub fn link(&self, a: Pid, b: Pid) {
        if a == b {
            return;
        }
        let own = self.cell(a).expect("a linker exists");
        if self.cell(b).is_some_and(|cell| cell.with(|m| m.link(a))) {
            own.with(|m| m.link(b));
        } else {
            own.change(|m| m.push(Signal::Exit { from: b, reason: Reason::Noproc }));
        }
    }

    pub fn unlink(&self, a: Pid, b: Pid) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(cell) = self.cell(x) {
                cell.with(|m| m.unlink(y));
            }
        }
    }

    /// Sends `pid` a stop request and blocks until it is dead, in one step
    /// and one wait; answers its exit reason, or `None` when it was dead
    /// (or unknown) already, or `Deadlock` when nothing can end it.
    pub fn stop(&self, pid: Pid, request: Signal) -> Result<Option<Reason>, RunError> {
        let Some(cell) = self.cell(pid) else { return Ok(None) };
        let seen = self.activity.deadlocks();
        let dead = |m: &mut Mailbox, _: &()| self.answer_or_deadlock(seen, m.exit().map(|(reason, _)| reason));
        match cell.change_then_wait(|m| m.push(request).then_some(()), dead) {
            None => Ok(None),
            Some(waited) => self.driver_waited(waited).map(Some),
        }
    }

    /// Waits on `cell` until `f` answers, as a driver handle does: when the
    /// runtime deadlocks meanwhile (every participant waiting), `Deadlock`.
    pub fn driver_wait<R>(
        &self,
        cell: &Locked<P, Mailbox>,
        mut f: impl FnMut(&mut Mailbox) -> Option<R>,
    ) -> Result<R, RunError> {
        let seen = self.activity.deadlocks();
        self.driver_waited(cell.wait_until(|m| self.answer_or_deadlock(seen, f(m))))
    }

    /// A driver's wait condition: its answer, else `Some(Err)` once a
    /// deadlock was reported after it began waiting (at `seen`).
    fn answer_or_deadlock<R>(&self, seen: u64, answer: Option<R>) -> Option<Result<R, RunError>> {
        match answer {
            Some(answer) => Some(Ok(answer)),
            None if self.activity.deadlocks() != seen => Some(Err(RunError::Deadlock)),
            None => None,
        }
    }

    /// A driver's wait, ended: its answer, or the deadlock it saw or found.
    fn driver_waited<R>(&self, waited: Result<Result<R, RunError>, Idle>) -> Result<R, RunError> {
        waited.unwrap_or_else(|Idle| {
            self.report_deadlock();
            Err(RunError::Deadlock)
        })
    }

    /// Every participant waits and none can wake another: counts the
    /// deadlock and wakes every waiter, so each driver handle's wait ends
    /// with `Deadlock` (processes just wait again). Locks one cell at a time.
    pub fn report_deadlock(&self) {
        self.activity.deadlock();
        for index in 0..self.len() {
            if let Some(cell) = self.cell(Pid(index as u32)) {
                cell.change(|_| ());
            }
        }
    }

    /// How many pids have been handed out.
    pub fn len(&self) -> usize {
        self.count.with(|count| *count)
    }

    pub fn record(&self, pid: Pid) -> Option<ProcessRecord> {
        let slot = self.slot(pid)?;
        let exit = slot.cell.with(|m| m.exit());
        Some(ProcessRecord {
            pid,
            label: Label::from(slot.label.clone()),
            spawned_at: slot.spawned_at,
            exited_at: exit.as_ref().map(|(_, at)| *at),
            reason: exit.map(|(reason, _)| reason),
        })
    }

    /// Whether `pid` is a driver handle: test code's mailbox, which handles
    /// no signal and never dies, so nothing would answer a call or a stop.
    pub fn is_driver_handle(&self, pid: Pid) -> bool {
        self.slot(pid).is_some_and(|s| s.driver)
    }

    /// Every process (driver handles excluded), in spawn order.
    pub fn records(&self) -> Vec<ProcessRecord> {
        let pids = (0..self.len()).map(|i| Pid(i as u32)).filter(|&p| self.slot(p).is_some_and(|s| !s.driver));
        pids.filter_map(|p| self.record(p)).collect()
    }

    /// The live processes (driver handles excluded), ascending.
    pub fn live(&self) -> Vec<Pid> {
        let pids = (0..self.len()).map(|i| Pid(i as u32));
        pids.filter(|&p| self.slot(p).is_some_and(|s| !s.driver) && self.alive(p)).collect()
    }
}
