//! The checker on tiny histories, against a register and a keyed register;
//! and the search with its prunings against the plain search and against
//! brute force on many small random histories.

use super::search::{search, Outcome, Prune};
use super::*;

/// A register of small integers, starting at 0; with `keyed`, one per key.
struct Register {
    keyed: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Read(u8),
    Write(u8, u8),
    Cas(u8, u8, u8),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    Value(u8),
    Done,
    Swapped(bool),
}

impl SequentialSpec for Register {
    type State = [u8; 2];
    type Input = Op;
    type Output = Out;
    type Key = u8;
    fn init(&self) -> [u8; 2] {
        [0, 0]
    }
    fn apply(&self, state: &[u8; 2], input: &Op) -> ([u8; 2], Out) {
        let mut next = *state;
        let out = match *input {
            Op::Read(k) => Out::Value(state[k as usize]),
            Op::Write(k, v) => {
                next[k as usize] = v;
                Out::Done
            }
            Op::Cas(k, from, to) => {
                let swapped = state[k as usize] == from;
                if swapped {
                    next[k as usize] = to;
                }
                Out::Swapped(swapped)
            }
        };
        (next, out)
    }
    fn read_only(&self, input: &Op, output: &Out) -> bool {
        matches!((input, output), (Op::Read(_), _) | (Op::Cas(..), Out::Swapped(false)))
    }
    fn partition(&self, input: &Op) -> Option<u8> {
        let (Op::Read(k) | Op::Write(k, _) | Op::Cas(k, _, _)) = *input;
        self.keyed.then_some(k)
    }
}

type H = Vec<Operation<Op, Out>>;

fn read(at: u64, end: u64, v: u8) -> Operation<Op, Out> {
    Operation::returned(Op::Read(0), at, end, Out::Value(v))
}

fn write(at: u64, end: u64, v: u8) -> Operation<Op, Out> {
    Operation::returned(Op::Write(0, v), at, end, Out::Done)
}

fn verdict(history: &H) -> Verdict {
    check(&Register { keyed: false }, history, Budget::default())
}

fn violation(history: &H) -> Violation {
    match verdict(history) {
        Verdict::NotLinearizable { violation, .. } => violation,
        other => panic!("expected a violation, got {other:?}"),
    }
}

fn linearizable(history: &H) -> bool {
    matches!(verdict(history), Verdict::Linearizable { .. })
}

#[test]
fn the_empty_history_and_a_sequential_one_are_linearizable() {
    assert!(linearizable(&vec![]));
    assert!(linearizable(&vec![write(0, 1, 1), read(2, 3, 1), write(4, 5, 2), read(6, 7, 2)]));
}

#[test]
fn a_read_of_a_value_never_written_is_not() {
    let v = violation(&vec![write(0, 1, 1), read(2, 3, 2)]);
    assert_eq!(v.blocked, 1);
    assert_eq!(v.minimal, vec![1]);
}

#[test]
fn a_stale_read_after_a_later_write_completed_is_not() {
    let v = violation(&vec![write(0, 1, 1), write(2, 3, 2), read(4, 5, 1)]);
    assert_eq!(v.blocked, 2);
    assert_eq!(v.prefix, vec![0, 1]);
    // Relaxing the write of 1 lets it land after the write of 2, and
    // relaxing the write of 2 lets it never happen: all three answers conflict.
    assert_eq!(v.minimal, vec![0, 1, 2]);
}

/// The minimal set keeps the operations invoked after the blocked one in
/// the history (relaxed), so it never blames an answer that one of them
/// explains: the long read of 2 is explained by the later write of 2, the
/// short read of 2 is not.
#[test]
fn the_minimal_set_does_not_blame_an_answer_a_later_operation_explains() {
    let v = violation(&vec![write(0, 2, 1), read(1, 20, 2), read(3, 4, 2), write(15, 16, 2)]);
    assert_eq!(v.blocked, 2);
    assert_eq!(v.minimal, vec![2]);
}

#[test]
fn overlapping_operations_may_take_effect_in_either_order() {
    // The write overlaps both reads: the first sees the old value, the second the new.
    assert!(linearizable(&vec![write(0, 10, 1), read(1, 2, 0), read(3, 4, 1)]));
    // But once a read has seen the new value, a later read cannot see the old one.
    assert!(!linearizable(&vec![write(0, 10, 1), read(1, 2, 1), read(3, 4, 0)]));
}

#[test]
fn an_unknown_write_may_have_happened() {
    let unknown = Operation::unknown(Op::Write(0, 3), 0);
    assert!(linearizable(&vec![unknown.clone(), read(5, 6, 3)]));
    // Or not: the read of 0 long after is fine too.
    assert!(linearizable(&vec![unknown.clone(), read(5, 6, 0)]));
    // But it happens at most once, and not before its invocation.
    assert!(!linearizable(&vec![unknown.clone(), read(5, 6, 3), write(7, 8, 0), read(9, 10, 3)]));
    assert!(!linearizable(&vec![read(0, 1, 3), Operation::unknown(Op::Write(0, 3), 2)]));
}

