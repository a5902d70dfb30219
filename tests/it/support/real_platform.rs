//! The platform's real compiled modules deployed on anvil and owned by the real Safe v1.4.1
//! (three owners, threshold 2), SystemPause and the five modules its constructor takes
//! included, and the workspace's demo network made to describe that deployment
//! (`describe_in`). The platform has no Paymaster.

use super::real_chain::RealChain;
use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, I256, U256};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The real platform on a fresh node, owned by a real Safe (three owners, threshold 2).
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
    pub fn deploy() -> Self {
        let chain = RealChain::start();
        let accounts = chain.accounts();
        let contracts = owner_console::sandbox::real_safe::SafeContracts::find(&[Path::new(env!(
            "CARGO_MANIFEST_DIR"
        ))])
        .unwrap();
        let setup = owner_console::sandbox::real_safe::SafeSetup {
            owners: accounts[1..4].to_vec(),
            threshold: 2,
        };
        let safe = chain
            .runtime
            .block_on(owner_console::sandbox::real_safe::deploy_safe(
                &chain.sender(),
                chain.deployer,
                &contracts,
                &setup,
            ))
            .unwrap()
            .safe;
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
                zero.clone(),
                DynSolValue::FixedBytes(Default::default(), 32),
                DynSolValue::FixedBytes(Default::default(), 32),
            ],
        );
        let monitor = chain.deploy("HamiltonianMonitor", &[uint(4), address(safe)]);
        // SystemPause takes every module it pauses, each deployed: the five the catalogue
        // does not hold besides the ones above.
        let reputation = chain.deploy("ReputationEngine", &[address(stake)]);
        let platform_registry = chain.deploy(
            "PlatformRegistry",
            &[address(stake), address(reputation), uint(0)],
        );
        let dispute = chain.deploy(
            "DisputeModule",
            &[
                address(job_registry),
                uint(0),
                uint(86_400),
                zero,
                address(safe),
            ],
        );
        let committee = chain.deploy(
            "ArbitratorCommittee",
            &[address(job_registry), address(dispute)],
        );
        let validation = chain.deploy(
            "ValidationModule",
            &[
                address(job_registry),
                address(stake),
                uint(3600),
                uint(3600),
                uint(3),
                uint(5),
                DynSolValue::Array(vec![]),
            ],
        );
        let system_pause = chain.deploy(
            "SystemPause",
            &[
                address(job_registry),
                address(stake),
                address(validation),
                address(dispute),
                address(platform_registry),
                address(fee_pool),
                address(reputation),
                address(committee),
                address(safe),
            ],
        );
        // SystemPause pauses each module as its pauser: the modules the catalogue does not
        // hold get it here (the Ownable ones from the deployer, DisputeModule from the Safe);
        // the config names it as the pauser of the rest, for the plan to set.
        let pauser = system_pause.to_checksum(None);
        for module in [validation, platform_registry, reputation, committee] {
            assert!(chain.succeeds(module, "setPauser(address)", &[&pauser]));
        }
        chain.as_safe(safe, dispute, "setPauser(address)", &[&pauser]);
        let safe_text = safe.to_checksum(None);
        // The Ownable modules are handed to the Safe; IdentityRegistry is Ownable2Step.
        for module in [fee_pool, identity] {
            assert!(chain.succeeds(module, "transferOwnership(address)", &[&safe_text]));
        }
        chain.as_safe(safe, identity, "acceptOwnership()", &[]);
        let modules: BTreeMap<String, Address> = [
            ("FeePool", fee_pool),
            ("JobRegistry", job_registry),
            ("StakeManager", stake),
            ("RewardEngine", reward_engine),
            ("Thermostat", thermostat),
            ("IdentityRegistry", identity),
            ("EnergyOracle", oracle),
            ("HamiltonianMonitor", monitor),
            ("SystemPause", system_pause),
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

    /// The same platform on a node of its own, loaded from the state of the one deployment
    /// this process makes (its node stopped once the state is saved).
    pub fn with_real_safe() -> Self {
        static SAVED: OnceLock<(String, Address, BTreeMap<String, Address>)> = OnceLock::new();
        let (state, safe, modules) = SAVED.get_or_init(|| {
            let deployed = Self::deploy();
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
                    "systemPause": module("governable", "SystemPause"),
                }
            }),
        );
        // The platform has no Paymaster contract.
        std::fs::remove_file(config.join("paymaster.demo.json")).unwrap();
        for file in ["fee-pool", "job-registry", "stake-manager"] {
            edit(&config.join(format!("{file}.demo.json")), |c| {
                c["pauser"] = self.at("SystemPause").into();
            });
        }
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
            // The constructor's shares are 65/15/15/5.
            c["rewardEngine"]["roleShares"] =
                json!({"agent": 50, "validator": 30, "operator": 15, "employer": 5});
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
            let call = owner_console::safe::multisend::SafeCall::call(
                tx["to"].as_str().unwrap().parse().unwrap(),
                U256::ZERO,
                tx["data"].as_str().unwrap().parse().unwrap(),
            );
            let executed = self
                .chain
                .runtime
                .block_on(owner_console::sandbox::safe_exec::execute(
                    &sender,
                    executor,
                    self.safe,
                    &call,
                    None,
                    &[],
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
