//! The `kvsim` command line.
//!
//! - no arguments (or `table`): the seed's tests for every registry variant
//!   and delivery mode over many seeds, beside what DESIGN.md predicts;
//! - `list`: variants, delivery modes and properties;
//! - `check`: explore generated workloads under random schedules, shrink a
//!   violation and print its replay token;
//! - `replay TOKEN`: re-run a token and print its full trace;
//! - `bench`: executor throughput.
//!
//! Exit codes: 0 all good, 1 a violation (or a table row off its
//! prediction), 2 bad input (clap's usage errors exit 2 as well).

mod bench;
mod check_cmd;
mod picture;
mod table;

use clap::{Parser, Subcommand};
use model::Variant;
use properties::Property;
use sim::Delivery;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kvsim",
    version,
    about = "Deterministic simulation of Erlang-style actors: the seed's registry, its races, and their replays"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// The variant x mode x seed-test table (the default command).
    Table {
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
    /// Executor throughput: handler steps and executions per second, tracing off.
    Bench {
        /// Executions to time.
        #[arg(long, default_value_t = 200_000)]
        executions: u64,
    },
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
    let cli = Cli::parse();
    match cli.command {
        None => table::run(1000),
        Some(Command::Table { seeds }) => table::run(seeds),
        Some(Command::List) => list(),
        Some(Command::Check(args)) => check_cmd::check(args),
        Some(Command::Replay { token, json, picture }) => check_cmd::replay(&token, json, &picture),
        Some(Command::Bench { executions }) => bench::run(executions),
    }
}

fn list() -> ExitCode {
    for v in Variant::ALL {
        println!("variant {}", v.name());
    }
    for m in Delivery::ALL {
        println!("mode {}", m.name());
    }
    for p in Property::ALL {
        println!("property {}", p.name());
    }
    ExitCode::SUCCESS
}