#[test]
fn a_failed_cas_found_another_value() {
    let cas = |at, end, from, to, ok| Operation::returned(Op::Cas(0, from, to), at, end, Out::Swapped(ok));
    assert!(linearizable(&vec![write(0, 1, 1), cas(2, 3, 1, 2, true), cas(4, 5, 1, 3, false), read(6, 7, 2)]));
    assert!(!linearizable(&vec![write(0, 1, 1), cas(2, 3, 1, 2, false)]));
}

#[test]
fn keys_are_checked_apart_and_a_violation_names_its_key() {
    let on = |k, op: Operation<Op, Out>| {
        let input = match op.input {
            Op::Read(_) => Op::Read(k),
            Op::Write(_, v) => Op::Write(k, v),
            other => other,
        };
        Operation { input, ..op }
    };
    let history = vec![on(1, write(0, 1, 1)), on(0, read(2, 3, 0)), on(1, read(4, 5, 1)), on(0, read(6, 7, 1))];
    let keyed = check(&Register { keyed: true }, &history, Budget::default());
    let Verdict::NotLinearizable { violation, .. } = keyed else { panic!("{keyed:?}") };
    assert_eq!(violation.partition.as_deref(), Some("0"));
    assert_eq!(violation.minimal, vec![3]);
    assert!(matches!(check(&Register { keyed: true }, &history[..3], Budget::default()), Verdict::Linearizable { .. }));
}

#[test]
fn a_spent_budget_is_unknown_never_a_pass() {
    let history: H = (0..20).map(|i| write(0, 100, i)).chain([read(101, 102, 7)]).collect();
    let tight = Budget { steps: 5, minimize_steps: 0 };
    assert_eq!(check(&Register { keyed: false }, &history, tight), Verdict::Unknown { steps: 5 });
    assert!(linearizable(&history));
}

#[test]
fn many_concurrent_writers_stay_tractable() {
    // 30 writers all overlapping, then reads: the memo keeps this small.
    let mut history: H = (0..30u64).map(|i| write(i, 100 + i, (i % 4) as u8)).collect();
    history.push(read(200, 201, 2));
    match verdict(&history) {
        Verdict::Linearizable { steps } => assert!(steps < 100_000, "{steps}"),
        other => panic!("{other:?}"),
    }
}

fn cas(at: u64, end: u64, from: u8, to: u8, swapped: bool) -> Operation<Op, Out> {
    Operation::returned(Op::Cas(0, from, to), at, end, Out::Swapped(swapped))
}

/// Whether `history` is linearizable, by trying every order: any operation
/// whose real-time predecessors are placed may come next; an unknown one
/// may also never come. Exponential: for a handful of operations only.
fn brute<S: SequentialSpec>(spec: &S, history: &[Operation<S::Input, S::Output>]) -> bool {
    fn go<S: SequentialSpec>(
        spec: &S,
        ops: &[Operation<S::Input, S::Output>],
        placed: &mut Vec<bool>,
        state: &S::State,
    ) -> bool {
        if ops.iter().zip(placed.iter()).all(|(op, &p)| p || op.response.is_none()) {
            return true;
        }
        for i in 0..ops.len() {
            let free = (0..ops.len())
                .all(|j| placed[j] || ops[j].response.as_ref().is_none_or(|(end, _)| *end >= ops[i].invoke));
            if placed[i] || !free {
                continue;
            }
            let (next, output) = spec.apply(state, &ops[i].input);
            if ops[i].response.as_ref().is_some_and(|(_, expected)| *expected != output) {
                continue;
            }
            placed[i] = true;
            if go(spec, ops, placed, &next) {
                return true;
            }
            placed[i] = false;
        }
        false
    }
    go(spec, history, &mut vec![false; history.len()], &spec.init())
}

/// The search of one partition with the given prunings: `Some(linearizable)`,
/// or `None` when the budget ran out.
fn searched(history: &H, prune: Prune) -> Option<bool> {
    let ops: Vec<&Operation<Op, Out>> = history.iter().collect();
    match search(&Register { keyed: false }, &ops, &mut 0, 10_000_000, prune) {
        Outcome::Linearizable => Some(true),
        Outcome::Blocked { .. } => Some(false),
        Outcome::OutOfBudget => None,
    }
}

