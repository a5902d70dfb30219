//! A new operator's own key, before it is listed in `config/operators.toml`: the entries it
//! signs are "signed by an unlisted key" (not a failure), `ledger verify` prints the entry to
//! add and exits 3, and `keys add-to-operators` adds it, keeping the file as it was written.

use crate::support::cli::{Home, run, start_walk_in, text};
use crate::support::workspace::walk_workspace;
use std::path::Path;

fn entry(name: &str, address: &str) -> String {
    format!("[[operators]]\nname = \"{name}\"\naddress = \"{address}\"\nroles = [\"operator\"]\n")
}

#[test]
fn a_new_key_is_unlisted_until_added_to_the_operators() {
    let home = Home::new();
    let address = crate::support::cli::key_address(&home, "tester");
    let workspace = walk_workspace();
    let ws = workspace.path();
    start_walk_in(&home, ws);
    let operators = ws.join("config/operators.toml");
    let before = "# The team.\n\n[[operators]]\nname = \"alice\"  # on call\naddress = \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"\nroles = [\"operator\", \"pauser\"]\n";
    std::fs::write(&operators, before).unwrap();

    let (code, out, err) = run(&home, ws, &["ledger", "verify"]);
    assert_eq!(code, 3, "only unlisted signers: exit 3\n{out}{err}");
    assert!(err.contains("signed by an unlisted key"), "{err}");
    assert!(!err.contains("unknown signer"), "{err}");
    assert!(out.contains("signed by an unlisted key"), "{out}");
    assert!(out.contains(&entry("tester", &address)), "{out}");
    assert!(out.contains("keys add-to-operators"), "{out}");

    // Without a terminal to ask on, and without --yes, nothing is written.
    let (code, out, err) = run(&home, ws, &["keys", "add-to-operators"]);
    assert_ne!(code, 0, "{out}{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(std::fs::read_to_string(&operators).unwrap(), before);

    let (code, out, err) = run(&home, ws, &["keys", "add-to-operators", "--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&entry("tester", &address)), "{out}");
    let after = std::fs::read_to_string(&operators).unwrap();
    assert_eq!(
        after,
        format!("{before}\n{}", entry("tester", &address)),
        "the file as it was, comments included, with the entry after"
    );

    let (code, out, err) = run(&home, ws, &["ledger", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("verified"), "{out}");

    // Listed once only.
    let (code, _, err) = run(&home, ws, &["keys", "add-to-operators", "--yes"]);
    assert_ne!(code, 0);
    assert!(err.contains("already listed, as `tester`"), "{err}");
}

#[test]
fn a_forged_entry_still_fails_with_exit_1_beside_an_unlisted_key() {
    let home = Home::new();
    let workspace = walk_workspace();
    let ws = workspace.path();
    start_walk_in(&home, ws);
    let ledger = ws.join("storage/owner-ledger.jsonl");
    let written = std::fs::read_to_string(&ledger).unwrap();
    let edited = written.replacen("\"network\":\"demo\"", "\"network\":\"mainnet\"", 1);
    assert_ne!(edited, written, "the run's network was edited");
    std::fs::write(&ledger, edited).unwrap();
    let (code, out, err) = run(&home, ws, &["ledger", "verify"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("edited"), "{err}");
}

#[test]
fn the_embedded_workspace_is_not_changed() {
    let home = Home::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let output = home.cli(elsewhere.path(), &["keys", "add-to-operators", "--yes"]);
    let (out, err) = text(&output);
    assert!(!output.status.success(), "{out}{err}");
    assert!(err.contains("read-only"), "{err}");
    assert!(err.contains("owner-console init"), "{err}");
    assert!(!Path::new(elsewhere.path()).join("config").exists());
}
