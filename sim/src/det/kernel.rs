//! The deterministic executor's process table and signal semantics.
//!
//! Owns every process, every signal in flight and every monitor, and applies
//! Erlang's rules when a signal lands: untrapped exit signals kill or are
//! ignored, `kill` is untrappable, everything else joins the mailbox in
//! arrival order. A dying process's link exits and `DOWN`s go out under the
//! run's [`Rules`]: in revision 2 each one travels through its channel, in
//! both delivery modes, and lands by an event of its own. Invariants kept here:
//! - a channel `(to, from)` in `channels` is never empty, and no channel leads
//!   to a dead process (signals to the dead are dropped, at send or at death);
//! - a dead process has no actor, no mailbox, no links and no monitors;
//! - every collection is ordered (`Vec` by pid, the channel table sorted by
//!   (receiver, sender), `BTreeMap` for monitors), never hashed, so iteration
//!   order is a function of the run alone;
//! - a process is listed in `touched` (once) whenever its mailbox or actor
//!   changed since the executor last asked what it accepts, so the
//!   executor's incremental ready flags equal a rescan of every mailbox.
//!
//! Emptied channel queues, mailboxes and link lists are kept in `Spare` and
//! the whole kernel is reused by the thread's next run (`recycle`, `start`):
//! only capacities carry over, never a value.
//!
//! [`Kernel::assert_invariants`] checks the first two (and the process
//! bound) after every step of a debug build; the executor checks the ready
//! flags against a rescan at every step of a debug build.

use super::channels::Channels;
use super::rules::Rules;
use crate::sched::step::{Footprint, PID_COUNTER};
use crate::trace::{Trace, TraceEntry, TraceKind, TraceLevel, TracedSignal};
use crate::{Actor, Delivery, Label, Pid, Reason, Ref, RunError, Signal};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ops::Bound;

/// Upper bound on processes per run: a runaway spawn loop is a bug in the
/// actor. A spawn past it fails the run with [`RunError::ProcessBound`].
pub const MAX_PROCESSES: usize = 1 << 16;

/// Upper bound on `init`s running inside one another (each spawning the
/// next): a child's `init` runs on its spawner's stack, so without a bound a
/// chain of them overflows it. The `init` that would nest deeper ends its
/// process instead.
pub const MAX_INIT_DEPTH: usize = 100;

pub(crate) struct Proc {
    /// `None` while the process's handler runs (taken out) or once it is dead.
    pub actor: Option<Box<dyn Actor>>,
    pub exit_reason: Option<Reason>,
    pub trap_exit: bool,
    /// Sorted, without duplicates.
    pub links: Vec<Pid>,
    /// Signals that arrived and wait to be handled, in arrival order.
    pub mailbox: VecDeque<Landed>,
    pub ref_serial: u32,
    /// Exit signals and `DOWN`s in flight to it (their arrival is observable:
    /// while any is, every channel to it may deliver). Kept as signals
    /// enter and leave channels; `assert_invariants` recounts it.
    pub observable_in_flight: u32,
    /// Set by `stop_self`: end with this reason once the handler returns.
    pub stop_after: Option<Reason>,
    /// The steps in which the process started and ended.
    pub spawned_at: u64,
    pub exited_at: Option<u64>,
    /// Listed in `Kernel::touched`: its mailbox or its actor changed since
    /// the executor last asked what it accepts.
    pub touched: bool,
}

impl Proc {
    fn new(actor: Option<Box<dyn Actor>>, spawned_at: u64, spare: &mut Spare) -> Proc {
        Proc {
            actor,
            exit_reason: None,
            trap_exit: false,
            links: spare.links.pop().unwrap_or_default(),
            mailbox: spare.mailboxes.pop().unwrap_or_default(),
            ref_serial: 0,
            observable_in_flight: 0,
            stop_after: None,
            spawned_at,
            exited_at: None,
            touched: false,
        }
    }

    pub fn alive(&self) -> bool {
        self.exit_reason.is_none()
    }
}

/// A signal in a mailbox, with the index of the step record that landed it
/// (for an `instant` send, the sender's step).
pub(crate) struct Landed {
    pub signal: Signal,
    pub at: usize,
}

/// A signal in flight, with the index of the step record that sent it.
pub(crate) struct Sent {
    pub signal: Signal,
    pub at: usize,
    /// An exit signal a link sent (its sender died): `unlink` cancels it.
    pub link: bool,
}

