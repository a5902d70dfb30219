//! The catalogue over the real AGI Jobs config files (tests/fixtures/agijobs, copied unmodified
//! from the public repository, network `ci`): they load, and their known fault is caught.

use owner_console::catalogue::Catalogue;
use owner_console::catalogue::config_set::ConfigSet;
use owner_console::catalogue::guardrails::{Level, check_all};
use owner_console::catalogue::risk::{RiskClass, classify};
use std::path::Path;

fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue.toml"),
    )
    .unwrap();
    Catalogue::parse(&text).unwrap()
}

fn fixtures(catalogue: &Catalogue) -> ConfigSet {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agijobs");
    ConfigSet::load(catalogue, "ci", |name| {
        std::fs::read_to_string(folder.join(name)).ok()
    })
}

#[test]
fn the_fixtures_load_and_the_slashing_split_of_105_fails() {
    let catalogue = catalogue();
    let set = fixtures(&catalogue);
    let failures: Vec<_> = set
        .problems
        .iter()
        .filter(|p| p.level == Level::Fail)
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(set.files.len(), 8, "all eight fixture files are read");
    assert!(set.values.len() > 90, "{} values", set.values.len());
    let violations = check_all(&set.values, &catalogue);
    let fails: Vec<_> = violations
        .iter()
        .filter(|v| v.level == Level::Fail)
        .collect();
    assert_eq!(fails.len(), 1, "{fails:#?}");
    assert_eq!(fails[0].guardrail, "slashing-split");
    assert_eq!(fails[0].found, "40% + 60% + 5% = 105%");
    assert!(fails[0].valid.contains("at most 100"));
}

#[test]
fn risk_classes_come_from_the_rules() {
    let catalogue = catalogue();
    let class = |id: &str| classify(&catalogue.risk_rules, catalogue.parameter(id).unwrap()).0;
    assert_eq!(class("FeePool.treasury"), RiskClass::Security);
    assert_eq!(class("EnergyOracle.signers"), RiskClass::Security);
    assert_eq!(class("EnergyOracle.retainUnknown"), RiskClass::Security);
    assert_eq!(class("FeePool.burnPct"), RiskClass::Financial);
    assert_eq!(class("JobRegistry.jobStake"), RiskClass::Financial);
    assert_eq!(class("IdentityRegistry.agentAliases"), RiskClass::Security);
    assert_eq!(class("IdentityRegistry.agentRootNode"), RiskClass::Security);
    assert_eq!(
        class("IdentityRegistry.agentProfileURI"),
        RiskClass::Cosmetic
    );
}

use owner_console::catalogue::guardrails::Values;
use owner_console::catalogue::value::{Kind, Note, Value};

/// The fixtures' values with some replaced (config units, as a config file would write them).
fn with(catalogue: &Catalogue, changes: &[(&str, serde_json::Value)]) -> Values {
    let mut values = fixtures(catalogue).values;
    for (id, raw) in changes {
        let parameter = catalogue.parameter(id).unwrap();
        let value = Value::read(raw, parameter.kind, parameter.unit, &mut Vec::new()).unwrap();
        values.insert(id.to_string(), value);
    }
    values
}

fn failing(catalogue: &Catalogue, changes: &[(&str, serde_json::Value)]) -> Vec<String> {
    check_all(&with(catalogue, changes), catalogue)
        .into_iter()
        .filter(|v| v.level == Level::Fail)
        .map(|v| v.guardrail)
        .filter(|g| g != "slashing-split")
        .collect()
}

