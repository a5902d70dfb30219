//! What the journal records: one event per line, each a transition or a piece of evidence.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Offline,
    Live,
    Drill,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Live => "live",
            Self::Drill => "drill",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStarted {
    pub runbook: String,
    pub version: String,
    /// The runbook file, relative to the workspace.
    pub path: String,
    /// SHA-256 of the runbook file when the run started.
    pub sha256: String,
    pub title: String,
    pub inputs: BTreeMap<String, String>,
    pub network: String,
    pub chain_id: Option<u64>,
    pub mode: Mode,
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandRan {
    pub step: String,
    /// The command as run, with its inputs filled in.
    pub command: String,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub duration_ms: u64,
    /// The start of stdout, bounded; the whole is in the evidence store under its hash.
    pub stdout: String,
    pub stdout_sha256: String,
    pub stdout_bytes: u64,
    pub stderr: String,
    pub stderr_sha256: String,
    pub stderr_bytes: u64,
    pub passed: bool,
}

impl CommandRan {
    /// How the command ended, as people read it: `exit 127`, or a signal.
    pub fn ended(&self) -> String {
        match self.exit_code {
            Some(code) => format!("exit {code}"),
            None => "ended by a signal (no exit code)".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpChecked {
    pub step: String,
    pub url: String,
    pub status: Option<u16>,
    pub passed: bool,
    pub detail: String,
    pub body_sha256: Option<String>,
}

/// A diff of the proposed config against the current state, computed at a diff step; its
/// canonical JSON is in the evidence store under its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRecorded {
    pub step: String,
    /// SHA-256 of the diff's canonical JSON: what independent reviewers compare.
    pub fingerprint: String,
    pub summary: String,
    /// The highest risk class among the changes, if any.
    pub risk: Option<String>,
    pub changes: usize,
    /// Guardrail violations that involve a changed parameter.
    pub blocking: usize,
    /// The current state it was compared with.
    pub against: String,
    /// The parameters that differ, by catalogue id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
}

/// A Safe Transaction Builder batch prepared at a safe-batch step, stored in the workspace.
/// Every later use of the file (sign-offs, execution, receipts, `batch show`, export,
/// `verify-bundle`) re-hashes it against `file_sha256` and refuses on a mismatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchPrepared {
    pub step: String,
    /// The file, relative to the workspace's storage folder.
    pub file: String,
    /// SHA-256 of the batch's canonical JSON.
    pub sha256: String,
    /// SHA-256 of the file's bytes as written.
    pub file_sha256: String,
    /// The Safe app's checksum of the file.
    pub checksum: String,
    pub transactions: usize,
    /// The fingerprint of the recorded diff it was built from (`source = "diff"`): the diff
    /// recomputed against the state read then was that diff, or it less changes already made.
    pub diff_fingerprint: Option<String>,
    /// The Safe transaction its owners sign, when the step knew the Safe and read its nonce
    /// (absent offline, when the nonce could not be read, and in older entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_transaction: Option<SafeTxRecorded>,
}

/// A batch dry-run on a fork (made here, or on a connected machine and imported): its signed
/// report is kept as evidence, bound to the batch file's SHA-256 and the diff's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationRecorded {
    pub step: String,
    /// SHA-256 of the report file in the evidence store.
    pub report_sha256: String,
    /// SHA-256 of the simulated batch file's bytes.
    pub batch_sha256: String,
    /// The fingerprint of the diff at the fork block.
    pub diff_fingerprint: String,
    pub fork_block: u64,
    /// Whether the calls ran all or nothing (through the Safe's own execTransaction).
    pub atomic: bool,
    pub passed: bool,
    pub verdict: String,
    /// The operator key that signed the report.
    pub signer: Option<String>,
    /// Made on another machine and imported here.
    pub imported: bool,
}

/// The Safe, nonce and hashes a hardware wallet shows for a prepared batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeTxRecorded {
    pub safe: String,
    pub nonce: String,
    pub domain_hash: String,
    pub message_hash: String,
    pub safe_tx_hash: String,
}

/// A chain-check step's reads, all at one block, and each expectation's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainChecked {
    pub step: String,
    /// Where the values came from: `live <redacted URL>` or `snapshot <file>`.
    pub source: String,
    pub block_number: u64,
    pub block_hash: String,
    /// The block's time, UTC.
    pub block_time: String,
    pub results: Vec<crate::chain::expect::CheckResult>,
    /// All expectations passed on fresh reads.
    pub passed: bool,
    /// Why the reads verify nothing, when they do not (lagging node, reorganised block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// A receipt step's transaction, checked and archived under `storage/receipts/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptChecked {
    pub step: String,
    /// `live <redacted URL>` or `file <name>`.
    pub source: String,
    pub tx_hash: String,
    pub block_number: u64,
    pub block_hash: String,
    pub succeeded: bool,
    pub to: Option<String>,
    pub events: Vec<crate::chain::receipt::EventFound>,
    /// Blocks on top of the receipt's, its own included, when it was checked (live only).
    pub confirmations: Option<u64>,
    pub problems: Vec<String>,
    pub passed: bool,
    /// The archived receipt, relative to the storage folder, and its SHA-256 (in the evidence
    /// store too).
    pub file: String,
    pub sha256: String,
    /// A drill: the transactions it sent to execute the run's last batch in the sandbox
    /// (later receipt steps of the same batch check these instead of sending it again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub executed: Vec<String>,
    /// A drill: the sandbox's `evm_snapshot` taken just before the batch was sent, which a
    /// chaos step `revert-last-change` goes back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_execution: Option<String>,
}

