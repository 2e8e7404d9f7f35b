//! One operation of a concurrent history.

/// One operation: its input, when it was invoked and, if known, when it
/// returned and what.
///
/// Positions are any increasing stamps (line numbers of a log, logical
/// times); two events never share one. `response == None` is an unknown
/// outcome: the operation may have taken effect at any point after `invoke`,
/// or never, and no result is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation<I, O> {
    pub input: I,
    pub invoke: u64,
    pub response: Option<(u64, O)>,
}

impl<I, O> Operation<I, O> {
    /// A completed operation.
    pub fn returned(input: I, invoke: u64, response: u64, output: O) -> Self {
        Operation { input, invoke, response: Some((response, output)) }
    }

    /// An operation whose outcome is unknown.
    pub fn unknown(input: I, invoke: u64) -> Self {
        Operation { input, invoke, response: None }
    }
}
