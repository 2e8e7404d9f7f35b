//! `check`: explore random schedules of generated workloads until a property
//! breaks, then shrink the failure and make its replay token.
//!
//! The runs of a check are numbered `0..runs`; run `r` is a pure function of
//! `(seed, r)` (its workload and its schedule seed). A [`Shard`] takes every
//! `count`-th run, so the shards `1/N ..= N/N` partition the runs exactly.
//! Runs execute in batches (growing: see `FIRST_RUNS_PER_JOB`), in parallel
//! on `jobs` threads, or on the calling thread for one job; the report names
//! the failure at the lowest position of the shard's sequence, whatever
//! thread found a failure first, so `jobs` never changes the answer. A time
//! limit is checked between batches: the covered runs are always a prefix of
//! the shard's sequence.

use crate::generate::{schedule_seed, workload_with, Generation};
use crate::property::{Property, Violation};
use crate::shrink::{shrink, Counterexample};
use crate::strategy::Schedule;
use crate::subject::{Execution, Subject};
use crate::token;
use crate::workload::Workload;
use rayon::prelude::*;
use sim::trace::{Trace, TraceLevel};
use sim::Delivery;
use std::time::{Duration, Instant};

pub use crate::shard::Shard;

/// Runs per job in the first batch, and the most in any later one: each
/// batch doubles the last, so a failure among the first runs stops the
/// search promptly and a long search pays for few fork-joins. The sizes are
/// a fixed sequence, so what a search covers is a function of its config
/// (and, with a time limit, of the batch the limit fell in).
const FIRST_RUNS_PER_JOB: u64 = 32;
const MOST_RUNS_PER_JOB: u64 = 512;

/// What to explore, and with what resources.
#[derive(Clone, Debug)]
pub struct CheckConfig<S: Subject> {
    pub subject: S,
    pub mode: Delivery,
    pub properties: Vec<Property<S::History>>,
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
    /// How operations are drawn (the subject's own draws by default).
    pub generation: Generation,
}

impl<S: Subject> CheckConfig<S> {
    /// 10,000 runs from seed 0, the whole range, one job, no time limit,
    /// judging every property of the subject.
    pub fn new(subject: S, mode: Delivery) -> CheckConfig<S> {
        let properties = subject.properties();
        CheckConfig::judging(subject, mode, properties)
    }

    /// [`CheckConfig::new`], judging only `properties`.
    pub fn judging(subject: S, mode: Delivery, properties: Vec<Property<S::History>>) -> CheckConfig<S> {
        CheckConfig {
            subject,
            mode,
            properties,
            runs: 10_000,
            seed: 0,
            shard: Shard::WHOLE,
            jobs: 1,
            time_limit: None,
            schedule: Schedule::Random,
            generation: Generation::default(),
        }
    }
}

