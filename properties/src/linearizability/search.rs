//! The Wing–Gong–Lowe search, memoized on (linearized set, state), one
//! partition at a time; and the shrinking of a violation to a small set of
//! operations whose answers no order fits.

use super::{Operation, SequentialSpec};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

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
        Budget { steps: 20_000_000, minimize_steps: 2_000_000 }
    }
}

/// The answer of [`check`]. `steps` counts the search's calls to `apply`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable {
        steps: u64,
    },
    NotLinearizable {
        violation: Violation,
        steps: u64,
    },
    /// The step budget ran out before an answer: nothing is known.
    Unknown {
        steps: u64,
    },
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
    /// A small set of completed operations whose answers no order fits,
    /// the others relaxed to unknown outcomes (see `minimize`), in invocation order.
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
        match search(spec, &ops, &mut steps, budget.steps, Prune::ALL) {
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
pub(super) enum Outcome {
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

/// A random 128-bit key per operation: the linearized set's fingerprint is
/// the xor of its members' keys (Zobrist hashing), updated in O(1) a step.
fn zobrist(n: usize) -> Vec<u128> {
    let mut x: u64 = 0x853c_49e6_748f_ea9b;
    let mut next = move || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (0..n).map(|_| (u128::from(next()) << 64) | u128::from(next())).collect()
}

fn state_hash<T: Hash>(state: &T) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    state.hash(&mut hasher);
    hasher.finish()
}

/// One level of the search: the operations that may come next (the calls
/// before the first return still in the list, earliest response first), how
/// many were tried, the operation of that first return, and, when the
/// greedy rule picked the only candidate, its `apply` already computed.
struct Frame<S, O> {
    candidates: Vec<usize>,
    tried: usize,
    first_return: Option<usize>,
    ready: Option<(S, O)>,
    /// Whether candidates were left out because a sibling of this frame's
    /// configuration covers them (the rule for unknown operations): its
    /// failure then is not its own, and is not memoized.
    covered: bool,
}

fn frame<S, I, O>(events: &Events, ops: &[&Operation<I, O>], twins: &mut Twins) -> Frame<S, O> {
    let mut candidates = Vec::new();
    let mut node = events.first();
    while node != NIL && events.node[node].1 {
        candidates.push(events.node[node].0);
        node = events.next[node];
    }
    let respond = |i: usize| ops[i].response.as_ref().map_or(u64::MAX, |(at, _)| *at);
    twins.keep_soonest(&mut candidates, respond);
    candidates.sort_unstable_by_key(|&i| (respond(i), ops[i].invoke));
    Frame {
        candidates,
        tried: 0,
        first_return: (node != NIL).then(|| events.node[node].0),
        ready: None,
        covered: false,
    }
}

/// Classes of identical operations (equal input and equal result, or both
/// unknown) that can be pending together, for the symmetry rule.
struct Twins {
    /// Each operation's class; `None` when the rule is off.
    class: Option<Vec<usize>>,
    /// The frame that last kept each class, to keep one per frame.
    mark: Vec<u64>,
    /// Where each class marked this frame sits in the kept candidates.
    slot: Vec<usize>,
    generation: u64,
}

impl Twins {
    /// Two operations pending together overlap, so an operation is compared
    /// only with those open at its invocation: all open twins share a class.
    fn new<I: PartialEq, O: PartialEq>(ops: &[&Operation<I, O>], on: bool) -> Twins {
        if !on {
            return Twins { class: None, mark: Vec::new(), slot: Vec::new(), generation: 0 };
        }
        let mut by_invoke: Vec<usize> = (0..ops.len()).collect();
        by_invoke.sort_by_key(|&i| ops[i].invoke);
        let mut class = vec![0; ops.len()];
        let mut open: Vec<usize> = Vec::new();
        let mut classes = 0;
        for i in by_invoke {
            let at = ops[i].invoke;
            open.retain(|&j| ops[j].response.as_ref().is_none_or(|(end, _)| *end >= at));
            let twin = open.iter().find(|&&j| {
                ops[j].input == ops[i].input
                    && match (&ops[j].response, &ops[i].response) {
                        (Some((_, a)), Some((_, b))) => a == b,
                        (None, None) => true,
                        _ => false,
                    }
            });
            class[i] = match twin {
                Some(&j) => class[j],
                None => {
                    classes += 1;
                    classes - 1
                }
            };
            open.push(i);
        }
        Twins { class: Some(class), mark: vec![0; classes], slot: vec![0; classes], generation: 0 }
    }

    /// Keeps, of each class, the one of `candidates` that must respond
    /// soonest (`respond` gives when; unknown operations never do, and of
    /// two of them either may stay), in their order.
    fn keep_soonest(&mut self, candidates: &mut Vec<usize>, respond: impl Fn(usize) -> u64) {
        let Some(class) = &self.class else { return };
        self.generation += 1;
        let mut kept: Vec<usize> = Vec::with_capacity(candidates.len());
        for &op in candidates.iter() {
            let c = class[op];
            if self.mark[c] == self.generation {
                let slot = &mut kept[self.slot[c]];
                if respond(op) < respond(*slot) {
                    *slot = op;
                }
            } else {
                self.mark[c] = self.generation;
                self.slot[c] = kept.len();
                kept.push(op);
            }
        }
        *candidates = kept;
    }
}

/// Which prunings the search uses (all of them but in tests that compare
/// against the plain search).
#[derive(Clone, Copy, Debug)]
pub(super) struct Prune {
    /// Linearize a matching read-only candidate at once, without branching.
    pub greedy: bool,
    /// Of identical candidates, try only the one that must respond soonest.
    pub twins: bool,
    /// Leave out an unknown operation that would change nothing, and prune
    /// configurations dominated by a failed one with fewer unknown
    /// operations.
    pub unknowns: bool,
    /// When the first return's operation is a read-only one that answers
    /// otherwise now, try first the candidates after which it answers right.
    pub lookahead: bool,
    /// A failed configuration prunes those with the same other operations
    /// and state and fewer read-only ones.
    pub reads: bool,
}

impl Prune {
    pub(super) const ALL: Prune = Prune { greedy: true, twins: true, unknowns: true, lookahead: true, reads: true };
    #[cfg(test)]
    pub(super) const NONE: Prune =
        Prune { greedy: false, twins: false, unknowns: false, lookahead: false, reads: false };
}

/// The greedy rule: if a candidate is read-only for its result and answers
/// that result at `state`, the frame is that candidate alone. Otherwise the
/// read-only candidates that answered otherwise leave the frame (they would
/// fail when tried), and, with `lookahead`, when the first return's
/// operation is one of them, the candidates after which it would answer
/// right go first. `false` when the budget ran out.
#[allow(clippy::too_many_arguments)]
fn greedy<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    read_only: &[bool],
    lookahead: bool,
    state: &S::State,
    frame: &mut Frame<S::State, S::Output>,
    steps: &mut u64,
    limit: u64,
) -> bool {
    let expected = |op: usize| &ops[op].response.as_ref().expect("read-only is only known for a known result").1;
    let mut wrong = Vec::new();
    for &op in &frame.candidates {
        if !read_only[op] {
            continue;
        }
        if *steps >= limit {
            return false;
        }
        *steps += 1;
        let (next, output) = spec.apply(state, &ops[op].input);
        if output == *expected(op) {
            if next == *state {
                frame.candidates = vec![op];
                frame.ready = Some((next, output));
                return true;
            }
        } else {
            wrong.push(op);
        }
    }
    if wrong.is_empty() {
        return true;
    }
    frame.candidates.retain(|op| !wrong.contains(op));
    let Some(blocked) = frame.first_return.filter(|&r| lookahead && wrong.contains(&r)) else { return true };
    let mut helps = Vec::new();
    for &op in &frame.candidates {
        if *steps + 2 > limit {
            return false;
        }
        *steps += 2;
        let (next, _) = spec.apply(state, &ops[op].input);
        if spec.apply(&next, &ops[blocked].input).1 == *expected(blocked) {
            helps.push(op);
        }
    }
    if !helps.is_empty() {
        let rest = frame.candidates.iter().copied().filter(|op| !helps.contains(op));
        frame.candidates = helps.iter().copied().chain(rest).collect();
    }
    true
}

