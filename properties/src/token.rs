//! Replay tokens: one printable, shell-safe word that reruns a run exactly.
//!
//! A [`Token`] carries what a replay needs and nothing else: the registry
//! [`Variant`], the [`Workload`] (its delivery mode and client scripts) and the
//! scheduler's [`ChoiceLog`]. Its text uses only `A-Z a-z 0-9 : . , = ( ) _ -`,
//! so it can be pasted into a shell unquoted.
//!
//! Grammar (versions 1 and 2 share it; only the first field differs):
//!
//! ```text
//! token    = version ":" variant ":" mode ":" clients ":" choices
//! version  = "kv2"                              ; rules revision 2 (what this build writes)
//!          | "kv1"                              ; rules revision 1 (still replayed)
//! variant  = "unmonitored" | "linked" | "monitored" | "fixed"
//! mode     = "spec" | "instant"
//! clients  = client *( "," client )             ; at least one client
//! client   = "-"                                ; a client with no ops
//!          | op *( "." op )
//! op       = ( "C" | "L" | "S" | "K" | "G" ) name   ; create lookup stop crash get
//!          | "P" name "=" int                   ; put
//! name     = 1*( "a".."z" )
//! int      = [ "-" ] ( "0" | "1".."9" *( "0".."9" ) )   ; an i64, never "-0"
//! choices  = "_"                                ; the empty log
//!          | 1*choice
//! choice   = "0".."9" | "a".."z"                ; 0..=35, one base-36 digit
//!          | "(" nat ")"                        ; 36..=u32::MAX, in decimal
//! nat      = "1".."9" *( "0".."9" )
//! ```
//!
//! Example: `kv2:monitored:spec:Ca.Sa.La,Lb:01a(40)0`.
//!
//! The version names the executor's event rules ([`Rules`]) the choices were
//! recorded under: a `kv1` token replays under revision 1, exactly as the
//! build that printed it did, and a `kv2` token under revision 2.
//!
//! Limits: at most [`MAX_TOKEN_CLIENTS`] clients, [`MAX_TOKEN_OPS`] ops per
//! client and [`MAX_TOKEN_CHOICES`] choices (the default step bound: a run
//! makes at most one choice per step). A token past one is malformed, so a
//! replay's cost is bounded before it starts.
//!
//! Decoding is strict: every token has exactly one spelling, so
//! `Token::decode(t)?.encode() == t` for every `t` that decodes. Anything else
//! (trailing garbage, an empty name, an unknown letter, a choice spelled in
//! decimal that fits in a digit, leading zeros, overflow...) is
//! [`TokenError::Malformed`], with the field and position at fault. A first
//! field `kv...` other than `kv1` or `kv2` is [`TokenError::WrongVersion`].

use crate::workload::{Op, Workload};
use model::registry::Variant;
use sim::det::Rules;
use sim::sched::ChoiceLog;
use sim::Delivery;
use std::fmt::{self, Write as _};
use std::str::FromStr;

/// The token format this build writes (it also reads every version of [`Rules`]).
pub const TOKEN_VERSION: u32 = 2;

/// Number of `:`-separated fields in a token.
const FIELDS: usize = 5;

/// The most clients a token may hold (generated workloads have at most 3).
pub const MAX_TOKEN_CLIENTS: usize = 64;
/// The most ops one client of a token may hold (generated workloads: at most 8).
pub const MAX_TOKEN_OPS: usize = 256;
/// The most choices a token may hold: one per step, at most the default step bound.
pub const MAX_TOKEN_CHOICES: usize = sim::det::Config::DEFAULT_MAX_STEPS as usize;

/// Everything a replay needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub variant: Variant,
    pub workload: Workload<Op>,
    pub choices: ChoiceLog,
}

/// Why a text is not a token this build can replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// The first field names another format version (holds that field, e.g. `"kv3"`).
    WrongVersion(String),
    /// Not a well-formed token (holds the reason, with where).
    Malformed(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::WrongVersion(found) => {
                write!(f, "token version {} is not supported (this kvsim reads kv1 and kv2)", shown(found))
            }
            TokenError::Malformed(why) => write!(f, "malformed token: {why}"),
        }
    }
}

impl std::error::Error for TokenError {}

