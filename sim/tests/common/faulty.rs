//! Faulty actors: each breaks one rule of good behaviour, for the tests
//! that check the executors survive it.

use super::is_word;
use sim::call::{self, Call};
use sim::{Actor, Ctx, Label, Msg, Pid, Ref, Signal};
use std::fmt;

/// On a call, calls `peer` and replies once the peer answered. `spawn_peer`:
/// in init it spawns a `Relay` whose peer is this one.
pub struct Relay {
    pub peer: Option<Pid>,
    pub spawn_peer: bool,
    pub pending: Option<(Pid, Ref, Ref)>,
}

impl Relay {
    /// A relay that spawns its peer: a call to it is a call cycle.
    pub fn cycle() -> Box<dyn Actor> {
        Box::new(Relay { peer: None, spawn_peer: true, pending: None })
    }
}

impl Actor for Relay {
    fn label(&self) -> Label {
        Label::from("relay")
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        if self.spawn_peer {
            let me = ctx.me();
            self.peer = Some(ctx.spawn(Box::new(Relay { peer: Some(me), spawn_peer: false, pending: None })));
        }
    }
    fn accepts(&self, signal: &Signal) -> bool {
        self.pending.is_none_or(|(_, _, tag)| call::is_answer(signal, tag))
    }
    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        if let Some((from, their_tag, _)) = self.pending.take() {
            call::reply(ctx, from, their_tag, Msg::new("relayed"));
            return;
        }
        let Signal::Message { msg, .. } = signal else { return };
        let Ok(Call { from, tag, .. }) = msg.into_call() else { return };
        let mine = call::start(ctx, self.peer.unwrap(), Msg::new("relay"));
        self.pending = Some((from, tag, mine));
    }
}

/// Spawns a `Nester` with one level fewer from its `init`, until none is left.
pub struct Nester {
    pub levels: u32,
}

impl Actor for Nester {
    fn label(&self) -> Label {
        Label::interned(format_args!("nester({})", self.levels))
    }
    fn init(&mut self, ctx: &mut dyn Ctx) {
        if self.levels > 0 {
            ctx.spawn(Box::new(Nester { levels: self.levels - 1 }));
        }
    }
    fn handle(&mut self, _: Signal, _: &mut dyn Ctx) {}
}

/// Accepts everything but the word `"poison"`, on which `accepts` panics
/// with `accepts choked`.
pub struct Picky;

impl Actor for Picky {
    fn label(&self) -> Label {
        Label::from("picky")
    }
    fn accepts(&self, signal: &Signal) -> bool {
        assert!(!is_word(signal, "poison"), "accepts choked");
        true
    }
    fn handle(&mut self, _: Signal, _: &mut dyn Ctx) {}
}

/// An actor whose `label` panics with `no name`.
pub struct Nameless;

impl Actor for Nameless {
    fn label(&self) -> Label {
        panic!("no name")
    }
    fn handle(&mut self, _: Signal, _: &mut dyn Ctx) {}
}

/// A payload whose `Debug` panics with `cannot print`.
pub struct Unprintable;

impl fmt::Debug for Unprintable {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("cannot print")
    }
}
