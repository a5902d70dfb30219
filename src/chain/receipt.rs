//! A transaction receipt checked against what a runbook's receipt step expects: it succeeded,
//! it went to the module (directly, or through the network's Safe, which must not report an
//! `ExecutionFailure`), and the module emitted every expected event, recognised by the Keccak
//! hash of its signature.

use alloy_primitives::{Address, B256, keccak256};
use serde::{Deserialize, Serialize};

/// The fields of a receipt (`eth_getTransactionReceipt`'s shape) that are checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub transaction_hash: B256,
    pub block_number: alloy_primitives::U64,
    pub block_hash: B256,
    pub status: Option<alloy_primitives::U64>,
    pub to: Option<Address>,
    #[serde(default)]
    pub logs: Vec<Log>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Log {
    pub address: Address,
    #[serde(default)]
    pub topics: Vec<B256>,
}

impl Receipt {
    /// Reads a receipt; errors name the file, line and field (`serde_path_to_error`).
    pub fn parse(name: &str, text: &str) -> Result<Self, super::ReceiptError> {
        let mut reader = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut reader).map_err(|error| {
            let inner = error.inner();
            super::ReceiptError {
                name: name.to_owned(),
                line: inner.line(),
                column: inner.column(),
                field: error.path().to_string(),
                message: inner.to_string(),
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFound {
    pub signature: String,
    pub found: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptVerdict {
    pub tx_hash: String,
    pub block_number: u64,
    pub block_hash: String,
    pub succeeded: bool,
    pub to: Option<String>,
    pub events: Vec<EventFound>,
    /// Every reason the receipt does not pass; empty when it does.
    pub problems: Vec<String>,
}

impl ReceiptVerdict {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

const EXECUTION_FAILURE: &str = "ExecutionFailure(bytes32,uint256)";

/// Checks `receipt` against the module it must have changed and the events it must carry.
pub fn verify(
    receipt: &Receipt,
    module: (&str, Address),
    safe: Option<Address>,
    events: &[String],
) -> ReceiptVerdict {
    let (name, address) = module;
    let mut problems = Vec::new();
    let succeeded = receipt.status.map(|s| s.to::<u64>()) == Some(1);
    if !succeeded {
        problems.push("the transaction failed (status 0): nothing changed on chain".to_owned());
    }
    match receipt.to {
        Some(to) if to == address || Some(to) == safe => {}
        Some(to) => problems.push(format!(
            "the transaction went to {}, not to {name} ({}) or the network's Safe",
            to.to_checksum(None),
            address.to_checksum(None)
        )),
        None => problems.push("the transaction created a contract; it changed no module".into()),
    }
    let failure = keccak256(EXECUTION_FAILURE.as_bytes());
    if let Some(safe) = safe.filter(|safe| {
        receipt
            .logs
            .iter()
            .any(|log| log.address == *safe && log.topics.first() == Some(&failure))
    }) {
        problems.push(format!(
            "the Safe ({}) reported {EXECUTION_FAILURE}: the call inside it failed and changed nothing",
            safe.to_checksum(None)
        ));
    }
    let found: Vec<EventFound> = events
        .iter()
        .map(|signature| {
            let topic = keccak256(signature.as_bytes());
            let found = receipt
                .logs
                .iter()
                .any(|log| log.address == address && log.topics.first() == Some(&topic));
            if !found {
                problems.push(format!("no {signature} event from {name} in the receipt"));
            }
            EventFound {
                signature: signature.clone(),
                found,
            }
        })
        .collect();
    ReceiptVerdict {
        tx_hash: format!("{:#x}", receipt.transaction_hash),
        block_number: receipt.block_number.to(),
        block_hash: format!("{:#x}", receipt.block_hash),
        succeeded,
        to: receipt.to.map(|a| a.to_checksum(None)),
        events: found,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "0x7777777777777777777777777777777777777777";

    const SAFE: &str = "0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe";

    fn receipt(status: &str, topic: B256) -> Receipt {
        sent(status, REGISTRY, &[(REGISTRY, topic)])
    }

    /// A receipt of a transaction to `to` with `logs` (emitter, first topic).
    fn sent(status: &str, to: &str, logs: &[(&str, B256)]) -> Receipt {
        let logs: Vec<_> = logs
            .iter()
            .map(|(address, topic)| {
                serde_json::json!({"address": address, "topics": [format!("{topic:#x}")], "data": "0x"})
            })
            .collect();
        let text = serde_json::json!({
            "transactionHash": format!("{:#x}", B256::repeat_byte(1)),
            "blockNumber": "0x10",
            "blockHash": format!("{:#x}", B256::repeat_byte(2)),
            "status": status,
            "to": to,
            "logs": logs,
        })
        .to_string();
        Receipt::parse("r.json", &text).expect("parses")
    }

    #[test]
    fn an_execution_through_the_safe_passes_for_the_module_and_for_the_safe() {
        let (registry, safe): (Address, Address) = (
            REGISTRY.parse().expect("address"),
            SAFE.parse().expect("address"),
        );
        let paused = keccak256("Paused(address)".as_bytes());
        let success = keccak256("ExecutionSuccess(bytes32,uint256)".as_bytes());
        let executed = sent("0x1", SAFE, &[(REGISTRY, paused), (SAFE, success)]);
        let module = verify(
            &executed,
            ("JobRegistry", registry),
            Some(safe),
            &["Paused(address)".to_owned()],
        );
        assert!(module.passed(), "{:?}", module.problems);
        let own = verify(
            &executed,
            ("Safe", safe),
            Some(safe),
            &["ExecutionSuccess(bytes32,uint256)".to_owned()],
        );
        assert!(own.passed(), "{:?}", own.problems);
        let elsewhere = verify(
            &sent("0x1", SAFE, &[(REGISTRY, paused)]),
            ("JobRegistry", registry),
            None,
            &["Paused(address)".to_owned()],
        );
        assert_eq!(elsewhere.problems.len(), 1, "{:?}", elsewhere.problems);
        assert!(elsewhere.problems[0].contains("not to JobRegistry"));
    }

    #[test]
    fn an_execution_failure_of_the_safe_fails_the_receipt() {
        let safe: Address = SAFE.parse().expect("address");
        let failure = keccak256(EXECUTION_FAILURE.as_bytes());
        let verdict = verify(
            &sent("0x1", SAFE, &[(SAFE, failure)]),
            ("Safe", safe),
            Some(safe),
            &[],
        );
        assert_eq!(
            verdict.problems,
            [format!(
                "the Safe ({}) reported ExecutionFailure(bytes32,uint256): the call inside it failed and changed nothing",
                safe.to_checksum(None)
            )]
        );
    }

    #[test]
    fn the_expected_event_from_the_module_passes() {
        let address: Address = REGISTRY.parse().expect("address");
        let paused = keccak256("Paused(address)".as_bytes());
        let events = vec!["Paused(address)".to_owned()];
        let good = verify(
            &receipt("0x1", paused),
            ("JobRegistry", address),
            None,
            &events,
        );
        assert!(good.passed(), "{:?}", good.problems);
        let wrong = verify(
            &receipt("0x1", keccak256("Unpaused(address)".as_bytes())),
            ("JobRegistry", address),
            None,
            &events,
        );
        assert_eq!(
            wrong.problems,
            ["no Paused(address) event from JobRegistry in the receipt"]
        );
        let failed = verify(
            &receipt("0x0", paused),
            ("JobRegistry", address),
            None,
            &events,
        );
        assert!(!failed.passed());
    }

    #[test]
    fn a_malformed_receipt_names_the_field() {
        let error = Receipt::parse("r.json", r#"{"transactionHash": "0x12"}"#)
            .expect_err("bad")
            .to_string();
        assert!(error.starts_with("r.json:1:"), "{error}");
        assert!(error.contains("transactionHash"), "{error}");
    }
}
