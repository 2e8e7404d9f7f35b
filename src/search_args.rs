//! The search budget flags `check` and the bug hunt share: `--runs`,
//! `--time`, `--seed`, `--jobs`, and the parsing of a duration like `30s`.

use clap::Args;
use std::time::Duration;

/// The longest `--time` accepted: a week.
const MAX_TIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// The shortest `--time` accepted.
const MIN_TIME: Duration = Duration::from_millis(1);

/// `--runs` when not given.
pub const DEFAULT_RUNS: u64 = 10_000;

/// `--runs` and `--seed` are options (their defaults applied by [`SearchArgs::runs`]
/// and [`SearchArgs::seed`]) so that a strategy that ignores them can refuse them.
#[derive(Args, Clone, Debug)]
pub struct SearchArgs {
    /// Runs to explore (each a generated workload under its own random schedule) [default: 10000].
    #[arg(long = "runs", value_name = "N")]
    pub runs_given: Option<u64>,
    /// Stop after this long (e.g. 500ms, 30s, 5m, 1h) if the runs are not done; report what was covered.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time: Option<Duration>,
    /// The exploration's seed: the same seed explores the same runs [default: 0].
    #[arg(long = "seed", value_name = "S")]
    pub seed_given: Option<u64>,
    /// Threads to explore on (default: the machine's cores); the answer does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
}

impl SearchArgs {
    pub fn runs(&self) -> u64 {
        self.runs_given.unwrap_or(DEFAULT_RUNS)
    }

    pub fn seed(&self) -> u64 {
        self.seed_given.unwrap_or(0)
    }

    pub fn jobs(&self) -> usize {
        match self.jobs {
            Some(jobs) => usize::from(jobs),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// `30s`, `500ms`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().map_err(|_| format!("'{text}' is not a duration such as 30s, 500ms or 5m"))?;
    let seconds_per_unit = match unit {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(format!("'{unit}' in '{text}' is not a unit (ms, s, m, h)")),
    };
    let seconds = value * seconds_per_unit;
    if !(seconds >= MIN_TIME.as_secs_f64() && seconds <= MAX_TIME.as_secs_f64()) {
        return Err(format!("'{text}' is not between 1ms and a week"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert_eq!(parse_duration("1ms"), Ok(Duration::from_millis(1)));
        for bad in ["", "s", "30x", "-3s", "0s", "1e9s", "9999h", "0.0001ms", "0.999ms", "0.0005"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
