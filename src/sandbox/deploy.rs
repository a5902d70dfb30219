//! Deploys the project's mock platform contracts (`assets/contracts/build/*.json`, compiled
//! from `assets/contracts/*.sol`) on a local node, seeds them through the catalogue's own
//! setters with given values, and hands every module to the real Safe v1.4.1 (real_safe.rs),
//! so that what the console reads and changes there goes through the same signatures and the
//! same Safe as on mainnet.

use super::SandboxError;
use crate::catalogue::Catalogue;
use crate::catalogue::value::Kind;
use alloy_dyn_abi::{DynSolType, DynSolValue, JsonAbiExt};
use alloy_json_abi::{Function, JsonAbi};
use alloy_primitives::{Address, B256, Bytes, U64};
use alloy_rpc_client::RpcClient;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;

/// The modules deployed (each `constructor(address initialOwner)`).
pub const MODULES: [&str; 9] = [
    "FeePool",
    "JobRegistry",
    "StakeManager",
    "RewardEngine",
    "Thermostat",
    "IdentityRegistry",
    "EnergyOracle",
    "HamiltonianMonitor",
    "Paymaster",
];
/// The modules SystemPause pauses.
pub const PAUSABLE: [&str; 3] = ["FeePool", "JobRegistry", "StakeManager"];

#[derive(Debug, Clone, Deserialize)]
pub struct Artifact {
    #[serde(rename = "contractName")]
    pub name: String,
    pub abi: JsonAbi,
    pub bytecode: Bytes,
    /// The runtime code (what `anvil_setCode` puts at an address).
    #[serde(rename = "deployedBytecode", default)]
    pub deployed_bytecode: Bytes,
}