/// Emptied collections kept for reuse, so that a run in its steady state
/// (and the next run on the same kernel, see `Kernel::recycle`) does not
/// allocate a channel queue, a mailbox or a link list anew. Each list holds
/// at most `Spare::KEEP` of each, all empty: what they hold is never
/// observable, only their capacity.
#[derive(Default)]
pub(crate) struct Spare {
    channels: Vec<VecDeque<Sent>>,
    mailboxes: Vec<VecDeque<Landed>>,
    links: Vec<Vec<Pid>>,
}

impl Spare {
    const KEEP: usize = 64;

    fn keep<T>(list: &mut Vec<T>, mut item: T, clear: impl FnOnce(&mut T), capacity: usize) {
        if capacity > 0 && list.len() < Self::KEEP {
            clear(&mut item);
            list.push(item);
        }
    }
    fn channel(&mut self, queue: VecDeque<Sent>) {
        let capacity = queue.capacity();
        Self::keep(&mut self.channels, queue, VecDeque::clear, capacity);
    }
    fn mailbox(&mut self, mailbox: VecDeque<Landed>) {
        let capacity = mailbox.capacity();
        Self::keep(&mut self.mailboxes, mailbox, VecDeque::clear, capacity);
    }
    fn links(&mut self, links: Vec<Pid>) {
        let capacity = links.capacity();
        Self::keep(&mut self.links, links, Vec::clear, capacity);
    }
}

/// Why a signal is sent: it decides how the signal travels (`Kernel::via`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// A handler (or the driver) sent it.
    Sent,
    /// A `link` to a dead pid: its `EXIT(noproc)`.
    LinkToDead,
    /// A dying process's exit signal to a linked partner.
    OwedLinkExit,
    /// A dying process's `DOWN` to a monitor's owner.
    OwedDown,
}

impl Cause {
    /// A link's exit signal, which `unlink` cancels in flight.
    fn link(self) -> bool {
        matches!(self, Cause::LinkToDead | Cause::OwedLinkExit)
    }
    /// A signal a dying process owes.
    fn owed(self) -> bool {
        matches!(self, Cause::OwedLinkExit | Cause::OwedDown)
    }
}

/// How a signal travels from its sender.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// It lands in the receiver's mailbox now (`instant` delivery).
    Land,
    /// It waits in its (receiver, sender) channel for a `Deliver` event;
    /// `link` marks a link's exit signal.
    Channel { link: bool },
}

/// Everything the handlers of a run can change.
pub(crate) struct Kernel {
    pub mode: Delivery,
    pub rules: Rules,
    pub procs: Vec<Proc>,
    pub labels: Vec<Label>,
    /// Signals in flight, keyed by (receiver, sender): every signal in `spec`
    /// mode; in `instant` mode only what a dead process owes (revision 2).
    pub channels: Channels<Sent>,
    /// Live monitors: ref -> (owner, target).
    pub monitors: BTreeMap<Ref, (Pid, Pid)>,
    /// Executed events so far.
    pub step: u64,
    /// The process whose handler is running, if any.
    pub running: Option<Pid>,
    /// Exit signals that reached `running` during its handler (`instant` mode).
    pub deferred: Vec<(Pid, Signal)>,
    pub trace: Option<Trace>,
    /// The footprint of the step being recorded; `None` when steps are not
    /// recorded (the fast path). A `RefCell` because `Ctx::is_alive` and
    /// `Ctx::now` take `&self` and still count as reads.
    pub footprint: RefCell<Option<Footprint>>,
    /// The index of the step record being made (stamps the signals sent).
    pub record_index: usize,
    /// How many `init`s are running, one inside the other.
    pub init_depth: usize,
    /// Set when a handler's effect failed the run (a spawn past the process
    /// bound); the executor ends the run with it after the step.
    pub run_error: Option<RunError>,
    /// The processes whose mailbox or actor changed (a signal landed or was
    /// taken, a handler or `init` ran, the process was spawned or died) since
    /// the executor last asked each what it accepts: only these can have
    /// changed whether they have an acceptable signal waiting, since
    /// `accepts` reads only the actor and the signal. Each at most once
    /// (`Proc::touched`); in no particular order.
    pub touched: Vec<Pid>,
    /// State caching only (`Some`): the run's clock events so far (each
    /// `Ctx::now`, spawn and exit), as distinct steps in ascending order,
    /// which a fingerprint ranks stamps among (`crate::stamps`).
    pub clock_events: RefCell<Option<Vec<u64>>>,
    spare: Spare,
}

