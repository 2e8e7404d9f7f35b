//! The seed's registry scenarios on the thread runtime: once on OS threads
//! ([`run_once`] over `StdPlatform`, for `kvsim stress` and `kvsim demo`),
//! or under loom over every interleaving within the preemption bound
//! ([`explore`]).
//!
//! A run records each client's lookups as [`CallRecord`]s stamped with the
//! runtime's logical clock, takes the process records from the runtime, and
//! judges the [`History`] with the very checker the deterministic executor's
//! runs use (`checkers::no_dead_lookup`). Inside a loom model nothing
//! panics on a violation: it is counted, and the caller asserts on the counts
//! once `loom` has returned.
//!
//! Threads, within loom's 5 (the model's own thread included): the test
//! thread is client 1 and the driver; the registry; the bucket supervisor
//! (`monitored`, `fixed`); one bucket (a scenario never starts a second);
//! and, in [`LoomScenario::TwoClients`], client 2's thread. So `linked`
//! uses 3, `monitored` and `fixed` 4, and `fixed` with two clients 5.

use crate::kv::checkers::no_dead_lookup;
use crate::kv::history::{Answer, Call, CallRecord, History};
use crate::kv::seed_tests::{created_bucket, stop_then_lookup};
use crate::kv::SeedTest;
use crate::Failure;
use model::registry::{RegistryReply, RegistryReq};
use model::{Registry, Variant};
use sim::det::ProcessRecord;
use sim::rt::{LoomPlatform, Platform, ThreadDriver};
use sim::{Actor, CallError, Driver, Msg, Pid, Reason, RunError};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Pids per runtime in these scenarios (the test, a client, three processes, slack).
const CAPACITY: usize = 16;

/// Lookups client 2 makes in [`LoomScenario::TwoClients`].
const LOOKUPS: usize = 1;

/// The bucket name every scenario uses, as the seed's tests do.
const NAME: &str = "shopping";

/// A registry scenario small enough for loom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoomScenario {
    /// The seed's "removes buckets on exit": create, lookup, `Agent.stop`, lookup.
    RemovesOnExit,
    /// The seed test again, while client 2, on its own thread, looks the
    /// name up once. loom explores every interleaving from the moment the
    /// bucket exists (client 1's first lookup has answered it), when client 2
    /// starts: its lookups race with the stop, the `DOWN` and client 1's last
    /// lookup. The start-up before that point runs as loom's first schedule
    /// has it (it is [`LoomScenario::RemovesOnExit`]'s, explored there);
    /// exploring it here too would take the model past a minute.
    TwoClients,
}

impl LoomScenario {
    pub const ALL: [LoomScenario; 2] = [LoomScenario::RemovesOnExit, LoomScenario::TwoClients];

    pub fn name(self) -> &'static str {
        match self {
            LoomScenario::RemovesOnExit => "removes-on-exit",
            LoomScenario::TwoClients => "two-clients",
        }
    }
}

/// What one run showed.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The `no-dead-lookup` violation, in the checker's words.
    pub dead_lookup: Option<String>,
    /// The seed test's own verdict (`lookup` after the stop answered a bucket).
    pub failure: Option<Failure>,
    /// The run as the checkers see it: its lookups and its processes.
    pub history: History,
}

/// A [`Driver`] that records every registry lookup it makes, stamped.
struct Recorder<'d, P: Platform> {
    d: &'d mut ThreadDriver<P>,
    client: usize,
    calls: Vec<CallRecord>,
}

impl<P: Platform> Driver for Recorder<'_, P> {
    fn spawn(&mut self, actor: Box<dyn Actor>) -> Result<Pid, RunError> {
        self.d.spawn(actor)
    }
    fn call(&mut self, to: Pid, req: Msg) -> Result<Msg, CallError> {
        let name = match req.downcast_ref::<RegistryReq>() {
            Some(RegistryReq::Lookup(name)) => Some(name.clone()),
            _ => None,
        };
        let invoked = self.d.now();
        let result = self.d.call(to, req);
        if let Some(name) = name {
            let answer = match &result {
                Ok(reply) => match reply.downcast_ref::<RegistryReply>() {
                    Some(RegistryReply::Bucket(bucket)) => Some(Answer::Bucket(*bucket)),
                    _ => None,
                },
                Err(CallError::Exit(reason)) => Some(Answer::Failed(reason.clone())),
                Err(_) => None,
            };
            let (client, op) = (self.client, self.calls.len());
            let returned = Some(self.d.now());
            let client_pid = Pid::DRIVER;
            self.calls.push(CallRecord { client, client_pid, op, call: Call::Lookup(name), invoked, returned, answer });
        }
        result
    }
    fn cast(&mut self, to: Pid, msg: Msg) -> Result<(), RunError> {
        self.d.cast(to, msg)
    }
    fn stop(&mut self, pid: Pid, reason: Reason) -> Result<(), CallError> {
        self.d.stop(pid, reason)
    }
    fn kill(&mut self, pid: Pid) -> Result<(), RunError> {
        self.d.kill(pid)
    }
    fn is_alive(&mut self, pid: Pid) -> bool {
        self.d.is_alive(pid)
    }
}

