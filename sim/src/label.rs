//! Process labels: what a trace and a history call a process (`server`,
//! `client1`, `worker(a)`).
//!
//! Every spawn asks its actor for one and the run's process table keeps it
//! (`Sim::processes` hands it out again), so a [`Label`] is shared text:
//! static (`Label::from("server")`: no allocation, now or when copied),
//! or made at run time behind an `Arc`. [`Label::interned`] serves labels
//! that are formatted (`client{n}`): the text is formatted into a reused
//! buffer and the thread's shared copy of it is returned, so a label seen
//! before costs no allocation. It prints and compares as its text.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt::{self, Write};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// A process's label: shared text (see the module's doc).
#[derive(Clone)]
pub struct Label(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

/// The thread's interned labels, and the buffer labels are formatted into.
struct Interned {
    labels: BTreeSet<SharedText>,
    buffer: String,
}

/// An `Arc<str>` ordered as its text, so the set is searched by `&str`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SharedText(Arc<str>);

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

thread_local! {
    static INTERNED: RefCell<Interned> = const {
        RefCell::new(Interned { labels: BTreeSet::new(), buffer: String::new() })
    };
}

impl Label {
    /// At most this many labels are interned per thread (a run that makes
    /// labels without end still works: past the bound each is made anew),
    /// so memory stays flat however many runs a thread makes.
    pub const INTERNED_AT_MOST: usize = 1024;

    /// A label for static text.
    pub const fn from_static(text: &'static str) -> Label {
        Label(Repr::Static(text))
    }

    /// The label `args` formats, shared with every earlier one of this
    /// thread that had the same text.
    pub fn interned(args: fmt::Arguments<'_>) -> Label {
        if let Some(text) = args.as_str() {
            return Label::from_static(text);
        }
        let made = INTERNED.try_with(|interned| {
            let Ok(mut interned) = interned.try_borrow_mut() else { return None };
            let Interned { labels, buffer } = &mut *interned;
            buffer.clear();
            buffer.write_fmt(args).ok()?;
            if let Some(known) = labels.get(buffer.as_str()) {
                return Some(Label(Repr::Shared(Arc::clone(&known.0))));
            }
            let text: Arc<str> = Arc::from(buffer.as_str());
            if labels.len() < Self::INTERNED_AT_MOST {
                labels.insert(SharedText(Arc::clone(&text)));
            }
            Some(Label(Repr::Shared(text)))
        });
        made.ok().flatten().unwrap_or_else(|| Label::from(fmt::format(args)))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            Repr::Shared(text) => text,
        }
    }
}

impl Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Label {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Label {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Label {
    fn from(text: &'static str) -> Label {
        Label::from_static(text)
    }
}

impl From<String> for Label {
    fn from(text: String) -> Label {
        Label(Repr::Shared(Arc::from(text)))
    }
}

impl From<Label> for String {
    fn from(label: Label) -> String {
        label.as_str().to_string()
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Label) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Label {}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Label) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Label {
    fn cmp(&self, other: &Label) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As `str` hashes, so that `Borrow<str>` lookups agree.
impl Hash for Label {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

/// As a `String` of the same text prints.
impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::{Label, Repr};
    use std::sync::Arc;

    fn shared(label: &Label) -> &Arc<str> {
        match &label.0 {
            Repr::Shared(text) => text,
            Repr::Static(text) => panic!("{text} is static"),
        }
    }

    #[test]
    fn an_interned_label_is_its_text_shared_with_the_same_text_made_before() {
        let (one, again, other) = (1, 1, 2);
        let first = Label::interned(format_args!("client{one}"));
        let second = Label::interned(format_args!("client{again}"));
        assert_eq!((first.as_str(), second.as_str()), ("client1", "client1"));
        assert!(Arc::ptr_eq(shared(&first), shared(&second)), "the same text, shared");
        let third = Label::interned(format_args!("client{other}"));
        assert_eq!(third, "client2");
        assert!(!Arc::ptr_eq(shared(&first), shared(&third)));
        assert!(matches!(Label::interned(format_args!("server")).0, Repr::Static("server")));
    }

    #[test]
    fn a_label_prints_and_compares_as_a_string_of_its_text() {
        let (fixed, made) = (Label::from("worker(a)"), Label::from(String::from("worker(a)")));
        assert_eq!(fixed, made);
        assert_eq!(format!("{fixed:?}|{made}|{made:>10}"), format!("{:?}|worker(a)| worker(a)", "worker(a)"));
        let later = Label::from("worker(b)");
        assert!(fixed < later && fixed.starts_with("worker"));
        assert_eq!(String::from(made), "worker(a)");
    }

    #[test]
    fn past_the_bound_labels_are_made_anew_and_still_right() {
        let labels: Vec<Label> =
            (0..Label::INTERNED_AT_MOST + 10).map(|i| Label::interned(format_args!("l{i}"))).collect();
        let last = Label::interned(format_args!("l{}", Label::INTERNED_AT_MOST + 9));
        assert_eq!(last, labels[labels.len() - 1]);
        assert!(!Arc::ptr_eq(shared(&last), shared(&labels[labels.len() - 1])), "not interned past the bound");
        let three = 3;
        let early = Label::interned(format_args!("l{three}"));
        assert!(Arc::ptr_eq(shared(&early), shared(&labels[3])), "interned before the bound");
    }
}
