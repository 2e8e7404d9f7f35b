//! The synchronization primitives the thread runtime is written over, and the
//! one place that chooses them: `std`'s for real threads, `loom`'s under the
//! model checker.
//!
//! [`Platform`] names a mutex, a condition variable, a counter (the logical
//! clock), thread spawn and join;
//! [`StdPlatform`] and [`LoomPlatform`] implement it with APIs that mirror
//! each other, so the runtime above is one source compiled twice, chosen per
//! test by a type parameter (no `cfg(loom)`, no `RUSTFLAGS`). [`Locked`] is
//! the only shape the runtime uses them in: data behind a mutex, plus a
//! condition variable notified on every change a waiter may be waiting for.
//! Invariant: every blocking wait of the runtime is [`Locked::wait_until`],
//! a condition-variable wait that re-checks its condition under the lock, so
//! a notification is never lost, and that counts its sleepers in the
//! runtime's [`Activity`], so a deadlock is told to the last waiter.
//!
//! Sharing uses `std::sync::Arc` on both platforms: loom's `Arc` only adds
//! leak tracking, and every datum shared through an `Arc` here is reached
//! only through a platform mutex (or is write-once before its pid is known).

use super::activity::{Activity, Idle};
use std::ops::DerefMut;
use std::sync::{Arc, PoisonError};

/// The primitives a runtime is built on.
pub trait Platform: Send + Sync + 'static {
    /// Shown by the demo and the stress command.
    const NAME: &'static str;
    type Mutex<T: Send + 'static>: Send + Sync;
    type Guard<'a, T: Send + 'static>: DerefMut<Target = T>;
    type Condvar: Send + Sync;
    type JoinHandle: Send + 'static;
    /// A shared counter; the logical clock. Under loom it is one of loom's
    /// atomics, so loom orders each read of the clock like any shared access.
    type Counter: Send + Sync;

    fn counter() -> Self::Counter;
    /// Adds one to `counter` and answers the new value, atomically.
    fn increment(counter: &Self::Counter) -> u64;
    fn mutex<T: Send + 'static>(value: T) -> Self::Mutex<T>;
    fn lock<T: Send + 'static>(mutex: &Self::Mutex<T>) -> Self::Guard<'_, T>;
    fn condvar() -> Self::Condvar;
    /// Releases the guard's lock, sleeps until notified, and locks again.
    fn wait<'a, T: Send + 'static>(condvar: &Self::Condvar, guard: Self::Guard<'a, T>) -> Self::Guard<'a, T>;
    fn notify_all(condvar: &Self::Condvar);
    /// Starts a thread; `name` labels it where the platform can.
    fn spawn(name: String, f: Box<dyn FnOnce() + Send>) -> Self::JoinHandle;
    /// Waits for a thread; a panic that escaped it (a runtime bug, never a
    /// handler's panic) is resumed here.
    fn join(handle: Self::JoinHandle);
    /// Under loom: interleavings from here on are not explored (each thread
    /// runs as loom's first schedule has it) until [`Platform::explore`].
    /// Elsewhere: nothing.
    fn stop_exploring() {}
    /// Under loom: explore every interleaving from here on. Elsewhere: nothing.
    fn explore() {}
}

/// Real OS threads and `std::sync`.
pub struct StdPlatform;

impl Platform for StdPlatform {
    const NAME: &'static str = "std threads";
    type Mutex<T: Send + 'static> = std::sync::Mutex<T>;
    type Guard<'a, T: Send + 'static> = std::sync::MutexGuard<'a, T>;
    type Condvar = std::sync::Condvar;
    type JoinHandle = std::thread::JoinHandle<()>;
    type Counter = std::sync::atomic::AtomicU64;

