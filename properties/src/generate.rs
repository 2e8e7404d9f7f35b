//! proptest strategies for workloads, and drawing one workload from a seed.
//!
//! Operations are weighted toward the ones that make races (create, lookup,
//! stop) and drawn over two names, so that clients collide.

use crate::workload::{Op, Workload, MAX_CLIENTS, MAX_OPS, NAMES};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rand::distr::{Distribution, Uniform};
use sim::Delivery;

/// Names workloads use (two, so that operations collide).
const USED_NAMES: usize = 2;

pub fn op_strategy() -> impl Strategy<Value = Op> {
    let name = prop::sample::select(&NAMES[..USED_NAMES]).prop_map(str::to_string);
    prop_oneof![
        3 => name.clone().prop_map(Op::Create),
        2 => name.clone().prop_map(Op::Lookup),
        2 => name.clone().prop_map(Op::Stop),
        1 => name.clone().prop_map(Op::Crash),
        1 => (name.clone(), 0..10i64).prop_map(|(n, v)| Op::Put(n, v)),
        1 => name.prop_map(Op::Get),
    ]
}

/// Workloads of 1..=3 clients, each with 1..=`MAX_OPS` operations.
pub fn workload_strategy(mode: Delivery) -> impl Strategy<Value = Workload<Op>> {
    prop::collection::vec(prop::collection::vec(op_strategy(), 1..=MAX_OPS), 1..=MAX_CLIENTS)
        .prop_map(move |clients| Workload::new(mode, clients))
}

/// The workload that run `run` of an exploration from `seed` draws: a pure
/// function of (seed, run, mode).
///
/// It draws straight from the run's ChaCha stream, without building a
/// proptest runner or value tree, but makes exactly the draws that
/// [`workload_strategy`] makes on a runner seeded the same way, so it returns
/// the same workload (`draws_what_the_strategy_draws` checks this).
pub fn workload_for(seed: u64, run: u64, mode: Delivery) -> Workload<Op> {
    draw_workload(&mut run_rng(seed, run), mode)
}

/// The proptest RNG of run `run` of an exploration from `seed`.
fn run_rng(seed: u64, run: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&run.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The workload [`workload_strategy`] generates on a runner with this RNG,
/// through proptest itself (the reference [`draw_workload`] must match).
pub fn workload_via_proptest(rng: TestRng, mode: Delivery) -> Workload<Op> {
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    workload_strategy(mode).new_tree(&mut runner).expect("the workload strategy never rejects").current()
}

/// [`op_strategy`]'s weights, in its order.
const OP_WEIGHTS: [u64; 6] = [3, 2, 2, 1, 1, 1];
const OP_WEIGHT_SUM: u64 = 10;

/// [`workload_strategy`]'s draws, made directly. Mirrors proptest 1.x:
/// `collection::vec` draws its length with `Uniform::<usize>::new_inclusive`;
/// `prop_oneof!` draws `Uniform::<u64>::new(0, sum)` and then, for each
/// option before the one picked, seeds a lazy runner (32 random bytes);
/// `sample::select` over a `usize` range draws `Uniform::<u64>::new`; and
/// `0..10i64` draws `Uniform::<i64>::new`.
fn draw_workload(rng: &mut TestRng, mode: Delivery) -> Workload<Op> {
    let clients = uniform_len(rng, MAX_CLIENTS);
    let clients = (0..clients)
        .map(|_| {
            let ops = uniform_len(rng, MAX_OPS);
            (0..ops).map(|_| draw_op(rng)).collect()
        })
        .collect();
    Workload::new(mode, clients)
}

/// A length in `1..=max`, as `collection::vec` draws it.
fn uniform_len(rng: &mut TestRng, max: usize) -> usize {
    Uniform::<usize>::new_inclusive(1, max).expect("a non-empty range").sample(rng)
}

fn draw_op(rng: &mut TestRng) -> Op {
    debug_assert_eq!(OP_WEIGHTS.iter().sum::<u64>(), OP_WEIGHT_SUM);
    let weighted = Uniform::<u64>::new(0, OP_WEIGHT_SUM).expect("a non-empty range").sample(rng);
    let mut cumulative = 0;
    let pick = OP_WEIGHTS
        .iter()
        .filter(|&&w| {
            cumulative += w;
            cumulative <= weighted
        })
        .count();
    for _ in 0..pick {
        // The lazy runner proptest seeds for each option before the pick.
        let _: [u8; 32] = rng.random();
    }
    let name = draw_name(rng);
    match pick {
        0 => Op::Create(name),
        1 => Op::Lookup(name),
        2 => Op::Stop(name),
        3 => Op::Crash(name),
        4 => Op::Put(name, Uniform::<i64>::new(0, 10).expect("a non-empty range").sample(rng)),
        _ => Op::Get(name),
    }
}

fn draw_name(rng: &mut TestRng) -> String {
    let index = Uniform::<u64>::new(0, USED_NAMES as u64).expect("a non-empty range").sample(rng);
    NAMES[index as usize].to_string()
}

/// The schedule seed of run `run` of an exploration from `seed`.
pub fn schedule_seed(seed: u64, run: u64) -> u64 {
    // SplitMix64 of the pair: distinct runs get unrelated streams.
    let mut z = seed ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct generator and proptest's strategy make the same workload
    /// for every run, so the search's workloads are proptest's.
    #[test]
    fn draws_what_the_strategy_draws() {
        let mut kinds = [0usize; 6];
        for seed in [0u64, 1, 7, 0xdead_beef, u64::MAX] {
            for run in 0..2_000u64 {
                for mode in [Delivery::Spec, Delivery::Instant] {
                    let direct = workload_for(seed, run, mode);
                    assert_eq!(direct, workload_via_proptest(run_rng(seed, run), mode), "seed {seed} run {run}");
                    for op in direct.clients.iter().flatten() {
                        let kind = match op {
                            Op::Create(_) => 0,
                            Op::Lookup(_) => 1,
                            Op::Stop(_) => 2,
                            Op::Crash(_) => 3,
                            Op::Put(..) => 4,
                            Op::Get(_) => 5,
                        };
                        kinds[kind] += 1;
                    }
                }
            }
        }
        assert!(kinds.iter().all(|&k| k > 0), "every kind of operation is drawn: {kinds:?}");
    }
}
