//! Tokens of the KV registry: the envelope with the registry's op codec,
//! and the `kv1` / `kv2` tokens printed before the envelope.

use super::op::{Name, KEYS, NAMES};
use super::{Kv, Op};
use crate::token::{
    decode_any, encode, Token, TokenError, FIELDS, MAX_TOKEN_CHOICES, MAX_TOKEN_CLIENTS, MAX_TOKEN_OPS,
};
use crate::workload::{Workload, MAX_CLIENTS, MAX_OPS};
use model::Variant;
use proptest::prelude::*;
use sim::det::Rules;
use sim::Delivery;

/// A token of the registry's `variant`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KvToken {
    variant: Variant,
    workload: Workload<Op>,
    choices: Vec<u32>,
}

impl KvToken {
    fn encode(&self) -> String {
        encode(&Kv(self.variant), &self.workload, &self.choices)
    }

    fn decode(text: &str) -> Result<KvToken, TokenError> {
        let (Kv(variant), Token { workload, choices }) = decode_any(&Kv::all(), text)?;
        Ok(KvToken { variant, workload, choices })
    }
}

const SHELL_SAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:.,=()_-";

fn s(name: &str) -> Name {
    Name::new(name)
}

fn token(variant: Variant, mode: Delivery, clients: Vec<Vec<Op>>, choices: Vec<u32>) -> KvToken {
    KvToken { variant, workload: Workload::new(mode, clients), choices }
}

fn assert_shell_safe(text: &str) {
    assert!(text.chars().all(|c| SHELL_SAFE.contains(c)), "{text:?} is not shell-safe");
}

/// Encodes to the envelope's spelling of the `kv2` token `legacy`, decodes
/// back to itself from both, and is shell-safe.
fn assert_round_trip(t: &KvToken, legacy: &str) {
    let text = legacy.replacen("kv2:", "kvsim1:kv.", 1);
    assert_eq!(t.encode(), text);
    assert_eq!(KvToken::decode(&text), Ok(t.clone()));
    assert_eq!(KvToken::decode(legacy), Ok(t.clone()));
    assert_shell_safe(&text);
}

/// `text` is malformed; returns the message (checked to be one line).
fn malformed_msg(text: &str) -> String {
    match KvToken::decode(text) {
        Err(e @ TokenError::Malformed(_)) => {
            let shown = e.to_string();
            assert!(shown.starts_with("malformed token: "), "{shown}");
            assert!(!shown.contains('\n'), "{shown:?} is not one line");
            shown
        }
        other => panic!("{text:?} decoded to {other:?}, expected Malformed"),
    }
}

fn assert_malformed(text: &str, expected: &str) {
    let shown = malformed_msg(text);
    assert!(shown.contains(expected), "decoding {text:?}: {shown:?} does not contain {expected:?}");
}

#[test]
fn the_documented_example_round_trips() {
    let t = token(
        Variant::Monitored,
        Delivery::Spec,
        vec![vec![Op::Create(s("a")), Op::Stop(s("a")), Op::Lookup(s("a"))], vec![Op::Lookup(s("b"))]],
        vec![0, 1, 10, 40, 0],
    );
    assert_round_trip(&t, "kv2:monitored:spec:Ca.Sa.La,Lb:01a(40)0");
}

#[test]
fn one_client_every_op_letter() {
    let t = token(
        Variant::Fixed,
        Delivery::Instant,
        vec![vec![
            Op::Create(s("a")),
            Op::Lookup(s("b")),
            Op::Stop(s("c")),
            Op::Crash(s("a")),
            Op::Put(s("b"), "x", 7),
            Op::Get(s("c"), "x"),
        ]],
        vec![1],
    );
    assert_round_trip(&t, "kv2:fixed:instant:Ca.Lb.Sc.Ka.Pb=7.Gc:1");
}

