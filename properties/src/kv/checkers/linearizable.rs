//! `linearizable`: the whole history (every client's calls to the registry
//! and to buckets) is linearizable against a sequential KV store: names map
//! to buckets, buckets hold a register per key.
//!
//! The sequential store ([`Store`]):
//! - `create(name)` maps an unmapped name to a new bucket (which one is not
//!   known until a lookup shows its pid: the first lookup answering a pid
//!   for it binds it, if that pid is a bucket made for that name, labelled
//!   `bucket(name)`, and neither ended nor bound); a mapped name stays as
//!   it is;
//! - `lookup(name)` answers the name's bucket, or `:error`;
//! - `stop` and `crash` of a bucket end it, and unmap every name mapped to it;
//!   a stop of a live bucket answers `:ok`, one of an ended bucket anything
//!   (two concurrent stops of one bucket may both answer `:ok`, since each
//!   caller's monitor sees the one `normal` end);
//! - `put` and `get` on a live bucket store and read its key; on an ended
//!   bucket they fail.
//!
//! Which calls count, and how (`Operation`s for the generic checker):
//! - an answered call is complete, its answer its result (a failure counts
//!   as one "failed" result, whatever the exit reason); so is an answered
//!   create where creates are calls (`History::creates_answered`, `fixed`);
//! - a crash (an asynchronous kill), a create that is a cast (the other
//!   variants), a call that never returned, and a registry call that failed
//!   (the registry is gone, which `registry-survives` judges) have unknown
//!   outcomes: they may take effect at any point after their invocation, or
//!   never.
//!
//! Real time as in `no-lost-writes` (`checkers::positions`): a step's
//! response comes before an invocation in the same step. The check compares
//! call stamps of different clients on different servers, so exhaustive
//! search must order every two clock reads (`KvProperty::clock_rule`); a
//! bucket's end is the stop or crash in the history, never an exit stamp. A
//! search that gives up after [`BUDGET`] is a finding ("not verified"),
//! never a pass.

use super::{blame, client, describe, Finding};
use crate::kv::history::{Answer, Call, CallRecord, History};
use crate::linearizability::{self, Budget, Operation, SequentialSpec};
use sim::Pid;

/// The work one check may do.
pub const BUDGET: Budget = Budget { steps: 10_000_000, minimize_steps: 1_000_000 };

/// A pid no bucket has: what a lookup of an unbound name answers when the
/// history shows no pid to bind.
const SOME_NEW_BUCKET: Pid = Pid(u32::MAX);

/// A call's result, as the store compares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    Bucket(Option<Pid>),
    Value(Option<i64>),
    Failed,
}

impl Outcome {
    fn of(answer: &Answer) -> Outcome {
        match answer {
            Answer::Done => Outcome::Done,
            Answer::Bucket(b) => Outcome::Bucket(*b),
            Answer::Value(v) => Outcome::Value(*v),
            Answer::Failed(_) => Outcome::Failed,
        }
    }
}

/// A name's bucket in the store: made, and not yet seen by a lookup, or known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Slot {
    New,
    Bound(Pid),
}

/// A name, as its index among the history's names.
type Name = u8;

/// A key, as its index among the history's keys.
type Key = u8;

/// The store's state: short sorted lists (a history names a handful of
/// names, buckets and keys), kept inline while they are short, so that the
/// search clones and hashes one on every step without allocating.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct State {
    names: Few<(Name, Slot), 4>,
    ended: Few<Pid, 4>,
    values: Few<((Pid, Key), i64), 6>,
}

/// A filler for the unused places of an inline [`Few`].
trait Blank: Copy {
    const BLANK: Self;
}

impl Blank for (Name, Slot) {
    const BLANK: Self = (0, Slot::New);
}

impl Blank for Pid {
    const BLANK: Self = Pid(0);
}

impl Blank for ((Pid, Key), i64) {
    const BLANK: Self = ((Pid(0), 0), 0);
}

