//! Durability of the signed ledger: appends killed with SIGKILL at many points lose nothing that
//! was reported written; two processes appending at once never interleave or lose a line; and
//! operator keys are private files that a loose mode or a wrong passphrase keep from signing.
//!
//! The appending processes are this test binary re-invoked: with `OWNER_CONSOLE_APPEND_CHILD`
//! set, the test `append_child` appends to that ledger and reports each append's seqs on stdout
//! once `append` has returned.

use crate::support::cli::{Home, PASSPHRASE};
use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::Ledger;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::operators::Operators;
use owner_console::ledger::verify::{Fault, verify};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The ledger the child appends to.
const CHILD_ENV: &str = "OWNER_CONSOLE_APPEND_CHILD";
/// The child's signing key, hex.
const KEY_ENV: &str = "OWNER_CONSOLE_APPEND_KEY";
/// The child's run (and the prefix of its notes).
const TAG_ENV: &str = "OWNER_CONSOLE_APPEND_TAG";
/// How many appends of one event the child makes before it exits; unset: appends of 1, 2 and
/// 3 events in turn, forever.
const COUNT_ENV: &str = "OWNER_CONSOLE_APPEND_COUNT";
/// Marks the child's reports among the test harness's own output.
const REPORT: &str = "APPENDED:";

/// Child mode (a no-op when run as an ordinary test).
#[test]
fn append_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let key = std::env::var(KEY_ENV).expect("the key");
    let key = PrivateKeySigner::from_slice(&hex::decode(key).expect("hex key")).expect("key");
    let tag = std::env::var(TAG_ENV).unwrap_or_else(|_| "child".into());
    let count: Option<u64> = std::env::var(COUNT_ENV).ok().map(|c| c.parse().unwrap());
    let ledger = Ledger::new(PathBuf::from(path));
    let mut stdout = std::io::stdout().lock();
    let mut index = 0u64;
    while count.is_none_or(|count| index < count) {
        let size = if count.is_some() { 1 } else { 1 + index % 3 };
        let events = (0..size)
            .map(|part| Event::Note {
                step: "s".into(),
                text: format!("{tag}-{index}-{part}"),
            })
            .collect();
        let time = format!("2026-11-23T00:{:02}:{:02}Z", index / 60 % 60, index % 60);
        let written = ledger
            .append(&format!("run-{tag}"), &time, events, &key)
            .expect("append");
        let seqs: Vec<String> = written.iter().map(|e| e.seq.to_string()).collect();
        writeln!(stdout, "{REPORT} {}", seqs.join(" ")).unwrap();
        stdout.flush().unwrap();
        index += 1;
    }
}

struct Appender {
    child: Child,
    reports: mpsc::Receiver<Vec<u64>>,
    reader: std::thread::JoinHandle<()>,
    stderr: std::thread::JoinHandle<String>,
}