impl Kernel {
    /// A kernel ready for a run (the executor reuses one instead: [`Kernel::start`]).
    #[cfg(test)]
    pub fn new(mode: Delivery, rules: Rules, trace: TraceLevel) -> Kernel {
        let mut kernel = Kernel::empty();
        kernel.start(mode, rules, trace);
        kernel
    }

    /// A kernel with no process, not even the driver, that has allocated
    /// nothing: [`Kernel::start`] makes it a run's.
    pub fn empty() -> Kernel {
        Kernel {
            mode: Delivery::Spec,
            rules: Rules::CURRENT,
            procs: Vec::new(),
            labels: Vec::new(),
            channels: Channels::new(),
            monitors: BTreeMap::new(),
            step: 0,
            running: None,
            deferred: Vec::new(),
            trace: None,
            footprint: RefCell::new(None),
            record_index: 0,
            init_depth: 0,
            run_error: None,
            touched: Vec::new(),
            clock_events: RefCell::new(None),
            spare: Spare::default(),
        }
    }

    /// Starts a run on a kernel that is empty or was [recycled](Kernel::recycle):
    /// the driver alone, step 0, nothing in flight. The same state as a new
    /// kernel in everything observable; only capacities are kept.
    pub fn start(&mut self, mode: Delivery, rules: Rules, trace: TraceLevel) {
        self.recycle();
        (self.mode, self.rules) = (mode, rules);
        let mut driver = Proc::new(None, 0, &mut self.spare);
        driver.trap_exit = true; // the driver never dies of a link
        self.procs.push(driver);
        if self.labels.is_empty() {
            self.labels.push(Label::from_static("test")); // the driver's; `recycle` keeps it
        }
        self.trace = (trace == TraceLevel::Full).then(|| Trace { entries: Vec::new(), labels: Vec::new() });
    }

    /// Ends the run it holds: drops every actor, signal, label and monitor
    /// now, and keeps the emptied collections' capacities for the next
    /// [`Kernel::start`] (bounded: a table grown past `KEEP_PROCS` entries
    /// shrinks back, so memory stays flat over any number of runs).
    pub fn recycle(&mut self) {
        const KEEP_PROCS: usize = 1024;
        for mut proc in self.procs.drain(..) {
            self.spare.mailbox(std::mem::take(&mut proc.mailbox));
            self.spare.links(std::mem::take(&mut proc.links));
        }
        self.channels.drain_into(|queue| self.spare.channel(queue));
        self.monitors.retain(|_, _| false); // unlike `clear`, keeps the map's root node
        self.labels.truncate(1);
        if self.procs.capacity() > KEEP_PROCS {
            self.procs.shrink_to(KEEP_PROCS);
            self.labels.shrink_to(KEEP_PROCS);
            self.touched.shrink_to(KEEP_PROCS);
        }
        self.channels.shrink_to(KEEP_PROCS); // a no-op unless it grew past
        self.step = 0;
        self.running = None;
        self.deferred.clear();
        self.trace = None;
        *self.footprint.get_mut() = None;
        self.record_index = 0;
        self.init_depth = 0;
        self.run_error = None;
        self.touched.clear();
        if let Some(events) = self.clock_events.get_mut() {
            events.clear();
        }
    }

    /// Marks `pid`'s mailbox or actor as changed (see `touched`).
    pub fn touch(&mut self, pid: Pid) {
        let proc = &mut self.procs[pid.index()];
        if !proc.touched {
            proc.touched = true;
            self.touched.push(pid);
        }
    }

    /// Adds to the current step's footprint, when steps are recorded.
    pub fn note(&self, f: impl FnOnce(&mut Footprint)) {
        if let Some(fp) = self.footprint.borrow_mut().as_mut() {
            f(fp);
        }
    }

    /// A clock event in the current step (kept only for state caching).
    pub fn clock_event(&self) {
        if let Some(events) = self.clock_events.borrow_mut().as_mut() {
            if events.last() != Some(&self.step) {
                events.push(self.step);
            }
        }
    }

