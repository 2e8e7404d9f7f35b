//! Uniform random choice from a ChaCha8 stream seeded by a u64.
//!
//! The same seed gives the same choices on every platform and build profile
//! (ChaCha8 is specified bit for bit; `gen_range` on u32 is portable).

use super::{Event, Scheduler};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Picks uniformly among the enabled events.
pub struct RandomScheduler {
    rng: ChaCha8Rng,
}

impl RandomScheduler {
    pub fn new(seed: u64) -> Self {
        RandomScheduler { rng: ChaCha8Rng::seed_from_u64(seed) }
    }
}

impl Scheduler for RandomScheduler {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        debug_assert!(enabled.len() >= 2);
        self.rng.gen_range(0..enabled.len() as u32) as usize
    }
}