/// The rule for unknown operations: `frame` comes right after an unknown
/// operation took `before` to `state`. A candidate that does the same there
/// as it would have done at `before` (same next state, same result) does
/// not observe the unknown operation: placing it now is placing it without
/// the unknown one, which the sibling configuration (the parent's, with
/// that candidate instead) covers, as the unknown operation need never take
/// effect. Such candidates leave the frame, which is marked covered.
/// `false` when the budget ran out.
fn unobserved<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    before: &S::State,
    state: &S::State,
    frame: &mut Frame<S::State, S::Output>,
    steps: &mut u64,
    limit: u64,
) -> bool {
    let mut kept = Vec::with_capacity(frame.candidates.len());
    for &op in &frame.candidates {
        if *steps + 2 > limit {
            return false;
        }
        *steps += 2;
        let now = match &frame.ready {
            Some(ready) => ready.clone(),
            None => spec.apply(state, &ops[op].input),
        };
        if now == spec.apply(before, &ops[op].input) {
            frame.covered = true;
        } else {
            kept.push(op);
        }
    }
    if kept.len() < frame.candidates.len() {
        frame.ready = None;
        frame.candidates = kept;
    }
    true
}

/// The configurations known to have no completion. A configuration is
/// split in three: its completed operations that are not read-only, with
/// the state, as a fingerprint (the key: a 128-bit Zobrist hash of the set
/// mixed with the state's hash); its read-only ones (those the greedy rule
/// places); and its unknown ones, as an exact bitset of `words` words
/// (none when that rule is off, and then the unknown operations count as
/// completed ones in the key; likewise read-only ones when the rule for
/// them is off).
///
/// The read-only set of a failed configuration is kept exactly and
/// compactly: every read-only operation whose call comes before the
/// configuration's first return is in it, but the few still pending
/// there, and no other one (no other could have been placed yet). So an
/// entry is that first return's place in the event list and the pending
/// read-only operations, with the unknown set.
struct Memo {
    /// Each failed key: the first of its entries in `arena`.
    failed: HashMap<Key, u64, Fold>,
    /// Entries: the next entry of the same key ([`NONE`] for none), the
    /// first return's node, how many read-only operations were pending,
    /// those operations, then the unknown set.
    arena: Vec<u64>,
    words: usize,
}