impl Token {
    /// The token's text (see the module's grammar).
    ///
    /// # Panics
    ///
    /// If the workload has no client, or an op's name is not 1+ lowercase
    /// ASCII letters: such a workload has no token (and never comes out of
    /// the generator or the shrinker).
    pub fn encode(&self) -> String {
        assert!(!self.workload.clients.is_empty(), "a workload with no clients has no replay token");
        let version = version_field(self.workload.rules);
        let mut out = format!("{version}:{}:{}:", self.variant.name(), self.workload.mode.name());
        for (i, ops) in self.workload.clients.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if ops.is_empty() {
                out.push('-');
            }
            for (j, op) in ops.iter().enumerate() {
                if j > 0 {
                    out.push('.');
                }
                let name = op.name();
                assert!(
                    check_name(name).is_ok(),
                    "op {op} of client {} has a name that no replay token can carry (names are 1+ letters a-z)",
                    i + 1
                );
                out.push(op_letter(op));
                out.push_str(name);
                if let Op::Put(_, value) = op {
                    write!(out, "={value}").expect("writing to a String");
                }
            }
        }
        out.push(':');
        if self.choices.is_empty() {
            out.push('_');
        }
        for &choice in &self.choices {
            match char::from_digit(choice, 36) {
                Some(digit) => out.push(digit),
                None => write!(out, "({choice})").expect("writing to a String"),
            }
        }
        out
    }

    /// Reads a token's text; strict (see the module's doc).
    pub fn decode(text: &str) -> Result<Token, TokenError> {
        let fields: Vec<&str> = text.split(':').collect();
        let version = fields[0];
        let Some(rules) = rules_of(version) else {
            return Err(if version.starts_with("kv") {
                TokenError::WrongVersion(version.to_string())
            } else {
                malformed(format!(
                    "not a kvsim token (found {}, a token starts with '{}:')",
                    quoted(version),
                    version_field(Rules::CURRENT)
                ))
            });
        };
        if fields.len() != FIELDS {
            return Err(malformed(format!(
                "expected {FIELDS} fields separated by ':' ({version}:<variant>:<mode>:<clients>:<choices>), found {}",
                fields.len()
            )));
        }
        let variant = Variant::from_name(fields[1]).ok_or_else(|| {
            let known: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
            malformed(format!("unknown variant {} (expected {})", quoted(fields[1]), known.join(", ")))
        })?;
        let mode = Delivery::from_name(fields[2]).ok_or_else(|| {
            let known: Vec<&str> = Delivery::ALL.iter().map(|d| d.name()).collect();
            malformed(format!("unknown delivery mode {} (expected {})", quoted(fields[2]), known.join(", ")))
        })?;
        let clients = decode_clients(fields[3])?;
        let choices = decode_choices(fields[4])?;
        Ok(Token { variant, workload: Workload { mode, rules, clients }, choices })
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl FromStr for Token {
    type Err = TokenError;

    fn from_str(text: &str) -> Result<Token, TokenError> {
        Token::decode(text)
    }
}

/// The first field of a token recorded under `rules`.
fn version_field(rules: Rules) -> &'static str {
    match rules {
        Rules::V1 => "kv1",
        Rules::V2 => "kv2",
    }
}

/// The rules a token's first field names, if it names any.
fn rules_of(version: &str) -> Option<Rules> {
    Rules::ALL.into_iter().find(|&rules| version_field(rules) == version)
}

fn malformed(why: String) -> TokenError {
    TokenError::Malformed(why)
}

/// A piece of the input as shown in a message: escaped to one line, and cut
/// if long.
fn shown(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut out: String = text.chars().take(MAX_CHARS).flat_map(char::escape_debug).collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push_str("...");
    }
    out
}

fn quoted(text: &str) -> String {
    format!("'{}'", shown(text))
}

fn quoted_char(c: char) -> String {
    format!("'{}'", c.escape_debug())
}

fn op_letter(op: &Op) -> char {
    match op {
        Op::Create(_) => 'C',
        Op::Lookup(_) => 'L',
        Op::Stop(_) => 'S',
        Op::Crash(_) => 'K',
        Op::Put(..) => 'P',
        Op::Get(_) => 'G',
    }
}