#[test]
fn three_clients_with_empty_ones() {
    let t = token(Variant::Linked, Delivery::Spec, vec![vec![], vec![Op::Get(s("a"), "x")], vec![]], vec![2, 0]);
    assert_round_trip(&t, "kv2:linked:spec:-,Ga,-:20");
    let t = token(Variant::Unmonitored, Delivery::Instant, vec![vec![]], vec![]);
    assert_round_trip(&t, "kv2:unmonitored:instant:-:_");
}

#[test]
fn put_values_negative_zero_and_extremes() {
    let clients = vec![
        vec![Op::Put(s("a"), "x", -5), Op::Put(s("a"), "x", 0)],
        vec![Op::Put(s("b"), "x", i64::MIN), Op::Put(s("c"), "x", i64::MAX)],
    ];
    let t = token(Variant::Monitored, Delivery::Instant, clients, vec![]);
    assert_round_trip(&t, "kv2:monitored:instant:Pa=-5.Pa=0,Pb=-9223372036854775808.Pc=9223372036854775807:_");
}

#[test]
fn choices_at_digit_boundaries_and_big() {
    let t = token(
        Variant::Fixed,
        Delivery::Spec,
        vec![vec![Op::Create(s("abc"))]],
        vec![0, 9, 10, 35, 36, 100, u32::MAX, 35],
    );
    assert_round_trip(&t, "kv2:fixed:spec:Cabc:09az(36)(100)(4294967295)z");
}

#[test]
fn every_variant_and_mode_round_trips() {
    for variant in Variant::ALL {
        for mode in Delivery::ALL {
            let t = token(variant, mode, vec![vec![Op::Lookup(s("a"))]], vec![3]);
            let text = format!("kv2:{}:{}:La:3", variant.name(), mode.name());
            assert_round_trip(&t, &text);
        }
    }
}

#[test]
fn display_and_from_str_are_encode_and_decode() {
    let text = "kv2:linked:instant:Ca,Ka:1(37)";
    let t = KvToken::decode(text).unwrap();
    assert_eq!(t.encode(), "kvsim1:kv.linked:instant:Ca,Ka:1(37)");
}

#[test]
fn wrong_version() {
    for v in ["kv3", "kv0", "kv10", "kv01", "kv02", "kv", "kvx"] {
        let text = format!("{v}:monitored:spec:Ca:0");
        assert_eq!(KvToken::decode(&text), Err(TokenError::WrongVersion(v.to_string())));
    }
    // Checked before the field count: another version may have other fields.
    assert_eq!(KvToken::decode("kv3:whatever"), Err(TokenError::WrongVersion("kv3".into())));
    assert_eq!(
        TokenError::WrongVersion("kv3".into()).to_string(),
        "token version kv3 is not supported (this kvsim writes kvsim1)"
    );
}

/// A version-1 token (printed before rules revision 2) still decodes,
/// names revision 1, and keeps its one spelling.
#[test]
fn version_one_tokens_decode_under_revision_one() {
    let text = "kv1:monitored:spec:Cb.Sb.Sb:12";
    let t = KvToken::decode(text).unwrap();
    assert_eq!(t.workload.rules, Rules::V1);
    assert_eq!(t.encode(), text);
    let current = KvToken::decode("kv2:monitored:spec:Cb.Sb.Sb:12").unwrap();
    assert_eq!(current.workload.rules, Rules::V2);
    assert_ne!(t, current);
}

#[test]
fn not_a_kvsim_token() {
    for text in ["", "hello", "KV1:monitored:spec:Ca:0", " kv2:monitored:spec:Ca:0", "v1:fixed:spec:Ca:0"] {
        assert_malformed(text, "not a kvsim token");
    }
}

#[test]
fn wrong_number_of_fields() {
    assert_malformed("kv1", "expected 5 fields separated by ':'");
    assert_malformed("kv2:monitored:spec:Ca", "found 4");
    assert_malformed("kv2:monitored:spec:Ca:0:", "found 6");
    assert_malformed("kv2:monitored:spec:Ca:0:1", "found 6");
}

