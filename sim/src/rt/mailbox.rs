//! One process's cell: its mailbox, and what other processes must read or
//! change in the same step as a signal to it: whether it is dead, its links,
//! and the monitors watching it.
//!
//! Each process's cell has its own platform mutex, so operations on
//! different processes never contend (and loom sees them as independent).
//! Only the owner takes signals out; anyone may push. Invariants kept here:
//! - a dead cell (closed) is empty and stays empty: a signal sent to the dead
//!   is dropped, as Erlang drops it; it died once, and `dead` never changes;
//! - a dead cell has no links and no watchers (its death took them);
//! - a `DOWN` whose monitor was removed while it was on its way is dropped
//!   on landing (`cancelled`), so none lands after `demonitor`;
//! - the queue holds at most [`MAX_MAILBOX`] signals (a runaway sender is a bug).

use crate::{Pid, Reason, Ref, Signal};
use std::collections::VecDeque;

/// Upper bound on signals waiting in one mailbox (and on cancelled `DOWN`s).
pub const MAX_MAILBOX: usize = 1 << 20;

pub(crate) struct Mailbox {
    queue: VecDeque<Signal>,
    /// How and when (logical clock) the process ended.
    dead: Option<(Reason, u64)>,
    /// Sorted, without duplicates.
    links: Vec<Pid>,
    /// Monitors on this process: (ref, owner).
    watchers: Vec<(Ref, Pid)>,
    /// Monitors this process removed while their `DOWN` was on its way.
    cancelled: Vec<Ref>,
}

/// What a death hands the dying thread to deliver, one signal per step.
pub(crate) struct Death {
    pub dropped: VecDeque<Signal>,
    pub links: Vec<Pid>,
    pub watchers: Vec<(Ref, Pid)>,
}

/// What a process's next receive gives it.
pub(crate) enum Next {
    /// Handle this signal.
    Handle(Signal),
    /// An exit signal ends the process with this reason.
    Die(Reason),
}

impl Mailbox {
    pub fn new(links: Vec<Pid>) -> Mailbox {
        Mailbox { queue: VecDeque::new(), dead: None, links, watchers: Vec::new(), cancelled: Vec::new() }
    }

    pub fn alive(&self) -> bool {
        self.dead.is_none()
    }

    /// How and when the process ended, if it has.
    pub fn exit(&self) -> Option<(Reason, u64)> {
        self.dead.clone()
    }

    /// Appends `signal`; false (and dropped) when the process is dead.
    pub fn push(&mut self, signal: Signal) -> bool {
        if !self.alive() {
            return false;
        }
        assert!(self.queue.len() < MAX_MAILBOX, "a mailbox grew past {MAX_MAILBOX} signals");
        self.queue.push_back(signal);
        true
    }

    /// Lands the `DOWN` of monitor `mref`, unless it was cancelled.
    pub fn push_down(&mut self, mref: Ref, pid: Pid, reason: Reason) -> bool {
        if let Some(at) = self.cancelled.iter().position(|&m| m == mref) {
            self.cancelled.swap_remove(at);
            return false;
        }
        self.push(Signal::Down { mref, pid, reason })
    }

    /// The owner removed monitor `mref` after its target died: the `DOWN`
    /// has landed (removed with `flush`) or is on its way (dropped on landing).
    pub fn cancel_down(&mut self, mref: Ref, flush: bool) {
        let is_it = |s: &Signal| matches!(s, Signal::Down { mref: m, .. } if *m == mref);
        match self.queue.iter().position(is_it) {
            Some(at) if flush => drop(self.queue.remove(at)),
            Some(_) => {}
            None if self.alive() => {
                assert!(self.cancelled.len() < MAX_MAILBOX, "too many cancelled monitors");
                self.cancelled.push(mref);
            }
            None => {}
        }
    }

    /// Registers a monitor on this process; false when it is dead.
    pub fn watch(&mut self, mref: Ref, owner: Pid) -> bool {
        if self.alive() {
            self.watchers.push((mref, owner));
        }
        self.alive()
    }

    /// Removes a monitor; false when it is not here (this process died and took it).
    pub fn unwatch(&mut self, mref: Ref) -> bool {
        let before = self.watchers.len();
        self.watchers.retain(|&(m, _)| m != mref);
        self.watchers.len() < before
    }

    /// Adds a link to `pid`; false when this process is dead.
    pub fn link(&mut self, pid: Pid) -> bool {
        if self.alive() {
            if let Err(at) = self.links.binary_search(&pid) {
                self.links.insert(at, pid);
            }
        }
        self.alive()
    }

    pub fn unlink(&mut self, pid: Pid) {
        self.links.retain(|&p| p != pid);
    }

    /// Ends the process at `at`: closes the cell and hands over what it held.
    pub fn close(&mut self, reason: Reason, at: u64) -> Death {
        assert!(self.alive(), "a process dies once");
        self.dead = Some((reason, at));
        self.cancelled.clear();
        Death {
            dropped: std::mem::take(&mut self.queue),
            links: std::mem::take(&mut self.links),
            watchers: std::mem::take(&mut self.watchers),
        }
    }

    /// Takes out the first signal for which `wanted` holds (the driver's receive).
    pub fn take_first(&mut self, wanted: impl Fn(&Signal) -> bool) -> Option<Signal> {
        let position = self.queue.iter().position(wanted)?;
        self.queue.remove(position)
    }

    /// How many waiting signals satisfy `wanted`.
    pub fn count(&self, wanted: impl Fn(&Signal) -> bool) -> usize {
        self.queue.iter().filter(|s| wanted(s)).count()
    }

    /// A process's receive, with Erlang's rules. Exit signals act on arrival,
    /// so they come first whatever waits before them: `kill` ends the process
    /// (as `killed`); an untrapped `normal` from another process is dropped;
    /// any other untrapped exit ends it with its reason; a trapped one is a
    /// message. Then the oldest signal the actor accepts (selective receive).
    pub fn next(&mut self, me: Pid, trap_exit: bool, accepts: impl Fn(&Signal) -> bool) -> Option<Next> {
        let mut index = 0;
        while index < self.queue.len() {
            let verdict = match &self.queue[index] {
                Signal::Exit { reason: Reason::Kill, .. } => Some(Some(Reason::Killed)),
                Signal::Exit { .. } if trap_exit => None,
                Signal::Exit { from, reason: Reason::Normal } if *from != me => Some(None),
                Signal::Exit { reason, .. } => Some(Some(reason.clone())),
                _ => None,
            };
            match verdict {
                Some(Some(reason)) => return Some(Next::Die(reason)),
                Some(None) => drop(self.queue.remove(index)),
                None => index += 1,
            }
        }
        let position = self.queue.iter().position(accepts)?;
        self.queue.remove(position).map(Next::Handle)
    }
}
