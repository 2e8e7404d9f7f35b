//! Schedule strategies for generated workloads: which scheduler drives run
//! `r` of a check, built from the run's schedule seed.
//!
//! `Random` is uniform choice; `Pct` is PCT ([`sim::sched::PctScheduler`]) of
//! a given depth. PCT needs k, a bound on a run's scheduling points; it is
//! taken from the workload ([`pct_steps`]), so run `r` stays a pure function
//! of (seed, r). Invariant: the same (strategy, seed, workload) gives the same
//! scheduler, choice for choice.

use crate::workload::Workload;
use sim::sched::{PctScheduler, RandomScheduler, Scheduler};

/// Scheduling points per operation that PCT's k allows for (measured over
/// 2,000 generated runs per variant and mode: 1.2 to 2.2 per operation on
/// average, at most 4.4).
pub const PCT_POINTS_PER_OP: u64 = 2;
/// Scheduling points of a run with no operations (starting the system and the clients).
pub const PCT_BASE_POINTS: u64 = 2;

/// How a check's runs are scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    Random,
    /// PCT with this bug depth (d >= 1).
    Pct {
        depth: u32,
    },
}

impl Schedule {
    /// PCT's default depth: the `monitored` races need one message held back (d = 2)
    /// or two (d = 3); 3 covers both.
    pub const DEFAULT_PCT_DEPTH: u32 = 3;

    pub fn name(self) -> &'static str {
        match self {
            Schedule::Random => "random",
            Schedule::Pct { .. } => "pct",
        }
    }

    /// The scheduler for one run of `workload`, drawn from `seed`.
    pub fn scheduler<O>(self, seed: u64, workload: &Workload<O>) -> Box<dyn Scheduler> {
        match self {
            Schedule::Random => Box::new(RandomScheduler::new(seed)),
            Schedule::Pct { depth } => Box::new(PctScheduler::new(seed, depth, pct_steps(workload))),
        }
    }
}

/// PCT's k for `workload`: an estimate of its scheduling points.
pub fn pct_steps<O>(workload: &Workload<O>) -> u64 {
    PCT_BASE_POINTS + PCT_POINTS_PER_OP * workload.op_count() as u64
}
