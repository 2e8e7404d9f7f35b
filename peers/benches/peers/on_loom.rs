//! loom's side: the race of `race.rs` over loom's threads, `mpsc` channels,
//! `Mutex` and `Arc` (not kvsim's thread runtime), explored by
//! `loom::model::Builder` until every interleaving within the preemption
//! bound has run.

pub(crate) use loom::sync::{mpsc, Arc, Mutex};
pub(crate) use loom::thread;

// race.rs is compiled here and in on_shuttle.rs, each over its peer's primitives: one source, on purpose.
#[allow(clippy::duplicate_mod)]
#[path = "race.rs"]
mod race;

use peers::thread_cpu;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What loom explored.
#[derive(Clone, Copy, Debug)]
pub struct Exhausted {
    /// `None`: no bound, every interleaving.
    pub preemption_bound: Option<usize>,
    pub executions: u64,
    /// Executions whose final lookup found the dead bucket.
    pub races: u64,
    /// Executions whose first lookup found nothing (expected: none).
    pub missed_creates: u64,
    pub cpu: Duration,
}

/// Explores the race with `preemption_bound` (loom's other bounds as `Builder::new` sets them).
pub fn exhaust(preemption_bound: Option<usize>) -> Exhausted {
    let counters: std::sync::Arc<[AtomicU64; 3]> = std::sync::Arc::default();
    let c = counters.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = preemption_bound;
    let cpu = thread_cpu();
    builder.check(move || {
        c[0].fetch_add(1, Ordering::Relaxed);
        let outcome = race::removes_buckets_on_exit(|| {});
        c[1].fetch_add(outcome.dead_lookup as u64, Ordering::Relaxed);
        c[2].fetch_add(!outcome.created as u64, Ordering::Relaxed);
    });
    let cpu = thread_cpu() - cpu;
    let [executions, races, missed] = [0, 1, 2].map(|i| counters[i].load(Ordering::Relaxed));
    Exhausted { preemption_bound, executions, races, missed_creates: missed, cpu }
}
