//! The time every entry, run and sandbox record is stamped with: UTC, to the second, RFC 3339.

pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map(|t| t.to_string())
        .unwrap_or_default()
}