/// A short list: inline while it has at most `N` items, on the heap past
/// that. It compares, hashes and prints as the slice of its items, however
/// it is kept.
#[derive(Clone)]
enum Few<T, const N: usize> {
    Inline(usize, [T; N]),
    Heap(Vec<T>),
}

impl<T: Blank, const N: usize> Few<T, N> {
    fn as_slice(&self) -> &[T] {
        match self {
            Few::Inline(len, items) => &items[..*len],
            Few::Heap(items) => items,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Few::Inline(len, items) => &mut items[..*len],
            Few::Heap(items) => items,
        }
    }

    fn insert(&mut self, at: usize, item: T) {
        match self {
            Few::Inline(len, items) if *len < N => {
                items.copy_within(at..*len, at + 1);
                items[at] = item;
                *len += 1;
            }
            Few::Inline(len, items) => {
                let mut heap = Vec::with_capacity(2 * N);
                heap.extend_from_slice(&items[..*len]);
                heap.insert(at, item);
                *self = Few::Heap(heap);
            }
            Few::Heap(items) => items.insert(at, item),
        }
    }

    fn retain(&mut self, keep: impl Fn(&T) -> bool) {
        match self {
            Few::Inline(len, items) => {
                let mut kept = 0;
                for at in 0..*len {
                    if keep(&items[at]) {
                        items[kept] = items[at];
                        kept += 1;
                    }
                }
                *len = kept;
            }
            Few::Heap(items) => items.retain(keep),
        }
    }
}

impl<T: Blank, const N: usize> Default for Few<T, N> {
    fn default() -> Self {
        Few::Inline(0, [T::BLANK; N])
    }
}

impl<T: Blank + PartialEq, const N: usize> PartialEq for Few<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Blank + Eq, const N: usize> Eq for Few<T, N> {}

impl<T: Blank + std::hash::Hash, const N: usize> std::hash::Hash for Few<T, N> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T: Blank + std::fmt::Debug, const N: usize> std::fmt::Debug for Few<T, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// What a call does to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    Create(Name),
    Lookup(Name),
    /// A stop (with what it answered: any answer is a stop's) or a crash.
    End(Pid, Outcome),
    Put(Pid, Key, i64),
    Get(Pid, Key),
}

/// An operation: what the call does, with what a lookup answered (to bind
/// a new bucket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    act: Act,
    seen: Option<Pid>,
}

/// The sequential KV store.
struct Store;

impl SequentialSpec for Store {
    type State = State;
    type Input = Input;
    type Output = Outcome;
    type Key = ();

    fn init(&self) -> State {
        State::default()
    }

    /// A get, whatever it answered, and a lookup answering `:error` change
    /// nothing at any state; a lookup answering a bucket may bind a new one.
    fn read_only(&self, input: &Input, output: &Outcome) -> bool {
        matches!((input.act, output), (Act::Get(..), _) | (Act::Lookup(_), Outcome::Bucket(None)))
    }

    fn apply(&self, state: &State, input: &Input) -> (State, Outcome) {
        let mut next = state.clone();
        let outcome = match input.act {
            Act::Create(name) => {
                if let Err(at) = next.names.as_slice().binary_search_by_key(&name, |(n, _)| *n) {
                    next.names.insert(at, (name, Slot::New));
                }
                Outcome::Done
            }
            Act::Lookup(name) => match next.names.as_slice().binary_search_by_key(&name, |(n, _)| *n) {
                Err(_) => Outcome::Bucket(None),
                Ok(at) => match next.names.as_slice()[at].1 {
                    Slot::Bound(pid) => Outcome::Bucket(Some(pid)),
                    Slot::New => match input.seen.filter(|pid| bindable(state, *pid)) {
                        Some(pid) => {
                            next.names.as_mut_slice()[at].1 = Slot::Bound(pid);
                            Outcome::Bucket(Some(pid))
                        }
                        None => Outcome::Bucket(Some(SOME_NEW_BUCKET)),
                    },
                },
            },
            // A stop of a live bucket ends it normally, so it answers `:ok`;
            // one of an ended bucket may answer anything (two concurrent
            // stops both see the one normal end).
            Act::End(bucket, answered) => {
                let outcome = if ended(state, bucket) { answered } else { Outcome::Done };
                end(&mut next, bucket);
                outcome
            }
            Act::Put(bucket, key, value) if !ended(state, bucket) => {
                match next.values.as_slice().binary_search_by_key(&(bucket, key), |(k, _)| *k) {
                    Ok(at) => next.values.as_mut_slice()[at].1 = value,
                    Err(at) => next.values.insert(at, ((bucket, key), value)),
                }
                Outcome::Done
            }
            Act::Get(bucket, key) if !ended(state, bucket) => {
                let values = next.values.as_slice();
                let found = values.binary_search_by_key(&(bucket, key), |(k, _)| *k);
                Outcome::Value(found.ok().map(|at| values[at].1))
            }
            Act::Put(..) | Act::Get(..) => Outcome::Failed,
        };
        (next, outcome)
    }
}

