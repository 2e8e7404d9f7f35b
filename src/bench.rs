//! `kvsim bench`: the benchmark, measured in one run on one machine.
//!
//! Four parts, each a function below: executor throughput on the standard
//! generated workload (tracing off, one thread), with peak memory read at
//! checkpoints over the same run; the same on the seed tests; executions and
//! wall time to the first failure of every buggy (variant, mode, property),
//! random against PCT, over 100 seeds; executions to exhaust every built-in
//! fixed workload with plain DFS, DPOR, optimal DPOR and cached DFS, beside
//! what loom explores for the one scenario that fits its thread limit; and
//! cached DFS against DPOR on one sequential client of growing length. `--quick` shrinks every count for a smoke run;
//! BENCHMARKS.md's figures come from the full one. Nothing here is asserted:
//! it measures and prints (the `--json` object on the last line).

use crate::alloc_count::allocations;
use crate::output::outln;
use clap::Args;
use model::Variant;
use properties::exhaustive::{explore, Search};
use properties::generate::Generation;
use properties::generate::{schedule_seed, workload_for};
use properties::kv::loom_models::{self, LoomScenario};
use properties::kv::{expected_violation, fixed, Kv, KvProperty, Op, Scenario, SeedTest};
use properties::measure::{percentile, Hunt};
use properties::strategy::Schedule;
use properties::{Subject, Workload};
use serde_json::{json, Value};
use sim::explore::{ClockRule, Limits};
use sim::sched::RandomScheduler;
use sim::trace::TraceLevel;
use sim::Delivery;
use std::process::ExitCode;
use std::time::Instant;

/// Generated workloads in the throughput pool (cycled; each run gets its own schedule seed).
const POOL: u64 = 1024;

#[derive(Args)]
pub struct BenchArgs {
    /// A smaller run (fewer executions, seeds and DFS budget) for a quick look.
    #[arg(long)]
    quick: bool,
    /// Print one JSON object on the last line of stdout.
    #[arg(long)]
    json: bool,
    /// Only the linearizability checker: generated histories of 100, 1,000
    /// and 10,000 operations with 5 and 50 processes, register and kv.
    #[arg(long)]
    lincheck: bool,
}

/// The sizes of one benchmark run.
struct Sizes {
    quick: bool,
    executions: u64,
    seed_test_executions: u64,
    checkpoints: Vec<u64>,
    seeds: u64,
    max_runs: u64,
    dfs_budget: u64,
}

impl Sizes {
    fn of(quick: bool) -> Sizes {
        if quick {
            Sizes {
                quick: true,
                executions: 20_000,
                seed_test_executions: 20_000,
                checkpoints: vec![2_000, 20_000],
                seeds: 10,
                max_runs: 2_000,
                dfs_budget: 5_000,
            }
        } else {
            let checkpoints = vec![10_000, 100_000, 1_000_000];
            let seed_test_executions = 200_000;
            Sizes {
                quick: false,
                executions: 1_000_000,
                seed_test_executions,
                checkpoints,
                seeds: 100,
                max_runs: 10_000,
                dfs_budget: 500_000,
            }
        }
    }
}

pub fn run(args: BenchArgs) -> ExitCode {
    let sizes = Sizes::of(args.quick);
    let machine = machine();
    outln!("machine: {}", machine["cpu"].as_str().unwrap_or("?"));
    if args.lincheck {
        let rows = lincheck(args.quick);
        if args.json {
            outln!("{}", json!({"quick": args.quick, "machine": machine, "lincheck": rows}));
        }
        return ExitCode::SUCCESS;
    }
    let throughput = throughput(&sizes);
    let seed_tests = seed_test_throughput(sizes.seed_test_executions);
    let subjects = subject_throughput(sizes.seed_test_executions);
    let hunting = hunting(&sizes);
    let swarm = swarm(&sizes);
    let exhaustive = exhaustive(&sizes);
    let sequential = sequential_client(&sizes);
    if args.json {
        let object = json!({
            "quick": args.quick,
            "machine": machine,
            "steps_per_second": throughput["steps_per_second"],
            "executions_per_second": throughput["executions_per_second"],
            "throughput": throughput,
            "seed_test_throughput": seed_tests,
            "subjects": subjects,
            "time_to_failure": hunting,
            "swarm": swarm,
            "exhaustive": exhaustive,
            "sequential_client": sequential,
        });
        outln!("{object}");
    }
    ExitCode::SUCCESS
}

