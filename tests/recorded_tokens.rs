//! Tokens users already have keep replaying. Every `kv1` token below was
//! printed by kvsim before rules revision 2 (the README's walk-through, the
//! bug hunt's rows, the token grammar's examples), and every `kv2` token by
//! the build that introduced revision 2 (the bug hunt's rows, the README's
//! examples); the trace hash and step count of each were recorded then, by
//! that build's `replay --json`. Each must replay to the very same trace,
//! byte for byte, under its own revision's rules, whatever later revisions
//! add.

use properties::kv::{decode_token, encode_token, Kv};
use properties::Subject;
use sim::det::Rules;

/// (token, FNV-1a hash of its replayed trace, steps), as recorded before revision 2.
const RECORDED_KV1: [(&str, u64, u64); 25] = [
    ("kv1:fixed:instant:Ca.Lb.Sc.Ka.Pb=7.Gc:1", 0xcafab10127b42ba5, 19),
    ("kv1:fixed:spec:Ca:0", 0x30f57a8c2389136d, 7),
    ("kv1:fixed:spec:Ca:01", 0x30f57a8c2389136d, 7),
    ("kv1:fixed:spec:Cabc:09az(36)(100)(4294967295)z", 0xb3af46da9d705161, 7),
    ("kv1:linked:instant:Ca,Ka:1(37)", 0x6d14fb2def98c5c2, 5),
    ("kv1:linked:instant:Ca.Ka:_", 0x28776d0dc2c6f34c, 4),
    ("kv1:linked:spec:-,Ga,-:20", 0xaa0a3af604d50d6f, 7),
    ("kv1:linked:spec:Ca.Ka:_", 0x72075d4037ce8ac3, 6),
    ("kv1:linked:spec:Cb.Sb,Cb.Lb:00000110101", 0x322a43603016520c, 14),
    ("kv1:linked:spec:Cb.Sb.Kb:01", 0x1a8c88e86f0908b5, 12),
    ("kv1:monitored:instant:Pa=-5.Pa=0,Pb=-9223372036854775808.Pc=9223372036854775807:_", 0x353ef1363737a80e, 12),
    ("kv1:monitored:spec:Ca.Sa.Ca.La:00212", 0x9175548c7bd437e4, 15),
    ("kv1:monitored:spec:Ca.Sa.Ga:12", 0xf2619c7f1b516ab2, 16),
    ("kv1:monitored:spec:Ca.Sa.La,Lb:01a(40)0", 0xd7e436fa92087180, 17),
    ("kv1:monitored:spec:Ca:0", 0x5dc8d3ac263d33fd, 6),
    ("kv1:monitored:spec:Cb.Sb.Sb:12", 0xf9b41044012eed38, 16),
    ("kv1:unmonitored:instant:-:_", 0xf32b7e3a404e4cf1, 3),
    ("kv1:unmonitored:instant:Ca.Ka:_", 0x28776d0dc2c6f34c, 4),
    ("kv1:unmonitored:instant:Ca.Sa:_", 0x3aac50a1b16757ce, 8),
    ("kv1:unmonitored:instant:Cb.Sb.Cb.Sb:_", 0x0e3f5f3de16583f5, 12),
    ("kv1:unmonitored:instant:Cb.Sb.Sb:_", 0xc85d6ce420bfd472, 11),
    ("kv1:unmonitored:spec:Ca.Ka:_", 0x3229787e1c2a1a65, 6),
    ("kv1:unmonitored:spec:Ca.Sa:_", 0xc1d7cca5ac050c55, 9),
    ("kv1:unmonitored:spec:Cb.Sb.Cb.Sb:_", 0xdcad0faacc6a6ba9, 13),
    ("kv1:unmonitored:spec:Cb.Sb.Sb:_", 0xb9b4639b77afe398, 12),
];