#[test]
fn unknown_variant_and_mode() {
    assert_eq!(
        KvToken::decode("kv2:foo:spec:Ca:0").unwrap_err().to_string(),
        "malformed token: unknown subject 'foo' (expected unmonitored, linked, monitored, fixed)"
    );
    assert_malformed("kv2::spec:Ca:0", "unknown subject ''");
    assert_malformed("kv2:Fixed:spec:Ca:0", "unknown subject 'Fixed'");
    assert_malformed(
        "kvsim1:monitored:spec:Ca:0",
        "unknown subject 'monitored' (expected kv.unmonitored, kv.linked, kv.monitored, kv.fixed)",
    );
    assert_eq!(
        KvToken::decode("kv2:fixed:slow:Ca:0").unwrap_err().to_string(),
        "malformed token: unknown delivery mode 'slow' (expected spec, instant)"
    );
}

#[test]
fn bad_clients() {
    assert_malformed("kv2:fixed:spec::0", "no clients");
    assert_malformed("kv2:fixed:spec:Ca,:0", "client 2 is empty");
    assert_malformed("kv2:fixed:spec:,Ca:0", "client 1 is empty");
    assert_malformed("kv2:fixed:spec:-.Ca:0", "client 1, op 1 '-': '-' stands for a client with no ops");
    assert_malformed("kv2:fixed:spec:--:0", "client 1, op 1 '--': '-' stands for a client with no ops");
}

#[test]
fn bad_ops() {
    assert_malformed("kv2:fixed:spec:Ca..La:0", "client 1, op 2: empty op");
    assert_malformed("kv2:fixed:spec:Ca.:0", "client 1, op 2: empty op");
    assert_malformed("kv2:fixed:spec:La,Ca.Xb:0", "client 2, op 2 'Xb': unknown op letter 'X'");
    assert_malformed("kv2:fixed:spec:ca:0", "unknown op letter 'c'");
    assert_malformed("kv2:fixed:spec:C:0", "client 1, op 1 'C': empty name");
    assert_malformed("kv2:fixed:spec:P=3:0", "empty name");
    assert_malformed("kv2:fixed:spec:CaB:0", "name 'aB' has 'B'");
    assert_malformed("kv2:fixed:spec:Ca1:0", "name 'a1' has '1'");
    assert_malformed("kv2:fixed:spec:Pa:0", "put has no value");
    assert_malformed("kv2:fixed:spec:Ga=1:0", "only P (put) takes '=<value>', not G");
}

#[test]
fn bad_put_values() {
    assert_malformed("kv2:fixed:spec:Pa=:0", "put value '' is not a decimal integer: no digits");
    assert_malformed("kv2:fixed:spec:Pa=-:0", "no digits");
    assert_malformed("kv2:fixed:spec:Pa=+1:0", "'+' is not a decimal digit");
    assert_malformed("kv2:fixed:spec:Pa=1x:0", "'x' is not a decimal digit");
    assert_malformed("kv2:fixed:spec:Pa=1=2:0", "'=' is not a decimal digit");
    assert_malformed("kv2:fixed:spec:Pa=007:0", "leading zero");
    assert_malformed("kv2:fixed:spec:Pa=-07:0", "leading zero");
    assert_malformed("kv2:fixed:spec:Pa=-0:0", "'-0' must be written '0'");
    assert_malformed("kv2:fixed:spec:Pa=9223372036854775808:0", "out of range for i64");
    assert_malformed("kv2:fixed:spec:Pa=-9223372036854775809:0", "out of range for i64");
}

