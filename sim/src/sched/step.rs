//! Per-step records: what one executed event did, for exhaustive search.
//!
//! A [`StepRecord`] is made only for a scheduler that asks for it
//! ([`Scheduler::records_steps`](super::Scheduler::records_steps)); the fast
//! path makes none. It holds the event, the events enabled beside it, and the
//! event's [`Footprint`]: which processes' state it touched beyond its own.
//! [`dependent`] is the dependency relation partial-order reduction relies on
//! where footprints from different executions meet (sleep sets, wakeup
//! trees); [`dependent_in`] refines it within one execution (receive-aware
//! dependence: two landings of messages at one process race only if a
//! handle made them rivals; a handle and a `DOWN`'s landing at its process
//! only if the landing would then merge with a handling). Invariant: two
//! steps judged independent commute (run in either order from the same
//! state they reach the same state, up to a mailbox order no handle of the
//! execution reads, and the same history verdicts), and neither enables or
//! disables the other.

use super::Event;
use crate::Pid;

/// The pseudo-process standing for the global pid counter: every spawn writes it.
pub const PID_COUNTER: Pid = Pid(u32::MAX);

/// The pseudo-process standing for the global clock, when clock reads are
/// ordered with each other (`ClockRule::Ordered`): every clock read writes it.
pub const CLOCK: Pid = Pid(u32::MAX - 1);

/// What a step touched outside its own process (the event's [`Event::actor`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Processes whose state the step wrote: a signal landed in their mailbox
    /// (`instant` mode), they died, a link was added to them, or they were
    /// spawned; [`PID_COUNTER`] when the step spawned.
    pub writes: Vec<Pid>,
    /// Processes whose mailbox the step only appended a message to
    /// (`instant` mode: a signal other than an exit signal, sent by another
    /// process, landed at the end of their mailbox). Dependent with every
    /// event of the receiver except its `Handle`: see [`dependent`].
    pub appends: Vec<Pid>,
    /// Processes (other than the driver) to which the step sent an exit
    /// signal or a `DOWN` into a channel: it lets every channel to them
    /// deliver, and keeps their deliveries from merging with their handling
    /// (docs/semantics.md), so it changes what their deliveries do, but not
    /// what their handles do. Dependent with their deliveries: see [`dependent`].
    pub gates: Vec<Pid>,
    /// Processes whose liveness the step read (`is_alive`, `monitor`, `link`).
    pub liveness_reads: Vec<Pid>,
    /// Processes that died in the step (their `exited_at` is its time).
    pub deaths: Vec<Pid>,
    /// Whether the step read the global clock (`Ctx::now`, history stamps).
    pub reads_clock: bool,
    /// For a delivery: the index (in the run's step records) of the step that
    /// sent the delivered signal.
    pub delivered_from: Option<usize>,
    /// For a handle: the index of the (other) step that landed the signal it
    /// took, an `instant` send. A happens-before edge, like `delivered_from`.
    pub handled_from: Option<usize>,
    /// The driver's turn that waited for quiescence (`run_until_quiescent`):
    /// it could run only once nothing else could, so every earlier step
    /// happens before it and no race with it can be reversed.
    pub after_quiescence: bool,
    /// A delivery that only landed a message or a stop request (no exit
    /// signal, no `DOWN`) in the mailbox of a live process other than the
    /// driver, without handling anything: its receiver's state and what it
    /// may do stay as they were. See [`dependent_in`].
    pub landed_only: bool,
    /// For a step that handled a signal from a mailbox: (the step that
    /// landed the signal it took, the step that landed another signal then
    /// in the mailbox that the receiver also accepted), one pair per such
    /// other signal. Read by the race analysis ([`rivals_in`]).
    pub rivals: Vec<(usize, usize)>,
    /// A delivery that only landed a `DOWN` (at a live process other than
    /// the driver, under eager arrival), handling nothing.
    pub landed_down: bool,
    /// For a `Handle`: what its process accepted and had in flight after it.
    pub after_handle: Option<AfterHandle>,
    /// The step called `demonitor` or `unlink`: it may have cancelled a
    /// signal in flight to its own process, or removed a landed `DOWN`.
    pub cancels: bool,
}