    /// `alive`, counted as a liveness read of `pid` by the current step.
    pub fn observe_alive(&self, pid: Pid) -> bool {
        self.note(|fp| fp.read_liveness(pid));
        self.alive(pid)
    }

    pub fn alive(&self, pid: Pid) -> bool {
        self.procs.get(pid.index()).is_some_and(Proc::alive)
    }

    /// Adds a trace entry, when the run is traced: `entry` (which formats
    /// user payloads, under the panic guard) runs only then.
    pub fn record(&mut self, entry: impl FnOnce(u64) -> TraceEntry) {
        if let Some(trace) = &mut self.trace {
            trace.entries.push(entry(self.step));
        }
    }

    /// Adds a trace entry for `signal`, when the run is traced.
    pub fn record_signal(&mut self, kind: TraceKind, from: Pid, to: Pid, signal: &Signal) {
        self.record(|step| TraceEntry::of_signal(step, kind, from, to, TracedSignal::of(signal)));
    }

    pub fn make_ref(&mut self, owner: Pid) -> Ref {
        let proc = &mut self.procs[owner.index()];
        proc.ref_serial += 1;
        Ref { owner, serial: proc.ref_serial }
    }

    /// Records `error` as the run's failure (the first one stays) and answers it.
    pub fn fail(&mut self, error: RunError) -> RunError {
        self.run_error.get_or_insert(error).clone()
    }

    /// Adds a process; the caller checked [`MAX_PROCESSES`] and runs its `init`.
    pub fn add_process(&mut self, parent: Pid, label: Label) -> Pid {
        assert!(self.procs.len() < MAX_PROCESSES, "more than {MAX_PROCESSES} processes in one run");
        let pid = Pid(self.procs.len() as u32);
        self.note(|fp| {
            fp.write(PID_COUNTER);
            fp.write(pid);
        });
        self.procs.push(Proc::new(None, self.step, &mut self.spare));
        self.clock_event();
        self.touch(pid);
        self.record(|step| TraceEntry::spawn(step, parent, pid, label.to_string()));
        self.labels.push(label);
        pid
    }

    /// Sends `signal` from `from` to `to` under the run's delivery mode.
    pub fn send(&mut self, from: Pid, to: Pid, signal: Signal) {
        self.transmit(from, to, signal, self.via(Cause::Sent));
    }

    /// How a signal travels: through a channel in `spec` mode, and, under
    /// two-phase exits, when a dying process owes it (its link exits and
    /// `DOWN`s); else it lands at once.
    fn via(&self, cause: Cause) -> Via {
        let channel = self.mode == Delivery::Spec || (cause.owed() && self.rules.two_phase_exit());
        if channel {
            Via::Channel { link: cause.link() }
        } else {
            Via::Land
        }
    }

    fn transmit(&mut self, from: Pid, to: Pid, signal: Signal, via: Via) {
        if !self.alive(to) {
            if via == Via::Land && matches!(signal, Signal::Exit { .. }) {
                // Landing, it could have killed `to`: dropping it reads `to`'s liveness.
                self.note(|fp| fp.read_liveness(to));
            }
            self.record_signal(TraceKind::Drop, from, to, &signal);
            return;
        }
        self.record_signal(TraceKind::Send, from, to, &signal);
        match via {
            Via::Land => self.land(to, signal),
            Via::Channel { link } => {
                if self.rules.eager_arrival() && signal.arrival_is_observable() {
                    // It lets every channel to `to` deliver and stops their merging (see
                    // `Sim::deliverable`): a gate of `to` (a write of the driver, whose turns wait on it).
                    self.note(|fp| if to == Pid::DRIVER { fp.write(to) } else { fp.gate(to) });
                }
                self.procs[to.index()].observable_in_flight += u32::from(signal.arrival_is_observable());
                let spare = &mut self.spare.channels;
                let queue = self.channels.open_with((to, from), || spare.pop().unwrap_or_default());
                queue.push_back(Sent { signal, at: self.record_index, link })
            }
        }
    }

