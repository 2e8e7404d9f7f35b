//! `kvsim check` and `kvsim replay`.

use crate::exhaustive_cmd::{self, StrategyArgs};
use crate::output::{out, outln};
use crate::picture::{self, PictureArgs};
use crate::progress;
use crate::search_args::SearchArgs;
use crate::subjects;
use crate::totals::Totals;
use crate::verdict::Verdict;
use clap::builder::PossibleValuesParser;
use clap::Args;
use properties::check::{check_with_progress as explore, CheckConfig, CheckReport, Shard, Stop};
use properties::dynamic::{DynHistory, DynSubject};
use properties::generate::Generation;
use properties::report::{render_found, render_trace, render_workload, replay_line};
use properties::{Property, Subject};
use serde_json::json;
use sim::sched::Replay;
use sim::trace::TraceLevel;
use sim::Delivery;
use std::process::ExitCode;

fn mode_names() -> Vec<&'static str> {
    Delivery::ALL.iter().map(|m| m.name()).collect()
}

#[derive(Args)]
pub struct CheckArgs {
    /// The system under test (`kvsim list` shows them).
    #[arg(long, default_value = "kv")]
    subject: String,
    /// Which of the subject's variants [default: its first].
    #[arg(long)]
    variant: Option<String>,
    #[arg(long, default_value = "spec", value_parser = PossibleValuesParser::new(mode_names()))]
    mode: String,
    /// One of the subject's properties, or all.
    #[arg(long, default_value = "all")]
    property: String,
    #[command(flatten)]
    search: SearchArgs,
    #[command(flatten)]
    strategy: StrategyArgs,
    /// Explore only shard I of N (1-based): runs I-1, I-1+N, ...; shards 1/N..N/N cover the runs exactly once.
    #[arg(long, value_name = "I/N", default_value = "1/1")]
    shard: Shard,
    /// Print one JSON object on the last line of stdout.
    #[arg(long)]
    json: bool,
    /// Write an SVG chart of the counterexample found to FILE.
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,
    /// Swarm testing: each run leaves out a random subset of the kinds of operation.
    #[arg(long)]
    swarm: bool,
    /// How often each kind of operation is drawn, as KIND=WEIGHT,... (kinds left out keep their weight; `kvsim list` shows them).
    #[arg(long, value_name = "KIND=W,...")]
    weights: Option<String>,
}

/// The generation `--swarm` and `--weights` ask for, checked against the subject's kinds.
fn generation(subject: &DynSubject, args: &CheckArgs) -> Result<Generation, String> {
    let kinds = subject.op_kinds();
    if (args.swarm || args.weights.is_some()) && kinds.is_empty() {
        return Err(format!("{} draws its operations its own way: --swarm and --weights do not apply", subject.name()));
    }
    let Some(text) = &args.weights else { return Ok(Generation { weights: None, swarm: args.swarm }) };
    let mut weights: Vec<u64> = kinds.iter().map(|(_, w)| *w).collect();
    let names: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
    for pair in text.split(',') {
        let (kind, weight) = pair.split_once('=').ok_or_else(|| format!("--weights: {pair:?} is not KIND=WEIGHT"))?;
        let at = names.iter().position(|k| *k == kind).ok_or_else(|| {
            format!("--weights: unknown kind {kind:?} of {}; valid: {}", subject.name(), names.join(", "))
        })?;
        weights[at] = weight.parse().map_err(|_| format!("--weights: {weight:?} is not a whole number"))?;
    }
    if weights.iter().all(|&w| w == 0) {
        return Err("--weights: every weight is 0, so no operation can be drawn".to_string());
    }
    Ok(Generation { weights: Some(weights), swarm: args.swarm })
}

/// The subject's properties `name` selects: one, or `all`.
pub fn select(subject: &DynSubject, name: &str) -> Result<Vec<Property<DynHistory>>, String> {
    let all = subject.properties();
    if name == "all" {
        return Ok(all);
    }
    let names: Vec<&str> = all.iter().map(Property::name).collect();
    let one = all.iter().find(|p| p.name() == name).cloned();
    one.map(|p| vec![p])
        .ok_or_else(|| format!("unknown property {name:?} of {}; valid: {}, all", subject.name(), names.join(", ")))
}

pub fn check(args: CheckArgs) -> ExitCode {
    let mode = Delivery::from_name(&args.mode).expect("clap checked the name");
    let chosen = subjects::find(&args.subject, args.variant.as_deref())
        .and_then(|subject| Ok((select(&subject, &args.property)?, subject)));
    let (properties, variant) = match chosen {
        Ok(chosen) => chosen,
        Err(complaint) => {
            eprintln!("kvsim: {complaint}");
            return ExitCode::from(2);
        }
    };
    if let Some(complaint) = args.strategy.misuse() {
        eprintln!("kvsim: {complaint}");
        return ExitCode::from(2);
    }
    if args.strategy.search().is_some() {
        if let Some(complaint) = random_only_flag(&args) {
            eprintln!("kvsim: {complaint} applies to --strategy random and pct, not to an exhaustive search");
            return ExitCode::from(2);
        }
        return exhaustive_cmd::check(&variant, mode, &properties, &args.property, &args.strategy, args.json);
    }
    generated(&args, variant, mode, properties)
}

