//! The properties of DESIGN.md, by name, and the verdict of one on a history.

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
}