fn decode_clients(field: &str) -> Result<Vec<Vec<Op>>, TokenError> {
    if field.is_empty() {
        return Err(malformed("no clients (a token has at least one; write '-' for a client with no ops)".into()));
    }
    let count = field.split(',').count();
    if count > MAX_TOKEN_CLIENTS {
        return Err(malformed(format!("{count} clients (a token holds at most {MAX_TOKEN_CLIENTS})")));
    }
    let mut clients = Vec::new();
    for (i, client) in field.split(',').enumerate() {
        let number = i + 1;
        if client == "-" {
            clients.push(Vec::new());
            continue;
        }
        if client.is_empty() {
            return Err(malformed(format!("client {number} is empty (write '-' for a client with no ops)")));
        }
        let count = client.split('.').count();
        if count > MAX_TOKEN_OPS {
            return Err(malformed(format!("client {number} has {count} ops (at most {MAX_TOKEN_OPS} per client)")));
        }
        let mut ops = Vec::new();
        for (j, op) in client.split('.').enumerate() {
            let decoded = decode_op(op).map_err(|why| {
                let shown_op = if op.is_empty() { String::new() } else { format!(" {}", quoted(op)) };
                malformed(format!("client {number}, op {}{shown_op}: {why}", j + 1))
            })?;
            ops.push(decoded);
        }
        clients.push(ops);
    }
    Ok(clients)
}

/// One op's text, or why it is not one (the caller says where).
fn decode_op(text: &str) -> Result<Op, String> {
    let mut chars = text.chars();
    let letter = chars.next().ok_or("empty op (a '.' with no op on one side)")?;
    let rest = chars.as_str();
    let (name, value) = match rest.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (rest, None),
    };
    let build: fn(String) -> Op = match letter {
        'C' => Op::Create,
        'L' => Op::Lookup,
        'S' => Op::Stop,
        'K' => Op::Crash,
        'G' => Op::Get,
        'P' => {
            check_name(name)?;
            let value = value.ok_or("put has no value (write P<name>=<value>)")?;
            return Ok(Op::Put(name.to_string(), decode_i64(value)?));
        }
        '-' => return Err("'-' stands for a client with no ops and must be alone".into()),
        other => return Err(format!("unknown op letter {} (expected C, L, S, K, P or G)", quoted_char(other))),
    };
    check_name(name)?;
    if value.is_some() {
        return Err(format!("only P (put) takes '=<value>', not {letter}"));
    }
    Ok(build(name.to_string()))
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("empty name (names are 1+ letters a-z)".into());
    }
    match name.chars().find(|c| !c.is_ascii_lowercase()) {
        None => Ok(()),
        Some(bad) => Err(format!("name {} has {} (names are 1+ letters a-z)", quoted(name), quoted_char(bad))),
    }
}

/// Canonical decimal digits: no sign, no leading zero, not empty.
fn check_digits(digits: &str) -> Result<(), String> {
    if digits.is_empty() {
        return Err("no digits".into());
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!("{} is not a decimal digit", quoted_char(bad)));
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return Err("leading zero".into());
    }
    Ok(())
}

fn decode_i64(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    check_digits(digits).map_err(|why| format!("put value {} is not a decimal integer: {why}", quoted(text)))?;
    if text == "-0" {
        return Err("put value '-0' must be written '0'".into());
    }
    text.parse::<i64>().map_err(|_| format!("put value {} is out of range for i64", quoted(text)))
}

