//! Running a closure as a loom model with kvsim's bounds, and counting what
//! loom explored.
//!
//! loom explores every interleaving of the model's threads up to a bound on
//! preemptions (switches away from a thread that could have gone on).
//! kvsim's bound is [`DEFAULT_PREEMPTION_BOUND`], set here in code;
//! `LOOM_MAX_PREEMPTIONS` overrides it (loom's own variable). loom allows at
//! most `loom::MAX_THREADS` (5) threads per execution, counting the model's
//! own and every thread spawned in it, finished or not: a model must keep its
//! processes plus client threads within 4. The branch bound is raised to
//! [`DEFAULT_MAX_BRANCHES`] unless `LOOM_MAX_BRANCHES` is set.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Preemptions per execution explored when `LOOM_MAX_PREEMPTIONS` is not set.
pub const DEFAULT_PREEMPTION_BOUND: usize = 2;
/// Scheduling points per execution loom accepts when `LOOM_MAX_BRANCHES` is not set.
pub const DEFAULT_MAX_BRANCHES: usize = 20_000;

/// What one model check explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelStats {
    /// Executions (complete interleavings) loom ran.
    pub executions: u64,
    pub wall: Duration,
    pub preemption_bound: usize,
}

/// Runs `f` under loom until every interleaving within the bounds has been
/// explored. A panic in `f` (or a deadlock loom finds) fails the check.
pub fn model(f: impl Fn() + Sync + Send + 'static) -> ModelStats {
    let mut builder = loom::model::Builder::new();
    let preemption_bound = *builder.preemption_bound.get_or_insert(DEFAULT_PREEMPTION_BOUND);
    if std::env::var_os("LOOM_MAX_BRANCHES").is_none() {
        builder.max_branches = DEFAULT_MAX_BRANCHES;
    }
    let executions = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&executions);
    let start = Instant::now();
    builder.check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        f();
    });
    ModelStats { executions: executions.load(Ordering::Relaxed), wall: start.elapsed(), preemption_bound }
}
