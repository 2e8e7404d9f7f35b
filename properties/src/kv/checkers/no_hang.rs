//! `no-hang`: every call ends with a reply or a clear failure, and the run
//! does not stop early. A violation is either
//! - the run stopping with an error (`History::run_error`): a deadlock (the
//!   test waited for a reply and nothing could run), the step bound or the
//!   process bound; or
//! - a call still outstanding (no `returned`) at the end of a run that did
//!   not report an error: clients are processes, so a client waiting forever
//!   leaves the system quiescent rather than deadlocked in the executor's
//!   sense; this is reported as a deadlock of that client.
//!
//! The message names the first [`SHOWN`] outstanding calls (who made them and
//! when they were invoked) and how many there are in all.

use super::{client, describe, Names};
use crate::kv::history::{CallRecord, History};
use sim::RunError;

/// How many outstanding calls a message names.
const SHOWN: usize = 3;

pub fn check(history: &History) -> Option<String> {
    let outstanding: Vec<&CallRecord> = history.calls.iter().filter(|r| r.returned.is_none()).collect();
    let head = match (&history.run_error, outstanding.is_empty()) {
        (None, true) => return None,
        (Some(RunError::Deadlock), _) => {
            "the run deadlocked: the test waited for a reply and nothing could run".to_string()
        }
        (Some(RunError::StepBound(n)), _) => format!("the run stopped at its step bound of {n} steps"),
        (Some(RunError::ProcessBound(n)), _) => format!("the run stopped at its process bound of {n} processes"),
        (None, false) => {
            "the run came to a standstill with calls waiting and nothing left to run (deadlock)".to_string()
        }
    };
    Some(format!("{head}{}", list(&outstanding, &history.names())))
}

/// The outstanding calls in words, the first few by name.
fn list(outstanding: &[&CallRecord], names: &Names) -> String {
    if outstanding.is_empty() {
        return "; no call was outstanding".to_string();
    }
    let shown: Vec<String> = outstanding.iter().take(SHOWN).map(|r| waiting(r, names)).collect();
    let more = outstanding.len().saturating_sub(SHOWN);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("; {} outstanding: {}{more}", outstanding.len(), shown.join(", "))
}

fn waiting(record: &CallRecord, names: &Names) -> String {
    format!("{}'s {} invoked at t={} never returned", client(record), describe(&record.call, names), record.invoked)
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::kv::checkers::testkit::{call, found, get, lookup, process};
    use crate::kv::history::{Answer, History};
    use sim::{Pid, RunError};

    fn history(get_returned: Option<u64>, run_error: Option<RunError>) -> History {
        let answer = get_returned.map(|_| Answer::Value(None));
        History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, None),
            ],
            calls: vec![call(1, lookup("a"), 4, Some(6), found(3)), call(1, get("a", 3), 6, get_returned, answer)],
            registry: Some(Pid(1)),
            run_error,
            ..History::default()
        }
    }

    #[test]
    fn all_calls_answered_holds() {
        assert_eq!(check(&history(Some(9), None)), None);
    }

    #[test]
    fn an_outstanding_call_is_reported_as_a_deadlock() {
        let message = check(&history(None, None)).expect("a violation");
        assert_eq!(
            message,
            "the run came to a standstill with calls waiting and nothing left to run (deadlock); \
             1 outstanding: client1's get(a, x) on bucket(a)#1 invoked at t=6 never returned"
        );
    }

    #[test]
    fn a_run_error_says_which() {
        let message = check(&history(None, Some(RunError::StepBound(100)))).expect("a violation");
        assert!(message.contains("step bound of 100") && message.contains("t=6"), "{message}");
        let message = check(&history(Some(9), Some(RunError::Deadlock))).expect("a violation");
        assert!(message.starts_with("the run deadlocked") && message.ends_with("no call was outstanding"), "{message}");
    }
}
