//! The subset of EDN that Jepsen histories use: nil, booleans, integers,
//! strings, keywords, vectors (and lists, read as vectors) and maps. Commas
//! are whitespace. Written by hand: this is all the grammar the command
//! needs, smaller than a dependency.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Str(String),
    Keyword(String),
    Vector(Vec<Value>),
    Map(Vec<(Value, Value)>),
}

impl Value {
    /// The keyword's name, if this is a keyword.
    pub fn keyword(&self) -> Option<&str> {
        match self {
            Value::Keyword(k) => Some(k),
            _ => None,
        }
    }

    /// The value looked up under keyword `key`, if this is a map holding it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.keyword() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string as itself, anything else as its EDN text (a key or a kv value).
    pub fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Keyword(k) => write!(f, ":{k}"),
            Value::Vector(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    write!(f, "{}{item}", if i == 0 { "" } else { " " })?;
                }
                write!(f, "]")
            }
            Value::Map(entries) => {
                write!(f, "{{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    write!(f, "{}{k} {v}", if i == 0 { "" } else { ", " })?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// Parses `text` as exactly one value.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut reader = Reader { bytes: text.as_bytes(), at: 0 };
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(format!("unexpected {:?} after the value", reader.rest()));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Ends a keyword, number or symbol.
fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b",[](){}\"".contains(&b)
}

impl Reader<'_> {
    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.bytes[self.at..]).chars().take(20).collect()
    }

    fn skip_space(&mut self) {
        while self.at < self.bytes.len() && (self.bytes[self.at].is_ascii_whitespace() || self.bytes[self.at] == b',') {
            self.at += 1;
        }
    }

    fn token(&mut self) -> &str {
        let start = self.at;
        while self.at < self.bytes.len() && !is_delimiter(self.bytes[self.at]) {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("")
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_space();
        let Some(&first) = self.bytes.get(self.at) else { return Err("a value is missing".into()) };
        match first {
            b'[' | b'(' => {
                self.at += 1;
                Ok(Value::Vector(self.items(if first == b'[' { b']' } else { b')' })?))
            }
            b'{' => {
                self.at += 1;
                let items = self.items(b'}')?;
                if items.len() % 2 != 0 {
                    return Err("a map with an odd number of forms".into());
                }
                let mut entries = Vec::with_capacity(items.len() / 2);
                let mut items = items.into_iter();
                while let (Some(k), Some(v)) = (items.next(), items.next()) {
                    entries.push((k, v));
                }
                Ok(Value::Map(entries))
            }
            b'"' => self.string(),
            b':' => {
                self.at += 1;
                let name = self.token().to_string();
                if name.is_empty() {
                    return Err("an empty keyword".into());
                }
                Ok(Value::Keyword(name))
            }
            _ => {
                let token = self.token().to_string();
                match token.as_str() {
                    "nil" => Ok(Value::Nil),
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "" => Err(format!("unexpected {:?}", self.rest())),
                    number => number
                        .strip_suffix('N')
                        .unwrap_or(number)
                        .parse()
                        .map(Value::Int)
                        .map_err(|_| format!("not a value: {number:?}")),
                }
            }
        }
    }

    fn items(&mut self, close: u8) -> Result<Vec<Value>, String> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.bytes.get(self.at) {
                None => return Err(format!("missing {:?}", close as char)),
                Some(&b) if b == close => {
                    self.at += 1;
                    return Ok(items);
                }
                Some(b']' | b')' | b'}') => return Err(format!("unbalanced {:?}", self.rest())),
                Some(_) => items.push(self.value()?),
            }
        }
    }

    fn string(&mut self) -> Result<Value, String> {
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.at) else { return Err("an unterminated string".into()) };
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.at) else { return Err("an unterminated string".into()) };
                    self.at += 1;
                    bytes.push(match e {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        b'"' | b'\\' => e,
                        other => return Err(format!("an unknown escape \\{}", other as char)),
                    });
                }
                other => bytes.push(other),
            }
        }
        String::from_utf8(bytes).map(Value::Str).map_err(|_| "a string that is not UTF-8".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_jepsen_writes() {
        let map = parse("{:process 0, :type :invoke, :f :cas, :value [1 -2], :key \"x\\\"y\"}").unwrap();
        assert_eq!(map.get("process"), Some(&Value::Int(0)));
        assert_eq!(map.get("type").and_then(Value::keyword), Some("invoke"));
        assert_eq!(map.get("value"), Some(&Value::Vector(vec![Value::Int(1), Value::Int(-2)])));
        assert_eq!(map.get("key").map(Value::text), Some("x\"y".to_string()));
        assert_eq!(parse("nil"), Ok(Value::Nil));
        assert_eq!(parse("(1 2)"), Ok(Value::Vector(vec![Value::Int(1), Value::Int(2)])));
    }

    #[test]
    fn rejects_broken_forms() {
        for bad in ["{:a 1", "{:a}", "[1 2", "\"x", "1.5x", ":", "1 2", "]", "{:a 1]"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
