//! The bare ceiling: what one execution of the seed race's shape costs with
//! nothing but a seeded choice and a handler call per step.
//!
//! Four processes, each a `Box<dyn Handler>` with a mailbox of boxed
//! messages. Every step ChaCha8 (seeded per execution, as kvsim's random
//! scheduler is) picks one of the non-empty mailboxes, its oldest message
//! is taken out, and the process's handler runs on it; a handler forwards
//! a hop count to the next process until it reaches zero. Three messages of
//! three hops start each execution: 12 steps, about the seed test's 11.7,
//! with a choice at most of them.
//!
//! What it leaves out, and kvsim pays for: links, monitors and exits;
//! channels between the send and the landing (`spec` delivery); selective
//! receive (`accepts`); the call protocol; labels, pids and refs; a
//! history and its checker; the panic guard. So kvsim / ceiling is the
//! share of the hardware limit kvsim reaches on this shape, not a target
//! it could meet while keeping Erlang's semantics.

use peers::{timed, Tally};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::any::Any;
use std::collections::VecDeque;

/// A process's code: takes one message and says where the next one goes.
trait Handler {
    fn handle(&mut self, msg: Box<dyn Any>) -> Option<(usize, Box<dyn Any>)>;
}

/// Forwards a hop count, one less, to the next of four processes.
struct Hop {
    me: usize,
    seen: u64,
}

impl Handler for Hop {
    fn handle(&mut self, msg: Box<dyn Any>) -> Option<(usize, Box<dyn Any>)> {
        let hops = *msg.downcast::<u32>().expect("hop counts only");
        self.seen += 1;
        (hops > 0).then(|| ((self.me + 1) % PROCESSES, Box::new(hops - 1) as Box<dyn Any>))
    }
}

const PROCESSES: usize = 4;
/// Steps per execution: `STARTS` messages of `HOPS` hops each take `HOPS + 1` steps.
const STARTS: usize = 3;
const HOPS: u32 = 3;
const MAX_STEPS: u64 = 64;

/// One execution under `seed`; returns its steps and how many had a choice.
fn execution(seed: u64, mailboxes: &mut [VecDeque<Box<dyn Any>>; PROCESSES]) -> (u64, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut actors: Vec<Box<dyn Handler>> =
        (0..PROCESSES).map(|me| Box::new(Hop { me, seen: 0 }) as Box<dyn Handler>).collect();
    for mailbox in mailboxes.iter_mut().take(STARTS) {
        debug_assert!(mailbox.is_empty());
        mailbox.push_back(Box::new(HOPS) as Box<dyn Any>);
    }
    let (mut steps, mut choices) = (0, 0);
    let mut ready = [0usize; PROCESSES];
    loop {
        let mut n = 0;
        for (pid, mailbox) in mailboxes.iter().enumerate() {
            if !mailbox.is_empty() {
                ready[n] = pid;
                n += 1;
            }
        }
        if n == 0 {
            return (steps, choices);
        }
        assert!(steps < MAX_STEPS, "the ceiling loop is bounded");
        let pick = if n == 1 { 0 } else { rng.gen_range(0..n) };
        choices += u64::from(n > 1);
        let pid = ready[pick];
        let msg = mailboxes[pid].pop_front().expect("non-empty");
        if let Some((to, next)) = actors[pid].handle(msg) {
            mailboxes[to].push_back(next);
        }
        steps += 1;
    }
}

/// `executions` executions, seeds `first..`, timed on this thread.
pub fn round(first: u64, executions: u64) -> Tally {
    let mut mailboxes: [VecDeque<Box<dyn Any>>; PROCESSES] = Default::default();
    timed(|| {
        let mut tally = Tally::default();
        for seed in first..first + executions {
            let (steps, choices) = execution(seed, &mut mailboxes);
            debug_assert_eq!(steps, (STARTS as u64) * u64::from(HOPS + 1));
            tally.executions += 1;
            tally.steps += steps;
            tally.to_verdict += steps;
            tally.choices += choices;
        }
        tally
    })
}
