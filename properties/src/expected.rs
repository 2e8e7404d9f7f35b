//! What DESIGN.md's variant table predicts for each seed test: fails on some
//! schedule, or passes on every one. The tests and the main job's table are
//! judged against this, never against what a run happened to produce.

use crate::SeedTest;
use model::Variant;
use sim::Delivery;

/// True when some schedule of `test` on `variant` under `mode` must fail.
pub fn expected_to_fail(variant: Variant, mode: Delivery, test: SeedTest) -> bool {
    use Delivery::*;
    use SeedTest::*;
    use Variant::*;
    match (variant, test) {
        (_, SpawnsBuckets) => false,
        // No monitors: a stopped bucket stays registered, on every schedule.
        (Unmonitored, RemovesOnExit) => true,
        // Linked: a `shutdown` exit kills the registry through the link;
        // unmonitored also keeps the stale name.
        (Unmonitored | Linked, RemovesOnCrash) => true,
        // The lookup can overtake the bucket's DOWN only when signals can be delayed.
        (Linked | Monitored, RemovesOnExit) => mode == Spec,
        (Monitored, RemovesOnCrash) => mode == Spec,
        // A killed bucket's `killed` exit reaches the registry through the link.
        (Unmonitored | Linked, CrashKeepsRegistry) => true,
        (Monitored, CrashKeepsRegistry) => false,
        (Fixed, _) => false,
    }
}

/// True when DESIGN.md's variant table predicts that `property` breaks on
/// some generated workload and schedule of `variant` under `mode`.
pub fn expected_violation(variant: Variant, mode: Delivery, property: crate::Property) -> bool {
    use crate::Property::*;
    use Delivery::*;
    use Variant::*;
    match (variant, property) {
        // No monitors: stopped buckets stay registered, and a crash kills the registry.
        (Unmonitored, NoDeadLookup | RegistrySurvives | CleanAtRest | CreateVisible) => true,
        // Linked buckets take the registry down; DOWN races need delayed delivery.
        (Linked, RegistrySurvives) => true,
        (Linked | Monitored, NoDeadLookup | CreateVisible) => mode == Spec,
        _ => false,
    }
}
