//! `chain status` (the live state panel as text) and `snapshot state` (the live state, signed,
//! for an air-gapped machine).

use super::output::print_json;
use super::output::{errln, out, outln};
use super::runtime::block_on_text;
use crate::chain::reads::{SAFE_OWNERS, SAFE_THRESHOLD};
use crate::chain::{LiveState, Target};
use crate::session::Session;
use color_eyre::eyre::{Report, bail};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ChainCommand {
    /// Read the network's node once: chain id check, block, pause states, the Safe's owners
    /// and threshold, and every catalogue value (one batched request, pinned to one block).
    Status {
        #[arg(long)]
        network: String,
        #[arg(long)]
        json: bool,
    },
}

/// `chain status`'s exit code when the node answered but some values could not be read (each
/// named); a node that cannot be read, or lags, exits 1.
pub const UNREADABLE: u8 = 5;

pub fn dispatch(session: &Session, command: &ChainCommand) -> color_eyre::Result<ExitCode> {
    let ChainCommand::Status { network, json } = command;
    let target = Target::of(session, network).map_err(Report::msg)?;
    let state = block_on_text(crate::chain::live::read(&target))?;
    if *json {
        print_json(&serde_json::json!({
            "network": state.network,
            "chain_id": state.chain_id,
            "node": state.source,
            "block": { "number": state.block.number, "hash": state.block.hash_hex(), "time": state.block.time_rfc3339() },
            "requests": state.requests,
            "lagging": state.lagging.as_ref().map(ToString::to_string),
            "values": state.values,
            "failures": state.failures,
            "not_read": state.not_read,
        }))?;
    } else {
        out!("{}", status_text(&state));
    }
    Ok(if state.fresh().is_err() {
        ExitCode::FAILURE
    } else if !state.failures.is_empty() {
        ExitCode::from(UNREADABLE)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn status_text(state: &LiveState) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let now = jiff::Timestamp::now();
    let _ = writeln!(
        out,
        "{} · chain {} ✓ · block #{} {} ({} s old) · {} request(s) · {}",
        state.network,
        state.chain_id,
        state.block.number,
        state.block.hash_hex(),
        state.block.age_secs(now),
        state.requests,
        state.source
    );
    if let Some(lag) = &state.lagging {
        let _ = writeln!(out, "✗ {lag}");
    }
    for (key, value) in &state.values {
        if let Some(module) = key.strip_suffix(".paused") {
            let word = if value.as_bool() == Some(true) {
                "‖ PAUSED"
            } else {
                "▶ running"
            };
            let _ = writeln!(out, "  {module:<20} {word}");
        }
    }
    if let Some(owners) = state.values.get(SAFE_OWNERS) {
        let threshold = state
            .values
            .get(SAFE_THRESHOLD)
            .and_then(|t| t.as_str())
            .unwrap_or("?");
        let list = owners.as_array().cloned().unwrap_or_default();
        let _ = writeln!(out, "  Safe: {threshold} of {} owners", list.len());
        for owner in list {
            let _ = writeln!(out, "    {}", owner.as_str().unwrap_or_default());
        }
    }
    let catalogue_values = state
        .values
        .keys()
        .filter(|k| !k.ends_with(".paused") && !k.starts_with("Safe."))
        .count();
    let _ = writeln!(
        out,
        "  {catalogue_values} catalogue value(s) read; {} not readable on chain",
        state.not_read.len()
    );
    for (key, why) in &state.failures {
        if !key.ends_with(".paused") {
            let _ = writeln!(out, "  ✗ {key}: {why}");
        }
    }
    out
}

/// `snapshot state --network N --out FILE`.
pub fn snapshot_state(
    session: &Session,
    network: &str,
    out: &std::path::Path,
) -> color_eyre::Result<ExitCode> {
    if out.exists() {
        bail!("{}: already exists; choose another file", out.display());
    }
    let key = session
        .key()
        .ok_or_else(|| Report::msg("a snapshot is signed: unlock your operator key"))?;
    let target = Target::of(session, network).map_err(Report::msg)?;
    let state = block_on_text(crate::chain::live::read(&target))?;
    if let Some(lag) = &state.lagging {
        bail!("no snapshot taken: {lag}");
    }
    let mut snapshot = state.to_snapshot();
    snapshot.drill = crate::sandbox::inherited::in_drill_of(network);
    snapshot.sign(key).map_err(Report::msg)?;
    let text = serde_json::to_string_pretty(&snapshot)? + "\n";
    crate::workspace::durable::write(out, text.as_bytes())?;
    outln!(
        "wrote {}{}: {} value(s) of {network} at block #{} {}, signed by {}",
        out.display(),
        if snapshot.drill {
            " (drill: read from the sandbox)"
        } else {
            ""
        },
        snapshot.values.len(),
        snapshot.block.number,
        snapshot.block.hash,
        snapshot.signer.as_deref().unwrap_or_default()
    );
    for (key, why) in &state.failures {
        errln!("warning: {key}: {why}");
    }
    Ok(ExitCode::SUCCESS)
}
