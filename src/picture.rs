//! Pictures of a counterexample on the command line: `replay --format F
//! [--out FILE]` and `check --svg FILE`. The renderers live in
//! `properties::render`; this file only chooses where the bytes go.
//!
//! Where output goes: stdout carries exactly one document. `replay` with
//! `--format text` and no `--out` prints its usual report; with another
//! format and no `--out`, stdout is the picture alone (so it can be piped);
//! with `--out FILE` the picture goes to FILE and stdout gets the usual
//! report. A file that cannot be written is one line on stderr and exit 2.

use crate::output::out;
use clap::builder::PossibleValuesParser;
use clap::Args;
use properties::check::Found;
use properties::dynamic::DynSubject;
use properties::render::{render, Format, Picture};
use properties::{Subject, Violation};
use sim::trace::Trace;
use sim::Delivery;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn format_names() -> Vec<&'static str> {
    Format::ALL.iter().map(|f| f.name()).collect()
}

#[derive(Args)]
pub struct PictureArgs {
    /// How to show the trace: numbered steps, JSON (docs/trace-json.md), a Mermaid sequence diagram, or an SVG chart.
    #[arg(long, default_value = "text", value_parser = PossibleValuesParser::new(format_names()))]
    format: String,
    /// Write the picture to FILE (stdout then gets the usual text report).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The one-line title of a token's picture.
pub fn title(token: &str, subject: &str, mode: Delivery) -> String {
    format!("kvsim replay {token} ({subject} / {})", mode.name())
}

/// Shows a replay's picture. `None`: the caller prints its usual report and
/// exits with `code`; `Some(exit)`: done (the picture took stdout, or a write failed).
pub fn replay(
    args: &PictureArgs,
    title: &str,
    trace: &Trace,
    violations: &[Violation],
    code: ExitCode,
) -> Option<ExitCode> {
    let format = Format::from_name(&args.format).expect("clap checked the name");
    let picture = Picture { trace, violations, title };
    match &args.out {
        Some(path) => write(path, &render(format, &picture)).err(),
        None if format == Format::Text => None,
        None => {
            out!("{}", render(format, &picture));
            Some(code)
        }
    }
}

/// `check --svg FILE`: the found counterexample's chart.
pub fn found_svg(path: &Path, subject: &DynSubject, found: &Found<DynSubject>) -> Result<(), ExitCode> {
    let title = title(&found.token, &subject.name(), found.shrunk.workload.mode);
    let violations = std::slice::from_ref(&found.violation);
    write(path, &render(Format::Svg, &Picture { trace: &found.trace, violations, title: &title }))
}

/// Writes `text` to `path`, or says why not in one line on stderr (exit 2).
fn write(path: &Path, text: &str) -> Result<(), ExitCode> {
    std::fs::write(path, text).map_err(|e| {
        eprintln!("kvsim: cannot write {}: {e}", path.display());
        ExitCode::from(2)
    })
}
