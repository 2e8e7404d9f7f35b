//! A bank: account processes, and tellers that move money between them. A
//! subject of kvsim's, written in this one file against the public API, the
//! way a researcher brings their own system.
//!
//! - `racy`: a teller reads the balance, then writes it back lowered: a
//!   check-then-act over two calls, so two tellers on one account can lose
//!   an update, and money appears from nowhere;
//! - `locked`: the account withdraws in one call, so money is conserved.
//!
//! `cargo run --release -- check --subject bank` finds the race, shrinks
//! it and prints a token that `replay` reruns; `--svg FILE` draws it.
//! `cargo run --example bank` runs the same check from this file's `main`.

use model::gen_server::{debug_fingerprint, CallReply, From, GenCtx, GenServer, Server};
use properties::check::{check, CheckConfig};
use properties::clients::{run_clients, sim_for, Go};
use properties::dynamic::{erase, DynSubject};
use properties::generate::pick;
use properties::token::decode_among;
use properties::{Execution, Finding, Fixed, Property, Subject, TestRng, Workload};
use sim::call::{call, Outstanding, Request};
use sim::sched::Scheduler;
use sim::trace::TraceLevel;
use sim::{Actor, Ctx, Delivery, Driver, Label, Msg, Pid, Signal};
use std::collections::VecDeque;

// ---- The actors -------------------------------------------------------------

const ACCOUNTS: usize = 2;
const START: i64 = 5;

/// What an account is asked; every request answers an amount.
#[derive(Debug)]
enum Req {
    Get,
    /// Sets the balance; answers the old one.
    Set(i64),
    /// Takes `amount` if the balance covers it; answers what it took.
    Withdraw(i64),
    Deposit(i64),
}

impl Request for Req {
    type Reply = i64;
}

/// An account: a GenServer holding a balance.
struct Account {
    number: usize,
    balance: i64,
}

impl GenServer for Account {
    type Req = Req;

    fn label(&self) -> Label {
        Label::interned(format_args!("account{}", self.number))
    }

    /// Lets `--strategy dfs-cached` merge states: all an account holds.
    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        debug_fingerprint(&self.balance)
    }

    fn handle_call(&mut self, req: Req, _from: From, _ctx: &mut GenCtx<'_, Self>) -> CallReply<i64> {
        CallReply::Reply(match req {
            Req::Get => self.balance,
            Req::Set(balance) => std::mem::replace(&mut self.balance, balance),
            Req::Withdraw(amount) if self.balance >= amount => {
                self.balance -= amount;
                amount
            }
            Req::Withdraw(_) => 0,
            Req::Deposit(amount) => {
                self.balance += amount;
                amount
            }
        })
    }
}

/// Move `amount` from account `from` to the other one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Transfer {
    from: usize,
    amount: i64,
}

impl std::fmt::Display for Transfer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "transfer({} from account{})", self.amount, self.from)
    }
}

/// Where a teller's transfer is: waiting for the answer to which call.
#[derive(Clone, Copy, Debug)]
enum Stage {
    Read,
    Take,
    Deposit,
}

/// A client: runs its script of transfers, one call at a time.
struct Teller {
    number: usize,
    racy: bool,
    accounts: Vec<Pid>,
    script: VecDeque<Transfer>,
    started: bool,
    waiting: Option<(Transfer, Stage, Outstanding<Req>)>,
}

impl Teller {
    fn boxed(number: usize, racy: bool, accounts: &[Pid], script: &[Transfer]) -> Box<dyn Actor> {
        let (accounts, script) = (accounts.to_vec(), script.to_vec().into());
        Box::new(Teller { number, racy, accounts, script, started: false, waiting: None })
    }

    fn ask(&mut self, ctx: &mut dyn Ctx, t: Transfer, stage: Stage, account: usize, req: Req) {
        let call = Outstanding::start(ctx, self.accounts[account], req);
        self.waiting = Some((t, stage, call));
    }

    fn next(&mut self, ctx: &mut dyn Ctx) {
        let Some(t) = self.script.pop_front() else { return };
        let (stage, req) = if self.racy { (Stage::Read, Req::Get) } else { (Stage::Take, Req::Withdraw(t.amount)) };
        self.ask(ctx, t.clone(), stage, t.from, req);
    }
}

impl Actor for Teller {
    fn label(&self) -> Label {
        Label::interned(format_args!("teller{}", self.number))
    }

    /// Everything its future depends on (it holds no stamp).
    fn fingerprint(&self, _stamps: &sim::Stamps) -> Option<u64> {
        debug_fingerprint(&(self.started, &self.script, &self.waiting))
    }

