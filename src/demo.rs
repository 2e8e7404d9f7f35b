//! `kvsim demo`: the seed's tests once each on real OS threads (the thread
//! runtime over `std`), printing each verdict and how every process ended.
//! The same actors as under the deterministic executor and loom; only the
//! platform differs. One run shows one schedule: races rarely show here
//! (`kvsim stress` counts them; loom and the executor find them).

use crate::output::outln;
use model::Variant;
use properties::kv::loom_models::run_seed_test;
use properties::kv::SeedTest;
use sim::rt::{Platform, StdPlatform};
use std::process::ExitCode;

pub fn run(variants: &[Variant]) -> ExitCode {
    outln!("the seed's tests on {}, one run each", StdPlatform::NAME);
    for &variant in variants {
        for test in SeedTest::ALL {
            let outcome = run_seed_test::<StdPlatform>(variant, test);
            let verdict = match (&outcome.failure, &outcome.dead_lookup) {
                (None, None) => "pass".to_string(),
                (Some(failure), _) => format!("FAIL: {failure}"),
                (None, Some(violation)) => format!("no-dead-lookup violated: {violation}"),
            };
            outln!("{variant:<12} {:<52} {verdict}", test.name());
            for p in &outcome.history.processes {
                let end = match (&p.reason, p.exited_at) {
                    (Some(reason), Some(at)) => format!("ended {reason:?} at t={at}"),
                    _ => "alive".to_string(),
                };
                outln!("    {:<18} {:<6} started t={:<3} {end}", p.label, p.pid.to_string(), p.spawned_at);
            }
        }
    }
    ExitCode::SUCCESS
}