/// The linearizability checker on generated linearizable histories
/// (`lincheck::generate`, seed 1): operations checked, search steps and
/// wall time for each model x length x processes.
fn lincheck(quick: bool) -> Value {
    use crate::lincheck::{generate, models};
    use properties::linearizability::{check, Budget, Verdict};
    let lengths: &[usize] = if quick { &[100, 1_000] } else { &[100, 1_000, 10_000] };
    outln!("linearizability checker (generated linearizable histories, seed 1): model, operations, processes");
    let mut rows = Vec::new();
    for model in ["register", "kv"] {
        for &ops in lengths {
            for processes in [5, 50] {
                let start = Instant::now();
                let verdict = match model {
                    "register" => check(&models::Register, &generate::register(ops, processes, 1), Budget::default()),
                    _ => check(&models::Kv, &generate::kv(ops, processes, 1), Budget::default()),
                };
                let seconds = start.elapsed().as_secs_f64();
                let (answer, steps) = match verdict {
                    Verdict::Linearizable { steps } => ("linearizable", steps),
                    Verdict::NotLinearizable { steps, .. } => ("NOT linearizable", steps),
                    Verdict::Unknown { steps } => ("unknown (budget spent)", steps),
                };
                outln!(
                    "  {model:<8} {ops:>6} ops {processes:>2} processes: {answer}, {steps:>9} steps, {:>9.1} ms",
                    seconds * 1e3
                );
                rows.push(json!({"model": model, "operations": ops, "processes": processes, "answer": answer,
                    "steps": steps, "seconds": seconds}));
            }
        }
    }
    Value::Array(rows)
}

/// The CPU model, cores and OS, as far as the machine tells.
fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu =
        cpuinfo.lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (os, arch) = (std::env::consts::OS, std::env::consts::ARCH);
    json!({"cpu": cpu.unwrap_or("unknown"), "cores": cores, "os": os, "arch": arch, "load_average_1m": load_average()})
}

/// CPU time this thread has run, from /proc/thread-self/schedstat (ns), if readable.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// The 1-minute load average: above the core count, wall-clock rates understate the executor.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// `VmHWM` (peak resident set) and `VmRSS` in KiB, from /proc/self/status.
fn memory_kib() -> (Option<u64>, Option<u64>) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The standard generated workload: `POOL` workloads of `check`'s generator
/// (seed 0), both modes, each variant in turn.
fn pool() -> Vec<(Variant, Workload<Op>)> {
    (0..POOL)
        .map(|run| {
            let variant = Variant::ALL[(run % 4) as usize];
            let mode = Delivery::ALL[((run / 4) % 2) as usize];
            (variant, workload_for(&Kv(variant), 0, run, mode))
        })
        .collect()
}

