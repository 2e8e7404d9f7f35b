//! The two models `kvsim lincheck` knows, as sequential specifications, and
//! how a history's events become their operations.
//!
//! Outcomes: `:ok` is known; `:info`, an operation that never ends, and a
//! `:fail` carrying `:timed-out` are unknown (it may or may not have taken
//! effect; its result constrains nothing); any other `:fail` did not take
//! effect, except a cas, which ran and found another value. A read (get)
//! without a known result constrains nothing and changes nothing, so it is
//! left out of the search.

use super::edn::Value;
use super::parse::{Event, Kind, Malformed};
use properties::linearizability::{Operation, SequentialSpec};
use std::collections::HashMap;

/// An invocation and its completion, if one came.
pub struct Paired {
    pub invoke: Event,
    pub end: Option<Event>,
}

/// Pairs each process's invocation with its next completion.
pub fn pair(events: Vec<Event>) -> Result<Vec<Paired>, Malformed> {
    let mut pending: HashMap<i64, usize> = HashMap::new();
    let mut paired: Vec<Paired> = Vec::new();
    for event in events {
        let line = event.line;
        let process = event.process;
        if event.kind == Kind::Invoke {
            if let Some(&open) = pending.get(&process) {
                let message = format!(
                    "process {process} invokes while its operation from line {} is pending",
                    paired[open].invoke.line
                );
                return Err(Malformed { line, message });
            }
            pending.insert(process, paired.len());
            paired.push(Paired { invoke: event, end: None });
            continue;
        }
        let Some(open) = pending.remove(&process) else {
            return Err(Malformed {
                line,
                message: format!("process {process} completes an operation it never invoked"),
            });
        };
        if paired[open].invoke.f != event.f {
            let invoked = &paired[open].invoke;
            let message = format!("completes :{} but line {} invoked :{}", event.f, invoked.line, invoked.f);
            return Err(Malformed { line, message });
        }
        paired[open].end = Some(event);
    }
    Ok(paired)
}

enum Effect {
    Ok,
    Failed,
    Unknown,
}

fn effect(p: &Paired) -> Effect {
    match &p.end {
        Some(Event { kind: Kind::Ok, .. }) => Effect::Ok,
        Some(Event { kind: Kind::Fail, value, .. }) if value.keyword() != Some("timed-out") => Effect::Failed,
        _ => Effect::Unknown,
    }
}

/// A model: its spec, and each paired event as one of its operations (or
/// none, for one that constrains nothing).
pub trait Model: SequentialSpec {
    #[allow(clippy::type_complexity)]
    fn operation(&self, p: &Paired) -> Result<Option<Operation<Self::Input, Self::Output>>, Malformed>;
}

fn known<I, O>(p: &Paired, input: I, output: O) -> Option<Operation<I, O>> {
    let end = p.end.as_ref().expect("a known outcome has an end");
    Some(Operation::returned(input, p.invoke.line as u64, end.line as u64, output))
}

fn unknown<I, O>(p: &Paired, input: I) -> Option<Operation<I, O>> {
    Some(Operation::unknown(input, p.invoke.line as u64))
}

fn bad(event: &Event, message: String) -> Malformed {
    Malformed { line: event.line, message }
}