#[test]
fn every_guardrail_holds_at_its_boundary_and_breaks_just_past_it() {
    let c = catalogue();
    assert!(failing(&c, &[("FeePool.burnPct", serde_json::json!(0))]).is_empty());
    assert!(
        failing(&c, &[("FeePool.burnPct", serde_json::json!(100))]).is_empty(),
        "the FeePool's burn is a share of the fee: JobRegistry does not sum it"
    );
    assert!(
        failing(&c, &[("JobRegistry.feePct", serde_json::json!(88))]).is_empty(),
        "88 + 12 = 100 is allowed"
    );
    assert_eq!(
        failing(&c, &[("JobRegistry.feePct", serde_json::json!(89))]),
        ["job-fee-validator-total"]
    );
    assert_eq!(
        failing(&c, &[("FeePool.burnPct", serde_json::json!(101))]),
        ["burn-pct-range"]
    );
    assert!(
        failing(
            &c,
            &[("StakeManager.employerSlashPct", serde_json::json!(35))]
        )
        .is_empty()
            && check_all(
                &with(
                    &c,
                    &[("StakeManager.employerSlashPct", serde_json::json!(35))]
                ),
                &c
            )
            .iter()
            .all(|v| v.guardrail != "slashing-split"),
        "35 + 60 + 5 = 100 is allowed"
    );
    assert_eq!(
        failing(
            &c,
            &[("RewardEngine.roleShare.agent", serde_json::json!(64))]
        ),
        ["role-shares"],
        "99 is not 100"
    );
    assert_eq!(
        failing(
            &c,
            &[("RewardEngine.roleShare.agent", serde_json::json!(66))]
        ),
        ["role-shares"],
        "101 is not 100"
    );
    assert!(
        failing(
            &c,
            &[
                ("RewardEngine.roleShare.agent", serde_json::json!(60)),
                ("RewardEngine.roleShare.employer", serde_json::json!(10))
            ]
        )
        .is_empty()
    );
    let min = "500000000000000000";
    assert_eq!(
        failing(&c, &[("Thermostat.maxTemp", serde_json::json!(min))]),
        ["thermostat-bounds", "system-temperature-within-bounds"],
        "max = min is not above, and the system temperature is then above max"
    );
    assert_eq!(
        failing(
            &c,
            &[
                ("Thermostat.minTemp", serde_json::json!("0")),
                ("Thermostat.maxTemp", serde_json::json!("1"))
            ]
        ),
        [
            "thermostat-min-positive",
            "system-temperature-within-bounds"
        ]
    );
    assert_eq!(
        failing(&c, &[("HamiltonianMonitor.window", serde_json::json!("0"))]),
        ["hamiltonian-window"]
    );
    assert!(failing(&c, &[("HamiltonianMonitor.window", serde_json::json!("1"))]).is_empty());
    let owner = "0x2222222222222222222222222222222222222222";
    assert_eq!(
        failing(&c, &[("FeePool.treasury", serde_json::json!(owner))]),
        ["treasury-not-owner"]
    );
    let duplicated = serde_json::json!([{"timestamp": 1}, {"timestamp": 1}]);
    assert_eq!(
        failing(&c, &[("HamiltonianMonitor.records", duplicated)]),
        ["hamiltonian-records-unique"]
    );
}

