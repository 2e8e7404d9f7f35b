//! Dynamically typed message payloads.
//!
//! Erlang messages are untyped terms; a [`Msg`] is the Rust equivalent: any
//! `Send + Debug + 'static` value in a box, taken back out by type with
//! [`Msg::downcast`]. The `Debug` text is what traces print, so it must not
//! contain addresses or anything else that differs between runs.
//!
//! A message of the call protocol ([`Call`], [`Reply`], [`Cast`]) keeps its
//! envelope (the caller, the tag) beside the payload, not in a box of its
//! own: a call or a reply has one box, its payload's. And a payload taken
//! out ([`Msg::downcast`]) leaves its box, empty, to the thread's next
//! payload of the same type, so a run in its steady state allocates none. It is not a
//! payload of any type ([`Msg::is`] is false, [`Msg::downcast`] gives it
//! back); it is taken apart with [`Msg::into_call`], [`Msg::into_reply`]
//! and [`Msg::into_cast`], and read in place with [`Msg::protocol`]. Its
//! `Debug` is the envelope's as a derived `Debug` prints it
//! (`Call { from: <1>, tag: #Ref<1.1>, req: Lookup("a") }`).

use crate::call::{Call, Cast, Reply};
use crate::{Pid, Ref};
use std::any::Any;
use std::fmt;

/// What a message payload must be: sendable between threads and printable.
pub trait Payload: Any + Send + fmt::Debug {
    #[doc(hidden)]
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
    #[doc(hidden)]
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + Send + fmt::Debug> Payload for T {
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A message: one boxed payload of any type, or a call protocol envelope
/// around one (see the module's doc).
pub struct Msg {
    envelope: Envelope,
    /// The payload; under an envelope whose inner message was itself an
    /// envelope ([`Held::Msg`]), that whole inner `Msg`.
    body: Box<dyn Payload>,
}

/// A plain payload's box: the value, and once it is taken out, an empty
/// box kept for the thread's next payload of its type ([`pool`]), so that
/// messages in the steady state of a run reuse their boxes. A slot in a
/// message always holds its value; its `Debug` is the value's.
struct Slot<T>(Option<T>);

impl<T: Payload> Slot<T> {
    /// `value` in a box: a pooled one if the thread has one, else a new one.
    fn boxed(value: T) -> Box<dyn Payload> {
        match pool::take::<Slot<T>>() {
            Some(mut slot) => {
                slot.0 = Some(value);
                slot
            }
            None => Box::new(Slot(Some(value))),
        }
    }

    /// The value out of its box; the empty box goes back to the pool.
    fn take(mut slot: Box<Slot<T>>) -> T {
        let value = slot.0.take().expect("a slot in a message holds its value");
        pool::keep(slot);
        value
    }

    /// The value, if `payload` is a slot of a `T`.
    fn of(payload: &dyn Payload) -> Option<&T> {
        Payload::as_any(payload).downcast_ref::<Slot<T>>().and_then(|slot| slot.0.as_ref())
    }
}

impl<T: fmt::Debug> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(value) => fmt::Debug::fmt(value, f),
            None => f.write_str("<taken>"),
        }
    }
}

/// The thread's empty payload boxes, by type: at most `PER_TYPE` of each
/// of at most `TYPES` types, so memory stays flat. What a box held is gone
/// (its slot is empty) and its address is never observable, so a run is
/// the same whether or not its boxes come from here.
mod pool {
    use std::any::{Any, TypeId};
    use std::cell::RefCell;

    const PER_TYPE: usize = 64;
    const TYPES: usize = 32;

    type Boxes = Vec<Box<dyn Any + Send>>;

    thread_local! {
        static POOL: RefCell<Vec<(TypeId, Boxes)>> = const { RefCell::new(Vec::new()) };
    }

    /// An empty box of `S`, if the thread keeps one.
    pub fn take<S: Any + Send>() -> Option<Box<S>> {
        let id = TypeId::of::<S>();
        let any = POOL
            .try_with(|pool| {
                let mut pool = pool.try_borrow_mut().ok()?;
                pool.iter_mut().find(|(of, _)| *of == id).and_then(|(_, boxes)| boxes.pop())
            })
            .ok()
            .flatten()?;
        any.downcast::<S>().ok()
    }

