//! The shrinker's measure on the registry's operations.

use super::op::Name;
use super::{Kv, KvProperty, Op};
use crate::shrink::{Counterexample, Shrinker};
use crate::subject::Subject;
use crate::workload::Workload;
use model::Variant;
use sim::sched::ChoiceLog;
use sim::Delivery;

fn example(clients: Vec<Vec<Op>>, choices: ChoiceLog) -> Counterexample<Op> {
    Counterexample { workload: Workload::new(Delivery::Spec, clients), choices }
}

fn shrinker<'s>(subject: &'s Kv, property: &'s crate::property::Property<super::history::History>) -> Shrinker<'s, Kv> {
    Shrinker::new(subject, property)
}

#[test]
fn every_simpler_op_of_the_registry_is_less_complex() {
    let subject = Kv(Variant::Fixed);
    let a = || Name::from_static("a");
    let ops = [Op::Put(a(), "x", 5), Op::Put(a(), "y", 5), Op::Put(a(), "y", 0), Op::Put(a(), "x", 0)];
    let ops =
        ops.into_iter().chain([Op::Get(a(), "y"), Op::Get(a(), "x"), Op::Lookup(a()), Op::Create(a()), Op::Stop(a())]);
    for op in ops {
        for simpler in subject.simpler(&op) {
            assert!(subject.complexity(&simpler) < subject.complexity(&op), "{simpler} is not simpler than {op}");
        }
    }
}

#[test]
fn each_kind_of_step_lowers_the_measure() {
    let subject = Kv(Variant::Fixed);
    let property = KvProperty::NoDeadLookup.property();
    let s = shrinker(&subject, &property);
    let (la, lb) = (Op::Lookup("a".into()), Op::Lookup("b".into()));
    let best = example(vec![vec![la.clone()], vec![lb.clone(), Op::Put("a".into(), "x", 3)], vec![]], vec![2, 1]);
    let steps = [
        example(vec![vec![la.clone()], vec![lb.clone(), Op::Put("a".into(), "x", 3)]], vec![5, 5, 5]), // a client dropped
        example(vec![vec![la.clone(), lb.clone()], vec![Op::Put("a".into(), "x", 3)], vec![]], vec![]), // an op moved left
        example(vec![vec![la.clone()], vec![lb.clone(), Op::Put("a".into(), "x", 0)], vec![]], vec![9]), // simplified
        example(best.workload.clients.clone(), vec![2]), // shorter choices
        example(best.workload.clients.clone(), vec![1, 1]), // a smaller choice
    ];
    for step in steps {
        assert!(s.measure(&step) < s.measure(&best), "{:?} does not lower {:?}", step, best);
    }
}

#[test]
#[should_panic(expected = "did not lower the measure")]
fn a_step_that_does_not_lower_the_measure_is_caught() {
    let subject = Kv(Variant::Fixed);
    let mut best = example(vec![vec![Op::Lookup("a".into())]], vec![1]);
    let property = KvProperty::NoDeadLookup.property();
    shrinker(&subject, &property).accept(&mut best, example(vec![vec![Op::Get("a".into(), "x")]], vec![]));
}
