//! A `receipt` step: the executed transaction's receipt (fetched by hash, read from a file,
//! or, in a drill, from executing the run's batch in the sandbox) checked, archived, and the
//! `receipt-checked` event.

use super::StepError;
use crate::chain::Target;
use crate::chain::receipt::{Receipt, verify};
use crate::engine::event::ReceiptChecked;
use crate::engine::{Event, Mode, Run};
use crate::runbook::StepAction;
use crate::workspace::context::Context;
use alloy_primitives::{Address, B256};
use std::path::PathBuf;

/// A drill's batch as sent: its transactions, the sandbox snapshot taken before (when this
/// call sent them), and why the one that stopped it reverted.
pub(super) struct SentBatch {
    pub(super) hashes: Vec<String>,
    pub(super) before: Option<String>,
    pub(super) failure: Option<String>,
    /// Whose approvals the Safe executed it with.
    pub(super) signing: Option<String>,
}

/// What a drill executes its batch with: the Safe transaction hash its approvers signed, their
/// signatures (from the run's sign-offs), the operators' names by address, and the mock
/// modules' ABIs by address, to say why a call failed.
#[derive(Default)]
pub(super) struct DrillSigning {
    pub(super) safe_tx_hash: Option<String>,
    pub(super) signatures: Vec<(String, crate::engine::event::SafeTxSignature)>,
    pub(super) names: std::collections::BTreeMap<Address, String>,
    pub(super) abis: std::collections::BTreeMap<Address, (String, alloy_json_abi::JsonAbi)>,
}

/// The run's last prepared batch: its file and the SHA-256 of the bytes recorded at
/// batch-prepared, which the file must still have before any receipt is checked.
pub(super) struct RecordedBatch {
    pub(super) path: PathBuf,
    pub(super) file_sha256: String,
}

/// Where a receipt comes from: the live node (by transaction hash) or a file.
pub enum ReceiptFrom {
    Hash(String),
    File(PathBuf),
    /// A drill: the run's last prepared batch, executed now in the sandbox through the Safe.
    DrillExecution,
}

pub struct PreparedReceipt {
    pub(super) step: String,
    pub(super) module: (String, Address),
    pub(super) safe: Option<Address>,
    pub(super) events: Vec<String>,
    pub(super) from: ReceiptFrom,
    pub(super) target: Option<Box<Target>>,
    /// The run's last batch, re-hashed before anything is sent or checked; a drill executes
    /// it in the sandbox first.
    pub(super) batch: Option<RecordedBatch>,
    /// For a drill whose batch already ran: the transactions it sent.
    pub(super) executed: Vec<String>,
    /// For a drill: what its batch is executed with.
    pub(super) signing: DrillSigning,
    pub(super) network: String,
    pub(super) storage: PathBuf,
    pub(super) evidence: PathBuf,
}

pub fn prepare(ctx: &Context, run: &Run, from: ReceiptFrom) -> Result<PreparedReceipt, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::Receipt { contract, events } = &step.action else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a receipt",
        });
    };
    let network = &run.started.network;
    let catalogue = ctx.catalogue()?;
    let placement = crate::chain::addresses::placement(ctx, &catalogue, network, run.started.mode)
        .map_err(StepError::from)?;
    let modules = &placement.modules;
    let address = match (contract.as_str(), placement.safe) {
        ("Safe", Some(safe)) => safe,
        _ => *modules.get(contract).ok_or_else(|| StepError::NoAddress {
            module: contract.clone(),
            network: network.clone(),
        })?,
    };
    let target = match &from {
        ReceiptFrom::Hash(_) | ReceiptFrom::DrillExecution => Some(Box::new(
            Target::for_mode(ctx, network, run.started.mode).map_err(StepError::from)?,
        )),
        ReceiptFrom::File(_) => None,
    };
    if matches!(from, ReceiptFrom::DrillExecution) {
        if run.started.mode != Mode::Drill {
            return Err(StepError::NotADrill);
        }
        run.last_batch.as_ref().ok_or(StepError::NoBatch)?;
    }
    let batch = run.last_batch.as_ref().map(|prepared| RecordedBatch {
        path: ctx.workspace.storage.join(&prepared.file),
        file_sha256: prepared.file_sha256.clone(),
    });
    let (executed, signing) = match from {
        ReceiptFrom::DrillExecution => {
            (run.executed_batch.clone(), drill_signing(ctx, run, modules))
        }
        _ => (Vec::new(), DrillSigning::default()),
    };
    Ok(PreparedReceipt {
        step: step.id.clone(),
        module: (contract.clone(), address),
        safe: placement.safe,
        events: events.clone(),
        from,
        target,
        batch,
        executed,
        signing,
        network: network.clone(),
        storage: ctx.workspace.storage.clone(),
        evidence: ctx.evidence().path_of(""),
    })
}

