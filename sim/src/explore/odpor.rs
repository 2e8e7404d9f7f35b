//! Optimal DPOR with wakeup trees (Abdulla, Aronis, Jonsson, Sagonas,
//! "Source Sets: A Foundation for Optimal Dynamic Partial Order Reduction",
//! JACM 64(4), 2017, Algorithm 2 "Optimal-DPOR"), stateless.
//!
//! The algorithm. Each node E of the current execution (a prefix) holds a
//! sleep set sleep(E) and a wakeup tree wut(E): an ordered tree of event
//! sequences still to explore from E, each sequence a branch from the root.
//! Exploring E: if wut(E) is empty, take any enabled key not asleep; else take
//! the tree's first child p with its subtree as the wakeup tree of E.p. After
//! E.p is explored, p joins sleep(E) and p's subtree leaves wut(E). The sleep
//! set passed to E.p is the keys of sleep(E) independent of p. At the end of
//! each execution, for every race e ⋖ e' (dependent, of different keys, e
//! happens before e' with nothing between them), let E' be the prefix before
//! e and v = notdep(e, E).e' (the events after e that do not happen after it,
//! then e'); if no key of sleep(E') is a weak initial of v, insert v into
//! wut(E'). A weak initial of w after E is a key whose first event in w has no
//! happens-before predecessor in w, or a key with no event in w whose next
//! event is independent of all of w. Insertion walks the tree from the root:
//! at each node it descends into the first child that is a weak initial of
//! what is left of v (removing that key's first event from it, if any); if it
//! reaches a leaf, v is already covered and nothing changes; if no child
//! qualifies, the rest of v is added as the node's last child.
//!
//! The paper's guarantee: no execution is sleep-set blocked and no two
//! explored maximal executions are equivalent (one per Mazurkiewicz trace of
//! the dependence relation, [`dependent`]). Threads, in the paper's terms, are
//! event keys ([`Event`] values), as in [`super::dpor`]; happens-before and
//! races come from [`super::race`], receive-aware as in source-DPOR
//! ([`crate::sched::dependent_in`], judged on the whole execution, so races
//! are analysed over all of it after every run), while sleep sets and the
//! tree's weak-initial checks, which meet footprints from other executions,
//! use the coarse [`dependent`] (the sound side: fewer sequences count as
//! covered, fewer keys stay asleep). So the one-per-trace guarantee holds for
//! the coarse relation's traces at most.
//!
//! Invariants:
//! - The children of one tree node have distinct keys, and no child of
//!   wut(E) is in sleep(E) (insertion refuses sequences with a sleeping weak
//!   initial; a key joins sleep(E) only when its subtree leaves wut(E)).
//! - A tree node's event keeps the footprint it had in the execution it was
//!   taken from. That is the event it will be in any execution that reaches
//!   that node: its happens-before predecessors are the same (events of v
//!   other than e' do not happen after e, and independent events commute).
//! - The current execution's path at a node is never in that node's stored
//!   tree (it was taken out when the branch began); a race's v never has the
//!   current key at E' as a weak initial (every later event of e's key
//!   happens after e, and e is dependent with e').
//!
//! Where the executor does not fit the paper, and what this module does:
//! - **e' is not the same event without e.** The paper's events are
//!   determined by their thread's local state; here a race's e and e' mostly
//!   act in the same process (two deliveries to P, a delivery and P's
//!   handle), so e' run before e sees P's state without e: its footprint (a
//!   delivery merged with its handling may spawn, send, kill) is not the one
//!   recorded. The tree keeps e' with the recorded footprint, as the paper
//!   does; once the branch runs, the real footprint replaces it on the path.
//!   The soundness tests (outcomes and violations equal to DFS's) check that
//!   this loses nothing on every fixed workload and the randomised cases.
//! - **Races that cannot be reversed.** The paper's races are between
//!   co-enabled events; here e may be what made e' possible (a handle that
//!   leaves its process idle, so that deliveries to it may land). A race is
//!   reversed only if v can run from E' (`Search::reversible`): its first
//!   key is enabled at E'; when e acts in (or writes) e''s process P, a
//!   handle of P needs an acceptable signal at E' or one that v lands, and a
//!   delivery to P needs its signal in the channel (enabled at E', or sent in
//!   v) and P open to deliveries at E' (idle, or a delivery to it enabled);
//!   otherwise e' needs to be enabled at E' or to have a happens-before
//!   predecessor in v. Send and delivery, and a send and the handle that
//!   takes it (`instant`), are never races. Without this check stored
//!   sequences did not fit the runs that reached them, and those runs were
//!   blocked.
//! - **Disabling.** An event that disables another enabled key (a death drops
//!   the deliveries to the dead; a process made ready holds back deliveries
//!   to it) races with that key's pending event, which never shows in the
//!   execution. As in [`super::dpor`], the key is inserted at the node before
//!   as a one-event sequence whose footprint is unknown; an unknown
//!   footprint is treated as dependent with everything, so it is a weak
//!   initial only of sequences that hold its key.
//! - **A tree event not enabled.** Should a stored sequence not fit the
//!   execution that reaches it (the wanted key not enabled), the search
//!   leaves the tree there and goes on with the first key not asleep; the
//!   rest of that subtree is dropped. Counted in [`Stats::deviations`];
//!   `properties/tests/exhaustive_soundness.rs` asserts none (and no
//!   skipped tree child, [`Stats::skipped`]) on every fixed workload.
//! - **The executor cannot stop a run.** A blocked execution (every enabled
//!   key asleep, or a sleeping tree event) still runs to its end; only its
//!   prefix is analysed. Counted in `sleep_blocked`.
//!
//! What that leaves (measured, BENCHMARKS.md "Optimal DPOR"):
//! - **Blocked executions remain where a reversed race turns out not to be
//!   one.** On `three-clients`, `unmonitored` and `linked`, clock-free: at a
//!   node where two deliveries from one process (`Deliver{1<-5}` and
//!   `Deliver{3<-5}`) are enabled, the first is explored, then a branch of
//!   the second alone. Once the second has run it is independent of the
//!   first (its footprint in this order), so the first stays asleep, and it
//!   is then the only enabled key. In the order explored first the two were
//!   in a race (that is why the branch exists): the reversed event is not the
//!   event the race was found with, and the search cannot know that before
//!   running it. Wakeup trees need events whose identity (footprint) does
//!   not depend on the order of the events they race with, which the
//!   executor does not give. No execution is blocked on `fixed` and
//!   `monitored`, in either mode.
//! - **More executions than source-DPOR in `spec` mode** on `fixed` and
//!   `monitored` (three-clients: 676 against 511 with the clock rule). They
//!   are not repeats: every execution is a distinct trace (its
//!   happens-before over the events' own footprints; clock-free, 239 distinct
//!   traces in 239 executions, where source-DPOR's 173 executions hold 168),
//!   so they are traces source-DPOR's backtrack heuristics (an enabled
//!   initial stands in for a race's v) do not reach.
//!   Both reach every outcome and violation DFS reaches: the extra traces add
//!   no outcome on any fixed workload. In `instant` mode and on
//!   `unmonitored` and `linked` it runs no more executions than
//!   source-DPOR.

