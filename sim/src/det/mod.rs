//! The seeded deterministic executor.
//!
//! Single-threaded. Each step, it lists the enabled events in a fixed order
//! (handles by pid, then deliveries by (receiver, sender), then the driver's
//! turn), asks the scheduler when there are two or more, records the answer,
//! and runs the event to completion. The event rules (revision 2 of
//! [`Rules`]; docs/semantics.md has them in full, with the proof that the
//! merge below loses no behaviour):
//! - `Handle{pid}`: `pid` has a signal in its mailbox that it accepts; it
//!   handles the oldest such signal.
//! - `Deliver{to, from}`: the head of the (from -> to) channel lands in
//!   `to`'s mailbox. Every signal travels through a channel in `spec` mode;
//!   in `instant` mode only the link exits and `DOWN`s of a process that has
//!   died. Enabled while `to` has nothing acceptable waiting, and merged with
//!   the handling unless an exit signal or `DOWN` is also in flight to `to`;
//!   while one is in flight to a busy `to`, every channel to it is enabled
//!   and only lands. Deliveries to the driver are enabled only while it waits.
//! - `DriverAct`: test code takes its next action.
//!
//! Nothing here reads a clock, a thread or a hashed collection: a run is a
//! function of its actors, its delivery mode, its rules and its choice log.

mod channels;
mod ctx;
mod kernel;
mod rules;

pub use rules::Rules;

use crate::call::{self, Caller, Outstanding};
use crate::panic_guard::{first_accepted, run_handler, run_signal};
use crate::sched::{AfterHandle, ChoiceLog, Event, Footprint, Scheduler, StateAt, StepRecord};
use crate::trace::{Fnv1a, Trace, TraceKind, TraceLevel};
use crate::{Actor, CallError, Delivery, Driver, Label, Msg, Pid, Reason, Ref, RunError, Signal, Stamps};
use ctx::DetCtx;
use kernel::Kernel;
pub use kernel::{MAX_INIT_DEPTH, MAX_PROCESSES};
use std::collections::VecDeque;
use std::fmt::Write;

/// Per-run settings.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub mode: Delivery,
    /// The revision of the event rules ([`Rules::CURRENT`] unless replaying an old token).
    pub rules: Rules,
    /// The run fails with [`RunError::StepBound`] past this many executed
    /// events and driver actions (each `Driver` method that is a scheduling point).
    pub max_steps: u64,
    pub trace: TraceLevel,
}

impl Config {
    pub const DEFAULT_MAX_STEPS: u64 = 10_000;

    pub fn new(mode: Delivery) -> Config {
        Config { mode, rules: Rules::CURRENT, max_steps: Self::DEFAULT_MAX_STEPS, trace: TraceLevel::Off }
    }

    pub fn traced(self) -> Config {
        Config { trace: TraceLevel::Full, ..self }
    }
}

/// A process's life, as histories record it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessRecord {
    pub pid: Pid,
    /// Shared with the process table: a copy allocates nothing.
    pub label: Label,
    /// The step in which it was spawned (its `init` ran in that step).
    pub spawned_at: u64,
    /// The step in which it ended, if it did.
    pub exited_at: Option<u64>,
    pub reason: Option<Reason>,
}

/// One run of the deterministic executor.
pub struct Sim {
    kernel: Kernel,
    config: Config,
    scheduler: Box<dyn Scheduler>,
    choices: ChoiceLog,
    /// Scratch: the enabled events of the current step.
    enabled: Vec<Event>,
    /// Per pid, whether it has an acceptable signal waiting: kept up to date
    /// incrementally, recomputed at the start of each step only for the
    /// processes the kernel lists as touched since (debug builds check it
    /// against a rescan of every mailbox).
    ready: Vec<bool>,
    /// The tag the driver waits for, and the signal that answered it.
    driver_wait: Option<Ref>,
    driver_got: Option<Signal>,
    /// The first run error; every later driver action fails with it.
    failed: Option<RunError>,
    /// The step being recorded (only when the scheduler records steps): its
    /// footprint collects in the kernel until the next event is picked, so the
    /// driver's actions after its `DriverAct` (or after its answer arrived)
    /// count in the driver's own step.
    pending: Option<StepRecord>,
    records_made: usize,
    /// Set when `run_until_quiescent` returns: the driver's next turn waited for quiescence.
    quiescent: bool,
    /// Driver actions taken so far; they count against `max_steps` with the events.
    actions: u64,
    /// Whether the scheduler wants state fingerprints (`Scheduler::wants_states`).
    states: bool,
    /// With `states`: a running hash of every signal the driver took (its
    /// locals, which the executor cannot see, are made of them).
    driver_seen: u64,
}

