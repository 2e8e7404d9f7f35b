//! `no-lost-writes`: per bucket pid and key, the `put`s and `get`s of that
//! key on it, each taken as the interval [invoked, returned], are
//! linearizable as one read/write register that starts empty (`nil`): some
//! total order respecting real time exists in which every get answers the
//! value of the last put before it, or `nil` if there is none. (Keys of a
//! bucket are independent registers, so checking them apart loses nothing.)
//!
//! Which calls count: a put answered `:ok` and a get answered a value are
//! complete operations. A get that failed or never returned is left out. A put
//! that failed or never returned is kept as an operation that may or may not
//! have taken effect (it may be left out, or placed anywhere after its
//! invocation): the bucket may have stored the value before the reply was
//! lost, and leaving such a put out could turn a correct history into a
//! false violation.
//!
//! Real time with step stamps: one step is one process's handler, so an
//! invocation and a response stamped with the same step are the same client's,
//! the response first. Op A therefore precedes op B when A.returned <= B.invoked,
//! and B may be linearized next only if B.invoked < the response of every
//! other remaining operation.
//!
//! The search is the generic linearizability checker
//! ([`crate::linearizability`]: Wing & Gong's backtracking with Lowe's memo
//! of (linearized set, state)) against [`Register`], a sequential register.
//! It gives up after [`BUDGET`]'s steps, and then the register is reported
//! as "not verified", never passed; only histories far larger than a
//! generated workload's reach it.
//!
//! To name the get at fault, the history is cut after each get's response, in
//! response order (operations still running at the cut are pending: pending
//! puts may or may not take effect, pending gets are left out); the first cut
//! that is not linearizable ends with the culprit get, and the answers it was
//! allowed are those that make that cut linearizable.

use super::{blame, client, pid_name, value, Finding, Names};
use crate::kv::history::{Answer, Call, CallRecord, History};
use crate::linearizability::{self, Budget, Operation, SequentialSpec};
use sim::Pid;
use std::collections::{BTreeMap, BTreeSet};

/// The work one linearizability check may do (the search's calls to the
/// register's `apply`); no shrinking of the violation (the culprit is found
/// by cuts instead).
pub const BUDGET: Budget = Budget { steps: 1_000_000, minimize_steps: 0 };
/// How many puts a message lists.
const SHOWN: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Put(i64),
    Get(Option<i64>),
}

/// One register operation: `returned` is `None` for a put that may or may not have taken effect.
#[derive(Clone, Copy, Debug)]
struct Op {
    call: usize,
    invoked: u64,
    returned: Option<u64>,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Linearizable,
    Not,
    Unknown,
}

pub fn check(history: &History) -> Option<String> {
    find(history).map(|f| f.message)
}

/// The violation with the culprit get's index in `history.calls`, when one is named.
pub fn find(history: &History) -> Option<Finding> {
    register_ops(history).into_iter().find_map(|(register, ops)| judge(history, register, &ops))
}