use super::race::{notdep, races, Dependence, HappensBefore, Step};
use super::{ClockRule, Limits, Scenario, Summary};
use crate::sched::{dependent, rivals_in, Event, Footprint, Scheduler, StepRecord};
use std::cell::RefCell;
use std::rc::Rc;

type Sleeper = (Event, Footprint);

/// One node of a wakeup tree: an event to take, and what to take after it.
#[derive(Clone, Debug)]
struct Branch {
    event: Event,
    /// `None`: not known (a disabled key's pending event); dependent with everything.
    footprint: Option<Footprint>,
    children: Vec<Branch>,
}

/// One position of the current execution.
struct Node {
    enabled: Vec<Event>,
    event: Event,
    footprint: Footprint,
    /// The sleep set on arrival here.
    sleep: Vec<Sleeper>,
    /// Keys explored here, with their footprints (they sleep in later branches).
    done: Vec<Sleeper>,
    /// The wakeup tree still to explore here (the current event's branch not included).
    wut: Vec<Branch>,
}

impl Node {
    fn asleep(&self, key: Event) -> bool {
        self.sleep.iter().chain(&self.done).any(|(e, _)| *e == key)
    }
}

/// What the scheduler shares with the search during one execution.
#[derive(Default)]
struct Run {
    /// Keys to take at positions `0..target.len()`.
    target: Vec<Event>,
    /// The sleep set at the branch point (position `target.len() - 1`, or 0).
    start_sleep: Vec<Sleeper>,
    /// The wakeup tree below the branch: its leftmost path is followed.
    tree: Vec<Branch>,
    /// The leftmost path of `tree`, and how much of it was taken.
    path: Vec<Event>,
    followed: usize,
    deviated: bool,
    records: Vec<StepRecord>,
    sleep: Vec<Sleeper>,
    /// The sleep set on arrival at each position from `target.len()` on.
    arrival_sleeps: Vec<Vec<Sleeper>>,
    blocked_at: Option<usize>,
    /// What a clock read depends on (from the search's limits).
    clock: ClockRule,
}

