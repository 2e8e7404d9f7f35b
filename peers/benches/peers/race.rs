//! The seed's "removes buckets on exit" on the `monitored` registry, as
//! threads and channels: one source, compiled twice, over shuttle's
//! primitives and over loom's (the module that includes it brings
//! `thread`, `mpsc`, `Arc` and `Mutex` into scope).
//!
//! Four threads, one per process of kvsim's seed test, spawned in its order:
//! the bucket supervisor, the registry, the bucket (spawned by the
//! supervisor), and the client, the model's own thread, as kvsim's test
//! process is. Each process has a mailbox, an `mpsc` channel of its own
//! message type, and handles one message at a time. The client runs the
//! seed test: `create` (a cast), `lookup` (a call; it finds the bucket),
//! stop the bucket and wait until it has died, `lookup` again, which must
//! find nothing. The registry is the `monitored` one: `create` calls the
//! supervisor's `start_child`, monitors the bucket it answers and records
//! the name; `lookup` answers the name's bucket; a `DOWN` forgets the name.
//! The supervisor links each child it starts and forgets a child whose
//! `EXIT` arrives. A dying bucket is dead first (its stopper is answered),
//! then sends its link's `EXIT` and its monitors' `DOWN`s, each a send of
//! its own. The race: the client's second lookup reaches the registry
//! before the bucket's `DOWN` does, and is answered the dead bucket.
//!
//! Where this differs from kvsim's seed test:
//! - Delivery. A channel delivers at the send; kvsim's `spec` mode keeps
//!   each signal in flight until a delivery event. So here the race exists
//!   only because the dying bucket answers its stopper before it sends the
//!   registry's `DOWN` (kvsim's thread runtime's order), where kvsim reaches
//!   it by delivering the registry's `DOWN` late. The window is the same:
//!   from the stopper's wake-up until the registry handles the `DOWN`.
//! - Stop. kvsim's test process monitors the bucket, sends it a stop and
//!   waits for its `DOWN`; here the client waits on a reply channel that the
//!   bucket answers when it has died.
//! - Calls. kvsim's call monitors the callee and waits, by selective
//!   receive, for the reply or the callee's `DOWN`; here the caller waits on
//!   a reply channel of its own (no callee dies in this scenario).
//! - Monitors and links live in a per-process cell behind a `Mutex` (alive,
//!   watchers, link), so that a monitor of a dead process is answered
//!   `DOWN(noproc)` as in Erlang; kvsim's kernel keeps them in its tables.
//! - Types. Messages are typed enums; kvsim's are boxed `Msg` values
//!   downcast by type, behind its GenServer, and its executor also records
//!   the history (call stamps, process records) that its checkers read.
//! - The end. shuttle and loom need every thread to finish, so after the
//!   final lookup the client shuts the supervisor down (which joins its
//!   child's thread, so the bucket has sent everything), joins it, then
//!   shuts the registry down and joins it. kvsim's run just ends. These
//!   steps come after the race is decided.

use super::{mpsc, thread, Arc, Mutex};
use std::collections::BTreeMap;

/// The bucket name the seed's tests use.
const NAME: &str = "shopping";

/// What one execution showed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The lookup after `create` found the bucket (expected: always).
    pub created: bool,
    /// The lookup after the stop still found the dead bucket: the race.
    pub dead_lookup: bool,
}

/// A bucket as others hold it: its id, its mailbox and its cell.
#[derive(Clone)]
struct Bucket {
    id: u32,
    mailbox: mpsc::Sender<BucketMsg>,
    cell: Arc<Mutex<Cell>>,
}

/// A process's liveness, watchers and link, as a kernel would keep them.
struct Cell {
    alive: bool,
    /// Monitors: (monitor ref, the watcher's mailbox).
    watchers: Vec<(u64, mpsc::Sender<RegistryMsg>)>,
    /// The link to the supervisor.
    link: Option<mpsc::Sender<SupervisorMsg>>,
}

enum RegistryMsg {
    /// `GenServer.cast(registry, {:create, name})`.
    Create(String),
    /// `GenServer.call(registry, {:lookup, name})`, answered on the caller's channel.
    Lookup(String, mpsc::Sender<Option<Bucket>>),
    /// `{:DOWN, ref, :process, pid, reason}`.
    Down(u64),
    Shutdown,
}

enum SupervisorMsg {
    /// `DynamicSupervisor.start_child(sup, KV.Bucket)`, answered on the caller's channel.
    StartChild(mpsc::Sender<Bucket>),
    /// `{:EXIT, pid, reason}` from a linked child (the supervisor traps exits).
    Exit(u32),
    Shutdown,
}

enum BucketMsg {
    /// `Agent.stop(bucket)`: end `:normal`, and answer once dead.
    Stop(mpsc::Sender<()>),
}

