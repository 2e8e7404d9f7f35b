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

use super::{Limits, Scenario, Summary};
use crate::sched::{Event, Scheduler};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
struct Path {
    prefix: Vec<u32>,
    /// (chosen index, enabled count) per choice point of the current run.
    taken: Vec<(u32, u32)>,
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
        path.taken.push((choice, enabled.len() as u32));
        choice as usize
    }
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
    let path = Rc::new(RefCell::new(Path::default()));
    let mut executions = 0;
    loop {
        if executions >= limits.max_executions {
            return Summary { executions, exhausted: false, sleep_blocked: 0 };
        }
        path.borrow_mut().taken.clear();
        scenario.run(Box::new(DfsScheduler(path.clone())));
        executions += 1;
        let mut p = path.borrow_mut();
        match next_prefix(&p.taken, limits.max_delays) {
            Some(prefix) => p.prefix = prefix,
            None => return Summary { executions, exhausted: true, sleep_blocked: 0 },
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
