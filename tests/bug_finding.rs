//! The harness finds what the expected matrix says it should, and nothing else: every
//! predicted (variant, mode, property) violation is found within 10,000 runs,
//! shrinks within its size target, and its token replays to the same
//! violation; `fixed` breaks nothing over 10,000 runs in either mode.

use model::Variant;
use properties::check::{check, check_each, CheckConfig, Shard};
use properties::kv::{check_config, decode_token, expected_violation, Kv, KvProperty as Property};
use properties::Subject;
use sim::Delivery;

const RUNS: u64 = 10_000;

/// The shrink targets; other properties are held to the generator's bound.
fn size_target(property: Property) -> usize {
    match property {
        Property::NoDeadLookup => 4,
        Property::RegistrySurvives => 3,
        _ => 6,
    }
}

fn finds(variant: Variant, mode: Delivery, property: Property) {
    let config = CheckConfig { runs: RUNS, ..check_config(variant, mode, &[property]) };
    let label = format!("{variant} / {} / {property}", mode.name());
    let report = check(&config);
    let found = report.found.unwrap_or_else(|| panic!("{label}: predicted, not found in {RUNS} runs"));
    let ops = found.shrunk.workload.op_count();
    println!("{label}: found after {} executions, shrunk to {ops} ops", found.executions_to_failure);
    assert!(ops <= size_target(property), "{label}: shrunk to {ops} ops: {}", found.shrunk.workload);
    let (decoded, token) = decode_token(&found.token).expect("a token decodes");
    assert_eq!((decoded, &token.workload, &token.choices), (variant, &found.shrunk.workload, &found.shrunk.choices));
    let replay = Kv(decoded).replay(&token.workload, &token.choices);
    assert_eq!(
        property.check(&replay.history).map(|v| v.property),
        Some(property.name()),
        "{label}: the token did not replay"
    );
}

fn check_matrix_row(variant: Variant) {
    for mode in Delivery::ALL {
        for property in Property::ALL {
            if expected_violation(variant, mode, property) {
                finds(variant, mode, property);
            }
        }
    }
}

#[test]
fn unmonitored_violations_are_found_and_shrunk() {
    check_matrix_row(Variant::Unmonitored);
}

#[test]
fn linked_violations_are_found_and_shrunk() {
    check_matrix_row(Variant::Linked);
}

#[test]
fn monitored_violations_are_found_and_shrunk() {
    check_matrix_row(Variant::Monitored);
}

/// Nothing outside the predicted matrix breaks on the buggy variants either.
#[test]
fn no_unpredicted_violations() {
    for variant in [Variant::Unmonitored, Variant::Linked, Variant::Monitored] {
        for mode in Delivery::ALL {
            let quiet: Vec<Property> =
                Property::ALL.into_iter().filter(|&p| !expected_violation(variant, mode, p)).collect();
            let config = CheckConfig { runs: 2_000, seed: 1, ..check_config(variant, mode, &quiet) };
            if let Some(found) = check(&config).found {
                panic!("{variant} / {}: unpredicted {}\n{}", mode.name(), found.violation, found.token);
            }
        }
    }
}

#[test]
fn fixed_holds_every_property_in_both_modes() {
    for mode in Delivery::ALL {
        let config = CheckConfig { runs: RUNS, seed: 7, ..check_config(Variant::Fixed, mode, &Property::ALL) };
        let report = check(&config);
        if let Some(found) = report.found {
            panic!("fixed / {}: {}\n{}", mode.name(), found.violation, found.token);
        }
        assert_eq!(report.runs_done, RUNS);
    }
}

/// A token replays to a byte-identical trace, every time.
#[test]
fn a_token_replays_to_the_same_trace_bytes() {
    let config = CheckConfig {
        runs: RUNS,
        seed: 3,
        ..check_config(Variant::Monitored, Delivery::Spec, &[Property::NoDeadLookup])
    };
    let found = check(&config).found.expect("monitored / spec breaks no-dead-lookup");
    let (variant, token) = decode_token(&found.token).expect("a token decodes");
    let first = Kv(variant).replay(&token.workload, &token.choices).trace.expect("traced").to_string();
    let second = Kv(variant).replay(&token.workload, &token.choices).trace.expect("traced").to_string();
    assert!(!first.is_empty());
    assert_eq!(first, second);
}

/// `--jobs` never changes the answer: the failure reported is the one at the
/// lowest run, not the one some thread happened to find first.
#[test]
fn jobs_do_not_change_the_first_failure() {
    for (variant, mode, property) in [
        (Variant::Monitored, Delivery::Spec, Property::CreateVisible),
        (Variant::Linked, Delivery::Spec, Property::NoDeadLookup),
    ] {
        let one = CheckConfig { seed: 11, ..check_config(variant, mode, &[property]) };
        let first = check(&one).found.expect("a predicted violation");
        for jobs in [2, 3] {
            let found = check(&CheckConfig { jobs, ..one.clone() }).found.expect("found with more jobs too");
            assert_eq!((found.run, found.executions_to_failure), (first.run, first.executions_to_failure));
            assert_eq!(found.token, first.token, "{jobs} jobs");
        }
    }
}

/// Shards together explore exactly the runs one machine would: the lowest
/// failing run over all shards is the unsharded first failure.
#[test]
fn shards_together_find_the_unsharded_first_failure() {
    let whole = CheckConfig { seed: 5, ..check_config(Variant::Monitored, Delivery::Spec, &[Property::CreateVisible]) };
    let first = check(&whole).found.expect("a predicted violation").run;
    let shards = (1..=3).map(|i| Shard::new(i, 3).expect("a valid shard"));
    let lowest = shards.filter_map(|shard| check(&CheckConfig { shard, ..whole.clone() }).found.map(|f| f.run)).min();
    assert_eq!(lowest, Some(first));
}

/// The no-dead-lookup shrink target holds across seeds, not only on seed 0.
#[test]
fn dead_lookups_shrink_to_four_ops_on_twenty_seeds() {
    for variant in [Variant::Unmonitored, Variant::Linked, Variant::Monitored] {
        for seed in 0..20 {
            let config = CheckConfig { seed, ..check_config(variant, Delivery::Spec, &[Property::NoDeadLookup]) };
            let found = check(&config).found.unwrap_or_else(|| panic!("{variant} seed {seed}: not found"));
            let ops = found.shrunk.workload.op_count();
            assert!(ops <= 4, "{variant} seed {seed}: {ops} ops: {}", found.token);
        }
    }
}

/// One search judging every property reports, per property, exactly what a
/// check of that property alone reports (the bug hunt relies on it).
#[test]
fn check_each_agrees_with_one_check_per_property() {
    for (variant, mode) in [(Variant::Monitored, Delivery::Spec), (Variant::Unmonitored, Delivery::Instant)] {
        let config = CheckConfig { runs: 3_000, seed: 2, ..check_config(variant, mode, &Property::ALL) };
        let each = check_each(&config, &|_| {});
        assert_eq!(each.reports.len(), Property::ALL.len());
        for (property, report) in Property::ALL.into_iter().zip(&each.reports) {
            let alone = check(&CheckConfig { properties: vec![property.property()], ..config.clone() });
            let key = |r: &properties::check::CheckReport<Kv>| {
                (r.covered, r.found.as_ref().map(|f| (f.run, f.executions_to_failure, f.token.clone())))
            };
            assert_eq!(key(report), key(&alone), "{variant} / {} / {property}", mode.name());
        }
    }
}
