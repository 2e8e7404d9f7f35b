//! The `svg` format: a standalone message sequence chart. One column per
//! process (a header box with its name, a lifeline from its spawn to its
//! death), one row per shown trace entry grouped by step (the step number in
//! the left margin), one arrow per delivered signal from its send row to its
//! arrival row (so a signal in flight is a slanted arrow), spawns and drops as
//! grey dashed arrows, deaths as an X with the reason, and a culprit answer in
//! red on a red band, with a caption naming the property and the violation.
//! Invariants: every run-derived string passes through [`xml`], so the output
//! is well-formed XML; coordinates are integers computed from the trace alone,
//! so the bytes are a function of the token; nothing external is referenced.

use super::{arrows, entry_words, wrap, Arrow, Picture};
use sim::trace::{SignalKind, Trace, TraceEntry, TraceKind, TracedSignal};
use sim::Pid;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Approximate advance of one character of the 12px monospace font.
const CHAR_W: i64 = 7;
const ROW: i64 = 22;
const STEP_GAP: i64 = 10;
const LEFT: i64 = 70;
const MIN_COL: i64 = 230;
const MAX_COL: i64 = 280;
const HEADER_H: i64 = 30;
/// Header names longer than this are truncated (full name in a tooltip).
const MAX_NAME: usize = 30;

const STYLE: &str = "text{font-family:ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12px}\
.title{font-size:15px;font-weight:bold}.caption{fill:#b00000}.legend{fill:#555;font-size:11px}\
.step{fill:#777;font-size:11px}.head{fill:#eef3fb;stroke:#1f4e79}.life{stroke:#9aa8b8;stroke-width:1.2}\
.before{stroke:#d5dbe3;stroke-dasharray:2 4}.lbl{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}\
.msg{stroke:#1f4e79;stroke-width:1.4}.sig{stroke:#c55a11;stroke-width:1.4}.stp{stroke:#7030a0;stroke-width:1.4}\
.bad{stroke:#d00000;stroke-width:2.6}.grey{stroke:#999;stroke-width:1.2;stroke-dasharray:5 4}\
.tmsg{fill:#1f4e79}.tsig{fill:#c55a11}.tstp{fill:#7030a0}.tbad{fill:#d00000;font-weight:bold}.tgrey{fill:#777}\
.band{fill:#ffe0e0}.x{stroke:#8b0000;stroke-width:2.2}.tx{fill:#8b0000;font-style:italic}.dot{fill:#1f4e79}";

/// Where everything goes.
struct Layout {
    col: i64,
    width: i64,
    /// Top of the header boxes.
    header_y: i64,
    /// Per trace entry, its row's y (`None` for a handling drawn on its delivery's row).
    ys: Vec<Option<i64>>,
    /// Steps and the y of their first row.
    steps: Vec<(u64, i64)>,
    height: i64,
}

impl Layout {
    fn x(&self, pid: Pid) -> i64 {
        LEFT + self.col * i64::from(pid.0) + self.col / 2
    }
}

