//! `batch`: Safe Transaction Builder batch files, decoded and checked for review. The console
//! never signs these: the Safe's owners load them into the Safe web app.

use super::output::print_json;
use super::output::{out, outln};
use super::runtime::block_on_text;
use crate::safe::{self, Batch, Status};
use alloy_primitives::{Address, U256};
use clap::Subcommand;
use color_eyre::eyre::{self, Report, WrapErr, bail, eyre};
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
    ///
    /// With --safe and --nonce (offline), or --network (the Safe from the network's profile,
    /// its nonce read from the chain), also the Safe transaction the owners sign: the call the
    /// Safe makes (one transaction as itself, several as a delegatecall to MultiSendCallOnly
    /// v1.4.1) and the Domain hash, Message hash and Safe transaction hash a hardware wallet
    /// shows.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// The Safe that executes the batch (overrides the network profile's `safe`).
        #[arg(long, value_name = "0xADDRESS", value_parser = safe_address)]
        safe: Option<Address>,
        /// The Safe's nonce for this transaction (overrides the nonce read with --network).
        #[arg(long, value_name = "N")]
        nonce: Option<u64>,
        /// The network whose node is read: each call's selector against the code deployed at
        /// its target, and the Safe's nonce (the Safe from the profile's `safe`); its chain id
        /// must be the batch's.
        #[arg(long, value_name = "NAME")]
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

fn safe_address(text: &str) -> Result<Address, String> {
    safe::format::parse_address(text.trim()).map_err(|e| e.to_string())
}