/// Hashing for state fingerprints: streamed, nothing formatted into a string.
mod fingerprint {
    use crate::panic_guard::run_handler;
    use crate::trace::Fnv1a;
    use std::fmt::Write;

    /// Writes `signal`'s `Debug` text, under the handler guard (a `Debug`
    /// that panics ends nothing: its text is replaced, as traces do).
    pub fn signal(h: &mut Fnv1a, signal: &crate::Signal) {
        let mut part = Fnv1a::new();
        if let Err(panic) = run_handler(|| write!(part, "{signal:?}")) {
            part = Fnv1a::new();
            let _ = write!(part, "<Debug panicked: {panic}>");
        }
        let _ = write!(h, "{:x};", part.finish());
    }
}

/// What a finished `Sim` leaves for the next one on its thread: its
/// kernel (recycled: every actor, signal and label already dropped) and its
/// scratch vectors (empty), with their capacities. Nothing in it is
/// observable but capacity, so a run is the same whether or not it reuses one.
struct Spares {
    kernel: Kernel,
    choices: ChoiceLog,
    enabled: Vec<Event>,
    ready: Vec<bool>,
}

thread_local! {
    /// At most `SPARES_KEPT` (a thread may run a few `Sim`s at once).
    static SPARES: std::cell::RefCell<Vec<Spares>> = const { std::cell::RefCell::new(Vec::new()) };
}
const SPARES_KEPT: usize = 4;

impl Sim {
    /// A run's executor. A search builds one per run: it takes the kernel and
    /// scratch space a finished `Sim` of this thread left (see [`Spares`]), so
    /// that a run in the steady state allocates neither.
    pub fn new(config: Config, scheduler: Box<dyn Scheduler>) -> Sim {
        let spares = SPARES.try_with(|spares| spares.borrow_mut().pop()).ok().flatten();
        let Spares { mut kernel, mut choices, mut enabled, mut ready } = spares.unwrap_or_else(|| Spares {
            kernel: Kernel::empty(),
            choices: ChoiceLog::new(),
            enabled: Vec::new(),
            ready: Vec::new(),
        });
        kernel.start(config.mode, config.rules, config.trace);
        choices.clear();
        enabled.clear();
        ready.clear();
        if scheduler.records_steps() {
            *kernel.footprint.borrow_mut() = Some(Footprint::default());
        }
        let states = scheduler.wants_states();
        let events = kernel.clock_events.get_mut();
        match states {
            true => events.get_or_insert_with(Vec::new).clear(),
            false => *events = None,
        }
        Sim {
            kernel,
            config,
            scheduler,
            states,
            driver_seen: 0,
            choices,
            enabled,
            ready,
            driver_wait: None,
            driver_got: None,
            failed: None,
            pending: None,
            records_made: 0,
            quiescent: false,
            actions: 0,
        }
    }

