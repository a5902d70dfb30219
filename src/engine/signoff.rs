//! Sign-off steps: what an approval covers, and when a quorum holds.

use super::event::Signoff;
use super::run::{EngineError, Run};
use crate::runbook::StepAction;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What an approver approves: the run's canonical summary, and the SHA-256 of the file of the
/// last Safe batch it prepared (absent before any, so earlier approvals keep their subject).
#[derive(Serialize)]
struct Subject<'a> {
    run: &'a str,
    runbook: &'a str,
    version: &'a str,
    sha256: &'a str,
    network: &'a str,
    chain_id: Option<u64>,
    inputs: &'a BTreeMap<String, String>,
    executor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<&'a str>,
}

/// Who is signing off, as the operators file lists them.
pub struct Approver<'a> {
    pub address: &'a str,
    pub name: &'a str,
    pub roles: &'a [String],
}

impl Run {
    /// SHA-256 of the canonical summary of the run: the same on any machine with the same
    /// ledger, so that an attestation made elsewhere names exactly this run and, once a batch
    /// is prepared, exactly that batch file.
    pub fn subject(&self) -> String {
        let subject = Subject {
            run: &self.id,
            runbook: &self.started.runbook,
            version: &self.started.version,
            sha256: &self.started.sha256,
            network: &self.started.network,
            chain_id: self.started.chain_id,
            inputs: &self.started.inputs,
            executor: &self.executor,
            batch: self.last_batch.as_ref().map(|b| b.file_sha256.as_str()),
        };
        let bytes = serde_json_canonicalizer::to_vec(&subject).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }

    /// The `safeTxHash` of the Safe transaction this run last prepared, when it has one: what
    /// an approver signs along with their sign-off.
    pub fn safe_tx_hash(&self) -> Option<&str> {
        self.last_batch
            .as_ref()
            .and_then(|b| b.safe_transaction.as_ref())
            .map(|tx| tx.safe_tx_hash.as_str())
    }

    /// Keeps `signoff`'s signature over the last prepared Safe transaction (one per
    /// approver): what the Safe executes it with.
    pub(super) fn keep_safe_tx_signature(&mut self, signoff: &Signoff) {
        let (Some(signature), Some(hash)) = (&signoff.safe_tx, self.safe_tx_hash()) else {
            return;
        };
        if signature.safe_tx_hash.eq_ignore_ascii_case(hash)
            && !self
                .safe_tx_signatures
                .iter()
                .any(|(approver, _)| approver.eq_ignore_ascii_case(&signoff.approver))
        {
            self.safe_tx_signatures
                .push((signoff.approver.clone(), signature.clone()));
        }
    }

    /// The diff fingerprint this run recorded, which sign-offs are compared with.
    pub fn diff_fingerprint(&self) -> Option<&str> {
        self.last_diff.as_ref().map(|d| d.fingerprint.as_str())
    }

    /// A sign-off at the current step by `approver`, checked against the step's rules.
    pub fn sign_off(
        &self,
        approver: &Approver,
        fingerprint: Option<&str>,
    ) -> Result<Signoff, EngineError> {
        let step = self.current_step().ok_or(EngineError::Finished("over"))?;
        let StepAction::Signoff {
            signer_roles,
            exclude_executor,
            require_fingerprint,
            ..
        } = &step.action
        else {
            return Err(EngineError::Blocked(format!(
                "step `{}` is not a sign-off",
                step.id
            )));
        };
        if *exclude_executor && approver.address.eq_ignore_ascii_case(&self.executor) {
            return Err(EngineError::Blocked(format!(
                "{} started this run and cannot approve it (separation of duties)",
                approver.name
            )));
        }
        let roles: Vec<String> = approver
            .roles
            .iter()
            .filter(|r| signer_roles.is_empty() || signer_roles.contains(r))
            .cloned()
            .collect();
        if roles.is_empty() {
            return Err(EngineError::Blocked(format!(
                "{} holds none of the roles that count here ({})",
                approver.name,
                signer_roles.join(", ")
            )));
        }
        if self
            .visit
            .signoffs
            .iter()
            .any(|s| s.approver.eq_ignore_ascii_case(approver.address))
        {
            return Err(EngineError::Blocked(format!(
                "{} has already signed off this step",
                approver.name
            )));
        }
        if *require_fingerprint && fingerprint.is_none() {
            return Err(EngineError::Blocked(
                "this sign-off needs your own fingerprint of the diff (computed on your machine)"
                    .into(),
            ));
        }
        Ok(Signoff {
            step: step.id.clone(),
            approver: approver.address.to_owned(),
            name: approver.name.to_owned(),
            roles,
            subject: self.subject(),
            fingerprint: fingerprint.map(str::to_owned),
            attestation_sig: None,
            attested_at: None,
            safe_tx: None,
        })
    }

    pub(super) fn signoff_blocker(&self) -> Option<String> {
        let step = self.current_step()?;
        let StepAction::Signoff {
            quorum,
            require_fingerprint,
            require_simulation,
            ..
        } = &step.action
        else {
            return None;
        };
        if *require_simulation && let Some(missing) = self.simulation_missing() {
            return Some(format!(
                "sign-offs count only after a passing simulation: {missing}"
            ));
        }
        let expected = self.diff_fingerprint();
        let mut counted = 0;
        let mut refused = Vec::new();
        for signoff in &self.visit.signoffs {
            if signoff.subject != self.subject() {
                refused.push(format!("{} approved another run", signoff.name));
            } else if let Some(signed) = &signoff.safe_tx
                && self.safe_tx_hash() != Some(signed.safe_tx_hash.as_str())
            {
                refused.push(format!(
                    "{} signed Safe transaction {}, not this run's {}",
                    signoff.name,
                    short(Some(&signed.safe_tx_hash)),
                    short(self.safe_tx_hash())
                ));
            } else if *require_fingerprint
                && (expected.is_none() || signoff.fingerprint.as_deref() != expected)
            {
                let why = match expected {
                    None => "this run has no diff fingerprint yet to compare it with".to_owned(),
                    Some(ours) => format!(
                        "their fingerprint {} differs from this run's {}",
                        short(signoff.fingerprint.as_deref()),
                        short(Some(ours))
                    ),
                };
                refused.push(format!("{}: {why}", signoff.name));
            } else {
                counted += 1;
            }
        }
        if counted >= *quorum as usize {
            return None;
        }
        let mut text = format!("{counted} of {quorum} sign-off(s)");
        if !refused.is_empty() {
            text.push_str(&format!("; not counted: {}", refused.join("; ")));
        }
        Some(text)
    }
}

fn short(text: Option<&str>) -> String {
    text.map(|t| t.chars().take(12).collect())
        .unwrap_or_else(|| "(none)".into())
}
