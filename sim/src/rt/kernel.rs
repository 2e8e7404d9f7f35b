//! The state one runtime shares between its threads, and the signal
//! operations on it: send, monitor, demonitor, link, liveness, the clock.
//!
//! Lock order: the table, then one mailbox; never a mailbox, then the table;
//! never two mailboxes at once. Invariants kept here:
//! - a pid's slot (mailbox, thread handle) is installed under the table lock
//!   in the same step as its table entry, before the pid can escape;
//! - a monitor is registered with its target and with its owner's mailbox in
//!   one table step, so a dying target either finds it (and later delivers
//!   its `DOWN`) or the owner gets `DOWN(noproc)` at once: exactly one `DOWN`;
//! - the clock only grows, and every stamp is unique.
//!
//! The slots are write-once `std::sync::OnceLock`s and the thread handles sit
//! in `std::sync::Mutex`es on both platforms: they are directories, held for
//! no longer than a move, never across a platform operation, so under loom
//! they can neither block nor hide an interleaving of the runtime's behaviour.

use super::mailbox::Mailbox;
use super::platform::{Locked, Platform};
use super::table::Table;
use crate::det::ProcessRecord;
use crate::{Pid, Reason, Ref, Signal};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

pub(crate) struct Slot<P: Platform> {
    pub mailbox: Locked<P, Mailbox>,
    /// The process's thread, until someone joins it.
    thread: Mutex<Option<P::JoinHandle>>,
}

pub(crate) struct Kernel<P: Platform> {
    pub table: Locked<P, Table>,
    slots: Box<[OnceLock<Box<Slot<P>>>]>,
    clock: AtomicU64,
}

impl<P: Platform> Kernel<P> {
    pub fn new(capacity: usize) -> Kernel<P> {
        assert!(capacity >= 1, "a runtime holds at least its driver");
        Kernel {
            table: Locked::new(Table::new(capacity)),
            slots: (0..capacity).map(|_| OnceLock::new()).collect(),
            clock: AtomicU64::new(0),
        }
    }

    /// The logical clock: a new, larger stamp on every call. Not a platform
    /// primitive: it stamps histories and synchronizes nothing.
    pub fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn mailbox(&self, pid: Pid) -> Option<&Locked<P, Mailbox>> {
        self.slots.get(pid.index())?.get().map(|slot| &slot.mailbox)
    }

    /// A new table entry and its mailbox, linked to `link` if given.
    pub fn add(&self, label: String, driver: bool, link: Option<Pid>) -> Pid {
        self.table.with(|table| {
            let pid = table.add(label, self.tick(), driver);
            let slot = Box::new(Slot { mailbox: Locked::new(Mailbox::default()), thread: Mutex::new(None) });
            assert!(self.slots[pid.index()].set(slot).is_ok(), "pids are never reused");
            if let Some(parent) = link {
                assert!(table.link(parent, pid), "a fresh process is alive");
            }
            pid
        })
    }

    pub fn set_thread(&self, pid: Pid, handle: P::JoinHandle) {
        let slot = self.slots[pid.index()].get().expect("a spawned pid has a slot");
        let previous = slot.thread.lock().unwrap_or_else(PoisonError::into_inner).replace(handle);
        assert!(previous.is_none(), "one thread per process");
    }

    /// Waits until `pid`'s thread has finished (it is dead and has delivered
    /// every signal of its death); at once when it has no thread (any more).
    pub fn join(&self, pid: Pid) {
        let Some(slot) = self.slots.get(pid.index()).and_then(OnceLock::get) else { return };
        let handle = slot.thread.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(handle) = handle {
            P::join(handle);
        }
    }

    /// Sends `signal` to `to` (one step); dropped when `to` is dead or unknown.
    pub fn send(&self, to: Pid, signal: Signal) {
        if let Some(mailbox) = self.mailbox(to) {
            mailbox.change(|m| m.push(signal));
        }
    }

    pub fn alive(&self, pid: Pid) -> bool {
        self.table.with(|t| t.alive(pid))
    }

    /// `owner` monitors `target` with `mref`: registered while `target` lives,
    /// else `DOWN(noproc)` lands at once.
    pub fn monitor(&self, owner: Pid, mref: Ref, target: Pid) {
        let own = self.mailbox(owner).expect("a monitor's owner has a mailbox");
        let watched = self.table.with(|table| {
            let watched = table.watch(target, mref, owner);
            if watched {
                own.with(|m| m.monitors.insert(mref, target));
            }
            watched
        });
        if !watched {
            own.change(|m| m.push(Signal::Down { mref, pid: target, reason: Reason::Noproc }));
        }
    }

    /// No `DOWN` of `mref` lands after this; with `flush`, one that landed is removed.
    pub fn demonitor(&self, owner: Pid, mref: Ref, flush: bool) {
        let own = self.mailbox(owner).expect("a monitor's owner has a mailbox");
        if let Some(target) = own.with(|m| m.demonitor(mref, flush)) {
            self.table.with(|t| t.unwatch(target, mref));
        }
    }

    /// Links `a` (the caller) and `b`; a dead `b` sends `a` an `EXIT(noproc)`.
    pub fn link(&self, a: Pid, b: Pid) {
        if !self.table.with(|t| t.link(a, b)) {
            self.send(a, Signal::Exit { from: b, reason: Reason::Noproc });
        }
    }

    pub fn unlink(&self, a: Pid, b: Pid) {
        self.table.with(|t| t.unlink(a, b));
    }

    /// Blocks until `pid` is dead; answers its exit reason.
    pub fn await_death(&self, pid: Pid) -> Reason {
        self.table.wait_until(|t| t.entries.get(pid.index()).map_or(Some(Reason::Noproc), |e| e.reason.clone()))
    }

    pub fn record(&self, pid: Pid) -> Option<ProcessRecord> {
        self.table.with(|t| t.record(pid))
    }

    /// Every non-driver process, in spawn order.
    pub fn records(&self) -> Vec<ProcessRecord> {
        self.table.with(|t| {
            let pids = (0..t.entries.len()).filter(|&i| !t.entries[i].driver);
            pids.filter_map(|i| t.record(Pid(i as u32))).collect()
        })
    }

    /// The live processes (not drivers), ascending.
    pub fn live(&self) -> Vec<Pid> {
        self.table.with(|t| {
            let pids = (0..t.entries.len()).map(|i| Pid(i as u32));
            pids.filter(|&p| t.alive(p) && !t.entries[p.index()].driver).collect()
        })
    }

    /// How many pids have been handed out.
    pub fn len(&self) -> usize {
        self.table.with(|t| t.entries.len())
    }
}
