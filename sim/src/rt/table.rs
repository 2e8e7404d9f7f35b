//! The process table: who is alive, with which links, watched by which
//! monitors, and when each process started and ended.
//!
//! One table per runtime, behind one platform mutex; it is the authority on
//! liveness. Invariants kept here:
//! - a pid is an index into `entries`; pids are never reused;
//! - a dead entry has no links and no watchers, and it died exactly once
//!   (its `exited_at` and `reason` are set together, never cleared);
//! - links are symmetric and sorted: `b` is in `a.links` iff `a` is in `b.links`;
//! - a driver entry (test code's pseudo-process) never dies.

use crate::det::ProcessRecord;
use crate::{Pid, Reason, Ref};

pub(crate) struct Entry {
    pub label: String,
    pub spawned_at: u64,
    pub exited_at: Option<u64>,
    pub reason: Option<Reason>,
    /// Sorted, without duplicates.
    pub links: Vec<Pid>,
    /// Monitors on this process: (ref, owner).
    pub watchers: Vec<(Ref, Pid)>,
    /// Test code's pseudo-process: traps exits, never dies, has no thread.
    pub driver: bool,
}

/// What a death hands to the dying thread to deliver, one signal per step.
pub(crate) struct Death {
    pub links: Vec<Pid>,
    pub watchers: Vec<(Ref, Pid)>,
}

pub(crate) struct Table {
    pub entries: Vec<Entry>,
    /// Upper bound on processes (and driver handles) per runtime.
    pub capacity: usize,
}

impl Table {
    pub fn new(capacity: usize) -> Table {
        Table { entries: Vec::new(), capacity }
    }

    pub fn alive(&self, pid: Pid) -> bool {
        self.entries.get(pid.index()).is_some_and(|e| e.reason.is_none())
    }

    /// Adds an entry; the caller installs its mailbox before the pid escapes.
    pub fn add(&mut self, label: String, spawned_at: u64, driver: bool) -> Pid {
        assert!(self.entries.len() < self.capacity, "more than {} processes in one runtime", self.capacity);
        let pid = Pid(self.entries.len() as u32);
        let entry = Entry {
            label,
            spawned_at,
            exited_at: None,
            reason: None,
            links: Vec::new(),
            watchers: Vec::new(),
            driver,
        };
        self.entries.push(entry);
        pid
    }

    /// Links two live processes; false when `b` is dead or unknown.
    pub fn link(&mut self, a: Pid, b: Pid) -> bool {
        if a == b {
            return true;
        }
        if !self.alive(b) {
            return false;
        }
        for (x, y) in [(a, b), (b, a)] {
            let links = &mut self.entries[x.index()].links;
            if let Err(at) = links.binary_search(&y) {
                links.insert(at, y);
            }
        }
        true
    }

    pub fn unlink(&mut self, a: Pid, b: Pid) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(entry) = self.entries.get_mut(x.index()) {
                entry.links.retain(|&p| p != y);
            }
        }
    }

    /// Registers `owner`'s monitor on `target`; false when `target` is dead or unknown.
    pub fn watch(&mut self, target: Pid, mref: Ref, owner: Pid) -> bool {
        if !self.alive(target) {
            return false;
        }
        self.entries[target.index()].watchers.push((mref, owner));
        true
    }

    pub fn unwatch(&mut self, target: Pid, mref: Ref) {
        if let Some(entry) = self.entries.get_mut(target.index()) {
            entry.watchers.retain(|&(m, _)| m != mref);
        }
    }

    /// Marks `pid` dead at `at`; `None` if it already was. `owned` are the
    /// monitors it held (ref -> target), dropped from their targets here.
    pub fn kill(&mut self, pid: Pid, reason: Reason, at: u64, owned: &[(Ref, Pid)]) -> Option<Death> {
        let entry = &mut self.entries[pid.index()];
        assert!(!entry.driver, "a driver never dies");
        if entry.reason.is_some() {
            return None;
        }
        entry.reason = Some(reason);
        entry.exited_at = Some(at);
        let links = std::mem::take(&mut entry.links);
        let watchers = std::mem::take(&mut entry.watchers);
        for &partner in &links {
            self.entries[partner.index()].links.retain(|&p| p != pid);
        }
        for &(mref, target) in owned {
            self.unwatch(target, mref);
        }
        Some(Death { links, watchers })
    }

    pub fn record(&self, pid: Pid) -> Option<ProcessRecord> {
        let entry = self.entries.get(pid.index())?;
        Some(ProcessRecord {
            pid,
            label: entry.label.clone(),
            spawned_at: entry.spawned_at,
            exited_at: entry.exited_at,
            reason: entry.reason.clone(),
        })
    }
}
