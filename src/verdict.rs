//! What a search concluded: a violation, a pass, or less than a pass. A
//! search over generated runs that covered no run (`--runs 0`, a shard that
//! holds no run, a time limit that came before the first run) checked
//! nothing; an exhaustive search that found nothing but stopped short of
//! every order (its budget, a delay bound) proved nothing. Neither says
//! "pass": each has its own word, and both exit 3.

use properties::check::CheckReport;
use properties::Subject;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Violation,
    Pass,
    NoRuns,
    Incomplete,
}

impl Verdict {
    /// The exit code of a search that covered no run, or did not finish.
    pub const NO_RUNS_EXIT: u8 = 3;

    /// An exhaustive search's: `complete` if it covered every order.
    pub fn of_exhaustive(violation: bool, complete: bool) -> Verdict {
        match (violation, complete) {
            (true, _) => Verdict::Violation,
            (false, true) => Verdict::Pass,
            (false, false) => Verdict::Incomplete,
        }
    }

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
            Verdict::Incomplete => "incomplete",
        }
    }

    pub fn exit_code(self) -> ExitCode {
        match self {
            Verdict::Violation => ExitCode::FAILURE,
            Verdict::Pass => ExitCode::SUCCESS,
            Verdict::NoRuns | Verdict::Incomplete => ExitCode::from(Self::NO_RUNS_EXIT),
        }
    }
}