#[test]
fn bad_choices() {
    assert_malformed("kv2:fixed:spec:Ca:", "choices field is empty (write '_' for no choices)");
    assert_malformed("kv2:fixed:spec:Ca:0_", "choice 2 (character 2 of the choices field): '_' stands for no choices");
    assert_malformed("kv2:fixed:spec:Ca:__", "choice 1 (character 1 of the choices field): '_'");
    assert_malformed("kv2:fixed:spec:Ca:01A", "choice 3 (character 3 of the choices field): unexpected 'A'");
    assert_malformed("kv2:fixed:spec:Ca:0 ", "unexpected ' '");
    assert_malformed("kv2:fixed:spec:Ca:0\n", "unexpected '\\n'");
    assert_malformed("kv2:fixed:spec:Ca:0)", "unexpected ')'");
    assert_malformed("kv2:fixed:spec:Ca:1(40", "choice 2 (character 2 of the choices field): '(' is never closed");
    assert_malformed("kv2:fixed:spec:Ca:()", "() is not a decimal number: no digits");
    assert_malformed("kv2:fixed:spec:Ca:(4x)", "(4x) is not a decimal number: 'x' is not a decimal digit");
    assert_malformed("kv2:fixed:spec:Ca:(-40)", "'-' is not a decimal digit");
    assert_malformed("kv2:fixed:spec:Ca:(040)", "leading zero");
    assert_malformed("kv2:fixed:spec:Ca:(4294967296)", "(4294967296) is out of range (at most 4294967295)");
    assert_malformed("kv2:fixed:spec:Ca:(5)", "(5) must be written as the digit '5'");
    assert_malformed("kv2:fixed:spec:Ca:(35)", "(35) must be written as the digit 'z'");
}

#[test]
fn error_messages_are_one_line_even_for_odd_input() {
    let shown = KvToken::decode("kv3\nx:a").unwrap_err().to_string();
    assert_eq!(shown, "token version kv3\\nx is not supported (this kvsim writes kvsim1)");
    let long = format!("kv2:{}:spec:Ca:0", "x".repeat(1000));
    let shown = malformed_msg(&long);
    assert!(shown.len() < 200, "{shown}");
    malformed_msg("kv2:fixed:spec:C\u{e9}:0");
}

/// Every piece of input a message echoes is cut at 40 characters, the
/// digits of an out-of-range choice included.
#[test]
fn a_huge_out_of_range_choice_is_cut_in_the_message() {
    let digits = "9".repeat(100_000);
    let shown = malformed_msg(&format!("kv1:fixed:spec:Ca:({digits})"));
    assert!(shown.contains("is out of range (at most 4294967295)"), "{shown}");
    assert!(shown.len() < 200, "{} characters", shown.len());
}

#[test]
fn tokens_past_the_limits_are_refused_at_once() {
    let at_limit = vec!["-"; MAX_TOKEN_CLIENTS].join(",");
    assert!(KvToken::decode(&format!("kv1:fixed:spec:{at_limit}:_")).is_ok());
    let many = vec!["-"; 30_000].join(",");
    assert_malformed(&format!("kv1:fixed:spec:{many}:_"), "30000 clients (a token holds at most 64)");
    let ops = vec!["La"; MAX_TOKEN_OPS + 1].join(".");
    assert_malformed(&format!("kv1:fixed:spec:-,{ops}:_"), "client 2 has 257 ops (at most 256 per client)");
    let ops = vec!["La"; MAX_TOKEN_OPS].join(".");
    assert!(KvToken::decode(&format!("kv1:fixed:spec:{ops}:_")).is_ok());
    let choices = "1".repeat(MAX_TOKEN_CHOICES);
    assert!(KvToken::decode(&format!("kv1:fixed:spec:Ca:{choices}")).is_ok());
    assert_malformed(&format!("kv1:fixed:spec:Ca:{choices}0"), "more than 10000 choices");
}

#[test]
fn token_error_is_a_std_error() {
    let e: Box<dyn std::error::Error> = Box::new(TokenError::Malformed("x".into()));
    assert_eq!(e.to_string(), "malformed token: x");
}

