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
    let diff = || live_diff(&home, workspace.path(), &url);
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

/// The members of `id` in a `diff --json`'s removals.
/// `diff --network demo --json` against the node at `url`.
fn live_diff(home: &Home, workspace: &std::path::Path, url: &str) -> serde_json::Value {
    json(&live_cli(
        home,
        workspace,
        url,
        &["diff", "--network", "demo", "--json"],
    ))
}

fn removed(diff: &serde_json::Value, id: &str) -> Vec<String> {
    diff["diff"]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"] == id)
        .flat_map(|c| c["removed"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m.as_str().map(str::to_lowercase))
        .collect()
}

/// A set no getter lists (`rewarders(address)(bool)`) is read whole through its add/remove
/// events: a rewarder added on chain and named nowhere is seen, and is gone again once removed.
#[test]
fn a_rewarder_named_only_by_its_event_is_a_security_removal_until_removed_on_chain() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = Home::new();
    let url = platform.url();
    let diff = || live_diff(&home, workspace.path(), &url);
    let stranger = STRANGER.to_lowercase();
    let before = diff();
    assert!(
        !removed(&before, "FeePool.rewarders").contains(&stranger),
        "{before}"
    );

    let fee_pool = platform.module("FeePool");
    platform.as_safe(fee_pool, "setRewarder(address,bool)", &[STRANGER, "true"]);
    let after = diff();
    assert!(
        removed(&after, "FeePool.rewarders").contains(&stranger),
        "the rewarder only its event names is a removal: {after}"
    );
    let change = after["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "FeePool.rewarders")
        .unwrap();
    assert_eq!(change["risk"], "security", "{change}");
    assert_ne!(after["diff"]["fingerprint"], before["diff"]["fingerprint"]);

    platform.as_safe(fee_pool, "setRewarder(address,bool)", &[STRANGER, "false"]);
    let removed_again = diff();
    assert!(
        !removed(&removed_again, "FeePool.rewarders").contains(&stranger),
        "its events still name it, its getter no longer does: {removed_again}"
    );
    assert_eq!(
        removed_again["diff"]["fingerprint"],
        before["diff"]["fingerprint"]
    );
}

/// The events are searched page by page from the network's `logs_from_block`, in smaller pages
/// while the node refuses a range, and a later read asks only for the blocks after the last.
#[test]
fn set_members_are_searched_in_pages_the_node_accepts_then_only_in_new_blocks() {
    use crate::support::chain::set_reads;
    use crate::support::rpc_proxy::{Fault, Proxy};
    use owner_console::chain::Target;
    use owner_console::chain::live::read_state;
    use owner_console::session::Session;
    use owner_console::workspace::Workspace;

    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    set_reads(workspace.path(), "demo", "logs_page_blocks = 1000");
    platform.mine(12);
    platform.as_safe(
        platform.module("StakeManager"),
        "setTreasuryAllowlist(address,bool)",
        &[STRANGER, "true"],
    );
    platform.mine(12);
    let proxy = Proxy::start(platform.node.port);
    proxy.set(Fault::LogRangeOver(8));
    let session = Session::open(Workspace::folder(workspace.path()), "tester".into()).unwrap();
    let target = Target::at(&session, "demo", &proxy.url()).unwrap();
    let chain = target.connect().unwrap();

    let first = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    let allowlist = |state: &owner_console::chain::LiveState| {
        state.values["StakeManager.treasuryAllowlist"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m.as_str().map(str::to_lowercase))
            .collect::<Vec<_>>()
    };
    assert!(
        allowlist(&first).contains(&STRANGER.to_lowercase()),
        "{:?}",
        first.values["StakeManager.treasuryAllowlist"]
    );
    let searched = proxy.log_ranges();
    let accepted: Vec<_> = searched.iter().filter(|(a, b)| b - a < 8).collect();
    assert_eq!(accepted.first().map(|r| r.0), Some(0), "{searched:?}");
    assert!(
        accepted.windows(2).all(|w| w[1].0 == w[0].1 + 1),
        "pages follow each other: {searched:?}"
    );
    assert_eq!(accepted.last().map(|r| r.1), Some(first.block.number));

    platform.mine(3);
    let asked_before = searched.len();
    let second = platform
        .runtime
        .block_on(read_state(&chain, &target))
        .unwrap();
    assert!(allowlist(&second).contains(&STRANGER.to_lowercase()));
    let later = proxy.log_ranges()[asked_before..].to_vec();
    assert_eq!(
        later,
        vec![(first.block.number + 1, second.block.number)],
        "only the new blocks are searched"
    );
}

/// A set whose setter only adds (`addAdditionalAgent(address)`) is read through its events and
/// its mapping getter: an additional agent added on chain and named nowhere is a removal.
#[test]
fn an_additional_agent_added_on_chain_and_named_nowhere_is_a_security_removal() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = Home::new();
    let url = platform.url();
    platform.as_safe(
        platform.module("IdentityRegistry"),
        "addAdditionalAgent(address)",
        &[STRANGER],
    );
    let diff = live_diff(&home, workspace.path(), &url);
    assert!(
        removed(&diff, "IdentityRegistry.additionalAgents").contains(&STRANGER.to_lowercase()),
        "{diff}"
    );
    let change = diff["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "IdentityRegistry.additionalAgents")
        .unwrap();
    assert_eq!(change["risk"], "security", "{change}");
}
