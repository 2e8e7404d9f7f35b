//! Linearizability of a concurrent history against a sequential
//! specification, for any subject.
//!
//! - [`SequentialSpec`] (`spec.rs`): a state, `apply` of an operation to it
//!   (the next state and the operation's result), and an optional partition
//!   key: operations on different keys commute, so each key's
//!   sub-history is checked on its own (P-compositionality, Horn and Kroening
//!   2015). Linearizability is local (Herlihy and Wing 1990), so the history is
//!   linearizable exactly when every partition is.
//! - [`Operation`] (`history.rs`): an input, an invocation position and, if it
//!   is known, a response position with the result. Positions give the
//!   real-time order: `a` precedes `b` when `a` responded before `b` was
//!   invoked. An operation with no known response (it never ended, ended
//!   `:info`, timed out) may or may not have taken effect, at any point after
//!   its invocation; its result constrains nothing.
//! - [`check`] (`search.rs`): the search of Wing and Gong (1993) as improved by
//!   Lowe (2017) and used by Porcupine. Calls and returns sit in one list in
//!   position order; the search linearizes any call that comes before the
//!   first return still in the list (a *candidate*: every operation that must
//!   precede it is linearized already), lifting it out, and backtracks when it
//!   reaches a return whose call it could not place. A configuration is the
//!   linearized set and the state; each one that fails is remembered, and a
//!   repeat is cut off, which is what makes histories of thousands of
//!   operations tractable. Unknown operations have no return, so they never
//!   force an order and may stay unlinearized. A partition whose operations
//!   are sequential as given (all returned, each before the next was
//!   invoked) allows one order only, which is also the search's first path:
//!   its operations are applied in turn, with the steps the search would
//!   count, and the search runs only when one answers otherwise (or the
//!   budget would run out first).
//!
//! ## The prunings, and why each keeps the answer exact
//!
//! Each rule below drops branches of the search. Each is exact: when a
//! configuration `C` has a completion (a way to linearize all its remaining
//! completed operations), some branch the rule keeps has one too. None can
//! make the search answer linearizable wrongly, as every branch it follows is
//! still checked operation by operation; a rule that were wrong could only
//! miss a linearization. `tests.rs` checks them all against brute force and
//! against the plain search on thousands of small random histories.
//!
//! - **Greedy read-only operations.** [`SequentialSpec::read_only`] says that
//!   an operation answering a given result never changes the state (a read;
//!   a compare-and-set that failed). If a candidate `o` is read-only for its
//!   result and answers that result at `C`'s state, the search places `o` at
//!   once, without trying the other candidates. Why: take any completion
//!   `p1 … pk o …` of `C` and move `o` to the front. `o` answers right at
//!   `C`'s state and leaves it as it was, so `p1 … pk` see the same states;
//!   where `o` stood, it had answered its result, so it had left that state
//!   unchanged too, and what follows sees the same states as before. Real
//!   time allows it: `o` is a candidate, so nothing that must precede it is
//!   left, and moving an operation earlier never breaks "a precedes b" for
//!   an `a` already in front of it. The rule needs read-only for the result
//!   at *every* state, not only at this one: a write of the current value
//!   changes nothing now but does change the state later, and placing it at
//!   once is wrong (`a_write_of_the_current_value_is_not_read_only`). A
//!   read-only candidate that answers otherwise at `C` leaves the frame, as it
//!   would fail there; and when it is the first return's operation, the
//!   candidates after which it would answer right are tried first.
//! - **Fewer read-only operations placed.** A configuration `(S, s)` has no
//!   completion that `(S ∪ R, s)` lacks, for read-only operations `R`: take
//!   `R` out of a completion of the former and the rest sees the same states
//!   (each of them left its state as it was) under fewer real-time
//!   constraints. So the memo keeps read-only operations apart from the
//!   others, and a failed configuration prunes every one with the same other
//!   operations and state and a subset of its read-only ones. The read-only
//!   set is kept exactly and small: it is every read-only operation whose
//!   call comes before the configuration's first return but those still
//!   pending there (no later one can have been placed yet).
//! - **Identical operations.** Of candidates with equal input and equal
//!   result (or both unknown), only the one that must respond soonest is
//!   tried. Why: in a completion that places a later-responding twin `b`
//!   before the sooner one `a` (or places `b` and never the unknown `a`),
//!   swap them. The states and results are the same; `a` moves earlier, which
//!   real time allows as it is a candidate; `b` moves later, to where `a`
//!   was, and whatever stood between had to be allowed before `a`'s response,
//!   so before `b`'s, which is no sooner.
//! - **Unknown operations.** An unknown operation may take effect or not, so
//!   a configuration `(S ∪ U, s)` with extra unknown operations `U` has no
//!   completion that `(S, s)` lacks: any completion of the former is one of
//!   the latter that leaves `U` out. So the memo keeps the unknown part of a
//!   failed set exactly (a bitset), and a failed configuration prunes every
//!   one with the same completed operations and state and a superset of its
//!   unknown ones (with the rule above, also a superset of its read-only
//!   ones: the two compose). Two more rules: an unknown operation that would leave the
//!   state as it is is not placed (leaving it out is the same), and right
//!   after an unknown operation `u` is placed, a candidate that does exactly
//!   the same there as it would have done before `u` (same next state, same
//!   result: a write overwriting it) is not tried, since that sequence is
//!   the parent's with that candidate first and `u` left out, which the
//!   parent tries itself. A configuration that dropped candidates so is not
//!   remembered as failed, as its failure rests on its parent's siblings.
//!   So an unknown operation only ever takes effect right before an
//!   operation that sees it, and a pile of never-returned writes costs about
//!   one branch each, not one per order.
//!
//! Bounds: the search is exponential in the worst case (the problem is
//! NP-complete, Gibbons and Korach 1997); the memo bounds it by the number of
//! distinct (linearized set, state) pairs reachable, and the rules above cut
//! most of the ones a register's reads, failed compare-and-sets, repeated
//! writes and lost responses would add. A failed configuration takes a
//! 128-bit fingerprint of its other operations and state, and an entry of
//! three words, its pending read-only operations and its unknown set. Every call to `apply`
//! counts as a step against [`Budget::steps`], shared by all partitions; a
//! search that reaches it answers [`Verdict::Unknown`], never a pass.
//!
//! A violation names the partition, the longest linearizable prefix the
//! search found, the operation it could not place after any of its
//! prefixes, and a small set of completed operations whose answers no order
//! fits (`minimal`): the partition's operations, cut at the blocked
//! operation's response, then shrunk by relaxing chunks and single
//! operations to unknown outcomes (still in the history, free to take effect
//! after their invocation or never) while the history stays non-linearizable
//! (each relaxation re-checked within [`Budget::minimize_steps`]; when that
//! runs out the set found so far, still conflicting, is reported). Relaxing
//! rather than deleting keeps the context: a read of a value is not
//! reported alone just because the write that explains it was deleted.

mod history;
mod search;
mod spec;

pub use history::Operation;
pub use search::{check, Budget, Verdict, Violation};
pub use spec::SequentialSpec;

#[cfg(test)]
mod tests;
