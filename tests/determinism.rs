//! Determinism: the same seed gives the same trace, byte for byte, and a
//! replay of a run's recorded choices gives that run's trace again.

use model::Variant;
use properties::kv::{Scenario, SeedTest};
use sim::sched::RandomScheduler;
use sim::trace::TraceLevel;
use sim::Delivery;

fn scenario_for(seed: u64) -> Scenario {
    let variant = Variant::ALL[(seed % 4) as usize];
    let mode = Delivery::ALL[((seed / 4) % 2) as usize];
    let test = SeedTest::ALL[((seed / 8) % 4) as usize];
    Scenario { variant, mode, test }
}

fn traced_hash(scenario: Scenario, seed: u64) -> (u64, Vec<u32>) {
    let report = scenario.run(Box::new(RandomScheduler::new(seed)), TraceLevel::Full);
    (report.trace.expect("traced").hash(), report.choices)
}

#[test]
fn same_seed_same_trace_for_1000_seeds() {
    let mut distinct = std::collections::BTreeSet::new();
    for seed in 0..1_000 {
        let scenario = scenario_for(seed);
        let first = traced_hash(scenario, seed);
        let second = traced_hash(scenario, seed);
        assert_eq!(first, second, "seed {seed} on {scenario:?} ran two ways");
        distinct.insert(first.0);
    }
    assert!(distinct.len() > 32, "only {} distinct traces: the seeds are not steering the runs", distinct.len());
}

#[test]
fn replaying_choices_gives_the_same_trace() {
    for seed in 0..1_000 {
        let scenario = scenario_for(seed);
        let (hash, choices) = traced_hash(scenario, seed);
        let replay = scenario.replay(&choices);
        assert_eq!(replay.trace.expect("traced").hash(), hash, "seed {seed} on {scenario:?}");
    }
}

#[test]
fn tracing_does_not_change_the_run() {
    for seed in 0..300 {
        let scenario = scenario_for(seed);
        let quiet = scenario.run_seed(seed);
        let traced = scenario.run(Box::new(RandomScheduler::new(seed)), TraceLevel::Full);
        assert_eq!(
            (quiet.choices, quiet.steps, quiet.outcome),
            (traced.choices, traced.steps, traced.outcome),
            "seed {seed}"
        );
    }
}

/// A `Sim` reuses the tables the thread's previous run left (`Sim::new`
/// takes the recycled kernel): a run after many others, of every variant,
/// mode and seed test, must give the trace the same run gives as the first
/// run of a fresh thread, where nothing is reused.
#[test]
fn a_run_on_reused_tables_matches_a_run_on_a_fresh_thread() {
    for seed in 0..200 {
        let scenario = scenario_for(seed);
        // Leave this thread's spare tables dirty with a different run first.
        let _ = traced_hash(scenario_for(seed + 7), seed + 7);
        let reused = traced_hash(scenario, seed);
        let fresh = std::thread::spawn(move || traced_hash(scenario, seed)).join().expect("the fresh thread's run");
        assert_eq!(reused, fresh, "seed {seed} on {scenario:?}: reused tables changed the run");
    }
}