fn ended(state: &State, bucket: Pid) -> bool {
    state.ended.as_slice().binary_search(&bucket).is_ok()
}

/// Whether `pid` may be a new name's bucket: no name has it, and it has not ended.
fn bindable(state: &State, pid: Pid) -> bool {
    !ended(state, pid) && !state.names.as_slice().iter().any(|(_, s)| *s == Slot::Bound(pid))
}

/// Ends `bucket`, unmapping every name mapped to it.
fn end(state: &mut State, bucket: Pid) {
    if let Err(at) = state.ended.as_slice().binary_search(&bucket) {
        state.ended.insert(at, bucket);
    }
    state.names.retain(|(_, slot)| *slot != Slot::Bound(bucket));
}

/// What `call` does to the store (the stop's or crash's answer aside), its
/// name interned in `names`, its key in `keys`.
fn act(call: &Call, stopped: Outcome, names: &mut Vec<model::kv::Name>, keys: &mut Vec<&'static str>) -> Act {
    let mut intern = |name: &model::kv::Name| -> Name {
        let at = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.clone());
            names.len() - 1
        });
        Name::try_from(at).expect("at most 256 names in one history")
    };
    let mut key = |key: &'static str| -> Key {
        let at = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            keys.push(key);
            keys.len() - 1
        });
        Key::try_from(at).expect("at most 256 keys in one history")
    };
    match call {
        Call::Create(name) => Act::Create(intern(name)),
        Call::Lookup(name) => Act::Lookup(intern(name)),
        Call::Stop { bucket, .. } => Act::End(*bucket, stopped),
        Call::Kill { bucket, .. } => Act::End(*bucket, Outcome::Done),
        Call::Put { bucket, key: k, value, .. } => Act::Put(*bucket, key(k), *value),
        Call::Get { bucket, key: k, .. } => Act::Get(*bucket, key(k)),
    }
}

/// The history's calls as operations for the generic checker.
fn operations(history: &History) -> Vec<Operation<Input, Outcome>> {
    let (mut names, mut keys) = (Vec::new(), Vec::new());
    let mut operation = |(index, record): (usize, &CallRecord)| {
        // A new name binds only the bucket created for it (labelled so).
        let seen = match (&record.answer, &record.call) {
            (Some(Answer::Bucket(found)), Call::Lookup(name)) => found.filter(|&pid| made_for(history, pid, name)),
            _ => None,
        };
        let stopped = record.answer.as_ref().map_or(Outcome::Done, Outcome::of);
        let input = Input { act: act(&record.call, stopped, &mut names, &mut keys), seen };
        let (invoke, response) = super::positions(record.invoked, record.returned, index);
        match (response, &record.answer) {
            (Some(at), Some(answer)) if !unknown(history, record) => {
                Operation::returned(input, invoke, at, Outcome::of(answer))
            }
            _ => Operation::unknown(input, invoke),
        }
    };
    history.calls.iter().enumerate().map(&mut operation).collect()
}

