//! A drill's receipt step: the run's prepared batch, as read back and checked against the hash
//! recorded at batch-prepared, executed in the sandbox through the Safe's `execTransaction`
//! (once per run), and the receipts of what it sent checked.

use super::StepError;
use super::receipt::{PreparedReceipt, ReceiptFrom, SentBatch};
use crate::chain::Target;
use crate::engine::Event;
use crate::safe::Batch;
use crate::sandbox::safe_exec;
use std::path::Path;

impl PreparedReceipt {
    /// Executes the batch's transactions in the sandbox, each through the Safe's
    /// `execTransaction` sent from a dev account (as an executor does on a real chain), after
    /// a sandbox snapshot. Stops at the first that reverts, as the Safe app's batch would.
    /// `parsed` is the batch as read back and checked against its recorded hash.
    pub(super) async fn send_batch(
        &self,
        parsed: &Batch,
        target: &Target,
    ) -> Result<SentBatch, StepError> {
        let safe = self.safe.ok_or(StepError::NoSafe)?;
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
        let mut sent = SentBatch {
            hashes: Vec::new(),
            before: before.as_str().map(str::to_owned),
            failure: None,
        };
        let count = parsed.transactions.len();
        for (index, transaction) in parsed.transactions.iter().enumerate() {
            let call = safe_exec::SafeCall {
                to: transaction.to.address,
                value: transaction.value.amount,
                data: transaction
                    .data
                    .get()
                    .map(|d| d.bytes.clone())
                    .unwrap_or_default()
                    .into(),
            };
            let executed = safe_exec::execute(&sender, executor, safe, &call).await?;
            sent.hashes.push(format!("{:#x}", executed.hash));
            if let Some(why) = executed.reverted {
                sent.failure = Some(format!(
                    "batch transaction {} of {count} (to {}) reverted in the Safe: {why}; {}",
                    index + 1,
                    call.to.to_checksum(None),
                    match count - index - 1 {
                        0 => "it was the last".to_owned(),
                        rest => format!("the {rest} after it were not sent"),
                    }
                ));
                break;
            }
        }
        Ok(sent)
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
