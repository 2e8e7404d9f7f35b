//! The Wing–Gong–Lowe search, memoized on (linearized set, state), one
//! partition at a time; and the shrinking of a violation to a small set of
//! operations whose answers no order fits.

use super::{Operation, SequentialSpec};
use std::cell::RefCell;
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
    let keys: Option<Vec<S::Key>> = history.iter().map(|op| spec.partition(&op.input)).collect();
    let mut steps = 0;
    let Some(keys) = keys else {
        // One partition, the whole history: its indices are the history's.
        let ops: Vec<&Operation<S::Input, S::Output>> = history.iter().collect();
        return judge(spec, None, &ops, |i| i, budget, &mut steps).unwrap_or(Verdict::Linearizable { steps });
    };
    let mut partitions: BTreeMap<S::Key, Vec<usize>> = BTreeMap::new();
    for (index, key) in keys.into_iter().enumerate() {
        partitions.entry(key).or_default().push(index);
    }
    for (key, indices) in &partitions {
        let ops: Vec<&Operation<S::Input, S::Output>> = indices.iter().map(|&i| &history[i]).collect();
        if let Some(verdict) = judge(spec, Some(key), &ops, |i| indices[i], budget, &mut steps) {
            return verdict;
        }
    }
    Verdict::Linearizable { steps }
}

/// The search of one partition, `ops` (of key `key`; `index` gives an
/// operation's index in the history): the verdict when it is not
/// linearizable or the budget ran out, `None` when it is linearizable.
fn judge<S: SequentialSpec>(
    spec: &S,
    key: Option<&S::Key>,
    ops: &[&Operation<S::Input, S::Output>],
    index: impl Fn(usize) -> usize,
    budget: Budget,
    steps: &mut u64,
) -> Option<Verdict> {
    match search(spec, ops, steps, budget.steps, Prune::ALL) {
        Outcome::Linearizable => None,
        Outcome::OutOfBudget => Some(Verdict::Unknown { steps: *steps }),
        Outcome::Blocked { prefix, blocked } => {
            let mut spent = 0;
            let minimal = minimize(spec, ops, blocked, &mut spent, budget.minimize_steps);
            let violation = Violation {
                partition: key.map(|k| format!("{k:?}")),
                prefix: prefix.iter().map(|&i| index(i)).collect(),
                blocked: index(blocked),
                minimal: minimal.iter().map(|&i| index(i)).collect(),
            };
            Some(Verdict::NotLinearizable { violation, steps: *steps })
        }
    }
}

/// What the search of one partition found; indices are into its operations.
pub(super) enum Outcome {
    Linearizable,
    Blocked { prefix: Vec<usize>, blocked: usize },
    OutOfBudget,
}

const NIL: usize = usize::MAX;

/// Clears `buffer` and fills it with `len` copies of `value`, keeping its
/// allocation.
fn refill<T: Clone>(buffer: &mut Vec<T>, len: usize, value: T) {
    buffer.clear();
    buffer.resize(len, value);
}

/// Calls and returns in position order, as a doubly linked list that
/// operations are lifted out of and put back into, last out first in.
#[derive(Default)]
struct Events {
    next: Vec<usize>,
    prev: Vec<usize>,
    /// For each node: its operation, and whether it is the call.
    node: Vec<(usize, bool)>,
    call: Vec<usize>,
    ret: Vec<usize>,
    head: usize,
    /// The events being sorted, kept for the next history.
    order: Vec<(u64, bool, usize)>,
}

