//! Replay tokens: one printable, shell-safe word that reruns a run exactly.
//!
//! A token is an envelope that any [`Subject`] fills: it names the subject,
//! the delivery mode, the workload (each client's script, each operation in
//! the subject's own spelling, [`Subject::encode_op`]) and the scheduler's
//! [`ChoiceLog`]. Its text uses only `A-Z a-z 0-9 : . , = ( ) _ -`, so it can
//! be pasted into a shell unquoted.
//!
//! Grammar:
//!
//! ```text
//! token    = version ":" subject ":" mode ":" clients ":" choices
//! version  = "kvsim1"                           ; the envelope, rules revision 2
//! subject  = 1*( "a".."z" | "0".."9" | "-" | "." )   ; Subject::name, e.g. kv.monitored
//! mode     = "spec" | "instant"
//! clients  = client *( "," client )             ; at least one client
//! client   = "-"                                ; a client with no ops
//!          | op *( "." op )
//! op       = 1*( "A".."Z" | "a".."z" | "0".."9" | "=" | "(" | ")" | "_" | "-" )
//!                                               ; the subject's spelling, never "-" alone
//! choices  = "_"                                ; the empty log
//!          | 1*choice
//! choice   = "0".."9" | "a".."z"                ; 0..=35, one base-36 digit
//!          | "(" nat ")"                        ; 36..=u32::MAX, in decimal
//! nat      = "1".."9" *( "0".."9" )
//! ```
//!
//! Example: `kvsim1:kv.monitored:spec:Ca.Sa.La,Lb:01a(40)0`.
//!
//! The version names the envelope and the executor's event rules
//! ([`Rules`]) the choices were recorded under. A subject may also read
//! tokens of versions older than the envelope ([`Subject::legacy_versions`]:
//! the same five fields, its own first two); a workload recorded under rules
//! older than the envelope's is written in that older form, its only one.
//!
//! Limits: at most [`MAX_TOKEN_CLIENTS`] clients, [`MAX_TOKEN_OPS`] ops per
//! client and [`MAX_TOKEN_CHOICES`] choices (the default step bound: a run
//! makes at most one choice per step). A token past one is malformed, so a
//! replay's cost is bounded before it starts.
//!
//! Decoding is strict: every envelope token has exactly one spelling, so
//! `encode(decode(t)) == t` for every `t` that decodes (given a subject whose
//! op codec is strict too). Anything else (trailing garbage, an empty field,
//! a choice spelled in decimal that fits in a digit, leading zeros,
//! overflow...) is [`TokenError::Malformed`], with the field and position at
//! fault. A first field `kvsim...` other than a version this build writes is
//! [`TokenError::WrongVersion`].

use crate::subject::Subject;
use crate::workload::Workload;
use sim::det::Rules;
use sim::sched::ChoiceLog;
use sim::Delivery;
use std::fmt::{self, Write as _};

/// The envelope versions this build reads, each with the rules revision its
/// choices replay under; the last is the one it writes.
pub const VERSIONS: [(&str, Rules); 1] = [("kvsim1", Rules::V2)];

/// Number of `:`-separated fields in a token.
pub const FIELDS: usize = 5;

/// The most clients a token may hold (generated workloads have at most 3).
pub const MAX_TOKEN_CLIENTS: usize = 64;
/// The most ops one client of a token may hold (generated workloads: at most 8).
pub const MAX_TOKEN_OPS: usize = 256;
/// The most choices a token may hold: one per step, at most the default step bound.
pub const MAX_TOKEN_CHOICES: usize = sim::det::Config::DEFAULT_MAX_STEPS as usize;

/// Everything a replay needs, besides the subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<O> {
    pub workload: Workload<O>,
    pub choices: ChoiceLog,
}

/// Why a text is not a token this build can replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// The first field names another format version (holds that field, e.g. `"kvsim9"`).
    WrongVersion(String),
    /// Not a well-formed token (holds the reason, with where).
    Malformed(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::WrongVersion(found) => {
                write!(f, "token version {} is not supported (this kvsim writes {})", shown(found), current_version())
            }
            TokenError::Malformed(why) => write!(f, "malformed token: {why}"),
        }
    }
}

impl std::error::Error for TokenError {}

/// A token's first two fields: which version, and which subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'t> {
    pub version: &'t str,
    pub subject: &'t str,
}

impl Header<'_> {
    /// Whether the version is the envelope's (else it is some subject's legacy version).
    pub fn is_envelope(&self) -> bool {
        is_envelope(self.version)
    }
}

