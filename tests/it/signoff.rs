//! Sign-off steps through the real binary: a quorum of distinct approvers holding a counted
//! role, the executor excluded, approvals here or on another machine by attestation.

use crate::support::cli::{Home, json, operators_toml, text};
use std::path::Path;

const RUNBOOK: &str = r#"
id = "approve"
title = "Approve a change"
kind = "update"
severity = "medium"
version = "1"
summary = "A change that two approvers must approve."
networks = ["demo"]

[[steps]]
id = "brief"
title = "Brief"
kind = "note"

[[steps]]
id = "approval"
title = "Two approvers"
kind = "signoff"
quorum = 2
signer_roles = ["approver"]

[[steps]]
id = "done"
title = "Done"
kind = "checklist"
items = ["announced"]
"#;

pub struct Team {
    pub home: Home,
    pub workspace: tempfile::TempDir,
}

impl Team {
    pub fn new() -> Self {
        let home = Home::empty();
        let alice = home.add_key("alice");
        let bob = home.add_key("bob");
        let carol = home.add_key("carol");
        let dave = home.add_key("dave");
        let workspace = crate::support::workspace::walk_workspace();
        std::fs::write(
            workspace.path().join("runbooks/update/approve.toml"),
            RUNBOOK,
        )
        .unwrap();
        let operators = operators_toml(&[
            ("alice", &alice, &["operator", "approver"]),
            ("bob", &bob, &["approver"]),
            ("carol", &carol, &["reviewer"]),
            ("dave", &dave, &["approver"]),
        ]);
        std::fs::write(workspace.path().join("config/operators.toml"), operators).unwrap();
        Self { home, workspace }
    }

    pub fn as_(&self, key: &str, args: &[&str]) -> std::process::Output {
        self.as_in(self.workspace.path(), key, args)
    }

    fn as_in(&self, cwd: &Path, key: &str, args: &[&str]) -> std::process::Output {
        let mut full = vec!["--key", key];
        full.extend_from_slice(args);
        self.home.cli(cwd, &full)
    }

    /// Alice starts a run and writes its brief: it waits at the sign-off step.
    pub fn start(&self) -> String {
        let started = json(&self.as_(
            "alice",
            &["run", "start", "approve", "--network", "demo", "--json"],
        ));
        let run = started["run"].as_str().unwrap().to_owned();
        json(&self.as_(
            "alice",
            &["run", "next", &run, "--note", "raise the fee", "--json"],
        ));
        run
    }
}

fn stderr(output: &std::process::Output) -> String {
    text(output).1
}

