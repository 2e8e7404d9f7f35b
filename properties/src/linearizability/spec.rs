//! The sequential specification a history is checked against.

use std::fmt::Debug;
use std::hash::Hash;

/// A sequential object: what each operation does to the state, and returns.
///
/// `apply` must be deterministic: the same state and input give the same
/// next state and result.
pub trait SequentialSpec {
    /// The object's state; the search memoizes on it, so keep it small.
    type State: Clone + Eq + Hash;
    /// An operation as invoked (its name and arguments). Equal inputs are
    /// the same operation: of two pending ones with equal results, the
    /// search tries only the one that must respond sooner.
    type Input: Clone + Debug + PartialEq;
    /// What an operation returns.
    type Output: Clone + Eq + Debug;
    /// The key of a partition (use `()` when there is none).
    type Key: Clone + Ord + Debug;

    /// The state before any operation.
    fn init(&self) -> Self::State;

    /// Runs `input` on `state`: the next state and the result.
    fn apply(&self, state: &Self::State, input: &Self::Input) -> (Self::State, Self::Output);

    /// The partition `input` belongs to, when operations of different
    /// partitions commute and each partition starts from [`init`](Self::init)
    /// independently of the others. If any operation answers `None`, the
    /// whole history is checked as one partition.
    fn partition(&self, _input: &Self::Input) -> Option<Self::Key> {
        None
    }

    /// Whether `input`, answering `output`, is read-only: at every state
    /// where [`apply`](Self::apply) gives `output`, it gives the same state
    /// back (a read answering any value; a compare-and-set answering that
    /// it failed). The search then places such an operation as soon as it
    /// may come next and answers right, without trying the alternatives,
    /// and lets a failed configuration stand for those with fewer such
    /// operations placed (see the module's documentation for why both are
    /// exact). Answering `true` wrongly can only make the search miss a
    /// linearization, never invent one; the default, `false`, turns both
    /// rules off.
    fn read_only(&self, _input: &Self::Input, _output: &Self::Output) -> bool {
        false
    }
}