/// The version this build writes.
pub fn current_version() -> &'static str {
    VERSIONS[VERSIONS.len() - 1].0
}

/// The header of `text`, once its version is one that `reads` (the
/// envelope's, or a subject's legacy version) and its field count is right.
/// Another version starting `kv` is [`TokenError::WrongVersion`]; anything
/// else is not a kvsim token.
fn header_read_by<'t>(text: &'t str, reads: impl Fn(&str) -> bool) -> Result<Header<'t>, TokenError> {
    let fields: Vec<&str> = text.split(':').collect();
    let version = fields[0];
    if !reads(version) {
        return Err(if version.starts_with("kv") {
            TokenError::WrongVersion(version.to_string())
        } else {
            malformed(format!(
                "not a kvsim token (found {}, a token starts with '{}:')",
                quoted(version),
                current_version()
            ))
        });
    }
    if fields.len() != FIELDS {
        return Err(malformed(format!(
            "expected {FIELDS} fields separated by ':' ({version}:<subject>:<mode>:<clients>:<choices>), found {}",
            fields.len()
        )));
    }
    Ok(Header { version, subject: fields[1] })
}

fn is_envelope(version: &str) -> bool {
    VERSIONS.iter().any(|(v, _)| *v == version)
}

fn reads_legacy<S: Subject>(subject: &S, version: &str) -> bool {
    subject.legacy_versions().iter().any(|(v, _)| *v == version)
}

/// The text of `workload` with `choices` on `subject` (see the module's grammar).
///
/// # Panics
///
/// If the workload has no client, or an op's spelling breaks the grammar:
/// such a workload has no token (and never comes out of the generator or the
/// shrinker).
pub fn encode<S: Subject>(subject: &S, workload: &Workload<S::Op>, choices: &ChoiceLog) -> String {
    assert!(!workload.clients.is_empty(), "a workload with no clients has no replay token");
    let mut out = header_text(subject, workload.rules);
    write!(out, ":{}:", workload.mode.name()).expect("writing to a String");
    for (i, ops) in workload.clients.iter().enumerate() {
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
            let text = subject.encode_op(op);
            assert!(
                check_op_text(&text).is_ok(),
                "op {op} of client {} is spelled {text:?}, which no replay token can carry",
                i + 1
            );
            out.push_str(&text);
        }
    }
    out.push(':');
    encode_choices(&mut out, choices);
    out
}

/// `version:subject` for a workload recorded under `rules`.
fn header_text<S: Subject>(subject: &S, rules: Rules) -> String {
    if let Some((version, _)) = VERSIONS.iter().find(|(_, r)| *r == rules) {
        let name = subject.name();
        assert!(check_subject_name(&name).is_ok(), "subject name {name:?} cannot go in a token");
        return format!("{version}:{name}");
    }
    let legacy = subject.legacy_versions().iter().find(|(_, r)| *r == rules);
    let (version, _) = legacy.unwrap_or_else(|| panic!("{} has no token for rules {rules:?}", subject.name()));
    format!("{version}:{}", subject.legacy_name())
}

/// Reads a token of `subject`; strict (see the module's doc).
pub fn decode<S: Subject>(subject: &S, text: &str) -> Result<Token<S::Op>, TokenError> {
    let Header { version, subject: named } = header_read_by(text, |v| is_envelope(v) || reads_legacy(subject, v))?;
    let envelope = VERSIONS.iter().find(|(v, _)| *v == version);
    let legacy = subject.legacy_versions().iter().find(|(v, _)| *v == version);
    let (rules, expected) = match (envelope, legacy) {
        (Some(&(_, rules)), _) => (rules, subject.name()),
        (None, Some(&(_, rules))) => (rules, subject.legacy_name()),
        (None, None) => return Err(TokenError::WrongVersion(version.to_string())),
    };
    if named != expected {
        return Err(malformed(format!("the token is for {}, not {expected}", quoted(named))));
    }
    let fields: Vec<&str> = text.split(':').collect();
    let mode = Delivery::from_name(fields[2]).ok_or_else(|| {
        let known: Vec<&str> = Delivery::ALL.iter().map(|d| d.name()).collect();
        malformed(format!("unknown delivery mode {} (expected {})", quoted(fields[2]), known.join(", ")))
    })?;
    let clients = decode_clients(fields[3], |op| subject.decode_op(op))?;
    let choices = decode_choices(fields[4])?;
    Ok(Token { workload: Workload { mode, rules, clients }, choices })
}