    /// The whole state as one fingerprint (for state caching), or the label
    /// of the first live process whose actor has none (or whose
    /// `fingerprint` panics).
    /// Read-only. Stamps are hashed by rank and the step counter not at all
    /// (`crate::stamps`): the search compares steps taken itself, against
    /// the step bound. Where the driver may act next, the current step goes
    /// in by rank too: a driver action takes no step of its own, so whether
    /// the current step already holds a clock event decides how a stamp the
    /// action makes compares with the ones before (an event takes a new
    /// step first, so its stamps are later than all of them).
    fn fingerprint(&self) -> Result<u64, Label> {
        let k = &self.kernel;
        let events = k.clock_events.borrow();
        let stamps = Stamps::new(events.as_deref().expect("clock events are kept while states are wanted"));
        let mut h = Fnv1a::new();
        let now = self.enabled.contains(&Event::DriverAct).then(|| stamps.rank(k.step));
        let _ = write!(h, "{now:?} {} {:?} {} {};", self.actions, self.driver_wait, self.driver_seen, self.quiescent);
        if let Some(got) = &self.driver_got {
            fingerprint::signal(&mut h, got);
        }
        for (i, p) in k.procs.iter().enumerate() {
            let actor = match (&p.actor, i) {
                (_, 0) => 0,
                (Some(actor), _) => match run_handler(|| actor.fingerprint(&stamps)) {
                    Ok(Some(fingerprint)) => fingerprint,
                    _ => return Err(k.labels[i].clone()),
                },
                (None, _) => 0, // dead (no handler runs at a choice point)
            };
            let _ = write!(
                h,
                "{i} {} {actor} {:?} {} {:?} {} {:?} {} {:?};",
                k.labels.get(i).map_or("", |l| l.as_str()),
                p.exit_reason,
                p.trap_exit,
                p.links,
                p.ref_serial,
                p.stop_after,
                stamps.rank(p.spawned_at),
                p.exited_at.map(|at| stamps.rank(at))
            );
            for landed in &p.mailbox {
                fingerprint::signal(&mut h, &landed.signal);
            }
        }
        for (&(to, from), queue) in k.channels.iter() {
            let _ = write!(h, "channel {to:?} {from:?};");
            for sent in queue {
                let _ = write!(h, "{} ", sent.link);
                fingerprint::signal(&mut h, &sent.signal);
            }
        }
        for (mref, pair) in &k.monitors {
            let _ = write!(h, "monitor {mref:?} {pair:?};");
        }
        Ok(h.finish())
    }

    fn recording(&self) -> bool {
        self.kernel.footprint.borrow().is_some()
    }

    /// Hands the scheduler the step being recorded, with what it touched.
    fn flush_record(&mut self) {
        let Some(mut record) = self.pending.take() else { return };
        let mut slot = self.kernel.footprint.borrow_mut();
        record.footprint = std::mem::take(slot.as_mut().expect("recording"));
        drop(slot);
        self.records_made += 1;
        self.scheduler.step_done(record);
    }

    /// Starts recording `event`, the next step.
    fn open_record(&mut self, event: Event) {
        self.kernel.record_index = self.records_made;
        let enabled = self.enabled.clone();
        self.pending = Some(StepRecord { event, enabled, footprint: Footprint::default() });
        if event == Event::DriverAct && std::mem::take(&mut self.quiescent) {
            self.kernel.note(|fp| fp.after_quiescence = true);
        }
    }

    /// The choices made so far; replaying them reproduces this run.
    pub fn choices(&self) -> &ChoiceLog {
        &self.choices
    }

    /// Executed events so far.
    pub fn steps(&self) -> u64 {
        self.kernel.step
    }

    pub fn mode(&self) -> Delivery {
        self.config.mode
    }

    /// The full trace, when the run was configured with [`TraceLevel::Full`].
    pub fn trace(&self) -> Option<Trace> {
        let mut trace = self.kernel.trace.clone()?;
        trace.labels = self.kernel.labels.iter().map(|label| label.to_string()).collect();
        Some(trace)
    }

    /// The label a process was spawned with.
    pub fn label(&self, pid: Pid) -> &str {
        &self.kernel.labels[pid.index()]
    }

    /// How `pid` ended, if it has.
    pub fn exit_reason(&self, pid: Pid) -> Option<&Reason> {
        self.kernel.procs.get(pid.index())?.exit_reason.as_ref()
    }

