//! A Jepsen history, one event a line, in either form:
//!
//! - an EDN map: `{:process 0, :type :invoke, :f :read, :value nil}`, with
//!   `:type` one of `:invoke`, `:ok`, `:fail`, `:info` and an optional `:key`;
//!   other entries (`:time`, `:index`) are ignored;
//! - a `jepsen.util` log line: `INFO  jepsen.util - 0\t:invoke\t:read\tnil`
//!   (process, type, function and value, separated by tabs).
//!
//! Blank lines, lines starting with `;` and log lines of other loggers
//! (`INFO  jepsen.core - ...`) are skipped, as are events of a process that is
//! not an integer (`:nemesis`). Anything else is malformed.

use super::edn::{self, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invoke,
    Ok,
    Fail,
    Info,
}

/// One event of the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// 1-based.
    pub line: usize,
    pub process: i64,
    pub kind: Kind,
    pub f: String,
    pub key: Option<Value>,
    pub value: Value,
}

/// A line that is not an event: its number and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed {
    pub line: usize,
    pub message: String,
}

const LEVELS: [&str; 5] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

/// Every event of `text`, in order.
pub fn events(text: &str) -> Result<Vec<Event>, Malformed> {
    let mut events = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let malformed = |message: String| Malformed { line, message };
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with(';') {
            continue;
        }
        let event = if trimmed.starts_with('{') {
            edn_event(line, trimmed).map_err(malformed)?
        } else if let Some((_, rest)) = trimmed.split_once("jepsen.util - ") {
            log_event(line, rest).map_err(malformed)?
        } else if LEVELS.iter().any(|l| trimmed.split_whitespace().next() == Some(*l)) {
            continue;
        } else {
            return Err(malformed("neither an EDN map nor a jepsen.util log line".into()));
        };
        events.extend(event);
    }
    Ok(events)
}

fn kind(value: &Value) -> Result<Kind, String> {
    match value.keyword() {
        Some("invoke") => Ok(Kind::Invoke),
        Some("ok") => Ok(Kind::Ok),
        Some("fail") => Ok(Kind::Fail),
        Some("info") => Ok(Kind::Info),
        _ => Err(format!("type {value} is not :invoke, :ok, :fail or :info")),
    }
}

/// `None` for a process that is not a client (`:nemesis`).
fn process(value: &Value) -> Result<Option<i64>, String> {
    match value {
        Value::Int(p) => Ok(Some(*p)),
        Value::Keyword(_) => Ok(None),
        other => Err(format!("process {other} is neither an integer nor a keyword")),
    }
}

fn function(value: &Value) -> Result<String, String> {
    value.keyword().map(str::to_string).ok_or_else(|| format!("function {value} is not a keyword"))
}

fn edn_event(line: usize, text: &str) -> Result<Option<Event>, String> {
    let map = edn::parse(text)?;
    let field = |name: &str| map.get(name).ok_or_else(|| format!("no :{name}"));
    let Some(process) = process(field("process")?)? else { return Ok(None) };
    let kind = kind(field("type")?)?;
    let f = function(field("f")?)?;
    let value = map.get("value").cloned().unwrap_or(Value::Nil);
    Ok(Some(Event { line, process, kind, f, key: map.get("key").cloned(), value }))
}

fn log_event(line: usize, rest: &str) -> Result<Option<Event>, String> {
    let mut fields = rest.splitn(4, '\t');
    let (Some(p), Some(t), Some(f)) = (fields.next(), fields.next(), fields.next()) else {
        return Err("a jepsen.util line needs process, type, function and value, separated by tabs".into());
    };
    let value = fields.next().map_or(Ok(Value::Nil), |v| edn::parse(v.trim()))?;
    let Some(process) = process(&edn::parse(p.trim())?)? else { return Ok(None) };
    let kind = kind(&edn::parse(t.trim())?)?;
    let f = function(&edn::parse(f.trim())?)?;
    Ok(Some(Event { line, process, kind, f, key: None, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_give_the_same_event() {
        let edn = events("{:process 3, :type :info, :f :write, :value :timed-out}").unwrap();
        let log = events("INFO  jepsen.util - 3\t:info\t:write\t:timed-out").unwrap();
        assert_eq!(edn, log);
        assert_eq!(edn[0].kind, Kind::Info);
        assert_eq!(edn[0].value, Value::Keyword("timed-out".into()));
    }

    #[test]
    fn skips_what_is_not_a_client_event_and_names_the_bad_line() {
        let text = "\n; a comment\nINFO  jepsen.core - Running test\n{:process :nemesis, :type :info, :f :start}\n";
        assert_eq!(events(text).unwrap(), vec![]);
        for (bad, line) in [("{:process 0}", 1), ("\n\nhello", 3), ("{:process 0, :type :done, :f :read}", 1)] {
            assert_eq!(events(bad).unwrap_err().line, line, "{bad}");
        }
        assert_eq!(events("INFO  jepsen.util - 0 :invoke :read nil").unwrap_err().line, 1);
    }
}
