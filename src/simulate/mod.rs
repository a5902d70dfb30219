//! A batch dry-run before anyone signs it: anvil forks the network's node at one block
//! (`crate::sandbox::fork`), the batch is executed there as its Safe would execute it
//! (`execute.rs`), each call's status, gas, events and revert are read from the node's call
//! trace, and the catalogue is read on the fork and compared with the config. The simulation
//! passes only when the batch takes effect and nothing of the config remains to change. The
//! report (`report.rs`) is bound to the batch file's SHA-256 and to the fingerprint of the diff
//! at the fork block.

pub mod abis;
mod error;
pub mod execute;
pub mod report;

pub use abis::Abis;
pub use error::SimulateError;
pub use report::Report;

use crate::chain::Target;
use crate::change::compare::{Against, compare};
use crate::sandbox::fork::{Fork, Upstream};
use crate::workspace::context::Context;
use alloy_primitives::Address;
use execute::{BatchCall, Executed, How};
use report::{CallReport, Execution, ForkInfo, Remaining};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Everything one simulation needs, gathered before it starts.
pub struct Simulation {
    pub ctx: Context,
    /// The network's node (a drill's: its sandbox): what is forked.
    pub target: Target,
    /// The batch file's name as the operator gave it, and its bytes.
    pub batch_file: String,
    pub batch_bytes: Vec<u8>,
    /// The block to fork at; none: the node's head.
    pub block: Option<u64>,
    /// The diff's domains (as a diff step narrows it), for its fingerprint.
    pub domains: Vec<String>,
    /// A saved config snapshot proposed instead of the workspace's config (a rollback).
    pub from: Option<PathBuf>,
    pub abis: Abis,
    pub anvil: PathBuf,
}

/// The ABI folder a workspace keeps for simulations (`abi/`), when it has one.
pub fn workspace_abis(ctx: &Context) -> Result<Abis, SimulateError> {
    match &ctx.workspace.source {
        crate::workspace::Source::Folder(folder) if folder.join("abi").is_dir() => {
            Abis::load(&folder.join("abi"))
        }
        _ => Ok(Abis::default()),
    }
}

