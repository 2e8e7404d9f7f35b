//! `check`: explore random schedules of generated workloads until a property
//! breaks, then shrink the failure and make its replay token.

use crate::generate::{schedule_seed, workload_for};
use crate::history::History;
use crate::property::{Property, Violation};
use crate::run::{Kv, Subject};
use crate::shrink::{shrink, Counterexample};
use crate::token::Token;
use crate::workload::Op;
use model::Variant;
use sim::sched::RandomScheduler;
use sim::trace::{Trace, TraceLevel};
use sim::Delivery;

/// What to explore.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    pub variant: Variant,
    pub mode: Delivery,
    pub properties: Vec<Property>,
    pub runs: u64,
    pub seed: u64,
}

/// A property broken, shrunk.
#[derive(Clone, Debug)]
pub struct Found {
    /// 1-based: how many executions it took to find it.
    pub executions_to_failure: u64,
    /// The violation as the shrunk counterexample shows it.
    pub violation: Violation,
    pub original: Counterexample<Op>,
    pub shrunk: Counterexample<Op>,
    pub token: Token,
    /// The shrunk counterexample's replay: its full trace and its history.
    pub trace: Trace,
    pub history: History,
}

/// The outcome of a check.
#[derive(Clone, Debug)]
pub struct CheckReport {
    pub config: CheckConfig,
    pub runs_done: u64,
    pub steps: u64,
    pub found: Option<Found>,
}

/// The first of `properties` that `history` breaks.
pub fn first_violation(properties: &[Property], history: &History) -> Option<Violation> {
    properties.iter().find_map(|p| p.check(history))
}

/// Shrinks a failing run of `variant` and makes its token; the violation is
/// re-judged on the shrunk counterexample, so its message matches the replay.
pub fn shrink_found(variant: Variant, violation: Violation, original: Counterexample<Op>, executions: u64) -> Found {
    let subject = Kv(variant);
    let shrunk = shrink(&subject, violation.property, original.clone());
    let replay = subject.replay(&shrunk.workload, &shrunk.choices);
    let violation = violation.property.check(&replay.history).expect("a shrunk counterexample still fails");
    let token = Token { variant, workload: shrunk.workload.clone(), choices: shrunk.choices.clone() };
    let trace = replay.trace.expect("replays are traced");
    Found { executions_to_failure: executions, violation, original, shrunk, token, trace, history: replay.history }
}

pub fn check(config: &CheckConfig) -> CheckReport {
    let subject = Kv(config.variant);
    let mut steps = 0;
    for run in 0..config.runs {
        let workload = workload_for(config.seed, run, config.mode);
        let scheduler = RandomScheduler::new(schedule_seed(config.seed, run));
        let execution = subject.execute(&workload, Box::new(scheduler), TraceLevel::Off);
        steps += execution.steps;
        let Some(violation) = first_violation(&config.properties, &execution.history) else { continue };
        let original = Counterexample { workload, choices: execution.choices };
        let found = shrink_found(config.variant, violation, original, run + 1);
        return CheckReport { config: config.clone(), runs_done: run + 1, steps, found: Some(found) };
    }
    CheckReport { config: config.clone(), runs_done: config.runs, steps, found: None }
}
