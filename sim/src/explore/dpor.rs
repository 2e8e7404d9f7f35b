//! Source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal
//! dynamic partial order reduction", POPL 2014, Algorithm 1), stateless.
//!
//! The algorithm: run one execution E, recording every step (event, enabled
//! events, footprint). For each new event e' and each earlier event e in a
//! race with it (dependent, of different event keys, and e happens-before e'
//! with nothing between them in happens-before), let E' be the prefix before
//! e and v the events after e that do not happen after e, then e'; if no
//! initial of v (an event of v with no happens-before predecessor in v) is
//! already in backtrack(E') or asleep there, add one that is enabled at E'.
//! Then backtrack to the deepest prefix with an untried, non-sleeping key.
//! Sleep sets: a key explored at a node sleeps in its later siblings and
//! their descendants until a dependent event runs; an execution whose every
//! enabled key is asleep is cut (sleep-set blocked).
//!
//! Threads, in the paper's terms, are event keys ([`Event`] values): a key's
//! next event is determined by the state, like a thread's. Several keys belong
//! to one process (a `Handle{P}`, each `Deliver{to: P, ..}`) and are
//! dependent where the receive can tell their order (receive-aware, judged
//! on the whole execution: [`crate::sched::dependent_in`]; sleep sets keep
//! the coarse [`dependent`]), so message order at P is a race when a receive
//! could take either. Happens-before is the transitive closure of dependence
//! and send-to-delivery. Races are analysed over the whole execution after
//! every run, not only those ending past the branch point: whether two
//! landings in the prefix race depends on the handles after them.
//! Invariant: independent events never disable one another (only a process's
//! own steps, or a write to it, change what it can do; an append to its
//! mailbox can only enable its handle), which the sleep sets rely on.

use super::race::{notdep, races, Dependence, HappensBefore, Step};
use super::{ClockRule, Limits, Scenario, Summary};
use crate::sched::{dependent, rivals_in, Event, Footprint, Scheduler, StepRecord};
use std::cell::RefCell;
use std::rc::Rc;

type Sleeper = (Event, Footprint);

/// One position of the current execution.
struct Node {
    enabled: Vec<Event>,
    event: Event,
    footprint: Footprint,
    /// Keys to explore here (the one being explored included).
    backtrack: Vec<Event>,
    /// Keys explored here, with their footprints (they sleep in later branches).
    done: Vec<Sleeper>,
    /// The sleep set on arrival here.
    sleep: Vec<Sleeper>,
    /// Per added backtrack key, the events to follow after it (the reversed
    /// race's v, key first), so the branch reaches the race it was added for.
    guides: Vec<(Event, Vec<Event>)>,
}

impl Node {
    fn add(&mut self, key: Event, guide: Vec<Event>) {
        self.backtrack.push(key);
        self.guides.push((key, guide));
    }

    fn guide(&self, key: Event) -> Vec<Event> {
        self.guides.iter().find(|(k, _)| *k == key).map(|(_, g)| g.clone()).unwrap_or_default()
    }
}

/// What the scheduler shares with the search during one execution.
#[derive(Default)]
struct Run {
    /// Keys to take at positions `0..target.len()`.
    target: Vec<Event>,
    /// The sleep set at the branch point (position `target.len() - 1`, or 0).
    start_sleep: Vec<Sleeper>,
    records: Vec<StepRecord>,
    sleep: Vec<Sleeper>,
    /// The sleep set on arrival at each position from `target.len()` on.
    arrival_sleeps: Vec<Vec<Sleeper>>,
    blocked_at: Option<usize>,
    /// Keys to prefer after the branch point, in order, while they can run.
    guide: std::collections::VecDeque<Event>,
    /// What a clock read depends on (from the search's limits).
    clock: ClockRule,
}

impl Run {
    fn asleep(&self, event: Event) -> bool {
        self.sleep.iter().any(|(e, _)| *e == event)
    }
}

struct DporScheduler(Rc<RefCell<Run>>);

