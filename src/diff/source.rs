//! Where the current state comes from: a state snapshot file (offline), or a saved config (for
//! rollbacks). The live chain is a third source with the same shape.

use crate::catalogue::Catalogue;
use crate::catalogue::config_set::ConfigSet;
use crate::catalogue::guardrails::Values;
use crate::catalogue::index::seek;
use crate::catalogue::units::{Unit, show};
use crate::catalogue::value::{Value, ValueError};
use crate::workspace::snapshot::StateSnapshot;
use alloy_primitives::I256;

pub struct Current {
    pub values: Values,
    /// How the state was found, for people: never part of the fingerprint.
    pub describe: String,
    /// Whether a parameter missing here was removed (true) or is just not covered.
    pub complete: bool,
    /// Values the source holds that do not read as their parameter's kind.
    pub problems: Vec<String>,
    /// Parameters the source could not give, and why (a failed or impossible live read).
    pub unread: std::collections::BTreeMap<String, String>,
    /// A snapshot older than its network allows: used only once acknowledged.
    pub stale: Option<crate::change::offline_state::Stale>,
    /// How values were read where the chain keeps them in more than one form, for people
    /// (the slashing split in basis points).
    pub notes: Vec<String>,
}

/// The catalogue's values from a snapshot, read in each parameter's chain unit.
pub fn from_snapshot(catalogue: &Catalogue, snapshot: &StateSnapshot, name: &str) -> Current {
    let mut values = Vec::new();
    let mut problems = Vec::new();
    let mut unread = std::collections::BTreeMap::new();
    let mut raw_values = snapshot.values.iter().peekable();
    for (position, parameter) in catalogue.in_id_order() {
        let Some(raw) = seek(&mut raw_values, &parameter.id) else {
            continue;
        };
        let mut notes = Vec::new();
        let id = &parameter.id;
        match Value::read_as(raw, parameter, parameter.chain_unit(), &mut notes) {
            Ok(value) => values.push((id.clone(), value)),
            // A value of its kind that the console cannot hold exactly in its unit: left out
            // of the comparison, and named, rather than failing every other value.
            Err(why @ ValueError::NotWholeBasisPoint(_)) => {
                unread.insert(id.clone(), format!("not compared exactly: {why}"));
            }
            Err(why) => problems.push((position, format!("{name}: {id}: {why}"))),
        }
    }
    problems.sort_by_key(|(position, _)| *position);
    let mut values: Values = values.into_iter().collect();
    let notes = read_in_bps_where_stored_so(catalogue, snapshot, &mut values);
    let problems = problems.into_iter().map(|(_, problem)| problem).collect();
    let describe = format!(
        "{name} ({} chain {}, block #{} of {})",
        snapshot.network, snapshot.chain_id, snapshot.block.number, snapshot.block.timestamp
    );
    Current {
        values,
        describe,
        complete: false,
        problems,
        unread,
        stale: None,
        notes,
    }
}