/// `check` with `--strategy random|pct`: a search over generated runs.
fn generated(args: &CheckArgs, variant: DynSubject, mode: Delivery, properties: Vec<Property<DynHistory>>) -> ExitCode {
    let name = variant.name();
    let generation = match generation(&variant, args) {
        Ok(generation) => generation,
        Err(complaint) => {
            eprintln!("kvsim: {complaint}");
            return ExitCode::from(2);
        }
    };
    let config = CheckConfig {
        schedule: args.strategy.schedule(),
        runs: args.search.runs(),
        seed: args.search.seed(),
        shard: args.shard,
        jobs: args.search.jobs(),
        time_limit: args.search.time,
        generation,
        ..CheckConfig::judging(variant, mode, properties)
    };
    let bar = progress::bar(config.shard.len(config.runs));
    let report = explore(&config, &|runs| bar.inc(runs));
    bar.finish_and_clear();
    let totals = Totals::of([&report], report.elapsed);
    let verdict = Verdict::of(&report);
    let property = match &report.found {
        Some(found) => {
            out!("{}", render_found(found));
            found.violation.property.to_string()
        }
        None if verdict == Verdict::NoRuns => {
            outln!("nothing checked in {name} / {}: {}", mode.name(), coverage(&report));
            args.property.clone()
        }
        None => {
            outln!("no violation of {} in {name} / {}: {}", args.property, mode.name(), coverage(&report));
            args.property.clone()
        }
    };
    outln!("{totals}");
    if args.json {
        let found = report.found.as_ref();
        let executions = found.map(|f| f.executions_to_failure);
        let (ops, token) = (found.map(|f| f.shrunk.workload.op_count()), found.map(|f| f.token.clone()));
        let mut object = json!({
            "subject": name, "variant": subjects::short(&report.config.subject), "mode": mode.name(), "property": property, "verdict": verdict.word(),
            "runs": report.covered, "executions_to_failure": executions, "ops": ops, "token": token,
            "first_failing_run": report.found.as_ref().map(|f| f.run), "seed": config.seed,
            "shard": config.shard.to_string(), "jobs": config.jobs, "stopped_by": stop_word(report.stop),
            "strategy": args.strategy.name(), "exhausted": false,
        });
        totals.add_to(&mut object);
        outln!("{object}");
    }
    if let (Some(path), Some(found)) = (&args.svg, &report.found) {
        if let Err(code) = picture::found_svg(path, &report.config.subject, found) {
            return code;
        }
    }
    verdict.exit_code()
}

/// The first flag given that only a search over generated runs honours.
fn random_only_flag(args: &CheckArgs) -> Option<&'static str> {
    let given = [
        (args.search.runs_given.is_some(), "--runs"),
        (args.search.seed_given.is_some(), "--seed"),
        (args.svg.is_some(), "--svg (replay the printed token with --format svg)"),
        (args.search.time.is_some(), "--time"),
        (args.search.jobs.is_some(), "--jobs"),
        (args.shard != Shard::WHOLE, "--shard"),
        (args.swarm, "--swarm"),
        (args.weights.is_some(), "--weights"),
    ];
    given.into_iter().find_map(|(is_given, flag)| is_given.then_some(flag))
}

fn stop_word(stop: Stop) -> &'static str {
    match stop {
        Stop::Exhausted => "runs",
        Stop::Violation => "violation",
        Stop::TimeLimit => "time",
    }
}

/// Which runs a check covered, in words.
fn coverage(report: &CheckReport<DynSubject>) -> String {
    let config = &report.config;
    let planned = config.shard.len(config.runs);
    let share = match config.shard {
        Shard::WHOLE => format!("runs 0..{} of seed {}", config.runs, config.seed),
        shard => format!("shard {shard} of runs 0..{} of seed {}", config.runs, config.seed),
    };
    match report.stop {
        Stop::TimeLimit if report.covered == 0 => {
            format!("the time limit came before the first of the {planned} runs of {share}")
        }
        Stop::TimeLimit => format!("the time limit came after {} of the {planned} runs of {share}", report.covered),
        _ if planned == 0 => format!("no run to explore in {share}"),
        _ => format!("all {planned} runs of {share}"),
    }
}

pub fn replay(text: &str, json: bool, pictured: &PictureArgs) -> ExitCode {
    let (subject, token) = match subjects::decode(text) {
        Ok(decoded) => decoded,
        Err(e) => {
            eprintln!("kvsim: {e}");
            return ExitCode::from(2);
        }
    };
    let (scheduler, fit) = Replay::watched(token.choices.clone());
    let run = subject.execute(&token.workload, Box::new(scheduler), TraceLevel::Full);
    if let Some(why) = fit.misfit(&token.choices) {
        // Tokens in the envelope are checked strictly; older ones, which
        // builds before the envelope replayed leniently, still replay, with
        // a warning on stderr.
        if text.starts_with(properties::token::current_version()) {
            eprintln!("kvsim: the token's choices do not fit its run ({why}): it is not a token kvsim printed, or it was edited");
            return ExitCode::from(2);
        }
        eprintln!(
            "kvsim: warning: the token's choices do not fit its run ({why}); the replay takes the first event there"
        );
    }
    let trace = run.trace.expect("replays are traced");
    let violations: Vec<_> = subject.properties().iter().filter_map(|p| p.check(&run.history)).collect();
    let code = if violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    let title = picture::title(text, &subject.name(), token.workload.mode);
    if let Some(exit) = picture::replay(pictured, &title, &trace, &violations, code) {
        return exit;
    }
    outln!("subject {}", subject.name());
    out!("{}", render_workload(&token.workload));
    out!("{}", render_trace(&trace, &violations));
    for v in &violations {
        outln!("{v}");
    }
    if violations.is_empty() {
        outln!("no property violated");
    }
    outln!("{}", replay_line(text));
    if json {
        let object = json!({
            "subject": subject.name(), "variant": subjects::short(&subject), "mode": token.workload.mode.name(),
            "violations": violations.iter().map(|v| json!({"property": v.property, "message": v.message})).collect::<Vec<_>>(),
            "steps": run.steps, "trace_hash": format!("{:016x}", trace.hash()), "token": text,
        });
        outln!("{object}");
    }
    code
}
