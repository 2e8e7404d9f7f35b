//! `clean-at-rest`: judged only when the run came to rest with the registry
//! alive (`History::rest` is present). At rest, with `names` the registry's
//! name map and `monitored` its monitor map's names:
//! 1. every entry `name -> B` of `names` leads to a B that is still alive
//!    (no exit time in the process records);
//! 2. every bucket process alive at the end, labelled `bucket(n)`, is exactly
//!    `names[n]` (otherwise the registry created it and lost track of it);
//! 3. when the variant monitors (`monitored` is present), `monitored` equals
//!    the key set of `names`.
//!
//! The first broken rule, in that order, is reported. Decisions: an entry
//! leading to a pid with no process record is not judged dead under rule 1
//! (nothing shows it ended); rule 2 counts every live `bucket(..)` process,
//! since all of them are started on the registry's behalf.

use super::{bucket_name, pid_name};
use crate::kv::history::{History, RestState};
use model::kv::Name;
use sim::det::ProcessRecord;
use std::collections::BTreeSet;

pub fn check(history: &History) -> Option<String> {
    let rest = history.rest.as_ref()?;
    dead_entry(history, rest).or_else(|| lost_bucket(history, rest)).or_else(|| maps_disagree(rest))
}

/// Rule 1: an entry leading to a terminated bucket.
fn dead_entry(history: &History, rest: &RestState) -> Option<String> {
    rest.state.names.iter().find_map(|(name, &pid)| {
        let ended = history.exited_at(pid)?;
        let bucket = pid_name(&history.names(), pid);
        Some(format!("at rest (t={}) the registry maps {name} to {bucket}, which terminated at t={ended}", rest.at))
    })
}

/// Rule 2: a live bucket the registry does not lead to.
fn lost_bucket(history: &History, rest: &RestState) -> Option<String> {
    let live = history.processes.iter().filter(|p| p.exited_at.is_none());
    live.filter_map(|p| Some((p, bucket_name(&p.label)?))).find_map(|(p, name)| lost(history, rest, p, name))
}

/// Why live bucket `p`, created for `name`, is not the registry's entry for `name`, if it is not.
fn lost(history: &History, rest: &RestState, p: &ProcessRecord, name: &str) -> Option<String> {
    let found = rest.state.names.get(name).copied();
    if found == Some(p.pid) {
        return None;
    }
    let names = &history.names();
    let entry = match found {
        Some(pid) => format!("maps {name} to {}", pid_name(names, pid)),
        None => format!("has no entry for {name}"),
    };
    let bucket = pid_name(names, p.pid);
    Some(format!("at rest (t={}) {bucket}, spawned at t={}, is alive but the registry {entry}", rest.at, p.spawned_at))
}

/// Rule 3: the name and monitor maps lead to different names.
fn maps_disagree(rest: &RestState) -> Option<String> {
    let monitored = rest.state.monitored.as_ref()?;
    // Both are sorted sets of names: compare them before building anything.
    if monitored.iter().eq(rest.state.names.keys()) {
        return None;
    }
    let named: BTreeSet<Name> = rest.state.names.keys().cloned().collect();
    let unmonitored = list(named.difference(monitored));
    let unnamed = list(monitored.difference(&named));
    let at = rest.at;
    Some(format!("at rest (t={at}) the registry's maps disagree: names without a monitor: {unmonitored}; monitors without a name: {unnamed}"))
}

fn list<'a>(items: impl Iterator<Item = &'a Name>) -> String {
    let items: Vec<&str> = items.map(Name::as_str).collect();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::kv::checkers::testkit::process;
    use crate::kv::history::{History, RestState};
    use model::kv::Name;
    use model::registry::RegistryState;
    use sim::Pid;

    fn history(entries: &[(&str, u32)], monitored: Option<&[&str]>) -> History {
        let names = entries.iter().map(|&(n, p)| (Name::new(n), Pid(p))).collect();
        let monitored = monitored.map(|m| m.iter().map(|&n| Name::new(n)).collect());
        History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "bucket(a)", 3, Some(6)),
                process(3, "bucket(a)", 8, None),
                process(4, "bucket(b)", 9, None),
            ],
            registry: Some(Pid(1)),
            rest: Some(RestState { at: 20, state: RegistryState { names, monitored } }),
            ..History::default()
        }
    }

    #[test]
    fn entries_leading_to_exactly_the_live_buckets_hold() {
        assert_eq!(check(&history(&[("a", 3), ("b", 4)], Some(&["a", "b"]))), None);
        assert_eq!(check(&history(&[("a", 3), ("b", 4)], None)), None);
    }

    #[test]
    fn no_rest_is_not_judged() {
        let mut h = history(&[], None);
        h.rest = None;
        assert_eq!(check(&h), None);
    }

    #[test]
    fn an_entry_to_a_dead_bucket_is_reported() {
        let message = check(&history(&[("a", 2), ("b", 4)], None)).expect("a violation");
        assert_eq!(message, "at rest (t=20) the registry maps a to bucket(a)#1, which terminated at t=6");
    }

    #[test]
    fn a_live_bucket_without_an_entry_is_reported() {
        let message = check(&history(&[("a", 3)], None)).expect("a violation");
        assert_eq!(message, "at rest (t=20) bucket(b)#1, spawned at t=9, is alive but the registry has no entry for b");
    }

    #[test]
    fn disagreeing_maps_are_reported() {
        let message = check(&history(&[("a", 3), ("b", 4)], Some(&["a", "c"]))).expect("a violation");
        assert!(message.contains("t=20"), "{message}");
        assert!(message.contains("names without a monitor: b; monitors without a name: c"), "{message}");
    }
}