const NONE: u64 = u64::MAX;

/// A configuration's fingerprint: the completed set's Zobrist hash and the
/// state's hash, mixed into 128 bits (a 64-bit hash spread by an odd
/// 128-bit multiplier, so that it changes both halves).
type Key = (u64, u64);

fn key(set: u128, state: u64) -> Key {
    let mixed = set ^ u128::from(state).wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15);
    ((mixed >> 64) as u64, mixed as u64)
}

/// The memo's hasher: the key is random already (Zobrist keys and a
/// state hash), so its words are folded together and mixed once.
#[derive(Clone, Copy, Default)]
struct Fold;

impl std::hash::BuildHasher for Fold {
    type Hasher = Folded;
    fn build_hasher(&self) -> Folded {
        Folded(0)
    }
}

struct Folded(u64);

impl Hasher for Folded {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = self.0.rotate_left(23) ^ word;
    }
}

/// A configuration as the memo compares it, beyond its key.
struct Seen<'a> {
    /// One past the latest call node of its read-only operations (0: none).
    reads_before: u64,
    /// Which operations it has placed, but for `extra`, placed too.
    placed: &'a [bool],
    extra: usize,
    unknown: &'a [u64],
}

impl Memo {
    fn new(words: usize) -> Memo {
        Memo { failed: HashMap::default(), arena: Vec::new(), words }
    }

    /// Whether a failed configuration dominates `seen` (of key `key`): the
    /// same completed operations that are not read-only, the same state,
    /// at least its read-only operations and at most its unknown ones. Any
    /// completion of `seen` is one of the failed configuration's, with the
    /// extra read-only operations taken out (they leave every state as it
    /// was) and the extra unknown ones left out: so `seen` fails too.
    fn dominated(&self, key: Key, seen: &Seen) -> bool {
        let Some(&first) = self.failed.get(&key) else { return false };
        let mut at = first;
        while at != NONE {
            let e = at as usize;
            let before = self.arena[e + 1];
            let pending = self.arena[e + 2] as usize;
            let reads = &self.arena[e + 3..e + 3 + pending];
            let unknown = &self.arena[e + 3 + pending..e + 3 + pending + self.words];
            if seen.reads_before <= before
                && unknown.iter().zip(seen.unknown).all(|(f, u)| f & !u == 0)
                && reads.iter().all(|&r| !seen.placed[r as usize] && r as usize != seen.extra)
            {
                return true;
            }
            at = self.arena[e];
        }
        false
    }

