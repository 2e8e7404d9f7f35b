//! The KV registry of the "Mix and OTP" guide as a [`Subject`]: its
//! operations ([`op`]), the client process that runs them ([`client`]), what
//! a run shows ([`history`]), one checker per property ([`checkers`],
//! [`KvProperty`]), its fixed workloads ([`fixed`]), what each registry
//! variant's design predicts ([`expected`]), the seed's tests ([`seed_tests`],
//! on the deterministic executor [`seed_runs`], on threads and loom
//! [`loom_models`]) and how workloads are drawn ([`generate`]).
//!
//! A run: start the registry variant, spawn one client per script, send
//! each a `Go`, run until nothing is left to do, and, if the registry is
//! still alive, read its maps at rest.

pub mod checkers;
mod client;
mod expected;
pub mod fixed;
pub mod generate;
pub mod history;
pub mod loom_models;
pub mod op;
mod property;
pub mod seed_runs;
mod seed_tests;

pub use expected::{expected_to_fail, expected_violation};

#[cfg(test)]
mod shrink_tests;
#[cfg(test)]
mod token_tests;
pub use op::Op;
pub use property::KvProperty;
pub use seed_runs::{Exploration, FirstFailure, RunReport, Scenario};
pub use seed_tests::SeedTest;

use crate::clients::{run_clients, sim_for};
use crate::property::Property;
use crate::subject::{Execution, Fixed, Subject};
use crate::workload::Workload;
use client::{CallLog, Client};
use history::{History, RestState};
use model::Variant;
use proptest::test_runner::TestRng;
use sim::det::Rules;
use sim::sched::Scheduler;
use sim::trace::TraceLevel;
use sim::Driver;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

/// The KV registry, one variant of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kv(pub Variant);

impl Kv {
    /// Every variant, in the order the command line lists them.
    pub fn all() -> Vec<Kv> {
        Variant::ALL.into_iter().map(Kv).collect()
    }
}

impl Subject for Kv {
    type Op = Op;
    type History = History;

    fn name(&self) -> String {
        format!("kv.{}", self.0.name())
    }

    fn properties(&self) -> Vec<Property<History>> {
        KvProperty::ALL.into_iter().map(KvProperty::property).collect()
    }

    fn draw_op(&self, rng: &mut TestRng) -> Op {
        generate::draw_op(rng)
    }

    fn op_kinds(&self) -> Vec<(&'static str, u64)> {
        generate::OP_KINDS.to_vec()
    }

    fn draw_op_weighted(&self, rng: &mut TestRng, weights: &[u64]) -> Op {
        generate::draw_op_weighted(rng, weights)
    }

    fn encode_op(&self, op: &Op) -> String {
        op::encode(op)
    }

    fn decode_op(&self, text: &str) -> Result<Op, String> {
        op::decode(text)
    }

    /// What does not depend on the order of independent events: per client
    /// its calls and answers in order, per process its label and exit
    /// reason (pids are the same in every order: every spawn is a dependent
    /// step), the registry's maps at rest and the run's error. No times.
    fn outcome(&self, history: &History) -> String {
        outcome(history)
    }

    fn fixed_workloads(&self) -> Vec<Fixed<Op>> {
        fixed::ALL.iter().map(fixed::Fixed::fixed).collect()
    }

    /// `kv1:<variant>:...` (rules revision 1) and `kv2:<variant>:...`
    /// (revision 2), as builds before the envelope wrote them.
    fn legacy_versions(&self) -> &'static [(&'static str, Rules)] {
        &[("kv1", Rules::V1), ("kv2", Rules::V2)]
    }

    fn legacy_name(&self) -> String {
        self.0.name().to_string()
    }

    fn expected_violation(&self, mode: sim::Delivery, property: &str) -> Option<bool> {
        KvProperty::from_name(property).map(|p| expected_violation(self.0, mode, p))
    }

    /// Put and get become a plain lookup, a put writes 0, and a key other
    /// than the first becomes the first: each lowers [`Kv::complexity`].
    fn simpler(&self, op: &Op) -> Vec<Op> {
        match op {
            Op::Put(name, key, value) => {
                let mut simpler = vec![Op::Lookup(name.clone())];
                if *value != 0 {
                    simpler.push(Op::Put(name.clone(), key, 0));
                }
                if *key != op::KEYS[0] {
                    simpler.push(Op::Put(name.clone(), op::KEYS[0], *value));
                }
                simpler
            }
            Op::Get(name, key) if *key != op::KEYS[0] => {
                vec![Op::Lookup(name.clone()), Op::Get(name.clone(), op::KEYS[0])]
            }
            Op::Get(name, _) => vec![Op::Lookup(name.clone())],
            _ => Vec::new(),
        }
    }

    /// Get 1, put of 0 3, other puts 5, plus 1 for a key other than the
    /// first; everything else 0.
    fn complexity(&self, op: &Op) -> u64 {
        match op {
            Op::Get(_, key) => 1 + key_rank(key),
            Op::Put(_, key, 0) => 3 + key_rank(key),
            Op::Put(_, key, _) => 5 + key_rank(key),
            _ => 0,
        }
    }

    fn execute(&self, workload: &Workload<Op>, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> Execution<History> {
        let mut sim = sim_for(workload, scheduler, trace);
        // Sized once: an operation makes at most two calls.
        let calls = 2 * workload.clients.iter().map(Vec::len).sum::<usize>();
        let log: CallLog = Arc::new(Mutex::new(Vec::with_capacity(calls)));
        let mut history = History { creates_answered: self.0.create_is_call(), ..History::default() };
        let started = self.0.start(&mut sim).and_then(|registry| {
            history.registry = Some(registry.pid);
            let clients = workload.clients.iter().enumerate().map(|(i, script)| {
                Client::boxed(i + 1, registry.pid, self.0.create_is_call(), script.clone(), log.clone())
            });
            run_clients(&mut sim, clients)?;
            Ok(registry)
        });
        match started {
            Ok(registry) if sim.is_alive(registry.pid) => match registry.state(&mut sim) {
                Ok(state) => history.rest = Some(RestState { at: sim.steps(), state }),
                Err(sim::CallError::Run(e)) => history.run_error = Some(e),
                Err(_) => {}
            },
            Ok(_) => {}
            Err(e) => history.run_error = Some(e),
        }
        history.calls = std::mem::take(&mut *log.lock().expect("the call log is never poisoned"));
        history.processes = sim.processes();
        if cfg!(debug_assertions) {
            history.assert_ordered();
        }
        Execution::of(&sim, history)
    }
}

