//! What each parser of outside input promises, checked on any bytes. The fuzz targets call
//! these; `tests/it/fuzz_regressions.rs` includes this same file and replays every seed and every
//! input the fuzzer once crashed on, so a plain `cargo test` keeps the contracts.
//!
//! A contract fails by panicking with what was broken.

use owner_console::catalogue::Catalogue;
use owner_console::catalogue::config_set::ConfigSet;
use owner_console::chain::receipt::{self, Receipt};
use owner_console::keys::KeyStore;
use owner_console::ledger::attestation::Attestation;
use owner_console::ledger::entry::Entry;
use owner_console::ledger::operators::Operators;
use owner_console::ledger::store::{self, Ledger, LedgerError};
use owner_console::runbook::{self, problem::Level};
use owner_console::safe::parse::{ParseError, parse_batch};
use owner_console::workspace::networks::Networks;
use owner_console::workspace::settings::Settings;
use owner_console::workspace::snapshot::StateSnapshot;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Every target, by the name of its fuzz target and seed folder.
/// A contract: panics, saying what broke, when the input makes its parser break it.
pub type Contract = fn(&[u8]);

pub const TARGETS: &[(&str, Contract)] = &[
    ("runbook", runbook),
    ("ledger", ledger),
    ("safe_batch", safe_batch),
    ("snapshot", snapshot),
    ("receipt", receipt),
    ("attestation", attestation),
    ("keystore", keystore),
    ("config_toml", config_toml),
    ("config_set", config_set),
];

const SHOWN: &str = "fuzz-input";

thread_local! {
    /// The repository's own workspace, opened once: snapshots are checked against its networks.
    static SESSION: owner_console::session::Session = owner_console::session::Session::open(
        owner_console::workspace::Workspace::folder(&repo_root()),
        "fuzz".into(),
    )
    .unwrap();
}
const CATALOGUE: &str = include_str!("../../config/catalogue.toml");

fn line_count(text: &str) -> usize {
    text.lines().count().max(1)
}

/// `message` starts `<name>:<line>:<column>:` with a line inside `text`.
fn assert_located(message: &str, name: &str, text: &str) {
    let rest = message
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or_else(|| panic!("error does not start with `{name}:`: {message}"));
    let mut parts = rest.splitn(3, ':');
    let line: usize = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("error names no line: {message}"));
    let column: usize = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("error names no column: {message}"));
    // serde_json says column 0 for "before the line's first character" (an empty file).
    assert!(
        line >= 1 && line <= line_count(text) + 1 && column <= text.len() + 1,
        "line {line} column {column} is outside the input: {message}"
    );
}

/// `message` names the file, and the line when it is about the text's syntax or shape.
fn assert_names_file(message: &str, name: &str, text: &str) {
    let after = message
        .strip_prefix(name)
        .unwrap_or_else(|| panic!("error does not name `{name}`: {message}"));
    if after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        assert_located(message, name, text);
    }
}

/// A runbook: every problem located inside the file; no runbook only with an error.
pub fn runbook(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = runbook::load_text(Path::new(SHOWN), text);
    for problem in &loaded.problems {
        assert_eq!(problem.file, Path::new(SHOWN));
        assert!(
            problem.line >= 1 && problem.line <= line_count(text) + 1 && problem.column >= 1,
            "problem outside the file: {problem}"
        );
        assert!(
            !problem.message.trim().is_empty(),
            "empty problem: {problem}"
        );
    }
    let has_error = loaded.problems.iter().any(|p| p.level == Level::Error);
    assert_eq!(
        loaded.runbook.is_some(),
        !has_error,
        "a runbook is refused exactly when an error says why: {:?}",
        loaded.problems
    );
}

