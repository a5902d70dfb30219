//! A batch decoded for review, method by method: what each transaction calls, with which
//! arguments, and every check's outcome as a mark and a word (never colour alone).

use super::batch_hash;
use super::check::{Check, batch_checks, inspect};
use super::format::{Batch, CreatedAt};
use super::verdict::{DecodedArg, Status};
use alloy_primitives::Address;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub name: Option<String>,
    pub description: Option<String>,
    pub chain_id: String,
    /// As the file writes it (epoch milliseconds or ISO-8601).
    pub created_at: String,
    /// RFC 3339, when `createdAt` can be read.
    pub created_at_utc: Option<String>,
    pub safe: Option<String>,
    pub tx_builder_version: Option<String>,
    pub checksum_in_file: Option<String>,
    pub checksum_computed: String,
    /// SHA-256 of the batch's canonical JSON (RFC 8785), as a run records it.
    pub sha256: String,
    /// Checks of the batch as a whole.
    pub checks: Vec<Check>,
    pub transactions: Vec<TransactionReview>,
    pub passed: usize,
    pub warnings: usize,
    pub failed: usize,
}

impl Review {
    /// True when no check failed (warnings allowed).
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// Every check, the batch's then each transaction's.
    pub fn all_checks(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .chain(self.transactions.iter().flat_map(|t| t.checks.iter()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionReview {
    pub index: usize,
    pub to: String,
    /// The module at `to`, when a catalogue was given and knows it.
    pub module: Option<String>,
    pub value: String,
    pub method: String,
    pub signature: Option<String>,
    pub selector: Option<String>,
    pub args: Vec<DecodedArg>,
    pub data_bytes: Option<usize>,
    pub checks: Vec<Check>,
}

/// Decodes and checks the batch; `targets` as for [`super::check_batch`].
pub fn review(batch: &Batch, targets: Option<&BTreeMap<Address, String>>) -> Review {
    let checks = batch_checks(batch);
    let transactions: Vec<TransactionReview> = batch
        .transactions
        .iter()
        .enumerate()
        .map(|(index, tx)| {
            let found = inspect(index, tx, targets);
            TransactionReview {
                index,
                to: tx.to.text.clone(),
                module: targets.and_then(|t| t.get(&tx.to.address)).cloned(),
                value: tx.value.text.clone(),
                method: found.method,
                signature: found.signature,
                selector: found.selector,
                args: found.args,
                data_bytes: tx.data.get().map(|d| d.bytes.len()),
                checks: found.checks,
            }
        })
        .collect();
    let meta = &batch.meta;
    let created_at = match &batch.created_at {
        CreatedAt::Millis(n) => n.to_string(),
        CreatedAt::Iso(text) => text.clone(),
    };
    let mut review = Review {
        name: meta.name.get().cloned(),
        description: meta.description.get().cloned(),
        chain_id: batch.chain_id.to_string(),
        created_at,
        created_at_utc: batch
            .created_at
            .millis()
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.to_string()),
        safe: meta.created_from_safe_address.get().cloned(),
        tx_builder_version: meta.tx_builder_version.get().cloned(),
        checksum_in_file: meta.checksum.get().cloned(),
        checksum_computed: batch.computed_checksum().to_string(),
        sha256: batch_hash(batch),
        checks,
        transactions,
        passed: 0,
        warnings: 0,
        failed: 0,
    };
    review.count();
    review
}

impl Review {
    /// Adds checks made elsewhere (against a network) to their transactions, and counts again.
    pub fn add_checks(&mut self, checks: impl IntoIterator<Item = Check>) {
        for check in checks {
            match check
                .index
                .and_then(|index| self.transactions.get_mut(index))
            {
                Some(tx) => tx.checks.push(check),
                None => self.checks.push(check),
            }
        }
        self.count();
    }

    fn count(&mut self) {
        let statuses: Vec<Status> = self.all_checks().map(|c| c.status).collect();
        self.passed = statuses.iter().filter(|s| **s == Status::Pass).count();
        self.warnings = statuses.iter().filter(|s| **s == Status::Warn).count();
        self.failed = statuses.iter().filter(|s| **s == Status::Fail).count();
    }
}

/// The review as text: the batch, then per transaction its index, target (and module), the
/// method with named arguments, the selector, and the checks.
pub fn review_text(review: &Review) -> String {
    let mut out = String::new();
    let name = review.name.as_deref().unwrap_or("(unnamed)");
    let _ = writeln!(
        out,
        "Safe batch {name:?}: chain {}, {} transaction(s)",
        review.chain_id,
        review.transactions.len()
    );
    if let Some(description) = review.description.as_deref().filter(|d| !d.is_empty()) {
        let _ = writeln!(out, "  description: {description}");
    }
    let _ = writeln!(
        out,
        "  safe:        {}",
        review.safe.as_deref().unwrap_or("(not given)")
    );
    let created = match &review.created_at_utc {
        Some(utc) if *utc != review.created_at => format!("{utc} ({})", review.created_at),
        _ => review.created_at.clone(),
    };
    let _ = writeln!(out, "  created:     {created}");
    if let Some(version) = &review.tx_builder_version {
        let _ = writeln!(out, "  builder:     Transaction Builder {version}");
    }
    let _ = writeln!(
        out,
        "  checksum:    {} (computed)",
        review.checksum_computed
    );
    let _ = writeln!(out, "  sha256:      {}", review.sha256);
    for check in &review.checks {
        let _ = writeln!(out, "  {}", check.describe());
    }
    for tx in &review.transactions {
        out.push('\n');
        let module = tx
            .module
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default();
        let _ = writeln!(out, "transactions[{}] to {}{module}", tx.index, tx.to);
        let method = if tx.method.is_empty() {
            "(no contractMethod: raw data)".to_owned()
        } else if tx.signature.is_none() && tx.args.is_empty() {
            format!("{} (inputs not listed)", tx.method)
        } else {
            let named: Vec<String> = tx
                .args
                .iter()
                .map(|a| format!("{} {}", a.ty, a.name))
                .collect();
            format!("{}({})", tx.method, named.join(", "))
        };
        let selector = tx.selector.as_deref().unwrap_or("(none)");
        let _ = writeln!(out, "  method:   {method}");
        let _ = writeln!(out, "  selector: {selector}");
        if let Some(signature) = &tx.signature {
            let _ = writeln!(out, "  signature: {signature}");
        }
        let width = tx.args.iter().map(|a| a.name.len()).max().unwrap_or(0);
        for arg in &tx.args {
            let _ = writeln!(out, "    {:width$} = {}", arg.name, arg.value);
        }
        if tx.args.is_empty()
            && let Some(bytes) = tx.data_bytes.filter(|b| *b > 4)
        {
            let _ = writeln!(out, "    ({} byte(s) of arguments, not decoded)", bytes - 4);
        }
        let _ = writeln!(out, "  value:    {} wei", tx.value);
        for check in &tx.checks {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                check.status.mark(),
                check.kind.name(),
                check.detail
            );
        }
    }
    let verdict = if review.ok() {
        Status::Pass.mark()
    } else {
        Status::Fail.mark()
    };
    let _ = writeln!(
        out,
        "\n{verdict}: {} passed, {} warning(s), {} failed",
        review.passed, review.warnings, review.failed
    );
    out
}
