//! Properties as values: a name, a check over a subject's history, and
//! which stamps of the global clock that check compares (its [`ClockRule`]:
//! what exhaustive search must keep ordered for the verdict to be exact).
//!
//! A [`Property`] is built from a closure (`Property::new("conserved", |h|
//! ...)`), so a subject's properties are a list it returns, not cases of an
//! enum. A check returns a [`Finding`] when the history breaks the property;
//! the harness names it with the property and calls it a [`Violation`].
//! Culprits are structured ([`Culprit`]: a pid and a step), never a label to
//! search for. Invariant: a check is a pure function of the history.

use sim::explore::ClockRule;
use sim::Pid;
use std::fmt;
use std::sync::Arc;

type Check<H> = dyn Fn(&H) -> Option<Finding> + Send + Sync;

/// One property every run's history must satisfy.
pub struct Property<H> {
    name: &'static str,
    clock: ClockRule,
    check: Arc<Check<H>>,
}

impl<H> Clone for Property<H> {
    fn clone(&self) -> Self {
        Property { name: self.name, clock: self.clock, check: self.check.clone() }
    }
}

impl<H> fmt::Debug for Property<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Property({})", self.name)
    }
}

impl<H> Property<H> {
    /// A property named `name` (lowercase words joined by `-`), broken when
    /// `check` returns a finding. It is taken not to read the clock.
    pub fn new(name: &'static str, check: impl Fn(&H) -> Option<Finding> + Send + Sync + 'static) -> Property<H> {
        Property { name, clock: ClockRule::Ignored, check: Arc::new(check) }
    }

    /// Says that the check compares invocation or response stamps with a
    /// process's exit stamp (the global clock): an exhaustive search judging
    /// it keeps clock reads dependent with process ends. A check that only
    /// reads what clients observed, and whether processes ended, needs not.
    pub fn reading_clock(self) -> Property<H> {
        self.needing(ClockRule::WithDeaths)
    }

    /// Says that the check compares one process's stamps with another's
    /// (real-time order between calls of different clients, as
    /// linearizability does): exhaustive search then keeps every two clock
    /// reads dependent ([`ClockRule::Ordered`]), which costs executions.
    pub fn ordering_calls(self) -> Property<H> {
        self.needing(ClockRule::Ordered)
    }

    /// Says that the check needs at least `rule` of exhaustive search.
    pub fn needing(self, rule: ClockRule) -> Property<H> {
        Property { clock: self.clock.max(rule), ..self }
    }

    /// What exhaustive search must keep ordered for this check's verdict.
    pub fn clock_rule(&self) -> ClockRule {
        self.clock
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the check compares stamps at all.
    pub fn reads_clock(&self) -> bool {
        self.clock != ClockRule::Ignored
    }

    /// Judges `history`.
    pub fn check(&self, history: &H) -> Option<Violation> {
        let Finding { message, culprit } = (self.check)(history)?;
        Some(Violation { property: self.name, message, culprit })
    }
}

/// Why a history breaks a property: the words, and the event to blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub message: String,
    pub culprit: Option<Culprit>,
}

impl Finding {
    /// A finding that blames no event.
    pub fn new(message: impl Into<String>) -> Finding {
        Finding { message: message.into(), culprit: None }
    }

    /// Blames what process `pid` handled in step `step`: the `t=` of the
    /// trace, which is what `Ctx::now()` answers while the handler runs (so
    /// a client that stamps its calls with `now()` can blame its answer).
    /// Stamping only to blame is not reading the clock: a check that never
    /// compares stamps needs no [`Property::reading_clock`].
    pub fn blaming(self, pid: Pid, step: u64) -> Finding {
        Finding { culprit: Some(Culprit { pid, step }), ..self }
    }
}

/// A property broken by a run, in words a person can follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The property's name.
    pub property: &'static str,
    pub message: String,
    /// The event that breaks the property, when the check names one; pictures highlight it.
    pub culprit: Option<Culprit>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.property, self.message)
    }
}

/// An event of the trace: what process `pid` handled in step `step` (the
/// `Handle` trace entry with `to == pid` and that step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Culprit {
    pub pid: Pid,
    pub step: u64,
}

/// The properties of `selection` whose check reads the global clock.
pub fn clock_readers<H>(selection: &[Property<H>]) -> Vec<&'static str> {
    selection.iter().filter(|p| p.reads_clock()).map(Property::name).collect()
}

/// The first of `properties` that `history` breaks.
pub fn first_violation<H>(properties: &[Property<H>], history: &H) -> Option<Violation> {
    properties.iter().find_map(|p| p.check(history))
}
