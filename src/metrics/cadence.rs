//! How often a runbook is due. Only quarterly ones have a cadence: those whose id or title
//! says "quarterly".

/// A quarter, rounded up: the longest three consecutive months.
pub const QUARTERLY_DAYS: u32 = 92;

pub fn cadence_days(id: &str, title: &str) -> Option<u32> {
    let says = |text: &str| text.to_lowercase().contains("quarterly");
    (says(id) || says(title)).then_some(QUARTERLY_DAYS)
}

/// Overdue: never completed, or last completed more than `days` before `now` (seconds).
pub fn is_overdue(last_completed: Option<i64>, days: u32, now: i64) -> bool {
    last_completed.is_none_or(|last| now - last > i64::from(days) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarterly_runbooks_are_due_every_92_days() {
        assert_eq!(
            cadence_days("quarterly-incident-drill", "x"),
            Some(QUARTERLY_DAYS)
        );
        assert_eq!(
            cadence_days("review", "Quarterly security review"),
            Some(92)
        );
        assert_eq!(cadence_days("fee-update", "Update the fee"), None);
        let day = 86_400;
        let now = 1_000 * day;
        assert!(is_overdue(None, 92, now));
        assert!(!is_overdue(Some(now - 92 * day), 92, now));
        assert!(is_overdue(Some(now - 92 * day - 1), 92, now));
    }
}
