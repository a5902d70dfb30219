//! One mined transaction's calls as `debug_traceTransaction` with the callTracer gives them
//! (anvil's and geth's shape): each frame's kind, from, to, input, output, gas, error and logs,
//! nested. [`Frame::calls_made_by`] picks the calls one account made itself: a Safe's calls to
//! a batch's targets, reached through its proxy's and MultiSend's delegatecalls (which run in
//! the Safe's own context).

use alloy_json_rpc::RpcError;
use alloy_primitives::{Address, B256, Bytes, U64, U256};
use alloy_rpc_client::RpcClient;
use alloy_transport::TransportErrorKind;
use serde::Deserialize;

/// The tracer options: the call tree, with each frame's logs.
pub fn tracer_options() -> serde_json::Value {
    serde_json::json!({ "tracer": "callTracer", "tracerConfig": { "withLog": true } })
}

/// One call frame of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Frame {
    /// `CALL`, `DELEGATECALL`, `STATICCALL`, `CALLCODE`, `CREATE`, `CREATE2`, `SELFDESTRUCT`.
    #[serde(rename = "type")]
    pub kind: String,
    pub from: Address,
    #[serde(default)]
    pub to: Option<Address>,
    #[serde(default)]
    pub value: Option<U256>,
    #[serde(default)]
    pub gas: Option<U64>,
    #[serde(default)]
    pub gas_used: Option<U64>,
    #[serde(default)]
    pub input: Bytes,
    /// What the frame returned, or its revert data when it reverted.
    #[serde(default)]
    pub output: Option<Bytes>,
    /// Set when the frame reverted or failed: "execution reverted", "out of gas", …
    #[serde(default)]
    pub error: Option<String>,
    /// A `require` message the tracer already decoded.
    #[serde(default)]
    pub revert_reason: Option<String>,
    #[serde(default)]
    pub logs: Vec<TraceLog>,
    #[serde(default)]
    pub calls: Vec<Frame>,
}

/// A log emitted in a frame (before its sub-call `position`, when the tracer says).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TraceLog {
    pub address: Address,
    #[serde(default)]
    pub topics: Vec<B256>,
    #[serde(default)]
    pub data: Bytes,
    #[serde(default)]
    pub position: Option<U64>,
}

impl Frame {
    pub fn reverted(&self) -> bool {
        self.error.is_some()
    }

    pub fn gas_used(&self) -> u64 {
        self.gas_used.map_or(0, |g| g.to())
    }

    /// The revert data, when the frame reverted (empty when it gave none).
    pub fn revert_data(&self) -> Option<&[u8]> {
        self.reverted()
            .then(|| self.output.as_ref().map_or(&[][..], |o| o.as_ref()))
    }

    fn is_delegated(&self) -> bool {
        matches!(self.kind.as_str(), "DELEGATECALL" | "CALLCODE")
    }

    /// The calls `account` made itself, in order, under this frame: plain `CALL`s whose
    /// caller is `account`, found in this frame and through the delegatecalls that run in
    /// `account`'s context (not inside the calls collected, nor inside other accounts' code).
    pub fn calls_made_by(&self, account: Address) -> Vec<&Frame> {
        let mut found = Vec::new();
        self.collect_calls(account, &mut found);
        found
    }

    fn collect_calls<'a>(&'a self, account: Address, found: &mut Vec<&'a Frame>) {
        for child in &self.calls {
            if child.from != account {
                continue;
            }
            if child.is_delegated() {
                child.collect_calls(account, found);
            } else if child.kind == "CALL" {
                found.push(child);
            }
        }
    }

    /// Every log of the frame and the frames under it, in the order they were emitted
    /// (a reverted frame's logs included: the tracer keeps them; the chain does not).
    pub fn logs_in_order(&self) -> Vec<&TraceLog> {
        let mut logs = Vec::new();
        self.collect_logs(&mut logs);
        logs
    }

    fn collect_logs<'a>(&'a self, logs: &mut Vec<&'a TraceLog>) {
        let mut own = self.logs.iter().peekable();
        for (index, child) in self.calls.iter().enumerate() {
            while let Some(log) =
                own.next_if(|l| l.position.is_some_and(|p| p.to::<usize>() <= index))
            {
                logs.push(log);
            }
            child.collect_logs(logs);
        }
        logs.extend(own);
    }
}

/// Why a trace could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TraceError {
    #[error(
        "the node does not trace transactions (debug_traceTransaction with the callTracer): {0}"
    )]
    Unsupported(String),
    #[error("debug_traceTransaction {hash}: {detail}")]
    Failed { hash: B256, detail: String },
    #[error("debug_traceTransaction {hash}: the trace is not a callTracer frame: {detail}")]
    Malformed { hash: B256, detail: String },
}

