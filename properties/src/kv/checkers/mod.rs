//! One checker per property, each a pure function of a [`History`](crate::kv::history::History)
//! returning the violation's description, or `None` when the property holds.
//!
//! The helpers below word calls, answers and processes the same way in every
//! checker's message.

pub mod clean_at_rest;
pub mod create_visible;
pub mod linearizable;
pub mod no_dead_lookup;
pub mod no_hang;
pub mod no_lost_writes;
pub mod registry_survives;

use super::history::{Answer, Call, CallRecord};
pub use crate::property::Finding;
use sim::Pid;
use std::collections::BTreeMap;

/// The finding that blames `record`'s answer: what its client handled in
/// the step the answer came (nothing, if it never came).
pub(crate) fn blame(message: String, record: &CallRecord) -> Finding {
    let finding = Finding::new(message);
    match record.returned {
        Some(step) => finding.blaming(record.client_pid, step),
        None => finding,
    }
}

/// Readable process names, as [`History::names`](crate::kv::history::History::names) gives them.
pub(crate) type Names = BTreeMap<Pid, String>;

/// A call's invocation and response as positions in real time, for the
/// linearizability checkers: a response in step t comes before an
/// invocation in step t (a client that handles an answer and calls again in
/// one step), the call's index breaks ties no real history has, and a call
/// answered in its own step responds after its own invocation.
pub(crate) fn positions(invoked: u64, returned: Option<u64>, index: usize) -> (u64, Option<u64>) {
    assert!(index < 1 << 19, "at most 2^19 calls in one history");
    let at = |step: u64, invoke: bool| ((2 * step + u64::from(invoke)) << 20) | index as u64;
    let invoke = at(invoked, true);
    (invoke, returned.map(|step| at(step, false).max(invoke | 1 << 19)))
}

/// `bucket(name)`: the label of the bucket created for `name`.
pub(crate) fn bucket_label(name: &str) -> String {
    format!("bucket({name})")
}

/// The name a bucket label stands for: `bucket(a)` gives `a`.
pub(crate) fn bucket_name(label: &str) -> Option<&str> {
    label.strip_prefix("bucket(")?.strip_suffix(')')
}

/// A process's readable name, falling back to its pid.
pub(crate) fn pid_name(names: &Names, pid: Pid) -> String {
    names.get(&pid).cloned().unwrap_or_else(|| format!("{pid}"))
}

/// The client that made a call: `client1`.
pub(crate) fn client(record: &CallRecord) -> String {
    format!("client{}", record.client)
}

/// A call in words: `lookup(a)`, `put(a, 3) on bucket(a)#1`.
pub(crate) fn describe(call: &Call, names: &Names) -> String {
    match call {
        Call::Lookup(name) => format!("lookup({name})"),
        Call::Create(name) => format!("create({name})"),
        Call::Stop { name, bucket } => format!("stop({name}) of {}", pid_name(names, *bucket)),
        Call::Kill { name, bucket } => format!("crash({name}) killing {}", pid_name(names, *bucket)),
        Call::Put { name, bucket, key, value } => {
            format!("put({name}, {key}, {value}) on {}", pid_name(names, *bucket))
        }
        Call::Get { name, bucket, key } => format!("get({name}, {key}) on {}", pid_name(names, *bucket)),
    }
}

/// A register value in words: `3`, or `nil` for none.
pub(crate) fn value(v: Option<i64>) -> String {
    v.map_or_else(|| "nil".to_string(), |v| v.to_string())
}

/// An answer in words: `bucket(a)#1`, `:error`, `3`, `nil`, `:ok`, `exit killed`.
pub(crate) fn show_answer(answer: &Answer, names: &Names) -> String {
    match answer {
        Answer::Bucket(Some(pid)) => pid_name(names, *pid),
        Answer::Bucket(None) => ":error".to_string(),
        Answer::Value(v) => value(*v),
        Answer::Done => ":ok".to_string(),
        Answer::Failed(reason) => format!("exit {reason}"),
    }
}

/// Builders for hand-made histories in the checkers' tests.
#[cfg(test)]
pub(crate) mod testkit {
    use crate::kv::history::{Answer, Call, CallRecord};
    use model::kv::Name;
    use sim::det::ProcessRecord;
    use sim::{Pid, Reason};

    pub fn process(pid: u32, label: &str, spawned_at: u64, exited_at: Option<u64>) -> ProcessRecord {
        let reason = exited_at.map(|_| Reason::Normal);
        ProcessRecord { pid: Pid(pid), label: label.to_string().into(), spawned_at, exited_at, reason }
    }

    /// A call of client `client`, whose process is pid `client + 1` (the
    /// registry is pid 1 in these histories).
    pub fn call(client: usize, call: Call, invoked: u64, returned: Option<u64>, answer: Option<Answer>) -> CallRecord {
        CallRecord { client, client_pid: Pid(client as u32 + 1), op: 0, call, invoked, returned, answer }
    }

    pub fn lookup(name: &str) -> Call {
        Call::Lookup(Name::new(name))
    }

    pub fn create(name: &str) -> Call {
        Call::Create(Name::new(name))
    }

    pub fn put(name: &str, bucket: u32, value: i64) -> Call {
        Call::Put { name: Name::new(name), bucket: Pid(bucket), key: "x", value }
    }

    pub fn get(name: &str, bucket: u32) -> Call {
        Call::Get { name: Name::new(name), bucket: Pid(bucket), key: "x" }
    }

    pub fn found(bucket: u32) -> Option<Answer> {
        Some(Answer::Bucket(Some(Pid(bucket))))
    }
}
