//! `kvsim check --strategy ...`: the strategy flags, and the exhaustive
//! strategies (`dfs`, `dfs-cached`, `dpor`, `odpor`) over a fixed workload.
//!
//! `random` and `pct` run in `check`'s loop of generated workloads (a
//! scheduler per run); `dfs`, `dfs-cached`, `dpor` and `odpor` search the delivery orders of the
//! one workload `--workload` names, report whether the space was exhausted
//! and in how many executions, and on a violation print its trace and token.
//!
//! `--outcomes-only` is a no-op kept for scripts: whether DPOR orders clock
//! reads with process ends follows from the selected properties
//! (`properties::exhaustive::limits_for`), so no flag can make it miss a
//! violation; given, it prints a one-line note on stderr saying which.

use crate::output::{out, outln};
use crate::subjects;
use crate::verdict::Verdict;
use clap::{Args, ValueEnum};
use properties::dynamic::{DynHistory, DynSubject};
use properties::exhaustive::{earliest, explore, Search};
use properties::property::clock_readers;
use properties::report::{render_trace, render_workload, replay_line};
use properties::strategy::Schedule;
use properties::{token, Property, Subject};
use serde_json::json;
use sim::explore::{ClockRule, Limits};
use sim::Delivery;
use std::process::ExitCode;

/// How `check` searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Strategy {
    /// Uniform random schedules of generated workloads.
    Random,
    /// PCT schedules (`--depth`) of generated workloads.
    Pct,
    /// Every delivery order of `--workload` (plain depth-first search).
    Dfs,
    /// Depth-first search over `--workload` that skips every state it met before.
    DfsCached,
    /// One delivery order per equivalence class of `--workload` (source-DPOR with sleep sets).
    Dpor,
    /// One delivery order per equivalence class of `--workload` (optimal DPOR with wakeup trees).
    Odpor,
}

#[derive(Args, Clone, Debug)]
pub struct StrategyArgs {
    /// How to search: random or pct schedules of generated workloads, or dfs, dfs-cached, dpor or odpor over a fixed workload.
    #[arg(long, value_enum, default_value = "random")]
    pub strategy: Strategy,
    /// pct only: PCT's bug depth d (d-1 priority change points per run) [default: 3].
    #[arg(long, value_name = "D", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub depth: Option<u32>,
    /// The subject's fixed workload dfs, dfs-cached, dpor and odpor search (`kvsim list` shows them).
    #[arg(long)]
    pub workload: Option<String>,
    /// dfs, dfs-cached, dpor and odpor only: stop after this many executions (and report exhausted: false) [default: 1000000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_executions: Option<u64>,
    /// dfs only: explore only schedules with at most this many non-default choices (delays).
    #[arg(long)]
    pub max_delays: Option<u32>,
    /// dpor only, kept for old scripts: now automatic and a no-op (with a note). dpor drops the
    /// clock rule by itself when no selected property reads the clock, and keeps it otherwise.
    #[arg(long)]
    pub outcomes_only: bool,
}

