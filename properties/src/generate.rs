//! proptest strategies for workloads, and drawing one workload from a seed.
//!
//! Operations are weighted toward the ones that make races (create, lookup,
//! stop) and drawn over two names, so that clients collide.

use crate::workload::{Op, Workload, MAX_CLIENTS, MAX_OPS, NAMES};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
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
pub fn workload_for(seed: u64, run: u64, mode: Delivery) -> Workload<Op> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&run.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    workload_strategy(mode).new_tree(&mut runner).expect("the workload strategy never rejects").current()
}

/// The schedule seed of run `run` of an exploration from `seed`.
pub fn schedule_seed(seed: u64, run: u64) -> u64 {
    // SplitMix64 of the pair: distinct runs get unrelated streams.
    let mut z = seed ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