fn decode_choices(field: &str) -> Result<ChoiceLog, TokenError> {
    if field == "_" {
        return Ok(Vec::new());
    }
    if field.is_empty() {
        return Err(malformed("choices field is empty (write '_' for no choices)".into()));
    }
    let chars: Vec<char> = field.chars().collect();
    let mut choices = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if choices.len() == MAX_TOKEN_CHOICES {
            return Err(malformed(format!(
                "more than {MAX_TOKEN_CHOICES} choices (one per step, at most the step bound)"
            )));
        }
        let c = chars[at];
        // Where, for messages: 1-based choice number and character in the field.
        let here = format!("choice {} (character {} of the choices field)", choices.len() + 1, at + 1);
        match c {
            '0'..='9' | 'a'..='z' => {
                choices.push(c.to_digit(36).expect("a base-36 digit"));
                at += 1;
            }
            '(' => {
                let close = chars[at + 1..]
                    .iter()
                    .position(|&c| c == ')')
                    .map(|offset| at + 1 + offset)
                    .ok_or_else(|| malformed(format!("{here}: '(' is never closed by ')'")))?;
                let digits: String = chars[at + 1..close].iter().collect();
                check_digits(&digits)
                    .map_err(|why| malformed(format!("{here}: ({}) is not a decimal number: {why}", shown(&digits))))?;
                let choice = digits.parse::<u32>().map_err(|_| {
                    malformed(format!("{here}: ({}) is out of range (at most {})", shown(&digits), u32::MAX))
                })?;
                if let Some(digit) = char::from_digit(choice, 36) {
                    return Err(malformed(format!(
                        "{here}: ({}) must be written as the digit '{digit}'",
                        shown(&digits)
                    )));
                }
                choices.push(choice);
                at = close + 1;
            }
            '_' => return Err(malformed(format!("{here}: '_' stands for no choices and must be alone"))),
            'A'..='Z' => {
                return Err(malformed(format!(
                    "{here}: unexpected {} (base-36 digits are lowercase: 0-9, a-z)",
                    quoted_char(c)
                )))
            }
            _ => {
                return Err(malformed(format!(
                    "{here}: unexpected {} (expected 0-9, a-z, or '(' for a choice of 36 or more)",
                    quoted_char(c)
                )))
            }
        }
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::{MAX_CLIENTS, MAX_OPS, NAMES};
    use proptest::prelude::*;

    const SHELL_SAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:.,=()_-";

    fn s(name: &str) -> String {
        name.to_string()
    }

    fn token(variant: Variant, mode: Delivery, clients: Vec<Vec<Op>>, choices: Vec<u32>) -> Token {
        Token { variant, workload: Workload::new(mode, clients), choices }
    }

    fn assert_shell_safe(text: &str) {
        assert!(text.chars().all(|c| SHELL_SAFE.contains(c)), "{text:?} is not shell-safe");
    }

    /// Encodes to `text`, decodes back to itself, and is shell-safe.
    fn assert_round_trip(t: &Token, text: &str) {
        assert_eq!(t.encode(), text);
        assert_eq!(Token::decode(text), Ok(t.clone()));
        assert_shell_safe(text);
    }

    /// `text` is malformed; returns the message (checked to be one line).
    fn malformed_msg(text: &str) -> String {
        match Token::decode(text) {
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
                Op::Put(s("b"), 7),
                Op::Get(s("c")),
            ]],
            vec![1],
        );
        assert_round_trip(&t, "kv2:fixed:instant:Ca.Lb.Sc.Ka.Pb=7.Gc:1");
    }

    #[test]
    fn three_clients_with_empty_ones() {
        let t = token(Variant::Linked, Delivery::Spec, vec![vec![], vec![Op::Get(s("a"))], vec![]], vec![2, 0]);
        assert_round_trip(&t, "kv2:linked:spec:-,Ga,-:20");
        let t = token(Variant::Unmonitored, Delivery::Instant, vec![vec![]], vec![]);
        assert_round_trip(&t, "kv2:unmonitored:instant:-:_");
    }

    #[test]
    fn put_values_negative_zero_and_extremes() {
        let clients = vec![
            vec![Op::Put(s("a"), -5), Op::Put(s("a"), 0)],
            vec![Op::Put(s("b"), i64::MIN), Op::Put(s("c"), i64::MAX)],
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
        let t: Token = text.parse().unwrap();
        assert_eq!(t.to_string(), text);
        assert_eq!(t, Token::decode(text).unwrap());
    }

    #[test]
    fn wrong_version() {
        for v in ["kv3", "kv0", "kv10", "kv01", "kv02", "kv", "kvx"] {
            let text = format!("{v}:monitored:spec:Ca:0");
            assert_eq!(Token::decode(&text), Err(TokenError::WrongVersion(v.to_string())));
        }
        // Checked before the field count: another version may have other fields.
        assert_eq!(Token::decode("kv3:whatever"), Err(TokenError::WrongVersion("kv3".into())));
        assert_eq!(
            TokenError::WrongVersion("kv3".into()).to_string(),
            "token version kv3 is not supported (this kvsim reads kv1 and kv2)"
        );
    }

    /// A version-1 token (printed before rules revision 2) still decodes,
    /// names revision 1, and keeps its one spelling.
    #[test]
    fn version_one_tokens_decode_under_revision_one() {
        let text = "kv1:monitored:spec:Cb.Sb.Sb:12";
        let t = Token::decode(text).unwrap();
        assert_eq!(t.workload.rules, Rules::V1);
        assert_eq!(t.encode(), text);
        let current = Token::decode("kv2:monitored:spec:Cb.Sb.Sb:12").unwrap();
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
            Token::decode("kv2:foo:spec:Ca:0").unwrap_err().to_string(),
            "malformed token: unknown variant 'foo' (expected unmonitored, linked, monitored, fixed)"
        );
        assert_malformed("kv2::spec:Ca:0", "unknown variant ''");
        assert_malformed("kv2:Fixed:spec:Ca:0", "unknown variant 'Fixed'");
        assert_eq!(
            Token::decode("kv2:fixed:slow:Ca:0").unwrap_err().to_string(),
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
        assert_malformed(
            "kv2:fixed:spec:Ca:0_",
            "choice 2 (character 2 of the choices field): '_' stands for no choices",
        );
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
        let shown = Token::decode("kv3\nx:a").unwrap_err().to_string();
        assert_eq!(shown, "token version kv3\\nx is not supported (this kvsim reads kv1 and kv2)");
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
        assert!(Token::decode(&format!("kv1:fixed:spec:{at_limit}:_")).is_ok());
        let many = vec!["-"; 30_000].join(",");
        assert_malformed(&format!("kv1:fixed:spec:{many}:_"), "30000 clients (a token holds at most 64)");
        let ops = vec!["La"; MAX_TOKEN_OPS + 1].join(".");
        assert_malformed(&format!("kv1:fixed:spec:-,{ops}:_"), "client 2 has 257 ops (at most 256 per client)");
        let ops = vec!["La"; MAX_TOKEN_OPS].join(".");
        assert!(Token::decode(&format!("kv1:fixed:spec:{ops}:_")).is_ok());
        let choices = "1".repeat(MAX_TOKEN_CHOICES);
        assert!(Token::decode(&format!("kv1:fixed:spec:Ca:{choices}")).is_ok());
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

    fn name_strategy() -> impl Strategy<Value = String> + Clone {
        prop_oneof![3 => prop::sample::select(&NAMES[..]).prop_map(str::to_string), 1 => "[a-z]{1,6}"]
    }

    fn op_strategy() -> impl Strategy<Value = Op> {
        let name = name_strategy();
        prop_oneof![
            name.clone().prop_map(Op::Create),
            name.clone().prop_map(Op::Lookup),
            name.clone().prop_map(Op::Stop),
            name.clone().prop_map(Op::Crash),
            (name.clone(), prop_oneof![-3..3i64, any::<i64>()]).prop_map(|(n, v)| Op::Put(n, v)),
            name.prop_map(Op::Get),
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

    fn token_strategy() -> impl Strategy<Value = Token> {
        (
            prop::sample::select(Variant::ALL.to_vec()),
            workload_strategy(),
            prop::collection::vec(prop_oneof![3 => 0..36u32, 1 => any::<u32>()], 0..40),
        )
            .prop_map(|(variant, workload, choices)| Token { variant, workload, choices })
    }

    proptest! {
        #[test]
        fn prop_round_trip(t in token_strategy()) {
            let text = t.encode();
            assert_shell_safe(&text);
            prop_assert!(!text.ends_with(':'));
            prop_assert_eq!(text.matches(':').count(), FIELDS - 1);
            prop_assert_eq!(Token::decode(&text), Ok(t));
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
            if let Ok(decoded) = Token::decode(&edited) {
                prop_assert_eq!(decoded.encode(), edited);
            }
        }

        #[test]
        fn prop_decode_never_panics(text in "\\PC{0,40}|kv1:[a-z]{0,12}:[a-z]{0,8}:[A-Za-z0-9.,=_-]{0,20}:[a-z0-9()_]{0,12}") {
            if let Ok(decoded) = Token::decode(&text) {
                prop_assert_eq!(decoded.encode(), text);
            }
        }
    }
}
