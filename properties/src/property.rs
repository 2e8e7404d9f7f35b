//! The properties of DESIGN.md, by name, and the verdict of one on a history.

use crate::checkers;
use crate::history::History;
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
    pub fn check(self, history: &History) -> Option<Violation> {
        let message = match self {
            Property::NoDeadLookup => checkers::no_dead_lookup::check(history),
            Property::RegistrySurvives => checkers::registry_survives::check(history),
            Property::CleanAtRest => checkers::clean_at_rest::check(history),
            Property::NoLostWrites => checkers::no_lost_writes::check(history),
            Property::CreateVisible => checkers::create_visible::check(history),
            Property::NoHang => checkers::no_hang::check(history),
        }?;
        Some(Violation { property: self, message })
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
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.message)
    }
}
