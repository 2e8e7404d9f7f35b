//! The checker on tiny histories, against a register and a keyed register.

use super::*;

/// A register of small integers, starting at 0; with `keyed`, one per key.
struct Register {
    keyed: bool,
}

#[derive(Clone, Debug)]
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
