//! `batch`: Safe Transaction Builder batch files, decoded and checked for review. The console
//! never signs these: the Safe's owners load them into the Safe web app.

use super::output::print_json;
use super::output::{out, outln};
use super::runtime::block_on_text;
use crate::safe::{self, Batch, Status};
use clap::Subcommand;
use color_eyre::eyre::{self, WrapErr, eyre};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Decode a batch file method by method and run every check that needs no network
    /// configuration (selectors, values, value sent, chain id, checksum); a run's batch (in a
    /// workspace's storage/batches/ or a bundle's batches/) is also checked against the SHA-256
    /// its batch-prepared entry recorded. With --network, also every call's selector against
    /// the code deployed at its target (through an EIP-1967 or EIP-1167 proxy to its
    /// implementation), all read at one block. Exits 1 if any fails.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// Check each call against the code deployed on this network (its node's URL in the
        /// environment variable its profile names).
        #[arg(long)]
        network: Option<String>,
    },
    /// Print the checksum the Safe app computes for a batch file, and whether the file's own
    /// `meta.checksum` matches it (exits 1 when it is present and does not).
    Checksum {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn dispatch(cli: &super::Cli, command: &BatchCommand) -> color_eyre::Result<ExitCode> {
    match command {
        BatchCommand::Show {
            file,
            json,
            network,
        } => show(cli, file, *json, network.as_deref()),
        BatchCommand::Checksum { file, json } => checksum(file, *json),
    }
}

fn read(file: &Path) -> color_eyre::Result<Batch> {
    let text = std::fs::read_to_string(file)
        .wrap_err_with(|| format!("cannot read {}", file.display()))?;
    safe::parse_batch(&text).map_err(|e| eyre!("{}: {e}", file.display()))
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn show(
    cli: &super::Cli,
    file: &Path,
    json: bool,
    network: Option<&str>,
) -> color_eyre::Result<ExitCode> {
    let batch = read(file)?;
    let mut review = safe::review(&batch, None);
    let recorded = recorded_check(file)?;
    let deployed = match network {
        Some(network) => Some(deployed_check(cli, network, &batch, &mut review)?),
        None => None,
    };
    if json {
        let mut value = serde_json::to_value(&review)?;
        if let (Some(object), Some(check)) = (value.as_object_mut(), &recorded) {
            object.insert("recorded".into(), serde_json::to_value(check)?);
        }
        if let (Some(object), Some(check)) = (value.as_object_mut(), &deployed) {
            object.insert("deployed".into(), serde_json::to_value(check)?);
        }
        print_json(&value)?;
    } else {
        outln!("file: {}", file.display());
        out!("{}", safe::review_text(&review));
        if let Some(check) = &recorded {
            outln!("  {} recorded: {}", check.status.mark(), check.detail);
        }
        if let Some(check) = &deployed {
            out!("{}", deployed_text(check));
        }
    }
    let bound = recorded.is_none_or(|c| c.status != Status::Fail);
    Ok(exit(review.ok() && bound))
}

/// Every call's selector against the code deployed on `network` at one block; the verdicts
/// join the review's checks, and the network's module names its transactions.
fn deployed_check(
    cli: &super::Cli,
    network: &str,
    batch: &Batch,
    review: &mut safe::Review,
) -> color_eyre::Result<crate::chain::deployed::DeployedCheck> {
    use crate::chain::deployed;
    let session = super::open_session_for(cli, crate::session::Need::Nothing)?;
    let target = crate::chain::Target::of(&session, network).map_err(eyre::Report::msg)?;
    let names: std::collections::BTreeMap<_, _> = target
        .modules
        .iter()
        .map(|(name, address)| (*address, name.clone()))
        .collect();
    let chain = target.connect().map_err(eyre::Report::msg)?;
    let calls = deployed::calls_of(batch);
    let check = block_on_text(deployed::check(&chain, &calls, &names))?;
    for tx in &mut review.transactions {
        if let Ok(address) = tx.to.parse::<alloy_primitives::Address>() {
            tx.module = tx.module.take().or_else(|| names.get(&address).cloned());
        }
    }
    review.add_checks(check.calls.iter().map(|call| {
        safe::Check::new(
            Some(call.index),
            safe::CheckKind::Deployed,
            &call.method,
            call.status,
            call.detail.clone(),
        )
    }));
    Ok(check)
}

/// The calls whose function the deployed code lacks (or cannot be checked), each named.
fn deployed_text(check: &crate::chain::deployed::DeployedCheck) -> String {
    use std::fmt::Write;
    let mut text = format!(
        "\ndeployed code on {} at block {} ({}):\n",
        check.network, check.block, check.block_hash
    );
    let named: Vec<_> = check.named().collect();
    if named.is_empty() {
        let _ = writeln!(
            text,
            "  {} every call's function is in the code at its target",
            Status::Pass.mark()
        );
    }
    for call in named {
        let contract = call
            .contract
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let method = if call.method.is_empty() {
            "(raw data)"
        } else {
            &call.method
        };
        let _ = writeln!(
            text,
            "  {} transactions[{}] to {}{contract} {method} {}: {}",
            call.status.mark(),
            call.index,
            call.to,
            call.selector.as_deref().unwrap_or("(none)"),
            call.reason()
        );
    }
    text
}

/// How the file compares with the entry that recorded it, when a ledger lies beside it.
#[derive(serde::Serialize)]
struct RecordedCheck {
    status: Status,
    detail: String,
}

fn recorded_check(file: &Path) -> color_eyre::Result<Option<RecordedCheck>> {
    use crate::ledger::bundle::recorded::{RecordError, batch_record};
    let check = |status, detail| Ok(Some(RecordedCheck { status, detail }));
    let recorded = match batch_record(file) {
        None => return Ok(None),
        Some(Err(error @ RecordError::NotRecorded { .. })) => {
            return check(Status::Warn, error.to_string());
        }
        Some(Err(error)) => return check(Status::Fail, error.to_string()),
        Some(Ok(recorded)) => recorded,
    };
    let bytes = std::fs::read(file).wrap_err_with(|| format!("cannot read {}", file.display()))?;
    let reference = &recorded.reference;
    let ledger = format!("run {}, {}", recorded.run, recorded.ledger.display());
    match reference.mismatch(&bytes) {
        Some(why) => check(
            Status::Fail,
            format!("{why} ({ledger}): this is not the batch the run prepared and approved"),
        ),
        None => check(
            Status::Pass,
            format!(
                "SHA-256 {}, as batch-prepared recorded at seq {} ({ledger})",
                crate::ledger::bundle::sha256_hex(&bytes),
                reference.seq
            ),
        ),
    }
}

fn checksum(file: &Path, json: bool) -> color_eyre::Result<ExitCode> {
    let batch = read(file)?;
    let computed = batch.computed_checksum().to_string();
    let given = batch.meta.checksum.get().filter(|c| !c.is_empty()).cloned();
    let matches = given.as_ref().map(|g| g.eq_ignore_ascii_case(&computed));
    if json {
        print_json(&serde_json::json!({
            "file": file,
            "computed": computed,
            "inFile": given,
            "matches": matches,
        }))?;
    } else {
        outln!("{computed}");
        match (&given, matches) {
            (Some(given), Some(true)) => {
                outln!("{} meta.checksum {given} matches", Status::Pass.mark())
            }
            (Some(given), _) => outln!(
                "{} meta.checksum {given} does not match: expected {computed}",
                Status::Fail.mark()
            ),
            (None, _) => outln!(
                "{} the file has no meta.checksum (the Safe app adds one on export)",
                Status::Warn.mark()
            ),
        }
    }
    Ok(exit(matches != Some(false)))
}