fn spawn_appender(
    ledger: &Path,
    key: &PrivateKeySigner,
    tag: &str,
    count: Option<u64>,
) -> Appender {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "ledger_durability::append_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, ledger)
        .env(KEY_ENV, hex::encode(key.to_bytes()))
        .env(TAG_ENV, tag)
        .env_remove(COUNT_ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(count) = count {
        command.env(COUNT_ENV, count.to_string());
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (sender, reports) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // The harness may print `test append_child ... ` on the same line.
            if let Some(at) = line.find(REPORT) {
                let seqs = line[at + REPORT.len()..]
                    .split_whitespace()
                    .map(|s| s.parse().unwrap())
                    .collect();
                if sender.send(seqs).is_err() {
                    break;
                }
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    Appender {
        child,
        reports,
        reader,
        stderr,
    }
}

impl Appender {
    /// Waits for the child to end, and returns how it ended, every seq it reported and its
    /// stderr.
    fn finish(mut self) -> (std::process::ExitStatus, BTreeSet<u64>, String) {
        let status = self.child.wait().unwrap();
        self.reader.join().unwrap();
        let stderr = self.stderr.join().unwrap();
        let seqs = self.reports.try_iter().flatten().collect();
        (status, seqs, stderr)
    }
}

fn operators_for(key: &PrivateKeySigner) -> Operators {
    Operators::parse(&format!(
        "[[operators]]\nname = \"tester\"\naddress = \"{}\"\nroles = [\"operator\"]\n",
        key.address().to_checksum(None)
    ))
    .unwrap()
}

/// Verifies the ledger after a crash: it must pass, or hold exactly one torn last line, reported
/// as unreadable on that line, which `repair` moves aside so that it passes. Returns whether
/// there was a torn line, and the seqs the ledger holds.
fn check_after_crash(ledger: &Ledger, operators: &Operators, context: &str) -> (bool, Vec<u64>) {
    let bytes = ledger.read_bytes().unwrap();
    let checkpoint = Checkpoint::read(&ledger.checkpoint_path())
        .unwrap_or_else(|why| panic!("{context}: the checkpoint is unreadable: {why}"));
    let report = verify(&bytes, operators, checkpoint.as_ref());
    let mut torn = false;
    if !report.passed() {
        let lines = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        let allowed = bytes.last() != Some(&b'\n')
            && report.findings.len() == 1
            && report.findings[0].fault == Fault::Unreadable
            && report.findings[0].line == Some(lines);
        assert!(allowed, "{context}: {:#?}", report.findings);
        let backup = ledger.repair().unwrap();
        assert!(backup.is_some(), "{context}: repair moved the torn line");
        let again = verify(
            &ledger.read_bytes().unwrap(),
            operators,
            checkpoint.as_ref(),
        );
        assert!(
            again.passed(),
            "{context}: after repair: {:#?}",
            again.findings
        );
        torn = true;
    }
    let contents = ledger.read().unwrap();
    assert!(
        contents.damage.is_empty(),
        "{context}: {:?}",
        contents.damage
    );
    let seqs: Vec<u64> = contents.entries.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (0..seqs.len() as u64).collect::<Vec<_>>(),
        "{context}: seqs are contiguous, none lost or duplicated"
    );
    (torn, seqs)
}

/// The allowance `check_after_crash` makes, exercised: a write cut off mid-line (which a
/// SIGKILL rarely produces, since a line is written by one `write`) is reported as unreadable on
/// the last line, and `repair` moves it aside.
#[test]
fn a_torn_last_line_after_a_crash_is_reported_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::new(dir.path().join("owner-ledger.jsonl"));
    let key = PrivateKeySigner::random();
    for text in ["one", "two"] {
        let note = Event::Note {
            step: "s".into(),
            text: text.into(),
        };
        ledger
            .append("r", "2026-11-23T00:00:00Z", vec![note], &key)
            .unwrap();
    }
    let whole = ledger.read_bytes().unwrap();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(ledger.path())
        .unwrap();
    file.write_all(br#"{"seq":2,"time":"2026-11-23T00:00:01Z","run":"r","ty"#)
        .unwrap();
    let (torn, seqs) = check_after_crash(&ledger, &operators_for(&key), "torn");
    assert!(torn);
    assert_eq!(seqs, [0, 1]);
    assert_eq!(ledger.read_bytes().unwrap(), whole);
}

/// (a) A child appends in a loop and is killed with SIGKILL, again and again, at delays from
/// 5 to 60 ms after it first reports an append (and, for a few rounds, 2 to 17 ms after it is
/// spawned, so that some kills land while it starts or makes its first append). Every append
/// it reported is in the ledger, which verifies, and the next child continues the chain.
#[test]
fn appends_killed_at_any_point_lose_nothing_reported() {
    const ROUNDS: u64 = 30;
    const FROM_SPAWN: u64 = 6;
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::new(dir.path().join("storage/owner-ledger.jsonl"));
    let key = PrivateKeySigner::random();
    let operators = operators_for(&key);
    let mut reported_all = BTreeSet::new();
    let mut mid_loop_kills = 0;
    let mut torn_lines = 0;
    for round in 0..ROUNDS {
        // Rounds 1..=FROM_SPAWN count a short delay (2 to 17 ms) from the spawn, to land while
        // the child starts or makes its first append; the others count 5 to 60 ms from the
        // child's first report, to land anywhere in its loop.
        let from_spawn = (1..=FROM_SPAWN).contains(&round);
        let delay = Duration::from_millis(if from_spawn {
            2 + 3 * (round - 1)
        } else {
            5 + round * 37 % 56
        });
        let before = ledger.read_bytes().unwrap();
        let appender = spawn_appender(ledger.path(), &key, &format!("r{round}"), None);
        let mut reported = BTreeSet::new();
        if from_spawn {
            std::thread::sleep(delay);
        } else {
            let first = appender
                .reports
                .recv_timeout(Duration::from_secs(60))
                .expect("the child reports its first append");
            reported.extend(first);
            std::thread::sleep(delay);
        }
        let pid = appender.child.id() as libc::pid_t;
        // SAFETY: `pid` is our own child, not yet waited for.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
        let (status, seqs, stderr) = appender.finish();
        let context = format!("round {round} (killed {delay:?} after the {})", {
            if from_spawn { "spawn" } else { "first report" }
        });
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "{context}: the child ended by itself: {status:?}\n{stderr}"
        );
        reported.extend(seqs);
        if !from_spawn || !reported.is_empty() {
            mid_loop_kills += 1;
        }

        let (torn, held) = check_after_crash(&ledger, &operators, &context);
        torn_lines += usize::from(torn);
        let held: BTreeSet<u64> = held.into_iter().collect();
        let lost: Vec<_> = reported.difference(&held).collect();
        assert!(
            lost.is_empty(),
            "{context}: reported but not in the ledger: {lost:?}"
        );
        assert!(
            reported_all.is_disjoint(&reported),
            "{context}: a seq reported twice"
        );
        reported_all.extend(reported);
        let after = ledger.read_bytes().unwrap();
        assert!(
            after.starts_with(&before),
            "{context}: what was in the ledger before the round is unchanged"
        );
    }
    assert!(
        mid_loop_kills >= 20,
        "only {mid_loop_kills} kills while appending"
    );
    let contents = ledger.read().unwrap();
    assert!(
        reported_all.len() as u64 >= ROUNDS - FROM_SPAWN,
        "every round timed from a report saw at least one append"
    );
    // An append of several events is one `write`; a kill can cut it short after whole lines
    // (the kernel checks for a fatal signal between pages), so that `repair` leaves the first
    // events of a transition without the rest. Counted, not asserted: the store does not
    // promise that a transition is all or nothing.
    let mut parts: std::collections::BTreeMap<(String, u64), u64> = Default::default();
    for entry in &contents.entries {
        if let Event::Note { text, .. } = &entry.event {
            let index: u64 = text.split('-').nth(1).unwrap().parse().unwrap();
            *parts.entry((entry.run.clone(), index)).or_default() += 1;
        }
    }
    let partial = parts
        .iter()
        .filter(|((_, index), count)| **count < 1 + index % 3)
        .count();
    // A kill while the checkpoint is being written may leave its temporary file; the next
    // checkpoint write, under the ledger's lock, removes it: never more than one is left.
    let leftovers = std::fs::read_dir(ledger.path().parent().unwrap())
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .is_ok_and(|f| f.file_name().to_string_lossy().contains(".partial"))
        })
        .count();
    assert!(
        leftovers <= 1,
        "{leftovers} checkpoint temporary files left"
    );
    eprintln!(
        "{ROUNDS} kills ({mid_loop_kills} while appending): {} entries, {} reported, {torn_lines} torn line(s) repaired, {partial} append(s) cut short after whole lines, {leftovers} checkpoint temporary file(s) left",
        contents.entries.len(),
        reported_all.len()
    );
}

