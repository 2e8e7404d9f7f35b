//! The seed's tests on every registry variant, in both delivery modes, over
//! 1,000 seeds each, judged against DESIGN.md's variant table: a variant
//! predicted to fail must fail on some seed, and replaying that seed's
//! recorded choices must fail the same way; one predicted to pass must pass
//! on every seed.

use model::Variant;
use properties::{expected_to_fail, Scenario, SeedTest};
use sim::Delivery;

const SEEDS: u64 = 1_000;

fn check(test: SeedTest) {
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            let scenario = Scenario { variant, mode, test };
            let found = scenario.explore(0..SEEDS);
            let label = format!("{} / {} / {}", variant.name(), mode.name(), test.name());
            if expected_to_fail(variant, mode, test) {
                let first = found
                    .first_failure
                    .unwrap_or_else(|| panic!("{label}: predicted to fail, passed on all {SEEDS} seeds"));
                let replayed = scenario.replay(&first.choices);
                assert_eq!(
                    replayed.outcome,
                    Err(first.failure.clone()),
                    "{label}: seed {} did not replay to the same failure",
                    first.seed
                );
                assert_eq!(replayed.choices, first.choices, "{label}: the replay made other choices");
            } else if let Some(first) = found.first_failure {
                let trace = scenario.replay(&first.choices).trace.expect("replays are traced");
                panic!("{label}: predicted to pass, failed on seed {}: {}\n{trace}", first.seed, first.failure);
            }
        }
    }
}

#[test]
fn spawns_buckets() {
    check(SeedTest::SpawnsBuckets);
}

#[test]
fn removes_buckets_on_exit() {
    check(SeedTest::RemovesOnExit);
}

#[test]
fn removes_buckets_on_crash() {
    check(SeedTest::RemovesOnCrash);
}

#[test]
fn crashing_bucket_does_not_take_the_registry_down() {
    check(SeedTest::CrashKeepsRegistry);
}

/// The issue's headline: `linked` and `monitored` lose "removes buckets on
/// exit" only under `spec` delivery, and only on some schedules.
#[test]
fn dead_lookup_race_needs_spec_delivery() {
    for variant in [Variant::Linked, Variant::Monitored] {
        let spec = Scenario { variant, mode: Delivery::Spec, test: SeedTest::RemovesOnExit }.explore(0..SEEDS);
        let instant = Scenario { variant, mode: Delivery::Instant, test: SeedTest::RemovesOnExit }.explore(0..SEEDS);
        assert!(
            spec.failed_runs > 0 && spec.failed_runs < SEEDS,
            "{variant}: spec failed {} of {SEEDS}",
            spec.failed_runs
        );
        assert_eq!(instant.failed_runs, 0, "{variant}: instant delivery must hide the race");
    }
}