/// Ledger lines: each non-empty line is an entry or a damaged line, entries re-read equal,
/// repair moves aside only a torn tail, and an append after it keeps every entry (or, when
/// the last entry cannot be trusted, refuses and leaves the file as it was).
pub fn ledger(data: &[u8]) {
    let contents = store::parse(data);
    let lines = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(contents.entries.len(), contents.lines.len());
    assert_eq!(contents.entries.len() + contents.damage.len(), lines);
    assert!(contents.lines.windows(2).all(|w| w[0] < w[1]));
    for entry in &contents.entries {
        let again: Entry = serde_json::from_slice(&serde_json::to_vec(entry).unwrap())
            .unwrap_or_else(|e| panic!("a parsed entry does not re-read: {e}"));
        assert_eq!(&again, entry);
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(store::LEDGER_FILE);
    std::fs::write(&path, data).unwrap();
    let ledger = Ledger::new(path.clone());
    let torn = !data.is_empty() && data.last() != Some(&b'\n');
    let backup = ledger.repair().unwrap();
    assert_eq!(backup.is_some(), torn);
    let repaired = ledger.read().unwrap();
    let whole = data.len() - data.iter().rev().take_while(|b| **b != b'\n').count();
    assert_eq!(std::fs::read(&path).unwrap(), &data[..whole]);
    if let Some(backup) = backup {
        assert_eq!(std::fs::read(backup).unwrap(), &data[whole..]);
    }

    let key = alloy_signer_local::PrivateKeySigner::from_bytes(&[7u8; 32].into()).unwrap();
    let note = owner_console::engine::Event::Note {
        step: "s".into(),
        text: "after repair".into(),
    };
    match ledger.append("r-fuzz", "2026-01-01T00:00:00Z", vec![note], &key) {
        Ok(appended) => {
            let after = ledger.read().unwrap();
            assert_eq!(
                after.entries[..repaired.entries.len()],
                repaired.entries[..]
            );
            assert_eq!(after.entries.last(), appended.last());
            if let Some(last) = repaired.entries.last() {
                assert_eq!(appended[0].seq, last.seq + 1);
            }
        }
        Err(
            error @ (LedgerError::BadTail { .. }
            | LedgerError::TornTail { .. }
            | LedgerError::UntrustedTail { .. }),
        ) => {
            assert!(error.to_string().contains(&path.display().to_string()));
            assert_eq!(std::fs::read(&path).unwrap(), &data[..whole], "{error}");
        }
        Err(error) => panic!("append failed without naming the line: {error}"),
    }
}

/// A Safe batch: parsed, it serialises to the same JSON value and re-parses equal; an error
/// names the field or the line.
pub fn safe_batch(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_batch(text) {
        Ok(batch) => {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_value(&batch).unwrap(), value);
            let written = serde_json::to_string_pretty(&batch).unwrap();
            assert_eq!(parse_batch(&written), Ok(batch));
        }
        Err(error) => {
            let (line, column) = match &error {
                ParseError::Syntax { line, column, .. } => (*line, *column),
                ParseError::Field {
                    path, line, column, ..
                } => {
                    assert!(!path.is_empty(), "{error}");
                    (*line, *column)
                }
            };
            assert!(line >= 1 && line <= line_count(text) + 1, "{error}");
            assert!(column <= text.len() + 1, "{error}");
        }
    }
}

/// A state snapshot: an error is located; a parsed one re-reads with the same signing hash,
/// and checking it against the network gives an answer, never a panic.
pub fn snapshot(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match StateSnapshot::parse(SHOWN, text) {
        Ok(snapshot) => {
            let written = serde_json::to_string(&snapshot).unwrap();
            let again = StateSnapshot::parse(SHOWN, &written).unwrap();
            assert_eq!(again.signing_hash(), snapshot.signing_hash());
            let _ = snapshot.verify_signature();
            let _ = snapshot.age_seconds(jiff::Timestamp::now());
            let _ = snapshot.pause_states();
            let checked = SESSION.with(|session| {
                owner_console::change::offline_state::check(session, &snapshot.network, SHOWN, text)
            });
            if let Err(why) = checked {
                assert!(why.to_string().starts_with(SHOWN), "{why}");
            }
        }
        Err(why) => assert_located(&why.to_string(), SHOWN, text),
    }
}