/// (b) Two processes append 200 entries each at the same time.
#[test]
fn two_processes_appending_at_once_never_interleave_or_lose_a_line() {
    const EACH: u64 = 200;
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::new(dir.path().join("storage/owner-ledger.jsonl"));
    let key = PrivateKeySigner::random();
    let operators = operators_for(&key);
    let appenders = [
        spawn_appender(ledger.path(), &key, "a", Some(EACH)),
        spawn_appender(ledger.path(), &key, "b", Some(EACH)),
    ];
    let mut reported = Vec::new();
    for appender in appenders {
        let (status, seqs, stderr) = appender.finish();
        assert!(status.success(), "{status:?}\n{stderr}");
        assert_eq!(seqs.len() as u64, EACH, "{stderr}");
        reported.push(seqs);
    }
    assert!(reported[0].is_disjoint(&reported[1]));

    let bytes = ledger.read_bytes().unwrap();
    let checkpoint = Checkpoint::read(&ledger.checkpoint_path()).unwrap();
    let report = verify(&bytes, &operators, checkpoint.as_ref());
    assert!(report.passed(), "{:#?}", report.findings);
    assert_eq!(report.entries as u64, 2 * EACH);
    let every = owner_console::ledger::store::CHECKPOINT_EVERY;
    assert_eq!(
        checkpoint.map(|c| c.entries),
        Some(2 * EACH / every * every),
        "refreshed every {every} entries"
    );
    let contents = ledger.read().unwrap();
    let seqs: Vec<u64> = contents.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (0..2 * EACH).collect::<Vec<_>>());
    for (tag, mine) in ["a", "b"].iter().zip(&reported) {
        let entries: Vec<_> = contents
            .entries
            .iter()
            .filter(|e| e.run == format!("run-{tag}"))
            .collect();
        let texts: Vec<String> = entries
            .iter()
            .map(|e| match &e.event {
                Event::Note { text, .. } => text.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        let expected: Vec<String> = (0..EACH).map(|i| format!("{tag}-{i}-0")).collect();
        assert_eq!(texts, expected, "{tag}'s entries are all there, in order");
        let held: BTreeSet<u64> = entries.iter().map(|e| e.seq).collect();
        assert_eq!(&held, mine, "{tag}'s reported seqs are its entries");
    }
}

fn described(output: &Output) -> String {
    format!(
        "{:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// (c) `keys new` writes a 0600 key in a 0700 folder; a recording command refuses a key file
/// that others can read, and a wrong passphrase; neither records anything.
#[test]
fn keys_are_private_and_a_loose_or_locked_key_records_nothing() {
    let home = Home::empty();
    let root = home.path();
    let created = home.cli_with(root, PASSPHRASE, &["keys", "new", "--name", "tester"]);
    assert!(created.status.success(), "{}", described(&created));
    let key_file = root.join("data/owner-console/keys/tester.json");
    assert_eq!(mode(&key_file), 0o600, "the key file is its owner's only");
    assert_eq!(mode(key_file.parent().unwrap()), 0o700);
    let listed = home.cli_with(root, PASSPHRASE, &["keys", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["name"], "tester");
    assert_eq!(listed[0]["mode"], "600");

    let workspace = root.join("ops");
    let init = home.cli_with(root, PASSPHRASE, &["init", workspace.to_str().unwrap()]);
    assert!(init.status.success(), "{}", described(&init));
    let recorded = home.cli_with(&workspace, PASSPHRASE, &["ledger", "checkpoint"]);
    assert!(recorded.status.success(), "{}", described(&recorded));
    let ledger_file = workspace.join("storage/owner-ledger.jsonl");
    let before = std::fs::read(&ledger_file).unwrap();
    assert_eq!(before.iter().filter(|b| **b == b'\n').count(), 1);

    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let loose = home.cli_with(&workspace, PASSPHRASE, &["ledger", "checkpoint"]);
    assert!(!loose.status.success(), "{}", described(&loose));
    let error = String::from_utf8_lossy(&loose.stderr);
    assert!(
        error.contains("too open") && error.contains("chmod 600"),
        "{}",
        described(&loose)
    );
    assert_eq!(
        std::fs::read(&ledger_file).unwrap(),
        before,
        "nothing recorded"
    );

    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let locked = home.cli_with(&workspace, "not the passphrase", &["ledger", "checkpoint"]);
    assert!(!locked.status.success(), "{}", described(&locked));
    assert!(
        String::from_utf8_lossy(&locked.stderr).contains("wrong passphrase"),
        "{}",
        described(&locked)
    );
    assert_eq!(
        std::fs::read(&ledger_file).unwrap(),
        before,
        "nothing recorded"
    );

    let again = home.cli_with(&workspace, PASSPHRASE, &["ledger", "checkpoint"]);
    assert!(again.status.success(), "{}", described(&again));
    let verified = home.cli_with(&workspace, PASSPHRASE, &["ledger", "verify", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(report["entries"], 2, "{}", described(&verified));
}
