//! Shrinking a failing run to a small counterexample.
//!
//! A failure is re-expressed as (workload, choice log) and improved greedily:
//! drop a client, drop an operation, drop two operations, move an operation
//! to an earlier client, replace an operation by a simpler one (the
//! subject says which are simpler), shorten the choice log, move choices
//! toward the default (0). Every accepted step makes the counterexample
//! strictly smaller in (ops, clients, client indices, op complexity, choices)
//! ([`Shrinker::measure`], asserted for every step in debug builds), so the
//! loop ends. Each candidate is re-run, with its own choices
//! replayed (the replay falls back to 0 where a choice no longer fits) and
//! then with a few fixed schedule seeds, and kept only if it breaks the same
//! property. Bounded by [`MAX_RERUNS`] executions in all.

use crate::property::Property;
use crate::subject::{Execution, Subject};
use crate::workload::Workload;
use sim::sched::{ChoiceLog, RandomScheduler, Replay};
use sim::trace::TraceLevel;

/// Executions a shrink may spend, in all.
pub const MAX_RERUNS: u32 = 20_000;
/// Extra schedule seeds tried for a candidate workload whose old choices no longer fail.
const RESCUE_SEEDS: u64 = 64;

/// A counterexample: a workload and the choices that make it fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample<O> {
    pub workload: Workload<O>,
    pub choices: ChoiceLog,
}

pub(crate) struct Shrinker<'s, S: Subject> {
    subject: &'s S,
    property: &'s Property<S::History>,
    reruns: u32,
}

