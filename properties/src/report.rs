//! Counterexamples and traces in words: numbered steps with readable process
//! names (`label<pid>`), the violation, and the line that replays it.

use crate::check::Found;
use crate::property::Violation;
use crate::render::{text, Picture};
use crate::subject::Subject;
use crate::workload::Workload;
use sim::trace::Trace;
use std::fmt::Display;
use std::fmt::Write;

/// The command that replays a token.
pub fn replay_line(token: &str) -> String {
    format!("replay: cargo run --release -- replay {token}")
}

/// The trace as numbered steps with readable names and signals in words
/// (the `text` picture's steps), the culprit answers of `violations` marked.
pub fn render_trace(trace: &Trace, violations: &[Violation]) -> String {
    text::steps(&Picture { trace, violations, title: "" })
}

/// The workload as one line per client.
pub fn render_workload<O: Display>(workload: &Workload<O>) -> String {
    let mut out = format!("mode {}\n", workload.mode.name());
    for (i, ops) in workload.clients.iter().enumerate() {
        let ops: Vec<String> = ops.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "client{}: {}", i + 1, ops.join(", "));
    }
    out
}

/// A found violation, shrunk, with its trace and replay line.
pub fn render_found<S: Subject>(found: &Found<S>) -> String {
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
    out.push_str(&render_trace(&found.trace, std::slice::from_ref(&found.violation)));
    let _ = writeln!(out, "{}", found.violation);
    let _ = writeln!(out, "{}", replay_line(&found.token));
    out
}