impl Run {
    fn asleep(&self, event: Event) -> bool {
        self.sleep.iter().any(|(e, _)| *e == event)
    }

    fn following(&self) -> bool {
        !self.deviated && self.followed < self.path.len()
    }
}

struct OdporScheduler(Rc<RefCell<Run>>);

impl Scheduler for OdporScheduler {
    fn choose(&mut self, enabled: &[Event]) -> usize {
        let mut run = self.0.borrow_mut();
        let at = run.records.len();
        if let Some(&want) = run.target.get(at) {
            return enabled.iter().position(|&e| e == want).expect("a replayed prefix takes the same events");
        }
        if run.following() {
            let want = run.path[run.followed];
            match enabled.iter().position(|&e| e == want) {
                Some(i) => return i,
                None => run.deviated = true,
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
            if run.following() {
                // A forced step (one event enabled) is asked nothing: check it here.
                if run.path[run.followed] == record.event {
                    run.followed += 1;
                } else {
                    run.deviated = true;
                }
            }
            let arrival = run.sleep.clone();
            run.arrival_sleeps.push(arrival);
            if run.blocked_at.is_none() && run.asleep(record.event) {
                run.blocked_at = Some(at);
            }
        }
        if at >= branch {
            let step = (record.event, &record.footprint);
            run.sleep.retain(|(e, fp)| !dependent((*e, fp), step));
        }
        run.records.push(record);
    }
}

/// Whether an event of a sequence (footprint possibly unknown) and a tree or
/// sleep-set event may not commute.
fn may_depend(a: (Event, Option<&Footprint>), b: (Event, Option<&Footprint>)) -> bool {
    match (a, b) {
        ((ea, Some(fa)), (eb, Some(fb))) => dependent((ea, fa), (eb, fb)),
        _ => true,
    }
}

/// A sequence to insert into a wakeup tree: its events (from the execution
/// just run) and happens-before among them.
struct Sequence {
    events: Vec<(Event, Option<Footprint>)>,
    /// `hb[a][b]`: event `a` happens before event `b` (a < b).
    hb: Vec<Vec<bool>>,
}

impl Sequence {
    /// Whether `key` (next event `footprint`) is a weak initial of the events
    /// `rest` of this sequence; `Some(position in rest)` of its first event
    /// when it is an initial by having one, `Some(None)` when by independence.
    fn weak_initial(&self, rest: &[usize], key: Event, footprint: Option<&Footprint>) -> Option<Option<usize>> {
        match rest.iter().position(|&x| self.events[x].0 == key) {
            Some(at) => {
                let x = rest[at];
                (!rest[..at].iter().any(|&y| self.hb[y][x])).then_some(Some(at))
            }
            None => {
                let independent = rest.iter().all(|&x| {
                    let (e, f) = &self.events[x];
                    !may_depend((*e, f.as_ref()), (key, footprint))
                });
                independent.then_some(None)
            }
        }
    }

