//! A state snapshot used as the current state on an offline (air-gapped) machine: its network,
//! chain id and signature are checked (the signer must be a listed operator), and its age is
//! measured against the network's limit; a stale one is used only once acknowledged.

use super::ChangeError;
use crate::workspace::context::Context;
use crate::workspace::snapshot::{StateSnapshot, short_age};

#[derive(Debug, Clone)]
pub struct CheckedSnapshot {
    pub name: String,
    pub snapshot: StateSnapshot,
    /// The signing operator's name.
    pub signed_by: String,
    pub age_secs: Option<u64>,
    pub stale: Option<Stale>,
}

/// A snapshot older than its network allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub snapshot: String,
    pub block_hash: String,
    pub age_secs: u64,
    pub limit_secs: u64,
}

impl Stale {
    pub fn message(&self) -> String {
        format!(
            "STALE STATE: {} is {} old, beyond the network's limit of {}: acknowledge it (a recorded reason) before it is used",
            self.snapshot,
            short_age(self.age_secs as i64),
            short_age(self.limit_secs as i64)
        )
    }
}

impl CheckedSnapshot {
    /// "assets/demo-state.json (demo chain 31337, block #19876543 of 2026-11-20T12:00:00Z,
    /// 11d 6h old, signed by alice)"
    pub fn describe(&self) -> String {
        let age = self
            .age_secs
            .map(|a| format!(", {} old", short_age(a as i64)))
            .unwrap_or_default();
        let snapshot = &self.snapshot;
        format!(
            "{} ({} chain {}, block #{} of {}{age}, signed by {})",
            self.name,
            snapshot.network,
            snapshot.chain_id,
            snapshot.block.number,
            snapshot.block.timestamp,
            self.signed_by
        )
    }
}

/// Parses and checks a snapshot of `network` named `name` (a path, as shown to people).
pub fn check(
    ctx: &Context,
    network: &str,
    name: &str,
    text: &str,
) -> Result<CheckedSnapshot, ChangeError> {
    let snapshot = StateSnapshot::parse(name, text)?;
    if snapshot.network != network {
        return Err(ChangeError::WrongNetwork {
            name: name.to_owned(),
            found: snapshot.network,
            network: network.to_owned(),
        });
    }
    if snapshot.drill {
        return Err(ChangeError::DrillSnapshot {
            name: name.to_owned(),
            network: network.to_owned(),
        });
    }
    let profile = ctx.networks.get(network);
    if let Some(profile) = profile.filter(|p| p.chain_id != snapshot.chain_id) {
        return Err(ChangeError::WrongChain {
            name: name.to_owned(),
            network: network.to_owned(),
            found: snapshot.chain_id,
            expected: profile.chain_id,
        });
    }
    let signer = snapshot
        .verify_signature()
        .map_err(|why| ChangeError::BadSignature {
            name: name.to_owned(),
            why,
        })?;
    let signed_by = ctx
        .operators
        .by_address(&signer)
        .map(|o| o.name.clone())
        .ok_or_else(|| ChangeError::UnknownSigner {
            name: name.to_owned(),
            signer: signer.clone(),
        })?;
    let age_secs = snapshot
        .age_seconds(jiff::Timestamp::now())
        .map(|a| a.max(0) as u64);
    let limit = profile.and_then(|p| p.reads.max_state_age_secs);
    let stale = match (age_secs, limit) {
        (Some(age), Some(limit)) if age > limit => Some(Stale {
            snapshot: name.to_owned(),
            block_hash: snapshot.block.hash.clone(),
            age_secs: age,
            limit_secs: limit,
        }),
        _ => None,
    };
    Ok(CheckedSnapshot {
        name: name.to_owned(),
        snapshot,
        signed_by,
        age_secs,
        stale,
    })
}

/// The network's own snapshot (`config/networks.toml`), checked.
pub fn of_network(ctx: &Context, network: &str) -> Result<CheckedSnapshot, ChangeError> {
    let file = ctx
        .networks
        .get(network)
        .and_then(|n| n.snapshot.clone())
        .ok_or_else(|| ChangeError::NoSnapshot(network.to_owned()))?;
    let text = ctx
        .workspace
        .read_text(&file)
        .ok_or_else(|| crate::workspace::snapshot::SnapshotError::Missing(file.clone()))?;
    check(ctx, network, &file, &text)
}
