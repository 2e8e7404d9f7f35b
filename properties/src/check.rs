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
use crate::run::Execution;
use crate::run::{Kv, Subject};
use crate::shrink::{shrink, Counterexample};
use crate::strategy::Schedule;
use crate::token::Token;
use crate::workload::{Op, Workload};
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
    /// `None` when the failure came from elsewhere (the proptest bridge).
    pub run: Option<u64>,
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
    Found { executions_to_failure: executions, run: None, violation, original, shrunk, token, trace, history }
}

/// Run `run` of a search from `seed`: its workload (a pure function of
/// (seed, run, mode)) under its own schedule. Every search and measurement
/// of "run r" goes through here, so run r is the same run everywhere.
pub fn execute_run(config: &CheckConfig, run: u64) -> (Workload<Op>, Execution) {
    let workload = workload_for(config.seed, run, config.mode);
    let scheduler = config.schedule.scheduler(schedule_seed(config.seed, run), &workload);
    let execution = Kv(config.variant).execute(&workload, scheduler, TraceLevel::Off);
    (workload, execution)
}

/// A property's first failure: its position in the shard's sequence, the
/// violation, and what reproduces it.
type First = (u64, Violation, Counterexample<Op>);

/// One run judged on the properties still open: `broken[i]` for `properties[i]`.
struct RunOutcome {
    steps: u64,
    broken: Vec<Option<(Violation, Counterexample<Op>)>>,
}

fn judge_run(config: &CheckConfig, open: &[bool], run: u64) -> RunOutcome {
    let (workload, execution) = execute_run(config, run);
    let judge = |(p, &open): (&Property, &bool)| open.then(|| p.check(&execution.history)).flatten();
    let violations: Vec<Option<Violation>> = config.properties.iter().zip(open).map(judge).collect();
    let example = Counterexample { workload, choices: execution.choices };
    let broken = violations.into_iter().map(|v| v.map(|v| (v, example.clone()))).collect();
    RunOutcome { steps: execution.steps, broken }
}

/// When a search may stop early.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    /// At the first run that breaks any property (`check`).
    AnyBroken,
    /// Once every property has broken (the bug hunt's rows).
    AllBroken,
}

/// What a search covered, and each property's first failure.
struct Searched {
    covered: u64,
    runs_done: u64,
    steps: u64,
    elapsed: Duration,
    stop: Stop,
    firsts: Vec<Option<First>>,
}

/// Runs the shard's sequence in parallel batches; per property, keeps the
/// failure at the lowest position (batches are judged in order, so no
/// thread's timing can change which one that is).
fn search(config: &CheckConfig, progress: &(dyn Fn(u64) + Sync), until: Until) -> Searched {
    assert!(config.jobs >= 1, "a check needs at least one job");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(config.jobs).build().expect("a thread pool starts");
    let started = Instant::now();
    let total = config.shard.len(config.runs);
    let batch = RUNS_PER_JOB_PER_BATCH * config.jobs as u64;
    let mut done = Searched {
        covered: 0,
        runs_done: 0,
        steps: 0,
        elapsed: Duration::ZERO,
        stop: Stop::Exhausted,
        firsts: vec![None; config.properties.len()],
    };
    while done.covered < total {
        if config.time_limit.is_some_and(|limit| started.elapsed() >= limit) {
            done.stop = Stop::TimeLimit;
            break;
        }
        let (from, end) = (done.covered, total.min(done.covered + batch));
        let open: Vec<bool> = done.firsts.iter().map(Option::is_none).collect();
        let judge = |p| judge_run(config, &open, config.shard.run_at(p));
        let outcomes: Vec<RunOutcome> = pool.install(|| (from..end).into_par_iter().map(judge).collect());
        done.steps += outcomes.iter().map(|o| o.steps).sum::<u64>();
        done.runs_done = end;
        progress(end - from);
        for (position, outcome) in (from..).zip(outcomes) {
            for (first, broken) in done.firsts.iter_mut().zip(outcome.broken) {
                if let (None, Some((violation, example))) = (&first, broken) {
                    *first = Some((position, violation, example));
                }
            }
        }
        done.covered = end;
        let broken = done.firsts.iter().filter(|f| f.is_some()).count();
        let stop_now = match until {
            Until::AnyBroken => broken > 0,
            Until::AllBroken => broken == done.firsts.len(),
        };
        if stop_now {
            done.stop = Stop::Violation;
            break;
        }
    }
    done.elapsed = started.elapsed();
    done
}

impl Searched {
    /// The report of this search for `config`, with `first` as its failure (if any).
    fn report(&self, config: CheckConfig, first: Option<First>) -> CheckReport {
        let covered = first.as_ref().map_or(self.covered, |(position, ..)| position + 1);
        let stop = if first.is_some() { Stop::Violation } else { self.stop };
        let found = first.map(|first| found(&config, first));
        let (runs_done, steps, elapsed) = (self.runs_done, self.steps, self.elapsed);
        CheckReport { config, runs_done, covered, steps, elapsed, stop, found }
    }
}

/// Shrinks a first failure of `config`'s search into a [`Found`].
fn found(config: &CheckConfig, (position, violation, original): First) -> Found {
    Found {
        run: Some(config.shard.run_at(position)),
        ..shrink_found(config.variant, violation, original, position + 1)
    }
}

/// Explores without progress reports.
pub fn check(config: &CheckConfig) -> CheckReport {
    check_with_progress(config, &|_| {})
}

/// Explores until a run breaks any of the properties, calling
/// `progress(runs)` after each batch with the runs it covered. At the first
/// failing run, the violation reported is the first property in
/// `config.properties` order that the run breaks.
pub fn check_with_progress(config: &CheckConfig, progress: &(dyn Fn(u64) + Sync)) -> CheckReport {
    let mut searched = search(config, progress, Until::AnyBroken);
    let first = std::mem::take(&mut searched.firsts).into_iter().flatten().min_by_key(|(position, ..)| *position);
    searched.report(config.clone(), first)
}

/// Every property of `config` searched over the same runs at once: one
/// report per property, each exactly what `check` with that property alone
/// reports (run r is the same run for every property), for the cost of one
/// search. Stops once every property has broken, or at the budget.
pub fn check_each(config: &CheckConfig, progress: &(dyn Fn(u64) + Sync)) -> EachReport {
    let mut searched = search(config, progress, Until::AllBroken);
    let firsts = std::mem::take(&mut searched.firsts);
    let reports = config.properties.iter().zip(firsts).map(|(&property, first)| {
        let report = searched.report(CheckConfig { properties: vec![property], ..config.clone() }, first);
        // The shared search's runs and steps are in the EachReport, counted once.
        CheckReport { runs_done: report.covered, steps: 0, ..report }
    });
    EachReport {
        reports: reports.collect(),
        runs_done: searched.runs_done,
        steps: searched.steps,
        elapsed: searched.elapsed,
    }
}

/// [`check_each`]'s reports, and what the one shared search cost.
pub struct EachReport {
    /// One per property, in `config.properties` order.
    pub reports: Vec<CheckReport>,
    /// Runs executed and their executor steps (shrinking not included).
    pub runs_done: u64,
    pub steps: u64,
    pub elapsed: Duration,
}
