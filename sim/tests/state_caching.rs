//! State caching for DFS (`explore::dfs::explore_cached`): on small systems
//! whose actors fingerprint their state, cached DFS reaches exactly the
//! outcomes plain DFS reaches, in both delivery modes, with fewer
//! executions when different orders meet in one state; an actor without a
//! fingerprint turns pruning off, and the search names it; the same search twice gives the same
//! figures.

use sim::call;
use sim::det::{Config, Sim};
use sim::explore::{dfs, Limits, Summary};
use sim::sched::Scheduler;
use sim::{Actor, Ctx, Delivery, Driver, Label, Msg, Pid, Signal};
use std::collections::BTreeSet;

#[derive(Debug)]
struct Add(u64);

#[derive(Debug)]
struct Read;

/// Sums what it is sent; `ordered` also keeps the order (its fingerprint
/// then tells orders apart, as a history would).
struct Counter {
    sum: u64,
    seen: Vec<u64>,
    ordered: bool,
    fingerprinted: bool,
}

impl Actor for Counter {
    fn label(&self) -> Label {
        Label::from("counter")
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        let Signal::Message { msg, .. } = signal else { return };
        match msg.into_call() {
            Ok(c) => call::reply(ctx, c.from, c.tag, Msg::new((self.sum, self.seen.clone()))),
            Err(msg) => {
                if let Some(Add(n)) = msg.downcast_ref::<Add>() {
                    self.sum += n;
                    if self.ordered {
                        self.seen.push(*n);
                    }
                }
            }
        }
    }

    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        self.fingerprinted.then(|| self.seen.iter().fold(self.sum, |h, n| h.wrapping_mul(31).wrapping_add(*n)))
    }
}

/// Sends its numbers to the counter when told to go.
struct Adder {
    to: Pid,
    numbers: Vec<u64>,
}

impl Actor for Adder {
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if signal.msg().is_some() {
            for n in std::mem::take(&mut self.numbers) {
                ctx.send(self.to, Msg::new(Add(n)));
            }
        }
    }

    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        Some(self.numbers.len() as u64)
    }
}

/// One run: adders send to a counter; the outcome is what the counter holds.
fn run(mode: Delivery, ordered: bool, fingerprinted: bool, scheduler: Box<dyn Scheduler>) -> String {
    let mut sim = Sim::new(Config::new(mode), scheduler);
    let counter = Counter { sum: 0, seen: Vec::new(), ordered, fingerprinted };
    let to = sim.spawn(Box::new(counter)).unwrap();
    let adders: Vec<Pid> = [vec![1, 2], vec![1, 2], vec![4]]
        .into_iter()
        .map(|numbers| sim.spawn(Box::new(Adder { to, numbers })).unwrap())
        .collect();
    for adder in adders {
        sim.cast(adder, Msg::new("go")).unwrap();
    }
    sim.run_until_quiescent().unwrap();
    let held = sim.call(to, Msg::new(Read)).unwrap().downcast::<(u64, Vec<u64>)>().unwrap();
    format!("{held:?}")
}

fn search(mode: Delivery, ordered: bool, fingerprinted: bool, cached: bool) -> (Summary, dfs::Cache, BTreeSet<String>) {
    let mut outcomes = BTreeSet::new();
    let mut scenario = |scheduler: Box<dyn Scheduler>| {
        outcomes.insert(run(mode, ordered, fingerprinted, scheduler));
    };
    let limits = Limits::executions(200_000);
    let (summary, cache) = if cached {
        dfs::explore_cached(&mut scenario, limits)
    } else {
        (dfs::explore(&mut scenario, limits), dfs::Cache::default())
    };
    assert!(summary.exhausted, "{mode:?}: not exhausted in {}", summary.executions);
    (summary, cache, outcomes)
}

#[test]
fn cached_dfs_reaches_what_dfs_reaches_in_fewer_executions() {
    for mode in Delivery::ALL {
        for ordered in [false, true] {
            let (plain, _, expected) = search(mode, ordered, true, false);
            let (cached, cache, outcomes) = search(mode, ordered, true, true);
            println!(
                "{mode:?} ordered={ordered}: dfs {} executions, cached {} ({cache:?}), {} outcomes",
                plain.executions,
                cached.executions,
                outcomes.len()
            );
            assert_eq!(outcomes, expected, "{mode:?} ordered={ordered}");
            assert!(cache.pruned > 0 && cache.visited > 0, "{mode:?} ordered={ordered}: {cache:?}");
            assert!(cached.executions < plain.executions, "{mode:?} ordered={ordered}: {cached:?} {plain:?}");
        }
        let (sum_only, ..) = search(mode, false, true, true);
        let (orders, _, outcomes) = search(mode, true, true, true);
        assert!(outcomes.len() > 1, "{mode:?}: the orders are outcomes");
        assert!(sum_only.executions <= orders.executions, "{mode:?}: a sum merges no fewer states than a history");
        if mode == Delivery::Spec {
            assert!(sum_only.executions < orders.executions, "{mode:?}: a sum merges more states than a history");
        }
    }
}

#[test]
fn an_actor_without_a_fingerprint_turns_pruning_off() {
    let (plain, _, expected) = search(Delivery::Spec, false, false, false);
    let (cached, cache, outcomes) = search(Delivery::Spec, false, false, true);
    assert_eq!(outcomes, expected);
    assert_eq!((cached.executions, cache.pruned, cache.visited), (plain.executions, 0, 0));
    assert!(cache.unfingerprinted > 0);
    let named = cache.first_unfingerprinted.as_ref().map(|label| label.as_str());
    assert_eq!(named, Some("counter"), "the search names the process that has no fingerprint");
}

#[test]
fn cached_dfs_is_deterministic() {
    let once = search(Delivery::Spec, true, true, true);
    let again = search(Delivery::Spec, true, true, true);
    assert_eq!((once.0, once.1, &once.2), (again.0, again.1, &again.2));
}
