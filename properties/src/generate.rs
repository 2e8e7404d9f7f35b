//! Drawing run `r`'s workload and schedule seed from a search's seed.
//!
//! Run `r` of a search from `seed` is a pure function of (seed, r): its
//! workload comes from a ChaCha stream seeded with both (the RNG proptest
//! would use, so a subject may mirror a proptest strategy draw for draw),
//! and its schedule seed from a SplitMix64 of the pair.
//!
//! [`Generation`] changes how often each kind of operation is drawn: other
//! weights than the subject's, or swarm testing (Groce et al., "Swarm
//! Testing", ISSTA 2012): each run leaves out a random subset of the kinds,
//! so a run that needs many operations of few kinds is likelier. The subset
//! comes from a stream of its own, so run r stays a function of (seed, r).

use crate::subject::Subject;
use crate::workload::Workload;
use proptest::test_runner::{RngAlgorithm, TestRng};
use sim::Delivery;

/// The workload that run `run` of an exploration from `seed` draws.
pub fn workload_for<S: Subject>(subject: &S, seed: u64, run: u64, mode: Delivery) -> Workload<S::Op> {
    subject.workload(&mut run_rng(seed, run), mode)
}

/// How a search draws its operations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generation {
    /// Weights per kind of operation ([`Subject::op_kinds`] order); `None`:
    /// the subject's own draws.
    pub weights: Option<Vec<u64>>,
    /// Leave out a random subset of the kinds in each run.
    pub swarm: bool,
}

impl Generation {
    /// The subject's own draws: what `cargo test`, the hunt and every token use.
    pub fn is_default(&self) -> bool {
        self.weights.is_none() && !self.swarm
    }
}

/// The workload of run `run` under `generation`.
///
/// # Panics
///
/// If `generation` is not the default and the subject names no kinds, or
/// the weights are not one per kind.
pub fn workload_with<S: Subject>(
    subject: &S,
    generation: &Generation,
    seed: u64,
    run: u64,
    mode: Delivery,
) -> Workload<S::Op> {
    if generation.is_default() {
        return workload_for(subject, seed, run, mode);
    }
    let kinds = subject.op_kinds();
    assert!(!kinds.is_empty(), "{} draws its own way: weights and swarm do not apply", subject.name());
    let mut weights = generation.weights.clone().unwrap_or_else(|| kinds.iter().map(|(_, w)| *w).collect());
    assert_eq!(weights.len(), kinds.len(), "one weight per kind of operation");
    if generation.swarm {
        leave_out_some(&mut weights, &mut run_rng(seed ^ SWARM_STREAM, run));
    }
    let rng = &mut run_rng(seed, run);
    let clients = (0..crate::subject::uniform_len(rng, crate::workload::MAX_CLIENTS))
        .map(|_| {
            let ops = crate::subject::uniform_len(rng, crate::workload::MAX_OPS);
            (0..ops).map(|_| subject.draw_op_weighted(rng, &weights)).collect()
        })
        .collect();
    Workload::new(mode, clients)
}

/// Keeps each kind with probability 1/2 (at least one kind with a weight).
fn leave_out_some(weights: &mut [u64], rng: &mut TestRng) {
    use rand::distr::{Distribution, Uniform};
    let coin = Uniform::<u64>::new(0, 2).expect("a non-empty range");
    let keep: Vec<bool> = weights.iter().map(|_| coin.sample(rng) == 1).collect();
    if keep.iter().zip(weights.iter()).any(|(&k, &w)| k && w > 0) {
        for (w, k) in weights.iter_mut().zip(keep) {
            if !k {
                *w = 0;
            }
        }
    }
}

/// Mixed into the seed for the swarm's own stream.
const SWARM_STREAM: u64 = 0x5357_4152_4d00_0001;

/// The index a weighted draw picks: `Uniform(0, sum)`, then the kind whose
/// cumulative range holds it.
///
/// # Panics
///
/// If every weight is 0.
pub fn pick_weighted(rng: &mut TestRng, weights: &[u64]) -> usize {
    use rand::distr::{Distribution, Uniform};
    let sum: u64 = weights.iter().sum();
    let mut at = Uniform::<u64>::new(0, sum).expect("some weight is not 0").sample(rng);
    for (i, &w) in weights.iter().enumerate() {
        if at < w {
            return i;
        }
        at -= w;
    }
    unreachable!("at < sum")
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