/// Executor throughput and memory over one long run.
fn throughput(sizes: &Sizes) -> Value {
    let pool = pool();
    let mut checkpoints = Vec::new();
    let (mut steps, mut next) = (0u64, 0usize);
    let (started, cpu_started, allocations_started) = (Instant::now(), cpu_seconds(), allocations());
    for execution in 0..sizes.executions {
        let (variant, workload) = &pool[(execution % POOL) as usize];
        let scheduler = Box::new(RandomScheduler::new(schedule_seed(1, execution)));
        steps += Kv(*variant).execute(workload, scheduler, TraceLevel::Off).steps;
        if sizes.checkpoints.get(next) == Some(&(execution + 1)) {
            let (peak, rss) = memory_kib();
            checkpoints.push(json!({"executions": execution + 1, "vm_hwm_kib": peak, "vm_rss_kib": rss}));
            outln!("memory after {:>9} executions: VmHWM {:?} KiB, VmRSS {:?} KiB", execution + 1, peak, rss);
            next += 1;
        }
    }
    let allocated = allocations() - allocations_started;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
    let (executions_per_second, steps_per_second) = (sizes.executions as f64 / seconds, steps as f64 / seconds);
    let per_cpu_second = cpu.map(|cpu| sizes.executions as f64 / cpu);
    outln!(
        "throughput: {} executions of {POOL} generated workloads (4 variants x 2 modes), tracing off, 1 thread: \
         {seconds:.2} s, {executions_per_second:.0} executions/s, {steps_per_second:.0} steps/s ({:.1} steps each)",
        sizes.executions,
        steps as f64 / sizes.executions as f64
    );
    outln!(
        "  on CPU {:.2} s: {:.0} executions per CPU-second (wall-clock rates understate it when the machine is shared)",
        cpu.unwrap_or(f64::NAN),
        per_cpu_second.unwrap_or(f64::NAN)
    );
    let (per_execution, per_step) = (allocated as f64 / sizes.executions as f64, allocated as f64 / steps as f64);
    outln!("  allocations: {per_execution:.1} per execution, {per_step:.2} per step (the memory checkpoints' reads included)");
    json!({
        "allocations": allocated, "allocations_per_execution": per_execution, "allocations_per_step": per_step,
        "cpu_seconds": cpu, "executions_per_cpu_second": per_cpu_second,
        "steps_per_cpu_second": cpu.map(|cpu| steps as f64 / cpu),
        "workload": format!("{POOL} generated workloads (check's generator, seed 0), 4 variants x 2 modes, random schedules, tracing off, 1 thread"),
        "executions": sizes.executions, "steps": steps, "seconds": seconds,
        "executions_per_second": executions_per_second, "steps_per_second": steps_per_second,
        "memory": checkpoints,
    })
}

/// Throughput on the previous benchmark's workload (every seed test on every
/// variant and mode, cycled, one seed per execution), for comparison with
/// the figures measured before per-step records existed.
fn seed_test_throughput(executions: u64) -> Value {
    let mut scenarios = Vec::new();
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            scenarios.extend(SeedTest::ALL.map(|test| Scenario { variant, mode, test }));
        }
    }
    let (started, cpu_started, allocations_started) = (Instant::now(), cpu_seconds(), allocations());
    let mut steps = 0u64;
    for seed in 0..executions {
        steps += scenarios[(seed % scenarios.len() as u64) as usize].run_seed(seed).steps;
    }
    let allocated = allocations() - allocations_started;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
    let per_cpu_second = cpu.map(|cpu| executions as f64 / cpu);
    outln!(
        "seed-test throughput: {executions} executions of the 32 seed-test scenarios, cycled: {:.0} executions/s wall, {:.0} per CPU-second",
        executions as f64 / seconds,
        per_cpu_second.unwrap_or(f64::NAN)
    );
    let (per_execution, per_step) = (allocated as f64 / executions as f64, allocated as f64 / steps as f64);
    outln!(
        "  allocations: {per_execution:.1} per execution, {per_step:.2} per step ({:.1} steps each)",
        steps as f64 / executions as f64
    );
    json!({
        "allocations": allocated, "allocations_per_execution": per_execution, "allocations_per_step": per_step,
        "executions": executions, "steps": steps, "seconds": seconds, "cpu_seconds": cpu,
        "executions_per_second": executions as f64 / seconds, "executions_per_cpu_second": per_cpu_second,
    })
}

/// Every subject of the command line's table, as `check` runs it (its
/// generated workloads, random schedules, every property judged, no
/// shrinking), through the type-erased subject the command line uses:
/// executions per CPU-second and steps per execution, one thread.
fn subject_throughput(executions: u64) -> Value {
    use properties::check::{execute_run, CheckConfig};
    let mut rows = Vec::new();
    outln!("subjects, as check runs them ({executions} generated runs each, spec, 1 thread):");
    for subject in crate::subjects::all() {
        let config = CheckConfig::new(subject.clone(), Delivery::Spec);
        let (started, cpu_started) = (Instant::now(), cpu_seconds());
        let (mut steps, mut broken) = (0u64, 0u64);
        for run in 0..executions {
            let (_, execution) = execute_run(&config, run);
            steps += execution.steps;
            broken += u64::from(config.properties.iter().any(|p| p.check(&execution.history).is_some()));
        }
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
        let rate = cpu.map(|cpu| executions as f64 / cpu);
        let name = subject.name();
        outln!(
            "  {name:<16} {:>9.0} executions per CPU-second, {:>5.1} steps per execution, {broken} runs broke a property",
            rate.unwrap_or(f64::NAN),
            steps as f64 / executions as f64
        );
        rows.push(json!({
            "subject": name, "executions": executions, "steps": steps, "seconds": seconds, "cpu_seconds": cpu,
            "executions_per_cpu_second": rate, "runs_breaking_a_property": broken,
        }));
    }
    Value::Array(rows)
}

