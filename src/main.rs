//! The `kvsim` command line.
//!
//! - no arguments (or `hunt`): the bug hunt, `check` on every variant x mode
//!   x property, judged against the expected matrix;
//! - `seeds`: the seed's tests for every registry variant and delivery mode
//!   over many seeds, beside what the variants' designs predict;
//! - `list`: delivery modes, and every subject with its variants,
//!   properties and fixed workloads;
//! - `check`: explore generated workloads under random schedules, shrink a
//!   violation and print its replay token;
//! - `replay TOKEN`: re-run a token and print its full trace;
//! - `bench`: executor throughput (`--lincheck`: the linearizability checker);
//! - `lincheck FILE --model register|kv`: a Jepsen-format history, checked
//!   for linearizability (exit 3: the search budget ran out);
//! - `demo`, `stress`: the seed's tests, and its race, on OS threads.
//!
//! Exit codes: 0 all good, 1 a violation (or a table row off its
//! prediction), 2 bad input or a failed write to stdout, always as one line
//! on stderr, 3 a search that covered no run (so checked nothing).

mod alloc_count;
mod bench;
mod check_cmd;
mod demo;
mod exhaustive_cmd;
mod hunt;
mod lincheck;
mod output;
mod picture;
mod progress;
mod search_args;
mod stress;
mod subjects;
mod table;
mod totals;
mod verdict;

use crate::output::outln;
use clap::{Parser, Subcommand};
use model::Variant;
use properties::kv::loom_models::LoomScenario;
use properties::Subject;
use sim::explore::ClockRule;
use sim::Delivery;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kvsim",
    version,
    about = "Deterministic simulation of Erlang-style actors: the seed's registry, its races, and their replays"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: the bug hunt's flags.
    #[command(flatten)]
    hunt: hunt::HuntArgs,
}

#[derive(Subcommand)]
enum Command {
    /// The bug hunt (the default command): check every variant x mode x property, then a table.
    Hunt(hunt::HuntArgs),
    /// The variant x mode x seed-test table, over many seeds.
    #[command(alias = "table")]
    Seeds {
        /// Seeds per (variant, mode, test).
        #[arg(long, default_value_t = 1000)]
        seeds: u64,
    },
    /// The variants, delivery modes and properties, one per line.
    List,
    /// Explore random schedules of generated workloads; shrink and print the first violation.
    Check(check_cmd::CheckArgs),
    /// Re-run a replay token and print its full trace; exit 1 if it shows a violation.
    Replay {
        token: String,
        /// Print one JSON object on the last line.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        picture: picture::PictureArgs,
    },
    /// The benchmark: throughput, memory, time to failure (random vs PCT), DFS vs DPOR.
    Bench(bench::BenchArgs),
    /// Is a Jepsen-format history linearizable against a register or kv model? Exit 0 yes, 1 no, 2 malformed, 3 budget spent.
    Lincheck(lincheck::LincheckArgs),
    /// The seed's tests once each on OS threads (the thread runtime).
    Demo {
        /// Only this variant (default: all).
        #[arg(long, value_parser = parse_variant)]
        variant: Option<Variant>,
    },
    /// The seed's race scenario on OS threads, many times: how often the race shows.
    Stress {
        #[arg(long, value_parser = parse_variant, default_value = "monitored")]
        variant: Variant,
        #[arg(long, default_value_t = 100_000)]
        runs: u64,
        /// Add a second client thread (`two-clients`).
        #[arg(long)]
        two_clients: bool,
    },
}

fn parse_variant(name: &str) -> Result<Variant, String> {
    let names: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    Variant::from_name(name).ok_or_else(|| format!("unknown variant {name:?}; valid: {}", names.join(", ")))
}

/// Dies quietly on a closed pipe (`kvsim list | head`), as command-line tools do,
/// instead of panicking on the failed write.
#[cfg(unix)]
fn restore_default_sigpipe() {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: resetting a signal's disposition to the default before any thread starts.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    restore_default_sigpipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    match cli.command {
        None => hunt::run(cli.hunt),
        Some(Command::Hunt(args)) => hunt::run(args),
        Some(Command::Seeds { seeds }) => table::run(seeds),
        Some(Command::List) => list(),
        Some(Command::Check(args)) => check_cmd::check(args),
        Some(Command::Replay { token, json, picture }) => check_cmd::replay(&token, json, &picture),
        Some(Command::Bench(args)) => bench::run(args),
        Some(Command::Lincheck(args)) => lincheck::run(args),
        Some(Command::Demo { variant }) => demo::run(&variant.map_or(Variant::ALL.to_vec(), |v| vec![v])),
        Some(Command::Stress { variant, runs, two_clients }) => {
            let scenario = if two_clients { LoomScenario::TwoClients } else { LoomScenario::RemovesOnExit };
            stress::run(variant, scenario, runs)
        }
    }
}

fn list() -> ExitCode {
    for m in Delivery::ALL {
        outln!("mode {}  ({})", m.name(), m.about());
    }
    for family in subjects::TABLE {
        outln!("subject {}  ({})", family.name, family.about);
        for variant in (family.variants)() {
            outln!("  variant {}", variant.name());
            let kinds: Vec<String> = variant.op_kinds().iter().map(|(k, w)| format!("{k}={w}")).collect();
            if !kinds.is_empty() {
                outln!("    operations {}", kinds.join(","));
            }
            for p in variant.properties() {
                let clock = match p.clock_rule() {
                    ClockRule::Ignored => "",
                    ClockRule::WithDeaths => "  (reads the clock)",
                    ClockRule::Ordered => "  (reads the clock: orders clients' calls)",
                };
                outln!("    property {}{clock}", p.name());
            }
            for w in variant.fixed_workloads() {
                outln!("    workload {}  ({})", w.name, w.about);
            }
        }
    }
    ExitCode::SUCCESS
}

/// Help and version print as clap prints them; every other parse error
/// becomes one line on stderr and exit code 2.
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        output::write(format_args!("{}", error.render()));
        return ExitCode::SUCCESS;
    }
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = error.print();
        return ExitCode::from(2);
    }
    eprintln!("kvsim: {}", one_line(&error.render().to_string()));
    ExitCode::from(2)
}

/// Clap's message without its `error:` prefix, usage and help hint, joined
/// into one line (a list of possible values stays, after the message).
fn one_line(rendered: &str) -> String {
    let message = rendered.lines().map(str::trim).take_while(|line| !line.starts_with("Usage:"));
    let lines: Vec<&str> =
        message.filter(|line| !line.is_empty() && !line.starts_with("For more information")).collect();
    lines.join(" ").trim_start_matches("error: ").to_string()
}