    fn fail(&mut self, key: Key, first_return: u64, pending: &[usize], unknown: &[u64]) {
        let at = self.arena.len() as u64;
        let next = match self.failed.get_mut(&key) {
            Some(first) => std::mem::replace(first, at),
            None => {
                self.failed.insert(key, at);
                NONE
            }
        };
        self.arena.extend([next, first_return, pending.len() as u64]);
        self.arena.extend(pending.iter().map(|&r| r as u64));
        self.arena.extend_from_slice(unknown);
    }
}

/// The search over one partition, adding its calls to `apply` to `steps`.
///
/// Depth first over the WGL choices, trying the candidate that must respond
/// soonest first (a good guess of the real order, so a linearizable history
/// rarely backtracks far), with the prunings of the module's documentation
/// that `prune` turns on. The memo holds the configurations that failed:
/// the completed operations that are neither read-only nor unknown, as a
/// 128-bit Zobrist hash mixed with a 64-bit hash of the state into one
/// 128-bit key, whatever the history's length; under it, the exact
/// read-only and unknown parts (see [`Memo`]). A collision could only prune
/// a configuration wrongly (a false violation, never a false pass); at
/// these widths it has probability about `keys² / 2^128`.
pub(super) fn search<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    steps: &mut u64,
    limit: u64,
    prune: Prune,
) -> Outcome {
    let mut events = Events::new(ops);
    let keys = zobrist(ops.len());
    let read_only: Vec<bool> = ops
        .iter()
        .map(|op| prune.greedy && op.response.as_ref().is_some_and(|(_, out)| spec.read_only(&op.input, out)))
        .collect();
    // Each unknown operation's bit in the unknown set, when that rule is on.
    let mut bit: Vec<Option<usize>> = vec![None; ops.len()];
    let mut unknowns = 0;
    if prune.unknowns {
        for (i, op) in ops.iter().enumerate() {
            if op.response.is_none() {
                bit[i] = Some(unknowns);
                unknowns += 1;
            }
        }
    }
    let observer: Vec<bool> = read_only.iter().map(|&r| r && prune.reads).collect();
    let mut placed = vec![false; ops.len()];
    // For each frame, one past the latest call node of its read-only operations.
    let mut reads_before: Vec<u64> = vec![0];
    let mut unknown = vec![0u64; unknowns.div_ceil(64)];
    let flip = |unknown: &mut [u64], b: usize| unknown[b / 64] ^= 1 << (b % 64);
    let mut set: u128 = 0;
    let mut remaining = ops.iter().filter(|op| op.response.is_some()).count();
    let mut state = spec.init();
    let mut lifted: Vec<(usize, S::State)> = Vec::new();
    let mut twins = Twins::new(ops, prune.twins);
    let mut root = frame(&events, ops, &mut twins);
    if !greedy(spec, ops, &read_only, prune.lookahead, &state, &mut root, steps, limit) {
        return Outcome::OutOfBudget;
    }
    // Each frame's configuration key (completed set, state hash).
    let mut at: Vec<(u128, u64)> = vec![(0, state_hash(&state))];
    let mut frames = vec![root];
    let mut memo = Memo::new(unknown.len());
    let mut best: Option<(Vec<usize>, usize)> = None;
    loop {
        if remaining == 0 {
            return Outcome::Linearizable;
        }
        let top = frames.last_mut().expect("a frame per lifted operation, and the root");
        if top.tried < top.candidates.len() {
            let op = top.candidates[top.tried];
            top.tried += 1;
            let (next, output) = match top.ready.take() {
                Some(ready) => ready,
                None => {
                    if *steps >= limit {
                        return Outcome::OutOfBudget;
                    }
                    *steps += 1;
                    spec.apply(&state, &ops[op].input)
                }
            };
            let matches = match &ops[op].response {
                Some((_, expected)) => *expected == output,
                // An unknown operation that leaves the state as it is
                // changes nothing: leaving it out is the same.
                None => !(prune.unknowns && next == state),
            };
            if !matches {
                continue;
            }
            let config = match bit[op] {
                Some(b) => {
                    flip(&mut unknown, b);
                    (set, state_hash(&next))
                }
                None if observer[op] => (set, state_hash(&next)),
                None => (set ^ keys[op], state_hash(&next)),
            };
            let before = *reads_before.last().expect("one per frame");
            let reads = if observer[op] { before.max(events.call[op] as u64 + 1) } else { before };
            let seen = Seen { reads_before: reads, placed: &placed, extra: op, unknown: &unknown };
            if memo.dominated(key(config.0, config.1), &seen) {
                if let Some(b) = bit[op] {
                    flip(&mut unknown, b);
                }
                continue;
            }
            set = config.0;
            at.push(config);
            reads_before.push(reads);
            placed[op] = true;
            lifted.push((op, std::mem::replace(&mut state, next)));
            events.lift(op);
            if ops[op].response.is_some() {
                remaining -= 1;
            }
            let mut child = frame(&events, ops, &mut twins);
            if !greedy(spec, ops, &read_only, prune.lookahead, &state, &mut child, steps, limit) {
                return Outcome::OutOfBudget;
            }
            if bit[op].is_some() {
                let before = &lifted.last().expect("just lifted").1;
                if !unobserved(spec, ops, before, &state, &mut child, steps, limit) {
                    return Outcome::OutOfBudget;
                }
            }
            frames.push(child);
            continue;
        }
        // Every candidate failed: the first return's operation cannot be placed here.
        if let Some(blocked) = top.first_return {
            if best.as_ref().is_none_or(|(prefix, _)| lifted.len() > prefix.len()) {
                best = Some((lifted.iter().map(|(i, _)| *i).collect(), blocked));
            }
        }
        let done = frames.pop().expect("the top frame");
        let failed = at.pop().expect("a key per frame");
        reads_before.pop();
        if !done.covered {
            let first_return = done.first_return.map_or(NONE, |r| events.ret[r] as u64);
            let mut pending = Vec::new();
            let mut node = events.first();
            while node != NIL && events.node[node].1 {
                if observer[events.node[node].0] {
                    pending.push(events.node[node].0);
                }
                node = events.next[node];
            }
            memo.fail(key(failed.0, failed.1), first_return, &pending, &unknown);
        }
        let Some((undone, before)) = lifted.pop() else {
            let (prefix, blocked) = best.expect("a completed operation is left, so some frame had a return");
            return Outcome::Blocked { prefix, blocked };
        };
        state = before;
        match bit[undone] {
            Some(b) => flip(&mut unknown, b),
            None if observer[undone] => {}
            None => set ^= keys[undone],
        }
        placed[undone] = false;
        events.unlift(undone);
        if ops[undone].response.is_some() {
            remaining += 1;
        }
    }
}