    /// Inserts what this sequence adds into the tree `children` (the paper's
    /// insert_[E](v, wut)); returns whether the tree changed.
    fn insert_into(&self, children: &mut Vec<Branch>) -> bool {
        let mut rest: Vec<usize> = (0..self.events.len()).collect();
        let mut level = children;
        loop {
            if rest.is_empty() {
                return false;
            }
            let pick = level
                .iter()
                .enumerate()
                .find_map(|(c, b)| self.weak_initial(&rest, b.event, b.footprint.as_ref()).map(|at| (c, at)));
            let Some((c, at)) = pick else {
                level.push(self.chain(&rest));
                return true;
            };
            if let Some(at) = at {
                rest.remove(at);
            }
            let branch = &mut level[c];
            if branch.children.is_empty() {
                return false;
            }
            level = &mut branch.children;
        }
    }

    /// The events `rest` as a chain of branches.
    fn chain(&self, rest: &[usize]) -> Branch {
        let mut branch: Option<Branch> = None;
        for &x in rest.iter().rev() {
            let (event, footprint) = self.events[x].clone();
            branch = Some(Branch { event, footprint, children: branch.into_iter().collect() });
        }
        branch.expect("a non-empty sequence")
    }
}

/// Counters beside [`Summary`], for tests and measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Sequences inserted into wakeup trees (races reversed, disabled keys).
    pub inserted: u64,
    /// Races whose v was already covered by a wakeup tree or a sleep set.
    pub covered: u64,
    /// Executions that left their wakeup tree because a stored event was not enabled.
    pub deviations: u64,
    /// Wakeup tree children not explored because their key was asleep or not
    /// enabled at their node (the invariants say none).
    pub skipped: u64,
}

struct Search {
    nodes: Vec<Node>,
    stats: Stats,
    /// The rival pairs of the execution just absorbed ([`rivals_in`]).
    rivals: Vec<(usize, usize)>,
}

impl Search {
    /// Takes in the records of the execution just run, whose prefix was `target_len` long.
    fn absorb(&mut self, run: &mut Run) -> usize {
        let target_len = run.target.len();
        let end = run.blocked_at.unwrap_or(run.records.len());
        let records = std::mem::take(&mut run.records);
        self.rivals = rivals_in(records.iter().map(|r| &r.footprint));
        let sleeps = std::mem::take(&mut run.arrival_sleeps);
        self.stats.deviations += u64::from(run.deviated);
        if target_len > 0 {
            let branch = &mut self.nodes[target_len - 1];
            branch.event = records[target_len - 1].event;
            branch.footprint = records[target_len - 1].footprint.clone();
        }
        // The tree below the branch, level by level along the path taken.
        let mut level = std::mem::take(&mut run.tree);
        let new_steps = records.into_iter().enumerate().skip(target_len).take(end.saturating_sub(target_len));
        for (at, record) in new_steps {
            debug_assert_eq!(at, self.nodes.len());
            let sleep = sleeps[at - target_len].clone();
            let StepRecord { event, enabled, footprint } = record;
            let wut = match level.iter().position(|b| b.event == event) {
                Some(0) if !run.deviated || at - target_len < run.followed => {
                    let mut taken = level.remove(0);
                    let rest = std::mem::take(&mut level);
                    level = std::mem::take(&mut taken.children);
                    rest
                }
                _ => {
                    level.clear();
                    Vec::new()
                }
            };
            self.nodes.push(Node { enabled, event, footprint, sleep, done: Vec::new(), wut });
        }
        target_len.saturating_sub(1)
    }

    /// A disabled key's pending event races with the step that disabled it:
    /// the key is inserted at the node before, with an unknown footprint.
    fn analyse_disabling(&mut self, from: usize) {
        for i in from..self.nodes.len().saturating_sub(1) {
            let (now, next) = (&self.nodes[i], &self.nodes[i + 1]);
            let disabled: Vec<Event> =
                now.enabled.iter().copied().filter(|k| *k != now.event && !next.enabled.contains(k)).collect();
            for key in disabled {
                let sequence = Sequence { events: vec![(key, None)], hb: vec![vec![false]] };
                self.offer(i, &sequence);
            }
        }
    }

    /// Inserts `sequence` at node `i` unless a sleeping key is a weak initial of it.
    fn offer(&mut self, i: usize, sequence: &Sequence) {
        let node = &mut self.nodes[i];
        let all: Vec<usize> = (0..sequence.events.len()).collect();
        let asleep =
            node.sleep.iter().chain(&node.done).any(|(e, f)| sequence.weak_initial(&all, *e, Some(f)).is_some());
        if !asleep && sequence.insert_into(&mut node.wut) {
            self.stats.inserted += 1;
        } else {
            self.stats.covered += 1;
        }
    }

