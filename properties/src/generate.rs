//! Drawing run `r`'s workload and schedule seed from a search's seed.
//!
//! Run `r` of a search from `seed` is a pure function of (seed, r): its
//! workload comes from a ChaCha stream seeded with both (the RNG proptest
//! would use, so a subject may mirror a proptest strategy draw for draw),
//! and its schedule seed from a SplitMix64 of the pair.

use crate::subject::Subject;
use crate::workload::Workload;
use proptest::test_runner::{RngAlgorithm, TestRng};
use sim::Delivery;

/// The workload that run `run` of an exploration from `seed` draws.
pub fn workload_for<S: Subject>(subject: &S, seed: u64, run: u64, mode: Delivery) -> Workload<S::Op> {
    subject.workload(&mut run_rng(seed, run), mode)
}

/// The RNG of run `run` of an exploration from `seed`.
pub fn run_rng(seed: u64, run: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&run.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The schedule seed of run `run` of an exploration from `seed`.
pub fn schedule_seed(seed: u64, run: u64) -> u64 {
    // SplitMix64 of the pair: distinct runs get unrelated streams.
    let mut z = seed ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `0..n`, drawn uniformly (for a subject's `draw_op`).
///
/// # Panics
///
/// If `n` is 0.
pub fn pick(rng: &mut TestRng, n: usize) -> usize {
    use rand::distr::{Distribution, Uniform};
    Uniform::<usize>::new(0, n).expect("a non-empty range").sample(rng)
}