/// Median and 90th percentile of executions and of wall time to the first
/// failure, over seeds `0..seeds`, for one hunt.
fn time_to_failure(hunt: Hunt<Kv>, sizes: &Sizes) -> Value {
    let (mut executions, mut millis, mut missed) = (Vec::new(), Vec::new(), 0);
    for seed in 0..sizes.seeds {
        let started = Instant::now();
        match hunt.executions_to_failure(seed, sizes.max_runs) {
            Some(n) => {
                executions.push(n as f64);
                millis.push(started.elapsed().as_secs_f64() * 1e3);
            }
            None => missed += 1,
        }
    }
    json!({
        "median_executions": percentile(&executions, 50), "p90_executions": percentile(&executions, 90),
        "median_ms": percentile(&millis, 50), "p90_ms": percentile(&millis, 90),
        "not_found": missed,
    })
}

/// Random against PCT on every (variant, mode, property) the expected matrix says breaks.
fn hunting(sizes: &Sizes) -> Value {
    let pct = Schedule::Pct { depth: Schedule::DEFAULT_PCT_DEPTH };
    let mut rows = Vec::new();
    outln!(
        "time to first failure, {} seeds (at most {} runs each): median / p90 executions, median / p90 ms",
        sizes.seeds,
        sizes.max_runs
    );
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            for property in KvProperty::ALL.into_iter().filter(|&p| expected_violation(variant, mode, p)) {
                let hunt = |schedule| Hunt {
                    subject: Kv(variant),
                    mode,
                    property: property.property(),
                    schedule,
                    generation: Generation::default(),
                };
                let random = time_to_failure(hunt(Schedule::Random), sizes);
                let pct_row = time_to_failure(hunt(pct), sizes);
                outln!(
                    "  {:<12} {:<8} {:<18} random {:>5} / {:>5} ex {:>7.1} / {:>7.1} ms | pct {:>5} / {:>5} ex {:>7.1} / {:>7.1} ms",
                    variant.name(), mode.name(), property.name(),
                    random["median_executions"], random["p90_executions"],
                    random["median_ms"].as_f64().unwrap_or(f64::NAN), random["p90_ms"].as_f64().unwrap_or(f64::NAN),
                    pct_row["median_executions"], pct_row["p90_executions"],
                    pct_row["median_ms"].as_f64().unwrap_or(f64::NAN), pct_row["p90_ms"].as_f64().unwrap_or(f64::NAN),
                );
                rows.push(json!({
                    "variant": variant.name(), "mode": mode.name(), "property": property.name(),
                    "seeds": sizes.seeds, "max_runs": sizes.max_runs,
                    "random": random, "pct": pct_row, "pct_depth": Schedule::DEFAULT_PCT_DEPTH,
                }));
            }
        }
    }
    Value::Array(rows)
}

/// Executions to the first failure with the subject's weights and with
/// swarm testing (each run leaves out a random subset of the kinds of
/// operation), random schedules, on every (variant, mode, property) the
/// expected matrix says breaks.
fn swarm(sizes: &Sizes) -> Value {
    let mut rows = Vec::new();
    outln!(
        "swarm testing, {} seeds (at most {} runs each): median / p90 executions to failure, weights | swarm",
        sizes.seeds,
        sizes.max_runs
    );
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            for property in KvProperty::ALL.into_iter().filter(|&p| expected_violation(variant, mode, p)) {
                let hunt = |swarm| Hunt {
                    subject: Kv(variant),
                    mode,
                    property: property.property(),
                    schedule: Schedule::Random,
                    generation: Generation { weights: None, swarm },
                };
                let (plain, swarmed) = (time_to_failure(hunt(false), sizes), time_to_failure(hunt(true), sizes));
                outln!(
                    "  {:<12} {:<8} {:<18} weights {:>5} / {:>5} (missed {}) | swarm {:>5} / {:>5} (missed {})",
                    variant.name(),
                    mode.name(),
                    property.name(),
                    plain["median_executions"],
                    plain["p90_executions"],
                    plain["not_found"],
                    swarmed["median_executions"],
                    swarmed["p90_executions"],
                    swarmed["not_found"],
                );
                rows.push(json!({
                    "variant": variant.name(), "mode": mode.name(), "property": property.name(),
                    "seeds": sizes.seeds, "max_runs": sizes.max_runs, "weights": plain, "swarm": swarmed,
                }));
            }
        }
    }
    Value::Array(rows)
}

