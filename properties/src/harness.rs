//! The `cargo test` bridge: one proptest case = one generated workload under
//! one random schedule, judged by every property.
//!
//! On a violation the case fails with the counterexample already shrunk by
//! kvsim (schedule and workload), its trace, and the replay line, so the
//! panic message proptest prints is enough to reproduce it. proptest's own
//! environment variables (`PROPTEST_CASES`, ...) apply as usual; failures
//! persist where [`persisted_config`] says (proptest's default cannot place
//! them for a test under `tests/`, which has no `lib.rs` beside it: it
//! would write `tests/<file>.proptest-regressions` instead).

use crate::check::shrink_found;
use crate::property::Property;
use crate::report::render_found;
use crate::run::{Kv, Subject};
use crate::shrink::Counterexample;
use crate::workload::{Op, Workload};
use model::Variant;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError};
use sim::sched::RandomScheduler;
use sim::trace::TraceLevel;

/// proptest's default config (its environment variables included), with
/// each failing case's seed saved to `file`, and the saved seeds run first
/// the next time. Pass an absolute path, such as
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/<test file>.txt")`.
pub fn persisted_config(file: &'static str) -> Config {
    Config { failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))), ..Config::default() }
}

/// Runs `workload` on `variant` under the schedule drawn from `seed`; fails
/// the proptest case with a shrunk, replayable counterexample if any property breaks.
pub fn all_properties_hold(variant: Variant, workload: &Workload<Op>, seed: u64) -> Result<(), TestCaseError> {
    let subject = Kv(variant);
    let run = subject.execute(workload, Box::new(RandomScheduler::new(seed)), TraceLevel::Off);
    let Some(violation) = crate::check::first_violation(&Property::ALL, &run.history) else { return Ok(()) };
    let original = Counterexample { workload: workload.clone(), choices: run.choices };
    let found = shrink_found(variant, violation, original, 1);
    Err(TestCaseError::fail(format!(
        "{variant}:
{}",
        render_found(&found)
    )))
}