impl Simulation {
    pub async fn run(self) -> Result<Report, SimulateError> {
        let network = self.target.network.clone();
        let text = std::str::from_utf8(&self.batch_bytes).map_err(|_| SimulateError::Batch {
            file: self.batch_file.clone(),
            error: "not UTF-8 text".into(),
        })?;
        let batch = crate::safe::parse_batch(text).map_err(|e| SimulateError::Batch {
            file: self.batch_file.clone(),
            error: e.to_string(),
        })?;
        let chain_id = self.target.endpoint.chain_id;
        let batch_chain =
            crate::safe::safe_tx::chain_id_of(&batch).map_err(|e| SimulateError::Batch {
                file: self.batch_file.clone(),
                error: e.to_string(),
            })?;
        if batch_chain != chain_id {
            return Err(SimulateError::WrongChain {
                file: self.batch_file.clone(),
                batch: batch_chain,
                network: network.clone(),
                network_chain: chain_id,
            });
        }
        let safe = self
            .target
            .safe
            .ok_or_else(|| SimulateError::NoSafe(network.clone()))?;
        let call = crate::safe::multisend::safe_call(&batch).map_err(|e| SimulateError::Batch {
            file: self.batch_file.clone(),
            error: e.to_string(),
        })?;
        let calls = batch
            .transactions
            .iter()
            .enumerate()
            .map(|(index, tx)| {
                let data =
                    crate::safe::multisend::calldata(tx).map_err(|error| SimulateError::Batch {
                        file: self.batch_file.clone(),
                        error: format!("transactions[{index}]: {error}"),
                    })?;
                Ok(BatchCall {
                    to: tx.to.address,
                    value: tx.value.amount,
                    data,
                })
            })
            .collect::<Result<Vec<_>, SimulateError>>()?;

        let block = self.target.connect()?.fork_block(self.block).await?;
        // anvil reaches the node through a relay in this process: the node's URL is not on
        // its command line, and the profile's certificate authorities are trusted.
        let relay = crate::chain::relay::Relay::start(&self.target.endpoint).await?;
        let relayed = relay.url.clone();
        let shown = self.target.endpoint.shown();
        let anvil = self.anvil.clone();
        let fork = tokio::task::spawn_blocking(move || {
            let upstream = Upstream {
                url: &relayed,
                shown: &shown,
                chain_id,
                block,
            };
            Fork::start(&anvil, &upstream)
        })
        .await
        .map_err(|e| SimulateError::OnFork {
            what: "starting anvil".into(),
            detail: e.to_string(),
        })??;
        let on_fork = self.fork_target(&fork.url);

        let before = crate::chain::live::read(&on_fork).await?;
        let fingerprint = compare(
            &self.ctx,
            &network,
            self.from.as_deref(),
            Against::Live(&before),
            &self.domains,
            &|_| true,
        )?
        .diff
        .fingerprint;

        let client = on_fork.endpoint.client()?;
        let executed = execute::execute(&client, safe, &call, &calls).await?;

        let after = crate::chain::live::read(&on_fork).await?;
        let compared = compare(
            &self.ctx,
            &network,
            self.from.as_deref(),
            Against::Live(&after),
            &self.domains,
            &|_| true,
        )?;
        drop(fork);
        drop(relay);

        let names: BTreeMap<Address, String> = self
            .target
            .modules
            .iter()
            .map(|(name, address)| (*address, name.clone()))
            .collect();
        let call_reports = self.call_reports(&batch, &executed, &names);
        let remaining: Vec<Remaining> = compared
            .diff
            .changes
            .iter()
            .map(|change| Remaining {
                id: change.id.clone(),
                on_chain: change.before.clone(),
                config: change.after.clone(),
                missing: change.added.clone(),
                extra: change.removed.clone(),
            })
            .collect();
        let not_compared = compared
            .diff
            .incomplete()
            .map(|n| format!("{} ({})", n.id, n.why))
            .collect();
        let passed = executed.succeeded && remaining.is_empty();
        let verdict = verdict(&executed, &call_reports, &remaining);
        let safe_revert = executed
            .safe_revert
            .as_ref()
            .map(|data| crate::chain::revert::explain(data, None));
        let (mode, atomic, detail) = match &executed.how {
            How::SafeExecTransaction {
                version,
                owner,
                threshold,
            } => (
                "safe-exec-transaction",
                true,
                format!(
                    "Safe {} execTransaction sent by its owner {} (impersonated; threshold {threshold} lowered to 1 on the fork), a pre-validated signature",
                    crate::sanitize::for_terminal(version),
                    owner.to_checksum(None)
                ),
            ),
            How::OneByOne { why } => (
                "impersonated-one-by-one",
                false,
                format!(
                    "the Safe's own code path could not be used ({why}): the Safe was impersonated and its calls sent one by one, NOT atomically"
                ),
            ),
        };
        let made_at = jiff::Timestamp::now();
        Ok(Report {
            kind: report::KIND.to_owned(),
            network,
            chain_id,
            batch_file: self.batch_file.clone(),
            batch_sha256: crate::safe::binding::file_sha256(&self.batch_bytes),
            diff_fingerprint: fingerprint,
            fork: ForkInfo {
                block,
                block_hash: before.block.hash_hex(),
                node: self.target.endpoint.shown(),
            },
            execution: Execution {
                safe: safe.to_checksum(None),
                mode: mode.to_owned(),
                atomic,
                detail,
                operation: if matches!(executed.how, How::OneByOne { .. }) {
                    "call".to_owned()
                } else {
                    call.operation.name().to_owned()
                },
                succeeded: executed.succeeded,
                gas_used: executed.gas_used,
                safe_revert,
            },
            calls: call_reports,
            remaining,
            not_compared,
            diff_after_fingerprint: compared.diff.fingerprint,
            passed,
            verdict,
            made_at: made_at
                .round(jiff::Unit::Second)
                .unwrap_or(made_at)
                .to_string(),
            signer: None,
            sig: None,
        })
    }

