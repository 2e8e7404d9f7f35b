//! Plain depth-first search over every scheduling choice, no reduction.
//!
//! The algorithm: run with a prefix of choice indices, then index 0 at every
//! further choice point, recording how many events were enabled at each; the
//! next prefix is the current choices up to the deepest point that has an
//! untried index, with that index incremented. Every leaf of the choice tree
//! is one execution, so this counts what an unreduced search (shuttle's DFS)
//! pays. With a delay bound, a choice other than 0 is a delay, and prefixes
//! with more delays than the bound are skipped. Invariant: prefixes are
//! visited in lexicographic order, so each leaf is run exactly once.

//!
//! With state caching ([`explore_cached`]): before each choice the executor
//! hands over the state ([`Scheduler::state`]): a fingerprint of everything
//! (built from every [`crate::Actor::fingerprint`], stamps by rank, the step
//! counter left out: [`crate::stamps`]) and the steps taken so far. When
//! DFS has explored the whole subtree of a choice point, it keeps that
//! state's fingerprint with the most steps any execution below it took
//! (its depth), unless one of them ended at the step bound. A state met
//! again, at `steps` steps, is pruned when it was kept with a depth `d` and
//! `steps + d` is below the bound: every continuation from it is one DFS
//! has run, none reaches the bound from here either, and each gives the
//! same verdicts (the histories' stamps are in the same order). A pruned
//! run takes index 0 from there on and opens no further choice point (the
//! executor cannot stop a run early, so the rest of the run still executes,
//! and it still counts as an execution). Sound because the order is
//! lexicographic: a state is kept only once its subtree is done, so a state
//! met on its own path (a cycle) is never pruned, and the bound check keeps
//! a run that would hit the bound from this deeper point. Not with a delay
//! bound (the first visit may have had fewer delays left), and not with
//! DPOR: pruning a state cuts the races its continuation would have shown,
//! which the sleep sets and backtrack points of earlier nodes need.

use super::{Limits, Scenario, Summary};
use crate::sched::{Event, Scheduler, StateAt};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Default)]
struct Path {
    prefix: Vec<u32>,
    /// (chosen index, enabled count) per choice point of the current run.
    taken: Vec<(u32, u32)>,
    /// State caching only: per choice point of the current run, its
    /// subtree's exploration so far (the same length as `taken` at the end
    /// of a run; the prefix's frames are kept from earlier runs).
    frames: Vec<Frame>,
    /// State caching only: states whose subtree DFS has explored, with their depth.
    explored: Option<BTreeMap<u64, u64>>,
    /// The state handed over for the coming choice.
    state: Option<StateAt>,
    /// The current run met a state already explored (at its choice point).
    pruned: bool,
    cache: Cache,
}

/// A choice point whose subtree is being explored.
struct Frame {
    /// Its state's fingerprint, if it is to be kept once its subtree is
    /// explored: fingerprinted, and not at or after a pruned point.
    fingerprint: Option<u64>,
    /// Steps taken when the run reached it.
    steps: u64,
    /// The most steps an execution below it took (or, below a pruned
    /// point, would have taken).
    reach: u64,
    /// Some execution below it ended at the step bound.
    bounded: bool,
}

impl Path {
    /// Caching's part of a choice point met past the prefix: prune it, or
    /// open its frame.
    fn meet(&mut self, state: StateAt) {
        let explored = self.explored.as_ref().expect("caching");
        let mut frame = Frame { fingerprint: None, steps: state.steps, reach: state.steps, bounded: false };
        if !self.pruned {
            match state.fingerprint {
                Err(label) => {
                    self.cache.unfingerprinted += 1;
                    self.cache.first_unfingerprinted.get_or_insert(label);
                }
                Ok(fingerprint) => match explored.get(&fingerprint) {
                    Some(&depth) if state.steps + depth < state.max_steps => {
                        self.pruned = true;
                        self.cache.pruned += 1;
                        frame.reach = state.steps + depth;
                    }
                    _ => {
                        self.cache.visited += 1;
                        frame.fingerprint = Some(fingerprint);
                    }
                },
            }
        }
        self.frames.push(frame);
    }

