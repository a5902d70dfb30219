//! Durations and rates as people read them: `45s`, `3m 20s`, `2h 5m`, `3d 4h`; `50%`, `66.7%`.

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// Two units at most, the smaller one left out when it is zero.
pub fn human(secs: u64) -> String {
    let (big, big_unit, small, small_unit) = if secs < MINUTE {
        return format!("{secs}s");
    } else if secs < HOUR {
        (secs / MINUTE, "m", secs % MINUTE, "s")
    } else if secs < DAY {
        (secs / HOUR, "h", secs % HOUR / MINUTE, "m")
    } else {
        (secs / DAY, "d", secs % DAY / HOUR, "h")
    };
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit} {small}{small_unit}")
    }
}

/// A rate as a percentage: whole when it is whole, else to one decimal.
pub fn percent(rate: f64) -> String {
    let value = rate * 100.0;
    if (value - value.round()).abs() < 1e-9 {
        format!("{}%", value.round())
    } else {
        format!("{value:.1}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_two_units_at_most() {
        assert_eq!(human(0), "0s");
        assert_eq!(human(59), "59s");
        assert_eq!(human(60), "1m");
        assert_eq!(human(200), "3m 20s");
        assert_eq!(human(2 * HOUR + 5 * MINUTE + 59), "2h 5m");
        assert_eq!(human(3 * HOUR), "3h");
        assert_eq!(human(3 * DAY + 4 * HOUR + 1), "3d 4h");
    }

    #[test]
    fn rates_read_as_percentages() {
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(percent(1.25), "125%");
    }
}