    /// Inserts a wakeup sequence for every race of the execution (disabling
    /// from `from` on); a race inserted before is covered, so adds nothing.
    fn analyse_races(&mut self, from: usize) {
        self.analyse_disabling(from);
        let steps: Vec<Step<'_>> = self.nodes.iter().map(|n| (n.event, &n.footprint)).collect();
        let dep = Dependence::with_rivals(std::mem::take(&mut self.rivals));
        let hb = HappensBefore::new(&steps, &dep);
        let pairs: Vec<(usize, usize)> = (0..steps.len())
            .flat_map(|j| (0..j).map(move |i| (i, j)))
            .filter(|&(i, j)| races(&steps, &dep, &hb, i, j))
            .collect();
        drop(steps);
        for (i, j) in pairs {
            let v = notdep(&hb, i, j);
            if !self.reversible(&hb, i, j, &v) {
                continue;
            }
            let events = v.iter().map(|&k| (self.nodes[k].event, Some(self.nodes[k].footprint.clone()))).collect();
            let hb_v = v.iter().map(|&a| v.iter().map(|&b| hb.hb(a, b)).collect()).collect();
            self.offer(i, &Sequence { events, hb: hb_v });
        }
    }

    /// Whether the race (i, j) can be reversed: v = notdep(i, j).j can run
    /// from the node before i. Its events before j can (they do not happen
    /// after i, and independent events never disable one another); j can if
    /// its key is enabled at i or what enables it is in v. When i acts in (or
    /// writes) j's process P, P's state after notdep is its state at i (every
    /// later event of P happens after i), so: a handle needs an acceptable
    /// signal there (enabled at i) or one that v lands (`handled_from`); a
    /// delivery needs its signal in the channel (enabled at i, or sent in v)
    /// and P open to deliveries at i (idle, or a delivery to P enabled) or
    /// opened by v (an event of v gates P: sends it an exit signal or `DOWN`).
    fn reversible(&self, hb: &HappensBefore, i: usize, j: usize, v: &[usize]) -> bool {
        let (node, later) = (&self.nodes[i], &self.nodes[j]);
        let enabled = |k: &Event| node.enabled.contains(k);
        if !enabled(&self.nodes[v[0]].event) {
            return false;
        }
        let p = later.event.actor();
        let in_v = |step: Option<usize>| step.is_some_and(|s| v.contains(&s));
        let touches =
            node.event.actor() == p || node.footprint.writes.contains(&p) || node.footprint.gates.contains(&p);
        if !touches {
            return enabled(&later.event) || v[..v.len() - 1].iter().any(|&k| hb.hb(k, j));
        }
        match later.event {
            Event::Handle { .. } => enabled(&later.event) || in_v(later.footprint.handled_from),
            Event::Deliver { to, .. } => {
                let channel = enabled(&later.event) || in_v(later.footprint.delivered_from);
                let open = if to == crate::Pid::DRIVER {
                    !enabled(&Event::DriverAct)
                } else {
                    !enabled(&Event::Handle { pid: to })
                        || node.enabled.iter().any(|k| matches!(k, Event::Deliver { to: t, .. } if *t == to))
                        || v[..v.len() - 1].iter().any(|&k| self.nodes[k].footprint.gates.contains(&to))
                };
                channel && open
            }
            Event::DriverAct => enabled(&later.event),
        }
    }

    /// The next (target, start sleep, tree below), or `None` when the space is exhausted.
    fn next_branch(&mut self) -> Option<(Vec<Event>, Vec<Sleeper>, Vec<Branch>)> {
        while let Some(node) = self.nodes.last_mut() {
            if !node.done.iter().any(|(e, _)| *e == node.event) {
                node.done.push((node.event, node.footprint.clone()));
            }
            while !node.wut.is_empty() {
                let branch = node.wut.remove(0);
                if node.asleep(branch.event) || !node.enabled.contains(&branch.event) {
                    self.stats.skipped += 1;
                    continue;
                }
                let mut start_sleep = node.sleep.clone();
                start_sleep.extend(node.done.iter().cloned());
                let mut target: Vec<Event> = self.nodes.iter().map(|n| n.event).collect();
                *target.last_mut().expect("a node") = branch.event;
                return Some((target, start_sleep, branch.children));
            }
            self.nodes.pop();
        }
        None
    }
}