/// What a `Handle` left its process with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AfterHandle {
    /// The steps that landed the signals in its mailbox that it accepted then.
    pub acceptable: Vec<usize>,
    /// Whether an exit signal or a `DOWN` was in flight to it then.
    pub observable_in_flight: bool,
}

fn add(set: &mut Vec<Pid>, pid: Pid) {
    if !set.contains(&pid) {
        set.push(pid);
    }
}

impl Footprint {
    pub fn write(&mut self, pid: Pid) {
        add(&mut self.writes, pid);
    }
    pub fn append(&mut self, pid: Pid) {
        add(&mut self.appends, pid);
    }
    pub fn gate(&mut self, pid: Pid) {
        add(&mut self.gates, pid);
    }
    pub fn read_liveness(&mut self, pid: Pid) {
        add(&mut self.liveness_reads, pid);
    }
    pub fn death(&mut self, pid: Pid) {
        add(&mut self.deaths, pid);
        add(&mut self.writes, pid);
    }
}

/// One executed event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    pub event: Event,
    /// Every event enabled at this step (in the executor's order), this one included.
    pub enabled: Vec<Event>,
    pub footprint: Footprint,
}

/// Whether the step only landed a message (see [`Footprint::landed_only`]),
/// and its footprint holds nothing else.
fn lands_only(e: Event, f: &Footprint) -> bool {
    match e {
        Event::Deliver { to, .. } => {
            f.landed_only
                && f.appends == [to]
                && f.writes.is_empty()
                && f.liveness_reads.is_empty()
                && f.deaths.is_empty()
                && !f.reads_clock
                && !f.after_quiescence
        }
        _ => false,
    }
}