/// Reads `assets/contracts/build/<name>.json` through `read`.
pub fn artifact(
    name: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Artifact, SandboxError> {
    let file = format!("assets/contracts/build/{name}.json");
    let Some(text) = read(&file) else {
        return Err(SandboxError::NoArtifact { file });
    };
    serde_json::from_str(&text).map_err(|error| SandboxError::BadArtifact { file, error })
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub contracts: BTreeMap<String, Address>,
    pub safe: Address,
    pub safe_owners: Vec<Address>,
    pub safe_threshold: usize,
    /// The Safe's singleton, factory, fallback handler and MultiSendCallOnly.
    pub safe_contracts: super::real_safe::DeployedSafe,
    pub deployer: Address,
    /// Catalogue values that no setter could seed, and why.
    pub not_seeded: BTreeMap<String, String>,
}

impl Deployment {
    /// The deployment manifest (`{"contracts": {...}}`) that a network profile names.
    pub fn manifest(&self, network: &str, chain_id: u64) -> serde_json::Value {
        let mut contracts: BTreeMap<String, String> = self
            .contracts
            .iter()
            .map(|(k, v)| (k.clone(), v.to_checksum(None)))
            .collect();
        contracts.insert("Safe".into(), self.safe.to_checksum(None));
        json!({ "network": network, "chainId": chain_id, "contracts": contracts })
    }
}

/// Sends transactions from the node's unlocked accounts and waits for their receipts.
pub struct Sender<'a> {
    pub rpc: &'a RpcClient,
    pub timeout: Duration,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MinedReceipt {
    status: Option<U64>,
    contract_address: Option<Address>,
    block_number: U64,
}

/// A mined transaction: its hash, whether it succeeded, what it created, its block.
#[derive(Debug, Clone)]
pub struct Mined {
    pub hash: B256,
    pub succeeded: bool,
    pub contract_address: Option<Address>,
    pub block: u64,
}

impl Sender<'_> {
    /// One JSON-RPC request to the sandbox's node; its failure names `method`.
    pub async fn request<R: alloy_json_rpc::RpcRecv>(
        &self,
        method: &'static str,
        params: serde_json::Value,
    ) -> Result<R, SandboxError> {
        self.rpc
            .request(method, params)
            .await
            .map_err(|error| SandboxError::Rpc {
                what: method,
                error: Box::new(error),
            })
    }

    pub async fn accounts(&self) -> Result<Vec<Address>, SandboxError> {
        self.rpc
            .request_noparams("eth_accounts")
            .await
            .map_err(|error| SandboxError::Rpc {
                what: "eth_accounts",
                error: Box::new(error),
            })
    }

    /// Sends a transaction and waits (bounded) until it is mined; a revert is an error.
    pub async fn send(
        &self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
    ) -> Result<(B256, Option<Address>), SandboxError> {
        let mined = self.submit(from, to, data).await?;
        if !mined.succeeded {
            return Err(SandboxError::Reverted(mined.hash));
        }
        Ok((mined.hash, mined.contract_address))
    }

    /// Sends a transaction and waits (bounded) until it is mined, reverted or not.
    pub async fn submit(
        &self,
        from: Address,
        to: Option<Address>,
        data: Bytes,
    ) -> Result<Mined, SandboxError> {
        let mut request = json!({ "from": from, "data": data, "gas": "0x1c9c380" });
        if let Some(to) = to {
            request["to"] = json!(to);
        }
        let hash: B256 = self
            .rpc
            .request("eth_sendTransaction", (request,))
            .await
            .map_err(|error| SandboxError::Rpc {
                what: "eth_sendTransaction",
                error: Box::new(error),
            })?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            let receipt: Option<MinedReceipt> = self
                .rpc
                .request("eth_getTransactionReceipt", (hash,))
                .await
                .map_err(|error| SandboxError::Rpc {
                    what: "eth_getTransactionReceipt",
                    error: Box::new(error),
                })?;
            if let Some(receipt) = receipt {
                return Ok(Mined {
                    hash,
                    succeeded: receipt.status.map(|s| s.to::<u64>()) == Some(1),
                    contract_address: receipt.contract_address,
                    block: receipt.block_number.to(),
                });
            }
            if tokio::time::Instant::now() > deadline {
                return Err(SandboxError::NotMined {
                    hash,
                    timeout: self.timeout,
                });
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Calls `signature` on `to` like [`Self::call`]; a revert is an error saying why, read by
    /// replaying the call on the block before and explained with the target's `abi`.
    pub async fn call_explained(
        &self,
        from: Address,
        to: Address,
        signature: &str,
        args: &[String],
        abi: Option<&alloy_json_abi::JsonAbi>,
    ) -> Result<B256, SandboxError> {
        let data = calldata(signature, args)?;
        let mined = self.submit(from, Some(to), data.clone()).await?;
        if mined.succeeded {
            return Ok(mined.hash);
        }
        Err(SandboxError::CallReverted {
            signature: signature.to_owned(),
            why: self.replayed_revert(from, to, data, mined.block, abi).await,
        })
    }

    /// Why a transaction mined in `block` reverted: the same call replayed on the block before.
    pub async fn replayed_revert(
        &self,
        from: Address,
        to: Address,
        data: Bytes,
        block: u64,
        abi: Option<&alloy_json_abi::JsonAbi>,
    ) -> String {
        let request = json!({ "from": from, "to": to, "data": data, "gas": "0x1c9c380" });
        let before = format!("{:#x}", block.saturating_sub(1));
        let replay: Result<Bytes, _> = self.rpc.request("eth_call", (request, before)).await;
        let payload = match &replay {
            Ok(_) => return "it reverted, though a replay on the block before succeeds".to_owned(),
            Err(error) => error.as_error_resp(),
        };
        match payload {
            Some(p) => match p.as_revert_data() {
                Some(data) => crate::chain::revert::explain(&data, abi),
                None => crate::sanitize::for_terminal(&p.message).into_owned(),
            },
            None => "no revert reason".to_owned(),
        }
    }

    /// Calls `signature` (e.g. `setBurnPct(uint256)`) on `to` with `args` written as text.
    pub async fn call(
        &self,
        from: Address,
        to: Address,
        signature: &str,
        args: &[String],
    ) -> Result<B256, SandboxError> {
        let data = calldata(signature, args)?;
        Ok(self.send(from, Some(to), data).await?.0)
    }

    pub async fn deploy(
        &self,
        from: Address,
        artifact: &Artifact,
        args: &[DynSolValue],
    ) -> Result<Address, SandboxError> {
        let mut code = artifact.bytecode.to_vec();
        if let Some(constructor) = &artifact.abi.constructor {
            code.extend(constructor.abi_encode_input(args).map_err(|error| {
                SandboxError::Constructor {
                    name: artifact.name.clone(),
                    error: Box::new(error),
                }
            })?);
        }
        let (_, address) = self.send(from, None, code.into()).await?;
        address.ok_or_else(|| SandboxError::NoContract(artifact.name.clone()))
    }
}

/// The arguments of a setter that sets several parameters, in its order: sent once, by the
/// group's first parameter (`None` for the others); an error names what the state lacks.
fn group_arguments(
    group: &[String],
    id: &str,
    values: &BTreeMap<String, serde_json::Value>,
) -> Result<Option<Vec<String>>, SandboxError> {
    if group.first().map(String::as_str) != Some(id) {
        return Ok(None);
    }
    group
        .iter()
        .map(|member| {
            values
                .get(member)
                .map(text_of)
                .ok_or_else(|| SandboxError::GroupIncomplete(member.clone()))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Calldata for a Solidity signature and its arguments as text (`0x…`, `12`, `true`).
pub fn calldata(signature: &str, args: &[String]) -> Result<Bytes, SandboxError> {
    let function = Function::parse(&format!("function {signature}")).map_err(|error| {
        SandboxError::NotASignature {
            signature: signature.to_owned(),
            error: Box::new(error),
        }
    })?;
    if function.inputs.len() != args.len() {
        return Err(SandboxError::WrongArity {
            signature: signature.to_owned(),
            takes: function.inputs.len(),
            given: args.len(),
        });
    }
    let values = function
        .inputs
        .iter()
        .zip(args)
        .map(|(param, text)| {
            let ty: DynSolType = param.ty.parse().map_err(|error| SandboxError::BadType {
                signature: signature.to_owned(),
                ty: param.ty.clone(),
                error: Box::new(error),
            })?;
            ty.coerce_str(text)
                .map_err(|error| SandboxError::BadArgument {
                    signature: signature.to_owned(),
                    text: text.clone(),
                    ty: param.ty.clone(),
                    error: Box::new(error),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    function
        .abi_encode_input(&values)
        .map(Bytes::from)
        .map_err(|error| SandboxError::Encode {
            signature: signature.to_owned(),
            error: Box::new(error),
        })
}

fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Deploys every module, SystemPause and the real Safe (`safe`: its contracts and its owners
/// and threshold); seeds `values` (catalogue ids → chain-unit JSON, as a state snapshot holds
/// them, `Module.paused` included); then hands ownership of every module to the Safe.
pub async fn deploy_platform(
    sender: &Sender<'_>,
    catalogue: &Catalogue,
    read: &dyn Fn(&str) -> Option<String>,
    values: &BTreeMap<String, serde_json::Value>,
    safe: (
        &super::real_safe::SafeContracts,
        &super::real_safe::SafeSetup,
    ),
) -> Result<Deployment, SandboxError> {
    let (safe_package, setup) = safe;
    setup.check()?;
    let accounts = sender.accounts().await?;
    let deployer = *accounts.first().ok_or(SandboxError::NoAccount)?;
    let mut contracts = BTreeMap::new();
    let mut abis = BTreeMap::new();
    for module in MODULES {
        let artifact = artifact(module, read)?;
        let address = sender
            .deploy(deployer, &artifact, &[DynSolValue::Address(deployer)])
            .await?;
        contracts.insert(module.to_owned(), address);
        abis.insert(module, artifact.abi);
    }
    let pausable: Vec<DynSolValue> = PAUSABLE
        .iter()
        .filter_map(|m| contracts.get(*m).map(|a| DynSolValue::Address(*a)))
        .collect();
    let system_pause = sender
        .deploy(
            deployer,
            &artifact("SystemPause", read)?,
            &[DynSolValue::Address(deployer), DynSolValue::Array(pausable)],
        )
        .await?;
    for module in PAUSABLE {
        let to = contracts[module];
        sender
            .call(
                deployer,
                to,
                "setSystemPause(address)",
                &[system_pause.to_checksum(None)],
            )
            .await?;
    }
    contracts.insert("SystemPause".into(), system_pause);
    let safe_contracts =
        super::real_safe::deploy_safe(sender, deployer, safe_package, setup).await?;
    let safe = safe_contracts.safe;
    let mut not_seeded = BTreeMap::new();
    // Sets first (a treasury must be allowlisted before it is set), then the setters that
    // overwrite other values (`also_writes`), so that the values they overwrite are seeded after.
    let mut sets_first: Vec<&crate::catalogue::Parameter> = catalogue.parameters.iter().collect();
    sets_first.sort_by_key(|p| {
        if p.kind.is_set() {
            0
        } else if p.also_writes.is_empty() {
            2
        } else {
            1
        }
    });
    for parameter in sets_first {
        let Some(value) = values.get(&parameter.id) else {
            continue;
        };
        let Some(setter) = &parameter.setter else {
            if parameter.option {
                continue;
            }
            not_seeded.insert(
                parameter.id.clone(),
                "no setter in the catalogue".to_owned(),
            );
            continue;
        };
        let Some(to) = contracts.get(parameter.contract()).copied() else {
            not_seeded.insert(
                parameter.id.clone(),
                format!("no mock for {}", parameter.contract()),
            );
            continue;
        };
        let abi = abis.get(parameter.contract());
        let outcome = match (parameter.kind, value.as_array()) {
            (kind, Some(members)) if kind.is_set() => {
                let mut result = Ok(());
                for member in members {
                    let member = match kind {
                        // An ENS node named by its name goes to the chain as its hash.
                        Kind::NamehashSet => crate::catalogue::value::ens_hash(&text_of(member))
                            .unwrap_or_else(|_| text_of(member)),
                        _ => text_of(member),
                    };
                    let args = [member, "true".to_owned()];
                    let args: &[String] = if setter.contains(',') {
                        &args
                    } else {
                        &args[..1]
                    };
                    if let Err(e) = sender.call_explained(deployer, to, setter, args, abi).await {
                        result = Err(e);
                        break;
                    }
                }
                result
            }
            _ if parameter.setter_args.is_empty() => {
                let mut args = parameter.args.clone();
                args.push(text_of(value));
                sender
                    .call_explained(deployer, to, setter, &args, abi)
                    .await
                    .map(|_| ())
            }
            _ => match group_arguments(&parameter.setter_args, &parameter.id, values) {
                Ok(Some(group)) => {
                    let args: Vec<String> = parameter.args.iter().cloned().chain(group).collect();
                    sender
                        .call_explained(deployer, to, setter, &args, abi)
                        .await
                        .map(|_| ())
                }
                Ok(None) => Ok(()),
                Err(why) => Err(why),
            },
        };
        if let Err(why) = outcome {
            not_seeded.insert(parameter.id.clone(), why.to_string());
        }
    }
    for parameter in &catalogue.parameters {
        let first = parameter.setter_args.first();
        if let Some(why) = first.and_then(|first| not_seeded.get(first)).cloned() {
            not_seeded.entry(parameter.id.clone()).or_insert(why);
        }
    }
    for module in PAUSABLE {
        if values
            .get(&format!("{module}.paused"))
            .and_then(|v| v.as_bool())
            == Some(true)
        {
            sender
                .call(deployer, contracts[module], "pause()", &[])
                .await?;
        }
    }
    for address in contracts.values() {
        sender
            .call(
                deployer,
                *address,
                "transferOwnership(address)",
                &[safe.to_checksum(None)],
            )
            .await?;
    }
    Ok(Deployment {
        contracts,
        safe,
        safe_owners: setup.owners.clone(),
        safe_threshold: setup.threshold,
        safe_contracts,
        deployer,
        not_seeded,
    })
}
