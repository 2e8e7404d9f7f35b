//! `kvsim check` and `kvsim replay`.

use crate::picture::{self, PictureArgs};
use clap::builder::PossibleValuesParser;
use clap::Args;
use model::Variant;
use properties::check::{check as explore, CheckConfig};
use properties::report::{render_found, render_trace, render_workload, replay_line};
use properties::run::{Kv, Subject};
use properties::token::Token;
use properties::Property;
use serde_json::json;
use sim::Delivery;
use std::process::ExitCode;

fn variant_names() -> Vec<&'static str> {
    Variant::ALL.iter().map(|v| v.name()).collect()
}

fn mode_names() -> Vec<&'static str> {
    Delivery::ALL.iter().map(|m| m.name()).collect()
}

fn property_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = Property::ALL.iter().map(|p| p.name()).collect();
    names.push("all");
    names
}

#[derive(Args)]
pub struct CheckArgs {
    #[arg(long, value_parser = PossibleValuesParser::new(variant_names()))]
    variant: String,
    #[arg(long, default_value = "spec", value_parser = PossibleValuesParser::new(mode_names()))]
    mode: String,
    #[arg(long, default_value = "all", value_parser = PossibleValuesParser::new(property_names()))]
    property: String,
    /// Generated workloads (each under its own random schedule) to explore.
    #[arg(long, default_value_t = 10_000)]
    runs: u64,
    /// The exploration's seed: the same seed explores the same runs.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print one JSON object on the last line of stdout.
    #[arg(long)]
    json: bool,
    /// Write an SVG chart of the counterexample found to FILE.
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,
}

pub fn check(args: CheckArgs) -> ExitCode {
    let variant = Variant::from_name(&args.variant).expect("clap checked the name");
    let mode = Delivery::from_name(&args.mode).expect("clap checked the name");
    let properties = match Property::from_name(&args.property) {
        Some(p) => vec![p],
        None => Property::ALL.to_vec(),
    };
    let config = CheckConfig { variant, mode, properties, runs: args.runs, seed: args.seed };
    let report = explore(&config);
    let (property, verdict, executions, ops, token) = match &report.found {
        Some(found) => {
            print!("{}", render_found(found));
            let token = found.token.encode();
            (
                found.violation.property.name().to_string(),
                "violation",
                json!(found.executions_to_failure),
                json!(found.shrunk.workload.op_count()),
                json!(token),
            )
        }
        None => {
            println!(
                "no violation of {} in {} runs ({} steps) of {} / {}",
                args.property,
                report.runs_done,
                report.steps,
                variant,
                mode.name()
            );
            (args.property.clone(), "pass", json!(null), json!(null), json!(null))
        }
    };
    if args.json {
        let object = json!({
            "variant": variant.name(), "mode": mode.name(), "property": property, "verdict": verdict,
            "runs": report.runs_done, "executions_to_failure": executions, "ops": ops, "token": token,
        });
        println!("{object}");
    }
    if let (Some(path), Some(found)) = (&args.svg, &report.found) {
        if let Err(code) = picture::found_svg(path, found) {
            return code;
        }
    }
    if report.found.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn replay(text: &str, json: bool, pictured: &PictureArgs) -> ExitCode {
    let token = match Token::decode(text) {
        Ok(token) => token,
        Err(e) => {
            eprintln!("kvsim: {e}");
            return ExitCode::from(2);
        }
    };
    let run = Kv(token.variant).replay(&token.workload, &token.choices);
    let trace = run.trace.expect("replays are traced");
    let violations: Vec<_> = Property::ALL.iter().filter_map(|p| p.check(&run.history)).collect();
    let code = if violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if let Some(exit) = picture::replay(pictured, &token, &trace, &violations, code) {
        return exit;
    }
    println!("variant {}", token.variant);
    print!("{}", render_workload(&token.workload));
    print!("{}", render_trace(&trace, &violations));
    for v in &violations {
        println!("{v}");
    }
    if violations.is_empty() {
        println!("no property violated");
    }
    println!("{}", replay_line(text));
    if json {
        let object = json!({
            "variant": token.variant.name(), "mode": token.workload.mode.name(),
            "violations": violations.iter().map(|v| json!({"property": v.property.name(), "message": v.message})).collect::<Vec<_>>(),
            "steps": run.steps, "trace_hash": format!("{:016x}", trace.hash()), "token": text,
        });
        println!("{object}");
    }
    code
}