#[test]
fn quorum_of_distinct_approvers_without_the_executor() {
    let team = Team::new();
    let run = team.start();
    let blocked = team.as_("alice", &["run", "next", &run]);
    assert!(
        stderr(&blocked).contains("0 of 2 sign-off(s)"),
        "{}",
        stderr(&blocked)
    );

    let own = team.as_("alice", &["run", "signoff", &run]);
    assert_eq!(own.status.code(), Some(1));
    assert!(
        stderr(&own).contains("started this run and cannot approve it"),
        "{}",
        stderr(&own)
    );
    let reviewer = team.as_("carol", &["run", "signoff", &run]);
    assert!(
        stderr(&reviewer).contains("holds none of the roles that count here (approver)"),
        "{}",
        stderr(&reviewer)
    );

    assert!(team.as_("bob", &["run", "signoff", &run]).status.success());
    let twice = team.as_("bob", &["run", "signoff", &run]);
    assert!(
        stderr(&twice).contains("already signed off"),
        "{}",
        stderr(&twice)
    );
    let one = team.as_("alice", &["run", "next", &run]);
    assert!(
        stderr(&one).contains("1 of 2 sign-off(s)"),
        "{}",
        stderr(&one)
    );

    assert!(team.as_("dave", &["run", "signoff", &run]).status.success());
    let moved = json(&team.as_("alice", &["run", "next", &run, "--json"]));
    assert_eq!(moved["position"]["step"], "done");

    let verified = team.as_("alice", &["ledger", "verify", "--json"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
    let shown = json(&team.as_("alice", &["ledger", "show", "--run", &run, "--json"]));
    let approvers: Vec<_> = shown
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "signoff")
        .map(|e| e["body"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(approvers, ["bob", "dave"]);
}

#[test]
fn an_attestation_from_another_machine_is_imported_and_checked() {
    let team = Team::new();
    let run = team.start();
    assert!(team.as_("bob", &["run", "signoff", &run]).status.success());

    let elsewhere = tempfile::tempdir().unwrap();
    let copy = std::process::Command::new("cp")
        .args([
            "-a",
            &format!("{}/.", team.workspace.path().display()),
            &elsewhere.path().display().to_string(),
        ])
        .status()
        .unwrap();
    assert!(copy.success());
    let file = elsewhere.path().join("dave.attestation.json");
    let attested = team.as_in(
        elsewhere.path(),
        "dave",
        &["attest", &run, "--out", file.to_str().unwrap()],
    );
    assert!(attested.status.success(), "{:?}", text(&attested));

    let mut forged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    forged["roles"] = serde_json::json!(["approver", "pauser"]);
    let forged_file = elsewhere.path().join("forged.json");
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    let refused = team.as_(
        "alice",
        &[
            "run",
            "signoff",
            &run,
            "--import",
            forged_file.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("the attestation is signed by"),
        "{}",
        stderr(&refused)
    );

    let malformed = elsewhere.path().join("malformed.json");
    std::fs::write(
        &malformed,
        r#"{"kind":"owner-console-attestation","run":"x"}"#,
    )
    .unwrap();
    let bad = team.as_(
        "alice",
        &[
            "run",
            "signoff",
            &run,
            "--import",
            malformed.to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&bad).contains("malformed.json:1:") && stderr(&bad).contains("missing field `step`"),
        "{}",
        stderr(&bad)
    );

    let imported = team.as_(
        "alice",
        &["run", "signoff", &run, "--import", file.to_str().unwrap()],
    );
    assert!(imported.status.success(), "{:?}", text(&imported));
    let moved = json(&team.as_("alice", &["run", "next", &run, "--json"]));
    assert_eq!(moved["position"]["step"], "done");
    let verified = team.as_("alice", &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
}

#[test]
fn verify_flags_an_unlisted_signer() {
    let team = Team::new();
    let run = team.start();
    team.home.add_key("mallory");
    let entry = team.as_(
        "mallory",
        &[
            "run",
            "next",
            &run,
            "--stay",
            "--note",
            "edited by someone unlisted",
        ],
    );
    assert!(entry.status.success(), "{:?}", text(&entry));
    let verified = team.as_("alice", &["ledger", "verify"]);
    assert_eq!(
        verified.status.code(),
        Some(3),
        "only an unlisted signer: exit 3"
    );
    assert!(
        stderr(&verified).contains("signed by an unlisted key"),
        "{}",
        stderr(&verified)
    );
}

const BATCH_RUNBOOK: &str = r#"
id = "approve-batch"
title = "Approve a Safe batch"
kind = "update"
severity = "medium"
version = "1"
summary = "A batch that an approver approves."
networks = ["demo"]

[[steps]]
id = "batch"
title = "Safe batch"
kind = "safe-batch"
source = "calls"

[[steps.calls]]
contract = "FeePool"
method = "setBurnPct(uint256)"
args = ["7"]

[[steps]]
id = "approval"
title = "One approver"
kind = "signoff"
quorum = 1
signer_roles = ["approver"]
"#;

/// A run of the batch runbook, started by alice, with bob as its approver, in a shipped
/// workspace (whose config gives the demo network's modules and Safe).
struct BatchTeam {
    home: Home,
    workspace: tempfile::TempDir,
    run: String,
}

impl BatchTeam {
    fn new() -> Self {
        let home = Home::empty();
        let alice = home.add_key("alice");
        let bob = home.add_key("bob");
        let workspace = crate::support::workspace::shipped_workspace();
        let cwd = workspace.path();
        std::fs::write(
            cwd.join("runbooks/update/approve-batch.toml"),
            BATCH_RUNBOOK,
        )
        .unwrap();
        let listed = std::fs::read_to_string(cwd.join("config/operators.toml")).unwrap()
            + &operators_toml(&[
                ("alice", &alice, &["operator"]),
                ("bob", &bob, &["approver"]),
            ]);
        std::fs::write(cwd.join("config/operators.toml"), listed).unwrap();
        let mut team = Self {
            home,
            workspace,
            run: String::new(),
        };
        let started = json(&team.as_in(
            team.workspace.path(),
            "alice",
            &[
                "run",
                "start",
                "approve-batch",
                "--network",
                "demo",
                "--json",
            ],
        ));
        team.run = started["run"].as_str().unwrap().to_owned();
        team
    }

    fn as_in(&self, dir: &Path, key: &str, args: &[&str]) -> std::process::Output {
        let mut full = vec!["--key", key];
        full.extend_from_slice(args);
        self.home.cli(dir, &full)
    }

    fn prepare_batch(&self, dir: &Path) {
        let prepared = self.as_in(dir, "alice", &["run", "next", &self.run]);
        assert!(prepared.status.success(), "{:?}", text(&prepared));
    }
}

/// An approval names the batch it approves: an attestation made on a copy of the ledger where
/// another batch was prepared at the same step (a fork: same run, same step, another file) is
/// refused where this batch was prepared, though nothing else about the run differs.
#[test]
fn an_attestation_over_another_batch_is_refused() {
    let team = BatchTeam::new();
    let (cwd, run) = (team.workspace.path(), team.run.as_str());
    let elsewhere = tempfile::tempdir().unwrap();
    crate::support::workspace::copy_folder(cwd, elsewhere.path());
    team.prepare_batch(cwd);
    std::thread::sleep(std::time::Duration::from_millis(5));
    team.prepare_batch(elsewhere.path());
    let file = elsewhere.path().join("bob.attestation.json");
    let attested = team.as_in(
        elsewhere.path(),
        "bob",
        &["attest", run, "--out", file.to_str().unwrap()],
    );
    assert!(attested.status.success(), "{:?}", text(&attested));

    let imported = team.as_in(
        cwd,
        "alice",
        &["run", "signoff", run, "--import", file.to_str().unwrap()],
    );
    assert_eq!(imported.status.code(), Some(1), "{:?}", text(&imported));
    assert!(
        stderr(&imported).contains("approves another state of this run"),
        "{}",
        stderr(&imported)
    );
    let signed = team.as_in(cwd, "bob", &["run", "signoff", run]);
    assert!(signed.status.success(), "{:?}", text(&signed));
}

/// What an approver approves is the batch file as prepared: a file changed since (its Safe
/// checksum recomputed) is refused at a sign-off and at an attestation, naming both hashes,
/// and nothing is recorded or written.
#[test]
fn a_signoff_over_a_changed_batch_file_is_refused() {
    let team = BatchTeam::new();
    let (cwd, run) = (team.workspace.path(), team.run.as_str());
    team.prepare_batch(cwd);
    let batch = cwd.join(format!("storage/batches/{run}-batch.json"));
    let recorded = crate::support::bundle::sha256(&std::fs::read(&batch).unwrap());
    let swapped = crate::support::safe_batch::append_burn_pct(&batch, "99");
    let ledger = cwd.join("storage/owner-ledger.jsonl");
    let before = std::fs::read_to_string(&ledger).unwrap();

    let refused = team.as_in(cwd, "bob", &["run", "signoff", run]);
    assert!(!refused.status.success(), "{:?}", text(&refused));
    let err = stderr(&refused);
    assert!(err.contains(&recorded) && err.contains(&swapped), "{err}");
    let out = cwd.join("bob.attestation.json");
    let attested = team.as_in(cwd, "bob", &["attest", run, "--out", out.to_str().unwrap()]);
    assert!(!attested.status.success(), "{:?}", text(&attested));
    assert!(
        stderr(&attested).contains(&swapped),
        "{}",
        stderr(&attested)
    );
    assert!(!out.exists(), "no attestation written");
    assert_eq!(
        std::fs::read_to_string(&ledger).unwrap(),
        before,
        "nothing recorded"
    );
}
