//! `check`: explore random schedules of generated workloads until a property
//! breaks, then shrink the failure and make its replay token.
//!
//! The runs of a check are numbered `0..runs`; run `r` is a pure function of
//! `(seed, r)` (its workload and its schedule seed). A [`Shard`] takes every
//! `count`-th run, so the shards `1/N ..= N/N` partition the runs exactly.
//! Runs execute in batches, in parallel on `jobs` threads; the report names
//! the failure at the lowest position of the shard's sequence, whatever
//! thread found a failure first, so `jobs` never changes the answer. A time
//! limit is checked between batches: the covered runs are always a prefix of
//! the shard's sequence.

use crate::generate::{schedule_seed, workload_for};
use crate::history::History;
use crate::property::{Property, Violation};
use crate::run::{Kv, Subject};
use crate::shrink::{shrink, Counterexample};
use crate::strategy::Schedule;
use crate::token::Token;
use crate::workload::Op;
use model::Variant;
use rayon::prelude::*;
use sim::trace::{Trace, TraceLevel};
use sim::Delivery;
use std::time::{Duration, Instant};

pub use crate::shard::Shard;

/// Runs per job per batch: large enough to amortise the fork-join, small
/// enough that a time limit or a failure stops the search promptly.
const RUNS_PER_JOB_PER_BATCH: u64 = 32;

/// What to explore, and with what resources.
#[derive(Clone, Debug)]
pub struct CheckConfig {
    pub variant: Variant,
    pub mode: Delivery,
    pub properties: Vec<Property>,
    /// Runs `0..runs` make up the whole search (before sharding).
    pub runs: u64,
    pub seed: u64,
    pub shard: Shard,
    /// Threads to explore on; 1 explores on the calling thread's pool of one.
    pub jobs: usize,
    /// Stop starting new batches after this long.
    pub time_limit: Option<Duration>,
    /// The scheduler of each run (random by default).
    pub schedule: Schedule,
}

impl CheckConfig {
    /// 10,000 runs from seed 0, the whole range, one job, no time limit.
    pub fn new(variant: Variant, mode: Delivery, properties: Vec<Property>) -> CheckConfig {
        CheckConfig {
            variant,
            mode,
            properties,
            runs: 10_000,
            seed: 0,
            shard: Shard::WHOLE,
            jobs: 1,
            time_limit: None,
            schedule: Schedule::Random,
        }
    }
}

/// A property broken, shrunk.
#[derive(Clone, Debug)]
pub struct Found {
    /// 1-based: the failing run's position in the shard's sequence of runs.
    pub executions_to_failure: u64,
    /// The failing run's number in `0..runs` (the same with any `jobs`);
    /// 0 when the failure came from elsewhere (the proptest bridge).
    pub run: u64,
    /// The violation as the shrunk counterexample shows it.
    pub violation: Violation,
    pub original: Counterexample<Op>,
    pub shrunk: Counterexample<Op>,
    pub token: Token,
    /// The shrunk counterexample's replay: its full trace and its history.
    pub trace: Trace,
    pub history: History,
}

/// Why a check stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Every run of the shard was explored.
    Exhausted,
    /// A run broke a property.
    Violation,
    /// The time limit came first.
    TimeLimit,
}

/// The outcome of a check.
#[derive(Clone, Debug)]
pub struct CheckReport {
    pub config: CheckConfig,
    /// Runs executed (a parallel batch finishes past a failure).
    pub runs_done: u64,
    /// The runs covered: the first `covered` runs of the shard's sequence.
    pub covered: u64,
    /// Executor steps over every executed run (shrinking not included).
    pub steps: u64,
    /// Wall time of the search (shrinking not included).
    pub elapsed: Duration,
    pub stop: Stop,
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
    let history = replay.history;
    Found { executions_to_failure: executions, run: 0, violation, original, shrunk, token, trace, history }
}

/// One run's result: its steps, and the violation with what reproduces it.
struct RunOutcome {
    steps: u64,
    failure: Option<(Violation, Counterexample<Op>)>,
}

fn execute_run(config: &CheckConfig, run: u64) -> RunOutcome {
    let workload = workload_for(config.seed, run, config.mode);
    let scheduler = config.schedule.scheduler(schedule_seed(config.seed, run), &workload);
    let execution = Kv(config.variant).execute(&workload, scheduler, TraceLevel::Off);
    let failure = first_violation(&config.properties, &execution.history)
        .map(|violation| (violation, Counterexample { workload, choices: execution.choices }));
    RunOutcome { steps: execution.steps, failure }
}

/// Explores without progress reports.
pub fn check(config: &CheckConfig) -> CheckReport {
    check_with_progress(config, &|_| {})
}

/// Explores, calling `progress(runs)` after each batch with the runs it covered.
pub fn check_with_progress(config: &CheckConfig, progress: &(dyn Fn(u64) + Sync)) -> CheckReport {
    assert!(config.jobs >= 1, "a check needs at least one job");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(config.jobs).build().expect("a thread pool starts");
    let started = Instant::now();
    let total = config.shard.len(config.runs);
    let batch = RUNS_PER_JOB_PER_BATCH * config.jobs as u64;
    let (mut covered, mut steps) = (0u64, 0u64);
    let report = |covered, steps, stop, elapsed, found| CheckReport {
        config: config.clone(),
        runs_done: covered,
        covered,
        steps,
        elapsed,
        stop,
        found,
    };
    while covered < total {
        if config.time_limit.is_some_and(|limit| started.elapsed() >= limit) {
            return report(covered, steps, Stop::TimeLimit, started.elapsed(), None);
        }
        let end = total.min(covered + batch);
        let outcomes: Vec<RunOutcome> = pool
            .install(|| (covered..end).into_par_iter().map(|p| execute_run(config, config.shard.run_at(p))).collect());
        steps += outcomes.iter().map(|o| o.steps).sum::<u64>();
        progress(end - covered);
        let first = outcomes.into_iter().enumerate().find_map(|(i, o)| Some((covered + i as u64, o.failure?)));
        if let Some((position, (violation, original))) = first {
            let searched = started.elapsed();
            let found = Found {
                run: config.shard.run_at(position),
                ..shrink_found(config.variant, violation, original, position + 1)
            };
            let mut done = report(position + 1, steps, Stop::Violation, searched, Some(found));
            done.runs_done = end;
            return done;
        }
        covered = end;
    }
    report(covered, steps, Stop::Exhausted, started.elapsed(), None)
}
