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

use crate::sched::{Footprint, Scheduler, CLOCK};

/// Bounds on a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Executions at most; the search reports `exhausted: false` if it stops here.
    pub max_executions: u64,
    /// Delay bound (DFS only): schedules with more than this many non-default
    /// choices are not explored. `None`: no bound.
    pub max_delays: Option<u32>,
    /// DPOR only: what a clock read is dependent with. The default,
    /// [`ClockRule::WithDeaths`], is exact for verdicts that compare stamps
    /// with exit stamps; [`ClockRule::Ordered`] for verdicts that compare
    /// two processes' stamps; [`ClockRule::Ignored`] for outcomes only.
    pub clock: ClockRule,
}

impl Limits {
    pub const DEFAULT_MAX_EXECUTIONS: u64 = 1_000_000;

    pub fn executions(max_executions: u64) -> Limits {
        Limits { max_executions, max_delays: None, clock: ClockRule::WithDeaths }
    }
}

/// How a clock read (`Ctx::now`) enters the dependence relation of the
/// DPOR searches, from the least to the most ordered. DFS ignores it.
///
/// Why a rule is needed at all: the clock is the step counter, which every
/// step advances, so no two steps commute with respect to the stamps they
/// read. A verdict that compares stamps is exact only if the stamps it
/// compares keep their order in every execution DPOR treats as equivalent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClockRule {
    /// Forgotten: no verdict compares stamps (exact for outcomes only).
    Ignored,
    /// Dependent with every step in which a process dies: verdicts compare
    /// call stamps with exit stamps.
    #[default]
    WithDeaths,
    /// Also dependent with every other clock read: verdicts compare one
    /// process's call stamps with another's (real-time order), so every
    /// order of two stamps is a trace of its own.
    Ordered,
}

impl ClockRule {
    pub fn name(self) -> &'static str {
        match self {
            ClockRule::Ignored => "none",
            ClockRule::WithDeaths => "with-deaths",
            ClockRule::Ordered => "ordered",
        }
    }

    /// Rewrites a recorded step's footprint by this rule (before any
    /// dependence is judged on it).
    pub fn apply(self, footprint: &mut Footprint) {
        match self {
            ClockRule::Ignored => footprint.reads_clock = false,
            ClockRule::WithDeaths => {}
            ClockRule::Ordered if footprint.reads_clock => footprint.write(CLOCK),
            ClockRule::Ordered => {}
        }
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
