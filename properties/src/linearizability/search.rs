//! The Wing–Gong–Lowe search, memoized on (linearized set, state), one
//! partition at a time; and the shrinking of a violation to a small
//! non-linearizable sub-history.

use super::{Operation, SequentialSpec};
use std::collections::{BTreeMap, HashSet};

/// Limits on the work of one [`check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Calls to `apply` the search may make over all partitions.
    pub steps: u64,
    /// Calls to `apply` the shrinking of a violation may make.
    pub minimize_steps: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { steps: 50_000_000, minimize_steps: 5_000_000 }
    }
}

/// The answer of [`check`]. `steps` counts the search's calls to `apply`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable { steps: u64 },
    NotLinearizable { violation: Violation, steps: u64 },
    /// The step budget ran out before an answer: nothing is known.
    Unknown { steps: u64 },
}

/// Operations that cannot be ordered, as indices into the checked history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The partition's key (`Debug`), or `None` when the history is one partition.
    pub partition: Option<String>,
    /// The longest linearizable prefix the search found, in linearization order.
    pub prefix: Vec<usize>,
    /// The completed operation that could not be placed after that prefix
    /// (or any shorter one) before its response.
    pub blocked: usize,
    /// A small sub-history that is itself not linearizable, in invocation order.
    pub minimal: Vec<usize>,
}

/// Checks `history` against `spec`; see the module's documentation.
pub fn check<S: SequentialSpec>(spec: &S, history: &[Operation<S::Input, S::Output>], budget: Budget) -> Verdict {
    let mut partitions: BTreeMap<Option<S::Key>, Vec<usize>> = BTreeMap::new();
    let keys: Option<Vec<S::Key>> = history.iter().map(|op| spec.partition(&op.input)).collect();
    match keys {
        Some(keys) => {
            for (index, key) in keys.into_iter().enumerate() {
                partitions.entry(Some(key)).or_default().push(index);
            }
        }
        None => {
            partitions.insert(None, (0..history.len()).collect());
        }
    }
    let mut steps = 0;
    for (key, indices) in &partitions {
        let ops: Vec<&Operation<S::Input, S::Output>> = indices.iter().map(|&i| &history[i]).collect();
        match search(spec, &ops, &mut steps, budget.steps) {
            Outcome::Linearizable => {}
            Outcome::OutOfBudget => return Verdict::Unknown { steps },
            Outcome::Blocked { prefix, blocked } => {
                let mut spent = 0;
                let minimal = minimize(spec, &ops, blocked, &mut spent, budget.minimize_steps);
                let violation = Violation {
                    partition: key.as_ref().map(|k| format!("{k:?}")),
                    prefix: prefix.iter().map(|&i| indices[i]).collect(),
                    blocked: indices[blocked],
                    minimal: minimal.iter().map(|&i| indices[i]).collect(),
                };
                return Verdict::NotLinearizable { violation, steps };
            }
        }
    }
    Verdict::Linearizable { steps }
}

/// What the search of one partition found; indices are into its operations.
enum Outcome {
    Linearizable,
    Blocked { prefix: Vec<usize>, blocked: usize },
    OutOfBudget,
}

const NIL: usize = usize::MAX;

/// Calls and returns in position order, as a doubly linked list that
/// operations are lifted out of and put back into, last out first in.
struct Events {
    next: Vec<usize>,
    prev: Vec<usize>,
    /// For each node: its operation, and whether it is the call.
    node: Vec<(usize, bool)>,
    call: Vec<usize>,
    ret: Vec<usize>,
    head: usize,
}

impl Events {
    fn new<I, O>(ops: &[&Operation<I, O>]) -> Events {
        let mut order: Vec<(u64, bool, usize)> = Vec::with_capacity(ops.len() * 2);
        for (i, op) in ops.iter().enumerate() {
            // Calls sort before returns at an equal position: equal stamps overlap.
            order.push((op.invoke, false, i));
            if let Some((at, _)) = &op.response {
                order.push((*at, true, i));
            }
        }
        order.sort_unstable();
        let head = order.len();
        let mut events = Events {
            next: vec![NIL; head + 1],
            prev: vec![NIL; head + 1],
            node: Vec::with_capacity(head),
            call: vec![NIL; ops.len()],
            ret: vec![NIL; ops.len()],
            head,
        };
        let mut last = head;
        for (n, &(_, is_return, i)) in order.iter().enumerate() {
            events.node.push((i, !is_return));
            if is_return {
                events.ret[i] = n;
            } else {
                events.call[i] = n;
            }
            events.next[last] = n;
            events.prev[n] = last;
            last = n;
        }
        events
    }