    /// Keeps an empty box of `S` for the thread's next one (or drops it, past the bounds).
    pub fn keep<S: Any + Send>(empty: Box<S>) {
        let id = TypeId::of::<S>();
        let mut empty: Option<Box<dyn Any + Send>> = Some(empty);
        let _ = POOL.try_with(|pool| {
            let Ok(mut pool) = pool.try_borrow_mut() else { return };
            let at = match pool.iter().position(|(of, _)| *of == id) {
                Some(at) => at,
                None if pool.len() < TYPES => {
                    pool.push((id, Vec::new()));
                    pool.len() - 1
                }
                None => return,
            };
            let boxes = &mut pool[at].1;
            if boxes.len() < PER_TYPE {
                boxes.extend(empty.take());
            }
        });
        drop(empty); // outside the pool's borrow
    }
}

/// The call protocol's envelope of a message, if it has one.
#[derive(Clone, Copy)]
enum Envelope {
    Plain,
    Call { from: Pid, tag: Ref, held: Held },
    Reply { tag: Ref, held: Held },
    Cast { held: Held },
}

/// What an envelope's body holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    /// The inner message's payload (the inner message was plain).
    Payload,
    /// The inner message itself, boxed (it had an envelope of its own).
    Msg,
}

/// A message of the call protocol, read in place ([`Msg::protocol`]).
#[derive(Clone, Copy, Debug)]
pub enum Protocol<'a> {
    /// No envelope: an ordinary message.
    Plain,
    Call {
        from: Pid,
        tag: Ref,
        req: Inner<'a>,
    },
    Reply {
        tag: Ref,
        value: Inner<'a>,
    },
    Cast {
        req: Inner<'a>,
    },
}

impl Protocol<'_> {
    /// No envelope.
    pub fn is_plain(&self) -> bool {
        matches!(self, Protocol::Plain)
    }
}

/// The message inside an envelope, borrowed: what [`Call::req`],
/// [`Reply::value`] or a [`Cast`]'s request is once taken out.
#[derive(Clone, Copy)]
pub struct Inner<'a>(InnerRepr<'a>);

#[derive(Clone, Copy)]
enum InnerRepr<'a> {
    Payload(&'a dyn Payload),
    Msg(&'a Msg),
}

impl Inner<'_> {
    /// Borrows the inner message's payload as a `T`, if it is one.
    pub fn downcast_ref<T: Payload>(&self) -> Option<&T> {
        match self.0 {
            InnerRepr::Payload(payload) => Slot::of(payload),
            InnerRepr::Msg(msg) => msg.downcast_ref::<T>(),
        }
    }

    /// The inner message's own envelope, if it has one.
    pub fn protocol(&self) -> Protocol<'_> {
        match self.0 {
            InnerRepr::Payload(_) => Protocol::Plain,
            InnerRepr::Msg(msg) => msg.protocol(),
        }
    }
}

/// As the inner message's `Debug`.
impl fmt::Debug for Inner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            InnerRepr::Payload(payload) => fmt::Debug::fmt(payload, f),
            InnerRepr::Msg(msg) => fmt::Debug::fmt(msg, f),
        }
    }
}

impl Msg {
    /// Wraps a value as a message.
    pub fn new<T: Payload>(value: T) -> Msg {
        Msg { envelope: Envelope::Plain, body: Slot::boxed(value) }
    }

    /// An envelope around `inner`: its payload moves in, unboxed again
    /// only if it has an envelope itself.
    fn enveloping(inner: Msg, envelope: impl FnOnce(Held) -> Envelope) -> Msg {
        match inner.envelope {
            Envelope::Plain => Msg { envelope: envelope(Held::Payload), body: inner.body },
            _ => Msg { envelope: envelope(Held::Msg), body: Box::new(inner) },
        }
    }

