//! Property tests in the ordinary proptest style: generated workloads and
//! schedule seeds, every property checked. `PROPTEST_CASES` and the other
//! proptest variables apply; failures persist to
//! `proptest-regressions/proptest_properties.txt` and run first next time.

use model::Variant;
use properties::harness::{all_properties_hold, persisted_config, runs};
use properties::kv::Kv;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use sim::Delivery;
use std::cell::RefCell;

/// Where this file's failures are saved (README: "failures persist to `proptest-regressions/`").
const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/proptest_properties.txt");

proptest! {
    #![proptest_config(persisted_config(REGRESSIONS))]

    #[test]
    fn fixed_registry_holds_every_property_spec((workload, seed) in runs(Kv(Variant::Fixed), Delivery::Spec)) {
        all_properties_hold(&Kv(Variant::Fixed), &workload, seed)?;
    }

    #[test]
    fn fixed_registry_holds_every_property_instant((workload, seed) in runs(Kv(Variant::Fixed), Delivery::Instant)) {
        all_properties_hold(&Kv(Variant::Fixed), &workload, seed)?;
    }
}

/// The kernel's invariants, histories' order and shrinking's measure are
/// checked in debug builds only: the property tests must run in one.
#[test]
fn the_property_tests_run_with_the_invariant_checks_on() {
    if !cfg!(debug_assertions) {
        panic!("this test build has no debug assertions, so no invariant checks");
    }
}

/// A failing property test says what failed, shrunk, and how to replay it;
/// proptest generates and kvsim shrinks: after the first failing case
/// proptest runs no simpler one (one kvsim shrink, not one per candidate).
#[test]
fn a_failing_property_test_prints_the_counterexample_and_replay_line() {
    let config = Config { cases: 2_000, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    let (cases, failures) = (RefCell::new(0u32), RefCell::new(0u32));
    let result = runner.run(&runs(Kv(Variant::Monitored), Delivery::Spec), |(workload, seed)| {
        *cases.borrow_mut() += 1;
        let verdict = all_properties_hold(&Kv(Variant::Monitored), &workload, seed);
        *failures.borrow_mut() += u32::from(verdict.is_err());
        verdict
    });
    assert_eq!(*failures.borrow(), 1, "proptest tried {} cases and shrank a failure itself", cases.borrow());
    match result {
        Err(TestError::Fail(message, _)) => {
            let message = message.to_string();
            assert!(message.contains("replay: cargo run --release -- replay kvsim1:kv.monitored:"), "{message}");
            assert!(message.contains("violation of"), "{message}");
        }
        other => panic!("monitored under spec delivery should fail a property test, got {other:?}"),
    }
}

/// A property that fails is saved to the configured file, not beside the
/// test's source, and the next run (a fresh runner, as the next `cargo
/// test` is) tries the saved case before any new one.
#[test]
fn a_saved_failure_is_run_first_the_next_time() {
    let dir = std::env::temp_dir().join(format!("kvsim-regressions-{}", std::process::id()));
    let file: &'static str = Box::leak(dir.join("saved.txt").display().to_string().into_boxed_str());
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config { source_file: Some(file!()), ..persisted_config(file) };
    let first_failure = RefCell::new(None);
    let failing = TestRunner::new(config.clone()).run(&(0u64..1 << 40), |x| {
        if x < 1 << 30 {
            return Ok(());
        }
        first_failure.borrow_mut().get_or_insert(x);
        Err(TestCaseError::fail("too big"))
    });
    assert!(matches!(failing, Err(TestError::Fail(..))), "{failing:?}");
    let saved = std::fs::read_to_string(file).expect("the failure was saved to the configured file");
    assert_eq!(saved.lines().filter(|l| l.starts_with("cc ")).count(), 1, "{saved}");
    let seen = RefCell::new(Vec::new());
    let next = TestRunner::new(config).run(&(0u64..1 << 40), |x| {
        seen.borrow_mut().push(x);
        Ok(())
    });
    assert!(next.is_ok());
    assert_eq!(seen.borrow().first().copied(), *first_failure.borrow(), "the saved case runs first");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failures_of_this_file_persist_under_the_crates_proptest_regressions() {
    let expected = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("proptest-regressions");
    assert_eq!(std::path::Path::new(REGRESSIONS).parent(), Some(expected.as_path()));
    let config = persisted_config(REGRESSIONS);
    let persistence = format!("{:?}", config.failure_persistence);
    assert!(persistence.contains(&format!("Direct({REGRESSIONS:?})")), "{persistence}");
}