    /// Closes the frames past the first `keep` (their subtrees are done):
    /// keeps their states, and hands what they reached to their parents.
    fn close_frames(&mut self, keep: usize) {
        while self.frames.len() > keep {
            let child = self.frames.pop().expect("longer than keep");
            if let (Some(fingerprint), false) = (child.fingerprint, child.bounded) {
                let depth = child.reach - child.steps;
                let kept = self.explored.as_mut().expect("caching").entry(fingerprint).or_insert(depth);
                *kept = (*kept).max(depth);
            }
            if let Some(parent) = self.frames.last_mut() {
                parent.reach = parent.reach.max(child.reach);
                parent.bounded |= child.bounded;
            }
        }
    }
}

struct DfsScheduler(Rc<RefCell<Path>>);

impl Scheduler for DfsScheduler {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        let mut path = self.0.borrow_mut();
        let at = path.taken.len();
        let choice = path.prefix.get(at).copied().unwrap_or(0);
        assert!(
            (choice as usize) < enabled.len(),
            "a replayed prefix no longer fits: the scenario is not deterministic"
        );
        let mut count = enabled.len() as u32;
        if path.explored.is_some() {
            let state = path.state.take().expect("the executor hands over the state before each choice");
            if at >= path.prefix.len() {
                path.meet(state);
            }
            if path.pruned {
                count = 1; // explored already: no branch here
            }
        }
        path.taken.push((choice, count));
        choice as usize
    }

    fn wants_states(&self) -> bool {
        self.0.borrow().explored.is_some()
    }

    fn state(&mut self, state: StateAt) {
        self.0.borrow_mut().state = Some(state);
    }

    fn run_ended(&mut self, steps: u64, bounded: bool) {
        if let Some(last) = self.0.borrow_mut().frames.last_mut() {
            last.reach = last.reach.max(steps);
            last.bounded |= bounded;
        }
    }
}

/// What state caching did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cache {
    /// Choice points with a fingerprint that were not pruned, so DFS went
    /// on exploring below them (a state met for the first time, or met
    /// again where pruning it was not sound: on its own path, too near the
    /// step bound, or first met below a run that hit it), whether or not
    /// the execution budget let it finish.
    pub visited: u64,
    /// Choice points whose state had been met before (their subtree skipped).
    pub pruned: u64,
    /// Choice points without a fingerprint (some actor has none): never pruned.
    pub unfingerprinted: u64,
    /// The label of the first process met that had no fingerprint, if any.
    pub first_unfingerprinted: Option<crate::Label>,
}

/// The next prefix in lexicographic order, within the delay bound.
fn next_prefix(taken: &[(u32, u32)], max_delays: Option<u32>) -> Option<Vec<u32>> {
    let mut delays_before: Vec<u32> = Vec::with_capacity(taken.len());
    let mut delays = 0;
    for &(choice, _) in taken {
        delays_before.push(delays);
        delays += u32::from(choice != 0);
    }
    (0..taken.len()).rev().find_map(|at| {
        let (choice, count) = taken[at];
        let within = max_delays.is_none_or(|bound| delays_before[at] < bound);
        (choice + 1 < count && within).then(|| {
            let mut prefix: Vec<u32> = taken[..at].iter().map(|t| t.0).collect();
            prefix.push(choice + 1);
            prefix
        })
    })
}

/// Runs `scenario` under every schedule (or up to the limits).
pub fn explore(scenario: &mut impl Scenario, limits: Limits) -> Summary {
    search(scenario, limits, false).0
}

/// As [`explore`], pruning every state met before (see the module doc).
/// Panics if `limits.max_delays` is set: caching is not sound with a delay
/// bound (a state explored within the bound may hide orders past it that a
/// later visit with fewer delays spent could reach).
pub fn explore_cached(scenario: &mut impl Scenario, limits: Limits) -> (Summary, Cache) {
    assert!(limits.max_delays.is_none(), "state caching does not go with a delay bound");
    search(scenario, limits, true)
}