    fn first(&self) -> usize {
        self.next[self.head]
    }

    fn remove(&mut self, n: usize) {
        let (p, q) = (self.prev[n], self.next[n]);
        self.next[p] = q;
        if q != NIL {
            self.prev[q] = p;
        }
    }

    fn restore(&mut self, n: usize) {
        let (p, q) = (self.prev[n], self.next[n]);
        self.next[p] = n;
        if q != NIL {
            self.prev[q] = n;
        }
    }

    fn lift(&mut self, op: usize) {
        self.remove(self.call[op]);
        if self.ret[op] != NIL {
            self.remove(self.ret[op]);
        }
    }

    fn unlift(&mut self, op: usize) {
        if self.ret[op] != NIL {
            self.restore(self.ret[op]);
        }
        self.restore(self.call[op]);
    }
}

/// The search over one partition, adding its calls to `apply` to `steps`.
fn search<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    steps: &mut u64,
    limit: u64,
) -> Outcome {
    let mut events = Events::new(ops);
    let mut remaining = ops.iter().filter(|op| op.response.is_some()).count();
    let mut linearized = vec![0u64; ops.len().div_ceil(64)];
    let mut state = spec.init();
    let mut stack: Vec<(usize, S::State)> = Vec::new();
    let mut seen: HashSet<(Vec<u64>, S::State)> = HashSet::new();
    let mut best: Option<(Vec<usize>, usize)> = None;
    let mut node = events.first();
    loop {
        if remaining == 0 {
            return Outcome::Linearizable;
        }
        // While a completed operation is unlinearized its return is in the
        // list, and the walk from the head meets it before the list ends.
        debug_assert_ne!(node, NIL);
        let (op, is_call) = events.node[node];
        if is_call {
            if *steps >= limit {
                return Outcome::OutOfBudget;
            }
            *steps += 1;
            let (next, output) = spec.apply(&state, &ops[op].input);
            let matches = ops[op].response.as_ref().is_none_or(|(_, expected)| *expected == output);
            if matches {
                linearized[op / 64] |= 1 << (op % 64);
                if seen.insert((linearized.clone(), next.clone())) {
                    stack.push((op, std::mem::replace(&mut state, next)));
                    events.lift(op);
                    if ops[op].response.is_some() {
                        remaining -= 1;
                    }
                    node = events.first();
                    continue;
                }
                linearized[op / 64] &= !(1 << (op % 64));
            }
            node = events.next[node];
        } else {
            if best.as_ref().is_none_or(|(prefix, _)| stack.len() > prefix.len()) {
                best = Some((stack.iter().map(|(i, _)| *i).collect(), op));
            }
            let Some((undone, before)) = stack.pop() else {
                let (prefix, blocked) = best.expect("set before the first backtrack");
                return Outcome::Blocked { prefix, blocked };
            };
            state = before;
            linearized[undone / 64] &= !(1 << (undone % 64));
            events.unlift(undone);
            if ops[undone].response.is_some() {
                remaining += 1;
            }
            node = events.next[events.call[undone]];
        }
    }
}

/// A small non-linearizable subset of `ops` (which are not linearizable,
/// and block at `blocked`), in invocation order.
fn minimize<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    blocked: usize,
    spent: &mut u64,
    limit: u64,
) -> Vec<usize> {
    let fails = |subset: &[usize], spent: &mut u64| -> bool {
        let sub: Vec<&Operation<S::Input, S::Output>> = subset.iter().map(|&i| ops[i]).collect();
        matches!(search(spec, &sub, spent, limit), Outcome::Blocked { .. })
    };
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| ops[i].invoke);
    let cut_at = ops[blocked].response.as_ref().map_or(u64::MAX, |(at, _)| *at);
    let cut: Vec<usize> = order.iter().copied().filter(|&i| ops[i].invoke <= cut_at).collect();
    let mut current = if cut.len() < order.len() && fails(&cut, spent) { cut } else { order };
    let mut chunk = current.len().div_ceil(2);
    while chunk >= 1 && *spent < limit {
        // Later operations go first: keeping the earlier ones keeps the
        // writes that explain a read, so the set shows the conflict.
        let mut end = current.len();
        while end > 0 && *spent < limit {
            let start = end.saturating_sub(chunk);
            let candidate: Vec<usize> = current[..start].iter().chain(&current[end..]).copied().collect();
            if !candidate.is_empty() && fails(&candidate, spent) {
                current = candidate;
            }
            end = start;
        }
        if chunk == 1 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    current
}
