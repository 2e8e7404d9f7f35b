//! The peer benchmark: kvsim beside shuttle and loom on the seed's race, in
//! one process.
//!
//! ```sh
//! cargo bench -p peers --bench peers                        # the full run (about 35 s)
//! cargo bench -p peers --bench peers -- --quick             # a smoke run
//! cargo bench -p peers --bench peers -- --rounds 9 --seconds 1
//! ```
//!
//! Part 1, random search, alternating rounds on this one thread: shuttle
//! (`on_shuttle.rs`: `race.rs`, the seed's "removes buckets on exit" on the
//! `monitored` registry as threads and `shuttle::sync::mpsc` channels, under
//! shuttle's `RandomScheduler`), then kvsim's seed test on the same variant
//! on the deterministic executor (`peers::kvsim_round`: `spec` delivery,
//! random scheduler, tracing off), then kvsim first in the next round, and
//! so on. Each side runs a fixed number of executions per round, calibrated
//! once so a round takes about `--seconds` of CPU. For each round: each
//! side's executions per CPU-second of this thread (`CLOCK_THREAD_CPUTIME_ID`;
//! both engines run every execution on the calling thread), the ratio
//! kvsim / shuttle, and the fraction of executions whose final lookup still
//! found the dead bucket, the race. Then the spread (min / median / max)
//! over the rounds, and each side's scheduling points per execution. A third
//! side rotates with them: the bare ceiling loop (`ceiling.rs`: a seeded
//! pick among non-empty mailboxes and a trivial handler per step, on the
//! race's shape of 12 steps and 4 processes), and kvsim / ceiling, the
//! share of that limit kvsim reaches.
//!
//! Part 2, exhaustive search of the same race: kvsim's DFS and DPOR on the
//! fixed workload `removes-on-exit`; loom on a direct model (`on_loom.rs`:
//! the same `race.rs` over loom's threads and sync primitives) with
//! preemption bounds 0 to 3 and with none; and, for the record, loom on kvsim's
//! thread runtime (`properties::loom_models`), the figure BENCHMARKS.md used
//! to set beside DPOR. Nothing is asserted: it measures and prints.

mod ceiling;
mod on_loom;
mod on_shuttle;

use peers::{exhaustive, kvsim_round, Spread, Tally};
use properties::exhaustive::Search;
use properties::kv::loom_models::{self, LoomScenario};
use std::time::Duration;

/// The command line (cargo adds `--bench`, which is ignored).
struct Args {
    rounds: usize,
    seconds: f64,
    quick: bool,
}

fn args() -> Args {
    let mut args = Args { rounds: 9, seconds: 1.0, quick: false };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().and_then(|v| v.parse::<f64>().ok()).unwrap_or_else(|| usage(name));
        match arg.as_str() {
            "--rounds" => args.rounds = value("--rounds").max(1.0) as usize,
            "--seconds" => args.seconds = value("--seconds"),
            "--quick" => args.quick = true,
            "--bench" => {}
            _ => usage(&arg),
        }
    }
    if args.quick {
        args.rounds = args.rounds.min(3);
        args.seconds = args.seconds.min(0.1);
    }
    args
}

fn usage(bad: &str) -> ! {
    eprintln!("peers: bad argument {bad:?}; usage: peers [--rounds N] [--seconds S] [--quick]");
    std::process::exit(2)
}

fn main() {
    let args = args();
    println!("{}", machine());
    println!(
        "scenario: the seed's \"removes buckets on exit\" on the monitored registry (create, lookup, stop, lookup); \
         kvsim: spec delivery, RandomScheduler, tracing off; shuttle: RandomScheduler, Config::new()"
    );
    random_search(&args);
    exhaustive_search(&args);
    println!(
        "CPU: this thread {:.2} s, the process {:.2} s (every figure above is this thread's)",
        peers::thread_cpu().as_secs_f64(),
        peers::process_cpu().as_secs_f64()
    );
}

/// The CPU model, the cores and the load, as the machine tells.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown CPU", |l| l.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    let (os, arch) = (std::env::consts::OS, std::env::consts::ARCH);
    format!("machine: {cpu}, {cores} cores, {os}/{arch}, 1-minute load average {load}")
}

/// Executions that take about `seconds` of CPU at the rate `sample` ran.
fn per_round(sample: &Tally, seconds: f64) -> u64 {
    ((sample.per_cpu_second() * seconds) as u64).max(100)
}

/// The three sides of a round, in the order of the first round.
const SIDES: [&str; 3] = ["shuttle", "kvsim", "ceiling"];

