//! `no-dead-lookup`: every `lookup(name)` invoked at time t that answered a
//! bucket B (`{:ok, B}`) answered a B that had not terminated before the
//! lookup began, and whose process label is exactly `bucket(name)`, i.e. B
//! is a bucket created for `name`. Lookups answering `:error`, failing or
//! unanswered are not judged. The first violating lookup in invocation order
//! is reported.
//!
//! Order within a step: stamps are steps, and one step is one process's
//! handler, so B ending at t, the step the lookup began, is before the
//! lookup exactly when this handler ended B first. The only way a client's
//! handler ends another process in its own step is a kill (an exit signal
//! lands when sent in `instant` mode), recorded in the call log, which is in
//! program order: so B ended before the lookup when it ended at t < t', or
//! at t' itself after a `crash` of B that the same client recorded in that
//! step before the lookup. Otherwise B ending at t' ended after the lookup
//! began (in a later event of the step), and is allowed.
//!
//! Decision: a bucket pid with no process record is reported as not being
//! the bucket created for `name` (nothing shows it was).

use super::{blame, bucket_name, client, pid_name, Finding};
use crate::kv::history::{Answer, Call, CallRecord, History};

pub fn check(history: &History) -> Option<String> {
    find(history).map(|f| f.message)
}

/// The violation, blaming the offending lookup's answer.
pub fn find(history: &History) -> Option<Finding> {
    let mut calls = history.calls.iter().enumerate();
    let (record, wrong) = calls.find_map(|(i, record)| Some((record, judge(history, i, record)?)))?;
    Some(blame(message(history, record, wrong), record))
}

/// What is wrong with a lookup's answer.
enum Wrong<'a> {
    /// The answer is no known process.
    Unknown,
    /// The answer is a process with this other label.
    Other(&'a str),
    /// The answer is a bucket that terminated at this time.
    Dead(u64),
    /// The answer is a bucket the same client killed earlier in the step the lookup began.
    Killed(u64),
}

/// Why this call is a dead or wrong lookup, if it is one (no message yet:
/// most lookups are fine, and only a violation needs the words).
fn judge<'a>(history: &'a History, index: usize, record: &CallRecord) -> Option<Wrong<'a>> {
    let (Call::Lookup(name), Some(Answer::Bucket(Some(bucket)))) = (&record.call, &record.answer) else {
        return None;
    };
    let Some(process) = history.process(*bucket) else {
        return Some(Wrong::Unknown);
    };
    if bucket_name(&process.label) != Some(name.as_str()) {
        return Some(Wrong::Other(&process.label));
    }
    match process.exited_at? {
        at if at < record.invoked => Some(Wrong::Dead(at)),
        at if at == record.invoked && killed_before(history, index, *bucket) => Some(Wrong::Killed(at)),
        _ => None,
    }
}

/// Whether the client of `history.calls[index]` killed `bucket` earlier in
/// the step that call was invoked in (see the module's doc).
fn killed_before(history: &History, index: usize, bucket: sim::Pid) -> bool {
    let record = &history.calls[index];
    let earlier = history.calls[..index].iter().rev().take_while(|r| r.invoked == record.invoked);
    earlier.filter(|r| r.client == record.client).any(|r| matches!(r.call, Call::Kill { bucket: b, .. } if b == bucket))
}

/// The violation in words.
fn message(history: &History, record: &CallRecord, wrong: Wrong) -> String {
    let (Call::Lookup(name), Some(Answer::Bucket(Some(bucket)))) = (&record.call, &record.answer) else {
        unreachable!("only lookups answering a bucket are judged")
    };
    let head = format!(
        "lookup({name}) invoked at t={} by {} answered {}",
        record.invoked,
        client(record),
        pid_name(&history.names(), *bucket)
    );
    match wrong {
        Wrong::Unknown => format!("{head}, which is no known process, not a bucket created for {name}"),
        Wrong::Other(label) => format!("{head}, which is {label}, not a bucket created for {name}"),
        Wrong::Dead(dead_at) => format!("{head}, which terminated at t={dead_at}"),
        Wrong::Killed(at) => format!("{head}, which {} had killed earlier in that step (t={at})", client(record)),
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::kv::checkers::testkit::{call, found, lookup, process};
    use crate::kv::history::History;
    use sim::Pid;

    fn history(bucket_exit: Option<u64>, lookup_at: u64, label: &str) -> History {
        History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "client1", 1, None),
                process(3, label, 3, bucket_exit),
            ],
            calls: vec![call(1, lookup("a"), lookup_at, Some(lookup_at + 2), found(3))],
            registry: Some(Pid(1)),
            ..History::default()
        }
    }

    #[test]
    fn a_lookup_answering_a_bucket_dead_before_it_is_reported_with_both_times() {
        let message = check(&history(Some(7), 9, "bucket(a)")).expect("a violation");
        assert_eq!(message, "lookup(a) invoked at t=9 by client1 answered bucket(a)#1, which terminated at t=7");
    }

    #[test]
    fn a_live_bucket_or_one_ending_at_the_invocation_step_is_fine() {
        assert_eq!(check(&history(None, 9, "bucket(a)")), None);
        assert_eq!(check(&history(Some(9), 9, "bucket(a)")), None);
        assert_eq!(check(&history(Some(12), 9, "bucket(a)")), None);
    }

    #[test]
    fn a_bucket_of_another_name_is_reported() {
        let message = check(&history(None, 9, "bucket(b)")).expect("a violation");
        assert!(message.contains("t=9") && message.contains("bucket(b)#1"), "{message}");
        assert!(message.contains("not a bucket created for a"), "{message}");
    }

    #[test]
    fn an_error_answer_is_not_judged() {
        let mut h = history(Some(7), 9, "bucket(a)");
        h.calls[0].answer = Some(crate::kv::history::Answer::Bucket(None));
        assert_eq!(check(&h), None);
    }

    /// A client that kills a bucket and looks it up in the same step saw it
    /// dead, in `instant` mode; a lookup it began before the kill did not.
    #[test]
    fn a_kill_earlier_in_the_same_step_orders_the_death_before_the_lookup() {
        use crate::kv::checkers::testkit::call;
        use crate::kv::history::{Answer, Call};
        let kill = || Call::Kill { name: "a".into(), bucket: Pid(3) };
        let mut h = history(Some(9), 9, "bucket(a)");
        h.calls.insert(0, call(1, kill(), 9, Some(9), Some(Answer::Done)));
        let message = check(&h).expect("the lookup began after the kill");
        assert!(message.ends_with("which client1 had killed earlier in that step (t=9)"), "{message}");
        let mut after = history(Some(9), 9, "bucket(a)");
        after.calls.push(call(1, kill(), 9, Some(9), Some(Answer::Done)));
        assert_eq!(check(&after), None, "a kill after the lookup began");
        let mut other = history(Some(9), 9, "bucket(a)");
        other.calls.insert(0, call(2, kill(), 9, Some(9), Some(Answer::Done)));
        assert_eq!(check(&other), None, "another client's kill is not in this step's handler");
    }
}
