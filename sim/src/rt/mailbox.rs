//! One process's mailbox: the signals that reached it, in arrival order, and
//! the monitors it owns that may still deliver a `DOWN`.
//!
//! Owned by its process (only its thread takes signals out) and written by
//! any sender. Invariants kept here:
//! - a closed mailbox (its process is dead) is empty and stays empty: a
//!   signal sent to the dead is dropped, as Erlang drops it;
//! - a `DOWN` lands only while its monitor is still in `monitors`, and
//!   landing removes it: so a monitor yields at most one `DOWN`, and none
//!   after `demonitor`;
//! - the queue holds at most [`MAX_MAILBOX`] signals (a runaway sender is a bug).

use crate::{Pid, Reason, Ref, Signal};
use std::collections::{BTreeMap, VecDeque};

/// Upper bound on signals waiting in one mailbox.
pub const MAX_MAILBOX: usize = 1 << 20;

#[derive(Default)]
pub(crate) struct Mailbox {
    queue: VecDeque<Signal>,
    closed: bool,
    /// Monitors this process owns that have not yet delivered: ref -> target.
    pub monitors: BTreeMap<Ref, Pid>,
}

/// What a process's next receive gives it.
pub(crate) enum Next {
    /// Handle this signal.
    Handle(Signal),
    /// An exit signal ends the process with this reason.
    Die(Reason),
}

impl Mailbox {
    /// Appends `signal`; false (and dropped) when the mailbox is closed.
    pub fn push(&mut self, signal: Signal) -> bool {
        if self.closed {
            return false;
        }
        assert!(self.queue.len() < MAX_MAILBOX, "a mailbox grew past {MAX_MAILBOX} signals");
        self.queue.push_back(signal);
        true
    }

    /// Lands the `DOWN` of monitor `mref` if the monitor is still live here.
    pub fn push_down(&mut self, mref: Ref, pid: Pid, reason: Reason) -> bool {
        if self.monitors.remove(&mref).is_none() {
            return false;
        }
        self.push(Signal::Down { mref, pid, reason })
    }

    /// Forgets monitor `mref`; with `flush`, also removes its `DOWN` if it landed.
    pub fn demonitor(&mut self, mref: Ref, flush: bool) -> Option<Pid> {
        if flush {
            self.queue.retain(|s| !matches!(s, Signal::Down { mref: m, .. } if *m == mref));
        }
        self.monitors.remove(&mref)
    }

    /// Closes the mailbox for good; returns what it held (dropped by the caller
    /// outside the lock) and the monitors still owned.
    pub fn close(&mut self) -> (VecDeque<Signal>, BTreeMap<Ref, Pid>) {
        self.closed = true;
        (std::mem::take(&mut self.queue), std::mem::take(&mut self.monitors))
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
