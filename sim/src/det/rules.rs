//! Which revision of the deterministic executor's event rules a run follows.
//!
//! A recorded run (a choice log) means something only under the rules it was
//! recorded with: a revision adds or removes scheduling points, so the same
//! choices would steer a different run. Replay tokens therefore name their
//! revision, and a token recorded under revision 1 replays under revision 1,
//! byte for byte, for as long as this enum has that variant.
//!
//! What changed from revision 1 to revision 2 (each an Erlang behaviour that
//! revision 1 could not reach):
//! - **Exit in two phases.** Revision 1 ended a process and sent all of its
//!   link exits and `DOWN`s in the same step; in `instant` mode they landed
//!   there and then. Revision 2 marks the process dead in that step
//!   (`is_alive` is false, its stopper may proceed), and each link exit and
//!   `DOWN` it owes then travels through its (dead sender, receiver)
//!   channel and lands by a `Deliver` event of its own, in both modes.
//! - **Eager arrival.** In revision 1 a `spec`-mode signal could land only
//!   while its receiver had nothing acceptable waiting (an exit signal at the
//!   head of its channel excepted). In revision 2, while an exit signal or a
//!   `DOWN` is in flight to a process, every channel to it may deliver at any
//!   time, landing without handling; so a `DOWN` can sit in a mailbox behind
//!   a message the process has not handled yet, as `demonitor` without
//!   `flush` must be able to observe.
//! - **`unlink` cancels** a link's exit signal still in flight to the caller
//!   (Erlang's guarantee that, once `unlink` returns, the link has no effect
//!   on the caller). One that already landed as an `EXIT` message stays.

/// A revision of the executor's event rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rules {
    /// Revision 1: atomic exits, arrival merged with handling, `unlink`
    /// leaves a link exit in flight. Kept so that version-1 tokens replay.
    V1,
    /// Revision 2: Erlang's exits, arrivals and `unlink` (see the module doc).
    V2,
}

impl Rules {
    /// The revision new runs use.
    pub const CURRENT: Rules = Rules::V2;
    /// Every revision this build can run, oldest first.
    pub const ALL: [Rules; 2] = [Rules::V1, Rules::V2];

    /// Whether a dying process's link exits and `DOWN`s each land by a
    /// `Deliver` event of their own (also in `instant` mode).
    pub fn two_phase_exit(self) -> bool {
        self == Rules::V2
    }

    /// Whether an exit signal or `DOWN` in flight lets every channel to its
    /// receiver deliver at once, landing without handling.
    pub fn eager_arrival(self) -> bool {
        self == Rules::V2
    }

    /// Whether `unlink` drops the link's exit signal still in flight.
    pub fn unlink_cancels(self) -> bool {
        self == Rules::V2
    }
}