    fn counter() -> Self::Counter {
        std::sync::atomic::AtomicU64::new(0)
    }
    fn increment(counter: &Self::Counter) -> u64 {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }
    fn mutex<T: Send + 'static>(value: T) -> Self::Mutex<T> {
        std::sync::Mutex::new(value)
    }
    fn lock<T: Send + 'static>(mutex: &Self::Mutex<T>) -> Self::Guard<'_, T> {
        mutex.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn condvar() -> Self::Condvar {
        std::sync::Condvar::new()
    }
    fn wait<'a, T: Send + 'static>(condvar: &Self::Condvar, guard: Self::Guard<'a, T>) -> Self::Guard<'a, T> {
        condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
    }
    fn notify_all(condvar: &Self::Condvar) {
        condvar.notify_all();
    }
    fn spawn(name: String, f: Box<dyn FnOnce() + Send>) -> Self::JoinHandle {
        std::thread::Builder::new().name(name).spawn(f).expect("the OS starts a thread")
    }
    fn join(handle: Self::JoinHandle) {
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

/// loom's model-checked threads and `loom::sync`; only valid inside a loom model.
pub struct LoomPlatform;

impl Platform for LoomPlatform {
    const NAME: &'static str = "loom";
    type Mutex<T: Send + 'static> = loom::sync::Mutex<T>;
    type Guard<'a, T: Send + 'static> = loom::sync::MutexGuard<'a, T>;
    type Condvar = loom::sync::Condvar;
    type JoinHandle = loom::thread::JoinHandle<()>;
    type Counter = loom::sync::atomic::AtomicU64;

    fn counter() -> Self::Counter {
        loom::sync::atomic::AtomicU64::new(0)
    }
    fn increment(counter: &Self::Counter) -> u64 {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }
    fn mutex<T: Send + 'static>(value: T) -> Self::Mutex<T> {
        loom::sync::Mutex::new(value)
    }
    fn lock<T: Send + 'static>(mutex: &Self::Mutex<T>) -> Self::Guard<'_, T> {
        mutex.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn condvar() -> Self::Condvar {
        loom::sync::Condvar::new()
    }
    fn wait<'a, T: Send + 'static>(condvar: &Self::Condvar, guard: Self::Guard<'a, T>) -> Self::Guard<'a, T> {
        condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
    }
    fn notify_all(condvar: &Self::Condvar) {
        condvar.notify_all();
    }
    fn spawn(_name: String, f: Box<dyn FnOnce() + Send>) -> Self::JoinHandle {
        loom::thread::spawn(f)
    }
    fn join(handle: Self::JoinHandle) {
        if let Err(panic) = handle.join() {
            std::panic::resume_unwind(panic);
        }
    }
    fn stop_exploring() {
        loom::stop_exploring();
    }
    fn explore() {
        loom::explore();
    }
}

/// Data behind a platform mutex, with a condition variable for waiting on
/// it. It counts its sleeping waiters, so a change nobody waits for notifies
/// no one (one scheduling point fewer for loom, one syscall fewer on
/// threads), and a change wakes them in the runtime's [`Activity`] at once.
pub struct Locked<P: Platform, T: Send + 'static> {
    mutex: P::Mutex<Inner<T>>,
    condvar: P::Condvar,
    activity: Arc<Activity>,
}

struct Inner<T> {
    value: T,
    /// Waiters asleep and not yet woken by a change.
    waiters: usize,
    /// Changes that woke waiters: a waiter that sees it unchanged woke spuriously.
    wakes: u64,
}

impl<P: Platform, T: Send + 'static> Locked<P, T> {
    pub fn new(value: T, activity: &Arc<Activity>) -> Self {
        let inner = Inner { value, waiters: 0, wakes: 0 };
        Locked { mutex: P::mutex(inner), condvar: P::condvar(), activity: Arc::clone(activity) }
    }

    /// Wakes every sleeping waiter (under the lock, so each re-check sees the change).
    fn wake_all(&self, inner: &mut Inner<T>) {
        if inner.waiters > 0 {
            self.activity.wake(std::mem::take(&mut inner.waiters));
            inner.wakes += 1;
            P::notify_all(&self.condvar);
        }
    }

    /// Re-checks `f` after every wake; `Err(Idle)` instead of a sleep that
    /// would deadlock the runtime (see [`Activity`]).
    fn wait_locked<'a, R>(
        &'a self,
        mut guard: P::Guard<'a, Inner<T>>,
        mut f: impl FnMut(&mut T) -> Option<R>,
    ) -> Result<R, Idle> {
        loop {
            if let Some(result) = f(&mut guard.value) {
                return Ok(result);
            }
            self.activity.sleep()?;
            guard.waiters += 1;
            let wakes = guard.wakes;
            while guard.wakes == wakes {
                guard = P::wait(&self.condvar, guard);
            }
        }
    }

    /// Runs `f` on the data under the lock; wakes no one.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut guard = P::lock(&self.mutex);
        f(&mut guard.value)
    }

    /// Runs `f` on the data under the lock, then wakes every waiter (still
    /// under the lock, so a waiter that re-checks sees the change).
    pub fn change<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut guard = P::lock(&self.mutex);
        let result = f(&mut guard.value);
        self.wake_all(&mut guard);
        result
    }

    /// `change(first)`, then, unless `first` answered `None`, `wait_until(then)`,
    /// all under one acquisition of the lock (one step fewer than the two).
    pub fn change_then_wait<A, R>(
        &self,
        first: impl FnOnce(&mut T) -> Option<A>,
        mut then: impl FnMut(&mut T, &A) -> Option<R>,
    ) -> Option<Result<R, Idle>> {
        let mut guard = P::lock(&self.mutex);
        let token = first(&mut guard.value)?;
        self.wake_all(&mut guard);
        Some(self.wait_locked(guard, |value| then(value, &token)))
    }

    /// Blocks until `f` answers `Some`, re-checking after every notification;
    /// `Err(Idle)` when this waiter is the last one awake (a deadlock).
    pub fn wait_until<R>(&self, f: impl FnMut(&mut T) -> Option<R>) -> Result<R, Idle> {
        let guard = P::lock(&self.mutex);
        self.wait_locked(guard, f)
    }
}
