//! A subject with its types erased, so that one table can hold subjects of
//! different types: [`DynSubject`] is itself a [`Subject`], whose operations
//! ([`DynOp`]) and histories ([`DynHistory`]) hold the real subject's values
//! behind `Arc<dyn ...>`, so every generic function (search, shrinking,
//! exhaustive search, tokens) runs on it unchanged.
//!
//! Invariant: a `DynSubject` made by [`erase`] from `S` sees only `S`'s
//! operations and histories; a downcast to another type is a bug, and panics
//! naming both types.

use crate::property::{Finding, Property};
use crate::subject::{Execution, Fixed, Subject};
use crate::workload::Workload;
use proptest::test_runner::TestRng;
use sim::det::Rules;
use sim::sched::Scheduler;
use sim::trace::TraceLevel;
use sim::Delivery;
use std::any::{type_name, Any};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// One operation of some subject.
#[derive(Clone)]
pub struct DynOp(Arc<dyn AnyOp>);

/// Called through `*arc` always: `Arc<dyn AnyOp>` is itself an `AnyOp` by
/// the blanket impl, and a method call on the `Arc` would erase the `Arc`.
trait AnyOp: Any + fmt::Debug + fmt::Display + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn type_name(&self) -> &'static str;
    fn eq_dyn(&self, other: &dyn AnyOp) -> bool;
    fn hash_dyn(&self, state: &mut dyn Hasher);
}

impl<T: Any + fmt::Debug + fmt::Display + Eq + Hash + Send + Sync> AnyOp for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn type_name(&self) -> &'static str {
        type_name::<T>()
    }

    fn eq_dyn(&self, other: &dyn AnyOp) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }

    fn hash_dyn(&self, mut state: &mut dyn Hasher) {
        self.hash(&mut state);
    }
}

impl DynOp {
    fn new<O: Any + fmt::Debug + fmt::Display + Eq + Hash + Send + Sync>(op: O) -> DynOp {
        DynOp(Arc::new(op))
    }

    fn get<O: Any>(&self) -> &O {
        let (wanted, found) = (type_name::<O>(), (*self.0).type_name());
        (*self.0)
            .as_any()
            .downcast_ref()
            .unwrap_or_else(|| panic!("{self:?} is an operation of type {found}, not {wanted}"))
    }
}

impl PartialEq for DynOp {
    fn eq(&self, other: &DynOp) -> bool {
        (*self.0).eq_dyn(&*other.0)
    }
}

impl Eq for DynOp {}

impl Hash for DynOp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (*self.0).hash_dyn(state);
    }
}

impl fmt::Debug for DynOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for DynOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// The history of one run of some subject.
#[derive(Clone)]
pub struct DynHistory(Arc<dyn AnyHistory>);

trait AnyHistory: Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> AnyHistory for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl DynHistory {
    /// The subject's own history.
    pub fn get<H: Any>(&self) -> &H {
        (*self.0).as_any().downcast_ref().unwrap_or_else(|| panic!("a history is not of type {}", type_name::<H>()))
    }
}

impl fmt::Debug for DynHistory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// Any subject, its types erased.
#[derive(Clone)]
pub struct DynSubject(Arc<dyn Erased>);

/// Erases `subject`'s types.
pub fn erase<S: Subject>(subject: S) -> DynSubject {
    DynSubject(Arc::new(subject))
}

impl fmt::Debug for DynSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DynSubject({})", self.0.name())
    }
}

/// [`Subject`] with every type argument turned into a dynamic one.
trait Erased: Send + Sync {
    fn name(&self) -> String;
    fn execute(
        &self,
        workload: &Workload<DynOp>,
        scheduler: Box<dyn Scheduler>,
        trace: TraceLevel,
    ) -> Execution<DynHistory>;
    fn properties(&self) -> Vec<Property<DynHistory>>;
    fn draw_op(&self, rng: &mut TestRng) -> DynOp;
    fn op_kinds(&self) -> Vec<(&'static str, u64)>;
    fn draw_op_weighted(&self, rng: &mut TestRng, weights: &[u64]) -> DynOp;
    fn workload(&self, rng: &mut TestRng, mode: Delivery) -> Workload<DynOp>;
    fn encode_op(&self, op: &DynOp) -> String;
    fn decode_op(&self, text: &str) -> Result<DynOp, String>;
    fn outcome(&self, history: &DynHistory) -> String;
    fn simpler(&self, op: &DynOp) -> Vec<DynOp>;
    fn complexity(&self, op: &DynOp) -> u64;
    fn fixed_workloads(&self) -> Vec<Fixed<DynOp>>;
    fn legacy_versions(&self) -> &'static [(&'static str, Rules)];
    fn legacy_name(&self) -> String;
    fn expected_violation(&self, mode: Delivery, property: &str) -> Option<bool>;
}

fn ops_of<O: Any + Clone>(workload: &Workload<DynOp>) -> Workload<O> {
    let clients = workload.clients.iter().map(|ops| ops.iter().map(|op| op.get::<O>().clone()).collect()).collect();
    Workload { mode: workload.mode, rules: workload.rules, clients }
}

fn dyn_ops<O: Any + fmt::Debug + fmt::Display + Eq + Hash + Send + Sync>(workload: Workload<O>) -> Workload<DynOp> {
    let clients = workload.clients.into_iter().map(|ops| ops.into_iter().map(DynOp::new).collect()).collect();
    Workload { mode: workload.mode, rules: workload.rules, clients }
}

impl<S: Subject> Erased for S {
    fn name(&self) -> String {
        Subject::name(self)
    }

