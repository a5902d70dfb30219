//! When a runbook with a `cadence` is overdue.

/// Overdue: never completed, or last completed more than `days` before `now` (seconds).
pub fn is_overdue(last_completed: Option<i64>, days: u32, now: i64) -> bool {
    last_completed.is_none_or(|last| now - last > i64::from(days) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runbook_is_overdue_a_second_after_its_cadence() {
        let day = 86_400;
        let now = 1_000 * day;
        assert!(is_overdue(None, 92, now));
        assert!(!is_overdue(Some(now - 92 * day), 92, now));
        assert!(is_overdue(Some(now - 92 * day - 1), 92, now));
    }
}