    /// Every process of the run (the driver excluded), in spawn order: its
    /// label and the steps in which it started and ended.
    pub fn processes(&self) -> Vec<ProcessRecord> {
        let procs = self.kernel.procs.iter().zip(&self.kernel.labels).enumerate().skip(1);
        procs
            .map(|(index, (proc, label))| ProcessRecord {
                pid: Pid(index as u32),
                label: label.clone(),
                spawned_at: proc.spawned_at,
                exited_at: proc.exited_at,
                reason: proc.exit_reason.clone(),
            })
            .collect()
    }

    /// Signals sent but not yet delivered.
    pub fn in_flight(&self) -> usize {
        self.kernel.in_flight()
    }

    /// Runs until no process has anything to do (the driver does not act).
    pub fn run_until_quiescent(&mut self) -> Result<(), RunError> {
        self.check_failed()?;
        loop {
            self.collect_enabled(false);
            if self.enabled.is_empty() {
                self.quiescent = true;
                return Ok(());
            }
            let event = self.pick();
            self.execute(event)?;
        }
    }

    fn check_failed(&self) -> Result<(), RunError> {
        self.failed.clone().map_or(Ok(()), Err)
    }

    fn fail(&mut self, error: RunError) -> RunError {
        self.failed.get_or_insert(error).clone()
    }

    /// Lists the enabled events, in the executor's fixed order.
    fn collect_enabled(&mut self, driver_may_act: bool) {
        self.enabled.clear();
        self.update_ready();
        for (index, &ready) in self.ready.iter().enumerate() {
            if ready {
                self.enabled.push(Event::Handle { pid: Pid(index as u32) });
            }
        }
        for (&(to, from), queue) in self.kernel.channels.iter() {
            if self.deliverable(to, queue) {
                self.enabled.push(Event::Deliver { to, from });
            }
        }
        if driver_may_act {
            self.enabled.push(Event::DriverAct);
        }
    }

    /// Brings `ready` up to date: asks only the processes touched since the
    /// last step what they accept (nothing else can change the answer).
    fn update_ready(&mut self) {
        self.ready.resize(self.kernel.procs.len(), false);
        while let Some(pid) = self.kernel.touched.pop() {
            self.kernel.procs[pid.index()].touched = false;
            self.ready[pid.index()] = self.first_acceptable(pid).is_some();
        }
        if cfg!(debug_assertions) {
            for index in 0..self.kernel.procs.len() {
                let rescan = self.first_acceptable(Pid(index as u32)).is_some();
                assert_eq!(self.ready[index], rescan, "<{index}>'s incremental ready flag differs from a rescan");
            }
        }
    }

    /// Whether the head of a channel to `to` may land now. Always while `to`
    /// has nothing acceptable waiting (the delivery is then merged with its
    /// handling where that is unobservable, see `deliver`); and, while `to`
    /// is busy, only if landing early is observable: under revision 2 when
    /// any exit signal or `DOWN` is in flight to `to` (every channel to it
    /// then delivers, so mailbox order stays free), under revision 1 when an
    /// exit signal heads this channel. The driver takes deliveries only while
    /// it waits for an answer.
    fn deliverable(&self, to: Pid, queue: &VecDeque<kernel::Sent>) -> bool {
        if to == Pid::DRIVER && self.driver_wait.is_none() {
            return false;
        }
        let early = match self.kernel.rules.eager_arrival() {
            true => self.kernel.procs[to.index()].observable_in_flight > 0,
            false => matches!(queue.front(), Some(kernel::Sent { signal: Signal::Exit { .. }, .. })),
        };
        !self.ready[to.index()] || early
    }