/// One register's name: a bucket and a key.
type Key = (Pid, &'static str);

/// Per register, its operations in invocation order.
fn register_ops(history: &History) -> BTreeMap<Key, Vec<Op>> {
    let mut buckets: BTreeMap<Key, Vec<Op>> = BTreeMap::new();
    for (i, record) in history.calls.iter().enumerate() {
        if let Some((bucket, op)) = to_op(i, record) {
            buckets.entry(bucket).or_default().push(op);
        }
    }
    buckets
}

fn to_op(call: usize, record: &CallRecord) -> Option<(Key, Op)> {
    let invoked = record.invoked;
    let (bucket, returned, kind) = match (&record.call, &record.answer) {
        (Call::Put { bucket, key, value, .. }, Some(Answer::Done)) => {
            ((*bucket, *key), record.returned, Kind::Put(*value))
        }
        (Call::Put { bucket, key, value, .. }, _) => ((*bucket, *key), None, Kind::Put(*value)),
        (Call::Get { bucket, key, .. }, Some(Answer::Value(v))) => {
            ((*bucket, *key), Some(record.returned?), Kind::Get(*v))
        }
        _ => return None,
    };
    Some((bucket, Op { call, invoked, returned, kind }))
}

/// The violation on one bucket, if its operations are not linearizable, or
/// could not be checked within the budget.
fn judge(history: &History, (bucket, key): Key, ops: &[Op]) -> Option<Finding> {
    let names = &history.names();
    match linearizable(ops) {
        Verdict::Linearizable => return None,
        Verdict::Unknown => {
            let (n, on) = (ops.len(), pid_name(names, bucket));
            let message = format!("not verified: the {n} puts and gets of key {key} on {on} were beyond the search's budget (never a pass)");
            return Some(Finding::new(message));
        }
        Verdict::Not => {}
    }
    let explained =
        culprit(ops).map(|(cut, get)| blame(explain(history, names, &cut, get), &history.calls[cut[get].call]));
    Some(explained.unwrap_or_else(|| {
        let n = ops.len();
        Finding::new(format!(
            "the {n} puts and gets of key {key} on {} cannot be ordered as one register",
            pid_name(names, bucket)
        ))
    }))
}

/// The first cut (after a get's response) that is not linearizable, and that get's place in it.
fn culprit(ops: &[Op]) -> Option<(Vec<Op>, usize)> {
    let mut gets: Vec<&Op> = ops.iter().filter(|op| matches!(op.kind, Kind::Get(_))).collect();
    gets.sort_by_key(|op| op.returned);
    gets.into_iter().find_map(|get| {
        let cut = cut_at(ops, get);
        let at = cut.iter().position(|op| op.call == get.call)?;
        (linearizable(&cut) == Verdict::Not).then_some((cut, at))
    })
}

/// The history as it stood right after `get`'s response.
fn cut_at(ops: &[Op], get: &Op) -> Vec<Op> {
    let t = get.returned.expect("gets are complete");
    let before = ops.iter().filter(|op| op.invoked < t || op.call == get.call);
    let pending = |op: &Op| op.returned.is_none_or(|r| r > t);
    before
        .filter_map(|op| match op.kind {
            Kind::Get(_) if pending(op) => None,
            Kind::Put(_) if pending(op) => Some(Op { returned: None, ..*op }),
            _ => Some(*op),
        })
        .collect()
}

/// The culprit get at `cut[at]` in words, with the answers it was allowed.
fn explain(history: &History, names: &Names, cut: &[Op], at: usize) -> String {
    let get = &cut[at];
    let record = &history.calls[get.call];
    let Kind::Get(answer) = get.kind else { unreachable!("the culprit is a get") };
    let (Call::Get { name, bucket, key }, Some(returned)) = (&record.call, record.returned) else {
        unreachable!("a get op comes from a complete get call")
    };
    let allowed = allowed(cut, at);
    format!(
        "get({name}, {key}) on {} by {}, invoked at t={} and returned at t={returned}, answered {}, but {} (puts of it by then: {})",
        pid_name(names, *bucket),
        client(record),
        record.invoked,
        value(answer),
        allowed,
        puts(history, cut)
    )
}

/// What the get at `cut[at]` could have answered, in words.
fn allowed(cut: &[Op], at: usize) -> String {
    let candidates: BTreeSet<Option<i64>> = cut
        .iter()
        .filter_map(|op| if let Kind::Put(v) = op.kind { Some(Some(v)) } else { None })
        .chain([None])
        .collect();
    let ok: Vec<String> = candidates.into_iter().filter(|&v| answers(cut, at, v)).map(value).collect();
    match ok.as_slice() {
        [] => "no answer would have been consistent with the calls before it".to_string(),
        [one] => format!("it could only have seen {one}"),
        [init @ .., last] => format!("it could only have seen {} or {last}", init.join(", ")),
    }
}

/// Whether the cut is linearizable with the get at `at` answering `v`.
fn answers(cut: &[Op], at: usize, v: Option<i64>) -> bool {
    let mut cut = cut.to_vec();
    cut[at].kind = Kind::Get(v);
    linearizable(&cut) == Verdict::Linearizable
}

/// The puts of a cut in words: `client1's put 3 at t=4..6`.
fn puts(history: &History, cut: &[Op]) -> String {
    let all: Vec<String> = cut.iter().filter_map(|op| put_words(history, op)).collect();
    if all.is_empty() {
        return "none".to_string();
    }
    let more = all.len().saturating_sub(SHOWN);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("{}{more}", all[..all.len().min(SHOWN)].join(", "))
}

fn put_words(history: &History, op: &Op) -> Option<String> {
    let Kind::Put(v) = op.kind else { return None };
    let record = &history.calls[op.call];
    let end = match op.returned {
        Some(r) => format!("t={}..{r}", op.invoked),
        None => format!("t={}, not acknowledged by then", op.invoked),
    };
    Some(format!("{}'s put {v} at {end}", client(record)))
}

/// One register as a sequential specification: a put stores its value, a
/// get answers the value stored (`nil` at first).
struct Register;

impl SequentialSpec for Register {
    type State = Option<i64>;
    type Input = Kind;
    type Output = Option<i64>;
    type Key = ();

    fn init(&self) -> Option<i64> {
        None
    }

    fn apply(&self, value: &Option<i64>, input: &Kind) -> (Option<i64>, Option<i64>) {
        match input {
            Kind::Put(v) => (Some(*v), None),
            Kind::Get(_) => (*value, *value),
        }
    }

    fn read_only(&self, input: &Kind, _output: &Option<i64>) -> bool {
        matches!(input, Kind::Get(_))
    }
}

/// The generic linearizability check of `ops` as one [`Register`].
fn linearizable(ops: &[Op]) -> Verdict {
    let history: Vec<Operation<Kind, Option<i64>>> = ops.iter().enumerate().map(operation).collect();
    match linearizability::check(&Register, &history, BUDGET) {
        linearizability::Verdict::Linearizable { .. } => Verdict::Linearizable,
        linearizability::Verdict::NotLinearizable { .. } => Verdict::Not,
        linearizability::Verdict::Unknown { .. } => Verdict::Unknown,
    }
}

/// An op as the checker takes it, at [`super::positions`] (see the module's doc).
fn operation((index, op): (usize, &Op)) -> Operation<Kind, Option<i64>> {
    let (invoke, response) = super::positions(op.invoked, op.returned, index);
    match (response, op.kind) {
        (Some(at), Kind::Get(seen)) => Operation::returned(op.kind, invoke, at, seen),
        (Some(at), Kind::Put(_)) => Operation::returned(op.kind, invoke, at, None),
        (None, kind) => Operation::unknown(kind, invoke),
    }
}

#[cfg(test)]
mod tests {
    use super::{check, linearizable, Kind, Op, Verdict};
    use crate::kv::checkers::testkit::{call, get, process, put};
    use crate::kv::history::{Answer, CallRecord, History};
    use sim::{Pid, Reason};

    fn done_put(client: usize, value: i64, invoked: u64, returned: u64) -> CallRecord {
        call(client, put("a", 3, value), invoked, Some(returned), Some(Answer::Done))
    }

    fn done_get(client: usize, answer: Option<i64>, invoked: u64, returned: u64) -> CallRecord {
        call(client, get("a", 3), invoked, Some(returned), Some(Answer::Value(answer)))
    }

    fn history(calls: Vec<CallRecord>) -> History {
        let processes = vec![process(1, "registry", 0, None), process(3, "bucket(a)", 2, None)];
        History { processes, calls, registry: Some(Pid(1)), ..History::default() }
    }

    #[test]
    fn sequential_puts_and_gets_hold() {
        let h = history(vec![done_get(1, None, 3, 5), done_put(1, 3, 5, 7), done_get(1, Some(3), 7, 9)]);
        assert_eq!(check(&h), None);
    }

    #[test]
    fn a_get_concurrent_with_a_put_may_see_either_value() {
        for seen in [None, Some(3)] {
            let h = history(vec![done_put(1, 3, 4, 9), done_get(2, seen, 5, 8)]);
            assert_eq!(check(&h), None, "seen {seen:?}");
        }
    }

    #[test]
    fn a_stale_get_is_named_with_what_it_could_see() {
        let h = history(vec![done_put(1, 3, 4, 6), done_put(2, 5, 7, 10), done_get(1, Some(3), 11, 13)]);
        let message = check(&h).expect("a violation");
        assert_eq!(
            message,
            "get(a, x) on bucket(a)#1 by client1, invoked at t=11 and returned at t=13, answered 3, \
             but it could only have seen 5 (puts of it by then: client1's put 3 at t=4..6, client2's put 5 at t=7..10)"
        );
    }

    #[test]
    fn the_first_bad_get_is_named_with_every_answer_it_was_allowed() {
        let h = history(vec![
            done_put(1, 3, 4, 6),
            done_put(2, 5, 5, 10),
            done_get(3, None, 7, 9),
            done_get(3, Some(9), 11, 13),
        ]);
        let message = check(&h).expect("a violation");
        assert!(
            message
                .starts_with("get(a, x) on bucket(a)#1 by client3, invoked at t=7 and returned at t=9, answered nil"),
            "{message}"
        );
        assert!(message.contains("it could only have seen 3 or 5"), "{message}");
    }

    #[test]
    fn a_put_answered_in_the_same_step_as_a_get_is_invoked_precedes_it() {
        let h = history(vec![done_put(1, 3, 4, 6), done_get(1, None, 6, 8)]);
        assert!(check(&h).expect("a violation").contains("it could only have seen 3"));
    }

    #[test]
    fn an_unacknowledged_put_may_have_taken_effect() {
        let lost = call(1, put("a", 3, 7), 4, Some(9), Some(Answer::Failed(Reason::Killed)));
        let unanswered = call(2, put("a", 3, 8), 4, None, None);
        assert_eq!(check(&history(vec![lost.clone(), unanswered.clone(), done_get(3, Some(7), 5, 6)])), None);
        assert_eq!(check(&history(vec![lost, unanswered, done_get(3, None, 10, 12)])), None);
    }

    #[test]
    fn failed_gets_are_ignored() {
        let failed = call(1, get("a", 3), 4, Some(6), Some(Answer::Failed(Reason::Noproc)));
        assert_eq!(check(&history(vec![done_put(2, 3, 1, 3), failed])), None);
    }

    #[test]
    fn the_search_gives_up_rather_than_report_on_a_huge_history() {
        let ops: Vec<Op> = (0..40)
            .map(|i| Op {
                call: i,
                invoked: 0,
                returned: Some(100),
                kind: if i < 39 { Kind::Put(i as i64) } else { Kind::Get(Some(-1)) },
            })
            .collect();
        assert_eq!(linearizable(&ops), Verdict::Unknown);
        let calls = (0..40)
            .map(|i| match i < 39 {
                true => call(1 + i % 3, put("a", 3, i as i64), 1, Some(100), Some(Answer::Done)),
                false => call(4, get("a", 3), 1, Some(100), Some(Answer::Value(Some(-1)))),
            })
            .collect();
        let finding = check(&history(calls)).expect("an unchecked register is never a pass");
        assert!(finding.starts_with("not verified"), "{finding}");
    }

    /// A bucket's keys are separate registers: a get of one key is not
    /// judged against the puts of another, and a lost value of the second
    /// key is found (a bucket that kept only one key would pass otherwise).
    #[test]
    fn keys_are_registers_of_their_own() {
        use crate::kv::checkers::testkit::call;
        use crate::kv::history::{Answer, Call};
        let put = |key, v, at| {
            call(1, Call::Put { name: "a".into(), bucket: Pid(3), key, value: v }, at, Some(at + 1), Some(Answer::Done))
        };
        let get = |key, seen, at| {
            call(2, Call::Get { name: "a".into(), bucket: Pid(3), key }, at, Some(at + 1), Some(Answer::Value(seen)))
        };
        let fine = history(vec![put("x", 1, 4), put("y", 2, 6), get("x", Some(1), 8), get("y", Some(2), 10)]);
        assert_eq!(check(&fine), None);
        let lost = history(vec![put("x", 1, 4), put("y", 2, 6), get("x", Some(1), 8), get("y", None, 10)]);
        let message = check(&lost).expect("the value of key y is lost");
        assert!(message.starts_with("get(a, y) on bucket(a)#1 by client2"), "{message}");
    }
}
