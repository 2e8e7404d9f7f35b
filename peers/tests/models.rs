//! The peers' models check the bug kvsim checks: each finds the dead lookup,
//! and nothing else goes wrong (`cargo test -p peers`; not part of the
//! root's `cargo test`).

#[allow(dead_code)]
#[path = "../benches/peers/on_shuttle.rs"]
mod on_shuttle;

#[allow(dead_code)]
#[path = "../benches/peers/on_loom.rs"]
mod on_loom;

#[test]
fn shuttle_finds_the_dead_lookup_and_nothing_else() {
    let tally = on_shuttle::round(0, 500);
    assert_eq!(tally.executions, 500);
    assert!(tally.races > 0 && tally.races < tally.executions, "{tally:?}");
    assert_eq!(tally.other_failures, 0, "{tally:?}");
}

#[test]
fn loom_finds_the_dead_lookup_within_two_preemptions() {
    let exhausted = on_loom::exhaust(Some(2));
    assert!(exhausted.races > 0 && exhausted.races < exhausted.executions, "{exhausted:?}");
    assert_eq!(exhausted.missed_creates, 0, "{exhausted:?}");
}
