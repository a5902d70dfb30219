//! The platform's real compiled modules deployed on anvil and owned by a Safe: the project's
//! MockSafe (`deploy`) or the real Safe v1.4.1 (`deploy_with_real_safe`), and the workspace's
//! demo network made to describe that deployment (`describe_in`).
//!
//! SystemPause is left out: its constructor refuses modules that are not deployed (it reverts
//! `InvalidValidationModule(0x0)` without a ValidationModule), and the catalogue reads nothing
//! from it. The platform has no Paymaster.

use super::real_chain::RealChain;
use super::real_safe::{deploy_safe, execute_as_owner};
use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, Bytes, I256, U256};
use owner_console::sandbox::deploy::calldata;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The real platform on a fresh node, owned by a MockSafe.
pub struct RealPlatform {
    pub chain: RealChain,
    pub safe: Address,
    /// Module name (the catalogue's) → address.
    pub modules: BTreeMap<String, Address>,
}

fn address(a: Address) -> DynSolValue {
    DynSolValue::Address(a)
}

fn uint(n: u64) -> DynSolValue {
    DynSolValue::Uint(U256::from(n), 256)
}

fn wad(text: &str) -> DynSolValue {
    DynSolValue::Int(text.parse::<I256>().unwrap(), 256)
}

impl RealPlatform {
    /// The platform owned by the project's MockSafe (owners: the node's accounts 1 to 3,
    /// threshold 2).
    pub fn deploy(workspace: &Path) -> Self {
        let chain = RealChain::start();
        let accounts = chain.accounts();
        let read = |relative: &str| std::fs::read_to_string(workspace.join(relative)).ok();
        let mock_safe = owner_console::sandbox::deploy::artifact("MockSafe", &read).unwrap();
        let safe = chain.deploy_artifact(
            &mock_safe,
            &[
                DynSolValue::Array(accounts[1..4].iter().copied().map(address).collect()),
                uint(2),
            ],
        );
        Self::deploy_owned_by(chain, safe, &|chain, to, data| {
            chain.through_safe(safe, to, data);
        })
    }

    /// The platform owned by the real Safe v1.4.1 (`support/real_safe.rs`): owners the node's
    /// accounts 1 to 3, threshold 2 (raised from 1 once the platform is handed to it).
    pub fn deploy_with_real_safe() -> Self {
        let chain = RealChain::start();
        let accounts = chain.accounts();
        let owner = accounts[1];
        let safe = deploy_safe(
            &chain.rpc,
            &chain.runtime,
            chain.deployer,
            &accounts[1..4],
            1,
        );
        let platform = Self::deploy_owned_by(chain, safe, &|chain, to, data| {
            assert!(execute_as_owner(
                &chain.rpc,
                &chain.runtime,
                safe,
                owner,
                (to, data, 0)
            ));
        });
        let raise = calldata("changeThreshold(uint256)", &["2".to_owned()]).unwrap();
        assert!(execute_as_owner(
            &platform.chain.rpc,
            &platform.chain.runtime,
            safe,
            owner,
            (safe, raise, 0)
        ));
        assert_eq!(platform.chain.read(safe, "getThreshold()"), U256::from(2));
        platform
    }

