//! The seed's registry on the thread runtime, model-checked by loom inside a
//! plain `cargo test` (no `RUSTFLAGS`, no `cfg(loom)`): loom finds the
//! dead-bucket lookup of `linked` and `monitored`, and finds none for `fixed`
//! in any interleaving it explores. `cargo test loom_ -- --nocapture` prints
//! executions explored and wall time per model.

use model::Variant;
use properties::kv::loom_models::{explore, run_once, LoomReport, LoomScenario};
use properties::kv::SeedTest;
use sim::rt::StdPlatform;

fn report(variant: Variant, scenario: LoomScenario) -> LoomReport {
    let report = explore(variant, scenario);
    println!("{report}");
    if let Some(example) = &report.example {
        println!("  first violation: {example}");
    }
    assert!(report.executions > 1, "loom explored more than one interleaving: {report}");
    report
}

fn assert_finds_the_race(report: &LoomReport) {
    assert!(report.violations >= 1, "loom found no dead-bucket lookup: {report}");
    assert!(report.violations < report.executions, "some interleavings deliver the DOWN first: {report}");
}

fn assert_clean(report: &LoomReport) {
    assert_eq!(report.violations, 0, "{report}: {:?}", report.example);
    assert_eq!(report.seed_failures, 0, "{report}");
}

#[test]
fn loom_linked_removes_on_exit_finds_the_dead_lookup() {
    assert_finds_the_race(&report(Variant::Linked, LoomScenario::RemovesOnExit));
}

#[test]
fn loom_monitored_removes_on_exit_finds_the_dead_lookup() {
    assert_finds_the_race(&report(Variant::Monitored, LoomScenario::RemovesOnExit));
}

#[test]
fn loom_fixed_removes_on_exit_never_looks_up_a_dead_bucket() {
    assert_clean(&report(Variant::Fixed, LoomScenario::RemovesOnExit));
}

#[test]
fn loom_fixed_two_clients_never_look_up_a_dead_bucket() {
    assert_clean(&report(Variant::Fixed, LoomScenario::TwoClients));
}

/// The same scenarios once each on OS threads: they end, and `fixed` passes.
#[test]
fn seed_tests_run_on_os_threads() {
    for variant in Variant::ALL {
        for test in SeedTest::ALL {
            let outcome = properties::kv::loom_models::run_seed_test::<StdPlatform>(variant, test);
            assert!(outcome.history.processes.iter().all(|p| p.exited_at.is_some()), "{variant} {test:?}: all ended");
            if variant == Variant::Fixed {
                assert_eq!(outcome.failure, None, "fixed {test:?}");
                assert_eq!(outcome.dead_lookup, None, "fixed {test:?}");
            }
        }
    }
    for scenario in LoomScenario::ALL {
        let outcome = run_once::<StdPlatform>(Variant::Fixed, scenario);
        assert_eq!(outcome.dead_lookup, None);
        assert_eq!(outcome.history.calls.len(), if scenario == LoomScenario::TwoClients { 3 } else { 2 });
    }
}
