//! A batch's calls against the code deployed at their targets, at one block: each call's
//! selector must be one the target's dispatcher (or, behind an EIP-1967 or EIP-1167 proxy,
//! its implementation's) compares with. No code at a target is named, and so is a proxy
//! whose implementation cannot be found (the check cannot be made on the proxy's own code).

use super::block::BlockRef;
use super::client::Chain;
use super::dispatcher::Dispatcher;
use super::error::ChainError;
use crate::safe::{Batch, Status};
use alloy_primitives::{Address, B256, b256};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
pub const IMPLEMENTATION_SLOT: B256 =
    b256!("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc");

/// One call of a batch as the check needs it.
#[derive(Debug, Clone)]
pub struct CalledFunction {
    pub index: usize,
    pub to: Address,
    pub method: String,
    /// None for a call with no function (a plain transfer).
    pub selector: Option<[u8; 4]>,
}

/// The calls of `batch`: the selector in `data`, or the method's when data is null.
pub fn calls_of(batch: &Batch) -> Vec<CalledFunction> {
    batch
        .transactions
        .iter()
        .enumerate()
        .map(|(index, tx)| {
            let method = tx.contract_method.get();
            let from_data = tx
                .data
                .get()
                .and_then(|d| d.bytes.get(..4))
                .and_then(|s| <[u8; 4]>::try_from(s).ok());
            let from_method = || {
                method
                    .and_then(|m| crate::safe::abi::function_of(m).ok())
                    .map(|f| f.selector().0)
            };
            let has_data = tx.data.get().is_some_and(|d| !d.bytes.is_empty());
            CalledFunction {
                index,
                to: tx.to.address,
                method: method.map(|m| m.name.clone()).unwrap_or_default(),
                selector: if has_data {
                    from_data
                } else {
                    from_data.or_else(from_method)
                },
            }
        })
        .collect()
}

/// How a call's target answers its selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The target's own dispatcher compares with the selector.
    Dispatched,
    /// A proxy's implementation's dispatcher compares with the selector.
    DispatchedByImplementation,
    /// The target's code cannot dispatch the selector.
    Missing,
    /// Behind a proxy, the implementation's code cannot dispatch the selector.
    MissingInImplementation,
    /// No code at the target: an externally owned account, or nothing deployed.
    NoCode,
    /// A proxy whose implementation has no code.
    ImplementationHasNoCode,
    /// A proxy whose implementation is not found: nothing to check against.
    ProxyUnchecked,
    /// The call names no function (a plain transfer, or under four bytes of data).
    NoSelector,
}

impl Outcome {
    pub fn status(&self) -> Status {
        match self {
            Self::Dispatched | Self::DispatchedByImplementation | Self::NoSelector => Status::Pass,
            Self::ProxyUnchecked => Status::Warn,
            Self::Missing
            | Self::MissingInImplementation
            | Self::NoCode
            | Self::ImplementationHasNoCode => Status::Fail,
        }
    }
}

/// How the proxy at a target was found, and where it forwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proxy {
    /// "EIP-1967", "EIP-1167", or "unknown" (a DELEGATECALL and a tiny dispatcher, no slot).
    pub kind: &'static str,
    pub implementation: Option<String>,
}

/// One call's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallVerdict {
    pub index: usize,
    pub to: String,
    /// The module at `to`, when the network's deployment addresses name it.
    pub contract: Option<String>,
    pub method: String,
    pub selector: Option<String>,
    pub outcome: Outcome,
    pub status: Status,
    pub proxy: Option<Proxy>,
    pub detail: String,
}

/// Every call's verdict, all read at `block`.
#[derive(Debug, Clone, Serialize)]
pub struct DeployedCheck {
    pub network: String,
    pub block: u64,
    pub block_hash: String,
    pub calls: Vec<CallVerdict>,
    /// HTTP requests the check took.
    pub requests: u32,
}

impl DeployedCheck {
    /// The calls that fail or could not be checked.
    pub fn named(&self) -> impl Iterator<Item = &CallVerdict> {
        self.calls.iter().filter(|c| c.status != Status::Pass)
    }
}