pub fn dispatch(cli: &super::Cli, command: &BatchCommand) -> color_eyre::Result<ExitCode> {
    match command {
        BatchCommand::Show {
            file,
            json,
            safe,
            nonce,
            network,
        } => {
            let signing = Signing {
                safe: *safe,
                nonce: *nonce,
                network: network.as_deref(),
            };
            show(cli, file, *json, &signing)
        }
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

/// What `batch show` is told of the Safe that signs the batch.
struct Signing<'a> {
    safe: Option<Address>,
    nonce: Option<u64>,
    network: Option<&'a str>,
}

fn show(
    cli: &super::Cli,
    file: &Path,
    json: bool,
    signing: &Signing<'_>,
) -> color_eyre::Result<ExitCode> {
    let batch = read(file)?;
    let mut review = safe::review(&batch, None);
    let recorded = recorded_check(file)?;
    let deployed = match signing.network {
        Some(network) => Some(deployed_check(cli, network, &batch, &mut review)?),
        None => None,
    };
    let (safe_tx, no_safe) = match safe_transaction(cli, file, &batch, signing)? {
        Hashing::Done(tx) => (*tx, None),
        Hashing::NoSafe(why) => (None, Some(why)),
    };
    let hashed = !matches!(safe_tx, Some(Err(_)));
    if json {
        let mut value = serde_json::to_value(&review)?;
        if let Some(object) = value.as_object_mut() {
            if let Some(check) = &recorded {
                object.insert("recorded".into(), serde_json::to_value(check)?);
            }
            match &safe_tx {
                Some(Ok(tx)) => {
                    object.insert("safe_transaction".into(), serde_json::to_value(tx)?);
                }
                Some(Err(why)) => {
                    object.insert("safe_transaction_error".into(), why.to_string().into());
                }
                None => {}
            }
            if let Some(why) = &no_safe {
                object.insert("safe_transaction_skipped".into(), why.clone().into());
            }
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
        outln!();
        match &safe_tx {
            Some(Ok(tx)) => {
                out!("{}", safe::safe_transaction_text(tx));
                if let Some(named) = review.safe.as_deref().filter(|s| !s.is_empty())
                    && safe::format::parse_address(named).ok() != tx.safe.parse().ok()
                {
                    outln!(
                        "  {} the batch names the Safe {named} (meta.createdFromSafeAddress), not {}",
                        Status::Warn.mark(),
                        tx.safe
                    );
                }
            }
            Some(Err(why)) => outln!(
                "{} Safe transaction hash not computed: {why}",
                Status::Fail.mark()
            ),
            None => match &no_safe {
                Some(why) => outln!(
                    "{} Safe transaction hash not computed: {why}; give --safe 0xADDRESS (and --nonce N)",
                    Status::Warn.mark()
                ),
                None => outln!(
                    "Safe transaction hash: add --safe 0xADDRESS --nonce N, or --network NAME, to compute the hashes a hardware wallet shows"
                ),
            },
        }
    }
    let bound = recorded.is_none_or(|c| c.status != Status::Fail);
    Ok(exit(review.ok() && bound && hashed))
}

/// What came of hashing the batch as a Safe transaction.
enum Hashing {
    /// `None` without --safe or --network; an inner error when the batch itself cannot be
    /// hashed (shown with the review).
    Done(Box<Option<Result<safe::SafeTransaction, safe::SafeTxError>>>),
    /// Only --network was given (for the deployed-code check too) and no Safe is to be had
    /// there: said, and the rest of the review stands.
    NoSafe(String),
}

/// The batch's Safe transaction, when a Safe is named. A Safe or nonce given but not to be
/// had, or a node on another chain, refuses the command.
fn safe_transaction(
    cli: &super::Cli,
    file: &Path,
    batch: &Batch,
    signing: &Signing<'_>,
) -> color_eyre::Result<Hashing> {
    let Some(network) = signing.network else {
        let Some(safe) = signing.safe else {
            if signing.nonce.is_some() {
                bail!("--nonce needs the Safe: give --safe 0xADDRESS (or --network NAME)");
            }
            return Ok(Hashing::Done(Box::new(None)));
        };
        let Some(nonce) = signing.nonce else {
            bail!(
                "--safe needs the Safe's nonce: give --nonce N, or --network NAME to read it from the chain"
            );
        };
        return Ok(Hashing::Done(Box::new(Some(safe::safe_transaction(
            batch,
            safe,
            U256::from(nonce),
            "given with --nonce",
        )))));
    };
    let session = super::open_session_for(cli, crate::session::Need::Nothing)?;
    let profile = session.networks.get(network).ok_or_else(|| {
        eyre!(
            "network `{network}` is not in {} (known: {})",
            crate::workspace::networks::Networks::FILE,
            session.networks.names().join(", ")
        )
    })?;
    let chain_id = match safe::safe_tx::chain_id_of(batch) {
        Ok(id) => id,
        Err(why) => return Ok(Hashing::Done(Box::new(Some(Err(why))))),
    };
    if chain_id != profile.chain_id {
        bail!(
            "{}: the batch is for chain {chain_id} (its chainId), but network `{network}` is chain {}: refused, no Safe transaction hash computed",
            file.display(),
            profile.chain_id
        );
    }
    let only_network = signing.safe.is_none() && signing.nonce.is_none();
    let safe = match signing.safe {
        Some(safe) => safe,
        None => match crate::chain::addresses::safe(&session, network).map_err(Report::msg)? {
            Some(safe) => safe,
            None => {
                let why = format!(
                    "network `{network}` names no `safe` in {}",
                    crate::workspace::networks::Networks::FILE
                );
                if only_network {
                    return Ok(Hashing::NoSafe(why));
                }
                bail!("{why}: give --safe 0xADDRESS");
            }
        },
    };
    let endpoint = crate::chain::live::endpoint(&session, network).map_err(Report::msg)?;
    let chain = crate::chain::Chain::connect(endpoint).map_err(Report::msg)?;
    let (nonce, source) = match signing.nonce {
        Some(nonce) => {
            block_on_text(chain.head())?;
            (U256::from(nonce), "given with --nonce".to_owned())
        }
        None => {
            let read = match block_on_text(crate::chain::safe_nonce::read(&chain, safe)) {
                Ok(read) => read,
                Err(why) if only_network => return Ok(Hashing::NoSafe(why.to_string())),
                Err(why) => return Err(why),
            };
            let source = format!(
                "read from the Safe on `{network}` at block #{} {}",
                read.block.number,
                read.block.hash_hex()
            );
            (read.nonce, source)
        }
    };
    Ok(Hashing::Done(Box::new(Some(safe::safe_transaction(
        batch, safe, nonce, &source,
    )))))
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