    /// Asks the scheduler (only when there is a choice) and records the answer.
    fn pick(&mut self) -> Event {
        debug_assert!(!self.enabled.is_empty());
        if self.recording() {
            self.flush_record(); // before `choose`: the scheduler sees every earlier step first
        }
        let event = if self.enabled.len() == 1 {
            self.enabled[0]
        } else {
            if self.states {
                let fingerprint = self.fingerprint();
                let (steps, max_steps) = (self.kernel.step + self.actions, self.config.max_steps);
                self.scheduler.state(StateAt { fingerprint, steps, max_steps });
            }
            let index = self.scheduler.choose(&self.enabled);
            assert!(index < self.enabled.len(), "scheduler chose {index} of {} events", self.enabled.len());
            self.choices.push(index as u32);
            self.enabled[index]
        };
        if self.recording() {
            self.open_record(event);
        }
        event
    }

    fn execute(&mut self, event: Event) -> Result<(), RunError> {
        self.spend_step()?;
        self.kernel.step += 1;
        match event {
            Event::Deliver { to, from } => self.deliver(to, from),
            Event::Handle { pid } => {
                self.handle_next(pid);
                if self.recording() {
                    self.note_after_handle(pid);
                }
            }
            Event::DriverAct => unreachable!("the driver's turn is not executed"),
        }
        self.check_invariants();
        self.handler_failure()
    }

    /// In debug builds: the kernel's invariants, and the step bound.
    fn check_invariants(&self) {
        if cfg!(debug_assertions) {
            self.kernel.assert_invariants();
            assert!(self.kernel.step + self.actions <= self.config.max_steps, "past the step bound");
        }
    }

    /// Fails the run if its step bound (events and driver actions) is spent.
    fn spend_step(&mut self) -> Result<(), RunError> {
        if self.kernel.step + self.actions >= self.config.max_steps {
            return Err(self.fail(RunError::StepBound(self.config.max_steps)));
        }
        Ok(())
    }

    /// The run error a handler's effect caused in this step, if any.
    fn handler_failure(&mut self) -> Result<(), RunError> {
        match self.kernel.run_error.clone() {
            Some(error) => Err(self.fail(error)),
            None => Ok(()),
        }
    }

    /// Lands the head of the (from -> to) channel; handles it in the same
    /// step when `to` was idle and nothing else whose arrival `to` could
    /// observe is in flight to it (docs/semantics.md proves that merge loses
    /// no behaviour); else it only lands.
    fn deliver(&mut self, to: Pid, from: Pid) {
        let sent = self.kernel.pop_channel(to, from);
        self.kernel.note(|fp| fp.delivered_from = Some(sent.at));
        let signal = sent.signal;
        self.kernel.record_signal(TraceKind::Deliver, from, to, &signal);
        let others_eager = self.kernel.procs[to.index()].observable_in_flight;
        let merge = !self.ready[to.index()] && (!self.kernel.rules.eager_arrival() || others_eager == 0);
        let quiet = to != Pid::DRIVER && !signal.arrival_is_observable();
        let down = to != Pid::DRIVER && self.kernel.rules.eager_arrival() && matches!(signal, Signal::Down { .. });
        self.kernel.land(to, signal);
        let handled = merge && self.handle_next(to);
        if quiet && !handled {
            self.kernel.note(|fp| fp.landed_only = true);
        }
        if down && !handled {
            self.kernel.note(|fp| fp.landed_down = true);
        }
    }

    /// Where the oldest signal in `pid`'s mailbox that it accepts now is: for
    /// the driver, the answer it waits for; for a dead process, nowhere.
    fn first_acceptable(&self, pid: Pid) -> Option<usize> {
        self.acceptable(pid).map(|(position, _)| position)
    }

    /// [`Self::first_acceptable`], with the panic message of an `accepts`
    /// that panicked on that signal (which counts as accepting it).
    fn acceptable(&self, pid: Pid) -> Option<(usize, Option<String>)> {
        let proc = &self.kernel.procs[pid.index()];
        match (&proc.actor, pid) {
            (_, Pid::DRIVER) => self
                .driver_wait
                .and_then(|tag| proc.mailbox.iter().position(|l| call::is_answer(&l.signal, tag)))
                .map(|position| (position, None)),
            (Some(actor), _) => first_accepted(actor.as_ref(), proc.mailbox.iter().map(|l| &l.signal)),
            (None, _) => None,
        }
    }

