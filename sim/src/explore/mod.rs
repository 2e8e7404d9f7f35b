//! Exhaustive search over the schedules of one fixed scenario.
//!
//! Stateless model checking: every execution re-runs the scenario from the
//! start under a scheduler that follows a prefix of choices and then a
//! default, and the search picks the next prefix from what the execution
//! showed. One strategy per file:
//! - [`dfs`]: plain depth-first search over every choice (no reduction),
//!   optionally pruning states met before ([`dfs::explore_cached`]);
//! - [`dpor`]: source-DPOR with sleep sets (Abdulla, Aronis, Jonsson,
//!   Sagonas, POPL 2014), one execution per Mazurkiewicz trace at most (up to
//!   sleep-set-blocked ones);
//! - [`odpor`]: optimal DPOR with wakeup trees (Abdulla, Aronis, Jonsson,
//!   Sagonas, JACM 2017), one execution per Mazurkiewicz trace and none
//!   sleep-set blocked (up to what its module doc lists).
//!
//! The scenario is a closure that runs once under the scheduler it is given;
//! it must be deterministic (a function of the scheduler's answers). The
//! searches stop at [`Limits::max_executions`] and say whether they exhausted
//! the space. Invariant: a replayed prefix takes the same events it took
//! before (asserted), or the scenario is not deterministic.

pub mod dfs;
pub mod dpor;
pub mod odpor;
mod race;

use crate::sched::Scheduler;

/// Bounds on a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Executions at most; the search reports `exhausted: false` if it stops here.
    pub max_executions: u64,
    /// Delay bound (DFS only): schedules with more than this many non-default
    /// choices are not explored. `None`: no bound.
    pub max_delays: Option<u32>,
    /// DPOR only: whether a clock read is dependent with a process's end
    /// (the default, exact for verdicts that compare stamps). `false` keeps
    /// DPOR exact for outcomes only: verdicts that compare a call's stamp
    /// with an exit stamp may then be missed.
    pub clock_dependent: bool,
}

impl Limits {
    pub const DEFAULT_MAX_EXECUTIONS: u64 = 1_000_000;

    pub fn executions(max_executions: u64) -> Limits {
        Limits { max_executions, max_delays: None, clock_dependent: true }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::executions(Self::DEFAULT_MAX_EXECUTIONS)
    }
}

/// What a search did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub executions: u64,
    /// Every schedule (within the delay bound) was covered.
    pub exhausted: bool,
    /// DPOR only: executions cut short because every enabled event was asleep
    /// (they are counted in `executions` too).
    pub sleep_blocked: u64,
}

/// A scenario: runs once under the given scheduler.
pub trait Scenario {
    fn run(&mut self, scheduler: Box<dyn Scheduler>);
}

impl<F: FnMut(Box<dyn Scheduler>)> Scenario for F {
    fn run(&mut self, scheduler: Box<dyn Scheduler>) {
        self(scheduler)
    }
}