fn random_search(args: &Args) {
    // Warm-up and calibration, not counted.
    let shuttle_sample = on_shuttle::round(0, 2_000);
    let kvsim_sample = kvsim_round(0..10_000);
    let ceiling_sample = ceiling::round(0, 50_000);
    let per = [&shuttle_sample, &kvsim_sample, &ceiling_sample].map(|sample| per_round(sample, args.seconds));
    println!(
        "random search: {} rounds, the side that goes first rotating; per round shuttle {} executions, \
         kvsim {}, the bare ceiling loop {} (about {} CPU-s each)",
        args.rounds, per[0], per[1], per[2], args.seconds
    );
    println!(
        "{:>5}  {:<7}  {:>18}  {:>16}  {:>18}  {:>13}  {:>13}  {:>12}  {:>10}",
        "round",
        "first",
        "shuttle exec/CPU-s",
        "kvsim exec/CPU-s",
        "ceiling exec/CPU-s",
        "kvsim/shuttle",
        "kvsim/ceiling",
        "shuttle race",
        "kvsim race"
    );
    let mut sides: [Vec<Tally>; 3] = Default::default();
    let mut next_seed = 10_000;
    for round in 0..args.rounds {
        let mut tallies = [Tally::default(); 3];
        for turn in 0..3 {
            let side = (round + turn) % 3;
            tallies[side] = match side {
                0 => on_shuttle::round(round as u64 + 1, per[0]),
                1 => kvsim_round(next_seed..next_seed + per[1]),
                _ => ceiling::round(next_seed, per[2]),
            };
        }
        next_seed += per[1].max(per[2]);
        let [s, k, c] = tallies;
        println!(
            "{:>5}  {:<7}  {:>18.0}  {:>16.0}  {:>18.0}  {:>13.2}  {:>13.3}  {:>12.4}  {:>10.4}",
            round + 1,
            SIDES[round % 3],
            s.per_cpu_second(),
            k.per_cpu_second(),
            c.per_cpu_second(),
            k.per_cpu_second() / s.per_cpu_second(),
            k.per_cpu_second() / c.per_cpu_second(),
            s.race_fraction(),
            k.race_fraction()
        );
        for (all, tally) in sides.iter_mut().zip(tallies) {
            all.push(tally);
        }
    }
    let [shuttle, kvsim, ceiling] = &sides;
    let rates = |t: &[Tally]| Spread::of(&t.iter().map(Tally::per_cpu_second).collect::<Vec<_>>());
    let ratio = |a: &[Tally], b: &[Tally]| {
        Spread::of(&a.iter().zip(b).map(|(a, b)| a.per_cpu_second() / b.per_cpu_second()).collect::<Vec<_>>())
    };
    println!("over {} rounds, min / median / max:", args.rounds);
    summary("shuttle", rates(shuttle), shuttle, "scheduling points", true);
    summary("kvsim", rates(kvsim), kvsim, "steps", true);
    summary("ceiling", rates(ceiling), ceiling, "steps", false);
    let (to_shuttle, to_ceiling) = (ratio(kvsim, shuttle), ratio(kvsim, ceiling));
    println!("  kvsim / shuttle: {:.2} / {:.2} / {:.2}", to_shuttle.min, to_shuttle.median, to_shuttle.max);
    println!("  kvsim / ceiling: {:.3} / {:.3} / {:.3}", to_ceiling.min, to_ceiling.median, to_ceiling.max);
}

/// One side's figures over the rounds; `judged`: it checks the race (the ceiling loop checks nothing).
fn summary(name: &str, rate: Spread, tallies: &[Tally], points: &str, judged: bool) {
    let total = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    let executions = total(|t| t.executions) as f64;
    let cpu: Duration = tallies.iter().map(|t| t.cpu).sum();
    let wall: Duration = tallies.iter().map(|t| t.wall).sum();
    let fractions = Spread::of(&tallies.iter().map(Tally::race_fraction).collect::<Vec<_>>());
    println!(
        "  {name}: {:.0} / {:.0} / {:.0} executions per CPU-second; {} executions, {:.2} CPU-s ({:.2} s wall)",
        rate.min,
        rate.median,
        rate.max,
        executions,
        cpu.as_secs_f64(),
        wall.as_secs_f64()
    );
    println!(
        "    {:.1} {points} per execution ({:.1} up to the verdict, {:.1} with a choice), {:.0} ns of CPU per {}",
        total(|t| t.steps) as f64 / executions,
        total(|t| t.to_verdict) as f64 / executions,
        total(|t| t.choices) as f64 / executions,
        cpu.as_secs_f64() * 1e9 / total(|t| t.steps) as f64,
        points.trim_end_matches('s')
    );
    if !judged {
        return;
    }
    println!(
        "    the race found in {:.2}% of executions ({:.2}% / {:.2}% / {:.2}% per round), {:.0} races per CPU-second; \
         other failures {}",
        100.0 * total(|t| t.races) as f64 / executions,
        100.0 * fractions.min,
        100.0 * fractions.median,
        100.0 * fractions.max,
        total(|t| t.races) as f64 / cpu.as_secs_f64(),
        total(|t| t.other_failures)
    );
}

fn exhaustive_search(args: &Args) {
    println!("exhaustive search of the same race:");
    for search in [Search::Dfs, Search::Dpor] {
        let e = exhaustive(search);
        println!(
            "  kvsim {} (fixed workload removes-on-exit, monitored, spec): {} executions ({} sleep-set blocked), \
             exhausted {}; first no-dead-lookup violation at execution {}; {:.3} CPU-s",
            search.name(),
            e.executions,
            e.sleep_blocked,
            e.exhausted,
            e.first_violation.map_or("-".to_string(), |n| n.to_string()),
            e.cpu.as_secs_f64()
        );
    }
    for bound in [Some(0), Some(1), Some(2), Some(3), None] {
        let l = on_loom::exhaust(bound);
        println!(
            "  loom, direct model (loom threads, mpsc, Mutex), preemption bound {}: {} executions, \
             {} of them found the dead bucket, first lookups missed {}; {:.3} CPU-s",
            l.preemption_bound.map_or("none".to_string(), |b| b.to_string()),
            l.executions,
            l.races,
            l.missed_creates,
            l.cpu.as_secs_f64()
        );
    }
    if args.quick {
        println!("  loom through kvsim's thread runtime: skipped in --quick");
        return;
    }
    let cpu = peers::thread_cpu();
    let report = loom_models::explore(peers::SCENARIO.variant, LoomScenario::RemovesOnExit);
    println!("  loom through kvsim's thread runtime (properties::loom_models), for the record: {report}");
    println!("    ({:.3} CPU-s)", (peers::thread_cpu() - cpu).as_secs_f64());
}
