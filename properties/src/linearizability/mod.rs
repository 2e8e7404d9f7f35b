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
//!   first return still in the list, lifting it out, and backtracks when it
//!   reaches a return whose call it could not place. Each (linearized set as a
//!   bitset, state) is visited once: a repeat is cut off, which is what makes
//!   histories of thousands of operations tractable. Unknown operations have
//!   no return, so they never force an order and may stay unlinearized.
//!
//! Bounds: the search is exponential in the worst case (the problem is
//! NP-complete, Gibbons and Korach 1997); the memo bounds it by the number of
//! distinct (linearized set, state) pairs reachable, which for a register with
//! a handful of overlapping operations is a small multiple of the history's
//! length. Memory is one bitset of `n` bits and one state per memo entry.
//! Every call to `apply` counts as a step against [`Budget::steps`], shared by
//! all partitions; a search that reaches it answers [`Verdict::Unknown`],
//! never a pass.
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
