//! A simulation's report: what was executed where (network, fork block, how the Safe ran it),
//! each call's status, gas, events and revert, the values the config still names after it,
//! and the verdict. Bound to the batch file's SHA-256 and the fingerprint of the diff at the
//! fork block, and signed by the operator key that made it (EIP-191 over the SHA-256 of its
//! canonical JSON without `sig`), so that an air-gapped machine imports it only when the
//! signer is listed in its config/operators.toml and both bindings are its own.

use crate::ledger::entry::{recover, sign_hash};
use alloy_signer_local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write;

pub const KIND: &str = "owner-console-simulation";
/// A report file larger than this is refused unread.
pub const MAX_REPORT_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub kind: String,
    pub network: String,
    pub chain_id: u64,
    /// The batch file's name, as given.
    pub batch_file: String,
    /// SHA-256 of the batch file's bytes.
    pub batch_sha256: String,
    /// The fingerprint of the diff (config against the chain) at the fork block, before the
    /// batch: the diff the batch was made to close.
    pub diff_fingerprint: String,
    pub fork: ForkInfo,
    pub execution: Execution,
    pub calls: Vec<CallReport>,
    /// The values the config names that the chain does not hold after the batch.
    pub remaining: Vec<Remaining>,
    /// Proposed values not compared after the batch (no getter, unreadable), and why.
    pub not_compared: Vec<String>,
    /// The fingerprint of the diff after the batch.
    pub diff_after_fingerprint: String,
    pub passed: bool,
    pub verdict: String,
    pub made_at: String,
    /// The operator key that signed the report (none until signed).
    pub signer: Option<String>,
    pub sig: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForkInfo {
    pub block: u64,
    pub block_hash: String,
    /// The forked node's URL, redacted.
    pub node: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Execution {
    pub safe: String,
    /// `safe-exec-transaction` (the Safe's own code path) or `impersonated-one-by-one`.
    pub mode: String,
    /// Whether the calls ran all or nothing.
    pub atomic: bool,
    /// How it was done, in words (the owner impersonated, or why the Safe's path was not used).
    pub detail: String,
    /// `call` (one transaction) or `delegatecall` (MultiSendCallOnly).
    pub operation: String,
    pub succeeded: bool,
    pub gas_used: u64,
    /// The Safe's own revert, when it refused without a call reverting.
    pub safe_revert: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallReport {
    pub index: usize,
    pub to: String,
    pub module: Option<String>,
    pub method: String,
    /// `succeeded`, `reverted`, `undone` (it succeeded, and the batch reverted as a whole) or
    /// `not-run`.
    pub status: String,
    pub gas_used: Option<u64>,
    pub revert: Option<String>,
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remaining {
    pub id: String,
    pub on_chain: Option<String>,
    pub config: Option<String>,
    /// For sets: the members the chain lacks and the ones it has beyond the config.
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{name}: {size} bytes is more than a simulation report may be ({MAX_REPORT_BYTES})")]
    TooLarge { name: String, size: u64 },
    #[error("{name}: {error}")]
    Unreadable { name: String, error: String },
    #[error("{name}:{}:{}: not a simulation report: {error}", .error.line(), .error.column())]
    NotJson {
        name: String,
        error: serde_json::Error,
    },
    #[error("{name}: `kind` is `{kind}`, not `{KIND}`")]
    WrongKind { name: String, kind: String },
    #[error("{name}: the report is not signed (no `signer` and `sig`)")]
    Unsigned { name: String },
    #[error("{name}: the signature does not hold: {detail}")]
    BadSignature { name: String, detail: String },
    #[error(
        "{name}: signed by {recovered}, but it names {signer} as its signer: the report was edited after it was signed"
    )]
    Edited {
        name: String,
        recovered: String,
        signer: String,
    },
    #[error("{name}: signed by {signer}, who is not listed in config/operators.toml")]
    Unlisted { name: String, signer: String },
    #[error(
        "{name}: the report is of a batch with SHA-256 {reported}, not this one ({expected}): simulate this batch"
    )]
    OtherBatch {
        name: String,
        reported: String,
        expected: String,
    },
    #[error(
        "{name}: the report is of the diff {reported}, not this one ({expected}): the chain or the config differs from what was simulated"
    )]
    OtherDiff {
        name: String,
        reported: String,
        expected: String,
    },
    #[error("{name}: the report is of network `{reported}`, not `{expected}`")]
    OtherNetwork {
        name: String,
        reported: String,
        expected: String,
    },
    #[error("cannot sign the report: {0}")]
    Sign(String),
}

impl Report {
    /// SHA-256 of the canonical JSON of everything but `sig`.
    pub fn digest(&self) -> String {
        let mut unsigned = self.clone();
        unsigned.sig = None;
        let canonical = serde_json_canonicalizer::to_vec(&unsigned).unwrap_or_default();
        hex::encode(Sha256::digest(canonical))
    }

