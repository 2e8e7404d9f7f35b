//! The default job, the bug hunt: `check` on every subject variant x
//! delivery mode x property with one budget (one search per variant and
//! mode judges all its properties on each run), then a table of verdicts
//! judged against what each design predicts (`Subject::expected_violation`).
//! Exits 0 only when every verdict matches; 1 when one differs; 3 when none
//! differs but some row covered no run (and so was not judged: a row with no
//! run never matches). A row with no prediction is shown and not judged.

use crate::output::outln;
use crate::progress;
use crate::search_args::SearchArgs;
use crate::subjects;
use crate::totals::Totals;
use crate::verdict::Verdict;
use clap::Args;
use properties::check::{check_each, CheckConfig, CheckReport, Stop};
use properties::dynamic::DynSubject;
use properties::Subject;
use serde_json::{json, Value};
use sim::Delivery;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Clone, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Only this subject's variants (`kvsim list` shows them) [default: every subject].
    #[arg(long)]
    pub subject: Option<String>,
    /// Also print one JSON object with every row on the last line.
    #[arg(long)]
    pub json: bool,
}

/// One row of the hunt.
struct Row {
    subject: String,
    mode: Delivery,
    property: &'static str,
    /// What the design predicts: a violation, a pass, or nothing.
    expected: Option<bool>,
    report: CheckReport<DynSubject>,
}

impl Row {
    fn verdict(&self) -> &'static str {
        match (Verdict::of(&self.report), self.report.stop) {
            (Verdict::Pass, Stop::TimeLimit) => "pass (time)",
            (verdict, _) => verdict.word(),
        }
    }

    /// Whether the row is judged: it covered a run, and the design predicts its verdict.
    fn judged(&self) -> bool {
        Verdict::of(&self.report) != Verdict::NoRuns && self.expected.is_some()
    }

    fn matches(&self) -> bool {
        self.judged() && Some(self.report.found.is_some()) == self.expected
    }

    fn expected_word(&self) -> &'static str {
        match self.expected {
            Some(true) => "violation",
            Some(false) => "pass",
            None => "?",
        }
    }

    fn json(&self) -> Value {
        let found = self.report.found.as_ref();
        json!({
            "subject": self.subject, "variant": short(&self.subject), "mode": self.mode.name(), "property": self.property,
            "verdict": self.verdict(), "expected": self.expected_word(),
            "matches": self.matches(), "runs": self.report.covered,
            "executions_to_failure": found.map(|f| f.executions_to_failure),
            "ops": found.map(|f| f.shrunk.workload.op_count()),
            "token": found.map(|f| f.token.clone()),
        })
    }
}

/// `monitored` for `kv.monitored`.
fn short(name: &str) -> &str {
    name.split_once('.').map_or(name, |(_, v)| v)
}

pub fn run(args: HuntArgs) -> ExitCode {
    let variants = match &args.subject {
        None => subjects::all(),
        Some(name) => match subjects::family(name) {
            Ok(family) => (family.variants)(),
            Err(complaint) => {
                eprintln!("kvsim: {complaint}");
                return ExitCode::from(2);
            }
        },
    };
    let pairs: Vec<(DynSubject, Delivery)> =
        variants.into_iter().flat_map(|v| Delivery::ALL.into_iter().map(move |m| (v.clone(), m))).collect();
    let bar = progress::bar(args.search.runs() * pairs.len() as u64);
    let started = Instant::now();
    let (mut rows, mut executions, mut steps) = (Vec::new(), 0, 0);
    for (variant, mode) in pairs {
        let subject = variant.name();
        bar.set_message(format!("{subject} / {}", mode.name()));
        // One search per (variant, mode) judges every property on each run.
        let config = CheckConfig {
            runs: args.search.runs(),
            seed: args.search.seed(),
            jobs: args.search.jobs(),
            time_limit: args.search.time,
            ..CheckConfig::new(variant.clone(), mode)
        };
        let before = bar.position();
        let each = check_each(&config, &|runs| bar.inc(runs));
        bar.set_position(before + args.search.runs());
        (executions, steps) = (executions + each.runs_done, steps + each.steps);
        for (property, report) in variant.properties().iter().zip(each.reports) {
            let expected = variant.expected_violation(mode, property.name());
            let subject = subject.clone();
            rows.push(Row { subject, mode, property: property.name(), expected, report });
        }
    }
    bar.finish_and_clear();
    print_table(&rows);
    let mismatches = rows.iter().filter(|r| r.judged() && !r.matches()).count();
    let unjudged = rows.iter().filter(|r| Verdict::of(&r.report) == Verdict::NoRuns).count();
    let totals = Totals { executions, steps, elapsed: started.elapsed() };
    outln!("{} rows; {mismatches} differ from the expected matrix (README, 'The expected matrix')", rows.len());
    if unjudged > 0 {
        outln!("{unjudged} rows covered no run: nothing was checked there");
    }
    outln!("{totals}");
    if args.json {
        let rows: Vec<Value> = rows.iter().map(Row::json).collect();
        let mut object = json!({
            "rows": rows, "mismatches": mismatches, "rows_without_runs": unjudged, "runs_per_row": args.search.runs(),
        });
        totals.add_to(&mut object);
        outln!("{object}");
    }
    match (mismatches, unjudged) {
        (0, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(Verdict::NO_RUNS_EXIT),
        _ => ExitCode::FAILURE,
    }
}

fn print_table(rows: &[Row]) {
    outln!(
        "{:<16} {:<8} {:<18} {:<11} {:<10} {:>9} {:>4}  token",
        "subject",
        "mode",
        "property",
        "verdict",
        "expected",
        "execs",
        "ops"
    );
    for row in rows {
        let found = row.report.found.as_ref();
        let dash = || "-".to_string();
        let expected = row.expected_word();
        let expected = if row.matches() || !row.judged() { expected.to_string() } else { format!("{expected}!") };
        outln!(
            "{:<16} {:<8} {:<18} {:<11} {:<10} {:>9} {:>4}  {}",
            row.subject,
            row.mode.name(),
            row.property,
            row.verdict(),
            expected,
            found.map_or_else(dash, |f| f.executions_to_failure.to_string()),
            found.map_or_else(dash, |f| f.shrunk.workload.op_count().to_string()),
            found.map_or_else(dash, |f| f.token.clone()),
        );
    }
}
