//! shuttle's side: the race of `race.rs` over shuttle's threads, `mpsc`
//! channels and `Mutex`, under shuttle's `RandomScheduler` with its default
//! `Config`, counted by a scheduler wrapper.

pub(crate) use shuttle::sync::{mpsc, Arc, Mutex};
pub(crate) use shuttle::thread;

// race.rs is compiled here and in on_loom.rs, each over its peer's primitives: one source, on purpose.
#[allow(clippy::duplicate_mod)]
#[path = "race.rs"]
mod race;

use peers::{timed, Tally};
use shuttle::scheduler::{RandomScheduler, Schedule, Scheduler, Task, TaskId};
use shuttle::{Config, Runner};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the counting scheduler saw, on this OS thread (shuttle runs every
/// task of an execution as a coroutine on the thread that called `Runner::run`).
#[derive(Default)]
struct Counts {
    /// Scheduling points shuttle asked about.
    points: Cell<u64>,
    /// Those with two or more runnable threads.
    choices: Cell<u64>,
    /// `points` when the current execution began.
    execution_began: Cell<u64>,
    /// Points from each execution's start to its verdict, summed.
    to_verdict: Cell<u64>,
}

std::thread_local! {
    static COUNTS: Counts = Counts::default();
}

/// `RandomScheduler`, counting the scheduling points shuttle asks it about.
struct Counting(RandomScheduler);

impl Scheduler for Counting {
    fn new_execution(&mut self) -> Option<Schedule> {
        COUNTS.with(|c| c.execution_began.set(c.points.get()));
        self.0.new_execution()
    }

    fn next_task(&mut self, runnable: &[&Task], current: Option<TaskId>, is_yielding: bool) -> Option<TaskId> {
        COUNTS.with(|c| {
            c.points.set(c.points.get() + 1);
            c.choices.set(c.choices.get() + u64::from(runnable.len() > 1));
        });
        self.0.next_task(runnable, current, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// One round: `executions` random schedules drawn from `seed`.
pub fn round(seed: u64, executions: u64) -> Tally {
    COUNTS.with(|c| [&c.points, &c.choices, &c.execution_began, &c.to_verdict].map(|n| n.set(0)));
    let scheduler = Counting(RandomScheduler::new_from_seed(seed, executions as usize));
    let races = std::sync::Arc::new(AtomicU64::new(0));
    let missed = std::sync::Arc::new(AtomicU64::new(0));
    let (r, m) = (races.clone(), missed.clone());
    let tally = timed(|| {
        let ran = Runner::new(scheduler, Config::new()).run(move || {
            let outcome = race::removes_buckets_on_exit(|| {
                COUNTS.with(|c| c.to_verdict.set(c.to_verdict.get() + c.points.get() - c.execution_began.get()))
            });
            if outcome.dead_lookup {
                r.fetch_add(1, Ordering::Relaxed);
            }
            if !outcome.created {
                m.fetch_add(1, Ordering::Relaxed);
            }
        });
        Tally { executions: ran as u64, ..Tally::default() }
    });
    COUNTS.with(|c| Tally {
        races: races.load(Ordering::Relaxed),
        other_failures: missed.load(Ordering::Relaxed),
        steps: c.points.get(),
        choices: c.choices.get(),
        to_verdict: c.to_verdict.get(),
        ..tally
    })
}
