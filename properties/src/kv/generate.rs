//! The KV registry's proptest strategies, and the same draws made directly.
//!
//! Operations are weighted toward the ones that make races (create, lookup,
//! stop) and drawn over two names, so that clients collide.

use super::op::{Name, Op, KEYS, NAMES};
use crate::workload::{Workload, MAX_CLIENTS, MAX_OPS};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use rand::distr::{Distribution, Uniform};
use sim::Delivery;

/// Names workloads use (two, so that operations collide).
const USED_NAMES: usize = 2;

pub fn op_strategy() -> impl Strategy<Value = Op> {
    let name = prop::sample::select(&NAMES[..USED_NAMES]).prop_map(Name::from_static);
    prop_oneof![
        3 => name.clone().prop_map(Op::Create),
        2 => name.clone().prop_map(Op::Lookup),
        2 => name.clone().prop_map(Op::Stop),
        1 => name.clone().prop_map(Op::Crash),
        1 => (name.clone(), key_strategy(), 0..10i64).prop_map(|(n, k, v)| Op::Put(n, k, v)),
        1 => (name, key_strategy()).prop_map(|(n, k)| Op::Get(n, k)),
    ]
}

fn key_strategy() -> impl Strategy<Value = &'static str> + Clone {
    prop::sample::select(&KEYS[..])
}

/// Workloads of 1..=3 clients, each with 1..=`MAX_OPS` operations.
pub fn workload_strategy(mode: Delivery) -> impl Strategy<Value = Workload<Op>> {
    prop::collection::vec(prop::collection::vec(op_strategy(), 1..=MAX_OPS), 1..=MAX_CLIENTS)
        .prop_map(move |clients| Workload::new(mode, clients))
}

/// The workload [`workload_strategy`] generates on a runner with this RNG,
/// through proptest itself (the reference [`draw_workload`] must match).
pub fn workload_via_proptest(rng: TestRng, mode: Delivery) -> Workload<Op> {
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    workload_strategy(mode).new_tree(&mut runner).expect("the workload strategy never rejects").current()
}

/// [`op_strategy`]'s kinds of operation and their weights, in its order.
pub const OP_KINDS: [(&str, u64); 6] =
    [("create", 3), ("lookup", 2), ("stop", 2), ("crash", 1), ("put", 1), ("get", 1)];
const OP_WEIGHTS: [u64; 6] = [3, 2, 2, 1, 1, 1];
const OP_WEIGHT_SUM: u64 = 10;

/// [`op_strategy`]'s draws, made directly (the subject's `draw_op`; the
/// generic workload draws mirror `collection::vec`). Mirrors proptest 1.x:
/// `prop_oneof!` draws `Uniform::<u64>::new(0, sum)` and then, for each
/// option before the one picked, seeds a lazy runner (32 random bytes);
/// `sample::select` over a `usize` range draws `Uniform::<u64>::new`; and
/// `0..10i64` draws `Uniform::<i64>::new`.
pub fn draw_op(rng: &mut TestRng) -> Op {
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
    op_of_kind(rng, pick)
}

/// An operation of kind `weights` picks (one weight per [`OP_KINDS`]):
/// other weights than the strategy's, or swarm testing's. Not a mirror of
/// proptest's draws (those are [`draw_op`]'s).
pub fn draw_op_weighted(rng: &mut TestRng, weights: &[u64]) -> Op {
    let kind = crate::generate::pick_weighted(rng, weights);
    op_of_kind(rng, kind)
}

/// An operation of kind `kind` ([`OP_KINDS`] order), its name, key and value drawn.
fn op_of_kind(rng: &mut TestRng, kind: usize) -> Op {
    let name = draw_name(rng);
    match kind {
        0 => Op::Create(name),
        1 => Op::Lookup(name),
        2 => Op::Stop(name),
        3 => Op::Crash(name),
        4 => {
            let key = draw_key(rng);
            Op::Put(name, key, Uniform::<i64>::new(0, 10).expect("a non-empty range").sample(rng))
        }
        _ => Op::Get(name, draw_key(rng)),
    }
}

fn draw_key(rng: &mut TestRng) -> &'static str {
    KEYS[Uniform::<u64>::new(0, KEYS.len() as u64).expect("a non-empty range").sample(rng) as usize]
}

fn draw_name(rng: &mut TestRng) -> Name {
    let index = Uniform::<u64>::new(0, USED_NAMES as u64).expect("a non-empty range").sample(rng);
    Name::from_static(NAMES[index as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{run_rng, workload_for};
    use crate::kv::Kv;
    use model::Variant;

    /// The direct generator and proptest's strategy make the same workload
    /// for every run, so the search's workloads are proptest's.
    #[test]
    fn draws_what_the_strategy_draws() {
        let mut kinds = [0usize; 6];
        for seed in [0u64, 1, 7, 0xdead_beef, u64::MAX] {
            for run in 0..2_000u64 {
                for mode in [Delivery::Spec, Delivery::Instant] {
                    let direct = workload_for(&Kv(Variant::Fixed), seed, run, mode);
                    assert_eq!(direct, workload_via_proptest(run_rng(seed, run), mode), "seed {seed} run {run}");
                    for op in direct.clients.iter().flatten() {
                        let kind = match op {
                            Op::Create(_) => 0,
                            Op::Lookup(_) => 1,
                            Op::Stop(_) => 2,
                            Op::Crash(_) => 3,
                            Op::Put(..) => 4,
                            Op::Get(..) => 5,
                        };
                        kinds[kind] += 1;
                    }
                }
            }
        }
        assert!(kinds.iter().all(|&k| k > 0), "every kind of operation is drawn: {kinds:?}");
    }

    /// Swarm runs leave kinds out (some run has no create, some no lookup),
    /// still draw every kind somewhere, and repeat for the same (seed, run);
    /// weights of 0 leave a kind out of every run.
    #[test]
    fn swarm_runs_leave_out_kinds_and_weights_of_zero_never_draw_them() {
        use crate::generate::{workload_with, Generation};
        let kind = |op: &Op| match op {
            Op::Create(_) => 0,
            Op::Lookup(_) => 1,
            Op::Stop(_) => 2,
            Op::Crash(_) => 3,
            Op::Put(..) => 4,
            Op::Get(..) => 5,
        };
        let subject = Kv(Variant::Fixed);
        let swarm = Generation { weights: None, swarm: true };
        let (mut seen, mut runs_without) = ([0usize; 6], [0usize; 6]);
        for run in 0..2_000 {
            let w = workload_with(&subject, &swarm, 3, run, Delivery::Spec);
            assert_eq!(w, workload_with(&subject, &swarm, 3, run, Delivery::Spec), "run {run} repeats");
            let kinds: Vec<usize> = w.clients.iter().flatten().map(kind).collect();
            for k in 0..6 {
                seen[k] += kinds.iter().filter(|&&x| x == k).count();
                runs_without[k] += usize::from(!kinds.contains(&k));
            }
        }
        assert!(seen.iter().all(|&n| n > 0), "every kind is drawn somewhere: {seen:?}");
        assert!(
            runs_without[0] > 500 && runs_without[1] > 500,
            "swarm leaves create and lookup out of many runs: {runs_without:?}"
        );
        let no_crash = Generation { weights: Some(vec![3, 2, 2, 0, 1, 1]), swarm: false };
        for run in 0..500 {
            let w = workload_with(&subject, &no_crash, 3, run, Delivery::Spec);
            assert!(w.clients.iter().flatten().all(|op| kind(op) != 3), "run {run}: {w}");
        }
    }
}