    fn execute(
        &self,
        workload: &Workload<DynOp>,
        scheduler: Box<dyn Scheduler>,
        trace: TraceLevel,
    ) -> Execution<DynHistory> {
        let run = Subject::execute(self, &ops_of::<S::Op>(workload), scheduler, trace);
        Execution {
            history: DynHistory(Arc::new(run.history)),
            choices: run.choices,
            steps: run.steps,
            trace: run.trace,
        }
    }

    fn properties(&self) -> Vec<Property<DynHistory>> {
        let erase = |p: Property<S::History>| p.over(|h: &DynHistory| h.get::<S::History>());
        Subject::properties(self).into_iter().map(erase).collect()
    }

    fn draw_op(&self, rng: &mut TestRng) -> DynOp {
        DynOp::new(Subject::draw_op(self, rng))
    }

    fn op_kinds(&self) -> Vec<(&'static str, u64)> {
        Subject::op_kinds(self)
    }

    fn draw_op_weighted(&self, rng: &mut TestRng, weights: &[u64]) -> DynOp {
        DynOp::new(Subject::draw_op_weighted(self, rng, weights))
    }

    fn workload(&self, rng: &mut TestRng, mode: Delivery) -> Workload<DynOp> {
        dyn_ops(Subject::workload(self, rng, mode))
    }

    fn encode_op(&self, op: &DynOp) -> String {
        Subject::encode_op(self, op.get())
    }

    fn decode_op(&self, text: &str) -> Result<DynOp, String> {
        Subject::decode_op(self, text).map(DynOp::new)
    }

    fn outcome(&self, history: &DynHistory) -> String {
        Subject::outcome(self, history.get())
    }

    fn simpler(&self, op: &DynOp) -> Vec<DynOp> {
        Subject::simpler(self, op.get()).into_iter().map(DynOp::new).collect()
    }

    fn complexity(&self, op: &DynOp) -> u64 {
        Subject::complexity(self, op.get())
    }

    fn fixed_workloads(&self) -> Vec<Fixed<DynOp>> {
        let erase = |f: Fixed<S::Op>| Fixed {
            name: f.name,
            about: f.about,
            clients: f.clients.into_iter().map(|ops| ops.into_iter().map(DynOp::new).collect()).collect(),
        };
        Subject::fixed_workloads(self).into_iter().map(erase).collect()
    }

    fn legacy_versions(&self) -> &'static [(&'static str, Rules)] {
        Subject::legacy_versions(self)
    }

    fn legacy_name(&self) -> String {
        Subject::legacy_name(self)
    }

    fn expected_violation(&self, mode: Delivery, property: &str) -> Option<bool> {
        Subject::expected_violation(self, mode, property)
    }
}

impl Subject for DynSubject {
    type Op = DynOp;
    type History = DynHistory;

    fn name(&self) -> String {
        self.0.name()
    }

    fn execute(
        &self,
        workload: &Workload<DynOp>,
        scheduler: Box<dyn Scheduler>,
        trace: TraceLevel,
    ) -> Execution<DynHistory> {
        self.0.execute(workload, scheduler, trace)
    }

    fn properties(&self) -> Vec<Property<DynHistory>> {
        self.0.properties()
    }

    fn draw_op(&self, rng: &mut TestRng) -> DynOp {
        self.0.draw_op(rng)
    }

    fn op_kinds(&self) -> Vec<(&'static str, u64)> {
        self.0.op_kinds()
    }

    fn draw_op_weighted(&self, rng: &mut TestRng, weights: &[u64]) -> DynOp {
        self.0.draw_op_weighted(rng, weights)
    }

    fn workload(&self, rng: &mut TestRng, mode: Delivery) -> Workload<DynOp> {
        self.0.workload(rng, mode)
    }

    fn encode_op(&self, op: &DynOp) -> String {
        self.0.encode_op(op)
    }

    fn decode_op(&self, text: &str) -> Result<DynOp, String> {
        self.0.decode_op(text)
    }

    fn outcome(&self, history: &DynHistory) -> String {
        self.0.outcome(history)
    }

    fn simpler(&self, op: &DynOp) -> Vec<DynOp> {
        self.0.simpler(op)
    }

    fn complexity(&self, op: &DynOp) -> u64 {
        self.0.complexity(op)
    }

    fn fixed_workloads(&self) -> Vec<Fixed<DynOp>> {
        self.0.fixed_workloads()
    }

    fn legacy_versions(&self) -> &'static [(&'static str, Rules)] {
        self.0.legacy_versions()
    }

    fn legacy_name(&self) -> String {
        self.0.legacy_name()
    }

    fn expected_violation(&self, mode: Delivery, property: &str) -> Option<bool> {
        self.0.expected_violation(mode, property)
    }
}

impl<H: 'static> Property<H> {
    /// The same property over a history that contains an `H`.
    pub fn over<G: 'static>(self, part: impl Fn(&G) -> &H + Send + Sync + 'static) -> Property<G> {
        let clock = self.clock_rule();
        let name = self.name();
        let property = Property::new(name, move |history: &G| {
            let violation = self.check(part(history))?;
            Some(Finding { message: violation.message, culprit: violation.culprit })
        });
        property.needing(clock)
    }
}

#[cfg(test)]
mod tests {
    use super::DynOp;

    #[test]
    fn an_operation_comes_back_as_its_type() {
        let op = DynOp::new("a".to_string());
        assert_eq!(op.get::<String>(), "a");
        assert_eq!(op, op.clone());
        assert_ne!(op, DynOp::new("b".to_string()));
    }
}
