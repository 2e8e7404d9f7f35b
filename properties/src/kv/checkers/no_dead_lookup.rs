//! `no-dead-lookup`: every `lookup(name)` invoked at time t that answered a
//! bucket B (`{:ok, B}`) answered a B that had not terminated strictly before
//! t (B ending at t itself is allowed: it ended in the step the lookup began)
//! and whose process label is exactly `bucket(name)`, i.e. B is a bucket
//! created for `name`. Lookups answering `:error`, failing or unanswered are
//! not judged. The first violating lookup in invocation order is reported.
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
    let (record, wrong) = history.calls.iter().find_map(|record| Some((record, judge(history, record)?)))?;
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
}

/// Why this call is a dead or wrong lookup, if it is one (no message yet:
/// most lookups are fine, and only a violation needs the words).
fn judge<'a>(history: &'a History, record: &CallRecord) -> Option<Wrong<'a>> {
    let (Call::Lookup(name), Some(Answer::Bucket(Some(bucket)))) = (&record.call, &record.answer) else {
        return None;
    };
    let Some(process) = history.process(*bucket) else {
        return Some(Wrong::Unknown);
    };
    if bucket_name(&process.label) != Some(name.as_str()) {
        return Some(Wrong::Other(&process.label));
    }
    process.exited_at.filter(|&at| at < record.invoked).map(Wrong::Dead)
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
}
