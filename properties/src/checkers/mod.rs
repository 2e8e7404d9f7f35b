//! One checker per property, each a pure function of a [`History`](crate::history::History)
//! returning the violation's description, or `None` when the property holds.

pub mod clean_at_rest;
pub mod create_visible;
pub mod no_dead_lookup;
pub mod no_hang;
pub mod no_lost_writes;
pub mod registry_survives;
