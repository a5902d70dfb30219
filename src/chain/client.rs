//! One node of one network, over JSON-RPC: every read of a refresh goes out as one batch pinned
//! to one block by its hash (EIP-1898), together with the chain id and the newest head, so the
//! number of HTTP requests does not grow with the number of values read.

use super::block::{BlockRef, Header};
use super::error::ChainError;
use crate::net::ExtraRoots;
use crate::redact::redact_url;
use alloy_json_rpc::RpcError;
use alloy_primitives::{Address, B256, Bytes, U64};
use alloy_rpc_client::RpcClient;
use alloy_transport::TransportErrorKind;
use serde_json::json;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Where a network's node is; the URL is kept private and shown only redacted.
#[derive(Clone)]
pub struct Endpoint {
    pub network: String,
    pub chain_id: u64,
    url: String,
    pub timeout: Duration,
    /// Certificate authorities trusted for this node besides the machine's.
    roots: ExtraRoots,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Endpoint({} chain {} at {})",
            self.network,
            self.chain_id,
            self.shown()
        )
    }
}

impl Endpoint {
    pub fn new(network: &str, chain_id: u64, url: &str, timeout: Duration) -> Self {
        Self {
            network: network.to_owned(),
            chain_id,
            url: url.to_owned(),
            timeout,
            roots: ExtraRoots::default(),
        }
    }

    /// The endpoint, trusting `roots` besides the machine's certificate authorities.
    pub fn trusting(self, roots: ExtraRoots) -> Self {
        Self { roots, ..self }
    }

    /// A plain JSON-RPC client for the endpoint (the sandbox's writes), with its timeout.
    pub fn client(&self) -> Result<RpcClient, ChainError> {
        Ok(RpcClient::new_http_with_client(
            self.http()?,
            self.parsed()?,
        ))
    }

    /// The URL, parsed.
    pub fn parsed(&self) -> Result<reqwest::Url, ChainError> {
        self.url.parse().map_err(|_| ChainError::Other {
            url: self.shown(),
            detail: "not a valid URL".into(),
        })
    }

    /// The HTTP client for the endpoint: its timeout, and its extra certificate authorities.
    pub fn http(&self) -> Result<reqwest::Client, ChainError> {
        let builder = self.roots.client_builder().map_err(|e| ChainError::Other {
            url: self.shown(),
            detail: e.to_string(),
        })?;
        builder
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .build()
            .map_err(|e| ChainError::Other {
                url: self.shown(),
                detail: e.to_string(),
            })
    }

    /// The URL as it may be shown, logged or recorded.
    pub fn shown(&self) -> String {
        redact_url(&self.url)
    }
}

/// One `eth_call`: a getter's calldata to a contract.
#[derive(Debug, Clone)]
pub struct Call {
    pub to: Address,
    pub data: Bytes,
}

/// One log of `eth_getLogs`, the fields the console uses.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Log {
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Bytes,
}

/// Why one call of a batch gave no value; the batch itself went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallFailure {
    Reverted(String),
    Rpc { code: i64, message: String },
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Reverted(reason) => write!(f, "reverted: {reason}"),
            Self::Rpc { code, message } => write!(f, "JSON-RPC error {code}: {message}"),
        }
    }
}

/// The answers of one refresh, all at `block`.
#[derive(Debug, Clone)]
pub struct Reading {
    pub block: BlockRef,
    pub outcomes: Vec<Result<Bytes, CallFailure>>,
    /// HTTP requests this reading took.
    pub requests: u32,
}

pub struct Chain {
    endpoint: Endpoint,
    client: RpcClient,
    head: Mutex<Option<BlockRef>>,
    requests: AtomicU32,
}

/// A head that moved (or a pinned block that was reorganised) while reading is read again at
/// the new head, at most this many times.
const ATTEMPTS: u32 = 3;

