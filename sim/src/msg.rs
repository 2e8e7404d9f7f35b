//! Dynamically typed message payloads.
//!
//! Erlang messages are untyped terms; a [`Msg`] is the Rust equivalent: any
//! `Send + Debug + 'static` value in a box, taken back out by type with
//! [`Msg::downcast`]. The `Debug` text is what traces print, so it must not
//! contain addresses or anything else that differs between runs.

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

/// A message: one boxed payload of any type.
pub struct Msg(Box<dyn Payload>);

impl Msg {
    /// Wraps a value as a message.
    pub fn new<T: Payload>(value: T) -> Msg {
        Msg(Box::new(value))
    }

    /// True when the payload is a `T`.
    pub fn is<T: Payload>(&self) -> bool {
        (*self.0).as_any().is::<T>()
    }

    /// Borrows the payload as a `T`, if it is one.
    pub fn downcast_ref<T: Payload>(&self) -> Option<&T> {
        (*self.0).as_any().downcast_ref::<T>()
    }

    /// Takes the payload out as a `T`, or gives the message back.
    pub fn downcast<T: Payload>(self) -> Result<T, Msg> {
        if self.is::<T>() {
            let any = Payload::into_any(self.0);
            Ok(*any.downcast::<T>().expect("checked by is::<T>()"))
        } else {
            Err(self)
        }
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}