    /// Handles the oldest acceptable signal in `pid`'s mailbox, if any (and
    /// says whether there was one); an `accepts` that panicked on it crashes
    /// the process instead.
    fn handle_next(&mut self, pid: Pid) -> bool {
        let Some((position, panicked)) = self.acceptable(pid) else { return false };
        if self.recording() {
            self.note_rivals(pid, position);
        }
        let landed = self.kernel.procs[pid.index()].mailbox.remove(position).expect("position is in range");
        self.kernel.touch(pid); // its mailbox shrank, and its handler may change what it accepts
        let (signal, at) = (landed.signal, landed.at);
        if at != self.kernel.record_index {
            self.kernel.note(|fp| fp.handled_from = Some(at));
        }
        self.kernel.record_signal(TraceKind::Handle, signal.sender(), pid, &signal);
        match panicked {
            _ if pid == Pid::DRIVER => {
                if self.states {
                    let mut seen = Fnv1a::new();
                    let _ = write!(seen, "{};", self.driver_seen);
                    fingerprint::signal(&mut seen, &signal);
                    self.driver_seen = seen.finish();
                }
                self.driver_got = Some(signal)
            }
            Some(text) => self.kernel.die(pid, Reason::Panic(text)),
            None => dispatch(&mut self.kernel, pid, signal),
        }
        true
    }

    /// Recording only: after a `Handle` of `pid`, what it accepts in its
    /// mailbox and whether a signal whose arrival it observes is in flight
    /// to it ([`Footprint::after_handle`]). An `accepts` that panics counts as
    /// accepting. Reads the state, changes nothing.
    fn note_after_handle(&self, pid: Pid) {
        let proc = &self.kernel.procs[pid.index()];
        let Some(actor) = proc.actor.as_ref().filter(|_| pid != Pid::DRIVER) else { return };
        let acceptable = proc
            .mailbox
            .iter()
            .filter(|l| run_handler(|| actor.accepts(&l.signal)).unwrap_or(true))
            .map(|l| l.at)
            .collect();
        let observable_in_flight = proc.observable_in_flight > 0;
        self.kernel.note(|fp| fp.after_handle = Some(AfterHandle { acceptable, observable_in_flight }));
    }

    /// Recording only: the signals behind the one `pid` takes (at `position`)
    /// that it accepts too, as rivals of it ([`Footprint::rivals`]). An
    /// `accepts` that panics counts as accepting. Reads the state, changes
    /// nothing.
    fn note_rivals(&self, pid: Pid, position: usize) {
        let proc = &self.kernel.procs[pid.index()];
        let taken = proc.mailbox[position].at;
        let behind = proc.mailbox.iter().skip(position + 1);
        let rivals: Vec<(usize, usize)> = match (&proc.actor, pid) {
            (_, Pid::DRIVER) => behind.map(|l| (taken, l.at)).collect(),
            (Some(actor), _) => behind
                .filter(|l| run_handler(|| actor.accepts(&l.signal)).unwrap_or(true))
                .map(|l| (taken, l.at))
                .collect(),
            (None, _) => Vec::new(),
        };
        if !rivals.is_empty() {
            self.kernel.note(|fp| fp.rivals.extend(rivals));
        }
    }

    /// Lets pending events run until the scheduler gives the driver its turn.
    fn driver_turn(&mut self) -> Result<(), RunError> {
        self.check_failed()?;
        self.check_invariants(); // after the driver's previous action
        loop {
            self.collect_enabled(true);
            match self.pick() {
                Event::DriverAct => return self.spend_action(),
                event => self.execute(event)?,
            }
        }
    }

    /// The driver's action counts against the step bound.
    fn spend_action(&mut self) -> Result<(), RunError> {
        self.spend_step()?;
        self.actions += 1;
        Ok(())
    }

