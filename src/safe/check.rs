//! Checking a batch: per transaction, the selector against the method, the data against the
//! values, the target against the network's modules, the value sent; for the batch, the chain
//! id and the checksum. Each finding says what was expected and what was found.

use super::abi::function_of;
use super::calldata::{check_data, check_values_only};
use super::format::{Batch, ContractMethod, Slot, Transaction};
use super::verdict::{CheckKind, DecodedArg, Status};
use alloy_primitives::Address;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The transaction's index in `transactions`; none for checks of the whole batch.
    pub index: Option<usize>,
    pub kind: CheckKind,
    /// The transaction's method name (empty for raw data and for batch checks).
    pub method: String,
    pub status: Status,
    /// False only for a failure; a warning passes.
    pub passed: bool,
    pub detail: String,
}

impl Check {
    pub fn new(
        index: Option<usize>,
        kind: CheckKind,
        method: &str,
        status: Status,
        detail: String,
    ) -> Self {
        Self {
            index,
            kind,
            method: method.to_owned(),
            status,
            passed: status != Status::Fail,
            detail,
        }
    }

    /// `transactions[3] setBurnPct: selector: expected …`
    pub fn describe(&self) -> String {
        let place = match (self.index, self.method.is_empty()) {
            (Some(i), false) => format!("transactions[{i}] {}: ", self.method),
            (Some(i), true) => format!("transactions[{i}]: "),
            (None, _) => String::new(),
        };
        format!(
            "{} {place}{}: {}",
            self.status.mark(),
            self.kind.name(),
            self.detail
        )
    }
}

/// A transaction as understood: its method, selector and arguments, and its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub method: String,
    /// The canonical signature, e.g. `approve(address,uint256)`, when the method is valid.
    pub signature: Option<String>,
    /// The selector in `data` (or the method's, when data is null and the values encode).
    pub selector: Option<String>,
    pub args: Vec<DecodedArg>,
    pub checks: Vec<Check>,
}

/// Every check of the batch: the batch's own (chain id, checksum), then each transaction's.
/// `targets` maps the network's module addresses to module names; without it `to` is only
/// checked for spelling.
pub fn check_batch(batch: &Batch, targets: Option<&BTreeMap<Address, String>>) -> Vec<Check> {
    let mut checks = batch_checks(batch);
    for (index, tx) in batch.transactions.iter().enumerate() {
        checks.extend(inspect(index, tx, targets).checks);
    }
    checks
}

/// The checks of the batch as a whole: `chainId` and `meta.checksum`.
pub fn batch_checks(batch: &Batch) -> Vec<Check> {
    let chain = match batch.chain_id.value() {
        Some(id) => Check::new(
            None,
            CheckKind::ChainId,
            "",
            Status::Pass,
            format!("chain {id}"),
        ),
        None => Check::new(
            None,
            CheckKind::ChainId,
            "",
            Status::Fail,
            format!(
                "expected a positive integer chain id, found {:?}",
                batch.chain_id.to_string()
            ),
        ),
    };
    let computed = batch.computed_checksum().to_string();
    let checksum = match batch.meta.checksum.get().filter(|c| !c.is_empty()) {
        Some(given) if given.eq_ignore_ascii_case(&computed) => Check::new(
            None,
            CheckKind::Checksum,
            "",
            Status::Pass,
            format!("meta.checksum {given} matches the Safe app's checksum of the file"),
        ),
        Some(given) => Check::new(
            None,
            CheckKind::Checksum,
            "",
            Status::Fail,
            format!(
                "expected {computed} (computed as the Safe app does), meta.checksum has {given}"
            ),
        ),
        None => Check::new(
            None,
            CheckKind::Checksum,
            "",
            Status::Warn,
            format!(
                "the file has no meta.checksum (the Safe app adds one on export); computed {computed}"
            ),
        ),
    };
    vec![chain, checksum]
}

