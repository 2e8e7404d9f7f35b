//! `model`: OTP behaviours and the KV registry, written only against `sim`'s
//! traits ([`sim::Actor`], [`sim::Ctx`], [`sim::Driver`]).
//!
//! It names no executor, so the same code runs under the deterministic
//! executor, on threads and under loom. Map:
//! - `gen_server`: the GenServer behaviour (calls, casts, info, terminate,
//!   calls made from inside a handler);
//! - `bucket`: the Agent-style `KV.Bucket`;
//! - `supervisor`: a dynamic supervisor with temporary children;
//! - `registry`: the four registry variants and their client API.

pub mod bucket;
pub mod gen_server;
pub mod registry;
pub mod supervisor;

pub use registry::{Registry, Variant};
