//! The real Safe v1.4.1 on a sandbox node, from the npm package `@safe-global/safe-contracts`
//! (pinned in package-lock.json, installed by `npm ci` beside anvil): the Safe singleton, the
//! SafeProxyFactory, the CompatibilityFallbackHandler, MultiSendCallOnly's code at its
//! canonical address, and a Safe proxy made by the factory with `setup(owners, threshold, …)`.
//!
//! The artifacts are read from the npm install, not embedded: a sandbox needs that install
//! for its anvil already, and the Safe's bytecode is then exactly the published one.

use super::SandboxError;
use super::deploy::{Artifact, Sender};
use crate::safe::multisend::MULTI_SEND_CALL_ONLY;
use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, sol};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The npm package, relative to a folder holding `node_modules`.
pub const PACKAGE: &str = "node_modules/@safe-global/safe-contracts";
const ARTIFACTS: &str = "build/artifacts/contracts";
const SINGLETON: &str = "Safe.sol/Safe.json";
const FACTORY: &str = "proxies/SafeProxyFactory.sol/SafeProxyFactory.json";
const FALLBACK_HANDLER: &str =
    "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json";
const MULTI_SEND: &str = "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json";

sol! {
    function setup(address[] _owners, uint256 _threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver);
    function createProxyWithNonce(address _singleton, bytes initializer, uint256 saltNonce) returns (address proxy);
}

/// The installed package's build artifacts.
#[derive(Debug, Clone)]
pub struct SafeContracts {
    folder: PathBuf,
}

impl SafeContracts {
    /// The package under one of `roots` (or their parents).
    pub fn find(roots: &[&Path]) -> Result<Self, SandboxError> {
        roots
            .iter()
            .flat_map(|root| root.ancestors())
            .map(|folder| folder.join(PACKAGE).join(ARTIFACTS))
            .find(|folder| folder.join(SINGLETON).is_file())
            .map(|folder| Self { folder })
            .ok_or(SandboxError::NoSafeContracts)
    }

    /// The package beside the workspace, the current folder, the console's binary, or the
    /// anvil binary in use (the same npm install).
    pub fn find_for(
        ctx: &crate::workspace::context::Context,
        anvil: &Path,
    ) -> Result<Self, SandboxError> {
        let mut roots = super::node::search_roots(ctx);
        roots.push(anvil.to_owned());
        let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
        Self::find(&roots)
    }

    pub fn artifact(&self, relative: &str) -> Result<Artifact, SandboxError> {
        let path = self.folder.join(relative);
        let text = std::fs::read_to_string(&path).map_err(|error| SandboxError::Io {
            path: path.clone(),
            error,
        })?;
        serde_json::from_str(&text).map_err(|error| SandboxError::Json { path, error })
    }
}

/// Who owns the Safe and how many of them must sign.
#[derive(Debug, Clone)]
pub struct SafeSetup {
    pub owners: Vec<Address>,
    pub threshold: usize,
}

impl SafeSetup {
    /// Refuses what the Safe's `setup` would (GS200–GS204), said in words.
    pub fn check(&self) -> Result<(), SandboxError> {
        if self.owners.is_empty() {
            return Err(SandboxError::NoOwners);
        }
        if self.threshold == 0 || self.threshold > self.owners.len() {
            return Err(SandboxError::Threshold {
                threshold: self.threshold,
                owners: self.owners.len(),
            });
        }
        for (index, owner) in self.owners.iter().enumerate() {
            if *owner == Address::ZERO || *owner == Address::with_last_byte(1) {
                return Err(SandboxError::BadOwner(*owner));
            }
            if self.owners[..index].contains(owner) {
                return Err(SandboxError::DuplicateOwner(*owner));
            }
        }
        Ok(())
    }
}

/// Where the Safe's contracts are on the node.
#[derive(Debug, Clone)]
pub struct DeployedSafe {
    /// The Safe proxy: the Safe itself.
    pub safe: Address,
    pub singleton: Address,
    pub factory: Address,
    pub fallback_handler: Address,
    pub multi_send_call_only: Address,
}

/// Deploys the Safe's contracts from `deployer` and a Safe proxy set up with `setup`.
pub async fn deploy_safe(
    sender: &Sender<'_>,
    deployer: Address,
    contracts: &SafeContracts,
    setup: &SafeSetup,
) -> Result<DeployedSafe, SandboxError> {
    setup.check()?;
    let singleton = sender
        .deploy(deployer, &contracts.artifact(SINGLETON)?, &[])
        .await?;
    let factory = sender
        .deploy(deployer, &contracts.artifact(FACTORY)?, &[])
        .await?;
    let fallback_handler = sender
        .deploy(deployer, &contracts.artifact(FALLBACK_HANDLER)?, &[])
        .await?;
    let multi_send = contracts.artifact(MULTI_SEND)?;
    let _: serde_json::Value = sender
        .rpc
        .request(
            "anvil_setCode",
            (MULTI_SEND_CALL_ONLY, &multi_send.deployed_bytecode),
        )
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "anvil_setCode (MultiSendCallOnly at its canonical address)",
            error: Box::new(error),
        })?;
    let initializer = setupCall {
        _owners: setup.owners.clone(),
        _threshold: U256::from(setup.threshold),
        to: Address::ZERO,
        data: Bytes::new(),
        fallbackHandler: fallback_handler,
        paymentToken: Address::ZERO,
        payment: U256::ZERO,
        paymentReceiver: Address::ZERO,
    }
    .abi_encode();
    let create: Bytes = createProxyWithNonceCall {
        _singleton: singleton,
        initializer: initializer.into(),
        saltNonce: U256::ZERO,
    }
    .abi_encode()
    .into();
    let request = json!({ "from": deployer, "to": factory, "data": create });
    let made: Bytes = sender
        .rpc
        .request("eth_call", (request, "latest"))
        .await
        .map_err(|error| SandboxError::Rpc {
            what: "eth_call createProxyWithNonce",
            error: Box::new(error),
        })?;
    let safe = createProxyWithNonceCall::abi_decode_returns(&made)
        .map_err(|_| SandboxError::NoContract("SafeProxy".to_owned()))?;
    sender.send(deployer, Some(factory), create).await?;
    Ok(DeployedSafe {
        safe,
        singleton,
        factory,
        fallback_handler,
        multi_send_call_only: MULTI_SEND_CALL_ONLY,
    })
}
