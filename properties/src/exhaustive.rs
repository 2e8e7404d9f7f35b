//! Exhaustive search of one fixed workload of a subject: every delivery
//! order (plain DFS) or one per equivalence class (DPOR), with the distinct
//! outcomes reached and the properties broken.
//!
//! An outcome is what does not depend on the order of independent events,
//! as the subject says ([`Subject::outcome`]). Invariant: the same workload,
//! subject and strategy give the same report, run after run.
//!
//! The clock rule follows the properties judged: DPOR runs under the most
//! ordered [`ClockRule`] a selected property needs
//! ([`Property::clock_rule`]): none when every verdict is a function of the
//! outcome (which DPOR without a rule reaches exactly), clock reads
//! dependent with process ends when a property compares call stamps with
//! exit stamps, every two clock reads dependent when one compares the calls
//! of different clients (real-time order). A caller's
//! `Limits { clock: ClockRule::Ignored, .. }` still turns the rule off
//! whatever the properties (for tests and measurements: verdicts of
//! clock-reading properties may then be missed).

use crate::property::{Property, Violation};
use crate::subject::Subject;
use crate::workload::Workload;
use sim::explore::{dfs, dpor, odpor, ClockRule, Limits, Summary};
use sim::sched::{ChoiceLog, Scheduler};
use sim::trace::TraceLevel;
use std::collections::{BTreeMap, BTreeSet};

/// Which exhaustive search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    Dfs,
    /// DFS that prunes every state met before (every actor's fingerprint,
    /// the mailboxes, the signals in flight and the history so far).
    DfsCached,
    Dpor,
    /// Optimal DPOR (wakeup trees).
    Odpor,
}

impl Search {
    pub fn name(self) -> &'static str {
        match self {
            Search::Dfs => "dfs",
            Search::DfsCached => "dfs-cached",
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
    /// (outcome, property name) for every broken property of every execution.
    pub violating: BTreeSet<(String, &'static str)>,
    /// Per property name, the first execution that broke it.
    pub first: BTreeMap<&'static str, FirstViolation>,
    pub steps: u64,
    /// The clock rule the search ran under.
    pub clock: ClockRule,
    /// `dfs-cached` only: the states it met and pruned.
    pub cache: Option<dfs::Cache>,
}

impl Report {
    /// The properties some execution broke.
    pub fn broken(&self) -> BTreeSet<&'static str> {
        self.first.keys().copied().collect()
    }
}

/// The limits a search judging `properties` runs under: the most ordered
/// clock rule a selected property needs, unless `limits` turns it off.
pub fn limits_for<H>(properties: &[Property<H>], limits: Limits) -> Limits {
    let needed = properties.iter().map(Property::clock_rule).max().unwrap_or(ClockRule::Ignored);
    let clock = if limits.clock == ClockRule::Ignored { ClockRule::Ignored } else { needed };
    Limits { clock, ..limits }
}

/// Searches every schedule of `workload` on `subject`, judging `properties`
/// (under [`limits_for`] `properties`).
pub fn explore<S: Subject>(
    subject: &S,
    workload: &Workload<S::Op>,
    properties: &[Property<S::History>],
    search: Search,
    limits: Limits,
) -> Report {
    let limits = limits_for(properties, limits);
    let mut report = Report {
        search,
        summary: Summary { executions: 0, exhausted: false, sleep_blocked: 0 },
        outcomes: BTreeSet::new(),
        violating: BTreeSet::new(),
        first: BTreeMap::new(),
        steps: 0,
        clock: limits.clock,
        cache: None,
    };
    let mut executions = 0u64;
    let mut scenario = |scheduler: Box<dyn Scheduler>| {
        let run = subject.execute(workload, scheduler, TraceLevel::Off);
        executions += 1;
        report.steps += run.steps;
        let text = subject.outcome(&run.history);
        for property in properties {
            if let Some(violation) = property.check(&run.history) {
                report.violating.insert((text.clone(), property.name()));
                let first = FirstViolation { execution: executions, violation, choices: run.choices.clone() };
                report.first.entry(property.name()).or_insert(first);
            }
        }
        report.outcomes.insert(text);
    };
    let mut cache = None;
    let summary = match search {
        Search::Dfs => dfs::explore(&mut scenario, limits),
        Search::DfsCached => {
            let (summary, met) = dfs::explore_cached(&mut scenario, limits);
            cache = Some(met);
            summary
        }
        Search::Dpor => dpor::explore(&mut scenario, limits),
        Search::Odpor => odpor::explore(&mut scenario, limits),
    };
    report.summary = summary;
    report.cache = cache;
    report
}

/// The first violation of any of `properties` in the report, by execution.
pub fn earliest(report: &Report) -> Option<&FirstViolation> {
    report.first.values().min_by_key(|f| f.execution)
}
