//! The properties the README lists, by name, and the verdict of one on a history.

use crate::checkers::{self, Finding};
use crate::history::{CallRecord, History};
use sim::Pid;
use std::fmt;

/// One property a run's history must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Property {
    NoDeadLookup,
    RegistrySurvives,
    CleanAtRest,
    NoLostWrites,
    CreateVisible,
    NoHang,
}

impl Property {
    pub const ALL: [Property; 6] = [
        Property::NoDeadLookup,
        Property::RegistrySurvives,
        Property::CleanAtRest,
        Property::NoLostWrites,
        Property::CreateVisible,
        Property::NoHang,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Property::NoDeadLookup => "no-dead-lookup",
            Property::RegistrySurvives => "registry-survives",
            Property::CleanAtRest => "clean-at-rest",
            Property::NoLostWrites => "no-lost-writes",
            Property::CreateVisible => "create-visible",
            Property::NoHang => "no-hang",
        }
    }

    pub fn from_name(name: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether the verdict compares a call's stamp (`Ctx::now()` at invocation
    /// or response) with a process's exit stamp: then it reads *the global
    /// clock*, and an exhaustive search judging it must keep clock reads
    /// dependent with process ends (docs/search.md, "The global clock").
    ///
    /// Per property:
    /// - `no-dead-lookup`: yes. A lookup is judged against the bucket's exit
    ///   *before its invocation*, a comparison of two stamps that differs
    ///   between orders of independent steps (the lookup's client and the
    ///   dying bucket).
    /// - `create-visible`: yes. A bucket ending within [create invoked,
    ///   lookup returned], and a dead answer judged against the lookup's
    ///   invocation, are comparisons with exit stamps.
    /// - `registry-survives`: no. It asks only whether the registry ended
    ///   (its exit stamp is present iff its exit reason is, and the reason is
    ///   part of the outcome); the times appear only in the message.
    /// - `clean-at-rest`: no. It reads the registry's maps at rest, whether
    ///   each mapped bucket ended and which buckets are alive: all part of the
    ///   outcome; `rest.at` and exit times appear only in the message.
    /// - `no-hang`: no. It reads the run error and whether each call
    ///   returned (a call's `returned` is present iff its `answer` is, which
    ///   the outcome holds).
    /// - `no-lost-writes`: no. It compares call stamps with call stamps only,
    ///   never with exits, so the clock rule (clock reads against deaths)
    ///   would not order anything it reads; and a bucket handles each put and
    ///   get inside that call's interval, so its handling order (the same in
    ///   every order of independent steps: it is one process's order) is a
    ///   linearization in every order of the clients.
    pub fn reads_clock(self) -> bool {
        match self {
            Property::NoDeadLookup | Property::CreateVisible => true,
            Property::RegistrySurvives | Property::CleanAtRest | Property::NoHang | Property::NoLostWrites => false,
        }
    }

    /// The properties of `selection` that read the global clock, in order.
    pub fn clock_readers(selection: &[Property]) -> Vec<Property> {
        selection.iter().copied().filter(|p| p.reads_clock()).collect()
    }

    /// Judges `history`; `Some` names the events that break the property.
    /// The call it points at, when the checker names one, becomes [`Violation::culprit`].
    pub fn check(self, history: &History) -> Option<Violation> {
        let finding = match self {
            Property::NoDeadLookup => checkers::no_dead_lookup::find(history),
            Property::RegistrySurvives => checkers::registry_survives::check(history).map(Finding::message),
            Property::CleanAtRest => checkers::clean_at_rest::check(history).map(Finding::message),
            Property::NoLostWrites => checkers::no_lost_writes::find(history),
            Property::CreateVisible => checkers::create_visible::find(history),
            Property::NoHang => checkers::no_hang::check(history).map(Finding::message),
        }?;
        let culprit = finding.call.and_then(|i| Culprit::of(history, &history.calls[i]));
        Some(Violation { property: self, message: finding.message, culprit })
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A property broken by a run, in words a person can follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub property: Property,
    pub message: String,
    /// The answered call that breaks the property, when the checker names one
    /// (no-dead-lookup, create-visible, no-lost-writes); pictures highlight it.
    pub culprit: Option<Culprit>,
}

/// A call's answer as the trace shows it: the client process that made the
/// call handled the answer in step `answered_at` (the `Handle` trace entry
/// with `to == client` and `step == answered_at`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Culprit {
    pub client: Pid,
    pub answered_at: u64,
}

impl Culprit {
    /// The answer to `record`, if it was answered and its client's process is known.
    pub fn of(history: &History, record: &CallRecord) -> Option<Culprit> {
        let label = format!("client{}", record.client);
        let client = history.processes.iter().find(|p| p.label == label)?.pid;
        Some(Culprit { client, answered_at: record.returned? })
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::{Culprit, Property};
    use crate::checkers::testkit::{call, found, lookup, process};
    use crate::history::History;
    use sim::Pid;

    #[test]
    fn a_dead_lookup_points_at_the_step_its_client_handled_the_answer() {
        let history = History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, Some(5)),
            ],
            calls: vec![call(1, lookup("a"), 7, Some(9), found(3))],
            registry: Some(Pid(1)),
            ..History::default()
        };
        let violation = Property::NoDeadLookup.check(&history).expect("a violation");
        assert_eq!(violation.culprit, Some(Culprit { client: Pid(2), answered_at: 9 }));
        assert_eq!(Property::RegistrySurvives.check(&history), None);
    }

    /// Exactly the two properties that compare call stamps with exit stamps read the clock.
    #[test]
    fn only_the_properties_comparing_calls_with_exits_read_the_clock() {
        let readers = Property::clock_readers(&Property::ALL);
        assert_eq!(readers, [Property::NoDeadLookup, Property::CreateVisible]);
        assert!(Property::clock_readers(&[Property::NoLostWrites, Property::CleanAtRest]).is_empty());
    }

    /// The clock-free checkers give the same verdict when every stamp moves:
    /// only whether a process ended or a call returned counts.
    #[test]
    fn clock_free_verdicts_ignore_the_stamps() {
        let history = |bucket_exit: u64, lookup_at: u64| History {
            processes: vec![
                process(1, "registry", 0, Some(bucket_exit + 1)),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, Some(bucket_exit)),
            ],
            calls: vec![call(1, lookup("a"), lookup_at, None, None)],
            registry: Some(Pid(1)),
            ..History::default()
        };
        let (early, late) = (history(3, 9), history(12, 4));
        for property in Property::ALL.into_iter().filter(|p| !p.reads_clock()) {
            let verdict = |h: &History| property.check(h).is_some();
            assert_eq!(verdict(&early), verdict(&late), "{property}");
        }
        assert!(Property::RegistrySurvives.check(&early).is_some() && Property::NoHang.check(&late).is_some());
    }
}