impl StrategyArgs {
    pub fn name(&self) -> &'static str {
        match self.strategy {
            Strategy::Random => "random",
            Strategy::Pct => "pct",
            Strategy::Dfs => "dfs",
            Strategy::DfsCached => "dfs-cached",
            Strategy::Dpor => "dpor",
            Strategy::Odpor => "odpor",
        }
    }

    /// The scheduler of each generated run, for `random` and `pct`.
    pub fn schedule(&self) -> Schedule {
        match self.strategy {
            Strategy::Pct => Schedule::Pct { depth: self.depth.unwrap_or(Schedule::DEFAULT_PCT_DEPTH) },
            _ => Schedule::Random,
        }
    }

    /// `Some(search)` for the exhaustive strategies.
    pub fn search(&self) -> Option<Search> {
        match self.strategy {
            Strategy::Dfs => Some(Search::Dfs),
            Strategy::DfsCached => Some(Search::DfsCached),
            Strategy::Dpor => Some(Search::Dpor),
            Strategy::Odpor => Some(Search::Odpor),
            _ => None,
        }
    }

    /// The one-line complaint about flags that do not go together, if any:
    /// a flag the chosen strategy would ignore is refused, never ignored.
    pub fn misuse(&self) -> Option<&'static str> {
        let exhaustive = self.search().is_some();
        match (exhaustive, &self.workload) {
            (true, None) => {
                Some("--strategy dfs, dfs-cached, dpor and odpor need --workload NAME (kvsim list shows them)")
            }
            (false, Some(_)) => Some("--workload applies to --strategy dfs, dfs-cached, dpor and odpor only"),
            _ if self.depth.is_some() && self.strategy != Strategy::Pct => {
                Some("--depth applies to --strategy pct only")
            }
            _ if self.max_executions.is_some() && !exhaustive => {
                Some("--max-executions applies to --strategy dfs, dfs-cached, dpor and odpor only")
            }
            _ if self.max_delays.is_some() && self.strategy != Strategy::Dfs => {
                Some("--max-delays applies to --strategy dfs only (state caching would prune unsoundly under a delay bound, and dpor and odpor cut orders by equivalence instead)")
            }
            _ if self.outcomes_only && self.strategy != Strategy::Dpor => {
                Some("--outcomes-only applies to --strategy dpor only")
            }
            _ => None,
        }
    }
}

/// What the result line says about the clock rule a DPOR search ran under.
fn clock_note(search: Search, clock: ClockRule) -> &'static str {
    match (search, clock) {
        (Search::Dfs | Search::DfsCached, _) | (_, ClockRule::WithDeaths) => "",
        (_, ClockRule::Ignored) => " (clock-free properties: no clock rule)",
        (_, ClockRule::Ordered) => " (a property compares clients' calls: every two clock reads ordered)",
    }
}

/// What `--outcomes-only` does now, in one line: nothing, and why.
fn outcomes_only_note(properties: &[Property<DynHistory>]) -> String {
    let readers = clock_readers(properties);
    if readers.is_empty() {
        "note: --outcomes-only is automatic now: no selected property reads the clock, so dpor drops the clock rule"
            .to_string()
    } else {
        format!(
            "note: --outcomes-only is ignored: {} read the clock, so dpor keeps the clock rule (exact); \
             select clock-free properties with --property to drop it",
            readers.join(", ")
        )
    }
}

/// How far a search that found no violation got: only a search that
/// exhausted every order, with no delay bound, is a pass.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coverage {
    Complete,
    /// `--max-executions` ran out first.
    Budget,
    /// `--max-delays K`: every order within K delays, and none past it.
    Delays(u32),
}

impl Coverage {
    fn of(exhausted: bool, max_delays: Option<u32>) -> Coverage {
        match (exhausted, max_delays) {
            (false, _) => Coverage::Budget,
            (true, Some(bound)) => Coverage::Delays(bound),
            (true, None) => Coverage::Complete,
        }
    }

    /// The result line's account of the space searched.
    fn words(self) -> String {
        match self {
            Coverage::Complete => "exhausted the space".to_string(),
            Coverage::Budget => "did not exhaust the space (--max-executions ran out)".to_string(),
            Coverage::Delays(bound) => format!("exhausted the orders within {bound} delays (none past them)"),
        }
    }
}