/// A single register: read, write, cas `[from to]`; it starts with no value.
pub struct Register;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterOp {
    Read,
    Write(Value),
    Cas(Value, Value),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterOut {
    Value(Value),
    Written,
    Swapped(bool),
}

impl SequentialSpec for Register {
    type State = Value;
    type Input = RegisterOp;
    type Output = RegisterOut;
    type Key = ();
    fn init(&self) -> Value {
        Value::Nil
    }
    fn apply(&self, state: &Value, input: &RegisterOp) -> (Value, RegisterOut) {
        match input {
            RegisterOp::Read => (state.clone(), RegisterOut::Value(state.clone())),
            RegisterOp::Write(v) => (v.clone(), RegisterOut::Written),
            RegisterOp::Cas(from, to) if state == from => (to.clone(), RegisterOut::Swapped(true)),
            RegisterOp::Cas(..) => (state.clone(), RegisterOut::Swapped(false)),
        }
    }
    /// A read, and a cas that found another value, never change the value.
    fn read_only(&self, input: &RegisterOp, output: &RegisterOut) -> bool {
        matches!((input, output), (RegisterOp::Read, _) | (RegisterOp::Cas(..), RegisterOut::Swapped(false)))
    }
}

impl Model for Register {
    fn operation(&self, p: &Paired) -> Result<Option<Operation<RegisterOp, RegisterOut>>, Malformed> {
        let invoke = &p.invoke;
        Ok(match (invoke.f.as_str(), effect(p)) {
            ("read", Effect::Ok) => {
                let value = p.end.as_ref().map_or(Value::Nil, |e| e.value.clone());
                known(p, RegisterOp::Read, RegisterOut::Value(value))
            }
            ("read", _) => None,
            ("write", effect) => {
                let input = RegisterOp::Write(invoke.value.clone());
                match effect {
                    Effect::Ok => known(p, input, RegisterOut::Written),
                    Effect::Failed => None,
                    Effect::Unknown => unknown(p, input),
                }
            }
            ("cas", effect) => {
                let Value::Vector(pair) = &invoke.value else {
                    return Err(bad(invoke, format!("cas value {} is not [from to]", invoke.value)));
                };
                let [from, to] = pair.as_slice() else {
                    return Err(bad(invoke, format!("cas value {} is not [from to]", invoke.value)));
                };
                let input = RegisterOp::Cas(from.clone(), to.clone());
                match effect {
                    Effect::Ok => known(p, input, RegisterOut::Swapped(true)),
                    Effect::Failed => known(p, input, RegisterOut::Swapped(false)),
                    Effect::Unknown => unknown(p, input),
                }
            }
            (f, _) => return Err(bad(invoke, format!("the register has read, write and cas, not :{f}"))),
        })
    }
}

/// Independent string registers by key: get, put, append. A get answers
/// the string stored, `""` when nothing is.
///
/// The key is `:key`, or else the value is a `[key value]` tuple (Jepsen's
/// `independent` form, and the only one a log line has): `0 :invoke :put
/// ["x" "1"]`, `0 :ok :get ["x" "1"]`. A get's invocation carries `nil` as
/// its value. A get answering `nil` is read as `""`.
pub struct Kv;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvOp {
    Get(String),
    Put(String, String),
    Append(String, String),
}

impl KvOp {
    fn key(&self) -> &str {
        match self {
            KvOp::Get(k) | KvOp::Put(k, _) | KvOp::Append(k, _) => k,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvOut {
    Value(String),
    Done,
}

impl SequentialSpec for Kv {
    /// One key's string: every operation names its key, so each partition
    /// is one key's, and starts from `""`.
    type State = String;
    type Input = KvOp;
    type Output = KvOut;
    type Key = String;
    fn init(&self) -> String {
        String::new()
    }
    fn apply(&self, state: &String, input: &KvOp) -> (String, KvOut) {
        match input {
            KvOp::Get(_) => (state.clone(), KvOut::Value(state.clone())),
            KvOp::Put(_, v) => (v.clone(), KvOut::Done),
            KvOp::Append(_, v) => (format!("{state}{v}"), KvOut::Done),
        }
    }
    fn read_only(&self, input: &KvOp, _output: &KvOut) -> bool {
        matches!(input, KvOp::Get(_))
    }
    fn partition(&self, input: &KvOp) -> Option<String> {
        Some(input.key().to_string())
    }
}

/// The key and value of a kv event.
fn key_value(event: &Event) -> Result<(String, Value), Malformed> {
    if let Some(key) = &event.key {
        return Ok((key.text(), event.value.clone()));
    }
    match &event.value {
        Value::Vector(kv) if kv.len() == 2 => Ok((kv[0].text(), kv[1].clone())),
        other => Err(bad(event, format!("a kv operation needs :key or a [key value] value, not {other}"))),
    }
}

fn string(event: &Event, value: &Value) -> Result<String, Malformed> {
    match value {
        Value::Str(s) => Ok(s.clone()),
        Value::Int(_) | Value::Keyword(_) | Value::Bool(_) => Ok(value.text()),
        other => Err(bad(event, format!("a kv value must be a string, not {other}"))),
    }
}

impl Model for Kv {
    fn operation(&self, p: &Paired) -> Result<Option<Operation<KvOp, KvOut>>, Malformed> {
        let invoke = &p.invoke;
        let (key, value) = key_value(invoke)?;
        Ok(match (invoke.f.as_str(), effect(p)) {
            ("get", Effect::Ok) => {
                let end = p.end.as_ref().expect("ok has an end");
                let (end_key, got) = key_value(end)?;
                if end_key != key {
                    return Err(bad(end, format!("get of key {end_key:?} completes a get of {key:?}")));
                }
                let got = if got == Value::Nil { String::new() } else { string(end, &got)? };
                known(p, KvOp::Get(key), KvOut::Value(got))
            }
            ("get", _) => None,
            (f @ ("put" | "append"), effect) => {
                let value = string(invoke, &value)?;
                let input = if f == "put" { KvOp::Put(key, value) } else { KvOp::Append(key, value) };
                match effect {
                    Effect::Ok => known(p, input, KvOut::Done),
                    Effect::Failed => None,
                    Effect::Unknown => unknown(p, input),
                }
            }
            (f, _) => return Err(bad(invoke, format!("the kv model has get, put and append, not :{f}"))),
        })
    }
}