impl<'s, S: Subject> Shrinker<'s, S> {
    pub(crate) fn new(subject: &'s S, property: &'s Property<S::History>) -> Shrinker<'s, S> {
        Shrinker { subject, property, reruns: 0 }
    }

    /// What every accepted step lowers (lexicographically): operations,
    /// clients, the sum over operations of their client's index, the sum of
    /// the operations' complexity, then the choice log (shorter, then smaller).
    pub(crate) fn measure(&self, c: &Counterexample<S::Op>) -> (usize, usize, usize, u64, usize, ChoiceLog) {
        let clients = &c.workload.clients;
        let indices = clients.iter().enumerate().map(|(i, ops)| i * ops.len()).sum();
        let complexity = clients.iter().flatten().map(|op| self.subject.complexity(op)).sum();
        (c.workload.op_count(), clients.len(), indices, complexity, c.choices.len(), c.choices.clone())
    }

    /// Takes `next` as the best counterexample so far; in debug builds,
    /// checks that it lowers the measure (so shrinking ends).
    pub(crate) fn accept(&self, best: &mut Counterexample<S::Op>, next: Counterexample<S::Op>) {
        if cfg!(debug_assertions) {
            assert!(self.measure(&next) < self.measure(best), "a shrink step did not lower the measure");
        }
        *best = next;
    }

    fn fails(&mut self, run: Execution<S::History>) -> Option<ChoiceLog> {
        self.reruns += 1;
        self.property.check(&run.history).map(|_| run.choices)
    }

    /// The choices with which `workload` breaks the property, trying `choices` first.
    fn attempt(&mut self, workload: &Workload<S::Op>, choices: &ChoiceLog) -> Option<ChoiceLog> {
        if self.reruns >= MAX_RERUNS {
            return None;
        }
        let run = self.subject.execute(workload, Box::new(Replay::new(choices.clone())), TraceLevel::Off);
        if let Some(found) = self.fails(run) {
            return Some(found);
        }
        for seed in 0..RESCUE_SEEDS {
            let run = self.subject.execute(workload, Box::new(RandomScheduler::new(seed)), TraceLevel::Off);
            if let Some(found) = self.fails(run) {
                return Some(found);
            }
        }
        None
    }

    /// Smaller workloads: each client removed, then each operation removed.
    fn smaller_workloads(workload: &Workload<S::Op>) -> Vec<Workload<S::Op>> {
        let mut candidates = Vec::new();
        if workload.clients.len() > 1 {
            for i in 0..workload.clients.len() {
                let mut w = workload.clone();
                w.clients.remove(i);
                candidates.push(w);
            }
        }
        for (c, ops) in workload.clients.iter().enumerate() {
            for i in 0..ops.len() {
                let mut w = workload.clone();
                w.clients[c].remove(i);
                if !w.clients[c].is_empty() || w.clients.len() == 1 {
                    candidates.push(w);
                }
            }
        }
        candidates
    }

    /// Workloads with two operations removed at once: for failures that need a
    /// gap between two operations, where no single removal keeps them failing.
    fn pairs_removed(workload: &Workload<S::Op>) -> Vec<Workload<S::Op>> {
        let slots: Vec<(usize, usize)> =
            workload.clients.iter().enumerate().flat_map(|(c, ops)| (0..ops.len()).map(move |i| (c, i))).collect();
        let mut candidates = Vec::new();
        for (a, &(ca, ia)) in slots.iter().enumerate() {
            for &(cb, ib) in &slots[a + 1..] {
                let mut w = workload.clone();
                w.clients[cb].remove(ib); // (cb, ib) comes after (ca, ia): remove it first
                w.clients[ca].remove(ia);
                w.clients.retain(|ops| !ops.is_empty());
                if !w.clients.is_empty() {
                    candidates.push(w);
                }
            }
        }
        candidates
    }

    /// One operation moved to an earlier client, at every position there
    /// (an emptied client is dropped). Each move lowers the sum of the
    /// operations' client indices, so moves cannot cycle.
    fn ops_moved_left(workload: &Workload<S::Op>) -> Vec<Workload<S::Op>> {
        let mut candidates = Vec::new();
        for (from, ops) in workload.clients.iter().enumerate().skip(1) {
            for (i, op) in ops.iter().enumerate() {
                for to in 0..from {
                    for at in 0..=workload.clients[to].len() {
                        let mut w = workload.clone();
                        w.clients[from].remove(i);
                        w.clients[to].insert(at, op.clone());
                        w.clients.retain(|ops| !ops.is_empty());
                        candidates.push(w);
                    }
                }
            }
        }
        candidates
    }

    /// Each operation replaced by each simpler one the subject offers.
    fn ops_simplified(&self, workload: &Workload<S::Op>) -> Vec<Workload<S::Op>> {
        let mut candidates = Vec::new();
        for (c, ops) in workload.clients.iter().enumerate() {
            for (i, op) in ops.iter().enumerate() {
                for simpler in self.subject.simpler(op) {
                    let mut w = workload.clone();
                    w.clients[c][i] = simpler;
                    candidates.push(w);
                }
            }
        }
        candidates
    }

    /// Simpler choice logs: shorter, then single choices set to 0 or decremented.
    fn simpler_choices(choices: &ChoiceLog) -> Vec<ChoiceLog> {
        let mut candidates = Vec::new();
        let mut len = choices.len() / 2;
        while len < choices.len() {
            candidates.push(choices[..len].to_vec());
            len += (choices.len() - len).div_ceil(2);
        }
        for i in 0..choices.len() {
            if choices[i] > 0 {
                let mut zeroed = choices.clone();
                zeroed[i] = 0;
                candidates.push(zeroed);
                if choices[i] > 1 {
                    let mut lower = choices.clone();
                    lower[i] -= 1;
                    candidates.push(lower);
                }
            }
        }
        candidates
    }

    fn shrink(&mut self, mut best: Counterexample<S::Op>) -> Counterexample<S::Op> {
        'improve: loop {
            for workload in Self::smaller_workloads(&best.workload) {
                if let Some(choices) = self.attempt(&workload, &best.choices) {
                    self.accept(&mut best, Counterexample { workload, choices });
                    continue 'improve;
                }
            }
            let reshaped = [Self::pairs_removed(&best.workload), Self::ops_moved_left(&best.workload)];
            for workload in reshaped.into_iter().flatten().chain(self.ops_simplified(&best.workload)) {
                if let Some(choices) = self.attempt(&workload, &best.choices) {
                    self.accept(&mut best, Counterexample { workload, choices });
                    continue 'improve;
                }
            }
            for choices in Self::simpler_choices(&best.choices) {
                let run = self.subject.execute(&best.workload, Box::new(Replay::new(choices)), TraceLevel::Off);
                if self.reruns >= MAX_RERUNS {
                    return best;
                }
                if let Some(found) = self.fails(run) {
                    if (found.len(), &found) < (best.choices.len(), &best.choices) {
                        let workload = best.workload.clone();
                        self.accept(&mut best, Counterexample { workload, choices: found });
                        continue 'improve;
                    }
                }
            }
            return best;
        }
    }
}

/// Shrinks `failing`, which breaks `property` on `subject`.
pub fn shrink<S: Subject>(
    subject: &S,
    property: &Property<S::History>,
    failing: Counterexample<S::Op>,
) -> Counterexample<S::Op> {
    let mut best = Shrinker::new(subject, property).shrink(failing);
    // Replay takes the default choice past the end of the log: trailing zeros say nothing.
    while best.choices.last() == Some(&0) {
        best.choices.pop();
    }
    best
}