/// Reads a token of whichever of `subjects` it names: by [`Subject::name`]
/// for the envelope's versions, by [`Subject::legacy_name`] for a subject's
/// legacy version.
pub fn decode_any<S: Subject>(subjects: &[S], text: &str) -> Result<(S, Token<S::Op>), TokenError> {
    let head = header_read_by(text, |v| is_envelope(v) || subjects.iter().any(|s| reads_legacy(s, v)))?;
    let names: Vec<String> = if head.is_envelope() {
        subjects.iter().map(Subject::name).collect()
    } else {
        subjects.iter().filter(|s| reads_legacy(*s, head.version)).map(Subject::legacy_name).collect()
    };
    let subject = subjects.iter().find(|s| {
        let name = if head.is_envelope() { s.name() } else { s.legacy_name() };
        name == head.subject && (head.is_envelope() || reads_legacy(*s, head.version))
    });
    let Some(subject) = subject else {
        return Err(malformed(format!("unknown subject {} (expected {})", quoted(head.subject), names.join(", "))));
    };
    let token = decode(subject, text)?;
    Ok((subject.clone(), token))
}

/// For a subject with few distinct operations: the one of `all` that
/// `encode` spells `text`, so decoding is strict by construction.
pub fn decode_among<O>(
    all: impl IntoIterator<Item = O>,
    encode: impl Fn(&O) -> String,
    text: &str,
) -> Result<O, String> {
    all.into_iter()
        .find(|op| encode(op) == text)
        .ok_or_else(|| format!("{} is no operation of this subject", quoted(text)))
}

/// Whether `name` may stand in a token's subject field.
pub fn check_subject_name(name: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    match name.chars().find(|&c| !ok(c)) {
        _ if name.is_empty() => Err("empty subject name".into()),
        None => Ok(()),
        Some(bad) => Err(format!("subject name {} has {}", quoted(name), quoted_char(bad))),
    }
}

/// The shape every op has, whatever the subject: not empty, not `-`.
fn check_op_shape(text: &str) -> Result<(), String> {
    match text {
        "" => Err("empty op (a '.' with no op on one side)".into()),
        "-" => Err("'-' stands for a client with no ops and must be alone".into()),
        _ => Ok(()),
    }
}

/// Whether an op's spelling fits the grammar.
fn check_op_text(text: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || "=()_-".contains(c);
    match text.chars().find(|&c| !ok(c)) {
        _ if text.is_empty() || text == "-" => Err("an op is 1+ characters and not '-' alone".into()),
        None => Ok(()),
        Some(bad) => Err(format!("{} may not appear in an op", quoted_char(bad))),
    }
}

fn malformed(why: String) -> TokenError {
    TokenError::Malformed(why)
}

/// A piece of the input as shown in a message: escaped to one line, and cut
/// if long.
pub fn shown(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut out: String = text.chars().take(MAX_CHARS).flat_map(char::escape_debug).collect();
    if text.chars().nth(MAX_CHARS).is_some() {
        out.push_str("...");
    }
    out
}

pub fn quoted(text: &str) -> String {
    format!("'{}'", shown(text))
}

pub fn quoted_char(c: char) -> String {
    format!("'{}'", c.escape_debug())
}

fn decode_clients<O>(field: &str, decode_op: impl Fn(&str) -> Result<O, String>) -> Result<Vec<Vec<O>>, TokenError> {
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
            let decoded = check_op_shape(op).and_then(|()| decode_op(op)).and_then(|o| check_op_text(op).map(|()| o));
            let decoded = decoded.map_err(|why| {
                let shown_op = if op.is_empty() { String::new() } else { format!(" {}", quoted(op)) };
                malformed(format!("client {number}, op {}{shown_op}: {why}", j + 1))
            })?;
            ops.push(decoded);
        }
        clients.push(ops);
    }
    Ok(clients)
}

fn encode_choices(out: &mut String, choices: &ChoiceLog) {
    if choices.is_empty() {
        out.push('_');
    }
    for &choice in choices {
        match char::from_digit(choice, 36) {
            Some(digit) => out.push(digit),
            None => write!(out, "({choice})").expect("writing to a String"),
        }
    }
}

/// Canonical decimal digits: no sign, no leading zero, not empty.
pub fn check_digits(digits: &str) -> Result<(), String> {
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
