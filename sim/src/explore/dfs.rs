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
//! With state caching ([`explore_cached`]): before each choice beyond the
//! replayed prefix the executor hands over a fingerprint of the whole state
//! ([`Scheduler::state`], built from every [`crate::Actor::fingerprint`]).
//! A state met before is pruned: the run takes index 0 from there on and
//! opens no further choice point (the executor cannot stop a run early, so
//! the rest of the run still executes, and it still counts as an execution).
//! Sound because the order is lexicographic and the step counter is in the
//! fingerprint (no state repeats on one path): a state met again was first
//! met on a path whose whole subtree DFS had already explored. Not with a
//! delay bound (the first visit may have had fewer delays left), and not
//! with DPOR: pruning a state cuts the races its continuation would have
//! shown, which the sleep sets and backtrack points of earlier nodes need.

use super::{Limits, Scenario, Summary};
use crate::sched::{Event, Scheduler};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

#[derive(Default)]
struct Path {
    prefix: Vec<u32>,
    /// (chosen index, enabled count) per choice point of the current run.
    taken: Vec<(u32, u32)>,
    /// State caching only: fingerprints of the states met at choice points.
    seen: Option<BTreeSet<u64>>,
    /// The fingerprint handed over for the coming choice.
    state: Option<u64>,
    /// The current run met a state already explored (at its choice point).
    pruned: bool,
    cache: Cache,
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
        if at >= path.prefix.len() && path.seen.is_some() {
            let state = path.state.take();
            if !path.pruned {
                if let Some(fingerprint) = state {
                    let new = path.seen.as_mut().expect("caching").insert(fingerprint);
                    path.cache.visited += u64::from(new);
                    path.cache.pruned += u64::from(!new);
                    path.pruned = !new;
                } else {
                    path.cache.unfingerprinted += 1;
                }
            }
            if path.pruned {
                count = 1; // explored already: no branch here
            }
        }
        path.taken.push((choice, count));
        choice as usize
    }

    fn wants_states(&self) -> bool {
        self.0.borrow().seen.is_some()
    }

    fn state(&mut self, fingerprint: Option<u64>) {
        self.0.borrow_mut().state = fingerprint;
    }
}

/// What state caching did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cache {
    /// Distinct states met at choice points.
    pub visited: u64,
    /// Choice points whose state had been met before (their subtree skipped).
    pub pruned: u64,
    /// Choice points without a fingerprint (some actor has none): never pruned.
    pub unfingerprinted: u64,
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
/// Ignores `limits.max_delays` (refused: caching is not sound with it).
pub fn explore_cached(scenario: &mut impl Scenario, limits: Limits) -> (Summary, Cache) {
    assert!(limits.max_delays.is_none(), "state caching does not go with a delay bound");
    search(scenario, limits, true)
}

fn search(scenario: &mut impl Scenario, limits: Limits, cached: bool) -> (Summary, Cache) {
    let path = Rc::new(RefCell::new(Path { seen: cached.then(BTreeSet::new), ..Path::default() }));
    let mut executions = 0;
    loop {
        if executions >= limits.max_executions {
            return (Summary { executions, exhausted: false, sleep_blocked: 0 }, path.borrow().cache);
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
            Some(prefix) => p.prefix = prefix,
            None => return (Summary { executions, exhausted: true, sleep_blocked: 0 }, p.cache),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_advance_at_the_deepest_open_point() {
        assert_eq!(next_prefix(&[(0, 2), (0, 3)], None), Some(vec![0, 1]));
        assert_eq!(next_prefix(&[(0, 2), (2, 3)], None), Some(vec![1]));
        assert_eq!(next_prefix(&[(1, 2), (2, 3)], None), None);
    }

    #[test]
    fn a_delay_bound_skips_schedules_with_more_delays() {
        assert_eq!(next_prefix(&[(1, 2), (0, 3)], Some(1)), None);
        assert_eq!(next_prefix(&[(0, 2), (0, 3)], Some(1)), Some(vec![0, 1]));
    }
}