/// Whether `pid` is the bucket created for `name` (its label says so).
fn made_for(history: &History, pid: Pid, name: &str) -> bool {
    history.process(pid).is_some_and(|p| super::bucket_name(&p.label) == Some(name))
}

/// Whether a call's outcome is unknown: a crash (asynchronous), a create
/// that is a cast (its answer says only that it was sent), a call that never
/// returned, and a registry call that failed (the registry is gone).
fn unknown(history: &History, record: &CallRecord) -> bool {
    match (&record.call, &record.answer) {
        (Call::Kill { .. }, _) | (_, None) => true,
        (Call::Create(_), _) if !history.creates_answered => true,
        (Call::Create(_) | Call::Lookup(_), Some(Answer::Failed(_))) => true,
        _ => false,
    }
}

/// The violation, blaming the call the search could not place.
pub fn find(history: &History) -> Option<Finding> {
    let ops = operations(history);
    let violation = match linearizability::check(&Store, &ops, BUDGET) {
        linearizability::Verdict::Linearizable { .. } => return None,
        linearizability::Verdict::Unknown { steps } => {
            let message = format!(
                "not verified: the search gave up after {steps} steps over {} calls (never a pass)",
                history.calls.len()
            );
            return Some(Finding::new(message));
        }
        linearizability::Verdict::NotLinearizable { violation, .. } => violation,
    };
    let names = history.names();
    let answered =
        |record: &CallRecord| record.answer.as_ref().map_or("nothing".to_string(), |a| super::show_answer(a, &names));
    let call = |record: &CallRecord| format!("{}'s {}", client(record), describe(&record.call, &names));
    let record = &history.calls[violation.blocked];
    let minimal: Vec<String> = (violation.minimal.iter().map(|&i| &history.calls[i]))
        .map(|r| format!("{} at t={} answered {}", call(r), r.invoked, answered(r)))
        .collect();
    let message = format!(
        "{} (invoked at t={}, answered {}) cannot follow the other calls in any order a KV store allows; \
         no order fits these {} calls: {}",
        call(record),
        record.invoked,
        answered(record),
        minimal.len(),
        minimal.join("; ")
    );
    Some(blame(message, record))
}

#[cfg(test)]
mod tests {
    use super::{find, Few};
    use crate::kv::checkers::testkit::{call, create, found, get, lookup, process, put};
    use crate::kv::history::{Answer, Call, History};
    use sim::Pid;

    fn history(calls: Vec<crate::kv::history::CallRecord>) -> History {
        let processes = vec![process(1, "registry", 0, None), process(4, "bucket(a)", 2, Some(6))];
        History { processes, calls, registry: Some(Pid(1)), ..History::default() }
    }

    fn stop(client: usize, at: u64, back: u64) -> crate::kv::history::CallRecord {
        call(client, Call::Stop { name: "a".into(), bucket: Pid(4) }, at, Some(back), Some(Answer::Done))
    }

    /// A lookup after the bucket's stop returned, answering that bucket,
    /// fits no order of a store; one concurrent with the stop does.
    #[test]
    fn a_lookup_after_a_finished_stop_answering_the_bucket_is_not_linearizable() {
        let base =
            || vec![call(1, create("a"), 1, Some(1), Some(Answer::Done)), call(1, lookup("a"), 2, Some(3), found(4))];
        let mut late = base();
        late.extend([stop(1, 4, 6), call(1, lookup("a"), 7, Some(9), found(4))]);
        let finding = find(&history(late)).expect("the lookup saw a stopped bucket");
        assert!(
            finding.message.starts_with("client1's lookup(a) (invoked at t=7, answered bucket(a)#1)"),
            "{}",
            finding.message
        );
        let mut concurrent = base();
        concurrent.extend([stop(1, 4, 8), call(2, lookup("a"), 5, Some(7), found(4))]);
        assert_eq!(find(&history(concurrent)), None);
    }

