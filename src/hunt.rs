//! The default job, the bug hunt: `check` on every registry variant x
//! delivery mode x property with one budget (one search per variant and
//! mode judges all six properties on each run), then a table of verdicts judged
//! against the expected matrix (DESIGN.md's variant table, as
//! `properties::expected_violation` encodes it). Exits 0 only when every
//! verdict matches.

use crate::progress;
use crate::search_args::SearchArgs;
use crate::totals::Totals;
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
        verdict_word(self.report.found.is_some(), self.report.stop)
    }

    fn matches(&self) -> bool {
        self.report.found.is_some() == self.expected
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

fn verdict_word(found: bool, stop: Stop) -> &'static str {
    match (found, stop) {
        (true, _) => "violation",
        (false, Stop::TimeLimit) => "pass (time)",
        (false, _) => "pass",
    }
}

pub fn run(args: HuntArgs) -> ExitCode {
    let pairs: Vec<(Variant, Delivery)> =
        Variant::ALL.into_iter().flat_map(|v| Delivery::ALL.into_iter().map(move |m| (v, m))).collect();
    let bar = progress::bar(args.search.runs * pairs.len() as u64);
    let started = Instant::now();
    let (mut rows, mut executions, mut steps) = (Vec::new(), 0, 0);
    for (variant, mode) in pairs {
        bar.set_message(format!("{variant} / {}", mode.name()));
        // One search per (variant, mode) judges every property on each run.
        let config = CheckConfig {
            runs: args.search.runs,
            seed: args.search.seed,
            jobs: args.search.jobs(),
            time_limit: args.search.time,
            ..CheckConfig::new(variant, mode, Property::ALL.to_vec())
        };
        let before = bar.position();
        let each = check_each(&config, &|runs| bar.inc(runs));
        bar.set_position(before + args.search.runs);
        (executions, steps) = (executions + each.runs_done, steps + each.steps);
        for (property, report) in Property::ALL.into_iter().zip(each.reports) {
            let expected = expected_violation(variant, mode, property);
            rows.push(Row { variant, mode, property, expected, report });
        }
    }
    bar.finish_and_clear();
    print_table(&rows);
    let mismatches = rows.iter().filter(|r| !r.matches()).count();
    let totals = Totals { executions, steps, elapsed: started.elapsed() };
    println!("{} rows; {mismatches} differ from the expected matrix (README, 'The expected matrix')", rows.len());
    println!("{totals}");
    if args.json {
        let rows: Vec<Value> = rows.iter().map(Row::json).collect();
        let mut object = json!({ "rows": rows, "mismatches": mismatches, "runs_per_row": args.search.runs });
        totals.add_to(&mut object);
        println!("{object}");
    }
    if mismatches == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<12} {:<8} {:<18} {:<11} {:<10} {:>9} {:>4}  token",
        "variant", "mode", "property", "verdict", "expected", "execs", "ops"
    );
    for row in rows {
        let found = row.report.found.as_ref();
        let dash = || "-".to_string();
        let expected = if row.expected { "violation" } else { "pass" };
        let expected = if row.matches() { expected.to_string() } else { format!("{expected}!") };
        println!(
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
