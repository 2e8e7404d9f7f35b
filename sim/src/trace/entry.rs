//! One trace entry: when, what kind, between which processes, and its
//! detail as data (the child's label, the signal, or the exit reason).

use super::TracedSignal;
use crate::{Pid, Reason};

/// The kind of one trace entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceKind {
    Spawn,
    Send,
    Deliver,
    Handle,
    Drop,
    Exit,
}

impl TraceKind {
    /// The kind in one lower-case word, as traces print it.
    pub fn word(self) -> &'static str {
        match self {
            TraceKind::Spawn => "spawn",
            TraceKind::Send => "send",
            TraceKind::Deliver => "deliver",
            TraceKind::Handle => "handle",
            TraceKind::Drop => "drop",
            TraceKind::Exit => "exit",
        }
    }

    /// Whether entries of this kind carry a signal.
    pub fn has_signal(self) -> bool {
        matches!(self, TraceKind::Send | TraceKind::Deliver | TraceKind::Handle | TraceKind::Drop)
    }
}

/// What an entry is about; which one follows from its [`TraceKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// A spawn: the child's label.
    Spawn { label: String },
    /// A send, delivery, handling or drop: the signal.
    Signal(TracedSignal),
    /// An exit: the reason.
    Exit { reason: Reason },
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEntry {
    /// The executor step it happened in (steps count executed events).
    pub step: u64,
    pub kind: TraceKind,
    /// The sender (for a spawn the parent, for an exit the process itself).
    pub from: Pid,
    /// The receiver (for a spawn the child, for an exit the process itself).
    pub to: Pid,
    pub detail: Detail,
}

impl TraceEntry {
    /// `parent` spawned `child`, labelled `label`.
    pub fn spawn(step: u64, parent: Pid, child: Pid, label: String) -> TraceEntry {
        TraceEntry { step, kind: TraceKind::Spawn, from: parent, to: child, detail: Detail::Spawn { label } }
    }

    /// `signal` went from `from` to `to`: sent, delivered, handled or dropped.
    pub fn of_signal(step: u64, kind: TraceKind, from: Pid, to: Pid, signal: TracedSignal) -> TraceEntry {
        assert!(kind.has_signal(), "a {} entry carries no signal", kind.word());
        TraceEntry { step, kind, from, to, detail: Detail::Signal(signal) }
    }

    /// `pid` ended with `reason`.
    pub fn exit(step: u64, pid: Pid, reason: Reason) -> TraceEntry {
        TraceEntry { step, kind: TraceKind::Exit, from: pid, to: pid, detail: Detail::Exit { reason } }
    }

    /// The signal, for sends, deliveries, handlings and drops.
    pub fn signal(&self) -> Option<&TracedSignal> {
        match &self.detail {
            Detail::Signal(signal) => Some(signal),
            Detail::Spawn { .. } | Detail::Exit { .. } => None,
        }
    }
}