    pub fn sign(&mut self, key: &PrivateKeySigner) -> Result<(), ReportError> {
        self.signer = Some(key.address().to_checksum(None));
        self.sig = None;
        let sig = sign_hash(&self.digest(), key).map_err(|e| ReportError::Sign(e.to_string()))?;
        self.sig = Some(sig);
        Ok(())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a report file's text, held to its size first.
    pub fn read(path: &std::path::Path) -> Result<Self, ReportError> {
        let name = path.display().to_string();
        let unreadable = |error: std::io::Error| ReportError::Unreadable {
            name: name.clone(),
            error: error.to_string(),
        };
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_REPORT_BYTES {
            return Err(ReportError::TooLarge { name, size });
        }
        let text = std::fs::read_to_string(path).map_err(unreadable)?;
        Self::parse(&name, &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<Self, ReportError> {
        if text.len() as u64 > MAX_REPORT_BYTES {
            return Err(ReportError::TooLarge {
                name: name.to_owned(),
                size: text.len() as u64,
            });
        }
        let report: Self = serde_json::from_str(text).map_err(|error| ReportError::NotJson {
            name: name.to_owned(),
            error,
        })?;
        if report.kind != KIND {
            return Err(ReportError::WrongKind {
                name: name.to_owned(),
                kind: crate::sanitize::for_terminal(&report.kind).into_owned(),
            });
        }
        Ok(report)
    }

    /// The key that signed the report, checked against the signer it names.
    pub fn check_signature(&self, name: &str) -> Result<String, ReportError> {
        let (Some(signer), Some(sig)) = (&self.signer, &self.sig) else {
            return Err(ReportError::Unsigned {
                name: name.to_owned(),
            });
        };
        let recovered = recover(&self.digest(), sig).map_err(|e| ReportError::BadSignature {
            name: name.to_owned(),
            detail: e.to_string(),
        })?;
        let recovered = recovered.to_checksum(None);
        if !recovered.eq_ignore_ascii_case(signer) {
            return Err(ReportError::Edited {
                name: name.to_owned(),
                recovered,
                signer: crate::sanitize::for_terminal(signer).into_owned(),
            });
        }
        Ok(recovered)
    }

    /// Everything an import checks: the signature, by a listed operator, over this network,
    /// this batch and this diff.
    pub fn check_import(
        &self,
        name: &str,
        operators: &crate::ledger::operators::Operators,
        expected: &Expected<'_>,
    ) -> Result<(), ReportError> {
        let signer = self.check_signature(name)?;
        if operators.by_address(&signer).is_none() {
            return Err(ReportError::Unlisted {
                name: name.to_owned(),
                signer,
            });
        }
        let shown = |text: &str| crate::sanitize::for_terminal(text).into_owned();
        if self.network != expected.network {
            return Err(ReportError::OtherNetwork {
                name: name.to_owned(),
                reported: shown(&self.network),
                expected: expected.network.to_owned(),
            });
        }
        if !self
            .batch_sha256
            .eq_ignore_ascii_case(expected.batch_sha256)
        {
            return Err(ReportError::OtherBatch {
                name: name.to_owned(),
                reported: shown(&self.batch_sha256),
                expected: expected.batch_sha256.to_owned(),
            });
        }
        if let Some(fingerprint) = expected.diff_fingerprint
            && !self.diff_fingerprint.eq_ignore_ascii_case(fingerprint)
        {
            return Err(ReportError::OtherDiff {
                name: name.to_owned(),
                reported: shown(&self.diff_fingerprint),
                expected: fingerprint.to_owned(),
            });
        }
        Ok(())
    }
}

/// What an imported report must be bound to.
pub struct Expected<'a> {
    pub network: &'a str,
    pub batch_sha256: &'a str,
    /// None when there is no diff to hold it to (a batch of listed calls).
    pub diff_fingerprint: Option<&'a str>,
}

/// The report as text for a terminal (every chain-given text already sanitized when the
/// report was made; sanitized again, as an imported report is anyone's text).
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let safe = |s: &str| crate::sanitize::for_terminal(s).into_owned();
    let _ = writeln!(
        out,
        "simulation of {} ({} call(s)) on a fork of `{}` at block #{} {}",
        safe(&report.batch_file),
        report.calls.len(),
        safe(&report.network),
        report.fork.block,
        safe(&report.fork.block_hash)
    );
    let _ = writeln!(out, "  batch SHA-256:    {}", safe(&report.batch_sha256));
    let _ = writeln!(
        out,
        "  diff fingerprint: {}",
        safe(&report.diff_fingerprint)
    );
    let e = &report.execution;
    let _ = writeln!(
        out,
        "  executed by the Safe {} ({}, {}): {}",
        safe(&e.safe),
        safe(&e.mode),
        if e.atomic { "atomic" } else { "NOT atomic" },
        safe(&e.detail)
    );
    let _ = writeln!(
        out,
        "  {}: gas {}",
        if e.succeeded {
            "the batch took effect"
        } else {
            "the batch REVERTED: nothing it does stays"
        },
        e.gas_used
    );
    if let Some(why) = &e.safe_revert {
        let _ = writeln!(out, "  the Safe refused: {}", safe(why));
    }
    for call in &report.calls {
        let module = call
            .module
            .as_deref()
            .map(|m| format!(" ({})", safe(m)))
            .unwrap_or_default();
        let mark = match call.status.as_str() {
            "succeeded" => "✓",
            "reverted" => "✗",
            _ => "·",
        };
        let gas = call
            .gas_used
            .map(|g| format!(", gas {g}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {mark} [{}] {}{module} {}: {}{gas}",
            call.index,
            safe(&call.to),
            safe(&call.method),
            safe(&call.status)
        );
        if let Some(why) = &call.revert {
            let _ = writeln!(out, "      reverted: {}", safe(why));
        }
        for event in &call.events {
            let _ = writeln!(out, "      event {}", safe(event));
        }
    }
    if !report.remaining.is_empty() {
        let _ = writeln!(out, "  values the chain still lacks after the batch:");
        for value in &report.remaining {
            let _ = writeln!(out, "    {}", safe(&remaining_text(value)));
        }
    }
    if !report.not_compared.is_empty() {
        let _ = writeln!(
            out,
            "  not compared after the batch: {}",
            safe(&report.not_compared.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "{} {}",
        if report.passed { "PASS" } else { "FAIL" },
        safe(&report.verdict)
    );
    if let Some(signer) = &report.signer {
        let _ = writeln!(out, "  signed by {}", safe(signer));
    }
    out
}

/// One remaining value in a line: `id: chain X, config Y` (sets: members missing / extra).
pub fn remaining_text(value: &Remaining) -> String {
    let mut text = format!(
        "{}: chain {}, config {}",
        value.id,
        value.on_chain.as_deref().unwrap_or("(none)"),
        value.config.as_deref().unwrap_or("(none)")
    );
    if !value.missing.is_empty() {
        let _ = write!(text, "; missing {}", value.missing.join(", "));
    }
    if !value.extra.is_empty() {
        let _ = write!(text, "; extra {}", value.extra.join(", "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            kind: KIND.into(),
            network: "demo".into(),
            chain_id: 31337,
            batch_file: "b.json".into(),
            batch_sha256: "aa".repeat(32),
            diff_fingerprint: "bb".repeat(32),
            fork: ForkInfo {
                block: 7,
                block_hash: "0x01".into(),
                node: "http://127.0.0.1:8545".into(),
            },
            execution: Execution {
                safe: "0x5afe".into(),
                mode: "safe-exec-transaction".into(),
                atomic: true,
                detail: String::new(),
                operation: "delegatecall".into(),
                succeeded: true,
                gas_used: 1,
                safe_revert: None,
            },
            calls: Vec::new(),
            remaining: Vec::new(),
            not_compared: Vec::new(),
            diff_after_fingerprint: "cc".repeat(32),
            passed: true,
            verdict: "nothing remains".into(),
            made_at: "2026-12-04T00:00:00Z".into(),
            signer: None,
            sig: None,
        }
    }

    #[test]
    fn a_signed_report_holds_and_an_edited_one_does_not() {
        let key = PrivateKeySigner::random();
        let mut signed = report();
        signed.sign(&key).unwrap();
        let text = signed.to_json();
        let read = Report::parse("r.json", &text).unwrap();
        assert_eq!(
            read.check_signature("r.json").unwrap(),
            key.address().to_checksum(None)
        );
        let edited = text.replace("\"passed\": true", "\"passed\": false");
        let edited = Report::parse("r.json", &edited).unwrap();
        assert!(matches!(
            edited.check_signature("r.json"),
            Err(ReportError::Edited { .. } | ReportError::BadSignature { .. })
        ));
    }

    #[test]
    fn an_unknown_field_or_kind_is_refused() {
        let mut value = serde_json::to_value(report()).unwrap();
        value["extra"] = 1.into();
        assert!(Report::parse("r.json", &value.to_string()).is_err());
        let mut value = serde_json::to_value(report()).unwrap();
        value["kind"] = "x".into();
        let error = Report::parse("r.json", &value.to_string()).unwrap_err();
        assert!(error.to_string().contains("`kind`"), "{error}");
    }
}