/// A drill's signing: the run's Safe transaction hash and signatures, the operators' names
/// and the sandbox modules' ABIs (from `assets/contracts/build/`).
fn drill_signing(
    ctx: &Context,
    run: &Run,
    modules: &std::collections::BTreeMap<String, Address>,
) -> DrillSigning {
    let read = |relative: &str| ctx.workspace.read_text(relative);
    DrillSigning {
        safe_tx_hash: run.safe_tx_hash().map(str::to_owned),
        signatures: run.safe_tx_signatures.clone(),
        names: ctx
            .operators
            .operators
            .iter()
            .filter_map(|o| Some((o.address.parse().ok()?, o.name.clone())))
            .collect(),
        abis: modules
            .iter()
            .filter_map(|(name, address)| {
                let artifact = crate::sandbox::deploy::artifact(name, &read).ok()?;
                Some((*address, (name.clone(), artifact.abi)))
            })
            .collect(),
    }
}

impl PreparedReceipt {
    /// Re-hashes the run's batch first: a file that changed since batch-prepared is refused
    /// before anything is sent, fetched or recorded.
    pub async fn execute(self) -> Result<Event, StepError> {
        let bound = match &self.batch {
            Some(batch) => Some(crate::safe::binding::read_bound(
                &batch.path,
                &batch.file_sha256,
            )?),
            None => None,
        };
        if let (ReceiptFrom::DrillExecution, Some(batch), Some(parsed), Some(target)) =
            (&self.from, &self.batch, &bound, &self.target)
        {
            let sent = match self.executed.is_empty() {
                true => self.send_batch(parsed, target).await?,
                false => SentBatch {
                    hashes: self.executed.clone(),
                    before: None,
                    failure: None,
                    signing: None,
                },
            };
            return self.check_sent(&batch.path, sent).await;
        }
        self.check(&self.from).await
    }

    /// Fetches (or reads) the receipt `from` names, checks it and archives it.
    pub(super) async fn check(&self, from: &ReceiptFrom) -> Result<Event, StepError> {
        let (text, source, confirmations, required) = match (from, &self.target) {
            (ReceiptFrom::Hash(hash), Some(target)) => {
                let hash: B256 = hash
                    .trim()
                    .parse()
                    .map_err(|_| StepError::NotTxHash(hash.clone()))?;
                let chain = target.connect()?;
                let (receipt, latest) = chain.receipt(hash).await?;
                let receipt = receipt.ok_or(StepError::NotMined(hash))?;
                let answered = receipt
                    .get("transactionHash")
                    .and_then(|h| h.as_str())
                    .and_then(|h| h.parse::<B256>().ok());
                if answered != Some(hash) {
                    return Err(StepError::SwappedReceipt {
                        asked: hash,
                        answered,
                    });
                }
                let number = receipt
                    .get("blockNumber")
                    .and_then(|n| n.as_str())
                    .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
                    .unwrap_or(u64::MAX);
                let confirmations = latest.saturating_add(1).saturating_sub(number);
                let text =
                    serde_json::to_string_pretty(&receipt).map_err(StepError::ReceiptJson)?;
                (
                    text,
                    format!("live {}", target.endpoint.shown()),
                    Some(confirmations),
                    target.settings.confirmations,
                )
            }
            (ReceiptFrom::File(path), _) => {
                let text = std::fs::read_to_string(path).map_err(|error| StepError::File {
                    path: path.clone(),
                    error,
                })?;
                (text, format!("file {}", path.display()), None, 0)
            }
            (ReceiptFrom::Hash(_) | ReceiptFrom::DrillExecution, _) => {
                return Err(StepError::NoNode);
            }
        };
        let name = match from {
            ReceiptFrom::File(path) => path.display().to_string(),
            ReceiptFrom::Hash(hash) => hash.clone(),
            ReceiptFrom::DrillExecution => "the drill's execution".to_owned(),
        };
        let receipt = Receipt::parse(&name, &text).map_err(StepError::from)?;
        let module = (self.module.0.as_str(), self.module.1);
        let mut verdict = verify(&receipt, module, self.safe, &self.events);
        if let Some(have) = confirmations.filter(|have| *have < required) {
            verdict.problems.push(format!(
                "{have} of {required} confirmation(s): check again once more blocks are on top"
            ));
        }
        let (file, sha256) = self.archive(&verdict.tx_hash, text.as_bytes())?;
        Ok(Event::ReceiptChecked(ReceiptChecked {
            step: self.step.clone(),
            source,
            passed: verdict.passed(),
            tx_hash: verdict.tx_hash,
            block_number: verdict.block_number,
            block_hash: verdict.block_hash,
            succeeded: verdict.succeeded,
            to: verdict.to,
            events: verdict.events,
            confirmations,
            problems: verdict.problems,
            file,
            sha256,
            executed: Vec::new(),
            before_execution: None,
        }))
    }

    /// `storage/receipts/<network>/<tx-hash>.json`, fsync'd, and the same bytes in the
    /// evidence store.
    fn archive(&self, tx_hash: &str, bytes: &[u8]) -> Result<(String, String), StepError> {
        let relative = format!("receipts/{}/{tx_hash}.json", self.network);
        let path = self.storage.join(&relative);
        crate::workspace::durable::write(&path, bytes).map_err(|error| StepError::File {
            path: path.clone(),
            error,
        })?;
        let sha256 = crate::workspace::evidence::EvidenceStore::new(self.evidence.clone())
            .put_bytes(bytes)
            .map_err(|error| StepError::Evidence {
                what: "the receipt",
                error,
            })?;
        Ok((relative, sha256))
    }
}
