//! Chain of custody through the real binary: a line the ledger cannot verify never moves a
//! run, an append never chains onto a forged or oversized last line, and two `run next` at
//! once complete a step once.

use crate::signoff::Team;
use crate::support::cli::{Home, json, operators_toml, text};
use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::Entry;
use owner_console::ledger::operators::Operators;
use std::path::{Path, PathBuf};

fn ledger_of(workspace: &Path) -> PathBuf {
    workspace.join("storage/owner-ledger.jsonl")
}

fn lines(ledger: &Path) -> Vec<String> {
    std::fs::read_to_string(ledger)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn append_line(ledger: &Path, line: &str) {
    let mut bytes = std::fs::read(ledger).unwrap();
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    std::fs::write(ledger, bytes).unwrap();
}

/// The last entry of the ledger, parsed.
fn last_entry(ledger: &Path) -> Entry {
    serde_json::from_str(lines(ledger).last().unwrap()).unwrap()
}

/// Dave's approval as an attacker without Dave's key would write it: Bob's sign-off line with
/// the approver changed, and a made-up hash and signature.
fn forged_signoff(team: &Team, ledger: &Path) -> String {
    let operators = std::fs::read_to_string(team.workspace.path().join("config/operators.toml"));
    let operators = Operators::parse(&operators.unwrap()).unwrap();
    let dave = operators
        .operators
        .iter()
        .find(|o| o.name == "dave")
        .unwrap();
    let bob_line = lines(ledger)
        .into_iter()
        .rfind(|l| l.contains("\"type\":\"signoff\""))
        .unwrap();
    let mut forged: serde_json::Value = serde_json::from_str(&bob_line).unwrap();
    let last = last_entry(ledger);
    forged["seq"] = (last.seq + 1).into();
    forged["prev"] = last.hash.clone().into();
    forged["body"]["name"] = "dave".into();
    forged["body"]["approver"] = dave.address.clone().into();
    forged["hash"] = "ab".repeat(32).into();
    forged["sig"] = format!("0x{}", "11".repeat(65)).into();
    forged.to_string()
}

fn refuses(output: &std::process::Output, words: &[&str]) {
    let (out, err) = text(output);
    assert_eq!(output.status.code(), Some(1), "stdout {out} stderr {err}");
    for word in words {
        assert!(err.contains(word), "`{word}` not in: {err}");
    }
}

#[test]
fn a_forged_signoff_line_does_not_meet_the_quorum_and_nothing_is_recorded_on_it() {
    let team = Team::new();
    let run = team.start();
    assert!(team.as_("bob", &["run", "signoff", &run]).status.success());
    let ledger = ledger_of(team.workspace.path());
    let forged = forged_signoff(&team, &ledger);
    append_line(&ledger, &forged);
    let line = lines(&ledger).len().to_string();
    let before = std::fs::read(&ledger).unwrap();

    for args in [
        vec!["run", "next", &run],
        vec!["run", "status", &run],
        vec!["run", "abort", &run, "--reason", "x"],
    ] {
        refuses(
            &team.as_("alice", &args),
            &[&run, &format!("(line {line})"), "cannot be trusted"],
        );
    }
    refuses(
        &team.as_("alice", &["run", "start", "approve", "--network", "demo"]),
        &[&format!(":{line}:"), "cannot be trusted", "ledger verify"],
    );
    assert_eq!(
        std::fs::read(&ledger).unwrap(),
        before,
        "nothing was appended"
    );
}

#[test]
fn a_well_signed_signoff_by_a_stranger_does_not_count() {
    let team = Team::new();
    let run = team.start();
    assert!(team.as_("bob", &["run", "signoff", &run]).status.success());
    let ledger = ledger_of(team.workspace.path());
    let bob_line = lines(&ledger).pop().unwrap();
    let bob: Entry = serde_json::from_str(&bob_line).unwrap();
    let Event::Signoff(mut signoff) = bob.event else {
        panic!("not a sign-off: {bob_line}");
    };
    let stranger = PrivateKeySigner::random();
    signoff.approver = stranger.address().to_checksum(None);
    signoff.name = "dave".into();
    let forged = Entry::signed(
        bob.seq + 1,
        &bob.time,
        &run,
        Event::Signoff(signoff),
        &bob.hash,
        &stranger,
    )
    .unwrap();
    append_line(&ledger, &serde_json::to_string(&forged).unwrap());
    refuses(
        &team.as_("alice", &["run", "next", &run]),
        &[
            &run,
            "signed by an unlisted key",
            "not in config/operators.toml",
        ],
    );
}

#[test]
fn an_append_never_chains_onto_a_forged_torn_or_oversized_last_line() {
    let home = Home::new();
    let workspace = crate::support::workspace::walk_workspace();
    let start = crate::support::workspace::start_walk();
    assert!(home.cli(workspace.path(), &start).status.success());
    let ledger = ledger_of(workspace.path());
    let last = last_entry(&ledger);
    let pristine = std::fs::read(&ledger).unwrap();

    let stranger = PrivateKeySigner::random();
    let note = Event::Note {
        step: "x".into(),
        text: "slipped in".into(),
    };
    let by_stranger = Entry::signed(last.seq + 1, &last.time, "r-x", note, &last.hash, &stranger);
    let by_stranger = serde_json::to_string(&by_stranger.unwrap()).unwrap();
    let mut edited: serde_json::Value =
        serde_json::from_str(lines(&ledger).last().unwrap()).unwrap();
    edited["body"]["inputs"]["label"] = "y".into();
    let oversized = format!(
        "{{\"seq\":{},\"pad\":\"{}\"}}",
        last.seq + 1,
        "x".repeat(2 << 20)
    );
    for (tail, words) in [
        (
            by_stranger,
            vec!["cannot be trusted", "not in config/operators.toml"],
        ),
        (
            format!("{}\n", edited),
            vec!["cannot be trusted", "changed after signing"],
        ),
        (oversized, vec!["longer than the 1048576 bytes"]),
    ] {
        let mut bytes = pristine.clone();
        if let Some(rest) = tail.strip_suffix('\n') {
            // The edited last line replaces the real one.
            let kept = bytes[..bytes.len() - 1].iter().rposition(|b| *b == b'\n');
            bytes.truncate(kept.map_or(0, |at| at + 1));
            bytes.extend_from_slice(rest.as_bytes());
        } else {
            bytes.extend_from_slice(tail.as_bytes());
        }
        bytes.push(b'\n');
        std::fs::write(&ledger, &bytes).unwrap();
        let output = home.cli(workspace.path(), &start);
        refuses(&output, &words);
        assert_eq!(std::fs::read(&ledger).unwrap(), bytes, "nothing appended");
    }
}

/// A runbook of `n` note steps.
fn notes_runbook(n: usize) -> String {
    let mut text = String::from(
        "id = \"notes\"\ntitle = \"Notes\"\nkind = \"update\"\nseverity = \"low\"\nversion = \"1\"\nsummary = \"Notes.\"\nnetworks = [\"demo\"]\n",
    );
    for step in 0..n {
        text.push_str(&format!(
            "\n[[steps]]\nid = \"n{step}\"\ntitle = \"Note {step}\"\nkind = \"note\"\n"
        ));
    }
    text
}

#[test]
fn two_run_next_at_once_complete_each_step_once_and_the_run_stays_usable() {
    const ROUNDS: usize = 20;
    let home = Home::empty();
    let tester = home.add_key("tester");
    let workspace = crate::support::workspace::walk_workspace();
    let dir = workspace.path();
    let operators = operators_toml(&[("tester", &tester, &["operator"])]);
    std::fs::write(dir.join("config/operators.toml"), operators).unwrap();
    std::fs::write(
        dir.join("runbooks/update/notes.toml"),
        notes_runbook(2 * ROUNDS),
    )
    .unwrap();
    let started = json(&home.cli(
        dir,
        &["run", "start", "notes", "--network", "demo", "--json"],
    ));
    let run = started["run"].as_str().unwrap().to_owned();
    let (mut at, mut raced) = (0, 0);
    for round in 0..ROUNDS {
        let outcomes = std::thread::scope(|scope| {
            let racers = ["A", "B"].map(|who| {
                let (home, run) = (&home, &run);
                scope.spawn(move || home.cli(dir, &["run", "next", run, "--note", who]))
            });
            racers.map(|r| r.join().unwrap())
        });
        for loser in outcomes.iter().filter(|o| !o.status.success()) {
            let (_, err) = text(loser);
            assert!(
                err.contains("moved while this was being done"),
                "round {round}: {err}"
            );
            raced += 1;
        }
        at += outcomes.iter().filter(|o| o.status.success()).count();
        let status = home.cli(dir, &["run", "status", &run, "--json"]);
        assert_eq!(
            json(&status)["position"]["step"],
            format!("n{at}"),
            "round {round}"
        );
    }
    let completions: Vec<String> = lines(&ledger_of(dir))
        .iter()
        .filter_map(|l| serde_json::from_str::<Entry>(l).ok())
        .filter_map(|e| match e.event {
            Event::StepCompleted { step } => Some(step),
            _ => None,
        })
        .collect();
    let once: Vec<String> = (0..at).map(|n| format!("n{n}")).collect();
    assert_eq!(
        completions, once,
        "each step completed exactly once, in order"
    );
    let verified = home.cli(dir, &["ledger", "verify"]);
    assert!(verified.status.success(), "{:?}", text(&verified));
    println!("{raced} of {ROUNDS} rounds raced: the loser was told the run moved");
}