impl CallVerdict {
    /// Why the call is named, in a few words (the target and selector said beside it).
    pub fn reason(&self) -> String {
        let implementation = self
            .proxy
            .as_ref()
            .and_then(|p| p.implementation.clone())
            .unwrap_or_default();
        match self.outcome {
            Outcome::Missing => "the contract has no such function".into(),
            Outcome::MissingInImplementation => {
                format!("the proxy's implementation {implementation} has no such function")
            }
            Outcome::NoCode => {
                "no code at the address: an externally owned account or nothing deployed".into()
            }
            Outcome::ImplementationHasNoCode => {
                format!("the proxy's implementation {implementation} has no code")
            }
            Outcome::ProxyUnchecked => {
                "a proxy whose implementation is not found: cannot be checked on the proxy's own code"
                    .into()
            }
            Outcome::Dispatched | Outcome::DispatchedByImplementation | Outcome::NoSelector => {
                self.detail.clone()
            }
        }
    }
}

/// What the code at one target is.
enum Target {
    NoCode,
    Contract(Dispatcher),
    Proxy {
        own: Dispatcher,
        kind: &'static str,
        implementation: Option<(Address, Option<Dispatcher>)>,
    },
}

/// Reads the code of every target of `calls` (and of proxies' implementations) at the chain's
/// head, and gives each call its verdict. `names` maps the network's module addresses to their
/// names.
pub async fn check(
    chain: &Chain,
    calls: &[CalledFunction],
    names: &BTreeMap<Address, String>,
) -> Result<DeployedCheck, ChainError> {
    let before = chain.requests();
    let block = chain.head().await?;
    let targets = read_targets(chain, &block, calls).await?;
    let verdicts = calls
        .iter()
        .map(|call| verdict(call, targets.get(&call.to), names))
        .collect();
    Ok(DeployedCheck {
        network: chain.endpoint().network.clone(),
        block: block.number,
        block_hash: block.hash_hex(),
        calls: verdicts,
        requests: chain.requests() - before,
    })
}

