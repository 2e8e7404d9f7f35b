//! Schedulers: who decides which enabled event runs next.
//!
//! One trait, one strategy per file (shuttle's shape). An executor asks its
//! scheduler only when two or more events are enabled, and records every answer
//! in the run's [`ChoiceLog`]; feeding that log to [`Replay`] reproduces the run
//! exactly, without the seed or the strategy that produced it.

mod pct;
mod random;
mod replay;
pub mod step;

pub use pct::PctScheduler;
pub use random::RandomScheduler;
pub use replay::Replay;
pub use step::{dependent, dependent_in, rivals_in, AfterHandle, Footprint, StepRecord, CLOCK};

use crate::Pid;

/// One thing the executor can do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Event {
    /// Deliver the head of the (from -> to) queue (`spec` mode); if `to` can
    /// handle it at once, it does, in the same step.
    Deliver { to: Pid, from: Pid },
    /// `pid` handles the oldest message in its mailbox that it accepts.
    Handle { pid: Pid },
    /// The driver (test code) takes its next action.
    DriverAct,
}

impl Event {
    /// The process that acts in this event.
    pub fn actor(self) -> Pid {
        match self {
            Event::Deliver { to, .. } => to,
            Event::Handle { pid } => pid,
            Event::DriverAct => Pid::DRIVER,
        }
    }
}

/// A scheduling strategy.
pub trait Scheduler {
    /// Picks one of `enabled` (at least two events, in the executor's
    /// deterministic order) and returns its index.
    fn choose(&mut self, enabled: &[Event]) -> usize;

    /// Whether the executor should hand this scheduler a [`StepRecord`] for
    /// every executed event (exhaustive search needs them; the fast path
    /// does not make them). Asked once, when the run starts.
    fn records_steps(&self) -> bool {
        false
    }

    /// One executed event, in execution order (forced steps included). Called
    /// only when [`Scheduler::records_steps`] said yes.
    fn step_done(&mut self, _record: StepRecord) {}

    /// Whether the executor should hand this scheduler a fingerprint of the
    /// whole state before each choice ([`Scheduler::state`]). Asked once,
    /// when the run starts.
    fn wants_states(&self) -> bool {
        false
    }

    /// The state at the coming choice point (just before `choose`). Called
    /// only when [`Scheduler::wants_states`] said yes.
    fn state(&mut self, _state: StateAt) {}

    /// The run has ended: after `steps` steps (events and driver actions),
    /// `bounded` if it ended at the step bound. Called only when
    /// [`Scheduler::wants_states`] said yes.
    fn run_ended(&mut self, _steps: u64, _bounded: bool) {}
}

/// The state at a choice point, for state caching ([`Scheduler::state`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateAt {
    /// A hash of the whole state, with stamps by rank ([`crate::stamps`])
    /// and the step counter left out, so that two orders of the same events
    /// that reach the same state meet; `Err` with the label of the first
    /// live process whose actor has none ([`crate::Actor::fingerprint`]).
    pub fingerprint: Result<u64, crate::Label>,
    /// Steps taken so far (events and driver actions: what counts against
    /// the step bound).
    pub steps: u64,
    /// The run's step bound (`det::Config::max_steps`).
    pub max_steps: u64,
}

/// The choices a run made, in order: one index per scheduling point with two or
/// more enabled events.
pub type ChoiceLog = Vec<u32>;