/// (token, hash, steps), as recorded by the build that introduced revision 2.
const RECORDED_KV2: [(&str, u64, u64); 19] = [
    ("kv2:linked:instant:Ca.Ka:_", 0x08d655387ac7d4ec, 5),
    ("kv2:linked:instant:Cb.Sb,Cb.Lb:0100012", 0x6822defe8344e149, 14),
    ("kv2:linked:instant:Cb.Sb.Sb:1", 0xf71d197508afaabd, 13),
    ("kv2:linked:spec:Ca.Ka:_", 0x72075d4037ce8ac3, 6),
    ("kv2:linked:spec:Cb.Sb,Cb.Lb:010001202011", 0xdc60e34bb899612f, 15),
    ("kv2:linked:spec:Cb.Sb.Kb:01", 0xbcd56c47786cd098, 13),
    ("kv2:monitored:instant:Ca.Sa,La:0000000011000", 0x4bcfd04f4cfb6e39, 15),
    ("kv2:monitored:instant:Ca.Sa.Ca.Sa:2", 0xeabe86670237eb05, 16),
    ("kv2:monitored:instant:Cb.Sb.Sb:2", 0x7f2123ba4913d1ca, 15),
    ("kv2:monitored:spec:Ca.Sa.La:12", 0x734a8b5984ff10eb, 16),
    ("kv2:monitored:spec:Cb.Sb.Cb.Lb:0001001", 0xbbe748618c0c42f7, 16),
    ("kv2:unmonitored:instant:Ca.Ka:_", 0x22772263a90af435, 5),
    ("kv2:unmonitored:instant:Ca.Sa:_", 0x7f540bfd4aecac83, 9),
    ("kv2:unmonitored:instant:Cb.Sb.Cb.Sb:_", 0x7ffdc6d88cb127d2, 13),
    ("kv2:unmonitored:instant:Cb.Sb.Sb:_", 0xcb47d52fbae4010e, 12),
    ("kv2:unmonitored:spec:Ca.Ka:_", 0x3229787e1c2a1a65, 6),
    ("kv2:unmonitored:spec:Ca.Sa:_", 0xc1d7cca5ac050c55, 9),
    ("kv2:unmonitored:spec:Cb.Sb.Cb.Sb:_", 0xdcad0faacc6a6ba9, 13),
    ("kv2:unmonitored:spec:Cb.Sb.Sb:_", 0xb9b4639b77afe398, 12),
];