fn search(scenario: &mut impl Scenario, limits: Limits, cached: bool) -> (Summary, Cache) {
    let path = Rc::new(RefCell::new(Path { explored: cached.then(BTreeMap::new), ..Path::default() }));
    let mut executions = 0;
    loop {
        if executions >= limits.max_executions {
            return (Summary { executions, exhausted: false, sleep_blocked: 0 }, path.borrow().cache.clone());
        }
        {
            let mut p = path.borrow_mut();
            p.taken.clear();
            p.pruned = false;
            p.state = None;
        }
        scenario.run(Box::new(DfsScheduler(path.clone())));
        executions += 1;
        let mut p = path.borrow_mut();
        match next_prefix(&p.taken, limits.max_delays) {
            Some(prefix) => {
                if cached {
                    debug_assert_eq!(p.frames.len(), p.taken.len(), "one frame per choice point");
                    p.close_frames(prefix.len());
                }
                p.prefix = prefix;
            }
            None => return (Summary { executions, exhausted: true, sleep_blocked: 0 }, std::mem::take(&mut p.cache)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn prefixes_advance_at_the_deepest_open_point() {
        assert_eq!(next_prefix(&[(0, 2), (0, 3)], None), Some(vec![0, 1]));
        assert_eq!(next_prefix(&[(0, 2), (2, 3)], None), Some(vec![1]));
        assert_eq!(next_prefix(&[(1, 2), (2, 3)], None), None);
    }

    /// A two-choice system, scripted against the scheduler: a short (1
    /// step) or long (3 steps) way to one state, then a short (1) or long
    /// (5) way on; a run past `max_steps` ends at the bound.
    fn two_ways(mut scheduler: Box<dyn Scheduler>, max_steps: u64, outcomes: &mut BTreeSet<String>) {
        let both = [Event::DriverAct, Event::Handle { pid: crate::Pid(1) }];
        let mut steps = 0;
        let mut path = Vec::new();
        for (fingerprint, costs) in [(1, [1, 3]), (2, [1, 5])] {
            scheduler.state(StateAt { fingerprint: Ok(fingerprint), steps, max_steps });
            let choice = scheduler.choose(&both);
            steps += costs[choice];
            path.push(choice);
        }
        let bounded = steps > max_steps;
        scheduler.run_ended(steps.min(max_steps), bounded);
        // What follows the meeting state is all an outcome may tell.
        outcomes.insert(if bounded { "bound".to_string() } else { format!("then {}", path[1]) });
    }

    #[test]
    fn a_state_met_again_nearer_the_step_bound_is_explored_again() {
        for max_steps in 2..10 {
            let search = |cached: bool| {
                let mut outcomes = BTreeSet::new();
                let mut scenario = |scheduler| two_ways(scheduler, max_steps, &mut outcomes);
                let (summary, cache) = super::search(&mut scenario, Limits::executions(100), cached);
                assert!(summary.exhausted);
                (outcomes, cache)
            };
            let ((plain, _), (cached, cache)) = (search(false), search(true));
            assert_eq!(cached, plain, "bound {max_steps}");
            if max_steps == 7 {
                // Met first 1 step in with depth 5; met again 3 steps in, where 3 + 5 > 7.
                assert!(plain.contains("bound") && cache.pruned == 0, "{plain:?} {cache:?}");
            }
            if max_steps == 9 {
                assert_eq!((cached.len(), cache.pruned), (2, 1), "far from the bound, the state merges");
            }
        }
    }

    #[test]
    fn a_delay_bound_skips_schedules_with_more_delays() {
        assert_eq!(next_prefix(&[(1, 2), (0, 3)], Some(1)), None);
        assert_eq!(next_prefix(&[(0, 2), (0, 3)], Some(1)), Some(vec![0, 1]));
    }
}
