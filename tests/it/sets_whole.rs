//! A set the contract lists is read whole: a member added on chain and named nowhere in the
//! config or the snapshot is seen, as a security-critical removal in the diff, and changes the
//! fingerprint.

use crate::support::chain::{Platform, live_cli, snapshot_values};
use crate::support::cli::{Home, json};
use crate::support::workspace::shipped_workspace;

const STRANGER: &str = "0x000000000000000000000000000000000000dEaD";

#[test]
fn an_oracle_signer_added_on_chain_and_named_nowhere_is_a_security_removal() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = Home::new();
    let url = platform.url();
    let diff = || {
        json(&live_cli(
            &home,
            workspace.path(),
            &url,
            &["diff", "--network", "demo", "--json"],
        ))
    };
    let signers = |diff: &serde_json::Value| {
        diff["diff"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "EnergyOracle.signers")
            .cloned()
            .unwrap_or_default()
    };
    let before = diff();
    assert!(
        !signers(&before)["removed"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m.as_str().is_some_and(|m| m.eq_ignore_ascii_case(STRANGER))),
        "{before}"
    );

    platform.as_safe(
        platform.module("EnergyOracle"),
        "setSigner(address,bool)",
        &[STRANGER, "true"],
    );
    let after = diff();
    let change = signers(&after);
    assert_eq!(change["risk"], "security", "{change}");
    assert!(
        change["removed"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m.as_str().is_some_and(|m| m.eq_ignore_ascii_case(STRANGER))),
        "the unlisted signer is a removal: {change}"
    );
    assert_ne!(after["diff"]["fingerprint"], before["diff"]["fingerprint"]);
}

/// The plan removes an unlisted member, or keeps it when the config's `retainUnknown` says so.
#[test]
fn the_plan_removes_an_unlisted_member_unless_retain_unknown_keeps_it() {
    use owner_console::catalogue::config_set::ConfigSet;
    use owner_console::catalogue::value::Value;
    use owner_console::session::Session;
    use owner_console::workspace::Workspace;
    let workspace = shipped_workspace();
    let session = Session::open(Workspace::folder(workspace.path()), "tester".into()).unwrap();
    let catalogue = session.catalogue().unwrap();
    let modules = [("EnergyOracle".to_owned(), STRANGER.parse().unwrap())]
        .into_iter()
        .collect();
    let planned = |retain: bool| {
        let read =
            |name: &str| std::fs::read_to_string(workspace.path().join("config").join(name)).ok();
        let mut proposed = ConfigSet::load(&catalogue, "demo", read).values;
        proposed.insert("EnergyOracle.retainUnknown".into(), Value::Bool(retain));
        let signers = proposed["EnergyOracle.signers"].clone();
        let Value::Set(mut on_chain) = signers else {
            panic!("a set: {signers:?}")
        };
        on_chain.insert(STRANGER.to_owned());
        let current = [("EnergyOracle.signers".to_owned(), Value::Set(on_chain))]
            .into_iter()
            .collect();
        let only_signers = catalogue.restricted(&["energy-oracle".to_owned()]);
        let diff = owner_console::diff::compute(
            &only_signers,
            "demo",
            &current,
            &proposed,
            false,
            &Default::default(),
        );
        owner_console::change::plan::plan(&only_signers, &diff, &proposed, &modules).unwrap()
    };
    let removes = |plan: &owner_console::change::plan::Plan| {
        plan.calls.iter().any(|call| {
            call.signature == "setSigner(address,bool)"
                && call.args == [STRANGER.to_owned(), "false".to_owned()]
        })
    };
    let plan = planned(false);
    assert!(removes(&plan), "{:?}", plan.calls);
    let plan = planned(true);
    assert!(!removes(&plan), "{:?}", plan.calls);
    assert!(
        plan.by_hand
            .iter()
            .any(|line| line.contains("kept, as EnergyOracle.retainUnknown says")),
        "{:?}",
        plan.by_hand
    );
}