    /// A signal arrives at a live process: Erlang's receive-side rules.
    /// An exit signal for a process whose handler is running waits in
    /// `deferred` until the handler returns: a handler is one atomic step.
    ///
    /// Footprint: an exit signal writes `to` (it may kill it). Any other
    /// signal, landing from another process's step, only *appends* to `to`'s
    /// mailbox ([`Footprint::append`]), except at the driver (written: its
    /// turns wait on its mailbox).
    pub fn land(&mut self, to: Pid, signal: Signal) {
        debug_assert!(self.alive(to));
        let exit = matches!(signal, Signal::Exit { .. });
        self.note(|fp| if exit || to == Pid::DRIVER { fp.write(to) } else { fp.append(to) });
        if let Signal::Exit { from, reason } = &signal {
            if self.running == Some(to) {
                return self.deferred.push((to, signal));
            }
            let proc = &self.procs[to.index()];
            match reason {
                // The driver traps exits and cannot die; `kill` reaches it as an EXIT message.
                Reason::Kill if to != Pid::DRIVER => return self.die(to, Reason::Killed),
                _ if proc.trap_exit => {}
                Reason::Normal if *from != to => return,
                _ => return self.die(to, reason.clone()),
            }
        }
        let at = self.record_index;
        self.procs[to.index()].mailbox.push_back(Landed { signal, at });
        self.touch(to);
    }

    /// Ends a live process: drops what it held and fires its links and monitors.
    pub fn die(&mut self, pid: Pid, reason: Reason) {
        if !self.alive(pid) {
            return;
        }
        assert_ne!(pid, Pid::DRIVER, "the driver cannot die");
        self.record(|step| TraceEntry::exit(step, pid, reason.clone()));
        self.note(|fp| fp.death(pid));
        self.clock_event();
        let proc = &mut self.procs[pid.index()];
        proc.exit_reason = Some(reason.clone());
        proc.exited_at = Some(self.step);
        proc.actor = None;
        let mailbox = std::mem::take(&mut proc.mailbox);
        let links = std::mem::take(&mut proc.links);
        self.spare.mailbox(mailbox);
        self.touch(pid);
        while let Some(key) = self.first_channel_to(pid, Pid(0)) {
            let queue = self.channels.remove(&key).expect("listed");
            self.spare.channel(queue);
        }
        self.procs[pid.index()].observable_in_flight = 0;
        let link_reason = if reason == Reason::Kill { Reason::Killed } else { reason.clone() };
        for &partner in &links {
            self.procs[partner.index()].links.retain(|&p| p != pid);
            let exit = Signal::Exit { from: pid, reason: link_reason.clone() };
            self.transmit(pid, partner, exit, self.via(Cause::OwedLinkExit));
        }
        self.spare.links(links);
        // The monitors it owned go; those on it fire, in ref order, each
        // removed before its `DOWN` is sent (sending a `DOWN` changes no monitor).
        self.monitors.retain(|_, &mut (owner, _)| owner != pid);
        let mut after = None;
        while let Some((mref, owner)) = self.next_monitor_of(pid, after) {
            after = Some(mref);
            self.monitors.remove(&mref);
            let down = Signal::Down { mref, pid, reason: link_reason.clone() };
            self.transmit(pid, owner, down, self.via(Cause::OwedDown));
        }
    }

    /// The first monitor on `target` after ref `after` (in ref order).
    fn next_monitor_of(&self, target: Pid, after: Option<Ref>) -> Option<(Ref, Pid)> {
        let mut rest = match after {
            Some(after) => self.monitors.range((Bound::Excluded(after), Bound::Unbounded)),
            None => self.monitors.range(..),
        };
        rest.find(|(_, &(_, t))| t == target).map(|(&mref, &(owner, _))| (mref, owner))
    }

    /// The first channel to `to` from `from` or a later sender.
    fn first_channel_to(&self, to: Pid, from: Pid) -> Option<(Pid, Pid)> {
        self.channels.first_to(to, from)
    }

    pub fn monitor(&mut self, owner: Pid, target: Pid) -> Ref {
        let mref = self.make_ref(owner);
        if self.observe_alive(target) {
            self.monitors.insert(mref, (owner, target));
        } else {
            self.send(target, owner, Signal::Down { mref, pid: target, reason: Reason::Noproc });
        }
        mref
    }

