//! The search budget flags `check` and the bug hunt share: `--runs`,
//! `--time`, `--seed`, `--jobs`, and the parsing of a duration like `30s`.

use clap::Args;
use std::time::Duration;

/// The longest `--time` accepted: a week.
const MAX_TIME: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Args, Clone, Debug)]
pub struct SearchArgs {
    /// Runs to explore (each a generated workload under its own random schedule).
    #[arg(long, default_value_t = 10_000)]
    pub runs: u64,
    /// Stop after this long (e.g. 500ms, 30s, 5m, 1h) if the runs are not done; report what was covered.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub time: Option<Duration>,
    /// The exploration's seed: the same seed explores the same runs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Threads to explore on (default: the machine's cores); the answer does not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
}

impl SearchArgs {
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
    if !(seconds > 0.0 && seconds <= MAX_TIME.as_secs_f64()) {
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
        for bad in ["", "s", "30x", "-3s", "0s", "1e9s", "9999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
