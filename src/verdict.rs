//! What a search over generated runs concluded: a violation, a pass, or
//! nothing at all. A search that covered no run (`--runs 0`, a shard that
//! holds no run, a time limit that came before the first run) checked
//! nothing, so it never says "pass": it has its own word and exit code.

use properties::check::CheckReport;
use properties::Subject;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Violation,
    Pass,
    NoRuns,
}

impl Verdict {
    /// The exit code of a search that covered no run.
    pub const NO_RUNS_EXIT: u8 = 3;

    pub fn of<S: Subject>(report: &CheckReport<S>) -> Verdict {
        match (&report.found, report.covered) {
            (Some(_), _) => Verdict::Violation,
            (None, 0) => Verdict::NoRuns,
            (None, _) => Verdict::Pass,
        }
    }

    /// The word reports and JSON objects use.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Violation => "violation",
            Verdict::Pass => "pass",
            Verdict::NoRuns => "no-runs",
        }
    }

    pub fn exit_code(self) -> ExitCode {
        match self {
            Verdict::Violation => ExitCode::FAILURE,
            Verdict::Pass => ExitCode::SUCCESS,
            Verdict::NoRuns => ExitCode::from(Self::NO_RUNS_EXIT),
        }
    }
}