impl Scheduler for DporScheduler {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        let run = self.0.borrow();
        let at = run.records.len();
        if let Some(&want) = run.target.get(at) {
            return enabled.iter().position(|&e| e == want).expect("a replayed prefix takes the same events");
        }
        if let Some(&next) = run.guide.front() {
            if let Some(at) = enabled.iter().position(|&e| e == next && !run.asleep(e)) {
                return at;
            }
        }
        enabled.iter().position(|&e| !run.asleep(e)).unwrap_or(0)
    }

    fn records_steps(&self) -> bool {
        true
    }

    fn step_done(&mut self, mut record: StepRecord) {
        let mut run = self.0.borrow_mut();
        run.clock.apply(&mut record.footprint);
        let at = run.records.len();
        let branch = run.target.len().saturating_sub(1);
        if let Some(&want) = run.target.get(at) {
            assert_eq!(record.event, want, "a replayed prefix takes the same events");
        }
        if at == branch {
            run.sleep = std::mem::take(&mut run.start_sleep);
        }
        if at >= run.target.len() {
            let arrival = run.sleep.clone();
            run.arrival_sleeps.push(arrival);
            if run.blocked_at.is_none() && run.asleep(record.event) {
                run.blocked_at = Some(at);
            }
        }
        if at >= run.target.len() && run.guide.front() == Some(&record.event) {
            run.guide.pop_front();
        }
        if at >= branch {
            let step = (record.event, &record.footprint);
            run.sleep.retain(|(e, fp)| !dependent((*e, fp), step));
        }
        run.records.push(record);
    }
}

struct Search {
    nodes: Vec<Node>,
}

impl Search {
    /// The initials of v = notdep(i, E).j: keys of events of v with no
    /// happens-before predecessor in v, in order.
    fn initials(&self, hb: &HappensBefore, i: usize, j: usize) -> Vec<Event> {
        let v = notdep(hb, i, j);
        let mut keys = Vec::new();
        for (n, &k) in v.iter().enumerate() {
            if !v[..n].iter().any(|&u| hb.hb(u, k)) && !keys.contains(&self.nodes[k].event) {
                keys.push(self.nodes[k].event);
            }
        }
        keys
    }

    /// An event that disables another enabled key (a death drops the
    /// deliveries to the dead process; a process made ready holds back its
    /// deliveries) races with that key's pending event, which never shows in
    /// the execution: the pending event could have run first, so its key is
    /// tried at the node before.
    fn analyse_disabling(&mut self, from: usize) {
        for i in from..self.nodes.len().saturating_sub(1) {
            let (now, next) = (&self.nodes[i], &self.nodes[i + 1]);
            let disabled: Vec<Event> =
                now.enabled.iter().copied().filter(|k| *k != now.event && !next.enabled.contains(k)).collect();
            let node = &mut self.nodes[i];
            for key in disabled {
                if !node.backtrack.contains(&key) && !node.sleep.iter().any(|(e, _)| *e == key) {
                    node.add(key, Vec::new());
                }
            }
        }
    }

    /// Adds backtrack points for the races of the execution just absorbed
    /// (`rivals`: its rival pairs, [`rivals_in`]). Disabling is analysed
    /// from `from` on (the steps before were analysed in an earlier
    /// execution with the same prefix); races over the whole execution,
    /// because whether two landings in the prefix race depends on the
    /// handles after them, which may be new. A race analysed before is
    /// covered already (its key is in the backtrack set or asleep), so
    /// analysing it again adds nothing.
    fn analyse_races(&mut self, from: usize, rivals: Vec<(usize, usize)>) {
        self.analyse_disabling(from);
        let steps: Vec<Step<'_>> = self.nodes.iter().map(|n| (n.event, &n.footprint)).collect();
        let dep = Dependence::with_rivals(rivals);
        let hb = HappensBefore::new(&steps, &dep);
        let pairs: Vec<(usize, usize)> = (0..steps.len())
            .flat_map(|j| (0..j).map(move |i| (i, j)))
            .filter(|&(i, j)| races(&steps, &dep, &hb, i, j))
            .collect();
        drop(steps);
        for (i, j) in pairs {
            let initials = self.initials(&hb, i, j);
            let node = &self.nodes[i];
            let covered = initials.iter().any(|k| node.backtrack.contains(k) || node.sleep.iter().any(|(e, _)| e == k));
            if covered {
                continue;
            }
            if let Some(&key) = initials.iter().find(|k| node.enabled.contains(k)) {
                let guide = self.guide(&hb, i, j, key);
                self.nodes[i].add(key, guide);
            }
        }
    }

