//! Test failures as values, so one scenario can pass on one seed and fail on
//! another without unwinding, and a replay can be compared with its original.

use sim::{CallError, RunError};
use std::fmt;

/// Why a scenario failed, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CallError> for Failure {
    fn from(e: CallError) -> Self {
        Failure(e.to_string())
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        Failure(e.to_string())
    }
}

/// `assert` for scenarios: returns a [`Failure`] instead of panicking.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::Failure(format!($($fmt)+)));
        }
    };
}

/// `assert_eq` for scenarios: returns a [`Failure`] naming both sides.
#[macro_export]
macro_rules! ensure_eq {
    ($left:expr, $right:expr) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err($crate::Failure(format!(
                "assertion failed: {} == {}: got {:?}, expected {:?}",
                stringify!($left),
                stringify!($right),
                left,
                right
            )));
        }
    }};
}