/// A small set of the completed operations of `ops` (which are not
/// linearizable, and block at `blocked`) whose answers no order fits, in
/// invocation order: every other operation stays in the history relaxed to
/// an unknown outcome (it may have taken effect after its invocation, or
/// never), so the set is what conflicts whatever the others did. Relaxing
/// only allows more orders, so a set that fails keeps failing as it grows.
fn minimize<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    blocked: usize,
    spent: &mut u64,
    limit: u64,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| ops[i].invoke);
    let cut_at = ops[blocked].response.as_ref().map_or(u64::MAX, |(at, _)| *at);
    let cut: Vec<usize> = order.iter().copied().filter(|&i| ops[i].invoke <= cut_at).collect();
    let fails = |kept: &[usize], spent: &mut u64| -> bool {
        let mut keep = vec![false; ops.len()];
        kept.iter().for_each(|&i| keep[i] = true);
        let relaxed: Vec<Operation<S::Input, S::Output>> = order
            .iter()
            .map(|&i| match keep[i] {
                true => ops[i].clone(),
                false => Operation::unknown(ops[i].input.clone(), ops[i].invoke),
            })
            .collect();
        let sub: Vec<&Operation<S::Input, S::Output>> = relaxed.iter().collect();
        matches!(search(spec, &sub, spent, limit, Prune::ALL), Outcome::Blocked { .. })
    };
    let completed =
        |set: &[usize]| -> Vec<usize> { set.iter().copied().filter(|&i| ops[i].response.is_some()).collect() };
    // First keep only the answers up to the blocked response (the later
    // operations stay, relaxed), if they already conflict.
    let early = completed(&cut);
    let mut current = if cut.len() < order.len() && fails(&early, spent) { early } else { completed(&order) };
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