    fn accepts(&self, signal: &Signal) -> bool {
        match &self.waiting {
            Some((.., call)) => call.is_answer(signal),
            None => !self.started && signal.msg().is_some_and(Msg::is::<Go>),
        }
    }

    fn handle(&mut self, signal: Signal, ctx: &mut dyn Ctx) {
        self.started = true;
        let Some((t, stage, call)) = self.waiting.take() else { return self.next(ctx) };
        let Ok(answer) = call.finish(ctx, signal) else { return };
        let to = 1 - t.from;
        match stage {
            Stage::Read if answer >= t.amount => {
                self.ask(ctx, t.clone(), Stage::Take, t.from, Req::Set(answer - t.amount))
            }
            Stage::Take if self.racy || answer == t.amount => {
                self.ask(ctx, t.clone(), Stage::Deposit, to, Req::Deposit(t.amount))
            }
            _ => self.next(ctx),
        }
    }
}

// ---- The harness side: everything kvsim needs to check it -------------------

#[derive(Clone, Debug)]
pub struct Bank {
    racy: bool,
}

/// The balances at rest, or why the run could not read them.
#[derive(Clone, Debug)]
pub struct Ledger(Result<Vec<i64>, String>);

impl Subject for Bank {
    type Op = Transfer;
    type History = Ledger;

    fn name(&self) -> String {
        format!("bank.{}", if self.racy { "racy" } else { "locked" })
    }

    fn execute(&self, w: &Workload<Transfer>, scheduler: Box<dyn Scheduler>, trace: TraceLevel) -> Execution<Ledger> {
        let mut sim = sim_for(w, scheduler, trace);
        let account = |number| Server::boxed(Account { number, balance: START });
        let accounts: Vec<Pid> = (0..ACCOUNTS).map(|n| sim.spawn(account(n)).expect("2 accounts fit")).collect();
        let tellers = w.clients.iter().enumerate().map(|(i, s)| Teller::boxed(i + 1, self.racy, &accounts, s));
        let ran = run_clients(&mut sim, tellers).map_err(sim::CallError::from);
        let read = |sim: &mut _, &a| call(sim, a, Req::Get);
        let balances = ran.and_then(|()| accounts.iter().map(|a| read(&mut sim, a)).collect());
        Execution::of(&sim, Ledger(balances.map_err(|e| e.to_string())))
    }

    fn properties(&self) -> Vec<Property<Ledger>> {
        let total = START * ACCOUNTS as i64;
        vec![Property::new("conserved", move |Ledger(balances)| match balances {
            Ok(b) if b.iter().sum::<i64>() == total => None,
            Ok(b) => Some(Finding::new(format!("balances {b:?} do not add up to {total}"))),
            Err(e) => Some(Finding::new(format!("the run failed: {e}"))),
        })]
    }

    fn draw_op(&self, rng: &mut TestRng) -> Transfer {
        Transfer { from: pick(rng, ACCOUNTS), amount: 1 + pick(rng, 3) as i64 }
    }

    fn encode_op(&self, t: &Transfer) -> String {
        format!("T{}={}", t.from, t.amount)
    }

    fn decode_op(&self, text: &str) -> Result<Transfer, String> {
        let all = (0..ACCOUNTS).flat_map(|from| (1..=3).map(move |amount| Transfer { from, amount }));
        decode_among(all, |t| self.encode_op(t), text)
    }

    fn fixed_workloads(&self) -> Vec<Fixed<Transfer>> {
        let t = |from, amount| vec![Transfer { from, amount }];
        vec![Fixed {
            name: "crossed",
            about: "two tellers move money in opposite directions",
            clients: vec![t(0, 1), t(1, 2)],
        }]
    }

    fn expected_violation(&self, _mode: Delivery, _property: &str) -> Option<bool> {
        Some(self.racy)
    }
}

/// The command line's table entry: both variants, the racy one first.
pub fn variants() -> Vec<DynSubject> {
    vec![erase(Bank { racy: true }), erase(Bank { racy: false })]
}

fn main() {
    let found = check(&CheckConfig::new(Bank { racy: true }, Delivery::Spec)).found;
    print!("{}", properties::report::render_found(&found.expect("the racy bank loses money")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use properties::harness::{all_properties_hold, runs};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn locked_transfers_conserve_money((workload, seed) in runs(Bank { racy: false }, Delivery::Spec)) {
            all_properties_hold(&Bank { racy: false }, &workload, seed)?;
        }
    }

    #[test]
    fn racy_transfers_lose_an_update_in_two_transfers() {
        let found = check(&CheckConfig { runs: 2_000, ..CheckConfig::new(Bank { racy: true }, Delivery::Spec) }).found;
        assert_eq!(found.expect("the racy bank loses money").shrunk.workload.op_count(), 2);
    }
}
