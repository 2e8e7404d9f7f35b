//! The `kvsim` command line.
//!
//! With no arguments it runs the seed's tests for every registry variant and
//! delivery mode over many seeds and prints what failed, beside what DESIGN.md
//! predicts. `bench` measures executor throughput.

mod bench;
mod table;

use clap::{Parser, Subcommand};
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
    /// Seeds per (variant, mode, test) for the default table.
    #[arg(long, default_value_t = 1000)]
    seeds: u64,
}

#[derive(Subcommand)]
enum Command {
    /// The variant x mode x seed-test table (the default command).
    Table {
        /// Seeds per (variant, mode, test).
        #[arg(long, default_value_t = 1000)]
        seeds: u64,
    },
    /// Executor throughput: handler steps and executions per second, tracing off.
    Bench {
        /// Executions to time.
        #[arg(long, default_value_t = 200_000)]
        executions: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => table::run(cli.seeds),
        Some(Command::Table { seeds }) => table::run(seeds),
        Some(Command::Bench { executions }) => bench::run(executions),
    }
}
