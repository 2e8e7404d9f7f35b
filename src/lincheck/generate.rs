//! Linearizable histories for the benchmark, from a real sequential run:
//! each process invokes an operation, the operation takes effect on the one
//! true state at a random later moment, and its response comes at a random
//! moment after that, so operations of different processes overlap at
//! random. One write in 500 loses its response (an unknown outcome).
//! Deterministic from the seed.

use super::edn::Value;
use super::models::{Kv, KvOp, KvOut, Register, RegisterOp, RegisterOut};
use properties::linearizability::{Operation, SequentialSpec};

/// splitmix64: a small, good, seedable generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

enum Stage<I, O> {
    Idle,
    Invoked(I, u64),
    Applied(I, u64, O),
}

/// `ops` operations of `processes` processes against `spec`, drawing inputs from `input`.
fn generate<S: SequentialSpec>(
    spec: &S,
    ops: usize,
    processes: usize,
    seed: u64,
    mut input: impl FnMut(&mut Rng) -> S::Input,
    lossy: impl Fn(&S::Input) -> bool,
) -> Vec<Operation<S::Input, S::Output>> {
    let mut rng = Rng(seed);
    let mut state = spec.init();
    let mut stages: Vec<Stage<S::Input, S::Output>> = (0..processes).map(|_| Stage::Idle).collect();
    let mut history = Vec::with_capacity(ops);
    let (mut invoked, mut clock) = (0, 0u64);
    while history.len() < ops {
        clock += 1;
        let p = rng.below(processes as u64) as usize;
        stages[p] = match std::mem::replace(&mut stages[p], Stage::Idle) {
            Stage::Idle if invoked < ops => {
                invoked += 1;
                Stage::Invoked(input(&mut rng), clock)
            }
            Stage::Idle => Stage::Idle,
            Stage::Invoked(i, at) => {
                let (next, output) = spec.apply(&state, &i);
                state = next;
                Stage::Applied(i, at, output)
            }
            Stage::Applied(i, at, output) => {
                if lossy(&i) && rng.below(500) == 0 {
                    history.push(Operation::unknown(i, at));
                } else {
                    history.push(Operation::returned(i, at, clock, output));
                }
                Stage::Idle
            }
        };
    }
    history
}

/// A register over five values: reads, writes and cas in equal parts.
pub fn register(ops: usize, processes: usize, seed: u64) -> Vec<Operation<RegisterOp, RegisterOut>> {
    let value = |rng: &mut Rng| Value::Int(rng.below(5) as i64);
    let input = |rng: &mut Rng| match rng.below(3) {
        0 => RegisterOp::Read,
        1 => RegisterOp::Write(value(rng)),
        _ => RegisterOp::Cas(value(rng), value(rng)),
    };
    generate(&Register, ops, processes, seed, input, |i| !matches!(i, RegisterOp::Read))
}

/// Eight keys: gets, puts and appends in equal parts.
pub fn kv(ops: usize, processes: usize, seed: u64) -> Vec<Operation<KvOp, KvOut>> {
    let input = |rng: &mut Rng| {
        let key = format!("k{}", rng.below(8));
        let value = rng.below(10).to_string();
        match rng.below(3) {
            0 => KvOp::Get(key),
            1 => KvOp::Put(key, value),
            _ => KvOp::Append(key, value),
        }
    };
    generate(&AllKeys, ops, processes, seed, input, |i| !matches!(i, KvOp::Get(_)))
}

/// The kv store over all keys at once (the checker's `Kv` holds one key's
/// string, as each of its partitions is one key).
struct AllKeys;

impl SequentialSpec for AllKeys {
    type State = std::collections::BTreeMap<String, String>;
    type Input = KvOp;
    type Output = KvOut;
    type Key = ();
    fn init(&self) -> Self::State {
        Default::default()
    }
    fn apply(&self, state: &Self::State, input: &KvOp) -> (Self::State, KvOut) {
        let key = match input {
            KvOp::Get(k) | KvOp::Put(k, _) | KvOp::Append(k, _) => k,
        };
        let old = state.get(key).cloned().unwrap_or_default();
        let (new, out) = Kv.apply(&old, input);
        let mut next = state.clone();
        next.insert(key.clone(), new);
        (next, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use properties::linearizability::{check, Budget, Verdict};

    #[test]
    fn generated_histories_are_linearizable_and_deterministic() {
        let history = register(300, 10, 7);
        assert_eq!(history.len(), 300);
        assert_eq!(history, register(300, 10, 7));
        assert!(matches!(check(&Register, &history, Budget::default()), Verdict::Linearizable { .. }));
        assert!(matches!(check(&Kv, &kv(300, 10, 7), Budget::default()), Verdict::Linearizable { .. }));
    }

    #[test]
    fn a_corrupted_generated_history_is_not() {
        let mut history = register(300, 10, 7);
        let read = history.iter().rposition(|op| op.input == RegisterOp::Read && op.response.is_some()).unwrap();
        history[read].response.as_mut().unwrap().1 = RegisterOut::Value(Value::Int(99));
        assert!(matches!(check(&Register, &history, Budget::default()), Verdict::NotLinearizable { .. }));
    }
}
