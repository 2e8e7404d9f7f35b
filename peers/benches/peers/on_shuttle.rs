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
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Scheduling points, and those with a choice, across every execution the wrapped scheduler ran.
#[derive(Default)]
struct Counts {
    points: Cell<u64>,
    choices: Cell<u64>,
}

/// `RandomScheduler`, counting the scheduling points shuttle asks it about.
struct Counting {
    inner: RandomScheduler,
    counts: Rc<Counts>,
}

impl Scheduler for Counting {
    fn new_execution(&mut self) -> Option<Schedule> {
        self.inner.new_execution()
    }

    fn next_task(&mut self, runnable: &[&Task], current: Option<TaskId>, is_yielding: bool) -> Option<TaskId> {
        self.counts.points.set(self.counts.points.get() + 1);
        if runnable.len() > 1 {
            self.counts.choices.set(self.counts.choices.get() + 1);
        }
        self.inner.next_task(runnable, current, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}

/// One round: `executions` random schedules drawn from `seed`.
pub fn round(seed: u64, executions: u64) -> Tally {
    let counts = Rc::new(Counts::default());
    let scheduler =
        Counting { inner: RandomScheduler::new_from_seed(seed, executions as usize), counts: counts.clone() };
    let races = std::sync::Arc::new(AtomicU64::new(0));
    let missed = std::sync::Arc::new(AtomicU64::new(0));
    let (r, m) = (races.clone(), missed.clone());
    let tally = timed(|| {
        let ran = Runner::new(scheduler, Config::new()).run(move || {
            let outcome = race::removes_buckets_on_exit();
            if outcome.dead_lookup {
                r.fetch_add(1, Ordering::Relaxed);
            }
            if !outcome.created {
                m.fetch_add(1, Ordering::Relaxed);
            }
        });
        Tally { executions: ran as u64, ..Tally::default() }
    });
    Tally {
        races: races.load(Ordering::Relaxed),
        other_failures: missed.load(Ordering::Relaxed),
        steps: counts.points.get(),
        choices: counts.choices.get(),
        ..tally
    }
}