/// The leftmost path of a wakeup tree.
fn leftmost(tree: &[Branch]) -> Vec<Event> {
    let mut path = Vec::new();
    let mut level = tree;
    while let Some(first) = level.first() {
        path.push(first.event);
        level = &first.children;
    }
    path
}

/// Runs `scenario` under one schedule per equivalence class (or up to the limits).
pub fn explore(scenario: &mut impl Scenario, limits: Limits) -> Summary {
    explore_with_stats(scenario, limits).0
}

/// As [`explore`], with the wakeup trees' counters.
pub fn explore_with_stats(scenario: &mut impl Scenario, limits: Limits) -> (Summary, Stats) {
    let clock = limits.clock;
    let run = Rc::new(RefCell::new(Run { clock, ..Run::default() }));
    let mut search = Search { nodes: Vec::new(), stats: Stats::default(), rivals: Vec::new() };
    let mut summary = Summary { executions: 0, exhausted: false, sleep_blocked: 0 };
    loop {
        if summary.executions >= limits.max_executions {
            return (summary, search.stats);
        }
        scenario.run(Box::new(OdporScheduler(run.clone())));
        summary.executions += 1;
        let mut r = run.borrow_mut();
        summary.sleep_blocked += u64::from(r.blocked_at.is_some());
        let from = search.absorb(&mut r);
        search.analyse_races(from);
        match search.next_branch() {
            Some((target, start_sleep, tree)) => {
                let path = leftmost(&tree);
                *r = Run { target, start_sleep, tree, path, clock, ..Run::default() };
            }
            None => {
                summary.exhausted = true;
                return (summary, search.stats);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pid;

    fn handle(pid: u32) -> Event {
        Event::Handle { pid: Pid(pid) }
    }

    fn known(events: &[Event]) -> Sequence {
        let n = events.len();
        let events: Vec<(Event, Option<Footprint>)> = events.iter().map(|&e| (e, Some(Footprint::default()))).collect();
        let hb = (0..n)
            .map(|a| {
                (0..n)
                    .map(|b| {
                        a < b && dependent((events[a].0, &Footprint::default()), (events[b].0, &Footprint::default()))
                    })
                    .collect()
            })
            .collect();
        Sequence { events, hb }
    }

    #[test]
    fn a_sequence_covered_by_a_leaf_is_not_inserted() {
        let mut tree = Vec::new();
        assert!(known(&[handle(1), handle(2)]).insert_into(&mut tree));
        // handle(2) then handle(1) is the same trace: covered.
        assert!(!known(&[handle(2), handle(1)]).insert_into(&mut tree));
        assert_eq!(tree.len(), 1);
        // handle(1) alone is a prefix of the stored branch.
        assert!(!known(&[handle(1)]).insert_into(&mut tree));
    }

    #[test]
    fn a_new_sequence_branches_where_it_leaves_the_tree() {
        let mut tree = Vec::new();
        let deliver = Event::Deliver { to: Pid(1), from: Pid(3) };
        assert!(known(&[handle(2), handle(1)]).insert_into(&mut tree));
        assert!(known(&[handle(2), deliver]).insert_into(&mut tree));
        assert_eq!(tree.len(), 1, "handle(2) is shared");
        assert_eq!(tree[0].children.iter().map(|b| b.event).collect::<Vec<_>>(), vec![handle(1), deliver]);
        assert_eq!(leftmost(&tree), vec![handle(2), handle(1)]);
    }

    #[test]
    fn an_unknown_footprint_is_a_weak_initial_only_by_its_key() {
        let mut tree = Vec::new();
        let unknown = Sequence { events: vec![(handle(3), None)], hb: vec![vec![false]] };
        assert!(unknown.insert_into(&mut tree));
        assert!(known(&[handle(1)]).insert_into(&mut tree), "handle(3)'s footprint is unknown: not independent");
        assert!(!Sequence { events: vec![(handle(3), None)], hb: vec![vec![false]] }.insert_into(&mut tree));
    }
}