    /// A short list past its inline room moves to the heap, and compares
    /// and hashes as the same items kept inline.
    #[test]
    fn a_short_list_is_the_same_inline_or_on_the_heap() {
        let hash = |few: &Few<Pid, 4>| {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            few.hash(&mut hasher);
            hasher.finish()
        };
        let mut spilled: Few<Pid, 4> = Few::default();
        for p in [5, 1, 4, 2, 3, 6] {
            let at = spilled.as_slice().binary_search(&Pid(p)).expect_err("not there yet");
            spilled.insert(at, Pid(p));
        }
        assert!(matches!(spilled, Few::Heap(_)));
        assert!(spilled.as_slice() == [1, 2, 3, 4, 5, 6].map(Pid));
        spilled.retain(|p| p.0 % 2 == 0);
        let mut inline: Few<Pid, 4> = Few::default();
        for p in [6, 2, 4] {
            let at = inline.as_slice().binary_search(&Pid(p)).expect_err("not there yet");
            inline.insert(at, Pid(p));
        }
        assert!(matches!(inline, Few::Inline(..)));
        assert!(spilled == inline && hash(&spilled) == hash(&inline));
        inline.retain(|p| p.0 != 4);
        assert!(inline.as_slice() == [Pid(2), Pid(6)] && spilled != inline);
    }

    /// Two stops of one bucket may both answer `:ok`.
    #[test]
    fn two_stops_of_one_bucket_may_both_succeed() {
        let mut calls =
            vec![call(1, create("a"), 1, Some(1), Some(Answer::Done)), call(1, lookup("a"), 2, Some(3), found(4))];
        calls.extend([call(2, lookup("a"), 2, Some(3), found(4)), stop(1, 4, 6), stop(2, 4, 6)]);
        assert_eq!(find(&history(calls)), None);
    }

    /// Where creates are calls (`fixed`), an answered create has taken
    /// effect: a later lookup answering `:error` fits no order. Where they
    /// are casts, it may not have yet.
    #[test]
    fn an_answered_create_call_is_seen_by_later_lookups() {
        let calls = vec![
            call(1, create("a"), 1, Some(3), Some(Answer::Done)),
            call(2, lookup("a"), 4, Some(6), Some(Answer::Bucket(None))),
        ];
        let mut h = history(calls);
        h.creates_answered = true;
        assert!(find(&h).is_some(), "the created name was not found after the create returned");
        h.creates_answered = false;
        assert_eq!(find(&h), None);
    }

    /// A name binds only the bucket made for it: a lookup of `b` answering
    /// `a`'s bucket fits no order, even with `a` never looked up.
    #[test]
    fn a_name_binds_only_its_own_bucket() {
        let calls = vec![
            call(1, create("a"), 1, Some(1), Some(Answer::Done)),
            call(1, create("b"), 2, Some(2), Some(Answer::Done)),
            call(1, lookup("b"), 3, Some(5), found(4)),
        ];
        assert!(find(&history(calls)).is_some(), "bucket(a) answered for b");
    }

    /// A stop of a live bucket answers `:ok`; a failed one fits no order.
    #[test]
    fn a_stop_of_a_live_bucket_cannot_fail() {
        let mut calls =
            vec![call(1, create("a"), 1, Some(1), Some(Answer::Done)), call(1, lookup("a"), 2, Some(3), found(4))];
        let failed = Answer::Failed(sim::Reason::Noproc);
        calls.push(call(1, Call::Stop { name: "a".into(), bucket: Pid(4) }, 4, Some(6), Some(failed)));
        assert!(find(&history(calls)).is_some());
    }

    /// A get that misses a put that returned before it is a lost write here too.
    #[test]
    fn a_get_missing_an_earlier_put_is_not_linearizable() {
        let mut calls =
            vec![call(1, create("a"), 1, Some(1), Some(Answer::Done)), call(1, lookup("a"), 2, Some(3), found(4))];
        calls.push(call(1, put("a", 4, 7), 4, Some(5), Some(Answer::Done)));
        calls.push(call(2, get("a", 4), 6, Some(7), Some(Answer::Value(None))));
        let mut h = history(calls);
        h.processes[1].exited_at = None;
        assert!(find(&h).is_some());
    }
}