/// A receipt file: an error is located; a parsed one gets a verdict that fails unless the
/// receipt succeeded, went to the module and carries every event.
pub fn receipt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Receipt::parse(SHOWN, text) {
        Ok(parsed) => {
            let module = parsed.to.unwrap_or_default();
            let events = ["Paused(address)".to_owned()];
            let verdict = receipt::verify(&parsed, ("Module", module), None, &events);
            let succeeded = parsed.status.map(|s| s.to::<u64>()) == Some(1);
            let all_found = verdict.events.iter().all(|e| e.found);
            assert_eq!(
                verdict.passed(),
                succeeded && parsed.to.is_some() && all_found
            );
        }
        Err(why) => assert_located(&why.to_string(), SHOWN, text),
    }
}

/// An attestation file: an error names the file (and the line, for its shape); a parsed one
/// re-reads equal, and its signature is checked without a panic.
pub fn attestation(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Attestation::parse(SHOWN, text) {
        Ok(parsed) => {
            let written = serde_json::to_string(&parsed).unwrap();
            assert_eq!(
                Attestation::parse(SHOWN, &written).ok().as_ref(),
                Some(&parsed)
            );
            let _ = parsed.into_signoff();
        }
        Err(why) => assert_names_file(&why.to_string(), SHOWN, text),
    }
}

/// A keystore file: listed without a panic, and unlocking it with a wrong passphrase fails,
/// naming the file, in bounded time.
pub fn keystore(data: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeyStore::new(dir.path().to_path_buf());
    let path = keys.path_of("fuzz");
    std::fs::write(&path, data).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let listed = keys.list().unwrap();
    assert_eq!(listed.len(), 1);
    match keys.unlock(&listed[0], "not the passphrase") {
        Ok(_) => panic!("a keystore opened with a wrong passphrase"),
        Err(error) => assert!(error.to_string().contains(&path.display().to_string())),
    }
}

/// networks.toml, operators.toml, the user's settings and the catalogue: every error names
/// the file, and the line where it is about the text.
pub fn config_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(why) = Networks::parse(text) {
        assert_names_file(&why.to_string(), Networks::FILE, text);
    }
    if let Err(why) = Operators::parse(text) {
        assert_names_file(&why.to_string(), Operators::FILE, text);
    }
    if let Err(why) = Settings::parse(SHOWN, text) {
        assert_names_file(&why.to_string(), SHOWN, text);
    }
    if let Err(why) = Catalogue::parse(text) {
        assert_names_file(&why.to_string(), Catalogue::FILE, text);
    }
}

/// One config file of a network's set (the first byte picks which): every problem names a
/// file of the set, and a file that is not JSON gets a located problem.
pub fn config_set(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let catalogue = Catalogue::parse(CATALOGUE).unwrap();
    let files = catalogue.files();
    let chosen =
        owner_console::catalogue::config_set::file_name(files[pick as usize % files.len()], "fuzz");
    let set = ConfigSet::load(&catalogue, "fuzz", |name| {
        (name == chosen).then(|| text.to_owned())
    });
    for problem in &set.problems {
        assert!(
            problem.file.ends_with(".fuzz.json") && !problem.message.trim().is_empty(),
            "{problem:?}"
        );
    }
    if serde_json::from_str::<serde_json::Value>(text).is_err() {
        assert!(
            set.problems
                .iter()
                .any(|p| p.file == chosen && p.message.starts_with("line ")),
            "{:?}",
            set.problems
        );
    }
}

fn repo_root() -> std::path::PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("fuzz_targets").is_dir() {
        manifest.parent().unwrap().to_path_buf()
    } else {
        manifest.to_path_buf()
    }
}
