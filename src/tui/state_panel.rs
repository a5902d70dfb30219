//! The state panel's text: the chosen network's live state (or its snapshot), with the chain
//! id check, the block and its age, how fresh the reading is, each module's pause flag and the
//! Safe's owners and threshold. Every state carries a symbol and a word, never colour alone.

use super::live::{Freshness, LiveMonitor};
use super::network::NetworkState;
use crate::chain::reads::{SAFE_OWNERS, SAFE_THRESHOLD};
use crate::change::offline_state::CheckedSnapshot;
use crate::workspace::snapshot::short_age;
use std::collections::BTreeMap;
use std::time::Instant;

/// The panel of `network` (of chain `chain_id`) as of `now`.
pub fn lines(network: &NetworkState, chain_id: u64, now: Instant) -> Vec<String> {
    let mut lines = Vec::new();
    let values = match &network.live {
        Some(live) => live_lines(&mut lines, &network.name, chain_id, live, now),
        None => snapshot_lines(&mut lines, network, chain_id),
    };
    if let Some(values) = values {
        value_lines(&mut lines, values);
    }
    lines
}

/// Where the live state comes from and how fresh it is; its values, once read.
fn live_lines<'a>(
    lines: &mut Vec<String>,
    name: &str,
    chain_id: u64,
    live: &'a LiveMonitor,
    now: Instant,
) -> Option<&'a BTreeMap<String, serde_json::Value>> {
    lines.push(format!(
        "{name} · chain {chain_id} · live {}",
        live.target.endpoint.shown()
    ));
    match live.freshness(now) {
        Freshness::Fresh { read_secs } => {
            lines.push(format!("✓ chain id checked · read {read_secs} s ago"))
        }
        Freshness::Waiting { secs } => {
            lines.push(format!("… waiting for the first answer ({secs} s)"))
        }
        Freshness::Stale { why, since_secs } => {
            lines.push(format!("✗ STALE: {why}"));
            if let Some(since) = since_secs {
                lines.push(format!("  last good read {} ago", short_age(since as i64)));
            }
        }
    }
    live.last.as_ref().map(|state| {
        let age = state.block.age_secs(jiff::Timestamp::now());
        lines.push(format!(
            "block #{} {} · {} old",
            state.block.number,
            short_hash(&state.block.hash_hex()),
            short_age(age as i64)
        ));
        &state.values
    })
}

/// The offline snapshot: its block, age against the network's limit and its signer by
/// operator name (or why it is refused as a state source); its values, when it reads.
fn snapshot_lines<'a>(
    lines: &mut Vec<String>,
    network: &'a NetworkState,
    chain_id: u64,
) -> Option<&'a BTreeMap<String, serde_json::Value>> {
    lines.push(format!("{} · chain {chain_id} · offline", network.name));
    match &network.snapshot {
        Some(Ok(snapshot)) => {
            lines.push(format!(
                "snapshot block #{} {} · {} old",
                snapshot.block.number,
                short_hash(&snapshot.block.hash),
                snapshot.age_shown()
            ));
            match &network.checked {
                Some(Ok(checked)) => {
                    lines.push(format!("✓ signed by {}", checked.signed_by));
                    lines.push(age_line(checked, network.age_limit_secs));
                }
                Some(Err(why)) => lines.push(format!("✗ REFUSED as a state source: {why}")),
                None => {}
            }
            Some(&snapshot.values)
        }
        Some(Err(error)) => {
            lines.push(format!("✗ snapshot unreadable: {error}"));
            None
        }
        None => {
            lines.push("no snapshot and no live node: nothing to show".into());
            None
        }
    }
}

/// The snapshot's age against the network's limit: over it, a run asks for a reason, which
/// the ledger records, before it uses the snapshot.
fn age_line(checked: &CheckedSnapshot, limit: Option<u64>) -> String {
    match (&checked.stale, limit) {
        (Some(stale), _) => format!("✗ {}", stale.message()),
        (None, Some(limit)) => format!(
            "✓ within the network's age limit of {}",
            short_age(limit as i64)
        ),
        (None, None) => {
            "no age limit for this network (reads.max_state_age_secs in config/networks.toml)"
                .into()
        }
    }
}

/// Each module's pause flag, then the Safe's owners and threshold.
fn value_lines(lines: &mut Vec<String>, values: &BTreeMap<String, serde_json::Value>) {
    lines.push(String::new());
    lines.push("Pause state".into());
    let mut any = false;
    for (key, value) in values {
        if let Some(module) = key.strip_suffix(".paused") {
            any = true;
            let word = match value.as_bool() {
                Some(true) => "‖ PAUSED",
                Some(false) => "▶ running",
                None => "? unknown",
            };
            lines.push(format!("  {module:<22} {word}"));
        }
    }
    if !any {
        lines.push("  (no pause flags read)".into());
    }
    lines.push(String::new());
    match values.get(SAFE_OWNERS).and_then(|o| o.as_array()) {
        Some(owners) => {
            let threshold = values
                .get(SAFE_THRESHOLD)
                .and_then(|t| {
                    t.as_str()
                        .map(str::to_owned)
                        .or_else(|| Some(t.to_string()))
                })
                .unwrap_or_else(|| "?".into());
            lines.push(format!(
                "Safe: {threshold} of {} owners must sign",
                owners.len()
            ));
            for owner in owners {
                lines.push(format!("  {}", owner.as_str().unwrap_or_default()));
            }
        }
        None => lines.push("Safe: owners and threshold not read".into()),
    }
}

fn short_hash(hash: &str) -> String {
    if hash.len() > 14 {
        format!("{}…{}", &hash[..8], &hash[hash.len() - 4..])
    } else {
        hash.to_owned()
    }
}
