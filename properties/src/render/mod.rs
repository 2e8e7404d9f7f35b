//! Pictures of a run: one renderer per format (`text`, `json`, `mermaid`,
//! `svg`), each a pure function of a [`Picture`]: a trace, the violations it
//! shows and a title. Invariant: a renderer reads nothing but its `Picture`
//! and iterates only ordered collections, so the same token renders to the
//! same bytes on every machine. Shared here: the formats, which trace entry a
//! violation points at, and (in `flow`, `words`) which send each delivery
//! belongs to and the signals in words.

mod flow;
pub mod json;
pub mod mermaid;
pub mod svg;
pub mod text;
mod words;

pub use flow::{arrows, Arrow};
pub use words::{entry_words, signal_words};

use crate::property::Violation;
use sim::trace::{Trace, TraceKind};

/// An output format of `kvsim replay --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Mermaid,
    Svg,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Text, Format::Json, Format::Mermaid, Format::Svg];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Mermaid => "mermaid",
            Format::Svg => "svg",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What a renderer draws.
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    pub trace: &'a Trace,
    /// The violations the run shows; those with a culprit are highlighted.
    pub violations: &'a [Violation],
    /// One line naming the run (variant, mode, token).
    pub title: &'a str,
}

impl Picture<'_> {
    /// The trace entry where `violation`'s culprit call got its answer: the
    /// `Handle` by the client in the step the answer was stamped with.
    pub fn culprit_entry(&self, violation: &Violation) -> Option<usize> {
        let culprit = violation.culprit?;
        let entries = &self.trace.entries;
        // Entries are in step order: search only the culprit's step.
        let first = entries.partition_point(|e| e.step < culprit.step);
        let mut step = entries[first..].iter().take_while(|e| e.step == culprit.step);
        step.position(|e| e.kind == TraceKind::Handle && e.to == culprit.pid).map(|at| first + at)
    }

    /// The violation whose culprit answer is trace entry `entry`, if any.
    pub fn violation_at(&self, entry: usize) -> Option<&Violation> {
        self.violations.iter().find(|v| self.culprit_entry(v) == Some(entry))
    }

    /// Whether arrow `arrow` carries a culprit answer.
    pub fn highlighted(&self, arrow: &Arrow) -> Option<&Violation> {
        self.violation_at(arrow.arrived).or_else(|| arrow.handled.and_then(|h| self.violation_at(h)))
    }
}

/// Renders `picture` in `format`.
pub fn render(format: Format, picture: &Picture) -> String {
    match format {
        Format::Text => text::render(picture),
        Format::Json => json::render(picture),
        Format::Mermaid => mermaid::render(picture),
        Format::Svg => svg::render(picture),
    }
}

/// Breaks `text` at spaces into lines of at most about `width` characters.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
