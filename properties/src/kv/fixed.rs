//! Fixed workloads: named client scripts for exhaustive search.
//!
//! Each is small enough for DFS and DPOR to exhaust, and the list is the one
//! `kvsim list` shows. The delivery mode is the caller's. Invariant: names are
//! unique and every workload respects [`MAX_CLIENTS`] and [`MAX_OPS`].

use super::op::{Name, Op};
use crate::subject;
use crate::workload::{Workload, MAX_CLIENTS, MAX_OPS};
use sim::Delivery;

/// A named fixed workload.
#[derive(Clone, Copy, Debug)]
pub struct Fixed {
    pub name: &'static str,
    pub about: &'static str,
    clients: fn() -> Vec<Vec<Op>>,
}

impl Fixed {
    pub fn workload(&self, mode: Delivery) -> Workload<Op> {
        let clients = (self.clients)();
        assert!(clients.len() <= MAX_CLIENTS && clients.iter().all(|c| c.len() <= MAX_OPS));
        Workload::new(mode, clients)
    }

    /// The workload as the generic harness lists it.
    pub fn fixed(&self) -> subject::Fixed<Op> {
        subject::Fixed { name: self.name, about: self.about, clients: (self.clients)() }
    }
}

fn a() -> Name {
    Name::from_static("a")
}

/// Every built-in fixed workload, smallest first.
pub const ALL: [Fixed; 6] = [
    Fixed {
        name: "create-lookup",
        about: "client1 creates a while client2 looks it up",
        clients: || vec![vec![Op::Create(a())], vec![Op::Lookup(a())]],
    },
    Fixed {
        name: "removes-on-exit",
        about: "the seed's test: create a, stop its bucket, look a up",
        clients: || vec![vec![Op::Create(a()), Op::Stop(a()), Op::Lookup(a())]],
    },
    Fixed {
        name: "stop-lookup",
        about: "client1 creates and stops a while client2 looks it up",
        clients: || vec![vec![Op::Create(a()), Op::Stop(a())], vec![Op::Lookup(a())]],
    },
    Fixed {
        name: "create-lookup-stop",
        about: "one client each: create a, look a up, stop a (a lookup racing a stop; guards the clock rule)",
        clients: || vec![vec![Op::Create(a())], vec![Op::Lookup(a())], vec![Op::Stop(a())]],
    },
    Fixed {
        name: "crash-create",
        about: "client1 creates a and crashes its bucket while client2 creates a",
        clients: || vec![vec![Op::Create(a()), Op::Crash(a())], vec![Op::Create(a())]],
    },
    Fixed {
        name: "three-clients",
        about: "three clients on one name: create and lookup, stop, crash",
        clients: || vec![vec![Op::Create(a()), Op::Lookup(a())], vec![Op::Stop(a())], vec![Op::Crash(a())]],
    },
];

/// The fixed workload called `name`.
pub fn by_name(name: &str) -> Option<Fixed> {
    ALL.into_iter().find(|f| f.name == name)
}

/// Every name, in [`ALL`]'s order.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|f| f.name).collect()
}

/// One client running `ops` operations in a cycle of create, lookup, stop,
/// lookup on one name: the workload whose exhaustive search grows fastest
/// with its length (each stop leaves a `DOWN` and an `EXIT` in flight that
/// race with the later calls), for state caching's figures.
pub fn sequential_client(ops: usize, mode: Delivery) -> Workload<Op> {
    let a = || Name::from_static("a");
    let cycle = [Op::Create(a()), Op::Lookup(a()), Op::Stop(a()), Op::Lookup(a())];
    Workload::new(mode, vec![cycle.into_iter().cycle().take(ops).collect()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for f in ALL {
            assert_eq!(by_name(f.name).map(|g| g.name), Some(f.name));
            assert!(!f.workload(Delivery::Spec).clients.is_empty());
        }
        let mut names = names();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert!(by_name("removes-on-exit").is_some() && by_name("three-clients").is_some());
    }
}