    /// The message an envelope holds, given its body.
    fn inner_of(held: Held, body: Box<dyn Payload>) -> Msg {
        match held {
            Held::Payload => Msg { envelope: Envelope::Plain, body },
            Held::Msg => *Payload::into_any(body).downcast::<Msg>().expect("an envelope's inner message"),
        }
    }

    fn inner_ref(&self, held: Held) -> Inner<'_> {
        match held {
            Held::Payload => Inner(InnerRepr::Payload(&*self.body)),
            Held::Msg => {
                let inner = Payload::as_any(&*self.body).downcast_ref::<Msg>();
                Inner(InnerRepr::Msg(inner.expect("an envelope's inner message")))
            }
        }
    }

    /// True when the payload is a `T` (never for a call protocol envelope).
    pub fn is<T: Payload>(&self) -> bool {
        matches!(self.envelope, Envelope::Plain) && Payload::as_any(&*self.body).is::<Slot<T>>()
    }

    /// Borrows the payload as a `T`, if it is one.
    pub fn downcast_ref<T: Payload>(&self) -> Option<&T> {
        match self.envelope {
            Envelope::Plain => Slot::of(&*self.body),
            _ => None,
        }
    }

    /// Takes the payload out as a `T`, or gives the message back.
    pub fn downcast<T: Payload>(self) -> Result<T, Msg> {
        if self.is::<T>() {
            let slot = Payload::into_any(self.body).downcast::<Slot<T>>().expect("checked by is::<T>()");
            Ok(Slot::take(slot))
        } else {
            Err(self)
        }
    }

    /// The call protocol's envelope, read in place.
    pub fn protocol(&self) -> Protocol<'_> {
        match self.envelope {
            Envelope::Plain => Protocol::Plain,
            Envelope::Call { from, tag, held } => Protocol::Call { from, tag, req: self.inner_ref(held) },
            Envelope::Reply { tag, held } => Protocol::Reply { tag, value: self.inner_ref(held) },
            Envelope::Cast { held } => Protocol::Cast { req: self.inner_ref(held) },
        }
    }

    /// Whether it is a [`Call`].
    pub fn is_call(&self) -> bool {
        matches!(self.envelope, Envelope::Call { .. })
    }

    /// The tag, when it is a [`Reply`].
    pub fn reply_tag(&self) -> Option<Ref> {
        match self.envelope {
            Envelope::Reply { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// Takes a [`Call`] out, or gives the message back.
    pub fn into_call(self) -> Result<Call, Msg> {
        match self.envelope {
            Envelope::Call { from, tag, held } => Ok(Call { from, tag, req: Msg::inner_of(held, self.body) }),
            _ => Err(self),
        }
    }

    /// Takes a [`Reply`] out, or gives the message back.
    pub fn into_reply(self) -> Result<Reply, Msg> {
        match self.envelope {
            Envelope::Reply { tag, held } => Ok(Reply { tag, value: Msg::inner_of(held, self.body) }),
            _ => Err(self),
        }
    }

    /// Takes a [`Cast`] out, or gives the message back.
    pub fn into_cast(self) -> Result<Cast, Msg> {
        match self.envelope {
            Envelope::Cast { held } => Ok(Cast(Msg::inner_of(held, self.body))),
            _ => Err(self),
        }
    }
}

impl From<Call> for Msg {
    fn from(Call { from, tag, req }: Call) -> Msg {
        Msg::enveloping(req, |held| Envelope::Call { from, tag, held })
    }
}

impl From<Reply> for Msg {
    fn from(Reply { tag, value }: Reply) -> Msg {
        Msg::enveloping(value, |held| Envelope::Reply { tag, held })
    }
}

impl From<Cast> for Msg {
    fn from(Cast(req): Cast) -> Msg {
        Msg::enveloping(req, |held| Envelope::Cast { held })
    }
}

/// The payload's `Debug`; an envelope's as its derived `Debug` would print it.
impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.protocol() {
            Protocol::Plain => fmt::Debug::fmt(&*self.body, f),
            Protocol::Call { from, tag, req } => {
                f.debug_struct("Call").field("from", &from).field("tag", &tag).field("req", &req).finish()
            }
            Protocol::Reply { tag, value } => {
                f.debug_struct("Reply").field("tag", &tag).field("value", &value).finish()
            }
            Protocol::Cast { req } => f.debug_tuple("Cast").field(&req).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: Ref = Ref { owner: Pid(3), serial: 1 };

    /// What `#[derive(Debug)]` printed for the protocol's structs when each
    /// was a payload in a box of its own (recorded traces and hashes hold it).
    #[test]
    fn an_envelope_prints_as_its_derived_debug_did() {
        let call = Msg::from(Call { from: Pid(3), tag: TAG, req: Msg::new("a") });
        assert_eq!(format!("{call:?}"), r#"Call { from: <3>, tag: #Ref<3.1>, req: "a" }"#);
        let reply = Msg::from(Reply { tag: TAG, value: Msg::new(Some(Pid(4))) });
        assert_eq!(format!("{reply:?}"), "Reply { tag: #Ref<3.1>, value: Some(<4>) }");
        let cast = Msg::from(Cast(Msg::new(7u8)));
        assert_eq!(format!("{cast:?}"), "Cast(7)");
        let nested = Msg::from(Cast(Msg::from(Reply { tag: TAG, value: Msg::new(()) })));
        assert_eq!(format!("{nested:?}"), "Cast(Reply { tag: #Ref<3.1>, value: () })");
    }

    /// The address of a plain message's box.
    fn address(msg: &Msg) -> *const () {
        Payload::as_any(&*msg.body) as *const dyn Any as *const ()
    }

    #[test]
    fn a_payload_taken_out_leaves_its_box_to_the_next_payload_of_its_type() {
        #[derive(Debug, PartialEq)]
        struct Mine(u64);
        let first = Msg::new(Mine(1));
        let at = address(&first);
        assert_eq!(first.downcast::<Mine>().ok(), Some(Mine(1)));
        let other = Msg::new(7u16); // another type: another box
        let second = Msg::new(Mine(2));
        assert_eq!(address(&second), at, "the box of the payload taken out, reused");
        assert_ne!(address(&other), at);
        assert_eq!(format!("{second:?}"), "Mine(2)");
        assert_eq!(second.downcast_ref::<Mine>(), Some(&Mine(2)));
        let reply = Msg::from(Reply { tag: TAG, value: second });
        let value = reply.into_reply().expect("a reply").value;
        assert_eq!(address(&value), at, "an envelope keeps its payload's box");
        assert_eq!(value.downcast::<Mine>().ok(), Some(Mine(2)));
    }

    #[test]
    fn an_envelope_is_no_payload_and_comes_apart_into_what_went_in() {
        let call = Msg::from(Call { from: Pid(3), tag: TAG, req: Msg::new(5u32) });
        assert!(call.is_call() && !call.is::<u32>() && call.downcast_ref::<u32>().is_none());
        assert!(
            matches!(call.protocol(), Protocol::Call { from: Pid(3), tag: TAG, req } if req.downcast_ref() == Some(&5u32))
        );
        let call = call.downcast::<u32>().expect_err("an envelope is not a u32");
        let call = call.into_reply().err().expect("a call is not a reply");
        let Call { from, tag, req } = call.into_call().expect("a call");
        assert_eq!((from, tag, req.downcast::<u32>().ok()), (Pid(3), TAG, Some(5)));
        let reply = Msg::from(Reply { tag: TAG, value: Msg::new("ok") });
        assert_eq!(reply.reply_tag(), Some(TAG));
        assert_eq!(reply.into_reply().expect("a reply").value.downcast::<&str>().ok(), Some("ok"));
        let inner = Msg::from(Reply { tag: TAG, value: Msg::new(1i8) });
        let nested = Msg::from(Cast(inner)).into_cast().expect("a cast").0;
        assert_eq!(nested.reply_tag(), Some(TAG), "an envelope inside an envelope stays one");
        let plain = Msg::new(Msg::new(2i8));
        assert!(plain.protocol().is_plain() && plain.is::<Msg>(), "a message in a message is a plain payload");
    }
}