    /// Deploys the modules with `safe` as their owner or governance; `as_safe` executes a call
    /// by the Safe (the Ownable2Step module's acceptOwnership).
    fn deploy_owned_by(
        chain: RealChain,
        safe: Address,
        as_safe: &dyn Fn(&RealChain, Address, Bytes),
    ) -> Self {
        let zero = address(Address::ZERO);
        let stake = chain.deploy(
            "StakeManager",
            &[
                uint(0),
                uint(0),
                uint(0),
                zero.clone(),
                zero.clone(),
                zero.clone(),
                address(safe),
            ],
        );
        let fee_pool = chain.deploy(
            "FeePool",
            &[address(stake), uint(0), zero.clone(), zero.clone()],
        );
        let job_registry = chain.deploy(
            "JobRegistry",
            &[
                zero.clone(),
                address(stake),
                zero.clone(),
                zero.clone(),
                zero.clone(),
                address(fee_pool),
                zero.clone(),
                uint(0),
                DynSolValue::Uint(U256::ZERO, 96),
                DynSolValue::Array(vec![]),
                address(safe),
            ],
        );
        let thermostat = chain.deploy(
            "Thermostat",
            &[
                wad("1000000000000000000"),
                wad("500000000000000000"),
                wad("2000000000000000000"),
                address(safe),
            ],
        );
        let oracle = chain.deploy("EnergyOracle", &[address(safe)]);
        let reward_engine = chain.deploy(
            "RewardEngineMB",
            &[
                address(thermostat),
                address(fee_pool),
                zero.clone(),
                address(oracle),
                address(safe),
            ],
        );
        let identity = chain.deploy(
            "IdentityRegistry",
            &[
                zero.clone(),
                zero.clone(),
                zero,
                DynSolValue::FixedBytes(Default::default(), 32),
                DynSolValue::FixedBytes(Default::default(), 32),
            ],
        );
        let monitor = chain.deploy("HamiltonianMonitor", &[uint(4), address(safe)]);
        let safe_text = safe.to_checksum(None);
        // The Ownable modules are handed to the Safe; IdentityRegistry is Ownable2Step.
        for module in [fee_pool, identity] {
            assert!(chain.succeeds(module, "transferOwnership(address)", &[&safe_text]));
        }
        as_safe(
            &chain,
            identity,
            calldata("acceptOwnership()", &[]).unwrap(),
        );
        let modules: BTreeMap<String, Address> = [
            ("FeePool", fee_pool),
            ("JobRegistry", job_registry),
            ("StakeManager", stake),
            ("RewardEngine", reward_engine),
            ("Thermostat", thermostat),
            ("IdentityRegistry", identity),
            ("EnergyOracle", oracle),
            ("HamiltonianMonitor", monitor),
        ]
        .into_iter()
        .map(|(name, at)| (name.to_owned(), at))
        .collect();
        let platform = Self {
            chain,
            safe,
            modules,
        };
        for (name, at) in &platform.modules {
            assert_eq!(
                Address::from_word(platform.chain.read(*at, "owner()").into()),
                safe,
                "the Safe owns {name}"
            );
        }
        platform
    }

    /// The platform owned by the real Safe on a node of its own, loaded from the state of the
    /// one deployment this process makes (its node stopped once the state is saved).
    pub fn with_real_safe() -> Self {
        static SAVED: OnceLock<(String, Address, BTreeMap<String, Address>)> = OnceLock::new();
        let (state, safe, modules) = SAVED.get_or_init(|| {
            let deployed = Self::deploy_with_real_safe();
            (
                deployed.chain.dump(),
                deployed.safe,
                deployed.modules.clone(),
            )
        });
        Self {
            chain: RealChain::loaded(state),
            safe: *safe,
            modules: modules.clone(),
        }
    }

    pub fn at(&self, module: &str) -> String {
        self.modules[module].to_checksum(None)
    }

    pub fn url(&self) -> String {
        self.chain.node.url()
    }