pub fn render(picture: &Picture) -> String {
    let trace = picture.trace;
    let all = arrows(trace);
    let caption = caption(picture);
    let layout = layout(trace, &all, 54 + 16 * caption.len() as i64 + 36);
    let mut out = String::new();
    let (w, h) = (layout.width, layout.height);
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(out, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#);
    let _ = writeln!(out, "<title>{}</title>\n<style>{STYLE}</style>", xml(picture.title));
    out.push_str(&defs());
    let _ = writeln!(out, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
    texts(&mut out, picture, &caption);
    for a in all.iter().filter(|a| picture.highlighted(a).is_some()) {
        let y = layout.ys[a.arrived].unwrap_or_default();
        let _ = writeln!(out, r#"<rect class="band" x="0" y="{}" width="{w}" height="{}"/>"#, y - 15, ROW);
    }
    steps(&mut out, &layout);
    lifelines(&mut out, trace, &layout);
    for a in &all {
        arrow(&mut out, picture, &layout, a);
    }
    others(&mut out, trace, &layout);
    out.push_str("</svg>\n");
    out
}

/// The caption lines: each violation, wrapped.
fn caption(picture: &Picture) -> Vec<String> {
    let mut lines = Vec::new();
    for v in picture.violations {
        let marked = if picture.culprit_entry(v).is_some() { " (the answer in red)" } else { "" };
        lines.extend(wrap(&format!("violation of {v}{marked}"), 110));
    }
    lines
}

/// The title, the caption and the legend.
fn texts(out: &mut String, picture: &Picture, caption: &[String]) {
    let _ = writeln!(out, r#"<text class="title" x="12" y="24">{}</text>"#, xml(picture.title));
    let mut y = 46;
    for line in caption {
        let _ = writeln!(out, r#"<text class="caption" x="12" y="{y}">{}</text>"#, xml(line));
        y += 16;
    }
    let legend = [
        "blue: messages \u{b7} orange: DOWN / EXIT \u{b7} purple: stop \u{b7} grey dashed: spawn, drop",
        "slanted: in flight \u{b7} dot: handled after waiting in the mailbox \u{b7} X: process ends",
    ];
    for (n, line) in legend.iter().enumerate() {
        let _ = writeln!(out, r#"<text class="legend" x="12" y="{}">{line}</text>"#, y + 2 + 14 * n as i64);
    }
}

fn defs() -> String {
    let mut out = String::from("<defs>\n");
    for (id, colour) in
        [("msg", "#1f4e79"), ("sig", "#c55a11"), ("stp", "#7030a0"), ("bad", "#d00000"), ("grey", "#999")]
    {
        let _ = writeln!(
            out,
            r#"<marker id="h-{id}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
        );
    }
    out.push_str("</defs>\n");
    out
}

/// Rows: one per shown entry, a gap between steps; a handling merged with
/// the delivery in its own step shares that row.
fn layout(trace: &Trace, all: &[Arrow], header_y: i64) -> Layout {
    let longest = trace.labels.iter().enumerate().map(|(p, _)| trace.name(Pid(p as u32)).len()).max().unwrap_or(0);
    let col = (longest.min(MAX_NAME) as i64 * CHAR_W + 40).clamp(MIN_COL, MAX_COL);
    let mut merged = vec![false; trace.entries.len()];
    for a in all {
        if let Some(h) = a.handled.filter(|&h| h != a.arrived && trace.entries[h].step == trace.entries[a.arrived].step)
        {
            merged[h] = true;
        }
    }
    let (mut y, mut ys, mut steps) = (header_y + HEADER_H + 16, Vec::new(), Vec::new());
    for (i, e) in trace.entries.iter().enumerate() {
        if merged[i] {
            ys.push(None);
            continue;
        }
        if steps.last().is_none_or(|&(s, _)| s != e.step) {
            y += if steps.is_empty() { 0 } else { STEP_GAP };
            steps.push((e.step, y + ROW));
        }
        y += ROW;
        ys.push(Some(y));
    }
    let width = (LEFT + col * trace.labels.len() as i64 + 24).max(820);
    Layout { col, width, header_y, ys, steps, height: y + 40 }
}

/// Step numbers in the margin, with a faint rule above each step.
fn steps(out: &mut String, layout: &Layout) {
    for &(step, y) in &layout.steps {
        let rule = y - ROW + 4;
        let _ = writeln!(
            out,
            r##"<line x1="8" y1="{rule}" x2="{}" y2="{rule}" stroke="#f0f0f0"/><text class="step" x="10" y="{}">t={step}</text>"##,
            layout.width - 8,
            y + 4
        );
    }
}

/// Header boxes and lifelines: dotted before the spawn, solid until the exit.
fn lifelines(out: &mut String, trace: &Trace, layout: &Layout) {
    for p in 0..trace.labels.len() {
        let pid = Pid(p as u32);
        let x = layout.x(pid);
        let find = |kind: TraceKind| trace.entries.iter().position(|e| e.kind == kind && e.to == pid);
        let top = layout.header_y + HEADER_H;
        let start = find(TraceKind::Spawn).and_then(|i| layout.ys[i]).unwrap_or(top);
        let end = find(TraceKind::Exit).map_or(layout.height - 20, |i| death_end(trace, layout, i));
        let _ = writeln!(out, r#"<line class="before" x1="{x}" y1="{top}" x2="{x}" y2="{start}"/>"#);
        let _ = writeln!(out, r#"<line class="life" x1="{x}" y1="{start}" x2="{x}" y2="{end}"/>"#);
        let name = trace.name(pid);
        let (bw, bx) = (layout.col - 16, x - (layout.col - 16) / 2);
        let _ = writeln!(
            out,
            r#"<g><title>{}</title><rect class="head" x="{bx}" y="{}" width="{bw}" height="{HEADER_H}" rx="4"/><text x="{x}" y="{}" text-anchor="middle" font-weight="bold">{}</text></g>"#,
            xml(&name),
            layout.header_y,
            layout.header_y + 19,
            xml(&truncate(&name, MAX_NAME))
        );
    }
}

/// Where a lifeline ends: at its exit row, or lower when the process's
/// links and monitors fire in the rows after it (same step, sent by it).
fn death_end(trace: &Trace, layout: &Layout, exit: usize) -> i64 {
    let e = &trace.entries[exit];
    let fired = trace.entries[exit..].iter().zip(&layout.ys[exit..]).take_while(|(s, _)| s.step == e.step);
    fired.filter(|(s, _)| s.from == e.from).filter_map(|(_, y)| *y).max().unwrap_or_default()
}

/// The style class of a signal's arrow, from its kind.
fn class(signal: Option<&TracedSignal>) -> &'static str {
    match signal.map(TracedSignal::kind) {
        Some(SignalKind::Down | SignalKind::Exit) => "sig",
        Some(SignalKind::Stop) => "stp",
        _ => "msg",
    }
}

/// One delivered signal: a line from its send row to its arrival row, labelled at the arrival.
fn arrow(out: &mut String, picture: &Picture, layout: &Layout, a: &Arrow) {
    let trace = picture.trace;
    let arrived = &trace.entries[a.arrived];
    let words = entry_words(trace, arrived);
    let bad = picture.highlighted(a);
    let class = if bad.is_some() { "bad" } else { class(arrived.signal()) };
    let (x1, x2) = (layout.x(a.from), layout.x(a.to));
    let y2 = layout.ys[a.arrived].unwrap_or_default();
    let y1 = a.sent.and_then(|s| layout.ys[s]).unwrap_or(y2);
    let sent = a.sent.map(|s| trace.entries[s].step);
    let step = trace.entries[a.arrived].step;
    let mut tip = format!(
        "{} -> {}: {words} (sent t={}, arrived t={step})",
        trace.name(a.from),
        trace.name(a.to),
        sent.map_or_else(|| "?".to_string(), |s| s.to_string())
    );
    if let Some(v) = bad {
        let _ = write!(tip, "\nviolation of {v}");
    }
    let _ = write!(out, "<g><title>{}</title>", xml(&tip));
    if x1 == x2 {
        let _ = write!(
            out,
            r#"<path class="{class}" fill="none" d="M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}" marker-end="url(#h-{class})"/>"#,
            x1 + 50,
            x1 + 50
        );
    } else {
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#h-{class})"/>"#
        );
    }
    let room = ((x2 - x1).abs().max(layout.col) - 24) / CHAR_W;
    label(out, &format!("t{class}"), x1, x2, y2, &truncate(&words, room as usize));
    if let Some(v) = bad {
        let (x, anchor) = if x1 <= x2 { (x2 + 10, "start") } else { (x2 - 10, "end") };
        let _ = write!(
            out,
            r#"<text class="tbad" x="{x}" y="{}" text-anchor="{anchor}">&#x2716; {}</text>"#,
            y2 + 4,
            xml(v.property)
        );
    }
    out.push_str("</g>\n");
}

/// A label just above the arrival end of an arrow, reaching back toward its sender.
fn label(out: &mut String, class: &str, x1: i64, x2: i64, y: i64, text: &str) {
    let (x, anchor) = if x1 < x2 {
        (x2 - 14, "end")
    } else if x1 > x2 {
        (x2 + 14, "start")
    } else {
        (x2 + 56, "start")
    };
    let _ =
        write!(out, r#"<text class="lbl {class}" x="{x}" y="{}" text-anchor="{anchor}">{}</text>"#, y - 5, xml(text));
}

/// Spawns, drops, exits and handlings of signals delivered earlier.
fn others(out: &mut String, trace: &Trace, layout: &Layout) {
    let delivered_late: BTreeSet<usize> = arrows(trace)
        .into_iter()
        .filter_map(|a| a.handled.filter(|&h| h != a.arrived && layout.ys[h].is_some()))
        .collect();
    for (i, e) in trace.entries.iter().enumerate() {
        let Some(y) = layout.ys[i] else { continue };
        match e.kind {
            TraceKind::Spawn | TraceKind::Drop => grey_arrow(out, trace, layout, e, y),
            TraceKind::Exit => exit_mark(out, trace, layout, e, y),
            TraceKind::Handle if delivered_late.contains(&i) => {
                let tip = format!("{} handles {}", trace.name(e.to), entry_words(trace, e));
                let x = layout.x(e.to);
                let _ = writeln!(
                    out,
                    r#"<g><title>{}</title><circle class="dot" cx="{x}" cy="{y}" r="4"/></g>"#,
                    xml(&tip)
                );
            }
            _ => {}
        }
    }
}

/// A spawn or a drop: a grey dashed arrow within its row.
fn grey_arrow(out: &mut String, trace: &Trace, layout: &Layout, e: &TraceEntry, y: i64) {
    let (x1, x2) = (layout.x(e.from), layout.x(e.to));
    let words = entry_words(trace, e);
    let tip = format!("{} {} {}: {words}", trace.name(e.from), e.kind.word(), trace.name(e.to));
    let what = if e.kind == TraceKind::Spawn { "spawn".to_string() } else { words };
    let _ = write!(
        out,
        r#"<g><title>{}</title><line class="grey" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" marker-end="url(#h-grey)"/>"#,
        xml(&tip)
    );
    let room = ((x2 - x1).abs().max(layout.col) - 24) / CHAR_W;
    label(out, "tgrey", x1, x2, y, &truncate(&what, room as usize));
    out.push_str("</g>\n");
}

/// A process's end: an X on its lifeline and the reason beside it.
fn exit_mark(out: &mut String, trace: &Trace, layout: &Layout, e: &TraceEntry, y: i64) {
    let x = layout.x(e.from);
    let reason = entry_words(trace, e);
    let shown = truncate(&format!("exit {reason}"), ((layout.col - 24) / CHAR_W) as usize);
    let _ = writeln!(
        out,
        r#"<g><title>{} exits: {}</title><path class="x" d="M{},{} l14,14 M{},{} l-14,14"/><text class="tx" x="{}" y="{}">{}</text></g>"#,
        xml(&trace.name(e.from)),
        xml(&reason),
        x - 7,
        y - 7,
        x + 7,
        y - 7,
        x + 12,
        y + 4,
        xml(&shown)
    );
}

/// `text` cut to `max` characters, ending with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    let max = max.max(8);
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('\u{2026}');
    cut
}

/// Text escaped for XML character data and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