    /// Takes in the records of the execution just run, whose prefix was
    /// `target_len` long: where to analyse from, and the rival pairs of the
    /// whole run (past a sleep-set block too).
    fn absorb(&mut self, run: &mut Run) -> (usize, Vec<(usize, usize)>) {
        let target_len = run.target.len();
        let end = run.blocked_at.unwrap_or(run.records.len());
        let records = std::mem::take(&mut run.records);
        let rivals = rivals_in(records.iter().map(|r| &r.footprint));
        let sleeps = std::mem::take(&mut run.arrival_sleeps);
        if target_len > 0 {
            let branch = &mut self.nodes[target_len - 1];
            branch.event = records[target_len - 1].event;
            branch.footprint = records[target_len - 1].footprint.clone();
        }
        let new_steps = records.into_iter().enumerate().skip(target_len).take(end.saturating_sub(target_len));
        for (at, record) in new_steps {
            debug_assert_eq!(at, self.nodes.len());
            let sleep = sleeps[at - target_len].clone();
            let StepRecord { event, enabled, footprint } = record;
            let backtrack = vec![event];
            self.nodes.push(Node { enabled, event, footprint, backtrack, done: Vec::new(), sleep, guides: Vec::new() });
        }
        (target_len.saturating_sub(1), rivals)
    }

    /// The events of v = notdep(i, E).j with `key`'s event first: what to
    /// follow after taking `key` at `i`.
    fn guide(&self, hb: &HappensBefore, i: usize, j: usize, key: Event) -> Vec<Event> {
        let mut guide: Vec<Event> = notdep(hb, i, j).into_iter().map(|k| self.nodes[k].event).collect();
        if let Some(at) = guide.iter().position(|&e| e == key) {
            guide.remove(at);
        }
        guide
    }

    /// The next (target, start sleep, guide), or `None` when the space is exhausted.
    fn next_branch(&mut self) -> Option<(Vec<Event>, Vec<Sleeper>, Vec<Event>)> {
        while let Some(node) = self.nodes.last_mut() {
            if !node.done.iter().any(|(e, _)| *e == node.event) {
                node.done.push((node.event, node.footprint.clone()));
            }
            let open = node
                .backtrack
                .iter()
                .copied()
                .find(|k| !node.done.iter().any(|(e, _)| e == k) && !node.sleep.iter().any(|(e, _)| e == k));
            if let Some(key) = open {
                let mut start_sleep = node.sleep.clone();
                start_sleep.extend(node.done.iter().cloned());
                let guide = node.guide(key);
                let mut target: Vec<Event> = self.nodes.iter().map(|n| n.event).collect();
                *target.last_mut().expect("a node") = key;
                return Some((target, start_sleep, guide));
            }
            self.nodes.pop();
        }
        None
    }
}

/// Runs `scenario` under one schedule per equivalence class (or up to the limits).
pub fn explore(scenario: &mut impl Scenario, limits: Limits) -> Summary {
    let clock = limits.clock;
    let run = Rc::new(RefCell::new(Run { clock, ..Run::default() }));
    let mut search = Search { nodes: Vec::new() };
    let mut summary = Summary { executions: 0, exhausted: false, sleep_blocked: 0 };
    loop {
        if summary.executions >= limits.max_executions {
            return summary;
        }
        scenario.run(Box::new(DporScheduler(run.clone())));
        summary.executions += 1;
        let mut r = run.borrow_mut();
        summary.sleep_blocked += u64::from(r.blocked_at.is_some());
        let (from, rivals) = search.absorb(&mut r);
        search.analyse_races(from, rivals);
        match search.next_branch() {
            Some((target, start_sleep, guide)) => {
                *r = Run { target, start_sleep, guide: guide.into(), clock, ..Run::default() };
            }
            None => {
                summary.exhausted = true;
                return summary;
            }
        }
    }
}
