//! Exhaustive search of one fixed workload on one registry variant: every
//! delivery order (plain DFS) or one per equivalence class (DPOR), with the
//! distinct outcomes reached and the properties broken.
//!
//! An outcome is what does not depend on the order of independent events:
//! what each client observed (its calls and answers, in its own order), how
//! every process ended (label and exit reason; pids are the same in every
//! order because every spawn is a dependent step), the registry's maps at
//! rest and the run's error, if any. Times are left out. Invariant: the
//! same workload, variant and strategy give the same report, run after run.
//!
//! The clock rule follows the properties judged: DPOR keeps clock reads
//! dependent with process ends only when a selected property reads the
//! clock ([`Property::reads_clock`]); otherwise every verdict is a function
//! of the outcome, which DPOR without the rule reaches exactly, so it runs
//! the cheaper search. [`Limits::clock_dependent`] `false` still turns the
//! rule off whatever the properties (for tests and measurements: verdicts of
//! clock-reading properties may then be missed).

use crate::history::History;
use crate::property::{Property, Violation};
use crate::run::{Kv, Subject};
use crate::workload::{Op, Workload};
use model::Variant;
use sim::explore::{dfs, dpor, odpor, Limits, Summary};
use sim::sched::{ChoiceLog, Scheduler};
use sim::trace::TraceLevel;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Which exhaustive search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    Dfs,
    Dpor,
    /// Optimal DPOR (wakeup trees).
    Odpor,
}

impl Search {
    pub fn name(self) -> &'static str {
        match self {
            Search::Dfs => "dfs",
            Search::Dpor => "dpor",
            Search::Odpor => "odpor",
        }
    }
}

/// The first execution that broke a property.
#[derive(Clone, Debug)]
pub struct FirstViolation {
    /// 1-based.
    pub execution: u64,
    pub violation: Violation,
    pub choices: ChoiceLog,
}

/// What a search found.
#[derive(Clone, Debug)]
pub struct Report {
    pub search: Search,
    pub summary: Summary,
    /// Distinct outcomes, as canonical text.
    pub outcomes: BTreeSet<String>,
    /// (outcome, property) for every broken property of every execution.
    pub violating: BTreeSet<(String, Property)>,
    /// Per property, the first execution that broke it.
    pub first: BTreeMap<Property, FirstViolation>,
    pub steps: u64,
    /// Whether the search kept clock reads dependent with process ends.
    pub clock_dependent: bool,
}

impl Report {
    /// The properties some execution broke.
    pub fn broken(&self) -> BTreeSet<Property> {
        self.first.keys().copied().collect()
    }
}

/// The order-independent part of a run's history, as text.
pub fn outcome(history: &History) -> String {
    let mut text = String::new();
    let clients: BTreeSet<usize> = history.calls.iter().map(|c| c.client).collect();
    for client in clients {
        let _ = write!(text, "client{client}:");
        for call in history.calls.iter().filter(|c| c.client == client) {
            let _ = write!(text, " {:?}={:?};", call.call, call.answer);
        }
        text.push('\n');
    }
    for p in &history.processes {
        let _ = writeln!(text, "{:?} {} {:?}", p.pid, p.label, p.reason);
    }
    let _ = writeln!(text, "rest {:?}", history.rest.as_ref().map(|r| &r.state));
    let _ = writeln!(text, "error {:?}", history.run_error);
    text
}

/// The limits a search judging `properties` runs under: the clock rule only
/// if `limits` allows it and some selected property reads the clock.
pub fn limits_for(properties: &[Property], limits: Limits) -> Limits {
    let clock_dependent = limits.clock_dependent && !Property::clock_readers(properties).is_empty();
    Limits { clock_dependent, ..limits }
}

/// Searches every schedule of `workload` on `variant`, judging `properties`
/// (under [`limits_for`] `properties`).
pub fn explore(
    variant: Variant,
    workload: &Workload<Op>,
    properties: &[Property],
    search: Search,
    limits: Limits,
) -> Report {
    let subject = Kv(variant);
    let limits = limits_for(properties, limits);
    let mut report = Report {
        search,
        summary: Summary { executions: 0, exhausted: false, sleep_blocked: 0 },
        outcomes: BTreeSet::new(),
        violating: BTreeSet::new(),
        first: BTreeMap::new(),
        steps: 0,
        clock_dependent: limits.clock_dependent,
    };
    let mut executions = 0u64;
    let mut scenario = |scheduler: Box<dyn Scheduler>| {
        let run = subject.execute(workload, scheduler, TraceLevel::Off);
        executions += 1;
        report.steps += run.steps;
        let text = outcome(&run.history);
        for &property in properties {
            if let Some(violation) = property.check(&run.history) {
                report.violating.insert((text.clone(), property));
                let first = FirstViolation { execution: executions, violation, choices: run.choices.clone() };
                report.first.entry(property).or_insert(first);
            }
        }
        report.outcomes.insert(text);
    };
    let summary = match search {
        Search::Dfs => dfs::explore(&mut scenario, limits),
        Search::Dpor => dpor::explore(&mut scenario, limits),
        Search::Odpor => odpor::explore(&mut scenario, limits),
    };
    report.summary = summary;
    report
}

/// The first violation of any of `properties` in the report, by execution.
pub fn earliest(report: &Report) -> Option<&FirstViolation> {
    report.first.values().min_by_key(|f| f.execution)
}