#[test]
fn addresses_must_be_checksummed_non_zero_and_signer_sets_unique() {
    let mut notes = Vec::new();
    let wrong_case = serde_json::json!("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
    let error = Value::read(
        &wrong_case,
        Kind::Address,
        owner_console::catalogue::units::Unit::None,
        &mut notes,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("fails its EIP-55 checksum")
            && error.contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
        "{error}"
    );
    let lower = serde_json::json!("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    Value::read(
        &lower,
        Kind::Address,
        owner_console::catalogue::units::Unit::None,
        &mut notes,
    )
    .unwrap();
    assert!(
        matches!(&notes[..], [Note::NotChecksummed(_, right)] if right == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    );
    let mut notes = Vec::new();
    let signers = serde_json::json!([
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    ]);
    Value::read(
        &signers,
        Kind::AddressSet,
        owner_console::catalogue::units::Unit::None,
        &mut notes,
    )
    .unwrap();
    assert!(
        notes.iter().any(|n| matches!(n, Note::Duplicate(_))),
        "the same signer twice, in two spellings: {notes:?}"
    );

    let catalogue = catalogue();
    let folder = tempfile::tempdir().unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agijobs"))
            .unwrap()
    {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
    }
    let oracle = folder.path().join("energy-oracle.ci.json");
    std::fs::write(&oracle, r#"{"signers": ["0xA1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1", "0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"], "retainUnknown": false}"#).unwrap();
    let fee_pool = folder.path().join("fee-pool.ci.json");
    let text = std::fs::read_to_string(&fee_pool).unwrap().replace(
        "0xF777777777777777777777777777777777777777",
        "0x0000000000000000000000000000000000000000",
    );
    std::fs::write(&fee_pool, text).unwrap();
    let set = ConfigSet::load(&catalogue, "ci", |name| {
        std::fs::read_to_string(folder.path().join(name)).ok()
    });
    let fails: Vec<String> = set
        .problems
        .iter()
        .filter(|p| p.level == Level::Fail)
        .map(|p| format!("{} {}: {}", p.file, p.field, p.message))
        .collect();
    assert!(
        fails.iter().any(
            |f| f.starts_with("energy-oracle.ci.json EnergyOracle.signers")
                && f.contains("is listed twice")
        ),
        "{fails:#?}"
    );
    assert!(
        !fails
            .iter()
            .any(|f| f.starts_with("fee-pool.ci.json FeePool.treasury")),
        "the contract accepts a zero treasury (dust is burned): a policy warning of the diff \
         (guardrails.rs), not a refusal of the config: {fails:#?}"
    );
}

#[test]
fn a_paymaster_transaction_may_spend_at_most_the_daily_limit() {
    let c = catalogue();
    let limits = |tx: &str, day: &str| {
        failing(
            &c,
            &[
                ("Paymaster.maxSpendPerTx", serde_json::json!(tx)),
                ("Paymaster.maxSpendPerDay", serde_json::json!(day)),
            ],
        )
    };
    assert!(limits("1000", "1000").is_empty(), "equal is allowed");
    assert_eq!(limits("1001", "1000"), ["paymaster-tx-within-day"]);
    let found = check_all(
        &with(
            &c,
            &[
                ("Paymaster.maxSpendPerTx", serde_json::json!("1001")),
                ("Paymaster.maxSpendPerDay", serde_json::json!("1000")),
            ],
        ),
        &c,
    )
    .into_iter()
    .find(|v| v.guardrail == "paymaster-tx-within-day")
    .unwrap();
    assert_eq!(
        found.found,
        "Paymaster.maxSpendPerTx = 1001 tokens is above Paymaster.maxSpendPerDay = 1000 tokens"
    );
    let class = |id: &str| classify(&c.risk_rules, c.parameter(id).unwrap()).0;
    assert_eq!(class("Paymaster.maxSpendPerDay"), RiskClass::Financial);
    assert_eq!(class("Paymaster.sponsoredContracts"), RiskClass::Security);
    assert_eq!(class("Paymaster.pauser"), RiskClass::Security);
}

#[test]
fn a_setter_of_several_parameters_is_checked_against_its_signature() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue.toml"),
    )
    .unwrap();
    let joint = "setter = \"setSlashingDistribution(uint256,uint256,uint256)\"";
    let two = text.replacen(
        joint,
        "setter = \"setSlashingDistribution(uint256,uint256)\"",
        1,
    );
    let error = Catalogue::parse(&two).unwrap_err().to_string();
    assert!(
        error.contains("StakeManager.employerSlashPct")
            && error.contains("takes 2 argument(s), setter_args lists 3"),
        "{error}"
    );
    let apart = text.replacen(
        joint,
        "setter = \"setSlashSplit(uint256,uint256,uint256)\"",
        1,
    );
    let error = Catalogue::parse(&apart).unwrap_err().to_string();
    assert!(error.contains("same setter and setter_args"), "{error}");
}

#[test]
fn a_members_event_must_name_the_member_of_an_address_set_with_a_getter() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue.toml"),
    )
    .unwrap();
    let event = "members_event = \"RewarderUpdated(address,bool)\"";
    assert!(text.contains(event));
    let cases = [
        (
            "members_event = \"RewarderUpdated(bool,address)\"",
            "its first argument must be the member's address",
        ),
        (
            "members_event = \"RewarderUpdated(address\"",
            "is not an event signature like `RewarderUpdated(address,bool)`",
        ),
    ];
    for (replacement, expected) in cases {
        let error = Catalogue::parse(&text.replacen(event, replacement, 1))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("config/catalogue.toml: parameter `FeePool.rewarders`")
                && error.contains(expected),
            "{error}"
        );
    }
    let on_a_number = text.replacen(
        "getter = \"burnPct()(uint256)\"",
        "getter = \"burnPct()(uint256)\"\nmembers_event = \"BurnPctUpdated(address)\"",
        1,
    );
    let error = Catalogue::parse(&on_a_number).unwrap_err().to_string();
    assert!(error.contains("only for an address-set"), "{error}");
}