async fn read_targets(
    chain: &Chain,
    block: &BlockRef,
    calls: &[CalledFunction],
) -> Result<BTreeMap<Address, Target>, ChainError> {
    let addresses: Vec<Address> = calls
        .iter()
        .filter(|c| c.selector.is_some())
        .map(|c| c.to)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let codes = chain.code_at(block, &addresses).await?;
    let mut read: BTreeMap<Address, Dispatcher> = BTreeMap::new();
    let mut empty = BTreeSet::new();
    for (address, code) in addresses.iter().zip(&codes) {
        if code.is_empty() {
            empty.insert(*address);
        } else {
            read.insert(*address, Dispatcher::read(code));
        }
    }
    let slots: Vec<(Address, B256)> = read
        .iter()
        .filter(|(_, d)| d.is_proxy() && d.minimal_proxy_of.is_none())
        .map(|(address, _)| (*address, IMPLEMENTATION_SLOT))
        .collect();
    let held = if slots.is_empty() {
        Vec::new()
    } else {
        chain.storage_at(block, &slots).await?
    };
    let mut forwards: BTreeMap<Address, (&'static str, Option<Address>)> = BTreeMap::new();
    for ((proxy, _), word) in slots.iter().zip(&held) {
        let implementation = Address::from_word(*word);
        let found = (!implementation.is_zero()).then_some(implementation);
        let kind = if found.is_some() {
            "EIP-1967"
        } else {
            "unknown"
        };
        forwards.insert(*proxy, (kind, found));
    }
    for (address, dispatcher) in &read {
        if let Some(implementation) = dispatcher.minimal_proxy_of {
            forwards.insert(*address, ("EIP-1167", Some(implementation)));
        }
    }
    let implementations: Vec<Address> = forwards
        .values()
        .filter_map(|(_, i)| *i)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let implementation_codes: BTreeMap<Address, Option<Dispatcher>> = if implementations.is_empty()
    {
        BTreeMap::new()
    } else {
        let codes = chain.code_at(block, &implementations).await?;
        implementations
            .iter()
            .zip(&codes)
            .map(|(a, code)| (*a, (!code.is_empty()).then(|| Dispatcher::read(code))))
            .collect()
    };
    let mut targets: BTreeMap<Address, Target> =
        empty.into_iter().map(|a| (a, Target::NoCode)).collect();
    for (address, own) in read {
        let target = if own.is_proxy() {
            let (kind, implementation) =
                forwards.get(&address).copied().unwrap_or(("unknown", None));
            Target::Proxy {
                own,
                kind,
                implementation: implementation
                    .map(|i| (i, implementation_codes.get(&i).cloned().flatten())),
            }
        } else {
            Target::Contract(own)
        };
        targets.insert(address, target);
    }
    Ok(targets)
}

fn verdict(
    call: &CalledFunction,
    target: Option<&Target>,
    names: &BTreeMap<Address, String>,
) -> CallVerdict {
    let contract = names.get(&call.to).cloned();
    let to = call.to.to_checksum(None);
    let at = match &contract {
        Some(name) => format!("{to} ({name})"),
        None => to.clone(),
    };
    let selector_text = call.selector.map(|s| format!("0x{}", hex::encode(s)));
    let shown = selector_text.clone().unwrap_or_default();
    let mut proxy = None;
    let (outcome, detail) = match (call.selector, target) {
        (None, _) | (_, None) => (
            Outcome::NoSelector,
            "names no function (a plain transfer): no selector to check".to_owned(),
        ),
        (Some(_), Some(Target::NoCode)) => (
            Outcome::NoCode,
            format!(
                "no code at {at}: an externally owned account or nothing deployed; a call to it does nothing and succeeds"
            ),
        ),
        (Some(selector), Some(Target::Contract(own))) => {
            if own.has(selector) {
                (
                    Outcome::Dispatched,
                    format!("the code at {at} dispatches {shown}"),
                )
            } else {
                (
                    Outcome::Missing,
                    format!(
                        "the code at {at} has no function with selector {shown} ({} selector(s) in its dispatcher)",
                        own.selectors.len()
                    ),
                )
            }
        }
        (
            Some(selector),
            Some(Target::Proxy {
                own,
                kind,
                implementation,
            }),
        ) => {
            proxy = Some(Proxy {
                kind,
                implementation: implementation.as_ref().map(|(a, _)| a.to_checksum(None)),
            });
            match implementation {
                _ if own.has(selector) => (
                    Outcome::Dispatched,
                    format!("the proxy at {at} dispatches {shown} itself"),
                ),
                None => (
                    Outcome::ProxyUnchecked,
                    format!(
                        "{at} is a proxy (it DELEGATECALLs and dispatches {} selector(s) itself): {shown} cannot be checked on the proxy's own code, and its EIP-1967 implementation slot is empty",
                        own.selectors.len()
                    ),
                ),
                Some((implementation, None)) => (
                    Outcome::ImplementationHasNoCode,
                    format!(
                        "{at} is an {kind} proxy whose implementation {} has no code",
                        implementation.to_checksum(None)
                    ),
                ),
                Some((implementation, Some(code))) if code.has(selector) => (
                    Outcome::DispatchedByImplementation,
                    format!(
                        "{at} is an {kind} proxy; its implementation {} dispatches {shown}",
                        implementation.to_checksum(None)
                    ),
                ),
                Some((implementation, Some(_))) => (
                    Outcome::MissingInImplementation,
                    format!(
                        "{at} is an {kind} proxy; its implementation {} has no function with selector {shown}",
                        implementation.to_checksum(None)
                    ),
                ),
            }
        }
    };
    CallVerdict {
        index: call.index,
        to,
        contract,
        method: call.method.clone(),
        selector: selector_text,
        status: outcome.status(),
        outcome,
        proxy,
        detail,
    }
}
