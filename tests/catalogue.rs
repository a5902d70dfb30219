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
    assert_eq!(class("IdentityRegistry.agentAliases"), RiskClass::Cosmetic);
    assert_eq!(
        class("IdentityRegistry.agentProfileURI"),
        RiskClass::Cosmetic
    );
}
