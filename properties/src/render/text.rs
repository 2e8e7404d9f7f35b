//! The `text` format: the title, the trace as numbered steps with readable
//! process names and signals in words, and the violations. Deliveries are
//! folded into the handling they cause (a handled signal that was in flight
//! says when it was sent); the culprit answer of a violation is marked
//! `<== property`. Invariant: one line per shown entry, in trace order.

use super::{arrows, entry_words, Picture};
use sim::trace::TraceKind;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The whole text picture.
pub fn render(picture: &Picture) -> String {
    let mut out = format!("{}\n", picture.title);
    out.push_str(&steps(picture));
    for v in picture.violations {
        let _ = writeln!(out, "{v}");
    }
    out
}

/// The numbered steps only.
pub fn steps(picture: &Picture) -> String {
    let trace = picture.trace;
    let sent_at: BTreeMap<usize, u64> =
        arrows(trace).into_iter().filter_map(|a| Some((a.handled?, trace.entries[a.sent?].step))).collect();
    let mut out = String::new();
    let shown = trace.entries.iter().enumerate().filter(|(_, e)| e.kind != TraceKind::Deliver);
    for (n, (i, e)) in shown.enumerate() {
        let (from, to, words) = (trace.name(e.from), trace.name(e.to), entry_words(trace, e));
        let mut line = match e.kind {
            TraceKind::Spawn => format!("{from} spawns {to}"),
            TraceKind::Send => format!("{from} sends to {to}: {words}"),
            TraceKind::Handle => format!("{to} handles from {from}: {words}"),
            TraceKind::Drop => format!("{from} -> {to}: {words}"),
            TraceKind::Exit => format!("{from} exits: {words}"),
            TraceKind::Deliver => unreachable!("filtered out"),
        };
        if let Some(&sent) = sent_at.get(&i).filter(|&&s| s < e.step) {
            let _ = write!(line, " (sent at t={sent})");
        }
        if let Some(v) = picture.violation_at(i) {
            let _ = write!(line, "  <== {}", v.property);
        }
        let _ = writeln!(out, "{:>4}. t={:<4} {line}", n + 1, e.step);
    }
    out
}