/// The splits of a setter that stores whole percents or basis points as given
/// (`percent_or_bps`): where the stored values sum to 10,000 they are basis points, read so
/// and said in a note.
fn read_in_bps_where_stored_so(
    catalogue: &Catalogue,
    snapshot: &StateSnapshot,
    values: &mut Values,
) -> Vec<String> {
    let mut notes = Vec::new();
    let whole = |id: &str| -> Option<I256> {
        match snapshot.values.get(id)? {
            serde_json::Value::Number(n) => n.to_string().parse().ok(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let groups = catalogue
        .parameters
        .iter()
        .filter(|p| p.percent_or_bps && p.setter_args.first() == Some(&p.id));
    for parameter in groups {
        let stored: Option<Vec<I256>> = parameter.setter_args.iter().map(|id| whole(id)).collect();
        let Some(stored) = stored else { continue };
        let sum = stored
            .iter()
            .fold(I256::ZERO, |sum, n| sum.saturating_add(*n));
        if sum != I256::try_from(10_000).unwrap_or(I256::MAX) {
            continue;
        }
        for (id, bps) in parameter.setter_args.iter().zip(&stored) {
            values.insert(id.clone(), Value::Number(*bps * Unit::Bps.factor()));
        }
        let shown: Vec<String> = stored.iter().map(I256::to_string).collect();
        let read: Vec<String> = stored.iter().map(|n| show(*n, Unit::Percent)).collect();
        notes.push(format!(
            "{} hold basis points on chain ({} = 10000, as {} accepts and stores them): read as {}",
            parameter.setter_args.join(", "),
            shown.join(" + "),
            parameter.setter.as_deref().unwrap_or("its setter"),
            read.join(", ")
        ));
    }
    notes
}

/// A saved config set (e.g. `storage/backups/<date>-<id>/`) as the current state.
pub fn from_config(
    catalogue: &Catalogue,
    network: &str,
    name: &str,
    read: impl Fn(&str) -> Option<String>,
) -> Current {
    let set = ConfigSet::load(catalogue, network, read);
    let problems = set
        .problems
        .iter()
        .map(|p| format!("{}: {}: {}", p.file, p.field, p.message))
        .collect();
    Current {
        values: set.values,
        describe: format!("saved config {name}"),
        complete: true,
        problems,
        unread: Default::default(),
        stale: None,
        notes: Vec::new(),
    }
}

/// The live chain's values at the block they were read at. A read that failed is a problem
/// (the diff is not to be trusted); a set read member by member leaves it incomplete.
pub fn from_live(catalogue: &Catalogue, state: &crate::chain::LiveState) -> Current {
    let snapshot = state.to_snapshot();
    let name = format!("live {}", state.source);
    let mut current = from_snapshot(catalogue, &snapshot, &name);
    current.describe = format!(
        "live {} (chain {}, block #{} {} of {}){}",
        state.source,
        state.chain_id,
        state.block.number,
        state.block.hash_hex(),
        state.block.time_rfc3339(),
        state
            .lagging
            .as_ref()
            .map(|lag| format!(" — {lag}"))
            .unwrap_or_default()
    );
    for parameter in &catalogue.parameters {
        if let Some(why) = state.failures.get(&parameter.id) {
            current
                .problems
                .push(format!("{name}: {}: {why}", parameter.id));
            current
                .unread
                .insert(parameter.id.clone(), format!("read failed: {why}"));
        } else if let Some(why) = state.not_read.get(&parameter.id) {
            current.unread.insert(parameter.id.clone(), why.clone());
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(values: serde_json::Value) -> StateSnapshot {
        let mut snapshot: StateSnapshot = serde_json::from_value(serde_json::json!({
            "network": "demo",
            "chain_id": 31337,
            "block": {"number": 1, "hash": format!("0x{}", "ab".repeat(32)), "timestamp": "2026-12-04T00:00:00Z"},
            "taken_at": "2026-12-04T00:00:00Z",
            "values": {}
        }))
        .expect("a snapshot");
        snapshot.values = serde_json::from_value(values).expect("values");
        snapshot
    }

    #[test]
    fn a_share_that_is_no_whole_basis_point_is_named_and_the_others_still_compare() {
        let catalogue =
            Catalogue::parse(include_str!("../../config/catalogue.toml")).expect("the catalogue");
        let current = from_snapshot(
            &catalogue,
            &snapshot(serde_json::json!({
                "RewardEngine.roleShare.agent": "333333333333333334",
                "RewardEngine.roleShare.validator": "150000000000000000",
                "FeePool.burnPct": "2",
            })),
            "test",
        );
        assert!(current.problems.is_empty(), "{:?}", current.problems);
        let why = &current.unread["RewardEngine.roleShare.agent"];
        assert!(
            why.contains("333333333333333334") && why.contains("no whole basis point"),
            "{why}"
        );
        assert_eq!(
            current.values["RewardEngine.roleShare.validator"]
                .show(crate::catalogue::units::Unit::Percent),
            "15%"
        );
        assert!(current.values.contains_key("FeePool.burnPct"));
    }
}
