//! Property tests in the ordinary proptest style: generated workloads and
//! schedule seeds, every property checked. `PROPTEST_CASES` and the other
//! proptest variables apply; failures persist to `proptest-regressions/`.

use model::Variant;
use properties::generate::workload_strategy;
use properties::harness::all_properties_hold;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};
use sim::Delivery;

proptest! {
    #[test]
    fn fixed_registry_holds_every_property_spec(workload in workload_strategy(Delivery::Spec), seed in any::<u64>()) {
        all_properties_hold(Variant::Fixed, &workload, seed)?;
    }

    #[test]
    fn fixed_registry_holds_every_property_instant(workload in workload_strategy(Delivery::Instant), seed in any::<u64>()) {
        all_properties_hold(Variant::Fixed, &workload, seed)?;
    }
}

/// A failing property test says what failed, shrunk, and how to replay it.
#[test]
fn a_failing_property_test_prints_the_counterexample_and_replay_line() {
    let config = Config { cases: 2_000, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    let strategy = (workload_strategy(Delivery::Spec), any::<u64>());
    let result = runner.run(&strategy, |(workload, seed)| all_properties_hold(Variant::Monitored, &workload, seed));
    match result {
        Err(TestError::Fail(message, _)) => {
            let message = message.to_string();
            assert!(message.contains("replay: cargo run --release -- replay kv2:"), "{message}");
            assert!(message.contains("violation of"), "{message}");
        }
        other => panic!("monitored under spec delivery should fail a property test, got {other:?}"),
    }
}