/// `Process.monitor(bucket)` by the registry: `DOWN(noproc)` at once if it is dead.
fn monitor(bucket: &Bucket, mref: u64, watcher: &mpsc::Sender<RegistryMsg>) {
    let mut cell = bucket.cell.lock().unwrap();
    if cell.alive {
        cell.watchers.push((mref, watcher.clone()));
    } else {
        drop(cell);
        let _ = watcher.send(RegistryMsg::Down(mref));
    }
}

fn bucket_loop(mailbox: mpsc::Receiver<BucketMsg>, cell: Arc<Mutex<Cell>>, id: u32) {
    let BucketMsg::Stop(stopper) = mailbox.recv().unwrap();
    // Dead in one step: no new watcher from here on.
    let (watchers, link) = {
        let mut cell = cell.lock().unwrap();
        cell.alive = false;
        (std::mem::take(&mut cell.watchers), cell.link.take())
    };
    let _ = stopper.send(());
    if let Some(supervisor) = link {
        let _ = supervisor.send(SupervisorMsg::Exit(id));
    }
    for (mref, watcher) in watchers {
        let _ = watcher.send(RegistryMsg::Down(mref));
    }
}

fn supervisor_loop(me: mpsc::Sender<SupervisorMsg>, mailbox: mpsc::Receiver<SupervisorMsg>) {
    let mut children: Vec<u32> = Vec::new();
    let mut threads = Vec::new();
    loop {
        match mailbox.recv().unwrap() {
            SupervisorMsg::StartChild(reply) => {
                let id = threads.len() as u32 + 1;
                let (tx, rx) = mpsc::channel();
                let cell = Arc::new(Mutex::new(Cell { alive: true, watchers: Vec::new(), link: Some(me.clone()) }));
                let child_cell = Arc::clone(&cell);
                threads.push(thread::spawn(move || bucket_loop(rx, child_cell, id)));
                children.push(id);
                let _ = reply.send(Bucket { id, mailbox: tx, cell });
            }
            SupervisorMsg::Exit(from) => children.retain(|&c| c != from),
            SupervisorMsg::Shutdown => break,
        }
    }
    // terminate: the client has stopped every child; wait for their threads to end.
    for t in threads {
        t.join().unwrap();
    }
}

fn registry_loop(
    me: mpsc::Sender<RegistryMsg>,
    mailbox: mpsc::Receiver<RegistryMsg>,
    sup: mpsc::Sender<SupervisorMsg>,
) {
    let mut names: BTreeMap<String, Bucket> = BTreeMap::new();
    let mut refs: BTreeMap<u64, String> = BTreeMap::new();
    let mut next_ref = 0;
    let (reply_tx, reply_rx) = mpsc::channel();
    loop {
        match mailbox.recv().unwrap() {
            RegistryMsg::Lookup(name, reply) => {
                let _ = reply.send(names.get(&name).cloned());
            }
            RegistryMsg::Create(name) => {
                if names.contains_key(&name) {
                    continue;
                }
                sup.send(SupervisorMsg::StartChild(reply_tx.clone())).unwrap();
                let bucket: Bucket = reply_rx.recv().unwrap();
                next_ref += 1;
                monitor(&bucket, next_ref, &me);
                refs.insert(next_ref, name.clone());
                names.insert(name, bucket);
            }
            RegistryMsg::Down(mref) => {
                if let Some(name) = refs.remove(&mref) {
                    names.remove(&name);
                }
            }
            RegistryMsg::Shutdown => break,
        }
    }
}

/// One execution: the seed test, on the model's own thread as the client.
/// `decided` runs once the verdict is in, before the shutdown (shuttle's
/// side counts the scheduling points up to there).
pub fn removes_buckets_on_exit(decided: impl FnOnce()) -> Outcome {
    let (sup, sup_mailbox) = mpsc::channel();
    let me = sup.clone();
    let sup_thread = thread::spawn(move || supervisor_loop(me, sup_mailbox));
    let (registry, registry_mailbox) = mpsc::channel();
    let (me, to_sup) = (registry.clone(), sup.clone());
    let registry_thread = thread::spawn(move || registry_loop(me, registry_mailbox, to_sup));

    let (reply_tx, reply_rx) = mpsc::channel();
    let lookup = || {
        registry.send(RegistryMsg::Lookup(NAME.to_string(), reply_tx.clone())).unwrap();
        reply_rx.recv().unwrap()
    };
    registry.send(RegistryMsg::Create(NAME.to_string())).unwrap();
    let created = lookup();
    let mut outcome = Outcome { created: created.is_some(), dead_lookup: false };
    if let Some(bucket) = created {
        let (stopped_tx, stopped_rx) = mpsc::channel();
        bucket.mailbox.send(BucketMsg::Stop(stopped_tx)).unwrap();
        stopped_rx.recv().unwrap();
        outcome.dead_lookup = lookup().is_some_and(|b| b.id == bucket.id);
    }
    decided();

    sup.send(SupervisorMsg::Shutdown).unwrap();
    sup_thread.join().unwrap();
    registry.send(RegistryMsg::Shutdown).unwrap();
    registry_thread.join().unwrap();
    outcome
}