    /// The workspace's demo network made to describe this deployment: its modules, its Safe,
    /// and a config with values the real modules accept (most of them differ from what the
    /// constructors set, so that the plan has work to do).
    pub fn describe_in(&self, workspace: &Path) {
        let config = workspace.join("config");
        let safe = self.safe.to_checksum(None);
        let module = |kind: &str, name: &str| json!({"type": kind, "address": self.at(name)});
        write(
            &config.join("owner-control.demo.json"),
            &json!({
                "governance": safe,
                "owner": safe,
                "modules": {
                    "feePool": module("ownable", "FeePool"),
                    "jobRegistry": module("governable", "JobRegistry"),
                    "stakeManager": module("governable", "StakeManager"),
                    "rewardEngine": module("governable", "RewardEngine"),
                    "thermostat": module("governable", "Thermostat"),
                    "identityRegistry": module("ownable2step", "IdentityRegistry"),
                    "energyOracle": module("governable", "EnergyOracle"),
                    "hamiltonianMonitor": module("governable", "HamiltonianMonitor"),
                }
            }),
        );
        // The platform has no Paymaster contract.
        std::fs::remove_file(config.join("paymaster.demo.json")).unwrap();
        edit(&config.join("fee-pool.demo.json"), |c| {
            c["stakeManager"] = self.at("StakeManager").into();
            c["governance"] = safe.clone().into();
            c.as_object_mut().unwrap().remove("taxPolicy");
            c["rewardRole"] = "validator".into();
            allowlist_treasury(c);
        });
        edit(&config.join("job-registry.demo.json"), |c| {
            c["stakeManager"] = self.at("StakeManager").into();
            c["feePool"] = self.at("FeePool").into();
            for unset in [
                "taxPolicy",
                "identityRegistry",
                "disputeModule",
                "validationModule",
                "reputationModule",
                "certificateNFT",
            ] {
                c.as_object_mut().unwrap().remove(unset);
            }
        });
        edit(&config.join("stake-manager.demo.json"), |c| {
            c["jobRegistry"] = self.at("JobRegistry").into();
            c["thermostat"] = self.at("Thermostat").into();
            c["hamiltonianFeed"] = self.at("HamiltonianMonitor").into();
            allowlist_treasury(c);
            c["feePool"] = self.at("FeePool").into();
            for unset in ["disputeModule", "validationModule"] {
                c.as_object_mut().unwrap().remove(unset);
            }
        });
        edit(&config.join("thermodynamics.demo.json"), |c| {
            c["rewardEngine"]["address"] = self.at("RewardEngine").into();
            c["rewardEngine"]["thermostat"] = self.at("Thermostat").into();
            c["thermostat"]["address"] = self.at("Thermostat").into();
        });
        edit(&config.join("identity-registry.demo.json"), |c| {
            c["address"] = self.at("IdentityRegistry").into();
            let c = c.as_object_mut().unwrap();
            c.remove("reputationEngine");
            c.remove("attestationRegistry");
        });
        edit(&config.join("hamiltonian-monitor.demo.json"), |c| {
            c["address"] = self.at("HamiltonianMonitor").into();
        });
        let path = config.join("networks.toml");
        let networks = std::fs::read_to_string(&path).unwrap();
        let networks = networks.replace(
            "safe = \"0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE\"",
            &format!("safe = \"{safe}\""),
        );
        assert!(networks.contains(&safe), "the demo profile names the Safe");
        std::fs::write(path, networks).unwrap();
    }

    /// Each transaction of a Safe Transaction Builder batch executed by the Safe, in order; the
    /// reason of each one that reverts.
    pub fn execute_batch(&self, batch: &Path) -> (usize, Vec<String>) {
        let batch: Value = serde_json::from_str(&std::fs::read_to_string(batch).unwrap()).unwrap();
        let sender = self.chain.sender();
        let executor = self.chain.deployer;
        let mut failures = Vec::new();
        let transactions = batch["transactions"].as_array().unwrap();
        for tx in transactions {
            let call = owner_console::sandbox::safe_exec::SafeCall {
                to: tx["to"].as_str().unwrap().parse().unwrap(),
                value: U256::ZERO,
                data: tx["data"].as_str().unwrap().parse().unwrap(),
            };
            let executed = self
                .chain
                .runtime
                .block_on(owner_console::sandbox::safe_exec::execute(
                    &sender, executor, self.safe, &call,
                ))
                .unwrap();
            if let Some(why) = executed.reverted {
                let method = tx["contractMethod"]["name"].as_str().unwrap_or("?");
                failures.push(format!("{method} on {}: {why}", call.to));
            }
        }
        (transactions.len(), failures)
    }
}

/// The treasury on the allowlist too: the real setter reverts for one that is not.
pub fn allowlist_treasury(config: &mut Value) {
    let treasury = config["treasury"].as_str().unwrap().to_owned();
    config["treasuryAllowlist"][treasury] = true.into();
}

pub fn write(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

pub fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut value);
    write(path, &value);
}
