//! The `json` format: the full trace as one pretty-printed JSON document,
//! made with serde from the structs below, whose field names are the
//! documented schema (`docs/trace-json.md`, format `kvsim-trace/1`).
//! Invariant: the structs hold only values derived from the trace and the
//! violations, in trace order, so the bytes are a function of the token;
//! renaming or removing a field is a new format version.

use super::{arrows, entry_words, Picture};
use crate::property::Violation;
use serde::Serialize;
use sim::trace::{Trace, TraceKind};
use sim::Pid;

/// The value of the document's `format` field.
pub const FORMAT: &str = "kvsim-trace/1";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    title: &'a str,
    processes: Vec<Process<'a>>,
    entries: Vec<Entry>,
    signals: Vec<Signal>,
    violations: Vec<ViolationJson<'a>>,
}

#[derive(Serialize)]
struct Process<'a> {
    pid: u32,
    label: &'a str,
    name: String,
    spawned_entry: Option<usize>,
    exit_entry: Option<usize>,
}

#[derive(Serialize)]
struct Entry {
    index: usize,
    step: u64,
    kind: &'static str,
    from: u32,
    to: u32,
    /// The signal's kind (`message`, `call`, `reply`, `cast`, `exit`, `down`, `stop`); null for spawns and exits.
    signal: Option<&'static str>,
    text: String,
    words: String,
}

#[derive(Serialize)]
struct Signal {
    from: u32,
    to: u32,
    sent_entry: Option<usize>,
    arrived_entry: usize,
    handled_entry: Option<usize>,
}

#[derive(Serialize)]
struct ViolationJson<'a> {
    property: &'static str,
    message: &'a str,
    culprit_client: Option<u32>,
    culprit_step: Option<u64>,
    culprit_entry: Option<usize>,
}

pub fn render(picture: &Picture) -> String {
    let trace = picture.trace;
    let document = Document {
        format: FORMAT,
        title: picture.title,
        processes: (0..trace.labels.len()).map(|p| process(trace, Pid(p as u32))).collect(),
        entries: trace
            .entries
            .iter()
            .enumerate()
            .map(|(index, e)| Entry {
                index,
                step: e.step,
                kind: e.kind.word(),
                from: e.from.0,
                to: e.to.0,
                signal: e.signal().map(|s| s.kind().word()),
                text: e.text().to_string(),
                words: entry_words(trace, e),
            })
            .collect(),
        signals: arrows(trace)
            .into_iter()
            .map(|a| Signal {
                from: a.from.0,
                to: a.to.0,
                sent_entry: a.sent,
                arrived_entry: a.arrived,
                handled_entry: a.handled,
            })
            .collect(),
        violations: picture.violations.iter().map(|v| violation(picture, v)).collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("plain structs serialize");
    out.push('\n');
    out
}

fn process(trace: &Trace, pid: Pid) -> Process<'_> {
    let find = |kind: TraceKind| trace.entries.iter().position(|e| e.kind == kind && e.to == pid);
    Process {
        pid: pid.0,
        label: &trace.labels[pid.index()],
        name: trace.name(pid),
        spawned_entry: find(TraceKind::Spawn),
        exit_entry: find(TraceKind::Exit),
    }
}

fn violation<'a>(picture: &Picture, v: &'a Violation) -> ViolationJson<'a> {
    ViolationJson {
        property: v.property,
        message: &v.message,
        culprit_client: v.culprit.map(|c| c.pid.0),
        culprit_step: v.culprit.map(|c| c.step),
        culprit_entry: picture.culprit_entry(v),
    }
}
