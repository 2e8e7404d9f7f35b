//! The default job, the bug hunt: `check` on every registry variant x
//! delivery mode x property with one budget (one search per variant and
//! mode judges all six properties on each run), then a table of verdicts judged
//! against the expected matrix (`properties::expected_violation`). Exits 0 only when every
//! verdict matches; 1 when one differs; 3 when none differs but some row
//! covered no run (and so was not judged: a row with no run never matches).

use crate::output::outln;
use crate::progress;
use crate::search_args::SearchArgs;
use crate::totals::Totals;
use crate::verdict::Verdict;
use clap::Args;
use model::Variant;
use properties::check::{check_each, CheckConfig, CheckReport, Stop};
use properties::{expected_violation, Property};
use serde_json::{json, Value};
use sim::Delivery;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Clone, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Also print one JSON object with every row on the last line.
    #[arg(long)]
    pub json: bool,
}

/// One row of the hunt.
struct Row {
    variant: Variant,
    mode: Delivery,
    property: Property,
    expected: bool,
    report: CheckReport,
}

impl Row {
    fn verdict(&self) -> &'static str {
        match (Verdict::of(&self.report), self.report.stop) {
            (Verdict::Pass, Stop::TimeLimit) => "pass (time)",
            (verdict, _) => verdict.word(),
        }
    }

    /// Whether the row covered a run at all (a row that covered none is not judged).
    fn judged(&self) -> bool {
        Verdict::of(&self.report) != Verdict::NoRuns
    }

    fn matches(&self) -> bool {
        self.judged() && self.report.found.is_some() == self.expected
    }

    fn json(&self) -> Value {
        let found = self.report.found.as_ref();
        json!({
            "variant": self.variant.name(), "mode": self.mode.name(), "property": self.property.name(),
            "verdict": self.verdict(), "expected": if self.expected { "violation" } else { "pass" },
            "matches": self.matches(), "runs": self.report.covered,
            "executions_to_failure": found.map(|f| f.executions_to_failure),
            "ops": found.map(|f| f.shrunk.workload.op_count()),
            "token": found.map(|f| f.token.encode()),
        })
    }
}

pub fn run(args: HuntArgs) -> ExitCode {
    let pairs: Vec<(Variant, Delivery)> =
        Variant::ALL.into_iter().flat_map(|v| Delivery::ALL.into_iter().map(move |m| (v, m))).collect();
    let bar = progress::bar(args.search.runs() * pairs.len() as u64);
    let started = Instant::now();
    let (mut rows, mut executions, mut steps) = (Vec::new(), 0, 0);
    for (variant, mode) in pairs {
        bar.set_message(format!("{variant} / {}", mode.name()));
        // One search per (variant, mode) judges every property on each run.
        let config = CheckConfig {
            runs: args.search.runs(),
            seed: args.search.seed(),
            jobs: args.search.jobs(),
            time_limit: args.search.time,
            ..CheckConfig::new(variant, mode, Property::ALL.to_vec())
        };
        let before = bar.position();
        let each = check_each(&config, &|runs| bar.inc(runs));
        bar.set_position(before + args.search.runs());
        (executions, steps) = (executions + each.runs_done, steps + each.steps);
        for (property, report) in Property::ALL.into_iter().zip(each.reports) {
            let expected = expected_violation(variant, mode, property);
            rows.push(Row { variant, mode, property, expected, report });
        }
    }
    bar.finish_and_clear();
    print_table(&rows);
    let mismatches = rows.iter().filter(|r| r.judged() && !r.matches()).count();
    let unjudged = rows.iter().filter(|r| !r.judged()).count();
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
        "{:<12} {:<8} {:<18} {:<11} {:<10} {:>9} {:>4}  token",
        "variant",
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
        let expected = if row.expected { "violation" } else { "pass" };
        let expected = if row.matches() || !row.judged() { expected.to_string() } else { format!("{expected}!") };
        outln!(
            "{:<12} {:<8} {:<18} {:<11} {:<10} {:>9} {:>4}  {}",
            row.variant.name(),
            row.mode.name(),
            row.property.name(),
            row.verdict(),
            expected,
            found.map_or_else(dash, |f| f.executions_to_failure.to_string()),
            found.map_or_else(dash, |f| f.shrunk.workload.op_count().to_string()),
            found.map_or_else(dash, |f| f.token.encode()),
        );
    }
}