    /// Runs until the driver's mailbox holds the answer to `tag`.
    fn driver_await(&mut self, tag: Ref) -> Result<Signal, RunError> {
        self.driver_wait = Some(tag);
        self.kernel.touch(Pid::DRIVER); // what it accepts changed
        let result = loop {
            if let Some(signal) = self.driver_got.take() {
                break Ok(signal);
            }
            self.collect_enabled(false);
            if self.enabled.is_empty() {
                break Err(self.fail(RunError::Deadlock));
            }
            let event = self.pick();
            if let Err(e) = self.execute(event) {
                break Err(e);
            }
        };
        self.driver_wait = None;
        self.kernel.touch(Pid::DRIVER);
        result
    }
}

/// Starts a process for `parent` and runs its `init` (inside the parent's
/// step). Past [`MAX_PROCESSES`] it fails the run instead. A `label` or an
/// `init` that panics ends the child, not its parent.
pub(crate) fn spawn_process(
    kernel: &mut Kernel,
    parent: Pid,
    mut actor: Box<dyn Actor>,
    link: bool,
) -> Result<Pid, RunError> {
    if kernel.procs.len() >= MAX_PROCESSES {
        return Err(kernel.fail(RunError::ProcessBound(MAX_PROCESSES)));
    }
    // The label moves into the process table (no copy); a panicking `label`
    // gives the default label and ends the process before its `init`.
    let (label, labelled) = match run_handler(|| actor.label()) {
        Ok(label) => (label, Ok(())),
        Err(text) => (Label::from_static(crate::actor::DEFAULT_LABEL), Err(text)),
    };
    let pid = kernel.add_process(parent, label);
    if link {
        kernel.link(parent, pid);
    }
    let outcome = labelled.and_then(|()| run_init(kernel, pid, actor.as_mut()));
    Ok(settle(kernel, pid, actor, outcome.map(|()| None)))
}

/// Runs `pid`'s `init`, one level deeper in the nesting of inits.
fn run_init(kernel: &mut Kernel, pid: Pid, actor: &mut dyn Actor) -> Result<(), String> {
    let outer = kernel.running.replace(pid);
    kernel.init_depth += 1;
    let outcome = run_handler(|| actor.init(&mut DetCtx { kernel: &mut *kernel, me: pid }));
    kernel.init_depth -= 1;
    kernel.running = outer;
    outcome
}

/// Runs one handler of `pid` on `signal`.
fn dispatch(kernel: &mut Kernel, pid: Pid, signal: Signal) {
    let mut actor = kernel.procs[pid.index()].actor.take().expect("a live process has its actor");
    assert!(kernel.running.is_none(), "handlers do not nest");
    kernel.running = Some(pid);
    let outcome = run_signal(actor.as_mut(), signal, &mut DetCtx { kernel: &mut *kernel, me: pid });
    kernel.running = None;
    settle(kernel, pid, actor, outcome);
}

/// After a handler: a panic or a stop ends the process; otherwise it keeps
/// its actor; then exit signals that reached it meanwhile land.
fn settle(kernel: &mut Kernel, pid: Pid, actor: Box<dyn Actor>, outcome: Result<Option<Reason>, String>) -> Pid {
    let stop = match outcome {
        Err(text) => Some(Reason::Panic(text)),
        Ok(stop) => stop.or_else(|| kernel.procs[pid.index()].stop_after.take()),
    };
    match stop {
        Some(reason) => kernel.die(pid, reason),
        None if kernel.alive(pid) => kernel.procs[pid.index()].actor = Some(actor),
        None => {}
    }
    if kernel.deferred.is_empty() {
        return pid; // the common case: nothing reached it while its handler ran
    }
    let (mine, others) = std::mem::take(&mut kernel.deferred).into_iter().partition(|(to, _)| *to == pid);
    kernel.deferred = others;
    for (_, signal) in mine {
        if kernel.alive(pid) {
            kernel.land(pid, signal);
        }
    }
    pid
}