/// The pairs of steps (each pair `(low, high)` by index) whose landed
/// signals some handle saw as rivals in one execution: it took one while
/// the other was waiting behind it and accepted too ([`Footprint::rivals`]).
pub fn rivals_in<'a>(footprints: impl IntoIterator<Item = &'a Footprint>) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> =
        footprints.into_iter().flat_map(|f| f.rivals.iter().map(|&(a, b)| (a.min(b), a.max(b)))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn meets(a: &[Pid], b: &[Pid]) -> bool {
    a.iter().any(|p| b.contains(p))
}

/// Whether two executed events (each with its footprint) may not commute.
///
/// Dependent when: one is the driver's turn after quiescence; they act in the same process; one writes a process the
/// other acts in or writes; one appends to a mailbox the other appends to or
/// writes, or acts in other than by handling; one reads the liveness of a
/// process the other ends; or one reads the global clock while the other
/// ends a process (the checkers compare call stamps with exit stamps).
/// Spec-mode sends are not accesses to the receiver (they append to a
/// channel that only the receiver pops); the send-to-delivery order is a
/// happens-before edge, not a dependency.
///
/// Why an append to P commutes with `Handle{P}`: the handle is enabled only
/// while P has an acceptable signal waiting, and it takes the oldest one; an
/// appended message is the newest, so the handle takes the same signal in
/// either order, and both orders leave the same actor state and the same
/// mailbox. A handle that takes the appended message itself was not enabled
/// before it landed: that pair is ordered by `handled_from`, not reversed.
/// Two appends to P (their order is P's mailbox order), an append and a
/// delivery to P (likewise), and an append and P's death stay dependent.
pub fn dependent(a: (Event, &Footprint), b: (Event, &Footprint)) -> bool {
    coarse(a, b, true)
}

/// [`dependent`] within one execution: `a` is step `i`, `b` step `j`,
/// `i < j`, and `rivals` says whether a handle of that execution saw their
/// landed signals as rivals ([`rivals_in`]). Two refinements of the coarse
/// relation, each sound only when judged on the whole execution (so
/// [`dependent`], which sleep sets and wakeup trees use on footprints from
/// different executions, keeps neither):
///
/// 1. Two deliveries that each only landed a message at the same process P
///    ([`Footprint::landed_only`]) are dependent only if `rivals`. Such a
///    landing leaves P's actor state, its readiness and the signals in
///    flight to it as they were: P was idle and the message is not
///    acceptable (so P stays idle and every channel to it may still
///    deliver), or an exit signal or `DOWN` is in flight to P (every channel
///    to it may deliver, and nothing merges). So two of them, run in either
///    order, stay enabled, stay landings only, and reach states that differ
///    only in the order of the two messages in P's mailbox. That order is
///    read only by a handle of P that takes one of the two while the other
///    waits in the mailbox and is accepted too: it takes the older one.
///    Every handle of P is dependent with every landing of a message at P,
///    so no handle moves across either landing when equivalent executions
///    are formed, and the first handle of P after both that takes one of
///    them sees both, in every equivalent execution: "rivals" is judged the
///    same in each. Not rivals, every handle takes the same signal in both
///    orders.
/// 2. A `Handle{P}` and a delivery that only landed a `DOWN` at P
///    ([`Footprint::landed_down`]) are independent when the handle neither
///    writes P (it did not die) nor called `demonitor` or `unlink`
///    ([`Footprint::cancels`]), and the landing would not merge with a
///    handling if it came right after the handle. Both enabled means P has
///    an acceptable signal waiting, which the handle takes; a `DOWN` in
///    flight keeps its own delivery enabled whatever P's state, and landing
///    behind the waiting signal it changes neither which one the handle
///    takes nor what the handle does. Run after the handle, the landing
///    merges (handles the `DOWN` at once) only if P then accepts the `DOWN`,
///    accepts nothing else waiting, and nothing else observable is in flight
///    to it: when the landing ran second it did not merge, and when it ran
///    first the handle's [`AfterHandle`] says whether that holds. A `DOWN`
///    landing is dependent with every other delivery to P (it changes which
///    of them may land), so the mailbox order of messages is unaffected.
pub fn dependent_in(a: (Event, &Footprint), b: (Event, &Footprint), ij: (usize, usize), rivals: bool) -> bool {
    let (i, _) = ij;
    if !rivals && a.0.actor() == b.0.actor() && lands_only(a.0, a.1) && lands_only(b.0, b.1) {
        return false;
    }
    let down_first = handle_and_down(b, a, |h| {
        let after = h.after_handle.as_ref();
        after.is_some_and(|x| {
            x.observable_in_flight || x.acceptable.iter().any(|&l| l != i) || !x.acceptable.contains(&i)
        })
    });
    let handle_first = handle_and_down(a, b, |_| true);
    if down_first || handle_first {
        return coarse(a, b, false);
    }
    coarse(a, b, true)
}

/// Whether `h` is a `Handle{P}` and `d` a delivery that only landed a `DOWN`
/// at P, the handle neither ending P nor cancelling, and `ok` holds of it.
fn handle_and_down(h: (Event, &Footprint), d: (Event, &Footprint), ok: impl Fn(&Footprint) -> bool) -> bool {
    let (eh, fh) = h;
    let (ed, fd) = d;
    match (eh, ed) {
        (Event::Handle { pid }, Event::Deliver { to, .. }) if pid == to && pid != crate::Pid::DRIVER => {
            fd.landed_down && !fh.cancels && !fh.writes.contains(&pid) && !fh.deaths.contains(&pid) && ok(fh)
        }
        _ => false,
    }
}

/// The coarse relation, with acting in the same process counting as a
/// conflict only if `same_process`.
fn coarse(a: (Event, &Footprint), b: (Event, &Footprint), same_process: bool) -> bool {
    let (ea, fa) = a;
    let (eb, fb) = b;
    let (pa, pb) = (ea.actor(), eb.actor());
    fa.after_quiescence
        || fb.after_quiescence
        || (same_process && pa == pb)
        || fb.writes.contains(&pa)
        || fa.writes.contains(&pb)
        || meets(&fa.writes, &fb.writes)
        || appends_meet(fa, (eb, fb))
        || appends_meet(fb, (ea, fa))
        || gates_meet(fa, (eb, fb))
        || gates_meet(fb, (ea, fa))
        || meets(&fa.liveness_reads, &fb.deaths)
        || meets(&fb.liveness_reads, &fa.deaths)
        || (fa.reads_clock && !fb.deaths.is_empty())
        || (fb.reads_clock && !fa.deaths.is_empty())
}

/// Whether `f`'s appends conflict with step `b`: `b` appends to or writes the
/// same process, or acts in it by any event but its `Handle`.
fn appends_meet(f: &Footprint, b: (Event, &Footprint)) -> bool {
    let (eb, fb) = b;
    f.appends.iter().any(|&p| {
        let acts = eb.actor() == p && eb != Event::Handle { pid: p };
        acts || fb.writes.contains(&p) || fb.appends.contains(&p)
    })
}

/// Whether `f`'s gates conflict with step `b`: `b` acts in a gated process
/// by any event but its `Handle`, or writes it.
fn gates_meet(f: &Footprint, b: (Event, &Footprint)) -> bool {
    let (eb, fb) = b;
    f.gates.iter().any(|&p| (eb.actor() == p && eb != Event::Handle { pid: p }) || fb.writes.contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(pid: u32) -> Event {
        Event::Handle { pid: Pid(pid) }
    }

    #[test]
    fn same_process_is_dependent_and_disjoint_processes_are_not() {
        let none = Footprint::default();
        assert!(dependent((handle(1), &none), (Event::Deliver { to: Pid(1), from: Pid(2) }, &none)));
        assert!(!dependent((handle(1), &none), (handle(2), &none)));
    }

    #[test]
    fn writes_liveness_and_clock_make_dependence() {
        let none = Footprint::default();
        let mut lands_on_2 = Footprint::default();
        lands_on_2.write(Pid(2));
        assert!(dependent((handle(1), &lands_on_2), (handle(2), &none)));
        let mut reads_3 = Footprint::default();
        reads_3.read_liveness(Pid(3));
        let mut kills_3 = Footprint::default();
        kills_3.death(Pid(3));
        assert!(dependent((handle(1), &reads_3), (handle(3), &kills_3)));
        assert!(!dependent((handle(1), &reads_3), (handle(3), &none)));
        let clock = Footprint { reads_clock: true, ..Footprint::default() };
        assert!(dependent((handle(1), &clock), (handle(3), &kills_3)));
        assert!(!dependent((handle(1), &clock), (handle(2), &clock)));
        let barrier = Footprint { after_quiescence: true, ..Footprint::default() };
        assert!(dependent((Event::DriverAct, &barrier), (handle(2), &none)));
    }

    #[test]
    fn an_append_commutes_only_with_the_receivers_handle() {
        let none = Footprint::default();
        let mut appends_2 = Footprint::default();
        appends_2.append(Pid(2));
        assert!(!dependent((handle(1), &appends_2), (handle(2), &none)));
        assert!(!dependent((handle(2), &none), (handle(1), &appends_2)));
        assert!(dependent((handle(1), &appends_2), (Event::Deliver { to: Pid(2), from: Pid(5) }, &none)));
        assert!(dependent((handle(1), &appends_2), (handle(3), &appends_2)), "mailbox order");
        let mut kills_2 = Footprint::default();
        kills_2.death(Pid(2));
        assert!(dependent((handle(1), &appends_2), (handle(2), &kills_2)));
        assert!(dependent((handle(1), &appends_2), (handle(3), &kills_2)));
        assert!(!dependent((handle(1), &appends_2), (handle(3), &none)));
    }

    fn deliver(to: u32, from: u32) -> Event {
        Event::Deliver { to: Pid(to), from: Pid(from) }
    }

    /// A delivery that only landed a message at `to`.
    fn landing(to: u32) -> Footprint {
        let mut f = Footprint { landed_only: true, delivered_from: Some(0), ..Footprint::default() };
        f.append(Pid(to));
        f
    }

    #[test]
    fn two_landings_at_one_process_are_dependent_only_as_rivals() {
        let (a, b) = (landing(2), landing(2));
        assert!(!dependent_in((deliver(2, 3), &a), (deliver(2, 4), &b), (0, 1), false), "not rivals: they commute");
        assert!(dependent_in((deliver(2, 3), &a), (deliver(2, 4), &b), (0, 1), true), "rivals: mailbox order is read");
        assert!(dependent((deliver(2, 3), &a), (deliver(2, 4), &b)), "the coarse relation orders them");
        let merged = Footprint { landed_only: false, ..landing(2) };
        assert!(dependent_in((deliver(2, 3), &a), (deliver(2, 4), &merged), (0, 1), false), "a delivery that handled");
        let none = Footprint::default();
        assert!(dependent_in((deliver(2, 3), &a), (handle(2), &none), (0, 1), false), "every handle of P");
        let mut down = landing(2);
        down.write(Pid(2));
        assert!(
            dependent_in((deliver(2, 3), &a), (deliver(2, 4), &down), (0, 1), false),
            "a footprint beyond a landing"
        );
        assert!(!dependent_in((deliver(2, 3), &a), (deliver(5, 4), &landing(5)), (0, 1), true), "other processes");
    }

    #[test]
    fn rival_pairs_are_normalised() {
        let h = Footprint { rivals: vec![(7, 3), (3, 9)], ..Footprint::default() };
        let g = Footprint { rivals: vec![(3, 7)], ..Footprint::default() };
        assert_eq!(rivals_in([&h, &g]), vec![(3, 7), (3, 9)]);
    }

    #[test]
    fn a_gate_is_dependent_with_the_receivers_deliveries_only() {
        let none = Footprint::default();
        let mut gates_2 = Footprint::default();
        gates_2.gate(Pid(2));
        assert!(dependent((handle(1), &gates_2), (deliver(2, 5), &none)));
        assert!(dependent((deliver(2, 5), &none), (handle(1), &gates_2)));
        assert!(!dependent((handle(1), &gates_2), (handle(2), &none)), "a handle does not see what is in flight");
        assert!(!dependent((handle(1), &gates_2), (handle(3), &gates_2)), "two gates commute");
        let mut kills_2 = Footprint::default();
        kills_2.death(Pid(2));
        assert!(dependent((handle(1), &gates_2), (handle(2), &kills_2)), "a send to the dead is dropped");
        let mut appends_2 = Footprint::default();
        appends_2.append(Pid(2));
        assert!(!dependent((handle(1), &gates_2), (handle(3), &appends_2)));
    }

    /// A handle of P with what it left (`after`), and a delivery that only landed a `DOWN` at P.
    fn handled(acceptable: Vec<usize>, observable_in_flight: bool) -> Footprint {
        Footprint { after_handle: Some(AfterHandle { acceptable, observable_in_flight }), ..Footprint::default() }
    }

    fn down_landing() -> Footprint {
        Footprint { landed_down: true, landed_only: false, ..landing(2) }
    }

    #[test]
    fn a_handle_and_a_down_landing_race_only_if_the_landing_would_merge() {
        let down = down_landing();
        let (h, d) = (handle(2), deliver(2, 6));
        // The landing ran second and did not merge: they commute.
        assert!(!dependent_in((h, &handled(vec![], true)), (d, &down), (0, 1), true));
        // The landing ran first (step 0): after the handle P accepted only the DOWN
        // and nothing observable was in flight, so run second it would merge.
        assert!(dependent_in((d, &down), (h, &handled(vec![0], false)), (0, 1), false));
        // Something else acceptable waits, or another observable signal is in
        // flight, or P does not accept the DOWN: it would only land.
        assert!(!dependent_in((d, &down), (h, &handled(vec![0, 4], false)), (0, 1), false));
        assert!(!dependent_in((d, &down), (h, &handled(vec![0], true)), (0, 1), false));
        assert!(!dependent_in((d, &down), (h, &handled(vec![], false)), (0, 1), false));
        // A handle that demonitors, unlinks or ends P stays dependent; so does one with no record.
        let cancels = Footprint { cancels: true, ..handled(vec![], true) };
        assert!(dependent_in((h, &cancels), (d, &down), (0, 1), false));
        let mut dies = handled(vec![], true);
        dies.death(Pid(2));
        assert!(dependent_in((h, &dies), (d, &down), (0, 1), false));
        assert!(dependent_in((d, &down), (h, &Footprint::default()), (0, 1), false));
        // A merged DOWN delivery, or another delivery to P, stays dependent.
        let merged = Footprint { landed_down: false, ..down_landing() };
        assert!(dependent_in((h, &handled(vec![], true)), (d, &merged), (0, 1), false));
        assert!(dependent_in((deliver(2, 3), &landing(2)), (d, &down), (0, 1), false));
        // The coarse relation orders them all.
        assert!(dependent((h, &handled(vec![], true)), (d, &down)));
    }
}
