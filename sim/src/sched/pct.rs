//! PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
//! Nagarakatte, ASPLOS 2010), over processes.
//!
//! The algorithm: give each thread a distinct random priority; pick d-1
//! change points uniformly among the first k scheduling steps; always run the
//! enabled thread of highest priority; at the i-th change point, drop the
//! running thread's priority to i, below every initial one. A bug of depth d
//! (d ordering constraints) is then hit with probability at least
//! 1/(n·k^(d-1)) per run, for n threads and k steps.
//!
//! Here a thread is a process: a `Handle{P}` and every `Deliver{to: P}` belong
//! to P, the driver's turns to the driver. Initial priorities are drawn when
//! a process is first seen (a uniformly random order among the processes,
//! which is what a random permutation gives). Among the events of one process
//! (deliveries from several senders) the sender's priority decides, so
//! message order across senders is steered by the same priorities. A step is
//! a scheduling point with two or more enabled events (the only ones the
//! executor asks about); `k` is the caller's bound on their number per run.
//! Everything is drawn from ChaCha8 seeded by a u64: no clock, no hashing.

use super::{Event, Scheduler};
use crate::Pid;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Initial priorities are drawn above this; change points set priorities below it.
const INITIAL_FLOOR: u64 = 1 << 32;

/// Highest-priority process first, priorities changed at d-1 random points.
pub struct PctScheduler {
    rng: ChaCha8Rng,
    priorities: BTreeMap<Pid, u64>,
    /// (scheduling point, priority it gives), one per change point.
    change_points: Vec<(u64, u64)>,
    /// Scheduling points so far (1-based once the first has passed).
    points: u64,
}

impl PctScheduler {
    /// `depth` is the bug depth d (at least 1); `k` bounds the scheduling
    /// points of one run (at least 1).
    pub fn new(seed: u64, depth: u32, k: u64) -> Self {
        assert!(depth >= 1 && k >= 1, "PCT needs depth >= 1 and k >= 1");
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let change_points = (1..depth).map(|i| (rng.gen_range(1..=k), u64::from(depth - i))).collect();
        PctScheduler { rng, priorities: BTreeMap::new(), change_points, points: 0 }
    }

    fn priority(&mut self, pid: Pid) -> u64 {
        let rng = &mut self.rng;
        *self.priorities.entry(pid).or_insert_with(|| rng.gen_range(INITIAL_FLOOR..u64::MAX))
    }

    /// The event's rank: its process's priority, then its sender's.
    fn rank(&mut self, event: Event) -> (u64, u64) {
        let source = match event {
            Event::Deliver { from, .. } => from,
            other => other.actor(),
        };
        (self.priority(event.actor()), self.priority(source))
    }

    fn best(&mut self, enabled: &[Event]) -> usize {
        let ranks: Vec<(u64, u64)> = enabled.iter().map(|&e| self.rank(e)).collect();
        (0..enabled.len()).max_by_key(|&i| ranks[i]).expect("at least two events")
    }
}

impl Scheduler for PctScheduler {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        debug_assert!(enabled.len() >= 2);
        self.points += 1;
        let mut pick = self.best(enabled);
        let lowered: Vec<u64> = self.change_points.iter().filter(|(at, _)| *at == self.points).map(|c| c.1).collect();
        for priority in lowered {
            self.priorities.insert(enabled[pick].actor(), priority);
            pick = self.best(enabled);
        }
        pick
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Event> {
        (1..=4).map(|p| Event::Handle { pid: Pid(p) }).collect()
    }

    #[test]
    fn depth_one_keeps_running_the_same_process() {
        let mut s = PctScheduler::new(7, 1, 10);
        let first = s.choose(&events());
        for _ in 0..20 {
            assert_eq!(s.choose(&events()), first);
        }
    }

    #[test]
    fn a_change_point_moves_the_choice_to_another_process() {
        let mut s = PctScheduler::new(3, 2, 5);
        let picks: Vec<usize> = (0..10).map(|_| s.choose(&events())).collect();
        let at = s.change_points[0].0 as usize;
        assert!(picks[..at - 1].iter().all(|&p| p == picks[0]), "{picks:?}");
        assert_ne!(picks[at - 1], picks[0], "{picks:?}, change point {at}");
    }

    #[test]
    fn the_same_seed_gives_the_same_choices() {
        let run = |seed| {
            let mut s = PctScheduler::new(seed, 3, 8);
            (0..8).map(|_| s.choose(&events())).collect::<Vec<_>>()
        };
        assert_eq!(run(11), run(11));
        assert!((0..20).any(|seed| run(seed) != run(11)));
    }
}