impl Chain {
    pub fn connect(endpoint: Endpoint) -> Result<Self, ChainError> {
        let client = endpoint.client()?;
        Ok(Self {
            endpoint,
            client,
            head: Mutex::new(None),
            requests: AtomicU32::new(0),
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// HTTP requests sent so far.
    pub fn requests(&self) -> u32 {
        self.requests.load(Ordering::Relaxed)
    }

    fn error(&self, error: &RpcError<TransportErrorKind>) -> ChainError {
        ChainError::from_transport(error, &self.endpoint.url, self.endpoint.timeout.as_secs())
    }

    fn check_chain(&self, reported: U64) -> Result<(), ChainError> {
        let reported: u64 = reported.to();
        if reported == self.endpoint.chain_id {
            Ok(())
        } else {
            Err(ChainError::WrongChain {
                url: self.endpoint.shown(),
                network: self.endpoint.network.clone(),
                expected: self.endpoint.chain_id,
                reported,
            })
        }
    }

    fn malformed(&self, detail: &str) -> ChainError {
        ChainError::Malformed {
            url: self.endpoint.shown(),
            detail: detail.to_owned(),
        }
    }

    /// The block a fork of the node starts from: `asked`, or its head when none is; refused
    /// when the node does not have it yet.
    pub async fn fork_block(&self, asked: Option<u64>) -> Result<u64, ChainError> {
        let head = self.head().await?.number;
        match asked {
            Some(block) if block > head => Err(ChainError::BlockAhead {
                network: self.endpoint.network.clone(),
                block,
                head,
            }),
            asked => Ok(asked.unwrap_or(head)),
        }
    }

    /// The chain id is checked and the newest block found, in one request.
    pub async fn head(&self) -> Result<BlockRef, ChainError> {
        let mut batch = self.client.new_batch();
        let chain = batch
            .add_call::<_, U64>("eth_chainId", &())
            .map_err(|e| self.error(&e))?;
        let latest = batch
            .add_call::<_, Option<Header>>("eth_getBlockByNumber", &("latest", false))
            .map_err(|e| self.error(&e))?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        batch.send().await.map_err(|e| self.error(&e))?;
        self.check_chain(chain.await.map_err(|e| self.error(&e))?)?;
        let head: BlockRef = latest
            .await
            .map_err(|e| self.error(&e))?
            .ok_or_else(|| self.malformed("no latest block"))?
            .into();
        self.remember(head);
        Ok(head)
    }

    fn remember(&self, head: BlockRef) {
        if let Ok(mut known) = self.head.lock() {
            *known = Some(head);
        }
    }

    fn known_head(&self) -> Option<BlockRef> {
        self.head.lock().ok().and_then(|known| *known)
    }

    /// Every call at one block. In the steady state this is one HTTP request: the calls are
    /// pinned to the head found last time, and the same batch asks for the newest head; when
    /// the head has moved (or the pinned block was reorganised away), they are read again there.
    pub async fn read(&self, calls: &[Call]) -> Result<Reading, ChainError> {
        let before = self.requests();
        let mut head = match self.known_head() {
            Some(head) => head,
            None => self.head().await?,
        };
        for _ in 0..ATTEMPTS {
            let (pinned, newest, outcomes) = self.read_at(head, calls).await?;
            let newest = newest.ok_or_else(|| self.malformed("no latest block"))?;
            self.remember(newest);
            if pinned.map(|b| b.hash) == Some(head.hash) && newest.hash == head.hash {
                return Ok(Reading {
                    block: head,
                    outcomes,
                    requests: self.requests() - before,
                });
            }
            head = newest;
        }
        Err(ChainError::Other {
            url: self.endpoint.shown(),
            detail: format!("the head kept moving over {ATTEMPTS} attempts; try again"),
        })
    }

    #[allow(clippy::type_complexity)]
    async fn read_at(
        &self,
        head: BlockRef,
        calls: &[Call],
    ) -> Result<
        (
            Option<BlockRef>,
            Option<BlockRef>,
            Vec<Result<Bytes, CallFailure>>,
        ),
        ChainError,
    > {
        let at = json!({ "blockHash": head.hash, "requireCanonical": true });
        let mut batch = self.client.new_batch();
        let add = |e: RpcError<TransportErrorKind>| self.error(&e);
        let chain = batch.add_call::<_, U64>("eth_chainId", &()).map_err(add)?;
        let pinned = batch
            .add_call::<_, Option<Header>>("eth_getBlockByNumber", &(U64::from(head.number), false))
            .map_err(add)?;
        let mut waiters = Vec::with_capacity(calls.len());
        for call in calls {
            let request = json!({ "to": call.to, "data": call.data });
            waiters.push(
                batch
                    .add_call::<_, Bytes>("eth_call", &(request, at.clone()))
                    .map_err(add)?,
            );
        }
        let newest = batch
            .add_call::<_, Option<Header>>("eth_getBlockByNumber", &("latest", false))
            .map_err(add)?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        batch.send().await.map_err(|e| self.error(&e))?;
        self.check_chain(chain.await.map_err(|e| self.error(&e))?)?;
        let pinned = pinned
            .await
            .map_err(|e| self.error(&e))?
            .map(BlockRef::from);
        let mut outcomes = Vec::with_capacity(waiters.len());
        for waiter in waiters {
            outcomes.push(match waiter.await {
                Ok(bytes) => Ok(bytes),
                Err(RpcError::ErrorResp(payload)) => Err(call_failure(&payload)),
                Err(other) => return Err(self.error(&other)),
            });
        }
        let newest = newest
            .await
            .map_err(|e| self.error(&e))?
            .map(BlockRef::from);
        Ok((pinned, newest, outcomes))
    }

    /// Whether `block` is still the chain's block at its height: reads pinned to it are only
    /// recorded as verified while it is.
    pub async fn confirm(&self, block: &BlockRef) -> Result<(), ChainError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let now: Option<Header> = self
            .client
            .request("eth_getBlockByNumber", (U64::from(block.number), false))
            .await
            .map_err(|e| self.error(&e))?;
        match now.map(BlockRef::from) {
            Some(now) if now.hash == block.hash => Ok(()),
            now => Err(ChainError::Reorganised {
                number: block.number,
                was: block.hash_hex(),
                now: now.map_or("no block".into(), |b| b.hash_hex()),
            }),
        }
    }

    /// The logs of `addresses` whose first topic is one of `topics`, in blocks `from..=to`.
    pub async fn logs(
        &self,
        addresses: &[Address],
        topics: &[B256],
        from: u64,
        to: u64,
    ) -> Result<Vec<Log>, ChainError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let filter = json!({
            "address": addresses,
            "topics": [topics],
            "fromBlock": U64::from(from),
            "toBlock": U64::from(to),
        });
        self.client
            .request("eth_getLogs", (filter,))
            .await
            .map_err(|e| self.error(&e))
    }

    /// The runtime code at each of `addresses` at `block`, in one request (with the chain id).
    pub async fn code_at(
        &self,
        block: &BlockRef,
        addresses: &[Address],
    ) -> Result<Vec<Bytes>, ChainError> {
        let at = json!({ "blockHash": block.hash, "requireCanonical": true });
        self.pinned_batch("eth_getCode", addresses, |address| json!([address, at]))
            .await
    }

    /// What each `(address, slot)` of `slots` holds at `block`, in one request.
    pub async fn storage_at(
        &self,
        block: &BlockRef,
        slots: &[(Address, B256)],
    ) -> Result<Vec<B256>, ChainError> {
        let at = json!({ "blockHash": block.hash, "requireCanonical": true });
        self.pinned_batch("eth_getStorageAt", slots, |(address, slot)| {
            json!([address, slot, at])
        })
        .await
    }

    /// One `method` per item, with the chain id checked, in one request.
    async fn pinned_batch<I, T: alloy_json_rpc::RpcRecv>(
        &self,
        method: &'static str,
        items: &[I],
        params: impl Fn(&I) -> serde_json::Value,
    ) -> Result<Vec<T>, ChainError> {
        let mut batch = self.client.new_batch();
        let add = |e: RpcError<TransportErrorKind>| self.error(&e);
        let chain = batch.add_call::<_, U64>("eth_chainId", &()).map_err(add)?;
        let mut waiters = Vec::with_capacity(items.len());
        for item in items {
            waiters.push(batch.add_call::<_, T>(method, &params(item)).map_err(add)?);
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        batch.send().await.map_err(|e| self.error(&e))?;
        self.check_chain(chain.await.map_err(|e| self.error(&e))?)?;
        let mut answers = Vec::with_capacity(waiters.len());
        for waiter in waiters {
            answers.push(waiter.await.map_err(|e| self.error(&e))?);
        }
        Ok(answers)
    }

    /// The chain's block at height `number` now, if it has one.
    pub async fn block_at(&self, number: u64) -> Result<Option<BlockRef>, ChainError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let header: Option<Header> = self
            .client
            .request("eth_getBlockByNumber", (U64::from(number), false))
            .await
            .map_err(|e| self.error(&e))?;
        Ok(header.map(BlockRef::from))
    }

    /// A transaction's receipt as the node gives it, and the newest block number (for
    /// confirmations), in one request; `None` while the transaction is not mined.
    pub async fn receipt(
        &self,
        hash: B256,
    ) -> Result<(Option<serde_json::Value>, u64), ChainError> {
        let mut batch = self.client.new_batch();
        let add = |e: RpcError<TransportErrorKind>| self.error(&e);
        let chain = batch.add_call::<_, U64>("eth_chainId", &()).map_err(add)?;
        let receipt = batch
            .add_call::<_, Option<serde_json::Value>>("eth_getTransactionReceipt", &(hash,))
            .map_err(add)?;
        let number = batch
            .add_call::<_, U64>("eth_blockNumber", &())
            .map_err(add)?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        batch.send().await.map_err(|e| self.error(&e))?;
        self.check_chain(chain.await.map_err(|e| self.error(&e))?)?;
        let receipt = receipt.await.map_err(|e| self.error(&e))?;
        let number: u64 = number.await.map_err(|e| self.error(&e))?.to();
        Ok((receipt, number))
    }
}

fn call_failure(payload: &alloy_json_rpc::ErrorPayload) -> CallFailure {
    let reverted = payload.code == 3 || payload.message.to_lowercase().contains("revert");
    if !reverted {
        return CallFailure::Rpc {
            code: payload.code,
            message: payload.message.to_string(),
        };
    }
    let reason = payload
        .as_revert_data()
        .and_then(|data| alloy_sol_types::decode_revert_reason(&data))
        .map(|reason| reason.trim_start_matches("revert: ").to_owned())
        .unwrap_or_else(|| payload.message.to_string());
    CallFailure::Reverted(reason)
}