impl Driver for Sim {
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Result<Pid, RunError> {
        self.driver_turn()?;
        let pid = spawn_process(&mut self.kernel, Pid::DRIVER, actor, false).map_err(|e| self.fail(e))?;
        self.handler_failure()?; // an init's own spawn past the bound
        Ok(pid)
    }

    fn call(&mut self, to: Pid, req: Msg) -> Result<Msg, CallError> {
        self.driver_turn()?;
        let call = Outstanding::start(&mut DriverCaller(&mut self.kernel), to, req);
        let answer = self.driver_await(call.tag());
        call.finish_wait(&mut DriverCaller(&mut self.kernel), answer)
    }

    fn cast(&mut self, to: Pid, msg: Msg) -> Result<(), RunError> {
        self.driver_turn()?;
        self.kernel.send(Pid::DRIVER, to, Signal::Message { from: Pid::DRIVER, msg });
        Ok(())
    }

    fn stop(&mut self, pid: Pid, reason: Reason) -> Result<(), CallError> {
        self.driver_turn()?;
        let mref = self.kernel.monitor(Pid::DRIVER, pid);
        self.kernel.send(Pid::DRIVER, pid, Signal::Stop { from: Pid::DRIVER, reason: reason.clone() });
        match self.driver_await(mref)? {
            Signal::Down { reason: actual, .. } if actual == reason => Ok(()),
            Signal::Down { reason: actual, .. } => Err(CallError::Exit(actual)),
            other => unreachable!("a stop waits only for its DOWN, got {other:?}"),
        }
    }

    fn kill(&mut self, pid: Pid) -> Result<(), RunError> {
        self.driver_turn()?;
        self.kernel.send(Pid::DRIVER, pid, Signal::Exit { from: Pid::DRIVER, reason: Reason::Kill });
        Ok(())
    }

    fn is_alive(&mut self, pid: Pid) -> bool {
        let alive = self.kernel.observe_alive(pid);
        if self.states {
            // The driver may branch on it: part of its locals, as the signals it took.
            let mut seen = Fnv1a::new();
            let _ = write!(seen, "{} alive {pid:?} {alive};", self.driver_seen);
            self.driver_seen = seen.finish();
        }
        alive
    }
}

/// The driver as a caller: its monitor and its send go straight to the kernel.
struct DriverCaller<'k>(&'k mut Kernel);

impl Caller for DriverCaller<'_> {
    fn me(&self) -> Pid {
        Pid::DRIVER
    }
    fn monitor_and_send(&mut self, to: Pid, call: impl FnOnce(Ref) -> Msg) -> Ref {
        let tag = self.0.monitor(Pid::DRIVER, to);
        self.0.send(Pid::DRIVER, to, Signal::Message { from: Pid::DRIVER, msg: call(tag) });
        tag
    }
    fn demonitor_flush(&mut self, mref: Ref) {
        self.0.demonitor(Pid::DRIVER, mref, true);
    }
}

impl Drop for Sim {
    /// The last step's record goes out when the run ends; then the kernel
    /// drops what the run held and waits, with the scratch space, for the
    /// thread's next `Sim`.
    fn drop(&mut self) {
        if self.recording() {
            self.flush_record();
        }
        if self.states {
            let bounded = matches!(self.failed, Some(RunError::StepBound(_)));
            self.scheduler.run_ended(self.kernel.step + self.actions, bounded);
        }
        let mut kernel = std::mem::replace(&mut self.kernel, Kernel::empty());
        kernel.recycle();
        let spares = Spares {
            kernel,
            choices: std::mem::take(&mut self.choices),
            enabled: std::mem::take(&mut self.enabled),
            ready: std::mem::take(&mut self.ready),
        };
        let _ = SPARES.try_with(|list| {
            if let Ok(mut list) = list.try_borrow_mut() {
                if list.len() < SPARES_KEPT {
                    list.push(spares);
                }
            }
        });
    }
}
