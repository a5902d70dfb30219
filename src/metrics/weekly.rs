//! Runs started per week, for the sparkline of the metrics view.

use super::runs::RunFacts;
use jiff::Timestamp;

const WEEK: i64 = 7 * 86_400;

/// Runs started in each of the `weeks` weeks that end at `now`, oldest first; a week is the
/// half-open span `(end - 7 days, end]`.
pub fn runs_per_week(facts: &[RunFacts], now: Timestamp, weeks: usize) -> Vec<u64> {
    let mut counts = vec![0; weeks];
    let now = now.as_second();
    for run in facts {
        let age = now - run.started.as_second();
        if age < 0 {
            continue;
        }
        let back = usize::try_from(age / WEEK).unwrap_or(usize::MAX);
        if back < weeks {
            counts[weeks - 1 - back] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Mode;
    use crate::metrics::Outcome;

    fn started(at: i64) -> RunFacts {
        RunFacts {
            id: at.to_string(),
            runbook: "r".into(),
            title: "R".into(),
            kind: None,
            mode: Mode::Offline,
            started: Timestamp::from_second(at).unwrap(),
            outcome: Outcome::Unfinished,
            signoff_wait_secs: None,
            chose_rollback: false,
        }
    }

    #[test]
    fn weeks_end_at_now_and_the_oldest_comes_first() {
        let now = 100 * WEEK;
        let runs: Vec<RunFacts> = [now, now - WEEK + 1, now - WEEK, now - 3 * WEEK, now + 5, 0]
            .into_iter()
            .map(started)
            .collect();
        let now = Timestamp::from_second(now).unwrap();
        assert_eq!(runs_per_week(&runs, now, 4), vec![1, 0, 1, 2]);
    }
}