impl Events {
    /// The list of `ops`'s events, in this one's buffers.
    fn reset<I, O>(&mut self, ops: &[&Operation<I, O>]) {
        self.order.clear();
        for (i, op) in ops.iter().enumerate() {
            // Calls sort before returns at an equal position: equal stamps overlap.
            self.order.push((op.invoke, false, i));
            if let Some((at, _)) = &op.response {
                self.order.push((*at, true, i));
            }
        }
        self.order.sort_unstable();
        let head = self.order.len();
        self.head = head;
        refill(&mut self.next, head + 1, NIL);
        refill(&mut self.prev, head + 1, NIL);
        self.node.clear();
        refill(&mut self.call, ops.len(), NIL);
        refill(&mut self.ret, ops.len(), NIL);
        let mut last = head;
        for (n, &(_, is_return, i)) in self.order.iter().enumerate() {
            self.node.push((i, !is_return));
            if is_return {
                self.ret[i] = n;
            } else {
                self.call[i] = n;
            }
            self.next[last] = n;
            self.prev[n] = last;
            last = n;
        }
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
/// The keys are one fixed sequence: the first `n` are the same for any `n`.
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
/// many were tried, and the operation of that first return. (When the
/// greedy rule picks a new frame's only candidate, its `apply`, already
/// computed, waits beside the frames as `ready` until that candidate is
/// tried, next.)
struct Frame {
    /// Where its candidates sit in the search's stack of candidates
    /// (`start..end`; a frame's own follow its parent's).
    start: usize,
    end: usize,
    tried: usize,
    first_return: Option<usize>,
    /// Whether candidates were left out because a sibling of this frame's
    /// configuration covers them (the rule for unknown operations): its
    /// failure then is not its own, and is not memoized.
    covered: bool,
}

/// The frame of the configuration `events` hold, its candidates pushed on
/// `candidates`.
fn frame<I, O>(events: &Events, ops: &[&Operation<I, O>], twins: &mut Twins, candidates: &mut Vec<usize>) -> Frame {
    let start = candidates.len();
    let mut node = events.first();
    while node != NIL && events.node[node].1 {
        candidates.push(events.node[node].0);
        node = events.next[node];
    }
    let respond = |i: usize| ops[i].response.as_ref().map_or(u64::MAX, |(at, _)| *at);
    twins.keep_soonest(candidates, start, respond);
    candidates[start..].sort_unstable_by_key(|&i| (respond(i), ops[i].invoke));
    Frame {
        start,
        end: candidates.len(),
        tried: 0,
        first_return: (node != NIL).then(|| events.node[node].0),
        covered: false,
    }
}

/// Classes of identical operations (equal input and equal result, or both
/// unknown) that can be pending together, for the symmetry rule.
#[derive(Default)]
struct Twins {
    /// Whether the rule is on.
    on: bool,
    /// Each operation's class.
    class: Vec<usize>,
    /// The frame that last kept each class, to keep one per frame.
    mark: Vec<u64>,
    /// Where each class marked this frame sits in the kept candidates.
    slot: Vec<usize>,
    generation: u64,
    /// The operations open, while classing them.
    open: Vec<usize>,
}

impl Twins {
    /// The classes of `ops`, whose events `events` hold, in this one's
    /// buffers. Two operations pending together overlap, so an operation is
    /// compared only with those open at its invocation: all open twins share
    /// a class. When no two operations are twins, the rule has nothing to
    /// do and is off.
    fn reset<I: PartialEq, O: PartialEq>(&mut self, ops: &[&Operation<I, O>], events: &Events, on: bool) {
        self.on = on;
        if !on {
            return;
        }
        refill(&mut self.class, ops.len(), 0);
        self.open.clear();
        let mut classes = 0;
        // Calls by invocation (ties by index); a return leaves the open
        // operations before any call at or after its position is compared.
        for &(_, is_return, i) in &events.order {
            if is_return {
                if let Some(at) = self.open.iter().position(|&j| j == i) {
                    self.open.remove(at);
                }
                continue;
            }
            let twin = self.open.iter().find(|&&j| {
                (match (&ops[j].response, &ops[i].response) {
                    (Some((_, a)), Some((_, b))) => a == b,
                    (None, None) => true,
                    _ => false,
                }) && ops[j].input == ops[i].input
            });
            self.class[i] = match twin {
                Some(&j) => self.class[j],
                None => {
                    classes += 1;
                    classes - 1
                }
            };
            // One that returned before its own invocation is open to no other.
            if ops[i].response.as_ref().is_none_or(|(end, _)| *end >= ops[i].invoke) {
                self.open.push(i);
            }
        }
        if classes == ops.len() {
            self.on = false;
            return;
        }
        refill(&mut self.mark, classes, 0);
        refill(&mut self.slot, classes, 0);
        self.generation = 0;
    }

    /// Keeps, of each class, the one of `candidates[start..]` that must
    /// respond soonest (`respond` gives when; unknown operations never do,
    /// and of two of them either may stay), in their order.
    fn keep_soonest(&mut self, candidates: &mut Vec<usize>, start: usize, respond: impl Fn(usize) -> u64) {
        if !self.on {
            return;
        }
        self.generation += 1;
        // Kept candidates are written over the read ones, never ahead of them.
        let mut kept = start;
        for at in start..candidates.len() {
            let op = candidates[at];
            let c = self.class[op];
            if self.mark[c] == self.generation {
                let slot = self.slot[c];
                if respond(op) < respond(candidates[slot]) {
                    candidates[slot] = op;
                }
            } else {
                self.mark[c] = self.generation;
                self.slot[c] = kept;
                candidates[kept] = op;
                kept += 1;
            }
        }
        candidates.truncate(kept);
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
/// that result at `state`, the frame is that candidate alone, its `apply`
/// left in `ready`. Otherwise the
/// read-only candidates that answered otherwise leave the frame (they would
/// fail when tried), and, with `lookahead`, when the first return's
/// operation is one of them, the candidates after which it would answer
/// right go first. The frame's candidates are the top of `candidates`;
/// `helps` is a buffer. `false` when the budget ran out.
#[allow(clippy::too_many_arguments)]
fn greedy<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    read_only: &[bool],
    lookahead: bool,
    state: &S::State,
    frame: &mut Frame,
    ready: &mut Option<(S::State, S::Output)>,
    candidates: &mut Vec<usize>,
    helps: &mut Vec<usize>,
    steps: &mut u64,
    limit: u64,
) -> bool {
    let expected = |op: usize| &ops[op].response.as_ref().expect("read-only is only known for a known result").1;
    // The candidates that stay are written over the read ones.
    let mut kept = frame.start;
    let mut blocked_wrong = false;
    for at in frame.start..frame.end {
        let op = candidates[at];
        if read_only[op] {
            if *steps >= limit {
                return false;
            }
            *steps += 1;
            let (next, output) = spec.apply(state, &ops[op].input);
            if output == *expected(op) {
                if next == *state {
                    candidates.truncate(frame.start);
                    candidates.push(op);
                    frame.end = frame.start + 1;
                    *ready = Some((next, output));
                    return true;
                }
            } else {
                blocked_wrong |= frame.first_return == Some(op);
                continue;
            }
        }
        candidates[kept] = op;
        kept += 1;
    }
    candidates.truncate(kept);
    frame.end = kept;
    let Some(blocked) = frame.first_return.filter(|_| lookahead && blocked_wrong) else { return true };
    helps.clear();
    for &op in &candidates[frame.start..frame.end] {
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
        let first = helps.len();
        for &op in &candidates[frame.start..frame.end] {
            if !helps[..first].contains(&op) {
                helps.push(op);
            }
        }
        candidates[frame.start..frame.end].copy_from_slice(helps);
    }
    true
}

/// The rule for unknown operations: `frame` comes right after an unknown
/// operation took `before` to `state`. A candidate that does the same there
/// as it would have done at `before` (same next state, same result) does
/// not observe the unknown operation: placing it now is placing it without
/// the unknown one, which the sibling configuration (the parent's, with
/// that candidate instead) covers, as the unknown operation need never take
/// effect. Such candidates leave the frame, which is marked covered (and
/// `ready`, the frame's only candidate's `apply`, if it left). `false` when
/// the budget ran out.
#[allow(clippy::too_many_arguments)]
fn unobserved<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    before: &S::State,
    state: &S::State,
    frame: &mut Frame,
    ready: &mut Option<(S::State, S::Output)>,
    candidates: &mut Vec<usize>,
    steps: &mut u64,
    limit: u64,
) -> bool {
    // The candidates that stay are written over the read ones.
    let mut kept = frame.start;
    for at in frame.start..frame.end {
        let op = candidates[at];
        if *steps + 2 > limit {
            return false;
        }
        *steps += 2;
        let now = match ready {
            Some(ready) => ready.clone(),
            None => spec.apply(state, &ops[op].input),
        };
        if now == spec.apply(before, &ops[op].input) {
            frame.covered = true;
        } else {
            candidates[kept] = op;
            kept += 1;
        }
    }
    if kept < frame.end {
        *ready = None;
        candidates.truncate(kept);
        frame.end = kept;
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
#[derive(Default)]
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

/// The most words of entries, and keys, a memo keeps room for from one
/// search to the next (a larger one is let go).
const MEMO_KEPT: usize = 1 << 16;

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
    /// Empties the memo for a search whose unknown sets take `words` words.
    fn reset(&mut self, words: usize) {
        self.failed.clear();
        self.arena.clear();
        self.words = words;
    }

    /// Lets a large memo go, at the end of the search that filled it.
    fn trim(&mut self) {
        if self.arena.capacity() > MEMO_KEPT || self.failed.capacity() > MEMO_KEPT {
            *self = Memo::default();
        }
    }

    /// Whether no configuration failed yet.
    fn is_empty(&self) -> bool {
        self.failed.is_empty()
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

/// The search's buffers, a thread's own, kept from one search to the next:
/// a search of a small history then allocates little but its frames and
/// the states it lifts.
#[derive(Default)]
struct Scratch {
    events: Events,
    twins: Twins,
    memo: Memo,
    /// Zobrist keys, as many as the longest history searched needed.
    keys: Vec<u128>,
    read_only: Vec<bool>,
    bit: Vec<Option<usize>>,
    observer: Vec<bool>,
    placed: Vec<bool>,
    reads_before: Vec<u64>,
    unknown: Vec<u64>,
    /// The frames' candidates, one stack for all of them.
    candidates: Vec<usize>,
    helps: Vec<usize>,
    pending: Vec<usize>,
    frames: Vec<Frame>,
    lifted: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
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
/// these widths it has probability about `keys² / 2^128`. A state is hashed
/// only when it is looked up in a memo holding something, or remembered as
/// failed; until a configuration fails, the search hashes nothing.
///
/// First, operations sequential as given are applied in turn
/// ([`in_order`]): when each answers right, that is the search's own first
/// path and its answer, and nothing more is built.
pub(super) fn search<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    steps: &mut u64,
    limit: u64,
    prune: Prune,
) -> Outcome {
    if let Some(spent) = in_order(spec, ops, *steps, limit, prune) {
        *steps = spent;
        return Outcome::Linearizable;
    }
    let mut run = |scratch: &mut Scratch| {
        let outcome = search_in(scratch, spec, ops, steps, limit, prune);
        scratch.memo.trim();
        outcome
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => run(&mut scratch),
        // A search from within a search (a spec that checks): buffers of its own.
        Err(_) => run(&mut Scratch::default()),
    })
}

/// The search's own first path when `ops` are sequential as given (every
/// one returned, each before the next was invoked, so the list of events
/// is each one's call then its return, in turn; every frame has one
/// candidate): `ops` applied in turn from the initial state. When each
/// answers its result, that order is the only one real time allows, and
/// the search would take it: `Some` of `steps` plus the calls to `apply`
/// the search would have made (one an operation; two for a read-only one
/// that answers right but changes the state, which the greedy rule applies
/// and the frame then tries). `None` when `ops` are not so, one answers
/// otherwise, or the budget would run out: the search decides.
fn in_order<S: SequentialSpec>(
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    steps: u64,
    limit: u64,
    prune: Prune,
) -> Option<u64> {
    let mut spent = steps;
    let mut state = spec.init();
    let mut free_from = 0;
    for op in ops {
        let (response, expected) = op.response.as_ref()?;
        // Equal positions overlap: a call sorts before a return at its position.
        if op.invoke < free_from || *response < op.invoke {
            return None;
        }
        free_from = response.checked_add(1)?;
        let read_only = prune.greedy && spec.read_only(&op.input, expected);
        if spent >= limit {
            return None;
        }
        spent += 1;
        let (next, output) = spec.apply(&state, &op.input);
        if output != *expected {
            return None;
        }
        if read_only && next != state {
            if spent >= limit {
                return None;
            }
            spent += 1;
        }
        state = next;
    }
    Some(spent)
}

/// [`search`] in `scratch`'s buffers.
fn search_in<S: SequentialSpec>(
    scratch: &mut Scratch,
    spec: &S,
    ops: &[&Operation<S::Input, S::Output>],
    steps: &mut u64,
    limit: u64,
    prune: Prune,
) -> Outcome {
    let Scratch {
        events,
        twins,
        memo,
        keys,
        read_only,
        bit,
        observer,
        placed,
        reads_before,
        unknown,
        candidates,
        helps,
        pending,
        frames,
        lifted,
    } = scratch;
    events.reset(ops);
    if keys.len() < ops.len() {
        *keys = zobrist(ops.len().max(2 * keys.len()));
    }
    read_only.clear();
    read_only.extend(
        ops.iter()
            .map(|op| prune.greedy && op.response.as_ref().is_some_and(|(_, out)| spec.read_only(&op.input, out))),
    );
    // Each unknown operation's bit in the unknown set, when that rule is on.
    refill(bit, ops.len(), None);
    let mut unknowns = 0;
    if prune.unknowns {
        for (i, op) in ops.iter().enumerate() {
            if op.response.is_none() {
                bit[i] = Some(unknowns);
                unknowns += 1;
            }
        }
    }
    observer.clear();
    observer.extend(read_only.iter().map(|&r| r && prune.reads));
    refill(placed, ops.len(), false);
    // For each frame, one past the latest call node of its read-only operations.
    reads_before.clear();
    reads_before.push(0);
    refill(unknown, unknowns.div_ceil(64), 0);
    let flip = |unknown: &mut [u64], b: usize| unknown[b / 64] ^= 1 << (b % 64);
    // The completed set's Zobrist hash; with the last state, the top frame's configuration.
    let mut set: u128 = 0;
    let mut remaining = ops.iter().filter(|op| op.response.is_some()).count();
    // The lifted operations, in order; the initial state and the state after each.
    lifted.clear();
    let mut states: Vec<S::State> = Vec::with_capacity(ops.len() + 1);
    states.push(spec.init());
    twins.reset(ops, events, prune.twins);
    candidates.clear();
    let mut root = frame(events, ops, twins, candidates);
    // The top frame's only candidate's `apply`, when the greedy rule computed it.
    let mut ready = None;
    if !greedy(
        spec,
        ops,
        read_only,
        prune.lookahead,
        &states[0],
        &mut root,
        &mut ready,
        candidates,
        helps,
        steps,
        limit,
    ) {
        return Outcome::OutOfBudget;
    }
    frames.clear();
    frames.push(root);
    memo.reset(unknown.len());
    let mut best: Option<(Vec<usize>, usize)> = None;
    loop {
        if remaining == 0 {
            return Outcome::Linearizable;
        }
        let top = frames.last_mut().expect("a frame per lifted operation, and the root");
        let state = states.last().expect("a state per frame");
        if top.start + top.tried < top.end {
            let op = candidates[top.start + top.tried];
            top.tried += 1;
            let (next, output) = match ready.take() {
                Some(ready) => ready,
                None => {
                    if *steps >= limit {
                        return Outcome::OutOfBudget;
                    }
                    *steps += 1;
                    spec.apply(state, &ops[op].input)
                }
            };
            let matches = match &ops[op].response {
                Some((_, expected)) => *expected == output,
                // An unknown operation that leaves the state as it is
                // changes nothing: leaving it out is the same.
                None => !(prune.unknowns && next == *state),
            };
            if !matches {
                continue;
            }
            let config = match bit[op] {
                Some(b) => {
                    flip(unknown, b);
                    set
                }
                None if observer[op] => set,
                None => set ^ keys[op],
            };
            let before = *reads_before.last().expect("one per frame");
            let reads = if observer[op] { before.max(events.call[op] as u64 + 1) } else { before };
            let seen = Seen { reads_before: reads, placed, extra: op, unknown };
            // An empty memo dominates nothing: the state need not be hashed.
            if !memo.is_empty() && memo.dominated(key(config, state_hash(&next)), &seen) {
                if let Some(b) = bit[op] {
                    flip(unknown, b);
                }
                continue;
            }
            set = config;
            reads_before.push(reads);
            placed[op] = true;
            lifted.push(op);
            states.push(next);
            events.lift(op);
            if ops[op].response.is_some() {
                remaining -= 1;
            }
            let mut child = frame(events, ops, twins, candidates);
            let (before, state) = match &states[..] {
                [.., before, state] => (before, state),
                _ => unreachable!("the initial state and the one just reached"),
            };
            let lookahead = prune.lookahead;
            if !greedy(spec, ops, read_only, lookahead, state, &mut child, &mut ready, candidates, helps, steps, limit)
            {
                return Outcome::OutOfBudget;
            }
            if bit[op].is_some()
                && !unobserved(spec, ops, before, state, &mut child, &mut ready, candidates, steps, limit)
            {
                return Outcome::OutOfBudget;
            }
            frames.push(child);
            continue;
        }
        // Every candidate failed: the first return's operation cannot be placed here.
        if let Some(blocked) = top.first_return {
            if best.as_ref().is_none_or(|(prefix, _)| lifted.len() > prefix.len()) {
                best = Some((lifted.clone(), blocked));
            }
        }
        let done = frames.pop().expect("the top frame");
        candidates.truncate(done.start);
        reads_before.pop();
        if !done.covered {
            let first_return = done.first_return.map_or(NONE, |r| events.ret[r] as u64);
            pending.clear();
            let mut node = events.first();
            while node != NIL && events.node[node].1 {
                if observer[events.node[node].0] {
                    pending.push(events.node[node].0);
                }
                node = events.next[node];
            }
            // `set` and `state` are still the failed frame's configuration.
            memo.fail(key(set, state_hash(state)), first_return, pending, unknown);
        }
        let Some(undone) = lifted.pop() else {
            let (prefix, blocked) = best.expect("a completed operation is left, so some frame had a return");
            return Outcome::Blocked { prefix, blocked };
        };
        states.pop();
        match bit[undone] {
            Some(b) => flip(unknown, b),
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
