//! The KV registry's properties, by name: each is a [`Property`] value over
//! the registry's [`History`] (`KvKvProperty::property`); the enum only names
//! them for the expected matrix and the tests.

use super::checkers;
use super::history::History;
use crate::property::{Finding, Property};
use sim::explore::ClockRule;
use std::fmt;

/// One property of the KV registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KvProperty {
    NoDeadLookup,
    RegistrySurvives,
    CleanAtRest,
    NoLostWrites,
    CreateVisible,
    NoHang,
    Linearizable,
}

impl KvProperty {
    pub const ALL: [KvProperty; 7] = [
        KvProperty::NoDeadLookup,
        KvProperty::RegistrySurvives,
        KvProperty::CleanAtRest,
        KvProperty::NoLostWrites,
        KvProperty::CreateVisible,
        KvProperty::NoHang,
        KvProperty::Linearizable,
    ];

    pub fn name(self) -> &'static str {
        match self {
            KvProperty::NoDeadLookup => "no-dead-lookup",
            KvProperty::RegistrySurvives => "registry-survives",
            KvProperty::CleanAtRest => "clean-at-rest",
            KvProperty::NoLostWrites => "no-lost-writes",
            KvProperty::CreateVisible => "create-visible",
            KvProperty::NoHang => "no-hang",
            KvProperty::Linearizable => "linearizable",
        }
    }

    pub fn from_name(name: &str) -> Option<KvProperty> {
        KvProperty::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Which stamps the verdict compares, as the clock rule an exhaustive
    /// search judging it must keep (docs/search.md, "The global clock"): a
    /// call's stamp (`Ctx::now()` at invocation or response) with a process's
    /// exit stamp needs clock reads dependent with process ends
    /// ([`ClockRule::WithDeaths`]); one client's call stamps with another's
    /// needs every two clock reads dependent ([`ClockRule::Ordered`]).
    ///
    /// Per property:
    /// - `no-dead-lookup`: yes. A lookup is judged against the bucket's exit
    ///   *before its invocation*, a comparison of two stamps that differs
    ///   between orders of independent steps (the lookup's client and the
    ///   dying bucket).
    /// - `create-visible`: yes. A bucket ending within [create invoked,
    ///   lookup returned], and a dead answer judged against the lookup's
    ///   invocation, are comparisons with exit stamps.
    /// - `registry-survives`: no. It asks only whether the registry ended
    ///   (its exit stamp is present iff its exit reason is, and the reason is
    ///   part of the outcome); the times appear only in the message.
    /// - `clean-at-rest`: no. It reads the registry's maps at rest, whether
    ///   each mapped bucket ended and which buckets are alive: all part of the
    ///   outcome; `rest.at` and exit times appear only in the message.
    /// - `no-hang`: no. It reads the run error and whether each call
    ///   returned (a call's `returned` is present iff its `answer` is, which
    ///   the outcome holds).
    /// - `no-lost-writes`: no. It compares call stamps with call stamps only,
    ///   never with exits, so the clock rule (clock reads against deaths)
    ///   would not order anything it reads; and a bucket handles each put and
    ///   get inside that call's interval, so its handling order (the same in
    ///   every order of independent steps: it is one process's order) is a
    ///   linearization in every order of the clients.
    /// - `linearizable`: ordered. It compares call stamps of different
    ///   clients on different servers (a stop's response, which the bucket's
    ///   end answered, with another client's lookup, which the registry
    ///   answered), and no one process's order fixes which came first: two
    ///   independent client steps, swapped, swap the two stamps. The
    ///   soundness tests show DPOR under the weaker rule missing such a
    ///   violation that DFS finds.
    pub fn clock_rule(self) -> ClockRule {
        match self {
            KvProperty::NoDeadLookup | KvProperty::CreateVisible => ClockRule::WithDeaths,
            KvProperty::Linearizable => ClockRule::Ordered,
            KvProperty::RegistrySurvives | KvProperty::CleanAtRest | KvProperty::NoHang | KvProperty::NoLostWrites => {
                ClockRule::Ignored
            }
        }
    }

    /// Whether the verdict compares stamps at all.
    pub fn reads_clock(self) -> bool {
        self.clock_rule() != ClockRule::Ignored
    }

    /// Every property whose clock rule is at most `rule`, in order (for
    /// searches that must not order clock reads more than that).
    pub fn needing_at_most(rule: ClockRule) -> Vec<KvProperty> {
        KvProperty::ALL.into_iter().filter(|p| p.clock_rule() <= rule).collect()
    }

    /// The properties of `selection` that read the global clock, in order.
    pub fn clock_readers(selection: &[KvProperty]) -> Vec<KvProperty> {
        selection.iter().copied().filter(|p| p.reads_clock()).collect()
    }

    /// What the property's checker finds in `history`.
    pub fn find(self, history: &History) -> Option<Finding> {
        match self {
            KvProperty::NoDeadLookup => checkers::no_dead_lookup::find(history),
            KvProperty::RegistrySurvives => checkers::registry_survives::check(history).map(Finding::new),
            KvProperty::CleanAtRest => checkers::clean_at_rest::check(history).map(Finding::new),
            KvProperty::NoLostWrites => checkers::no_lost_writes::find(history),
            KvProperty::CreateVisible => checkers::create_visible::find(history),
            KvProperty::NoHang => checkers::no_hang::check(history).map(Finding::new),
            KvProperty::Linearizable => checkers::linearizable::find(history),
        }
    }

    /// The property as a value the harness judges.
    pub fn property(self) -> Property<History> {
        Property::new(self.name(), move |history| self.find(history)).needing(self.clock_rule())
    }

    /// Judges `history`.
    pub fn check(self, history: &History) -> Option<crate::property::Violation> {
        self.property().check(history)
    }
}