/// What loom explores for the same scenario through the thread runtime, where
/// one fits loom's thread limit: the seed's removes-on-exit (its loom model
/// also looks the name up before the stop). The thread runtime delivers every
/// signal as its own step, which is `spec` delivery, so `instant` rows have
/// no loom figure. Skipped in `--quick`.
fn loom_figure(workload: &str, variant: Variant, mode: Delivery, sizes: &Sizes) -> Value {
    if workload != "removes-on-exit" || mode != Delivery::Spec || sizes.quick {
        return Value::Null;
    }
    let report = loom_models::explore(variant, LoomScenario::RemovesOnExit);
    outln!("    {report}");
    json!({
        "scenario": report.scenario.name(), "executions": report.executions,
        "preemption_bound": report.preemption_bound, "violations": report.violations,
        "seconds": report.wall.as_secs_f64(),
    })
}

/// `f`'s value and the wall seconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed().as_secs_f64())
}

/// A cached DFS's figures, as the JSON object holds them.
fn cached_figure(report: &properties::exhaustive::Report, seconds: f64) -> Value {
    let cache = report.cache.clone().unwrap_or_default();
    json!({
        "executions": report.summary.executions, "exhausted": report.summary.exhausted, "seconds": seconds,
        "outcomes": report.outcomes.len(),
        "visited": cache.visited, "pruned": cache.pruned, "unfingerprinted": cache.unfingerprinted,
    })
}

/// One client's create, lookup, stop, lookup, ... (`fixed::sequential_client`)
/// at growing lengths: cached DFS (every property) against DPOR (every
/// property but those that order every two clock reads), each within the
/// budget, every variant and mode.
fn sequential_client(sizes: &Sizes) -> Value {
    let lengths: &[usize] = if sizes.quick { &[4, 8] } else { &[4, 8, 12, 16, 20] };
    let limits = Limits::executions(sizes.dfs_budget.min(20_000));
    outln!("one sequential client (budget {} executions): cached DFS / DPOR", limits.max_executions);
    let mut rows = Vec::new();
    for &ops in lengths {
        for variant in Variant::ALL {
            for mode in Delivery::ALL {
                let workload = fixed::sequential_client(ops, mode);
                let (subject, every) = (Kv(variant), Kv(variant).properties());
                let unordered: Vec<_> =
                    every.iter().filter(|p| p.clock_rule() <= ClockRule::WithDeaths).cloned().collect();
                let (cached, cached_seconds) =
                    timed(|| explore(&subject, &workload, &every, Search::DfsCached, limits));
                let (dpor, dpor_seconds) = timed(|| explore(&subject, &workload, &unordered, Search::Dpor, limits));
                let over = |exhausted: bool| if exhausted { "" } else { ">" };
                outln!(
                    "  {ops:>2} ops {:<12} {:<8} cached dfs {}{:>6} ({:>6.2} s) | dpor {}{:>6} ({:>6.2} s)",
                    variant.name(),
                    mode.name(),
                    over(cached.summary.exhausted),
                    cached.summary.executions,
                    cached_seconds,
                    over(dpor.summary.exhausted),
                    dpor.summary.executions,
                    dpor_seconds
                );
                rows.push(json!({
                    "ops": ops, "variant": variant.name(), "mode": mode.name(),
                    "dfs_cached": cached_figure(&cached, cached_seconds),
                    "dpor": {"executions": dpor.summary.executions, "exhausted": dpor.summary.exhausted, "seconds": dpor_seconds, "outcomes": dpor.outcomes.len()},
                }));
            }
        }
    }
    Value::Array(rows)
}

