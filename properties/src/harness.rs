//! The `cargo test` bridge: one proptest case = one generated workload under
//! one random schedule, judged by every property of the subject.
//!
//! proptest generates and kvsim shrinks: [`runs`] draws a workload from
//! proptest's RNG with the subject's own generator and offers proptest no
//! simpler values, so a failing case is shrunk once, by kvsim (schedule and
//! workload), and fails with that counterexample, its trace and the replay
//! line; the panic message proptest prints is enough to reproduce it. proptest's own
//! environment variables (`PROPTEST_CASES`, ...) apply as usual; failures
//! persist where [`persisted_config`] says (proptest's default cannot place
//! them for a test under `tests/`, which has no `lib.rs` beside it: it
//! would write `tests/<file>.proptest-regressions` instead).

use crate::check::shrink_smallest;
use crate::property::Property;
use crate::report::render_found;
use crate::shrink::Counterexample;
use crate::subject::Subject;
use crate::workload::Workload;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestRng};
use sim::sched::RandomScheduler;
use sim::trace::TraceLevel;
use sim::Delivery;

/// proptest's default config (its environment variables included), with
/// each failing case's seed saved to `file`, and the saved seeds run first
/// the next time. Pass an absolute path, such as
/// `concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/<test file>.txt")`.
pub fn persisted_config(file: &'static str) -> Config {
    Config { failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))), ..Config::default() }
}

/// Runs of `subject` under `mode`: a workload drawn by the subject's own
/// generator ([`Subject::workload`]) and a schedule seed, both from seeds
/// proptest picks, with no shrinking of their own (kvsim shrinks).
pub fn runs<S: Subject>(subject: S, mode: Delivery) -> impl Strategy<Value = (Workload<S::Op>, u64)> {
    (any::<[u8; 32]>(), any::<u64>()).no_shrink().prop_map(move |(workload_seed, schedule_seed)| {
        let workload = subject.workload(&mut TestRng::from_seed(RngAlgorithm::ChaCha, &workload_seed), mode);
        (workload, schedule_seed)
    })
}

/// Runs `workload` on `subject` under the schedule drawn from `seed`; fails
/// the proptest case with a shrunk, replayable counterexample if any
/// property breaks (shrunk for each property the run breaks, the smallest
/// reported).
pub fn all_properties_hold<S: Subject>(
    subject: &S,
    workload: &Workload<S::Op>,
    seed: u64,
) -> Result<(), TestCaseError> {
    let run = subject.execute(workload, Box::new(RandomScheduler::new(seed)), TraceLevel::Off);
    let properties = subject.properties();
    let broken: Vec<&Property<S::History>> = properties.iter().filter(|p| p.check(&run.history).is_some()).collect();
    if broken.is_empty() {
        return Ok(());
    }
    let original = Counterexample { workload: workload.clone(), choices: run.choices };
    let found = shrink_smallest(subject, &broken, original, 1);
    Err(TestCaseError::fail(format!("{}:\n{}", subject.name(), render_found(&found))))
}