/// Replays each recorded token and compares its trace with the recording.
fn replays_as_recorded(recorded: &[(&str, u64, u64)], rules: Rules) {
    for &(text, hash, steps) in recorded {
        let (variant, token) = decode_token(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(token.workload.rules, rules, "{text}");
        let run = Kv(variant).replay(&token.workload, &token.choices);
        let trace = run.trace.expect("a replay is traced");
        assert_eq!((trace.hash(), run.steps), (hash, steps), "{text} replayed to another trace:\n{trace}");
        if rules == Rules::CURRENT {
            // The same run, written in the envelope, replays to the same trace.
            let envelope = encode_token(variant, &token.workload, &token.choices);
            assert!(envelope.starts_with("kvsim1:kv."), "{envelope}");
            let (again, token) = decode_token(&envelope).expect("the envelope decodes");
            let run = Kv(again).replay(&token.workload, &token.choices);
            assert_eq!((run.trace.expect("traced").hash(), run.steps), (hash, steps), "{envelope}");
        }
    }
}

#[test]
fn every_recorded_kv1_token_replays_to_its_recorded_trace() {
    replays_as_recorded(&RECORDED_KV1, Rules::V1);
}

#[test]
fn every_recorded_kv2_token_replays_to_its_recorded_trace() {
    replays_as_recorded(&RECORDED_KV2, Rules::V2);
}

/// The same workload and choices under the current rules are a different
/// run wherever a process dies while others act (the README's walk-through
/// token among them), so the test above would fail if kv1 tokens were
/// replayed under revision 2.
#[test]
fn the_current_rules_run_kv1_choices_differently() {
    let changed: Vec<&str> = RECORDED_KV1
        .iter()
        .filter(|(text, hash, _)| {
            let (variant, mut token) = decode_token(text).expect("decodes");
            token.workload.rules = Rules::CURRENT;
            let run = Kv(variant).replay(&token.workload, &token.choices);
            run.trace.expect("traced").hash() != *hash
        })
        .map(|(text, _, _)| *text)
        .collect();
    assert!(changed.contains(&"kv1:monitored:spec:Cb.Sb.Sb:12"), "{changed:?}");
}

/// Tokens in the envelope, as this build's hunt printed them (the registry's
/// rows and the bank example's), with the trace hash and steps of each.
/// Replayed through the command line, so the subject table is what picks
/// each token's subject.
const RECORDED_KVSIM1: [(&str, u64, u64); 20] = [
    ("kvsim1:bank.racy:instant:T1=1,T0=2:00011", 0x8670ab8296eed8c8, 18),
    ("kvsim1:bank.racy:spec:T1=1,T0=2:1100001011", 0xccc6e2727ffdbe7d, 18),
    ("kvsim1:kv.linked:instant:Ca.Ka:_", 0x08d655387ac7d4ec, 5),
    ("kvsim1:kv.linked:instant:Cb.Sb,Cb.Lb:0100012", 0x6822defe8344e149, 14),
    ("kvsim1:kv.linked:instant:Cb.Sb.Sb:01", 0x9980b9958eb62792, 13),
    ("kvsim1:kv.linked:spec:Ca.Ka:_", 0x72075d4037ce8ac3, 6),
    ("kvsim1:kv.linked:spec:Cb.Sb,Cb.Lb:000000111001", 0xaa56d34d9befa92f, 15),
    ("kvsim1:kv.linked:spec:Cb.Sb.Sb:1", 0xbef70ac7c14684bf, 14),
    ("kvsim1:kv.monitored:instant:Ca.Ka.La:_", 0x93203450ce4ecebe, 12),
    ("kvsim1:kv.monitored:instant:Cb.Sb.Cb.Kb:011", 0x2ac71f7bfd12c49d, 16),
    ("kvsim1:kv.monitored:spec:Ca.Sa.Ca.Sa:0001001", 0xab63e684b65f0620, 16),
    ("kvsim1:kv.monitored:spec:Ca.Sa.La:002", 0xfaaa75f6e67bf06e, 15),
    ("kvsim1:kv.unmonitored:instant:Ca.Ka:_", 0x22772263a90af435, 5),
    ("kvsim1:kv.unmonitored:instant:Cb.Sb,Cb.Lb:_", 0x79b4d6b8d656213c, 13),
    ("kvsim1:kv.unmonitored:instant:Cb.Sb.Sb:_", 0xcb47d52fbae4010e, 12),
    ("kvsim1:kv.unmonitored:instant:Cb.Sb:_", 0xb99fde1a971a9368, 9),
    ("kvsim1:kv.unmonitored:spec:Ca.Ka:_", 0x3229787e1c2a1a65, 6),
    ("kvsim1:kv.unmonitored:spec:Cb.Sb,Cb.Lb:_", 0x9eacf957cefb9851, 13),
    ("kvsim1:kv.unmonitored:spec:Cb.Sb.Sb:_", 0xb9b4639b77afe398, 12),
    ("kvsim1:kv.unmonitored:spec:Cb.Sb:_", 0x821392613763898c, 9),
];

#[test]
fn every_recorded_kvsim1_token_replays_to_its_recorded_trace_from_the_command_line() {
    for &(text, hash, steps) in &RECORDED_KVSIM1 {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_kvsim"))
            .args(["replay", "--json", text])
            .output()
            .expect("kvsim runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let last = stdout.lines().last().unwrap_or_default();
        let object: serde_json::Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{text}: {e}: {last}"));
        let got = (object["trace_hash"].as_str(), object["steps"].as_u64());
        assert_eq!(got, (Some(format!("{hash:016x}").as_str()), Some(steps)), "{text} replayed to another trace");
    }
}