    /// The network's target with the fork's node in place of the network's: no set-member
    /// cache (the fork's events are not the network's), no age limit (the fork's block is as
    /// old as the block forked).
    fn fork_target(&self, url: &str) -> Target {
        let mut target = self.target.clone();
        target.endpoint = crate::chain::Endpoint::new(
            &target.network,
            target.endpoint.chain_id,
            url,
            Duration::from_secs(target.settings.timeout_secs.max(30)),
        );
        target.logs.cache = None;
        target.settings.max_block_age_secs = None;
        target
    }

    fn call_reports(
        &self,
        batch: &crate::safe::Batch,
        executed: &Executed,
        names: &BTreeMap<Address, String>,
    ) -> Vec<CallReport> {
        batch
            .transactions
            .iter()
            .zip(&executed.frames)
            .enumerate()
            .map(|(index, (tx, frame))| {
                let module = names.get(&tx.to.address).cloned();
                let method = tx
                    .contract_method
                    .get()
                    .map(|m| crate::sanitize::for_terminal(&m.name).into_owned())
                    .unwrap_or_else(|| {
                        let data = tx.data.get().map(|d| d.bytes.clone()).unwrap_or_default();
                        match data.get(..4) {
                            Some(selector) => format!("0x{}", hex::encode(selector)),
                            None => "(no data)".to_owned(),
                        }
                    });
                let Some(frame) = frame else {
                    return CallReport {
                        index,
                        to: tx.to.address.to_checksum(None),
                        module,
                        method,
                        status: "not-run".into(),
                        gas_used: None,
                        revert: None,
                        events: Vec::new(),
                    };
                };
                let revert = frame.revert_data().map(|data| {
                    let why = self.abis.explain_revert(module.as_deref(), data);
                    match frame.error.as_deref() {
                        Some(error) if data.is_empty() && error != "execution reverted" => {
                            crate::sanitize::for_terminal(error).into_owned()
                        }
                        _ => why,
                    }
                });
                let status = if frame.reverted() {
                    "reverted"
                } else if executed.succeeded {
                    "succeeded"
                } else {
                    "undone"
                };
                let events = if frame.reverted() {
                    Vec::new()
                } else {
                    frame
                        .logs_in_order()
                        .iter()
                        .map(|log| {
                            let emitter = names.get(&log.address).map(String::as_str);
                            let event = self.abis.explain_log(emitter, &log.topics, &log.data);
                            match emitter {
                                Some(name) if Some(name) != module.as_deref() => {
                                    format!("{name}.{event}")
                                }
                                _ => event,
                            }
                        })
                        .collect()
                };
                CallReport {
                    index,
                    to: tx.to.address.to_checksum(None),
                    module,
                    method,
                    status: status.into(),
                    gas_used: Some(frame.gas_used()),
                    revert,
                    events,
                }
            })
            .collect()
    }
}

fn verdict(executed: &Executed, calls: &[CallReport], remaining: &[Remaining]) -> String {
    if let Some(call) = calls.iter().find(|c| c.status == "reverted") {
        let module = call.module.as_deref().unwrap_or(&call.to);
        return format!(
            "the batch reverts: transactions[{}] {module}.{}: {}",
            call.index,
            call.method,
            call.revert.as_deref().unwrap_or("reverted")
        );
    }
    if !executed.succeeded {
        return "the batch reverts: the Safe refused it".to_owned();
    }
    if remaining.is_empty() {
        return "the batch executes and nothing of the config remains to change".to_owned();
    }
    let ids: Vec<&str> = remaining.iter().map(|r| r.id.as_str()).collect();
    format!(
        "the batch executes, but {} value(s) of the config remain: {}",
        remaining.len(),
        ids.join(", ")
    )
}