/// A property broken, shrunk.
#[derive(Clone, Debug)]
pub struct Found<S: Subject> {
    /// 1-based: the failing run's position in the shard's sequence of runs.
    pub executions_to_failure: u64,
    /// The failing run's number in `0..runs` (the same with any `jobs`);
    /// `None` when the failure came from elsewhere (the proptest bridge).
    pub run: Option<u64>,
    /// The violation as the shrunk counterexample shows it.
    pub violation: Violation,
    pub original: Counterexample<S::Op>,
    pub shrunk: Counterexample<S::Op>,
    /// The shrunk counterexample's replay token.
    pub token: String,
    /// The shrunk counterexample's replay: its full trace and its history.
    pub trace: Trace,
    pub history: S::History,
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
pub struct CheckReport<S: Subject> {
    pub config: CheckConfig<S>,
    /// Runs executed (a parallel batch finishes past a failure).
    pub runs_done: u64,
    /// The runs covered: the first `covered` runs of the shard's sequence.
    pub covered: u64,
    /// Executor steps over every executed run (shrinking not included).
    pub steps: u64,
    /// Wall time of the search (shrinking not included).
    pub elapsed: Duration,
    pub stop: Stop,
    pub found: Option<Found<S>>,
}

/// Shrinks a failing run of `subject` and makes its token; the violation is
/// re-judged on the shrunk counterexample, so its message matches the replay.
pub fn shrink_found<S: Subject>(
    subject: &S,
    property: &Property<S::History>,
    original: Counterexample<S::Op>,
    executions: u64,
) -> Found<S> {
    let shrunk = shrink(subject, property, original.clone());
    let replay = subject.replay(&shrunk.workload, &shrunk.choices);
    let violation = property.check(&replay.history).expect("a shrunk counterexample still fails");
    let token = token::encode(subject, &shrunk.workload, &shrunk.choices);
    let trace = replay.trace.expect("replays are traced");
    let history = replay.history;
    Found { executions_to_failure: executions, run: None, violation, original, shrunk, token, trace, history }
}

/// Shrinks a failing run once per property of `broken` it breaks and keeps
/// the smallest counterexample (fewest operations, then clients, then
/// choices; the earliest property on a tie), so a run that breaks several
/// properties is reported by the one with the smallest witness.
pub fn shrink_smallest<S: Subject>(
    subject: &S,
    broken: &[&Property<S::History>],
    original: Counterexample<S::Op>,
    executions: u64,
) -> Found<S> {
    let size = |f: &Found<S>| (f.shrunk.workload.op_count(), f.shrunk.workload.clients.len(), f.shrunk.choices.len());
    let shrunk = broken.iter().map(|p| shrink_found(subject, p, original.clone(), executions));
    shrunk.min_by_key(size).expect("a failing run breaks some property")
}

/// Run `run` of a search from `seed`: its workload (a pure function of
/// (seed, run, mode)) under its own schedule. Every search and measurement
/// of "run r" goes through here, so run r is the same run everywhere.
pub fn execute_run<S: Subject>(config: &CheckConfig<S>, run: u64) -> (Workload<S::Op>, Execution<S::History>) {
    let workload = workload_with(&config.subject, &config.generation, config.seed, run, config.mode);
    let scheduler = config.schedule.scheduler(schedule_seed(config.seed, run), &workload);
    let execution = config.subject.execute(&workload, scheduler, TraceLevel::Off);
    (workload, execution)
}

/// A property's first failure: its position in the shard's sequence, the
/// violation, and what reproduces it.
type First<O> = (u64, Violation, Counterexample<O>);

/// One run judged on the properties still open: `broken[i]` for `properties[i]`.
struct RunOutcome<O> {
    steps: u64,
    broken: Vec<Option<(Violation, Counterexample<O>)>>,
}

fn judge_run<S: Subject>(config: &CheckConfig<S>, open: &[bool], run: u64) -> RunOutcome<S::Op> {
    let (workload, execution) = execute_run(config, run);
    let judge = |(p, &open): (&Property<S::History>, &bool)| open.then(|| p.check(&execution.history)).flatten();
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
struct Searched<O> {
    covered: u64,
    runs_done: u64,
    steps: u64,
    elapsed: Duration,
    stop: Stop,
    firsts: Vec<Option<First<O>>>,
    /// Per position of a first failure, every property that run broke
    /// (indices into the config's properties).
    broken_at: Vec<(u64, Vec<usize>)>,
}

/// Runs the shard's sequence in parallel batches; per property, keeps the
/// failure at the lowest position (batches are judged in order, so no
/// thread's timing can change which one that is).
fn search<S: Subject>(config: &CheckConfig<S>, progress: &(dyn Fn(u64) + Sync), until: Until) -> Searched<S::Op> {
    assert!(config.jobs >= 1, "a check needs at least one job");
    // One job runs on this thread: handing each batch to a pool thread and
    // waiting for it would cost two thread wake-ups a batch.
    let pool = (config.jobs > 1)
        .then(|| rayon::ThreadPoolBuilder::new().num_threads(config.jobs).build().expect("a thread pool starts"));
    let started = Instant::now();
    let total = config.shard.len(config.runs);
    let mut per_job = FIRST_RUNS_PER_JOB;
    let mut done = Searched {
        covered: 0,
        runs_done: 0,
        steps: 0,
        elapsed: Duration::ZERO,
        stop: Stop::Exhausted,
        firsts: vec![None; config.properties.len()],
        broken_at: Vec::new(),
    };
    while done.covered < total {
        if config.time_limit.is_some_and(|limit| started.elapsed() >= limit) {
            done.stop = Stop::TimeLimit;
            break;
        }
        let (from, end) = (done.covered, total.min(done.covered + per_job * config.jobs as u64));
        per_job = (per_job * 2).min(MOST_RUNS_PER_JOB);
        let open: Vec<bool> = done.firsts.iter().map(Option::is_none).collect();
        let judge = |p| judge_run(config, &open, config.shard.run_at(p));
        let outcomes: Vec<RunOutcome<S::Op>> = match &pool {
            None => (from..end).map(judge).collect(),
            Some(pool) => pool.install(|| (from..end).into_par_iter().map(judge).collect()),
        };
        done.steps += outcomes.iter().map(|o| o.steps).sum::<u64>();
        done.runs_done = end;
        progress(end - from);
        for (position, outcome) in (from..).zip(outcomes) {
            let broke: Vec<usize> =
                outcome.broken.iter().enumerate().filter(|(_, b)| b.is_some()).map(|(i, _)| i).collect();
            if !broke.is_empty() {
                done.broken_at.push((position, broke));
            }
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

impl<O: Clone> Searched<O> {
    /// The report of this search for `config`, with `first` as its failure
    /// (if any), shrunk for each property in `broken` (indices into
    /// `config.properties`) and reported by the smallest.
    fn report<S: Subject<Op = O>>(
        &self,
        config: CheckConfig<S>,
        first: Option<First<O>>,
        broken: &[usize],
    ) -> CheckReport<S> {
        let covered = first.as_ref().map_or(self.covered, |(position, ..)| position + 1);
        let stop = if first.is_some() { Stop::Violation } else { self.stop };
        let found = first.map(|first| found(&config, first, broken));
        let (runs_done, steps, elapsed) = (self.runs_done, self.steps, self.elapsed);
        CheckReport { config, runs_done, covered, steps, elapsed, stop, found }
    }
}

/// Shrinks a first failure of `config`'s search into a [`Found`], once per
/// property of `broken` (indices into `config.properties`).
fn found<S: Subject>(config: &CheckConfig<S>, (position, _, original): First<S::Op>, broken: &[usize]) -> Found<S> {
    let properties: Vec<&Property<S::History>> = broken.iter().map(|&i| &config.properties[i]).collect();
    Found {
        run: Some(config.shard.run_at(position)),
        ..shrink_smallest(&config.subject, &properties, original, position + 1)
    }
}

/// Explores without progress reports.
pub fn check<S: Subject>(config: &CheckConfig<S>) -> CheckReport<S> {
    check_with_progress(config, &|_| {})
}

/// Explores until a run breaks any of the properties, calling
/// `progress(runs)` after each batch with the runs it covered. The first
/// failing run is shrunk once for each property it breaks, and the
/// smallest counterexample is reported ([`shrink_smallest`]).
pub fn check_with_progress<S: Subject>(config: &CheckConfig<S>, progress: &(dyn Fn(u64) + Sync)) -> CheckReport<S> {
    let mut searched = search(config, progress, Until::AnyBroken);
    let first = std::mem::take(&mut searched.firsts).into_iter().flatten().min_by_key(|(position, ..)| *position);
    let broken = first.as_ref().and_then(|(at, ..)| searched.broken_at.iter().find(|(p, _)| p == at));
    let broken = broken.map(|(_, b)| b.clone()).unwrap_or_default();
    searched.report(config.clone(), first, &broken)
}

/// Every property of `config` searched over the same runs at once: one
/// report per property, each exactly what `check` with that property alone
/// reports (run r is the same run for every property), for the cost of one
/// search. Stops once every property has broken, or at the budget.
pub fn check_each<S: Subject>(config: &CheckConfig<S>, progress: &(dyn Fn(u64) + Sync)) -> EachReport<S> {
    let mut searched = search(config, progress, Until::AllBroken);
    let firsts = std::mem::take(&mut searched.firsts);
    let reports = config.properties.iter().zip(firsts).map(|(property, first)| {
        let config = CheckConfig { properties: vec![property.clone()], ..config.clone() };
        let report = searched.report(config, first, &[0]);
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
pub struct EachReport<S: Subject> {
    /// One per property, in `config.properties` order.
    pub reports: Vec<CheckReport<S>>,
    /// Runs executed and their executor steps (shrinking not included).
    pub runs_done: u64,
    pub steps: u64,
    pub elapsed: Duration,
}