/// The call tree of the mined transaction `hash`.
pub async fn trace_transaction(rpc: &RpcClient, hash: B256) -> Result<Frame, TraceError> {
    let raw: serde_json::Value = rpc
        .request("debug_traceTransaction", (hash, tracer_options()))
        .await
        .map_err(
            |error: RpcError<TransportErrorKind>| match error.as_error_resp() {
                Some(payload) if payload.code == -32601 => {
                    TraceError::Unsupported(crate::sanitize::for_terminal(&payload.message).into())
                }
                _ => TraceError::Failed {
                    hash,
                    detail: crate::sanitize::for_terminal(&error.to_string()).into(),
                },
            },
        )?;
    parse(&raw).map_err(|detail| TraceError::Malformed { hash, detail })
}

/// A callTracer result as a [`Frame`].
pub fn parse(raw: &serde_json::Value) -> Result<Frame, String> {
    Frame::deserialize(raw).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OWNER: &str = "0x1111111111111111111111111111111111111111";
    const SAFE: &str = "0x5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe";
    const SINGLETON: &str = "0x2222222222222222222222222222222222222222";
    const MULTI_SEND: &str = "0x9641d764fc13c8b624c04430c7356c1c7c8102e2";
    const TARGET: &str = "0x3333333333333333333333333333333333333333";
    const OTHER: &str = "0x4444444444444444444444444444444444444444";

    fn log(address: &str, position: u64) -> serde_json::Value {
        json!({ "address": address, "topics": [format!("0x{:064x}", position + 1)], "data": "0x", "position": format!("{position:#x}") })
    }

    /// An execTransaction: owner → Safe proxy → singleton (delegatecall) → MultiSend
    /// (delegatecall) → two calls from the Safe, the second reverting; the first call's
    /// target calls another contract (not the Safe's call).
    fn safe_trace() -> serde_json::Value {
        let inner = json!({ "type": "CALL", "from": TARGET, "to": OTHER, "gas": "0x100", "gasUsed": "0x10", "input": "0x", "logs": [log(OTHER, 0)] });
        let first = json!({ "type": "CALL", "from": SAFE, "to": TARGET, "gas": "0xd000", "gasUsed": "0x5208", "input": "0xaabbccdd", "value": "0x0",
            "logs": [log(TARGET, 0), log(TARGET, 1)], "calls": [inner] });
        let second = json!({ "type": "CALL", "from": SAFE, "to": TARGET, "gas": "0xd000", "gasUsed": "0x300", "input": "0x11223344",
            "error": "execution reverted", "output": "0xdeadbeef" });
        let multi_send = json!({ "type": "DELEGATECALL", "from": SAFE, "to": MULTI_SEND, "gas": "0xe0000", "gasUsed": "0x7000", "input": "0x8d80ff0a",
            "calls": [first, second] });
        let singleton = json!({ "type": "DELEGATECALL", "from": SAFE, "to": SINGLETON, "gas": "0xf0000", "gasUsed": "0x8000", "input": "0x6a761202",
            "calls": [multi_send] });
        json!({ "type": "CALL", "from": OWNER, "to": SAFE, "gas": "0x100000", "gasUsed": "0x9000",
            "input": "0x6a761202", "error": "execution reverted", "output": "0x", "calls": [singleton] })
    }

    #[test]
    fn the_safes_own_calls_are_found_through_its_delegatecalls() {
        let frame = parse(&safe_trace()).unwrap();
        let calls = frame.calls_made_by(SAFE.parse().unwrap());
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].input.as_ref(), [0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(calls[0].gas_used(), 21000);
        assert!(!calls[0].reverted());
        assert_eq!(calls[1].revert_data(), Some(&[0xde, 0xad, 0xbe, 0xef][..]));
        assert!(frame.reverted());
    }

    #[test]
    fn logs_come_in_the_order_they_were_emitted() {
        let frame = parse(&safe_trace()).unwrap();
        let first = frame.calls_made_by(SAFE.parse().unwrap())[0];
        let order: Vec<(Address, u8)> = first
            .logs_in_order()
            .iter()
            .map(|l| (l.address, l.topics[0][31]))
            .collect();
        let target: Address = TARGET.parse().unwrap();
        let other: Address = OTHER.parse().unwrap();
        assert_eq!(order, [(target, 1), (other, 1), (target, 2)]);
    }

    #[test]
    fn another_accounts_calls_are_not_the_safes() {
        let frame = parse(&safe_trace()).unwrap();
        assert!(frame.calls_made_by(OWNER.parse().unwrap()).is_empty());
        assert!(frame.calls_made_by(OTHER.parse().unwrap()).is_empty());
    }

    #[test]
    fn a_trace_of_another_shape_is_refused() {
        assert!(parse(&json!({"structLogs": []})).is_err());
        assert!(parse(&json!("0x")).is_err());
    }
}