#[test]
fn the_greedy_rule_does_not_hide_a_violation_through_a_read_it_places() {
    // The write of 0 completes before the read of 2 starts, so the write of
    // 2 (which spans everything) must come between them; and the read of 0
    // after the read of 2 then has nothing to read 0 from. The search
    // places the write of 0, then the write of 2 (the one after which the
    // blocked read of 2 answers right), then the greedy rule places the
    // read of 2 at once: that branch fails at the read of 0, and so must
    // every other.
    let history = vec![write(0, 10, 2), write(1, 3, 0), read(4, 5, 2), read(6, 7, 0)];
    assert!(!brute(&Register { keyed: false }, &history));
    let v = violation(&history);
    let minimal: H = v.minimal.iter().map(|&i| history[i].clone()).collect();
    assert!(!brute(&Register { keyed: false }, &minimal), "{v:?}");
    // Without the read of 0 it is linearizable, with the read placed greedily.
    assert!(linearizable(&history[..3].to_vec()));
}

#[test]
fn the_greedy_rule_does_not_hide_a_violation_through_a_failed_cas_it_places() {
    // The failed cas(1 -> 5) runs at the start, where the value is 0, so the
    // greedy rule places it there; the read of 1 then needs the write of 1
    // before it, and the failed cas(0 -> 5) after that read saw 1... fine,
    // but the last read of 0 after it has no write of 0 to read from.
    let history = vec![write(0, 10, 1), cas(1, 2, 1, 5, false), read(3, 4, 1), cas(5, 6, 0, 5, false), read(7, 8, 0)];
    assert!(!brute(&Register { keyed: false }, &history));
    assert!(!linearizable(&history));
    // A failed cas that must see the new value: after the write, not at the start.
    let history = vec![write(0, 10, 1), cas(1, 2, 0, 5, false), read(3, 4, 1)];
    assert!(brute(&Register { keyed: false }, &history));
    assert!(linearizable(&history));
}

/// The test register, with writes declared read-only as well: wrongly, as a
/// write of another value changes the state.
struct Lying;

impl SequentialSpec for Lying {
    type State = [u8; 2];
    type Input = Op;
    type Output = Out;
    type Key = u8;
    fn init(&self) -> [u8; 2] {
        Register { keyed: false }.init()
    }
    fn apply(&self, state: &[u8; 2], input: &Op) -> ([u8; 2], Out) {
        Register { keyed: false }.apply(state, input)
    }
    fn read_only(&self, input: &Op, output: &Out) -> bool {
        matches!(input, Op::Write(..)) || Register { keyed: false }.read_only(input, output)
    }
}

#[test]
fn a_write_of_the_current_value_is_not_read_only() {
    // The value is 1; two writes overlap, of 1 and of 2; a read of 1 after
    // both. Linearizable: the write of 2 first. Placing the write of 1 at
    // once, because it changes nothing now, would leave the write of 2 last.
    let history = vec![write(0, 1, 1), write(2, 10, 1), write(3, 9, 2), read(11, 12, 1)];
    assert!(brute(&Register { keyed: false }, &history));
    assert!(linearizable(&history));
    // A spec that says so wrongly loses that linearization: a wrong
    // `read_only` can cost a pass, and never invents one.
    assert!(matches!(check(&Lying, &history, Budget::default()), Verdict::NotLinearizable { .. }));
}

#[test]
fn many_unknown_writes_stay_tractable() {
    // 20 writes of distinct values, none of which returned, then a read of
    // one of them: linearizable; then a read of a value none wrote: not.
    // Each unknown write only matters if the next operation sees it.
    let unknown: H = (0..20u8).map(|v| Operation::unknown(Op::Write(0, v + 1), u64::from(v))).collect();
    let mut history = unknown.clone();
    history.push(read(100, 101, 7));
    match verdict(&history) {
        Verdict::Linearizable { steps } => assert!(steps < 10_000, "{steps}"),
        other => panic!("{other:?}"),
    }
    history.push(read(102, 103, 99));
    match verdict(&history) {
        Verdict::NotLinearizable { steps, .. } => assert!(steps < 10_000, "{steps}"),
        other => panic!("{other:?}"),
    }
    // Without the rule the search pays for every order of the writes.
    let ops: Vec<&Operation<Op, Out>> = history.iter().collect();
    let off = Prune { unknowns: false, ..Prune::ALL };
    assert!(matches!(search(&Register { keyed: false }, &ops, &mut 0, 100_000, off), Outcome::OutOfBudget));
}

#[test]
fn an_unknown_cas_may_have_swapped_or_not() {
    let unknown = Operation::unknown(Op::Cas(0, 0, 4), 0);
    assert!(linearizable(&vec![unknown.clone(), read(2, 3, 4)]));
    assert!(linearizable(&vec![unknown.clone(), read(2, 3, 0)]));
    // It swaps at most once: 4, then 0 again, then 4 needs another swap.
    assert!(!linearizable(&vec![unknown.clone(), read(2, 3, 4), write(4, 5, 0), read(6, 7, 4)]));
    // And only from 0: after a write of 1 it cannot give 4.
    assert!(!linearizable(&vec![write(0, 1, 1), Operation::unknown(Op::Cas(0, 0, 4), 2), read(3, 4, 4)]));
}