    /// Removes a monitor and any `DOWN` of it still in flight; with `flush`,
    /// also one that already reached the owner's mailbox.
    ///
    /// Footprint: it reads the target's liveness (dependent with its death:
    /// before the death it removes the monitor, so no `DOWN` is ever sent;
    /// after it, the `DOWN` is in flight or landed), and `cancels`.
    pub fn demonitor(&mut self, owner: Pid, mref: Ref, flush: bool) {
        let is_it = |s: &Signal| matches!(s, Signal::Down { mref: m, .. } if *m == mref);
        if self.footprint.borrow().is_some() {
            let target = self.monitors.get(&mref).map(|&(_, target)| target).or_else(|| {
                let in_flight = self.channels.iter().filter(|(&(to, _), _)| to == owner).flat_map(|(_, q)| q.iter());
                let landed = self.procs[owner.index()].mailbox.iter().map(|l| &l.signal);
                in_flight.map(|sent| &sent.signal).chain(landed).find(|s| is_it(s)).map(Signal::sender)
            });
            self.note(|fp| {
                fp.cancels = true;
                if let Some(target) = target {
                    fp.read_liveness(target);
                }
            });
        }
        self.monitors.remove(&mref);
        let mut next = self.first_channel_to(owner, Pid(0));
        while let Some(key) = next {
            next = key.1 .0.checked_add(1).and_then(|from| self.first_channel_to(owner, Pid(from)));
            self.cancel_in_flight(key, |sent| is_it(&sent.signal));
        }
        if flush {
            self.procs[owner.index()].mailbox.retain(|landed| !is_it(&landed.signal));
            self.touch(owner);
        }
    }

    pub fn link(&mut self, a: Pid, b: Pid) {
        if a == b {
            return;
        }
        if !self.observe_alive(b) {
            let exit = Signal::Exit { from: b, reason: Reason::Noproc };
            return self.transmit(b, a, exit, self.via(Cause::LinkToDead));
        }
        self.note(|fp| fp.write(b));
        for (x, y) in [(a, b), (b, a)] {
            let links = &mut self.procs[x.index()].links;
            if let Err(at) = links.binary_search(&y) {
                links.insert(at, y);
            }
        }
    }

    /// Removes the link between `a` (the caller) and `b`. Under revision 2
    /// also drops the link's exit signal from `b` still in flight to `a`
    /// (one that already landed as an `EXIT` message stays, as in Erlang).
    pub fn unlink(&mut self, a: Pid, b: Pid) {
        self.note(|fp| fp.cancels = true);
        self.note(|fp| fp.write(b));
        self.procs[a.index()].links.retain(|&p| p != b);
        if let Some(proc) = self.procs.get_mut(b.index()) {
            proc.links.retain(|&p| p != a);
        }
        if self.rules.unlink_cancels() {
            self.cancel_in_flight((a, b), |sent| sent.link);
        }
    }

    /// Drops the signals of channel `key` for which `doomed` holds, keeping
    /// the invariant that no channel in the map is empty.
    fn cancel_in_flight(&mut self, key: (Pid, Pid), doomed: impl Fn(&Sent) -> bool) {
        let Some(queue) = self.channels.get_mut(&key) else { return };
        let mut observable = 0;
        queue.retain(|sent| {
            let cancel = doomed(sent);
            observable += u32::from(cancel && sent.signal.arrival_is_observable());
            !cancel
        });
        if queue.is_empty() {
            let queue = self.channels.remove(&key).expect("present");
            self.spare.channel(queue);
        }
        self.procs[key.0.index()].observable_in_flight -= observable;
    }

    /// Takes the head of channel (`to`, `from`), keeping the channel map's
    /// invariants and `to`'s count of observable signals in flight.
    pub fn pop_channel(&mut self, to: Pid, from: Pid) -> Sent {
        let queue = self.channels.get_mut(&(to, from)).expect("enabled channel exists");
        let sent = queue.pop_front().expect("channels are never empty");
        if queue.is_empty() {
            let queue = self.channels.remove(&(to, from)).expect("present");
            self.spare.channel(queue);
        }
        self.procs[to.index()].observable_in_flight -= u32::from(sent.signal.arrival_is_observable());
        sent
    }

    /// Number of signals in flight.
    pub fn in_flight(&self) -> usize {
        self.channels.values().map(VecDeque::len).sum()
    }