/// A chaos step's fault, injected into a drill's sandbox for real.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChaosInjected {
    pub step: String,
    pub fault: crate::runbook::chaos::Fault,
    /// What was done, in words: the node's PID and port, its saved state, the snapshot
    /// reverted to.
    pub detail: String,
    /// When it was done, UTC.
    pub done_at: String,
    /// The sandbox node's (loopback) URL.
    pub node: String,
    /// The sandbox's latest block afterwards; none while the node is stopped.
    pub block: Option<u64>,
}

/// An operator's recorded acknowledgement that a state snapshot older than the network's
/// limit is used anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateAcknowledged {
    pub snapshot: String,
    pub block_hash: String,
    pub age_secs: u64,
    pub limit_secs: u64,
    pub reason: String,
}

/// An approval of a run at a sign-off step, by its approver: directly (the approver's own
/// entry) or imported from an attestation made on another machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signoff {
    pub step: String,
    /// The approver's address (EIP-55).
    pub approver: String,
    pub name: String,
    /// The roles the approver signs as.
    pub roles: Vec<String>,
    /// SHA-256 of what is approved: the run's canonical summary.
    pub subject: String,
    /// The approver's own fingerprint of the diff, when the step asks for one.
    pub fingerprint: Option<String>,
    /// For an imported attestation: the approver's signature over the attestation's digest.
    pub attestation_sig: Option<String>,
    pub attested_at: Option<String>,
    /// When the run had prepared a Safe transaction: the approver's signature over its
    /// `safeTxHash`, made with the key that signs their ledger entries (the Safe's owner key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_tx: Option<SafeTxSignature>,
}

/// An owner's ECDSA signature over a Safe transaction hash, as the Safe's `execTransaction`
/// takes it (`r ‖ s ‖ v`, v 27 or 28: the hash signed as it is, as EIP-712 signing gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeTxSignature {
    pub safe_tx_hash: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "kebab-case")]
pub enum Event {
    RunStarted(RunStarted),
    ItemChecked {
        step: String,
        item: usize,
        checked: bool,
    },
    CommandRan(CommandRan),
    HttpChecked(HttpChecked),
    EvidenceAttached {
        step: String,
        name: String,
        sha256: String,
        size: u64,
    },
    Note {
        step: String,
        text: String,
    },
    StepCompleted {
        step: String,
    },
    StepSkipped {
        step: String,
        reason: String,
    },
    BranchChosen {
        step: String,
        option: String,
        goto: String,
    },
    DiffRecorded(DiffRecorded),
    BatchPrepared(BatchPrepared),
    SimulationRecorded(SimulationRecorded),
    ChainChecked(ChainChecked),
    ReceiptChecked(ReceiptChecked),
    StateAcknowledged(StateAcknowledged),
    Signoff(Signoff),
    ChaosInjected(ChaosInjected),
    /// The ledger's size and head at this point, so that a later truncation shows.
    Checkpoint {
        entries: u64,
        head: String,
    },
    RunCompleted {},
    RunAborted {
        reason: String,
    },
}

impl Event {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::RunStarted(_) => "run-started",
            Self::ItemChecked { .. } => "item-checked",
            Self::CommandRan(_) => "command-ran",
            Self::HttpChecked(_) => "http-checked",
            Self::EvidenceAttached { .. } => "evidence-attached",
            Self::Note { .. } => "note",
            Self::StepCompleted { .. } => "step-completed",
            Self::StepSkipped { .. } => "step-skipped",
            Self::BranchChosen { .. } => "branch-chosen",
            Self::DiffRecorded(_) => "diff-recorded",
            Self::BatchPrepared(_) => "batch-prepared",
            Self::SimulationRecorded(_) => "simulation-recorded",
            Self::ChainChecked(_) => "chain-checked",
            Self::ReceiptChecked(_) => "receipt-checked",
            Self::StateAcknowledged(_) => "state-acknowledged",
            Self::Signoff(_) => "signoff",
            Self::ChaosInjected(_) => "chaos-injected",
            Self::Checkpoint { .. } => "checkpoint",
            Self::RunCompleted {} => "run-completed",
            Self::RunAborted { .. } => "run-aborted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_shape_round_trips() {
        let event = Event::StepSkipped {
            step: "s".into(),
            reason: "why".into(),
        };
        let text = serde_json::to_string(&event).unwrap();
        assert_eq!(
            text,
            r#"{"type":"step-skipped","body":{"step":"s","reason":"why"}}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), event);
        let done = serde_json::to_string(&Event::RunCompleted {}).unwrap();
        assert_eq!(
            serde_json::from_str::<Event>(&done).unwrap(),
            Event::RunCompleted {}
        );
    }
}