#[test]
fn identical_overlapping_writes_are_tried_once() {
    // 40 overlapping writes of two values, and reads alternating between
    // them after: any order of equal writes is the same order.
    let mut history: H = (0..40u64).map(|i| write(i, 200 + i, (i % 2) as u8 + 1)).collect();
    for (i, v) in [1, 2, 1, 2, 1].into_iter().enumerate() {
        let at = 50 + 4 * i as u64;
        history.push(read(at, at + 1, v));
    }
    match verdict(&history) {
        Verdict::Linearizable { steps } => assert!(steps < 50_000, "{steps}"),
        other => panic!("{other:?}"),
    }
}

/// splitmix64, for the random histories.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n
    }
}

/// A random register history of `n` operations over values 0..3: each
/// operation has a random interval and takes effect at a random point in
/// it, so the history is linearizable, and then, with `corrupt`, some
/// results are changed; about one in six never returns.
fn random_history(rng: &mut Rng, n: usize, corrupt: bool) -> H {
    let spread = 2 + rng.below(3 * n as u64);
    let mut ops: Vec<(u64, u64, u64, Op)> = (0..n)
        .map(|i| {
            let start = rng.below(spread) * 4 * n as u64 + 3 * i as u64;
            let length = 1 + rng.below(spread * 3);
            let end = start + length * 4 * n as u64 + 1;
            let point = start + 1 + rng.below(end - start - 1);
            let input = match rng.below(3) {
                0 => Op::Read(0),
                1 => Op::Write(0, rng.below(3) as u8),
                _ => Op::Cas(0, rng.below(3) as u8, rng.below(3) as u8),
            };
            (point, start, end, input)
        })
        .collect();
    ops.sort_by_key(|op| op.0);
    let spec = Register { keyed: false };
    let mut state = spec.init();
    let mut history = Vec::new();
    for (_, start, end, input) in ops {
        let (next, mut output) = spec.apply(&state, &input);
        state = next;
        if corrupt && rng.below(3) == 0 {
            output = match output {
                Out::Value(v) => Out::Value((v + 1 + rng.below(2) as u8) % 3),
                Out::Swapped(s) => Out::Swapped(!s),
                Out::Done => Out::Done,
            };
        }
        let unknown = !matches!(input, Op::Read(_)) && rng.below(6) == 0;
        history.push(if unknown {
            Operation::unknown(input, start)
        } else {
            Operation::returned(input, start, end, output)
        });
    }
    history
}

#[test]
fn the_prunings_agree_with_brute_force_on_small_random_histories() {
    let mut rng = Rng(12);
    let (mut yes, mut no) = (0, 0);
    for round in 0..3_000 {
        let n = 1 + round % 7;
        let history = random_history(&mut rng, n, round % 3 != 0);
        let truth = brute(&Register { keyed: false }, &history);
        assert_eq!(searched(&history, Prune::ALL), Some(truth), "all prunings, {history:?}");
        assert_eq!(searched(&history, Prune::NONE), Some(truth), "no pruning, {history:?}");
        if let Verdict::NotLinearizable { violation, .. } = verdict(&history) {
            let minimal: H = violation.minimal.iter().map(|&i| history[i].clone()).collect();
            assert!(!brute(&Register { keyed: false }, &minimal), "{history:?} minimal {minimal:?}");
        }
        if truth {
            yes += 1;
        } else {
            no += 1;
        }
    }
    // Both answers are common, so both directions are exercised.
    assert!(yes > 1_000 && no > 500, "{yes} linearizable, {no} not");
}

#[test]
fn the_prunings_agree_with_the_plain_search_on_random_histories() {
    let mut rng = Rng(34);
    for round in 0..400 {
        let n = 8 + round % 12;
        let history = random_history(&mut rng, n, round % 2 == 1);
        let plain = searched(&history, Prune::NONE).expect("the plain search within its budget");
        assert_eq!(searched(&history, Prune::ALL), Some(plain), "{history:?}");
        for prune in [
            Prune { greedy: false, ..Prune::ALL },
            Prune { twins: false, ..Prune::ALL },
            Prune { unknowns: false, ..Prune::ALL },
            Prune { lookahead: false, ..Prune::ALL },
            Prune { reads: false, ..Prune::ALL },
        ] {
            assert_eq!(searched(&history, prune), Some(plain), "{prune:?} {history:?}");
        }
    }
}
