//! The final line of a search: executions, executor steps, wall time and
//! executions per second, summed over one or more check reports.

use properties::check::CheckReport;
use properties::Subject;
use serde_json::{json, Value};
use std::fmt;
use std::time::Duration;

pub struct Totals {
    pub executions: u64,
    pub steps: u64,
    pub elapsed: Duration,
}

impl Totals {
    pub fn of<'a, S: Subject>(reports: impl IntoIterator<Item = &'a CheckReport<S>>, elapsed: Duration) -> Totals {
        let (mut executions, mut steps) = (0, 0);
        for report in reports {
            executions += report.runs_done;
            steps += report.steps;
        }
        Totals { executions, steps, elapsed }
    }

    pub fn executions_per_second(&self) -> f64 {
        self.executions as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Adds `executions`, `steps`, `seconds` and `executions_per_second` to a JSON object.
    pub fn add_to(&self, object: &mut Value) {
        object["executions"] = json!(self.executions);
        object["steps"] = json!(self.steps);
        object["seconds"] = json!((self.elapsed.as_secs_f64() * 1000.0).round() / 1000.0);
        object["executions_per_second"] = json!(self.executions_per_second().round());
    }
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "executions {}, steps {}, {:.1} s, {:.0} executions/s",
            self.executions,
            self.steps,
            self.elapsed.as_secs_f64(),
            self.executions_per_second()
        )
    }
}
