//! The threat model's claims that no other test file backs (see docs/security.md): the
//! runbook's hash at run start, hostile run inputs in a command that really runs, the
//! operator's passphrase and key absent from everything written with trace logging on, and
//! the document itself naming only tests that exist.

use crate::support::cli::{Home, PASSPHRASE, run_of, text};
use crate::support::run_view::journal_entries as entries;
use crate::support::workspace::{start_walk, walk_workspace};
use sha2::{Digest, Sha256};
use std::path::Path;

const TRACE: [(&str, &str); 1] = [("OWNER_CONSOLE_LOG", "trace")];
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn run_started_records_the_runbooks_sha256_and_a_changed_file_stops_the_run() {
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    let file = cwd.join("runbooks/update/walk.toml");
    let started = home.cli(cwd, &start_walk());
    let run = run_of(&started);
    let ledger = cwd.join("storage/owner-ledger.jsonl");
    let first = &entries(&ledger)[0];
    assert_eq!(first["type"], "run-started");
    assert_eq!(first["body"]["path"], "runbooks/update/walk.toml");
    assert_eq!(
        first["body"]["sha256"],
        sha256_hex(&std::fs::read(&file).unwrap()),
        "the recorded hash is the file's SHA-256"
    );

    let recorded = std::fs::read(&ledger).unwrap();
    let mut text_now = std::fs::read_to_string(&file).unwrap();
    text_now.push_str("\n# edited while the run was open\n");
    std::fs::write(&file, text_now).unwrap();
    let next = home.cli(cwd, &["run", "next", &run, "--check", "all"]);
    let (_, err) = text(&next);
    assert!(!next.status.success());
    assert!(
        err.contains("changed since the run started") && err.contains("walk.toml"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        recorded,
        "nothing is recorded"
    );
}

const HOSTILE_RUNBOOK: &str = r#"
id = "hostile"
title = "A command given hostile inputs"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "Counts the words a filled-in input becomes, and writes the first one back."
networks = ["demo"]

[[inputs]]
name = "value"
type = "string"

[[steps]]
id = "count"
title = "Count the words"
kind = "command"
run = "confirm"
command = '''set -- {{value}}; printf '%s' "$#" > count.out; printf '%s' "$1" > value.out'''
timeout_secs = 5
"#;

/// What follows the placeholder in the hostile runbook's command.
const COMMAND_TAIL: &str = r#"; printf '%s' "$#" > count.out; printf '%s' "$1" > value.out"#;

#[test]
fn hostile_inputs_reach_a_command_that_really_runs_as_one_literal_argument() {
    let home = Home::new();
    let ws = walk_workspace();
    let cwd = ws.path();
    std::fs::write(cwd.join("runbooks/update/hostile.toml"), HOSTILE_RUNBOOK).unwrap();
    let markers = tempfile::tempdir().unwrap();
    let m = markers.path().join("PWNED").display().to_string();
    let hostile = format!(
        "a; touch {m}1 $(touch {m}2) `touch {m}3` 'q' \"d\" \\\n\ntouch {m}4 && touch {m}5 | touch {m}6 > {m}7 $HOME * ${{IFS}}"
    );
    let input = format!("value={hostile}");
    let run = run_of(&home.cli(
        cwd,
        &[
            "run",
            "start",
            "hostile",
            "--network",
            "demo",
            "--input",
            &input,
        ],
    ));
    let ledger = cwd.join("storage/owner-ledger.jsonl");

    let unconfirmed = home.cli(cwd, &["run", "next", &run]);
    assert!(!unconfirmed.status.success());
    assert!(
        text(&unconfirmed)
            .1
            .contains("the command has not been run yet"),
        "{:?}",
        text(&unconfirmed)
    );
    assert!(
        !cwd.join("count.out").exists(),
        "nothing ran without --execute"
    );
    assert!(
        entries(&ledger).iter().all(|e| e["type"] != "command-ran"),
        "nothing ran without --execute"
    );

    let executed = home.cli(cwd, &["run", "next", &run, "--execute"]);
    assert!(executed.status.success(), "{:?}", text(&executed));
    assert_eq!(std::fs::read_to_string(cwd.join("count.out")).unwrap(), "1");
    assert_eq!(
        std::fs::read_to_string(cwd.join("value.out")).unwrap(),
        hostile,
        "the command received the value byte for byte"
    );
    let planted: Vec<_> = std::fs::read_dir(markers.path()).unwrap().collect();
    assert!(planted.is_empty(), "an injected command ran: {planted:?}");
    let ran = entries(&ledger)
        .into_iter()
        .find(|e| e["type"] == "command-ran")
        .unwrap();
    assert_eq!(ran["body"]["exit_code"], 0);
    let recorded = ran["body"]["command"].as_str().unwrap();
    let quoted = recorded
        .strip_prefix("set -- ")
        .and_then(|rest| rest.strip_suffix(COMMAND_TAIL))
        .unwrap();
    assert_eq!(
        shlex::split(quoted),
        Some(vec![hostile.clone()]),
        "the recorded command holds the value as one quoted word: {recorded}"
    );
}

/// The `tester` key's private key, as hex, decrypted here from its keystore.
fn private_key_hex(home: &Home) -> String {
    let keystore = home.path().join("data/owner-console/keys/tester.json");
    let stored = std::fs::read_to_string(&keystore).unwrap();
    assert!(
        stored.contains("\"scrypt\""),
        "an scrypt keystore: {stored}"
    );
    let signer =
        alloy_signer_local::PrivateKeySigner::decrypt_keystore(&keystore, PASSPHRASE).unwrap();
    hex::encode(signer.to_bytes())
}

#[test]
fn the_passphrase_and_the_private_key_never_reach_the_log_the_ledger_or_the_output() {
    let home = Home::empty();
    let ws = walk_workspace();
    let cwd = ws.path();
    let mut seen = String::new();
    let mut cli = |passphrase: &str, args: &[&str]| {
        let output = home.cli_env(cwd, passphrase, &TRACE, args);
        let (out, err) = text(&output);
        seen.push_str(&out);
        seen.push_str(&err);
        output
    };
    assert!(
        cli(PASSPHRASE, &["keys", "new", "--name", "tester"])
            .status
            .success()
    );
    let listed = cli(PASSPHRASE, &["keys", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let address = listed[0]["address"].as_str().unwrap();
    std::fs::write(
        cwd.join("config/operators.toml"),
        crate::support::cli::operators_toml(&[("tester", address, &["operator"])]),
    )
    .unwrap();
    cli(PASSPHRASE, &["keys", "show"]);
    let wrong = "WRONG-passphrase-7f3a";
    let refused = cli(wrong, &["ledger", "checkpoint"]);
    assert!(!refused.status.success());
    let run = run_of(&cli(PASSPHRASE, &start_walk()));
    cli(PASSPHRASE, &["run", "next", &run, "--check", "all"]);
    cli(PASSPHRASE, &["run", "next", &run, "--execute"]);
    cli(PASSPHRASE, &["ledger", "checkpoint"]);
    cli(PASSPHRASE, &["ledger", "verify"]);
    let bundle = cwd.join("bundle.tar.gz");
    let exported = cli(
        PASSPHRASE,
        &["export", &run, "--out", bundle.to_str().unwrap()],
    );
    assert!(exported.status.success(), "{:?}", text(&exported));
    let secret_key = private_key_hex(&home);

    let log = std::fs::read_to_string(
        home.path()
            .join("state/owner-console/logs/owner-console.log"),
    )
    .unwrap();
    assert!(!log.is_empty(), "trace logging wrote something to check");
    let ledger = std::fs::read_to_string(cwd.join("storage/owner-ledger.jsonl")).unwrap();
    assert!(ledger.contains("command-ran"), "the run was recorded");
    let bundle = std::fs::read(&bundle).unwrap();
    let mut unpacked = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&bundle[..]),
        &mut unpacked,
    )
    .unwrap();
    for secret in [PASSPHRASE, wrong, &secret_key, &secret_key.to_uppercase()] {
        for (what, written) in [
            ("log", &log),
            ("ledger", &ledger),
            ("output", &seen),
            ("bundle", &unpacked),
        ] {
            assert!(!written.contains(secret), "{secret} is in the {what}");
        }
    }
}

/// Every `tests/it/FILE.rs::NAME` and `src/…/FILE.rs::NAME` the document cites, with whether
/// that file has `fn NAME`; a cited test file must be a module of this test binary (declared
/// in `tests/it/main.rs`), so that the cited test runs.
#[test]
fn every_test_the_security_doc_cites_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/security.md")).unwrap();
    let main = std::fs::read_to_string(root.join("tests/it/main.rs")).unwrap();
    let mut cited = 0;
    let mut missing = Vec::new();
    for (line_number, line) in doc.lines().enumerate() {
        for word in line.split(|c: char| c == '`' || c.is_whitespace()) {
            let Some((file, name)) = word.split_once(".rs::") else {
                continue;
            };
            let name = name.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
            let path = root.join(format!("{file}.rs"));
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            cited += 1;
            let runs = match file.strip_prefix("tests/") {
                Some(test) => test
                    .strip_prefix("it/")
                    .is_some_and(|module| main.lines().any(|l| l == format!("mod {module};"))),
                None => file.starts_with("src/"),
            };
            if !runs || !source.contains(&format!("fn {name}(")) {
                missing.push(format!(
                    "docs/security.md:{}: {file}.rs::{name}",
                    line_number + 1
                ));
            }
        }
    }
    assert!(cited >= 30, "the document cites only {cited} tests");
    assert!(missing.is_empty(), "cited but not found: {missing:#?}");
}

