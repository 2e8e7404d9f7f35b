//! Counterexamples and traces in words: numbered steps with readable process
//! names (`client1`, `registry`, `bucket(a)#1`), the violation, and the line
//! that replays it.

use crate::check::Found;
use crate::history::History;
use crate::workload::{Op, Workload};
use sim::trace::{Trace, TraceKind};
use sim::Pid;
use std::fmt::Write;

/// The command that replays a token.
pub fn replay_line(token: &str) -> String {
    format!("replay: cargo run --release -- replay {token}")
}

/// The trace as numbered steps. Deliveries are folded into the handling they
/// cause; sends, handled signals, drops, spawns and exits are shown.
pub fn render_trace(trace: &Trace, history: &History) -> String {
    let names = history.names();
    let name = |pid: Pid| names.get(&pid).cloned().unwrap_or_else(|| format!("{pid}"));
    let mut out = String::new();
    let shown = trace.entries.iter().filter(|e| e.kind != TraceKind::Deliver);
    for (n, e) in shown.enumerate() {
        let (from, to) = (name(e.from), name(e.to));
        let line = match e.kind {
            TraceKind::Spawn => format!("{from} spawns {to}"),
            TraceKind::Send => format!("{from} sends to {to}: {}", e.text),
            TraceKind::Handle => format!("{to} handles from {from}: {}", e.text),
            TraceKind::Drop => format!("{from} -> {to} dropped: {}", e.text),
            TraceKind::Exit => format!("{from} exits: {}", e.text),
            TraceKind::Deliver => unreachable!("filtered out"),
        };
        let _ = writeln!(out, "{:>4}. t={:<4} {line}", n + 1, e.step);
    }
    out
}

/// The workload as one line per client.
pub fn render_workload(workload: &Workload<Op>) -> String {
    let mut out = format!("mode {}\n", workload.mode.name());
    for (i, ops) in workload.clients.iter().enumerate() {
        let ops: Vec<String> = ops.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "client{}: {}", i + 1, ops.join(", "));
    }
    out
}

/// A found violation, shrunk, with its trace and replay line.
pub fn render_found(found: &Found) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "violation of {} after {} executions", found.violation.property, found.executions_to_failure);
    let _ = writeln!(
        out,
        "shrunk from {} to {} operations, {} to {} choices",
        found.original.workload.op_count(),
        found.shrunk.workload.op_count(),
        found.original.choices.len(),
        found.shrunk.choices.len()
    );
    out.push_str(&render_workload(&found.shrunk.workload));
    out.push_str(&render_trace(&found.trace, &found.history));
    let _ = writeln!(out, "{}", found.violation);
    let _ = writeln!(out, "{}", replay_line(&found.token.encode()));
    out
}
