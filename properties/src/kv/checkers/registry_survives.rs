//! `registry-survives`: the registry process (`History::registry`) never
//! terminates during the run, whatever happens to buckets. A history with no
//! registry recorded is not judged.
//!
//! The message names the registry's exit time and reason and, to explain it,
//! the bucket whose termination it most plausibly followed: the process
//! labelled `bucket(...)` with the latest exit time at or before the
//! registry's (a later process record wins a tie), together with the client
//! stop or crash that targeted that bucket (the last one invoked no later
//! than the registry's exit), if any.

use super::{client, describe, pid_name, Names};
use crate::kv::history::{Call, CallRecord, History};
use sim::det::ProcessRecord;
use sim::Pid;

pub fn check(history: &History) -> Option<String> {
    let registry = history.process(history.registry?)?;
    let exited_at = registry.exited_at?;
    let names = history.names();
    let reason = registry.reason.as_ref().map_or_else(|| "unknown".to_string(), |r| r.to_string());
    let head = format!("{} terminated at t={exited_at} with reason {reason}", pid_name(&names, registry.pid));
    Some(format!("{head}{}", following(history, &names, exited_at)))
}

/// The bucket termination (and the client call behind it) that the registry's end at `t` followed.
fn following(history: &History, names: &Names, t: u64) -> String {
    let Some(bucket) = last_bucket_exit(history, t) else {
        return "; no bucket had terminated before it".to_string();
    };
    let ended = bucket.exited_at.expect("chosen for its exit");
    let cause = culprit(history, bucket.pid, t).map_or_else(String::new, |record| {
        format!(", after {}'s {} invoked at t={}", client(record), describe(&record.call, names), record.invoked)
    });
    format!(", following {} which terminated at t={ended}{cause}", pid_name(names, bucket.pid))
}

/// The bucket that ended last at or before `t`.
fn last_bucket_exit(history: &History, t: u64) -> Option<&ProcessRecord> {
    let ended =
        history.processes.iter().filter(|p| p.label.starts_with("bucket(") && p.exited_at.is_some_and(|e| e <= t));
    ended.max_by_key(|p| p.exited_at)
}

/// The last client stop or kill of `bucket` invoked at or before `t`.
fn culprit(history: &History, bucket: Pid, t: u64) -> Option<&CallRecord> {
    let targets = |r: &&CallRecord| match &r.call {
        Call::Stop { bucket: b, .. } | Call::Kill { bucket: b, .. } => *b == bucket && r.invoked <= t,
        _ => false,
    };
    history.calls.iter().rfind(targets)
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::kv::checkers::testkit::{call, process};
    use crate::kv::history::{Answer, Call, History};
    use model::kv::Name;
    use sim::{Pid, Reason};

    fn history(registry_exit: Option<u64>) -> History {
        let mut registry = process(1, "registry", 0, registry_exit);
        registry.reason = registry_exit.map(|_| Reason::Killed);
        let mut bucket = process(3, "bucket(a)", 4, Some(8));
        bucket.reason = Some(Reason::Killed);
        let kill = Call::Kill { name: Name::from("a"), bucket: Pid(3) };
        History {
            processes: vec![registry, process(2, "client1", 1, None), bucket, process(4, "bucket(b)", 5, None)],
            calls: vec![call(1, kill, 7, Some(7), Some(Answer::Done))],
            registry: Some(Pid(1)),
            ..History::default()
        }
    }

    #[test]
    fn a_registry_dying_after_a_bucket_crash_names_the_crash() {
        let message = check(&history(Some(9))).expect("a violation");
        assert_eq!(
            message,
            "registry terminated at t=9 with reason killed, following bucket(a)#1 which terminated at t=8, \
             after client1's crash(a) killing bucket(a)#1 invoked at t=7"
        );
    }

    #[test]
    fn a_live_registry_holds() {
        assert_eq!(check(&history(None)), None);
    }

    #[test]
    fn a_registry_dying_first_names_no_bucket() {
        let message = check(&history(Some(6))).expect("a violation");
        assert!(message.contains("t=6") && message.contains("no bucket had terminated"), "{message}");
    }
}
