//! `kvsim stress`: the seed's race scenario on real OS threads, many times,
//! counting how often the race shows. The honest companion of the
//! deterministic executor's executions-to-failure: the same bug, left to
//! the OS scheduler instead of a model checker.

use crate::output::outln;
use model::Variant;
use properties::kv::loom_models::{run_once, LoomScenario};
use sim::rt::{Platform, StdPlatform};
use std::process::ExitCode;
use std::time::Instant;

/// Runs `scenario` on `variant` `runs` times on OS threads and prints the tally.
pub fn run(variant: Variant, scenario: LoomScenario, runs: u64) -> ExitCode {
    let start = Instant::now();
    let (mut races, mut failures) = (0u64, 0u64);
    let mut first = None;
    for _ in 0..runs {
        let outcome = run_once::<StdPlatform>(variant, scenario);
        if let Some(message) = outcome.dead_lookup {
            races += 1;
            first.get_or_insert(message);
        }
        failures += u64::from(outcome.failure.is_some());
    }
    let wall = start.elapsed().as_secs_f64();
    let rate = if runs == 0 { 0.0 } else { races as f64 / runs as f64 };
    outln!("stress {variant} {} on {}", scenario.name(), StdPlatform::NAME);
    outln!("runs: {runs}");
    outln!("races seen (no-dead-lookup violated): {races} ({:.3}% of runs{})", rate * 100.0, one_in(runs, races));
    outln!("seed test failures: {failures}");
    outln!("wall: {wall:.1} s ({:.0} runs/s)", runs as f64 / wall.max(1e-9));
    if let Some(message) = first {
        outln!("first race: {message}");
    }
    ExitCode::SUCCESS
}

fn one_in(runs: u64, races: u64) -> String {
    if races == 0 {
        String::new()
    } else {
        format!(", 1 in {:.0}", runs as f64 / races as f64)
    }
}
