//! The `mermaid` format: a `sequenceDiagram` that any Mermaid viewer renders.
//! Participants are declared once each, in pid order, as `P<n>` aliased to the
//! readable name; every delivered signal is one arrow in arrival order (Mermaid
//! draws no messages in flight, so the label says when it was sent); spawns
//! are dotted arrows, drops are crossed arrows, deaths are notes, and a
//! culprit answer sits in a red `rect` with a note naming the property.
//! Invariant: every piece of run-derived text goes through [`escape`], so no
//! label can break the diagram's syntax.

use super::{arrows, entry_words, wrap, Arrow, Picture};
use sim::trace::TraceKind;
use sim::Pid;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Notes are broken into lines of about this many characters.
const NOTE_WIDTH: usize = 60;

pub fn render(picture: &Picture) -> String {
    let trace = picture.trace;
    let mut out = String::from("sequenceDiagram\n");
    let _ = writeln!(out, "    %% {}", escape(picture.title));
    for pid in 0..trace.labels.len() {
        let pid = Pid(pid as u32);
        let _ = writeln!(out, "    participant {} as {}", id(pid), escape(&trace.name(pid)));
    }
    let by_arrival: BTreeMap<usize, Arrow> = arrows(trace).into_iter().map(|a| (a.arrived, a)).collect();
    for (i, e) in trace.entries.iter().enumerate() {
        let words = escape(&entry_words(trace, e));
        let (from, to) = (id(e.from), id(e.to));
        match e.kind {
            TraceKind::Spawn => {
                let _ = writeln!(out, "    {from}-->>{to}: t={} spawn", e.step);
            }
            TraceKind::Exit => {
                let _ = writeln!(out, "    Note over {from}: t={} exits {words}", e.step);
            }
            TraceKind::Drop => {
                let _ = writeln!(out, "    {from}-x{to}: t={} {words}", e.step);
            }
            TraceKind::Deliver | TraceKind::Handle => {
                if let Some(arrow) = by_arrival.get(&i) {
                    signal(&mut out, picture, arrow, &words);
                }
            }
            TraceKind::Send => {}
        }
    }
    out
}

/// One delivered signal, in a red block with a note when it is a culprit answer.
fn signal(out: &mut String, picture: &Picture, arrow: &Arrow, words: &str) {
    let trace = picture.trace;
    let step = trace.entries[arrow.arrived].step;
    let sent = arrow.sent.map(|s| trace.entries[s].step).filter(|&s| s < step);
    let when = sent.map_or_else(|| format!("t={step}"), |s| format!("t={s}..{step}"));
    let line = format!("{}->>{}: {when} {words}", id(arrow.from), id(arrow.to));
    let Some(violation) = picture.highlighted(arrow) else {
        let _ = writeln!(out, "    {line}");
        return;
    };
    let _ = writeln!(out, "    rect rgb(255, 200, 200)");
    let _ = writeln!(out, "        {line}");
    let note = wrap(&format!("{violation}"), NOTE_WIDTH).iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br/>");
    let _ = writeln!(out, "        Note over {}: VIOLATION {note}", id(arrow.to));
    let _ = writeln!(out, "    end");
}

/// A participant id: `P3`.
fn id(pid: Pid) -> String {
    format!("P{}", pid.0)
}

/// Text made safe for a Mermaid label: entity codes for the characters
/// Mermaid reads as syntax or HTML, newlines as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
