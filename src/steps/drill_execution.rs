//! A drill's receipt step: the run's prepared batch, as read back and checked against the hash
//! recorded at batch-prepared, executed in the sandbox atomically through the real Safe's
//! `execTransaction` (once per run) with the approvers' signatures from their sign-offs, and
//! the receipt of that transaction checked.

use super::StepError;
use super::receipt::{PreparedReceipt, ReceiptFrom, SentBatch};
use crate::chain::Target;
use crate::engine::Event;
use crate::safe::Batch;
use crate::sandbox::safe_exec::{self, Executed, OwnerSignature};
use alloy_primitives::{Address, B256};
use std::path::Path;

impl PreparedReceipt {
    /// Executes the batch in the sandbox after a sandbox snapshot: one Safe transaction (its
    /// one call, or every call through MultiSendCallOnly), sent from a dev account as an
    /// executor does on a real chain, with the signatures the run's sign-offs carry. A call
    /// that fails reverts them all; the failure names it and says why.
    /// `parsed` is the batch as read back and checked against its recorded hash.
    pub(super) async fn send_batch(
        &self,
        parsed: &Batch,
        target: &Target,
    ) -> Result<SentBatch, StepError> {
        let safe = self.safe.ok_or(StepError::NoSafe)?;
        let call = crate::safe::multisend::safe_call(parsed)?;
        let signatures = self.owner_signatures()?;
        let expected = match &self.signing.safe_tx_hash {
            Some(hash) => Some(hash.parse::<B256>().map_err(|_| StepError::Approval {
                name: "the batch".to_owned(),
                error: crate::safe::approval::ApprovalError::NotAHash(hash.clone()),
            })?),
            None => None,
        };
        let rpc = target.endpoint.client()?;
        let sender = crate::sandbox::deploy::Sender {
            rpc: &rpc,
            timeout: std::time::Duration::from_secs(20),
        };
        let executor = safe_exec::executor(&sender).await?;
        let before: serde_json::Value = rpc
            .request_noparams("evm_snapshot")
            .await
            .map_err(|e| StepError::SnapshotRefused(e.to_string()))?;
        let executed =
            safe_exec::execute(&sender, executor, safe, &call, expected, &signatures).await?;
        Ok(SentBatch {
            hashes: vec![format!("{:#x}", executed.hash)],
            before: before.as_str().map(str::to_owned),
            failure: self.failure(&executed, parsed.transactions.len()),
            signing: Some(self.signing_text(&executed)),
        })
    }

    /// The run's approvers' signatures over the Safe transaction, each checked again.
    fn owner_signatures(&self) -> Result<Vec<OwnerSignature>, StepError> {
        self.signing
            .signatures
            .iter()
            .map(|(approver, signed)| {
                let refused = |error| StepError::Approval {
                    name: approver.clone(),
                    error,
                };
                let owner = crate::safe::approval::check(signed, approver).map_err(refused)?;
                let signature = crate::safe::approval::bytes(signed).map_err(refused)?;
                Ok(OwnerSignature { owner, signature })
            })
            .collect()
    }

    fn name_of(&self, address: Address) -> String {
        match self.signing.names.get(&address) {
            Some(name) => crate::sanitize::for_terminal(name).into_owned(),
            None => address.to_checksum(None),
        }
    }

    /// Whose approvals the Safe took: the signatures from sign-offs, and the owners who
    /// approved on the sandbox because no signature of theirs was given.
    fn signing_text(&self, executed: &Executed) -> String {
        let names = |owners: &[Address]| {
            owners
                .iter()
                .map(|o| self.name_of(*o))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!("Safe transaction {:#x}", executed.safe_tx_hash);
        if !executed.signed_by.is_empty() {
            text.push_str(&format!(
                "; signed by {} (their sign-offs)",
                names(&executed.signed_by)
            ));
        }
        if !executed.not_owners.is_empty() {
            text.push_str(&format!(
                "; left out the signatures of {} (not owners of the sandbox's Safe: listed after `sandbox up`?)",
                names(&executed.not_owners)
            ));
        }
        if !executed.approved_on_sandbox.is_empty() {
            text.push_str(&format!(
                "; approved on the sandbox for {} (no signature of theirs in the run's sign-offs: a live Safe needs it)",
                names(&executed.approved_on_sandbox)
            ));
        }
        text
    }

    /// Why the execution failed, when it did: the call inside that failed and its reason.
    fn failure(&self, executed: &Executed, count: usize) -> Option<String> {
        let why = executed.reverted.as_ref()?;
        let Some(failed) = &executed.failed_call else {
            return Some(format!(
                "the Safe's execution reverted ({why}); nothing in the batch took effect"
            ));
        };
        let module = self.signing.abis.get(&failed.to);
        let reason = crate::chain::revert::explain(&failed.revert_data, module.map(|(_, abi)| abi));
        let function = module
            .and_then(|(_, abi)| {
                let selector = failed.input.get(..4)?;
                abi.functions()
                    .find(|f| f.selector().as_slice() == selector)
                    .map(|f| f.signature())
            })
            .map(|signature| format!(" {signature}"))
            .unwrap_or_default();
        let to = match module {
            Some((name, _)) => format!("{} ({name})", failed.to.to_checksum(None)),
            None => failed.to.to_checksum(None),
        };
        Some(format!(
            "batch transaction {} of {count} (to {to}{function}) reverted: {reason}; the Safe reverted the whole batch ({why}): nothing in it took effect",
            failed.index + 1
        ))
    }

    /// Checks the receipts of the sent transactions: the first that carries the expected
    /// events passes the step, unless one of them failed, which fails it. Names every
    /// transaction sent.
    pub(super) async fn check_sent(
        &self,
        batch: &Path,
        sent: SentBatch,
    ) -> Result<Event, StepError> {
        let mut checked = Vec::new();
        for hash in &sent.hashes {
            checked.push(self.check(&ReceiptFrom::Hash(hash.clone())).await?);
        }
        let receipt = |event: &Event| match event {
            Event::ReceiptChecked(receipt) => Some((receipt.succeeded, receipt.passed)),
            _ => None,
        };
        let chosen = checked
            .iter()
            .position(|e| receipt(e).is_some_and(|(succeeded, _)| !succeeded))
            .or_else(|| {
                checked
                    .iter()
                    .position(|e| receipt(e).is_some_and(|(_, passed)| passed))
            })
            .unwrap_or(checked.len().saturating_sub(1));
        let mut event = checked
            .into_iter()
            .nth(chosen)
            .ok_or(StepError::EmptyBatch)?;
        if let Event::ReceiptChecked(receipt) = &mut event {
            receipt.source = format!(
                "drill: {} executed in the sandbox through the Safe's execTransaction ({})",
                batch
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sent.hashes.join(", ")
            );
            if let Some(signing) = &sent.signing {
                receipt.source.push_str(&format!("; {signing}"));
            }
            if let Some(failure) = sent.failure {
                receipt.problems.push(failure);
                receipt.passed = false;
            }
            receipt.executed = sent.hashes;
            receipt.before_execution = sent.before;
        }
        Ok(event)
    }
}