/// `check` with an exhaustive strategy: exit 1 on a violation; 0 when the
/// search covered every order and found none; 3 when it found none but
/// stopped short (its budget, or a delay bound): that is no proof.
pub fn check(
    subject: &DynSubject,
    mode: Delivery,
    properties: &[Property<DynHistory>],
    selection: &str,
    args: &StrategyArgs,
    json: bool,
) -> ExitCode {
    let search = args.search().expect("an exhaustive strategy");
    let name = args.workload.as_deref().expect("misuse() checked --workload");
    let fixed = subject.fixed_workloads();
    let Some(workload) = fixed.iter().find(|f| f.name == name).map(|f| f.workload(mode)) else {
        let names: Vec<&str> = fixed.iter().map(|f| f.name).collect();
        eprintln!("kvsim: unknown workload {name:?} of {}; valid: {}", subject.name(), names.join(", "));
        return ExitCode::from(2);
    };
    let variant = subject.name();
    let limits = Limits {
        max_executions: args.max_executions.unwrap_or(Limits::DEFAULT_MAX_EXECUTIONS),
        max_delays: args.max_delays,
        clock: ClockRule::WithDeaths,
    };
    if args.outcomes_only {
        eprintln!("{}", outcomes_only_note(properties));
    }
    let report = explore(subject, &workload, properties, search, limits);
    let summary = report.summary;
    let first = earliest(&report);
    let token = first.map(|f| token::encode(subject, &workload, &f.choices));
    if let (Some(first), Some(token)) = (first, &token) {
        let replay = subject.replay(&workload, &first.choices);
        let property = properties.iter().find(|p| p.name() == first.violation.property).expect("a judged property");
        let violation = property.check(&replay.history).expect("the replay breaks it again");
        outln!("subject {variant}");
        out!("{}", render_workload(&workload));
        out!("{}", render_trace(&replay.trace.expect("replays are traced"), std::slice::from_ref(&violation)));
        outln!("{violation}");
        outln!("{}", replay_line(token));
    }
    let broken: Vec<&str> = report.broken().into_iter().collect();
    let coverage = Coverage::of(summary.exhausted, limits.max_delays);
    outln!(
        "{} over workload {name} on {variant} / {}{}: {} in {} executions{}, {} distinct outcomes, {}",
        search.name(),
        mode.name(),
        clock_note(search, report.clock),
        coverage.words(),
        summary.executions,
        match search {
            Search::Dfs => String::new(), // DFS has no sleep sets
            Search::DfsCached => report.cache.as_ref().map_or(String::new(), |c| {
                format!(
                    " ({} states met, {} pruned, {} choice points unfingerprinted)",
                    c.visited, c.pruned, c.unfingerprinted
                )
            }),
            _ => format!(" ({} sleep-blocked)", summary.sleep_blocked),
        },
        report.outcomes.len(),
        if broken.is_empty() { "no violation".to_string() } else { format!("broken: {}", broken.join(", ")) }
    );
    if let Some(label) = report.cache.as_ref().and_then(|c| c.first_unfingerprinted.as_ref()) {
        eprintln!(
            "note: {label} (and maybe others) has no fingerprint, so no state holding it was cached or pruned: \
             give its actor `fingerprint` (Actor::fingerprint, or GenServer::fingerprint) to let dfs-cached merge states"
        );
    }
    let verdict = Verdict::of_exhaustive(first.is_some(), coverage == Coverage::Complete);
    if verdict == Verdict::Incomplete {
        eprintln!("note: not a pass: the search stopped short of every order, so a violation may lie past it (exit 3)");
    }
    if json {
        let object = json!({
            "subject": variant, "variant": subjects::short(subject), "mode": mode.name(), "workload": name, "strategy": search.name(),
            "property": first.map_or_else(|| selection.to_string(), |f| f.violation.property.to_string()),
            "verdict": verdict.word(), "max_delays": limits.max_delays,
            "exhausted": summary.exhausted, "executions": summary.executions,
            "sleep_blocked": summary.sleep_blocked, "outcomes": report.outcomes.len(),
            "outcomes_only": args.outcomes_only, "clock_dependent": report.clock != ClockRule::Ignored,
            "cache": report.cache.as_ref().map(|c| json!({
                "states": c.visited, "pruned": c.pruned, "unfingerprinted": c.unfingerprinted,
                "first_unfingerprinted": c.first_unfingerprinted.as_ref().map(|l| l.to_string()),
            })),
            "clock_rule": report.clock.name(),
            "broken": broken, "executions_to_failure": first.map(|f| f.execution), "token": token,
        });
        outln!("{object}");
    }
    verdict.exit_code()
}
