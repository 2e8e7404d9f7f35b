//! `peers`: kvsim beside its peers on the seed's race, measured in one process.
//!
//! This library is kvsim's half of the peer benchmark (`benches/peers/`) and
//! the measuring it shares with the peers' half: CPU time of the calling
//! thread, spreads over rounds, the seed test "removes buckets on exit" on
//! the `monitored` registry under `spec` delivery as the deterministic
//! executor runs it (random scheduler, tracing off, as `kvsim bench` does),
//! and DFS and DPOR on the same scenario. The peers (shuttle, loom) are
//! dev-dependencies of this crate, used only by the bench, so nothing here
//! pulls them in; the crate is not a default member of the workspace, so
//! `cargo test` at the root builds none of it.

use model::Variant;
use properties::exhaustive::Search;
use properties::kv::{explore, fixed, KvProperty as Property, Scenario, SeedTest};
use sim::explore::Limits;
use sim::Delivery;
use std::time::{Duration, Instant};

/// The scenario both sides check: the seed's "removes buckets on exit" on
/// the `monitored` registry, where a lookup can overtake the bucket's `DOWN`.
pub const SCENARIO: Scenario =
    Scenario { variant: Variant::Monitored, mode: Delivery::Spec, test: SeedTest::RemovesOnExit };

/// CPU time the whole process has used so far (`CLOCK_PROCESS_CPUTIME_ID`),
/// to check that the work measured on [`thread_cpu`] is all there is.
pub fn process_cpu() -> Duration {
    clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn clock(id: libc::clockid_t) -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec; `id` is a clock the kernel knows.
    let rc = unsafe { libc::clock_gettime(id, &mut now) };
    assert_eq!(rc, 0, "clock_gettime({id}) failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// CPU time the calling thread has used so far (`CLOCK_THREAD_CPUTIME_ID`,
/// nanosecond resolution). Every engine measured here runs its executions on
/// the calling thread: kvsim's executor, shuttle's and loom's coroutines.
pub fn thread_cpu() -> Duration {
    clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// What one side did in one round.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub executions: u64,
    /// Executions whose final lookup still found the stopped bucket.
    pub races: u64,
    /// Executions that failed any other way (expected: none).
    pub other_failures: u64,
    /// Scheduling points: kvsim's steps, or every time shuttle asked its scheduler.
    pub steps: u64,
    /// Scheduling points where two or more events or threads could go on.
    pub choices: u64,
    /// Scheduling points up to the test's verdict (shuttle's shutdown after
    /// it left out; kvsim's run ends at its verdict, so these are its steps).
    pub to_verdict: u64,
    pub cpu: Duration,
    pub wall: Duration,
}

impl Tally {
    pub fn per_cpu_second(&self) -> f64 {
        self.executions as f64 / self.cpu.as_secs_f64()
    }

    pub fn race_fraction(&self) -> f64 {
        self.races as f64 / self.executions as f64
    }
}

/// Times `f` on this thread's CPU clock and on the wall clock, filling in `cpu` and `wall`.
pub fn timed(f: impl FnOnce() -> Tally) -> Tally {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    let tally = f();
    Tally { cpu: thread_cpu() - cpu, wall: wall.elapsed(), ..tally }
}

/// Whether a seed-test failure is the race: the final `lookup` answered a
/// bucket (`ensure_eq!(registry.lookup(d, name)?, None)` in
/// `properties/src/seed_tests.rs`) instead of `None`.
pub fn is_the_race(failure: &properties::Failure) -> bool {
    failure.0.contains("lookup(d, name)?") && failure.0.contains("got Some(")
}

/// kvsim's side of one round: [`SCENARIO`] once per seed of `seeds`, each
/// on a fresh executor under `RandomScheduler::new(seed)`, tracing off
/// (`Scenario::run_seed`, as `kvsim bench`'s seed-test throughput runs it).
pub fn kvsim_round(seeds: std::ops::Range<u64>) -> Tally {
    timed(|| {
        let mut tally = Tally::default();
        for seed in seeds {
            let report = SCENARIO.run_seed(seed);
            tally.executions += 1;
            tally.steps += report.steps;
            tally.to_verdict += report.steps;
            tally.choices += report.choices.len() as u64;
            match &report.outcome {
                Ok(()) => {}
                Err(failure) if is_the_race(failure) => tally.races += 1,
                Err(_) => tally.other_failures += 1,
            }
        }
        tally
    })
}

/// One exhaustive search of the same scenario: the fixed workload
/// `removes-on-exit` (one client: create, lookup and stop, lookup), judged
/// on `no-dead-lookup`.
#[derive(Clone, Debug)]
pub struct Exhaustive {
    pub search: Search,
    pub executions: u64,
    pub sleep_blocked: u64,
    pub exhausted: bool,
    /// Executions that violated `no-dead-lookup`, counted by distinct outcome.
    pub violating_outcomes: usize,
    /// The 1-based execution that first violated it.
    pub first_violation: Option<u64>,
    pub cpu: Duration,
}

/// DFS or DPOR on the `removes-on-exit` fixed workload, `monitored`, `spec`.
pub fn exhaustive(search: Search) -> Exhaustive {
    let workload = fixed::by_name("removes-on-exit").expect("a built-in fixed workload").workload(Delivery::Spec);
    let cpu = thread_cpu();
    let report = explore(
        SCENARIO.variant,
        &workload,
        &[Property::NoDeadLookup],
        search,
        Limits::executions(Limits::DEFAULT_MAX_EXECUTIONS),
    );
    let cpu = thread_cpu() - cpu;
    Exhaustive {
        search,
        executions: report.summary.executions,
        sleep_blocked: report.summary.sleep_blocked,
        exhausted: report.summary.exhausted,
        violating_outcomes: report.violating.len(),
        first_violation: report.first.get(Property::NoDeadLookup.name()).map(|f| f.execution),
        cpu,
    }
}

/// Minimum, median and maximum of a set of figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (the median of an even count is the mean of the middle two).
    pub fn of(values: &[f64]) -> Spread {
        assert!(!values.is_empty(), "the spread of no figures");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Spread { min: sorted[0], median, max: sorted[n - 1] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_is_min_median_max() {
        assert_eq!(Spread::of(&[3.0, 1.0, 2.0]), Spread { min: 1.0, median: 2.0, max: 3.0 });
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 3.0]), Spread { min: 1.0, median: 2.5, max: 4.0 });
    }

    #[test]
    fn kvsim_finds_the_race_and_nothing_else() {
        let tally = kvsim_round(0..2_000);
        assert_eq!(tally.executions, 2_000);
        assert!(tally.races > 0, "{tally:?}");
        assert_eq!(tally.other_failures, 0, "{tally:?}");
    }

    #[test]
    fn dpor_exhausts_the_scenario_and_finds_the_race() {
        let dpor = exhaustive(Search::Dpor);
        assert!(dpor.exhausted && dpor.first_violation.is_some(), "{dpor:?}");
    }

    #[test]
    fn the_thread_clock_moves() {
        let before = thread_cpu();
        let mut x = 0u64;
        for i in 0..10_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        assert!(thread_cpu() > before, "{x}");
    }
}