/// DFS against DPOR on every fixed workload, variant and mode. DPOR judges
/// every property but those that need every two clock reads ordered (so the
/// figures compare with the peers', which check no real-time order), and
/// once more every property (`dpor_call_order`).
fn exhaustive(sizes: &Sizes) -> Value {
    let mut rows = Vec::new();
    outln!("exhaustive search (DFS budget {} executions): executions to exhaust, DFS / DPOR", sizes.dfs_budget);
    for f in fixed::ALL {
        for variant in Variant::ALL {
            for mode in Delivery::ALL {
                let workload = f.workload(mode);
                let limits = Limits::executions(sizes.dfs_budget);
                let started = Instant::now();
                let (subject, every) = (Kv(variant), Kv(variant).properties());
                let unordered: Vec<_> =
                    every.iter().filter(|p| p.clock_rule() <= ClockRule::WithDeaths).cloned().collect();
                let dfs = explore(&subject, &workload, &every, Search::Dfs, limits);
                let dfs_seconds = started.elapsed().as_secs_f64();
                let started = Instant::now();
                let dpor = explore(&subject, &workload, &unordered, Search::Dpor, limits);
                let dpor_seconds = started.elapsed().as_secs_f64();
                let outcomes_only = Limits { clock: ClockRule::Ignored, ..limits };
                let fast = explore(&subject, &workload, &unordered, Search::Dpor, outcomes_only);
                let ordered = explore(&subject, &workload, &every, Search::Dpor, limits);
                let (odpor, odpor_seconds) = timed(|| explore(&subject, &workload, &unordered, Search::Odpor, limits));
                let (cached, cached_seconds) =
                    timed(|| explore(&subject, &workload, &every, Search::DfsCached, limits));
                let bound = if dfs.summary.exhausted { "" } else { ">" };
                outln!(
                    "  {:<18} {:<12} {:<8} dfs {bound}{:>7} ({:>6.2} s) | dpor {:>5} ({} sleep-blocked, {:>5.2} s, exhausted {}) | outcomes {} / {} | call order {}{}",
                    f.name, variant.name(), mode.name(), dfs.summary.executions, dfs_seconds,
                    dpor.summary.executions, dpor.summary.sleep_blocked, dpor_seconds, dpor.summary.exhausted,
                    dfs.outcomes.len(), dpor.outcomes.len(),
                    if ordered.summary.exhausted { "" } else { ">" }, ordered.summary.executions
                );
                let cache = cached.cache.clone().unwrap_or_default();
                outln!(
                    "  {:<40} odpor {:>5} ({:>5.2} s) | cached dfs {}{} ({:>5.2} s, {} states met, {} pruned, {} unfingerprinted)",
                    "",
                    odpor.summary.executions,
                    odpor_seconds,
                    if cached.summary.exhausted { "" } else { ">" },
                    cached.summary.executions,
                    cached_seconds,
                    cache.visited,
                    cache.pruned,
                    cache.unfingerprinted
                );
                rows.push(json!({
                    "workload": f.name, "variant": variant.name(), "mode": mode.name(),
                    "dfs": {"executions": dfs.summary.executions, "exhausted": dfs.summary.exhausted, "seconds": dfs_seconds, "outcomes": dfs.outcomes.len()},
                    "dpor": {"executions": dpor.summary.executions, "exhausted": dpor.summary.exhausted, "sleep_blocked": dpor.summary.sleep_blocked, "seconds": dpor_seconds, "outcomes": dpor.outcomes.len()},
                    "dpor_outcomes_only": {"executions": fast.summary.executions, "exhausted": fast.summary.exhausted, "sleep_blocked": fast.summary.sleep_blocked, "outcomes": fast.outcomes.len()},
                    "dpor_call_order": {"executions": ordered.summary.executions, "exhausted": ordered.summary.exhausted, "sleep_blocked": ordered.summary.sleep_blocked, "outcomes": ordered.outcomes.len()},
                    "odpor": {"executions": odpor.summary.executions, "exhausted": odpor.summary.exhausted, "sleep_blocked": odpor.summary.sleep_blocked, "seconds": odpor_seconds, "outcomes": odpor.outcomes.len()},
                    "dfs_cached": cached_figure(&cached, cached_seconds),
                    "loom": loom_figure(f.name, variant, mode, sizes),
                }));
            }
        }
    }
    Value::Array(rows)
}
