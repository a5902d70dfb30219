//! `--since DATE`: a day (`YYYY-MM-DD`, from its midnight UTC) or an RFC 3339 time.

use jiff::Timestamp;

/// Text that is neither a day nor an RFC 3339 time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a date: expected YYYY-MM-DD (e.g. 2026-07-01) or an RFC 3339 time (e.g. 2026-07-01T09:30:00Z)"
)]
pub struct NotADate(pub String);

pub fn parse_since(text: &str) -> Result<Timestamp, NotADate> {
    let text = text.trim();
    let day = || {
        let date = (text.len() == 10).then(|| text.parse::<jiff::civil::Date>().ok())??;
        date.to_zoned(jiff::tz::TimeZone::UTC).ok()
    };
    match (text.parse::<Timestamp>(), day()) {
        (Ok(time), _) => Ok(time),
        (_, Some(midnight)) => Ok(midnight.timestamp()),
        _ => Err(NotADate(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_times_parse_and_the_rest_is_named() {
        assert_eq!(
            parse_since("2026-07-01").map(|t| t.to_string()),
            Ok("2026-07-01T00:00:00Z".to_owned())
        );
        assert_eq!(
            parse_since("2026-07-01T11:30:00+02:00").map(|t| t.to_string()),
            Ok("2026-07-01T09:30:00Z".to_owned())
        );
        for bad in [
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-07-01T25:00:00Z",
            "2026-07-01T10:00:00",
            "",
        ] {
            let error = parse_since(bad).unwrap_err().to_string();
            assert!(error.contains(&format!("`{bad}`")), "{error}");
        }
    }
}
