//! The seam between the harness and a system under test.
//!
//! A [`Subject`] is what a researcher brings: how to start their actors and
//! run a [`Workload`] of their operations on the deterministic executor, what
//! a run shows (its history, a type of their own), the [`Property`] values
//! judged on it, and how its operations are drawn and written in tokens.
//! Everything else (random and PCT search, shrinking, exhaustive search,
//! replay tokens, pictures, the proptest bridge) is written once, over this
//! trait, and names no subject.
//!
//! Invariant a subject must keep: [`Subject::execute`] is a function of the
//! workload and the scheduler's answers (no clock, no thread timing, no
//! randomly seeded hash iteration), so a replayed choice log reruns a run
//! exactly.

use crate::property::Property;
use crate::workload::{Workload, MAX_CLIENTS, MAX_OPS};
use proptest::test_runner::TestRng;
use rand::distr::{Distribution, Uniform};
use sim::det::Rules;
use sim::sched::{ChoiceLog, Replay, Scheduler};
use sim::trace::{Trace, TraceLevel};
use sim::Delivery;
use std::fmt;
use std::hash::Hash;

/// What one execution of a workload produced.
#[derive(Clone, Debug)]
pub struct Execution<H> {
    pub history: H,
    pub choices: ChoiceLog,
    pub steps: u64,
    pub trace: Option<Trace>,
}

/// A system under test.
pub trait Subject: Clone + Send + Sync + 'static {
    /// One operation of a client's script.
    type Op: Clone + fmt::Debug + fmt::Display + Eq + Hash + Send + Sync + 'static;
    /// What one run shows the properties.
    type History: Clone + fmt::Debug + Send + Sync + 'static;

    /// The name tokens and the command line use: `family.variant`, in
    /// lowercase letters, digits and `-` (for example `bank.racy`).
    fn name(&self) -> String;

    /// Runs `workload` once under `scheduler`.
    fn execute(
        &self,
        workload: &Workload<Self::Op>,
        scheduler: Box<dyn Scheduler>,
        trace: TraceLevel,
    ) -> Execution<Self::History>;

    /// Every property a run of this subject must satisfy, in report order.
    fn properties(&self) -> Vec<Property<Self::History>>;

    /// One operation, drawn for a generated workload.
    fn draw_op(&self, rng: &mut TestRng) -> Self::Op;

    /// The kinds of operation [`Subject::draw_op`] chooses among, by name,
    /// with their weights (how often each is drawn, relative to the others).
    /// Empty (the default): the subject draws its own way, and weights and
    /// swarm testing do not apply to it.
    fn op_kinds(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }

    /// One operation of a kind drawn with `weights` (one per
    /// [`Subject::op_kinds`], at least one not 0). The default ignores the
    /// weights.
    fn draw_op_weighted(&self, rng: &mut TestRng, _weights: &[u64]) -> Self::Op {
        self.draw_op(rng)
    }

    /// A generated workload: 1 to [`MAX_CLIENTS`] clients of 1 to
    /// [`MAX_OPS`] operations each, every one from [`Subject::draw_op`].
    fn workload(&self, rng: &mut TestRng, mode: Delivery) -> Workload<Self::Op> {
        let clients = uniform_len(rng, MAX_CLIENTS);
        let clients = (0..clients)
            .map(|_| {
                let ops = uniform_len(rng, MAX_OPS);
                (0..ops).map(|_| self.draw_op(rng)).collect()
            })
            .collect();
        Workload::new(mode, clients)
    }

    /// One operation as a token writes it: 1 or more of `A-Z a-z 0-9 = ( ) _ -`
    /// (the token codec asserts it), decodable by [`Subject::decode_op`].
    fn encode_op(&self, op: &Self::Op) -> String;

    /// The operation [`Subject::encode_op`] wrote; `Err` says why not.
    fn decode_op(&self, text: &str) -> Result<Self::Op, String>;

    /// The part of a history that does not depend on the order of
    /// independent events, as text: exhaustive search counts distinct
    /// outcomes with it. The default, the whole history, is always sound
    /// but may count orders of independent events as different outcomes.
    fn outcome(&self, history: &Self::History) -> String {
        format!("{history:?}")
    }

    /// Operations strictly simpler than `op`, for the shrinker to try in its
    /// place. Each must have a lower [`Subject::complexity`], so shrinking ends.
    fn simpler(&self, _op: &Self::Op) -> Vec<Self::Op> {
        Vec::new()
    }

    /// A measure of `op` that every op [`Subject::simpler`] offers lowers;
    /// the shrinker asserts it in debug builds.
    fn complexity(&self, _op: &Self::Op) -> u64 {
        0
    }

    /// Named workloads small enough to search exhaustively, smallest first.
    fn fixed_workloads(&self) -> Vec<Fixed<Self::Op>> {
        Vec::new()
    }

    /// Token versions older than the envelope that this subject's tokens
    /// were once written in, with the rules revision each replays under.
    /// Such a token's subject field is [`Subject::legacy_name`].
    fn legacy_versions(&self) -> &'static [(&'static str, Rules)] {
        &[]
    }

    /// The subject field of a legacy token.
    fn legacy_name(&self) -> String {
        self.name()
    }

    /// What the subject's design predicts for `property` under `mode`:
    /// `Some(true)` when some generated workload and schedule must break it,
    /// `Some(false)` when none may, `None` when it makes no prediction. The
    /// bug hunt judges its verdicts against this.
    fn expected_violation(&self, _mode: Delivery, _property: &str) -> Option<bool> {
        None
    }

    /// Re-runs a recorded choice log, with the full trace.
    fn replay(&self, workload: &Workload<Self::Op>, choices: &ChoiceLog) -> Execution<Self::History> {
        self.execute(workload, Box::new(Replay::new(choices.clone())), TraceLevel::Full)
    }
}

/// A named workload for exhaustive search; the delivery mode is the caller's.
#[derive(Clone, Debug)]
pub struct Fixed<O> {
    pub name: &'static str,
    pub about: &'static str,
    pub clients: Vec<Vec<O>>,
}

impl<O: Clone> Fixed<O> {
    pub fn workload(&self, mode: Delivery) -> Workload<O> {
        Workload::new(mode, self.clients.clone())
    }
}

/// A length in `1..=max`, drawn as proptest's `collection::vec` draws one.
pub fn uniform_len(rng: &mut TestRng, max: usize) -> usize {
    Uniform::<usize>::new_inclusive(1, max).expect("a non-empty range").sample(rng)
}