    /// Panics unless the invariants in this module's doc hold, and no
    /// handler is left running. The executor calls it after every step in
    /// debug builds (`cargo test` among them).
    pub fn assert_invariants(&self) {
        assert!(self.procs.len() <= MAX_PROCESSES, "{} processes", self.procs.len());
        assert_eq!(self.procs.len(), self.labels.len(), "a label per process");
        assert!(self.running.is_none() && self.deferred.is_empty(), "a step ended inside a handler");
        assert_eq!(self.init_depth, 0, "a step ended inside an init");
        let mut observable = vec![0u32; self.procs.len()];
        for (&(to, from), queue) in self.channels.iter() {
            assert!(!queue.is_empty(), "the channel {from} -> {to} is empty");
            assert!(self.alive(to), "the channel {from} -> {to} leads to a dead process");
            observable[to.index()] += queue.iter().filter(|sent| sent.signal.arrival_is_observable()).count() as u32;
        }
        for (index, proc) in self.procs.iter().enumerate() {
            assert_eq!(
                proc.observable_in_flight, observable[index],
                "<{index}>'s count of exit signals and DOWNs in flight"
            );
        }
        for (index, proc) in self.procs.iter().enumerate().filter(|(_, p)| !p.alive()) {
            let holds = (proc.actor.is_some(), proc.mailbox.len(), proc.links.len());
            assert_eq!(holds, (false, 0, 0), "dead process <{index}> holds (actor, mailbox, links)");
        }
        for (mref, &(owner, target)) in &self.monitors {
            assert!(
                self.alive(owner) && self.alive(target),
                "monitor {mref:?} of {owner} on {target} involves the dead"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kernel with the driver and two live processes, 1 and 2.
    fn kernel() -> Kernel {
        let mut kernel = Kernel::new(Delivery::Spec, Rules::CURRENT, TraceLevel::Off);
        for _ in 0..2 {
            let pid = kernel.add_process(Pid::DRIVER, Label::from("p"));
            kernel.procs[pid.index()].actor = Some(Box::new(Idle));
        }
        kernel
    }

    struct Idle;

    impl Actor for Idle {
        fn handle(&mut self, _: Signal, _: &mut dyn crate::Ctx) {}
    }

    fn hello(from: Pid) -> Signal {
        Signal::Message { from, msg: crate::Msg::new("hello") }
    }

    /// The executor checks its invariants only in debug builds: `cargo test`
    /// must be one (the test profile optimises, but keeps debug assertions).
    #[test]
    fn the_kernel_tests_run_with_the_invariant_checks_on() {
        if !cfg!(debug_assertions) {
            panic!("this test build has no debug assertions, so no invariant checks");
        }
    }

    #[test]
    fn a_kernel_that_keeps_its_rules_passes() {
        let mut kernel = kernel();
        kernel.send(Pid(1), Pid(2), hello(Pid(1)));
        kernel.monitor(Pid(1), Pid(2));
        kernel.link(Pid(1), Pid(2));
        kernel.assert_invariants();
        kernel.die(Pid(2), Reason::Normal);
        kernel.assert_invariants();
    }

    #[test]
    #[should_panic(expected = "is empty")]
    fn an_empty_channel_is_caught() {
        let mut kernel = kernel();
        kernel.channels.open_with((Pid(2), Pid(1)), VecDeque::new);
        kernel.assert_invariants();
    }

    #[test]
    #[should_panic(expected = "leads to a dead process")]
    fn a_channel_to_the_dead_is_caught() {
        let mut kernel = kernel();
        kernel.send(Pid(1), Pid(2), hello(Pid(1)));
        kernel.procs[2].exit_reason = Some(Reason::Normal);
        kernel.procs[2].actor = None;
        kernel.assert_invariants();
    }

    #[test]
    #[should_panic(expected = "dead process <2> holds")]
    fn a_dead_process_with_a_mailbox_is_caught() {
        let mut kernel = kernel();
        kernel.die(Pid(2), Reason::Normal);
        kernel.procs[2].mailbox.push_back(Landed { signal: hello(Pid(1)), at: 0 });
        kernel.assert_invariants();
    }

    #[test]
    #[should_panic(expected = "involves the dead")]
    fn a_monitor_of_the_dead_is_caught() {
        let mut kernel = kernel();
        let mref = kernel.monitor(Pid(1), Pid(2));
        kernel.die(Pid(2), Reason::Normal);
        kernel.monitors.insert(mref, (Pid(1), Pid(2)));
        kernel.assert_invariants();
    }
}