/// 0 for the first key, 1 for the other.
fn key_rank(key: &str) -> u64 {
    u64::from(key != op::KEYS[0])
}

/// [`Kv`]'s outcome of a history.
pub fn outcome(history: &History) -> String {
    let mut text = String::new();
    let clients: BTreeSet<usize> = history.calls.iter().map(|c| c.client).collect();
    for client in clients {
        let _ = write!(text, "client{client}:");
        for call in history.calls.iter().filter(|c| c.client == client) {
            let _ = write!(text, " {:?}={:?};", call.call, call.answer);
        }
        text.push('\n');
    }
    for p in &history.processes {
        let _ = writeln!(text, "{:?} {} {:?}", p.pid, p.label, p.reason);
    }
    let _ = writeln!(text, "rest {:?}", history.rest.as_ref().map(|r| &r.state));
    let _ = writeln!(text, "error {:?}", history.run_error);
    text
}

/// [`crate::exhaustive::explore`] on `variant`, judging `properties`.
pub fn explore(
    variant: Variant,
    workload: &Workload<Op>,
    properties: &[KvProperty],
    search: crate::exhaustive::Search,
    limits: sim::explore::Limits,
) -> crate::exhaustive::Report {
    let properties: Vec<Property<History>> = properties.iter().map(|p| p.property()).collect();
    crate::exhaustive::explore(&Kv(variant), workload, &properties, search, limits)
}

/// A check of `variant` under `mode` judging `properties`, with the defaults of [`crate::check::CheckConfig::new`].
pub fn check_config(variant: Variant, mode: sim::Delivery, properties: &[KvProperty]) -> crate::check::CheckConfig<Kv> {
    let properties = properties.iter().map(|p| p.property()).collect();
    crate::check::CheckConfig::judging(Kv(variant), mode, properties)
}

/// The registry's token of `workload` with `choices` on `variant`.
pub fn encode_token(variant: Variant, workload: &Workload<Op>, choices: &[u32]) -> String {
    crate::token::encode(&Kv(variant), workload, &choices.to_vec())
}

/// A registry token: its variant, workload and choices.
pub fn decode_token(text: &str) -> Result<(Variant, crate::token::Token<Op>), crate::token::TokenError> {
    crate::token::decode_any(&Kv::all(), text).map(|(Kv(variant), token)| (variant, token))
}

#[cfg(test)]
mod hunt_tests {
    use super::{Kv, KvProperty};
    use crate::measure::Hunt;
    use crate::strategy::Schedule;
    use model::Variant;
    use sim::Delivery;

    #[test]
    fn random_and_pct_both_find_the_monitored_race() {
        for schedule in [Schedule::Random, Schedule::Pct { depth: 3 }] {
            let hunt = Hunt {
                subject: Kv(Variant::Monitored),
                mode: Delivery::Spec,
                property: KvProperty::NoDeadLookup.property(),
                schedule,
                generation: Default::default(),
            };
            let found = hunt.executions_to_failure(1, 2_000);
            assert!(found.is_some(), "{schedule:?}");
            assert_eq!(found, hunt.executions_to_failure(1, 2_000), "deterministic");
        }
        let fixed = Hunt {
            subject: Kv(Variant::Fixed),
            mode: Delivery::Spec,
            property: KvProperty::NoDeadLookup.property(),
            schedule: Schedule::Pct { depth: 3 },
            generation: Default::default(),
        };
        assert_eq!(fixed.executions_to_failure(1, 300), None);
    }
}