impl fmt::Display for KvProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::KvProperty;
    use crate::kv::checkers::testkit::{call, found, lookup, process};
    use crate::kv::history::History;
    use crate::property::Culprit;
    use sim::explore::ClockRule;
    use sim::Pid;

    #[test]
    fn a_dead_lookup_points_at_the_step_its_client_handled_the_answer() {
        let history = History {
            processes: vec![
                process(1, "registry", 0, None),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, Some(5)),
            ],
            calls: vec![call(1, lookup("a"), 7, Some(9), found(3))],
            registry: Some(Pid(1)),
            ..History::default()
        };
        let violation = KvProperty::NoDeadLookup.check(&history).expect("a violation");
        assert_eq!(violation.culprit, Some(Culprit { pid: Pid(2), step: 9 }));
        assert_eq!(KvProperty::RegistrySurvives.check(&history), None);
    }

    /// Exactly the two properties that compare call stamps with exit stamps,
    /// and the one that compares clients' calls, read the clock; only that
    /// one needs every two clock reads ordered.
    #[test]
    fn only_the_properties_comparing_stamps_read_the_clock() {
        let readers = KvProperty::clock_readers(&KvProperty::ALL);
        assert_eq!(readers, [KvProperty::NoDeadLookup, KvProperty::CreateVisible, KvProperty::Linearizable]);
        assert!(KvProperty::clock_readers(&[KvProperty::NoLostWrites, KvProperty::CleanAtRest]).is_empty());
        let ordered: Vec<_> = KvProperty::ALL.into_iter().filter(|p| p.clock_rule() == ClockRule::Ordered).collect();
        assert_eq!(ordered, [KvProperty::Linearizable]);
        assert_eq!(KvProperty::Linearizable.property().clock_rule(), ClockRule::Ordered);
    }

    /// The clock-free checkers give the same verdict when every stamp moves:
    /// only whether a process ended or a call returned counts.
    #[test]
    fn clock_free_verdicts_ignore_the_stamps() {
        let history = |bucket_exit: u64, lookup_at: u64| History {
            processes: vec![
                process(1, "registry", 0, Some(bucket_exit + 1)),
                process(2, "client1", 1, None),
                process(3, "bucket(a)", 2, Some(bucket_exit)),
            ],
            calls: vec![call(1, lookup("a"), lookup_at, None, None)],
            registry: Some(Pid(1)),
            ..History::default()
        };
        let (early, late) = (history(3, 9), history(12, 4));
        for property in KvProperty::ALL.into_iter().filter(|p| !p.reads_clock()) {
            let verdict = |h: &History| property.check(h).is_some();
            assert_eq!(verdict(&early), verdict(&late), "{property}");
        }
        assert!(KvProperty::RegistrySurvives.check(&early).is_some() && KvProperty::NoHang.check(&late).is_some());
    }
}
