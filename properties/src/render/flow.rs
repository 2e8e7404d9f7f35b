//! Which send each delivered signal belongs to. Owns the pairing of a
//! trace's `Send` entries with their `Deliver` entries (spec mode, and a dying
//! process's link exits and `DOWN`s in either mode) or `Handle` entries
//! (instant mode, where a signal lands when sent and the handling is when the
//! receiver takes it). Invariant: per (from, to) channel, each arrival is
//! matched to the oldest unmatched send of the same signal (first in, first
//! out; in instant mode a channel can hold sends that landed at once beside
//! a dying sender's signals still in flight); a `Handle` is matched to the
//! oldest waiting signal of its channel that is the same signal (selective receive
//! may take a later signal first), so every entry is used at most once.

use sim::trace::{Trace, TraceKind, TracedSignal};
use sim::Pid;
use std::collections::{BTreeMap, VecDeque};

/// One delivered signal: where it was sent and where it arrived, as trace entry indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrow {
    pub from: Pid,
    pub to: Pid,
    /// The `Send` entry (`None` only for a trace that lacks it).
    pub sent: Option<usize>,
    /// The `Deliver` entry in spec mode; the `Handle` entry in instant mode.
    pub arrived: usize,
    /// The `Handle` entry, if the receiver handled it.
    pub handled: Option<usize>,
}

/// Every delivered signal of `trace`, in arrival order.
pub fn arrows(trace: &Trace) -> Vec<Arrow> {
    let mut sent: BTreeMap<(Pid, Pid), VecDeque<usize>> = BTreeMap::new();
    let mut unhandled: BTreeMap<(Pid, Pid), Vec<usize>> = BTreeMap::new();
    let mut arrows: Vec<Arrow> = Vec::new();
    for (i, e) in trace.entries.iter().enumerate() {
        let channel = (e.from, e.to);
        let Some(signal) = e.signal() else { continue };
        match e.kind {
            TraceKind::Send => sent.entry(channel).or_default().push_back(i),
            TraceKind::Deliver => {
                let from_send = take_send(trace, sent.entry(channel).or_default(), signal);
                unhandled.entry(channel).or_default().push(arrows.len());
                arrows.push(Arrow { from: e.from, to: e.to, sent: from_send, arrived: i, handled: None });
            }
            TraceKind::Handle => {
                let waiting = unhandled.entry(channel).or_default();
                if let Some(at) =
                    waiting.iter().position(|&a| trace.entries[arrows[a].arrived].signal() == Some(signal))
                {
                    let a = waiting.remove(at);
                    arrows[a].handled = Some(i);
                    continue;
                }
                let from_send = take_send(trace, sent.entry(channel).or_default(), signal);
                arrows.push(Arrow { from: e.from, to: e.to, sent: from_send, arrived: i, handled: Some(i) });
            }
            TraceKind::Spawn | TraceKind::Drop | TraceKind::Exit => {}
        }
    }
    arrows
}

/// The oldest unmatched send of this signal on a channel, taken out.
fn take_send(trace: &Trace, queue: &mut VecDeque<usize>, signal: &TracedSignal) -> Option<usize> {
    let at = queue.iter().position(|&s| trace.entries[s].signal() == Some(signal))?;
    queue.remove(at)
}
