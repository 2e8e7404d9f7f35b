//! `model`: actors, written only against `sim`'s traits ([`sim::Actor`],
//! [`sim::Ctx`], [`sim::Driver`]).
//!
//! It names no executor, so the same code runs under the deterministic
//! executor, on threads and under loom. Map:
//! - the OTP behaviours, for any subject: `gen_server` (calls, casts,
//!   info, terminate, calls made from inside a handler) and `supervisor` (a
//!   dynamic supervisor with temporary children);
//! - `kv`: one subject's actors, the guide's KV store (`kv::bucket`, and
//!   `kv::registry` with its four variants). `bucket`, `registry`,
//!   `Registry` and `Variant` are re-exported at the root for the paths
//!   code has always used.

pub mod gen_server;
pub mod kv;
pub mod supervisor;

pub use kv::registry::{Registry, Variant};
pub use kv::{bucket, registry};
