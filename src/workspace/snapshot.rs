//! A state snapshot: the platform's values at one block, for working offline.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct Block {
    pub number: u64,
    pub hash: String,
    /// UTC, RFC 3339.
    pub timestamp: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StateSnapshot {
    pub network: String,
    pub chain_id: u64,
    pub block: Block,
    pub taken_at: String,
    pub values: BTreeMap<String, serde_json::Value>,
}

impl StateSnapshot {
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        serde_json::from_str(text)
            .map_err(|error| format!("{name}:{}:{}: {error}", error.line(), error.column()))
    }

    /// How old the snapshot's block is, in whole seconds, or None if its time is unreadable.
    pub fn age_seconds(&self, now: jiff::Timestamp) -> Option<i64> {
        let at: jiff::Timestamp = self.block.timestamp.parse().ok()?;
        Some(now.as_second() - at.as_second())
    }

    /// The pause state of each module the snapshot knows (`JobRegistry.paused` → true).
    pub fn pause_states(&self) -> Vec<(String, bool)> {
        self.values
            .iter()
            .filter_map(|(key, value)| {
                let module = key.strip_suffix(".paused")?;
                Some((module.to_owned(), value.as_bool()?))
            })
            .collect()
    }
}

/// "3d 4h", "12m", "40s": an age that fits a status bar.
pub fn short_age(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match seconds {
        s if s >= 86_400 => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
        s if s >= 3600 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