#[test]
#[should_panic(expected = "no clients")]
fn encode_refuses_a_workload_with_no_clients() {
    token(Variant::Fixed, Delivery::Spec, vec![], vec![]).encode();
}

#[test]
#[should_panic(expected = "no replay token can carry")]
fn encode_refuses_a_name_it_cannot_carry() {
    token(Variant::Fixed, Delivery::Spec, vec![vec![Op::Create(s("a:b"))]], vec![]).encode();
}

fn name_strategy() -> impl Strategy<Value = Name> + Clone {
    prop_oneof![3 => prop::sample::select(&NAMES[..]).prop_map(Name::from_static), 1 => "[a-z]{1,6}".prop_map(Name::from)]
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let name = name_strategy();
    prop_oneof![
        name.clone().prop_map(Op::Create),
        name.clone().prop_map(Op::Lookup),
        name.clone().prop_map(Op::Stop),
        name.clone().prop_map(Op::Crash),
        (name.clone(), prop::sample::select(&KEYS[..]), prop_oneof![-3..3i64, any::<i64>()])
            .prop_map(|(n, k, v)| Op::Put(n, k, v)),
        (name, prop::sample::select(&KEYS[..])).prop_map(|(n, k)| Op::Get(n, k)),
    ]
}

fn workload_strategy() -> impl Strategy<Value = Workload<Op>> {
    (
        prop::sample::select(Delivery::ALL.to_vec()),
        prop::sample::select(Rules::ALL.to_vec()),
        prop::collection::vec(prop::collection::vec(op_strategy(), 0..=MAX_OPS), 1..=MAX_CLIENTS),
    )
        .prop_map(|(mode, rules, clients)| Workload { mode, rules, clients })
}

fn token_strategy() -> impl Strategy<Value = KvToken> {
    (
        prop::sample::select(Variant::ALL.to_vec()),
        workload_strategy(),
        prop::collection::vec(prop_oneof![3 => 0..36u32, 1 => any::<u32>()], 0..40),
    )
        .prop_map(|(variant, workload, choices)| KvToken { variant, workload, choices })
}

proptest! {
    #[test]
    fn prop_round_trip(t in token_strategy()) {
        let text = t.encode();
        assert_shell_safe(&text);
        prop_assert!(!text.ends_with(':'));
        prop_assert_eq!(text.matches(':').count(), FIELDS - 1);
        prop_assert_eq!(KvToken::decode(&text), Ok(t));
    }

    /// One edit of a valid token either breaks it or spells another token
    /// exactly (one spelling per token), and never panics.
    #[test]
    fn prop_edited_tokens_are_rejected_or_canonical(
        t in token_strategy(),
        at in any::<prop::sample::Index>(),
        edit in 0..3u8,
        c in prop::sample::select(SHELL_SAFE.chars().chain([' ', '$', '\'', 'é']).collect::<Vec<_>>()),
    ) {
        let mut chars: Vec<char> = t.encode().chars().collect();
        match edit {
            0 => { let i = at.index(chars.len()); chars[i] = c; }
            1 => { let i = at.index(chars.len() + 1); chars.insert(i, c); }
            _ => { let i = at.index(chars.len()); chars.remove(i); }
        }
        let edited: String = chars.into_iter().collect();
        if let Ok(decoded) = KvToken::decode(&edited) {
            // A legacy `kv2` spelling (an edit of `kv1`) is read, and written in the envelope.
            let canonical = if edited.starts_with("kv2:") { edited.replacen("kv2:", "kvsim1:kv.", 1) } else { edited };
            prop_assert_eq!(decoded.encode(), canonical);
        }
    }

    #[test]
    fn prop_decode_never_panics(text in "\\PC{0,40}|kv1:[a-z]{0,12}:[a-z]{0,8}:[A-Za-z0-9.,=_-]{0,20}:[a-z0-9()_]{0,12}") {
        if let Ok(decoded) = KvToken::decode(&text) {
            prop_assert_eq!(decoded.encode(), text);
        }
    }
}