/// One transaction: what it calls, with which arguments, and its checks.
pub fn inspect(
    index: usize,
    tx: &Transaction,
    targets: Option<&BTreeMap<Address, String>>,
) -> Inspection {
    let method = tx.contract_method.get();
    let name = method.map(|m| m.name.clone()).unwrap_or_default();
    let data = tx.data.get().map(|d| d.bytes.as_slice());
    let mut out = Inspection {
        method: name.clone(),
        signature: None,
        selector: data
            .and_then(|d| d.get(..4))
            .map(|s| format!("0x{}", hex::encode(s))),
        args: Vec::new(),
        checks: Vec::new(),
    };
    let check = |kind, status, detail: String| Check::new(Some(index), kind, &name, status, detail);
    match (method, data) {
        (None, None | Some([])) => {
            out.checks.push(check(
                CheckKind::Selector,
                Status::Pass,
                "no calldata: a plain transfer".into(),
            ));
        }
        (None, Some(data)) => {
            let detail = format!(
                "no contractMethod: selector {} and the {} byte(s) of data cannot be checked against a method",
                out.selector.clone().unwrap_or_else(|| "(none)".into()),
                data.len()
            );
            out.checks
                .push(check(CheckKind::Selector, Status::Warn, detail));
        }
        (Some(m), Some(data)) if m.inputs.is_empty() && data.len() > 4 => {
            let detail = format!(
                "method inputs not listed: data cannot be checked against values ({} byte(s) of arguments after selector {})",
                data.len() - 4,
                out.selector.clone().unwrap_or_default()
            );
            out.checks
                .push(check(CheckKind::Values, Status::Warn, detail));
        }
        (Some(m), data) => match function_of(m) {
            Err(reason) => {
                out.checks.push(check(
                    CheckKind::Selector,
                    Status::Fail,
                    format!("contractMethod does not describe a callable method: {reason}"),
                ));
            }
            Ok(function) => {
                let values = tx.contract_inputs_values.get();
                let found = match data {
                    Some(data) => check_data(&function, m, data, values),
                    None => check_values_only(&function, m, values),
                };
                out.signature = Some(function.signature());
                if data.is_none() {
                    out.selector = Some(function.selector().to_string());
                }
                out.args = found.args;
                for (kind, status, detail) in found.checks {
                    out.checks.push(check(kind, status, detail));
                }
            }
        },
    }
    out.checks.push(value_check(tx, method, check));
    if let Some(target) = target_check(tx, targets) {
        out.checks
            .push(check(CheckKind::Target, target.0, target.1));
    }
    out
}

fn value_check(
    tx: &Transaction,
    method: Option<&ContractMethod>,
    check: impl Fn(CheckKind, Status, String) -> Check,
) -> Check {
    let amount = tx.value.amount;
    if amount.is_zero() {
        return check(CheckKind::Value, Status::Pass, "sends 0 wei".into());
    }
    match method {
        Some(m) if m.is_payable() => check(
            CheckKind::Value,
            Status::Pass,
            format!("sends {amount} wei to a payable method"),
        ),
        Some(m) => check(
            CheckKind::Value,
            Status::Warn,
            format!(
                "expected 0 wei for `{}`, which is not payable; found {amount} wei",
                m.name
            ),
        ),
        None if matches!(tx.data, Slot::Set(ref d) if !d.bytes.is_empty()) => check(
            CheckKind::Value,
            Status::Warn,
            format!("sends {amount} wei with raw data"),
        ),
        None => check(
            CheckKind::Value,
            Status::Warn,
            format!("sends {amount} wei (a plain transfer)"),
        ),
    }
}

fn target_check(
    tx: &Transaction,
    targets: Option<&BTreeMap<Address, String>>,
) -> Option<(Status, String)> {
    let to = &tx.to;
    if !to.checksum_ok() {
        return Some((
            Status::Fail,
            format!(
                "to {} mixes cases but is not an EIP-55 checksum (expected {}): a typo?",
                to.text,
                to.address.to_checksum(None)
            ),
        ));
    }
    let targets = targets?;
    Some(match targets.get(&to.address) {
        Some(module) => (
            Status::Pass,
            format!("to {} is {module}", to.address.to_checksum(None)),
        ),
        None => (
            Status::Fail,
            format!(
                "expected one of the network's {} module address(es), found {}",
                targets.len(),
                to.address.to_checksum(None)
            ),
        ),
    })
}
