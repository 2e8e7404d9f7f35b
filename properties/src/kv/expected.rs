//! What the registry variants' designs predict for each seed test and each
//! property: fails on some schedule, or passes on every one. The tests and
//! the main job's table are judged against this, never against what a run
//! happened to produce.
//!
//! Derived from Erlang's semantics as the executor's rules (revision 2)
//! implement them: a dying bucket is dead at once, and its `DOWN` to the
//! registry is a signal of its own. So in *both* delivery modes a client can
//! learn of the bucket's death (its stop returns, or its own `DOWN` arrives)
//! and reach the registry before the registry's `DOWN` does. Under revision
//! 1, where a death and all its signals were one step, `instant` delivery
//! hid that race; Concuerror (with instant delivery) finds it too.

use crate::kv::SeedTest;
use model::Variant;
use sim::Delivery;

/// True when some schedule of `test` on `variant` under `mode` must fail.
pub fn expected_to_fail(variant: Variant, _mode: Delivery, test: SeedTest) -> bool {
    use SeedTest::*;
    use Variant::*;
    match (variant, test) {
        (_, SpawnsBuckets) => false,
        // No monitors: a stopped bucket stays registered, on every schedule.
        (Unmonitored, RemovesOnExit) => true,
        // Linked: a `shutdown` exit kills the registry through the link;
        // unmonitored also keeps the stale name.
        (Unmonitored | Linked, RemovesOnCrash) => true,
        // The client's lookup can overtake the bucket's DOWN to the registry,
        // in either mode: the DOWN is sent after the bucket is already dead.
        (Linked | Monitored, RemovesOnExit) => true,
        (Monitored, RemovesOnCrash) => true,
        // A killed bucket's `killed` exit reaches the registry through the link.
        (Unmonitored | Linked, CrashKeepsRegistry) => true,
        (Monitored, CrashKeepsRegistry) => false,
        (Fixed, _) => false,
    }
}

/// True when the variant's design predicts that `property` breaks on some
/// generated workload and schedule of `variant` under `mode` (the same in
/// both modes: see the module doc).
pub fn expected_violation(variant: Variant, _mode: Delivery, property: super::KvProperty) -> bool {
    use super::KvProperty::*;
    use Variant::*;
    match (variant, property) {
        // No monitors: stopped buckets stay registered, and a crash kills the registry.
        (Unmonitored, NoDeadLookup | RegistrySurvives | CleanAtRest | CreateVisible) => true,
        // Linked buckets take the registry down.
        (Linked, RegistrySurvives) => true,
        // A lookup or a create can overtake a dead bucket's DOWN.
        (Linked | Monitored, NoDeadLookup | CreateVisible) => true,
        // A lookup answering a stopped bucket after its stop returned is
        // no order of a sequential store: every variant but `fixed`.
        (Unmonitored | Linked | Monitored, Linearizable) => true,
        _ => false,
    }
}
