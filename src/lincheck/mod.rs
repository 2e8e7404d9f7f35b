//! `kvsim lincheck FILE --model register|kv`: is a history recorded
//! elsewhere (Jepsen's format, as Knossos and Porcupine read it)
//! linearizable? Parsing in `edn.rs` and `parse.rs`, the models in
//! `models.rs`, the search in `properties::linearizability`, and histories
//! generated for the benchmark in `generate.rs`.
//!
//! Exit codes: 0 linearizable, 1 not (with the offending operations, by
//! line), 2 malformed input (one line on stderr naming the line), 3 the
//! search budget ran out (no answer).

mod edn;
pub mod generate;
pub mod models;
mod parse;

use crate::output::outln;
use clap::{Args, ValueEnum};
use models::{pair, Kv, Model, Paired, Register};
use parse::{Event, Kind};
use properties::linearizability::{check, Budget, Operation, Verdict};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelName {
    /// One register: read, write, cas [from to]; starts with no value.
    Register,
    /// Independent string registers by key: get, put, append.
    Kv,
}

#[derive(Args)]
pub struct LincheckArgs {
    /// The history: EDN maps or jepsen.util log lines, one event a line.
    file: std::path::PathBuf,
    /// The sequential model to check against.
    #[arg(long, value_enum)]
    model: ModelName,
    /// At most this many search steps (calls of the model), then exit 3.
    #[arg(long, default_value_t = Budget::default().steps)]
    budget: u64,
}

pub fn run(args: LincheckArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("kvsim: cannot read {}: {e}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let budget = Budget { steps: args.budget, ..Budget::default() };
    let paired = match parse::events(&text).and_then(pair) {
        Ok(paired) => paired,
        Err(bad) => return malformed(&args, bad.line, &bad.message),
    };
    match args.model {
        ModelName::Register => judge(&args, &Register, &paired, budget),
        ModelName::Kv => judge(&args, &Kv, &paired, budget),
    }
}

fn malformed(args: &LincheckArgs, line: usize, message: &str) -> ExitCode {
    eprintln!("kvsim: {}:{line}: {message}", args.file.display());
    ExitCode::from(2)
}

fn judge<M: Model>(args: &LincheckArgs, model: &M, paired: &[Paired], budget: Budget) -> ExitCode {
    let mut history: Vec<Operation<M::Input, M::Output>> = Vec::new();
    let mut origin: Vec<&Paired> = Vec::new();
    for p in paired {
        match model.operation(p) {
            Ok(Some(op)) => {
                history.push(op);
                origin.push(p);
            }
            Ok(None) => {}
            Err(bad) => return malformed(args, bad.line, &bad.message),
        }
    }
    let unknown = history.iter().filter(|op| op.response.is_none()).count();
    let start = std::time::Instant::now();
    let verdict = check(model, &history, budget);
    let seconds = start.elapsed().as_secs_f64();
    let summary = format!(
        "{} operations checked ({unknown} with an unknown outcome, {} constraining nothing left out)",
        history.len(),
        paired.len() - history.len()
    );
    match verdict {
        Verdict::Linearizable { steps } => {
            outln!("linearizable: {summary}; {steps} search steps in {seconds:.3}s");
            ExitCode::SUCCESS
        }
        Verdict::Unknown { steps } => {
            outln!("unknown: the search budget of {steps} steps ran out before an answer (raise --budget); {summary}");
            ExitCode::from(3)
        }
        Verdict::NotLinearizable { violation, steps } => {
            let partition = violation.partition.map(|k| format!(" (key {k})")).unwrap_or_default();
            let n = violation.minimal.len();
            let these = if n == 1 { "this operation".to_string() } else { format!("these {n} operations") };
            outln!(
                "not linearizable{partition}: no order fits the answers of {these} (whatever the others did: \
                 each may have taken effect after its invocation, or never):"
            );
            for &i in &violation.minimal {
                outln!("  {}", describe(origin[i]));
            }
            outln!(
                "the longest linearizable prefix the search found has {} operations; it could not place {}",
                violation.prefix.len(),
                describe(origin[violation.blocked])
            );
            outln!("{summary}; {steps} search steps in {seconds:.3}s");
            ExitCode::from(1)
        }
    }
}

/// `line 3-4: process 0 :write 1 -> :ok`, from the history's own events.
fn describe(p: &Paired) -> String {
    let invoke = &p.invoke;
    let key = invoke.key.as_ref().map(|k| format!(" key {k}")).unwrap_or_default();
    let end = match &p.end {
        None => format!("line {}: ", invoke.line),
        Some(end) => format!("lines {}-{}: ", invoke.line, end.line),
    };
    let result = match &p.end {
        None => "never returned".to_string(),
        Some(Event { kind, value, .. }) => {
            let kind = match kind {
                Kind::Ok => ":ok",
                Kind::Fail => ":fail",
                Kind::Info => ":info",
                Kind::Invoke => ":invoke",
            };
            format!("{kind} {value}")
        }
    };
    format!("{end}process {} :{}{key} {} -> {result}", invoke.process, invoke.f, invoke.value)
}