/// Runs one seed test once on a fresh runtime over `P`, recording lookups.
pub fn run_seed_test<P: Platform>(variant: Variant, test: SeedTest) -> Outcome {
    let mut d = ThreadDriver::<P>::with_capacity(CAPACITY);
    let (failure, calls, registry) = match variant.start(&mut d) {
        Ok(registry) => {
            let mut recorder = Recorder { d: &mut d, client: 1, calls: Vec::new() };
            let verdict = test.run(&mut recorder, registry);
            (verdict.err(), recorder.calls, Some(registry.pid))
        }
        Err(e) => (Some(Failure::from(e)), Vec::new(), None),
    };
    judge(d.finish(), calls, registry, failure)
}

/// Runs `scenario` once on a fresh runtime over `P`.
pub fn run_once<P: Platform>(variant: Variant, scenario: LoomScenario) -> Outcome {
    if scenario == LoomScenario::RemovesOnExit {
        return run_seed_test::<P>(variant, SeedTest::RemovesOnExit);
    }
    P::stop_exploring();
    let mut d = ThreadDriver::<P>::with_capacity(CAPACITY);
    let registry = match variant.start(&mut d) {
        Ok(registry) => registry,
        Err(e) => return judge(d.finish(), Vec::new(), None, Some(Failure::from(e))),
    };
    let second: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
    let mut recorder = Recorder { d: &mut d, client: 1, calls: Vec::new() };
    let bucket = match created_bucket(&mut recorder, registry, NAME) {
        Ok(bucket) => bucket,
        Err(failure) => {
            let calls = recorder.calls;
            return judge(d.finish(), calls, Some(registry.pid), Some(failure));
        }
    };
    P::explore();
    let client = spawn_second_client::<P>(recorder.d.client("client2"), registry, Arc::clone(&second));
    let failure = stop_then_lookup(&mut recorder, registry, bucket, NAME).err();
    P::join(client);
    let mut calls = recorder.calls;
    calls.extend(second.lock().unwrap_or_else(PoisonError::into_inner).drain(..));
    calls.sort_by_key(|c| c.invoked);
    judge(d.finish(), calls, Some(registry.pid), failure)
}

/// Client 2: `lookup(shopping)` [`LOOKUPS`] times, on a thread of its own.
fn spawn_second_client<P: Platform>(
    mut handle: ThreadDriver<P>,
    registry: Registry,
    out: Arc<Mutex<Vec<CallRecord>>>,
) -> P::JoinHandle {
    P::spawn(
        "client2".to_string(),
        Box::new(move || {
            let mut recorder = Recorder { d: &mut handle, client: 2, calls: Vec::new() };
            for _ in 0..LOOKUPS {
                // A failed lookup (registry gone) is recorded, not judged.
                let _ = registry.lookup(&mut recorder, NAME);
            }
            out.lock().unwrap_or_else(PoisonError::into_inner).extend(recorder.calls);
        }),
    )
}

fn judge(
    processes: Vec<ProcessRecord>,
    calls: Vec<CallRecord>,
    registry: Option<Pid>,
    failure: Option<Failure>,
) -> Outcome {
    let history = History { calls, processes, registry, ..History::default() };
    let dead_lookup = no_dead_lookup::check(&history);
    Outcome { dead_lookup, failure, history }
}

/// What loom explored for one (variant, scenario).
#[derive(Clone, Debug)]
pub struct LoomReport {
    pub variant: Variant,
    pub scenario: LoomScenario,
    pub executions: u64,
    /// Executions in which `no-dead-lookup` was violated.
    pub violations: u64,
    /// Executions in which the seed test's own assertion failed.
    pub seed_failures: u64,
    /// The first violation found, in the checker's words.
    pub example: Option<String>,
    pub wall: Duration,
    pub preemption_bound: usize,
}

impl fmt::Display for LoomReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "loom {} {}: {} executions explored (preemption bound {}), {} violated no-dead-lookup, \
             {} failed the seed test, {:.1} s",
            self.variant,
            self.scenario.name(),
            self.executions,
            self.preemption_bound,
            self.violations,
            self.seed_failures,
            self.wall.as_secs_f64()
        )
    }
}

/// Explores `scenario` on `variant` under loom; counts, never panics on a violation.
pub fn explore(variant: Variant, scenario: LoomScenario) -> LoomReport {
    let violations = Arc::new(AtomicU64::new(0));
    let seed_failures = Arc::new(AtomicU64::new(0));
    let example: Arc<Mutex<Option<String>>> = Arc::default();
    let (v, s, e) = (Arc::clone(&violations), Arc::clone(&seed_failures), Arc::clone(&example));
    let stats = sim::rt::model(move || {
        let outcome = run_once::<LoomPlatform>(variant, scenario);
        if let Some(message) = outcome.dead_lookup {
            v.fetch_add(1, Ordering::Relaxed);
            e.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(message);
        }
        if outcome.failure.is_some() {
            s.fetch_add(1, Ordering::Relaxed);
        }
    });
    let example = example.lock().unwrap_or_else(PoisonError::into_inner).take();
    LoomReport {
        variant,
        scenario,
        executions: stats.executions,
        violations: violations.load(Ordering::Relaxed),
        seed_failures: seed_failures.load(Ordering::Relaxed),
        example,
        wall: stats.wall,
        preemption_bound: stats.preemption_bound,
    }
}
