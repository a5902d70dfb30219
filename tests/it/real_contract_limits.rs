//! The contract guardrails held to the real contracts: the platform's StakeManager and
//! Thermostat, compiled from the public repository (`../shared/fixtures/agijobs/build/`, see
//! `SOURCE.md`), deployed on anvil. Each setter reverts just past the bound its guardrail
//! names in `config/catalogue.toml` and succeeds at the bound; the coupled setter
//! `setValidatorRewardPct` overwrites `validatorSlashRewardPct`, as the catalogue declares.

use crate::support::real_chain::{RealChain, catalogue};
use alloy_dyn_abi::DynSolValue;
use alloy_primitives::{Address, I256, U256};
use owner_console::catalogue::Catalogue;

/// A guardrail's bound (`min` or `max`) as written in the catalogue.
fn bound(catalogue: &Catalogue, guardrail: &str, which: &str) -> u64 {
    let g = catalogue
        .guardrails
        .iter()
        .find(|g| g.id == guardrail)
        .unwrap_or_else(|| panic!("guardrail {guardrail}"));
    assert_eq!(
        g.kind,
        owner_console::catalogue::guardrails::GuardKind::Contract
    );
    let text = if which == "min" { &g.min } else { &g.max };
    text.as_deref().unwrap().parse().unwrap()
}

#[test]
fn the_real_stake_manager_reverts_where_its_guardrails_block() {
    let chain = RealChain::start();
    let zero = DynSolValue::Address(Address::ZERO);
    let uint = |n: u64| DynSolValue::Uint(U256::from(n), 256);
    let stake = chain.deploy(
        "StakeManager",
        &[
            uint(0),
            uint(0),
            uint(0),
            zero.clone(),
            zero.clone(),
            zero,
            DynSolValue::Address(chain.deployer),
        ],
    );
    let catalogue = catalogue();

    let (min, max) = (
        bound(&catalogue, "max-total-payout-pct", "min"),
        bound(&catalogue, "max-total-payout-pct", "max"),
    );
    assert_eq!((min, max), (100, 200));
    let set = "setMaxTotalPayoutPct(uint256)";
    assert!(
        !chain.succeeds(stake, set, &["300"]),
        "the issue's 300 reverts"
    );
    assert!(!chain.succeeds(stake, set, &[&(max + 1).to_string()]));
    assert!(chain.succeeds(stake, set, &[&max.to_string()]));
    assert!(!chain.succeeds(stake, set, &[&(min - 1).to_string()]));
    assert!(chain.succeeds(stake, set, &[&min.to_string()]));

    let max = bound(&catalogue, "max-agi-types", "max");
    let set = "setMaxAGITypes(uint256)";
    assert!(
        !chain.succeeds(stake, set, &["60"]),
        "the issue's 60 reverts"
    );
    assert!(!chain.succeeds(stake, set, &[&(max + 1).to_string()]));
    assert!(chain.succeeds(stake, set, &[&max.to_string()]));

    let set = "setMinStake(uint256)";
    assert!(
        !chain.succeeds(stake, set, &["0"]),
        "a zero minimum stake reverts"
    );
    assert!(chain.succeeds(stake, set, &["1"]));

    let set = "setSlashingDistribution(uint256,uint256,uint256)";
    assert!(
        !chain.succeeds(stake, set, &["40", "55", "6"]),
        "105 reverts"
    );
    assert!(chain.succeeds(stake, set, &["40", "55", "5"]));

    // The coupling the catalogue declares with `also_writes`.
    let coupled = catalogue
        .parameter("StakeManager.validatorRewardPct")
        .unwrap();
    assert_eq!(
        coupled.also_writes,
        ["StakeManager.validatorSlashRewardPct"]
    );
    assert_eq!(
        chain.read(stake, "validatorSlashRewardPct()"),
        U256::from(5)
    );
    assert!(chain.succeeds(stake, "setValidatorRewardPct(uint256)", &["12"]));
    assert_eq!(
        chain.read(stake, "validatorSlashRewardPct()"),
        U256::from(12),
        "setValidatorRewardPct overwrote the validator's slash share"
    );
    // A zero treasury is accepted (the treasury's share is burned): a policy, not a limit.
    assert!(chain.succeeds(stake, "setTreasury(address)", &[&Address::ZERO.to_string()]));
}

#[test]
fn the_real_thermostat_holds_the_system_temperature_within_its_bounds() {
    let chain = RealChain::start();
    let wad = |n: &str| DynSolValue::Int(n.parse::<I256>().unwrap(), 256);
    let thermostat = chain.deploy(
        "Thermostat",
        &[
            wad("1500000000000000000"),
            wad("500000000000000000"),
            wad("2000000000000000000"),
            DynSolValue::Address(chain.deployer),
        ],
    );
    let set = "setSystemTemperature(int256)";
    assert!(
        !chain.succeeds(thermostat, set, &["2000000000000000001"]),
        "above maxTemp"
    );
    assert!(
        chain.succeeds(thermostat, set, &["2000000000000000000"]),
        "at maxTemp"
    );
    assert!(
        !chain.succeeds(thermostat, set, &["499999999999999999"]),
        "below minTemp"
    );
    assert!(
        chain.succeeds(thermostat, set, &["500000000000000000"]),
        "at minTemp"
    );
    let bounds = "setTemperatureBounds(int256,int256)";
    assert!(
        !chain.succeeds(thermostat, bounds, &["0", "1"]),
        "min above 0"
    );
    assert!(
        !chain.succeeds(thermostat, bounds, &["2", "2"]),
        "max above min"
    );
    assert!(chain.succeeds(thermostat, bounds, &["1", "2"]));
}