/// The passphrase typed at the console's prompt, wrong and then right, is never echoed to the
/// terminal nor written to the log; the console then opens unlocked.
#[test]
fn a_passphrase_typed_at_the_prompt_never_reaches_the_screen_or_the_log() {
    use crate::support::pty::{
        PASSPHRASE as RIGHT, PtyApp, Sandbox, TIMEOUT, contains_bytes, keys,
    };
    const WRONG: &str = "not-the-passphrase-4711";
    let sandbox = Sandbox::new();
    let mut command = sandbox.command(&[]);
    command.env_remove("OWNER_CONSOLE_PASSPHRASE");
    command.env("OWNER_CONSOLE_LOG", "trace");
    let mut app = PtyApp::spawn(command, 80, 24);
    app.wait_for("Passphrase for operator key `tester`", TIMEOUT);
    app.send(&format!("{WRONG}{}", keys::ENTER));
    app.wait_for("wrong passphrase, try again", TIMEOUT);
    app.send(&format!("{RIGHT}{}", keys::ENTER));
    app.wait_for(" Runbooks ", TIMEOUT);
    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success());
    let output = app.raw_output();
    let log = std::fs::read(sandbox.log_file()).unwrap_or_default();
    for secret in [WRONG, RIGHT] {
        assert!(
            !contains_bytes(&output, secret.as_bytes()),
            "`{secret}` was echoed to the terminal"
        );
        assert!(
            !contains_bytes(&log, secret.as_bytes()),
            "`{secret}` reached the log"
        );
    }
    assert!(
        !log.is_empty(),
        "the trace log was written, so its absence proves something"
    );
}
