//! `create-visible`: after `create(name)` by client c returned `:ok`, c's next
//! `lookup(name)` (the first one c invoked after it, whether a plain lookup or
//! the lookup that begins a stop, crash, put or get) must answer a bucket that
//! had not terminated before that lookup was invoked, unless a stop or crash
//! of `name`'s bucket came in between: some process labelled `bucket(name)`
//! exited at a time within [create invoked, lookup returned].
//!
//! Decisions: if that next lookup failed or never returned, the create is not
//! judged (we do not look further); a create that failed or never returned is
//! not judged. The first violation in the order of the creates' invocation is
//! reported.

use super::{blame, bucket_label, bucket_name, client, show_answer, Finding};
use crate::kv::history::{Answer, Call, CallRecord, History};
use sim::Pid;

pub fn check(history: &History) -> Option<String> {
    find(history).map(|f| f.message)
}

/// The violation with the index in `history.calls` of the lookup that does not see the create.
pub fn find(history: &History) -> Option<Finding> {
    let mut creates = history.calls.iter().enumerate().filter(|(_, r)| is_done_create(r));
    creates.find_map(|(i, create)| {
        let (at, lookup) = next_lookup(history, i)?;
        Some(blame(judge(history, create, lookup)?, &history.calls[at]))
    })
}

fn is_done_create(record: &CallRecord) -> bool {
    matches!(record.call, Call::Create(_)) && record.returned.is_some() && record.answer == Some(Answer::Done)
}

/// The same client's first `lookup` of the same name after call `i`, with its index.
fn next_lookup(history: &History, i: usize) -> Option<(usize, &CallRecord)> {
    let create = &history.calls[i];
    let mut later = history.calls.iter().enumerate().skip(i + 1).filter(|(_, r)| r.client == create.client);
    later.find(|(_, r)| matches!((&r.call, &create.call), (Call::Lookup(l), Call::Create(c)) if l == c))
}

/// Why `lookup` does not see what `create` made, if it does not.
fn judge(history: &History, create: &CallRecord, lookup: &CallRecord) -> Option<String> {
    let (Call::Create(name), Some(Answer::Bucket(found)), Some(returned)) =
        (&create.call, &lookup.answer, lookup.returned)
    else {
        return None;
    };
    let problem = missing(history, *found, lookup.invoked)?;
    if bucket_ended_between(history, name, create.invoked, returned) {
        return None;
    }
    let answer = show_answer(&Answer::Bucket(*found), &history.names());
    let who = client(create);
    Some(format!(
        "create({name}) invoked at t={} by {who} returned at t={}, but {who}'s next lookup({name}), invoked at t={}, \
         answered {answer} at t={returned}{problem}, and no {} terminated in between",
        create.invoked,
        create.returned.unwrap_or_default(),
        lookup.invoked,
        bucket_label(name)
    ))
}

/// What is wrong with a lookup's answer: nothing found, or a bucket dead before `t`.
fn missing(history: &History, found: Option<Pid>, t: u64) -> Option<String> {
    match found {
        None => Some(String::new()),
        Some(pid) => history.exited_at(pid).filter(|&e| e < t).map(|e| format!(", which had terminated at t={e}")),
    }
}

/// Whether some bucket of `name` exited within `[from, to]`.
fn bucket_ended_between(history: &History, name: &str, from: u64, to: u64) -> bool {
    history
        .processes
        .iter()
        .any(|p| bucket_name(&p.label) == Some(name) && p.exited_at.is_some_and(|e| from <= e && e <= to))
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::kv::checkers::testkit::{call, create, found, lookup, process};
    use crate::kv::history::{Answer, History};
    use sim::Pid;

    fn history(answer: Option<Answer>, bucket_exit: Option<u64>) -> History {
        History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, bucket_exit),
            ],
            calls: vec![
                call(1, create("a"), 4, Some(5), Some(Answer::Done)),
                call(2, lookup("a"), 6, Some(7), Some(Answer::Bucket(None))),
                call(1, lookup("a"), 8, Some(10), answer),
            ],
            registry: Some(Pid(1)),
            ..History::default()
        }
    }

    #[test]
    fn a_lookup_finding_nothing_after_a_create_is_reported() {
        let message = check(&history(Some(Answer::Bucket(None)), None)).expect("a violation");
        assert_eq!(
            message,
            "create(a) invoked at t=4 by client1 returned at t=5, but client1's next lookup(a), invoked at t=8, \
             answered :error at t=10, and no bucket(a) terminated in between"
        );
    }

    #[test]
    fn a_lookup_finding_a_bucket_dead_before_the_create_is_reported() {
        let message = check(&history(found(3), Some(3))).expect("a violation");
        assert!(message.contains("answered bucket(a)#1 at t=10, which had terminated at t=3"), "{message}");
    }

    #[test]
    fn a_live_bucket_holds() {
        assert_eq!(check(&history(found(3), None)), None);
    }

    #[test]
    fn a_bucket_ending_in_between_excuses_the_lookup() {
        assert_eq!(check(&history(Some(Answer::Bucket(None)), Some(6))), None);
        assert_eq!(check(&history(found(3), Some(7))), None);
    }

    #[test]
    fn a_failed_lookup_is_skipped() {
        assert_eq!(check(&history(Some(Answer::Failed(sim::Reason::Noproc)), None)), None);
    }
}
