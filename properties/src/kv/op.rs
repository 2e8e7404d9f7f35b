//! The KV registry's operations, and how a token spells each.
//!
//! Spelling (one op of a token's client list):
//!
//! ```text
//! op    = ( "C" | "L" | "S" | "K" ) name        ; create lookup stop crash
//!       | "G" name [ "_" key ]                   ; get
//!       | "P" name [ "_" key ] "=" int           ; put
//! name  = 1*( "a".."z" )
//! key   = "y"                                    ; no key: "x", the first (so kv1 and kv2 tokens read as before)
//! int   = [ "-" ] ( "0" | "1".."9" *( "0".."9" ) )   ; an i64, never "-0"
//! ```

use crate::token::{check_digits, quoted, quoted_char};
pub use model::kv::Name;
use std::fmt;

/// The bucket names workloads draw from.
pub const NAMES: [&str; 3] = ["a", "b", "c"];
/// The keys `put` and `get` name in a bucket: two, so a bucket that keeps
/// one key's value and loses the other's is seen. Tokens of builds before
/// keys knew only the first.
pub const KEYS: [&str; 2] = ["x", "y"];

/// A name as runs hold it: one of [`NAMES`] is static text (no
/// allocation, now or when a run copies it into a request or a record);
/// any other is made once, here, and shared from then on.
pub fn name(text: &str) -> Name {
    match NAMES.iter().find(|known| **known == text) {
        Some(known) => Name::from_static(known),
        None => Name::new(text),
    }
}

/// One operation of a KV registry client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `KV.Registry.create(registry, name)`.
    Create(Name),
    /// `KV.Registry.lookup(registry, name)`.
    Lookup(Name),
    /// Lookup, then `Agent.stop(bucket)` (synchronous) of the bucket found.
    Stop(Name),
    /// Lookup, then `Process.exit(bucket, :kill)` (asynchronous) of the bucket found.
    Crash(Name),
    /// Lookup, then `KV.Bucket.put(bucket, key, value)`.
    Put(Name, &'static str, i64),
    /// Lookup, then `KV.Bucket.get(bucket, key)`.
    Get(Name, &'static str),
}

impl Op {
    pub fn name(&self) -> &str {
        self.shared_name()
    }

    /// The name, as runs share it.
    pub fn shared_name(&self) -> &Name {
        match self {
            Op::Create(n) | Op::Lookup(n) | Op::Stop(n) | Op::Crash(n) | Op::Put(n, ..) | Op::Get(n, _) => n,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Create(n) => write!(f, "create({n})"),
            Op::Lookup(n) => write!(f, "lookup({n})"),
            Op::Stop(n) => write!(f, "stop({n})"),
            Op::Crash(n) => write!(f, "crash({n})"),
            Op::Put(n, k, v) => write!(f, "put({n}, {k}, {v})"),
            Op::Get(n, k) => write!(f, "get({n}, {k})"),
        }
    }
}

/// The op as a token spells it.
///
/// # Panics
///
/// If the name is not 1+ lowercase ASCII letters: no token can carry it.
pub fn encode(op: &Op) -> String {
    let name = op.name();
    assert!(check_name(name).is_ok(), "op {op} has a name that no replay token can carry (names are 1+ letters a-z)");
    match op {
        Op::Put(_, key, value) => format!("P{name}{}={value}", key_suffix(key)),
        Op::Get(_, key) => format!("G{name}{}", key_suffix(key)),
        _ => format!("{}{name}", op_letter(op)),
    }
}

fn op_letter(op: &Op) -> char {
    match op {
        Op::Create(_) => 'C',
        Op::Lookup(_) => 'L',
        Op::Stop(_) => 'S',
        Op::Crash(_) => 'K',
        Op::Put(..) => 'P',
        Op::Get(..) => 'G',
    }
}

/// How a token spells `key` after the name: nothing for the first key.
fn key_suffix(key: &str) -> String {
    if key == KEYS[0] {
        String::new()
    } else {
        format!("_{key}")
    }
}

/// A name with an optional `_key` after it, as put and get spell them.
fn name_and_key(text: &str) -> Result<(&str, &'static str), String> {
    let (name, key) = match text.split_once('_') {
        None => return check_name(text).map(|()| (text, KEYS[0])),
        Some((name, key)) => (name, key),
    };
    check_name(name)?;
    match KEYS[1..].iter().find(|k| **k == key) {
        Some(key) => Ok((name, key)),
        None => Err(format!(
            "key {} is not one of {} (key {} is written with no suffix)",
            quoted(key),
            KEYS[1..].join(", "),
            KEYS[0]
        )),
    }
}

/// One op's text, or why it is not one (the caller says where).
pub fn decode(text: &str) -> Result<Op, String> {
    let mut chars = text.chars();
    let letter = chars.next().ok_or("empty op (a '.' with no op on one side)")?;
    let rest = chars.as_str();
    let (name, value) = match rest.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (rest, None),
    };
    let build: fn(Name) -> Op = match letter {
        'C' => Op::Create,
        'L' => Op::Lookup,
        'S' => Op::Stop,
        'K' => Op::Crash,
        'G' => {
            let (name, key) = name_and_key(name)?;
            if value.is_some() {
                return Err("only P (put) takes '=<value>', not G".into());
            }
            return Ok(Op::Get(self::name(name), key));
        }
        'P' => {
            let (name, key) = name_and_key(name)?;
            let value = value.ok_or("put has no value (write P<name>=<value>)")?;
            return Ok(Op::Put(self::name(name), key, decode_i64(value)?));
        }
        '-' => return Err("'-' stands for a client with no ops and must be alone".into()),
        other => return Err(format!("unknown op letter {} (expected C, L, S, K, P or G)", quoted_char(other))),
    };
    check_name(name)?;
    if value.is_some() {
        return Err(format!("only P (put) takes '=<value>', not {letter}"));
    }
    Ok(build(self::name(name)))
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

fn decode_i64(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    check_digits(digits).map_err(|why| format!("put value {} is not a decimal integer: {why}", quoted(text)))?;
    if text == "-0" {
        return Err("put value '-0' must be written '0'".into());
    }
    text.parse::<i64>().map_err(|_| format!("put value {} is out of range for i64", quoted(text)))
}
