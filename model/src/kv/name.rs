//! A bucket's name or a key: text that runs copy into every request and
//! every history record, so it is shared, never copied.
//!
//! A [`Name`] is either a `&'static str` (`Name::from("a")`, and the names
//! and keys workloads draw from: cloning one is a copy of two words) or
//! text made at run time ([`Name::new`], `Name::from(String)`), behind an
//! `Arc` (a clone adds a count). It compares, orders,
//! hashes and prints exactly as its text: `Debug` is `str`'s (`"a"`),
//! `Display` the text itself, so every trace, history and fingerprint
//! reads as it did when names were `String`s.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Shared text: see the module's doc.
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Name {
    /// A name for static text: no allocation, now or when cloned.
    pub const fn from_static(text: &'static str) -> Name {
        Name(Repr::Static(text))
    }

    /// A shared copy of `text` (one allocation; clones share it).
    pub fn new(text: &str) -> Name {
        Name(Repr::Shared(Arc::from(text)))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            Repr::Shared(text) => text,
        }
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Static text stays static: no allocation.
impl From<&'static str> for Name {
    fn from(text: &'static str) -> Name {
        Name::from_static(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Repr::Shared(Arc::from(text)))
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As `str` hashes, so that `Borrow<str>` lookups agree.
impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use std::collections::BTreeMap;

    #[test]
    fn a_name_prints_compares_and_orders_as_its_text_however_it_is_held() {
        let (fixed, made) = (Name::from_static("a"), Name::from(String::from("a")));
        assert_eq!(fixed, made);
        assert_eq!((format!("{fixed:?}"), format!("{made:?}")), ("\"a\"".to_string(), "\"a\"".to_string()));
        assert_eq!(format!("{made:?}"), format!("{:?}", String::from("a")), "Debug as a String's");
        assert_eq!(format!("{fixed}|{made:>3}"), "a|  a");
        let (later_made, later_fixed) = (Name::new("b"), Name::from("b"));
        assert!(later_made > fixed && later_fixed > made && fixed < later_fixed);
        let map: BTreeMap<Name, u32> = [(Name::new("b"), 2), (Name::from("a"), 1)].into_iter().collect();
        assert_eq!((map.get("a"), map.get("b"), map.get("c")), (Some(&1), Some(&2), None));
        assert_eq!(format!("{map:?}"), format!("{:?}", BTreeMap::from([("a", 1), ("b", 2)])));
    }
}
