//! The mutation battery: a pristine signed ledger verifies, and every way of tampering with it
//! is caught, with the FIRST finding naming the right entry (seq and line) and the right fault.

use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::Entry;
use owner_console::ledger::Ledger;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::entry::sign_hash;
use owner_console::ledger::operators::Operators;
use owner_console::ledger::verify::{Fault, Finding, Report, verify};

/// The entry whose fields are mutated: a `note` in the middle of the ledger.
const MIDDLE: usize = 6;

struct Fixture {
    _dir: tempfile::TempDir,
    key: PrivateKeySigner,
    operators: Operators,
    /// The ledger's lines, each without its newline.
    lines: Vec<String>,
    entries: Vec<Entry>,
    checkpoint: Checkpoint,
}

fn note(step: &str, text: &str) -> Event {
    Event::Note {
        step: step.into(),
        text: text.into(),
    }
}

/// Twelve entries, two runs interleaved, one append of three events (seq 3..=5).
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::new(dir.path().join("storage/owner-ledger.jsonl"));
    let key = PrivateKeySigner::random();
    let appends: Vec<(&str, Vec<Event>)> = vec![
        ("r-alpha", vec![note("prepare", "alpha begins")]),
        ("r-bravo", vec![note("prepare", "bravo begins")]),
        (
            "r-alpha",
            vec![Event::ItemChecked {
                step: "prepare".into(),
                item: 0,
                checked: true,
            }],
        ),
        (
            "r-bravo",
            vec![
                Event::ItemChecked {
                    step: "prepare".into(),
                    item: 1,
                    checked: true,
                },
                Event::StepCompleted {
                    step: "prepare".into(),
                },
                Event::BranchChosen {
                    step: "route".into(),
                    option: "Left".into(),
                    goto: "brief".into(),
                },
            ],
        ),
        ("r-alpha", vec![note("brief", "why and what")]),
        (
            "r-bravo",
            vec![Event::StepSkipped {
                step: "brief".into(),
                reason: "not needed".into(),
            }],
        ),
        (
            "r-alpha",
            vec![Event::StepCompleted {
                step: "brief".into(),
            }],
        ),
        ("r-bravo", vec![note("attach", "tx.json attached")]),
        ("r-alpha", vec![Event::RunCompleted {}]),
        (
            "r-bravo",
            vec![Event::RunAborted {
                reason: "drill over".into(),
            }],
        ),
    ];
    let mut entries = Vec::new();
    for (index, (run, events)) in appends.into_iter().enumerate() {
        let time = format!("2026-11-23T00:00:{index:02}Z");
        entries.extend(ledger.append(run, &time, events, &key).unwrap());
    }
    assert_eq!(entries.len(), 12);
    assert!(
        matches!(&entries[MIDDLE].event, Event::Note { text, .. } if text == "why and what"),
        "{:?}",
        entries[MIDDLE]
    );
    let text = std::fs::read_to_string(ledger.path()).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let checkpoint = Checkpoint::read(&ledger.checkpoint_path())
        .unwrap()
        .expect("append writes a checkpoint");
    assert_eq!(checkpoint.entries, 12);
    let operators = Operators::parse(&format!(
        "[[operators]]\nname = \"tester\"\naddress = \"{}\"\nroles = [\"operator\"]\n",
        key.address().to_checksum(None)
    ))
    .unwrap();
    Fixture {
        _dir: dir,
        key,
        operators,
        lines,
        entries,
        checkpoint,
    }
}

fn join(lines: &[String]) -> Vec<u8> {
    let mut bytes = lines.join("\n").into_bytes();
    bytes.push(b'\n');
    bytes
}

fn line_of(entry: &Entry) -> String {
    serde_json::to_string(entry).unwrap()
}

impl Fixture {
    fn verify(&self, lines: &[String]) -> Report {
        verify(&join(lines), &self.operators, Some(&self.checkpoint))
    }
}

/// Why the report's first finding is not `fault` at `seq` and `line`, if it is not.
fn first_is(
    report: &Report,
    fault: Fault,
    seq: Option<u64>,
    line: Option<usize>,
) -> Result<(), String> {
    let Some(first) = report.first() else {
        return Err("nothing was found".into());
    };
    if (first.fault, first.seq, first.line) == (fault, seq, line) {
        Ok(())
    } else {
        Err(format!(
            "expected {fault:?} at seq {seq:?} line {line:?}, the first finding is {first:?}; all: {:#?}",
            report.findings
        ))
    }
}

fn assert_first(report: &Report, fault: Fault, seq: Option<u64>, line: Option<usize>) -> &Finding {
    first_is(report, fault, seq, line).unwrap_or_else(|why| panic!("{why}"));
    report.first().unwrap()
}

/// The byte range of the JSON value of top-level `field` in an entry line (for a string, its
/// characters without the quotes).
fn value_range(line: &str, field: &str) -> std::ops::Range<usize> {
    let key = format!("\"{field}\":");
    assert_eq!(line.matches(&key).count(), 1, "`{key}` once in {line}");
    let start = line.find(&key).unwrap() + key.len();
    let rest = &line[start..];
    if let Some(string) = rest.strip_prefix('"') {
        let length = string.find('"').unwrap();
        start + 1..start + 1 + length
    } else if rest.starts_with('{') {
        let length = rest.find('}').unwrap() + 1;
        start..start + length
    } else {
        let length = rest.find([',', '}']).unwrap();
        start..start + length
    }
}

/// Flips one bit of one character of `field`'s value: the first character (after `skip`) for
/// which `flip` gives a character accepted by `keeps`.
fn flip_in(line: &str, field: &str, skip: usize, flip: u8, keeps: impl Fn(u8) -> bool) -> Flip {
    let range = value_range(line, field);
    let mut bytes = line.as_bytes().to_vec();
    let at = (range.start + skip..range.end)
        .find(|&at| keeps(bytes[at] ^ flip))
        .unwrap_or_else(|| panic!("no character of `{field}` to flip in {line}"));
    let before = bytes[at];
    bytes[at] ^= flip;
    let after = bytes[at];
    Flip {
        line: String::from_utf8(bytes).unwrap(),
        before,
        after,
    }
}

/// A mutated line, and the character flipped.
struct Flip {
    line: String,
    before: u8,
    after: u8,
}

fn is_hex(byte: u8) -> bool {
    byte.is_ascii_hexdigit()
}

#[test]
fn a_pristine_ledger_verifies_with_and_without_its_checkpoint() {
    let f = fixture();
    let report = f.verify(&f.lines);
    assert!(report.passed(), "{:#?}", report.findings);
    assert_eq!(report.entries, 12);
    assert_eq!(report.checkpoint, Some(12));
    assert_eq!(report.signers, vec![f.key.address().to_checksum(None)]);
    let bare = verify(&join(&f.lines), &f.operators, None);
    assert!(bare.passed(), "{:#?}", bare.findings);
}

/// (a) One bit of one character inside each field's value of the middle entry.
#[test]
fn a_flipped_bit_in_any_field_is_caught_at_that_entry() {
    let f = fixture();
    let seq = MIDDLE as u64;
    let line = MIDDLE + 1;
    let original = &f.lines[MIDDLE];
    let digit: fn(u8) -> bool = |b| b.is_ascii_digit();
    let letter: fn(u8) -> bool = |b| b.is_ascii_alphabetic();
    let flip = |field, skip, bit, keeps: fn(u8) -> bool| flip_in(original, field, skip, bit, keeps);
    let cases: Vec<(&str, Flip, Fault)> = vec![
        // 6 → 7: still a number; the entry now claims another entry's place.
        ("seq", flip("seq", 0, 0x01, digit), Fault::Edited),
        // 2026 → 3026.
        ("time", flip("time", 0, 0x01, digit), Fault::Edited),
        // r-alpha → R-alpha.
        ("run", flip("run", 0, 0x20, letter), Fault::Edited),
        // note → Note: no such event type, so the line is no longer an entry; the line is
        // still JSON, so its seq is named.
        ("type", flip("type", 0, 0x20, letter), Fault::Unreadable),
        // {"step":"brief",…} → {"step":"Brief",…}.
        ("body", flip("body", 9, 0x20, letter), Fault::Edited),
        // A hex digit to another hex digit (after `0x` for the address and the signature).
        ("prev", flip("prev", 0, 0x01, is_hex), Fault::Edited),
        ("hash", flip("hash", 0, 0x01, is_hex), Fault::Edited),
        ("signer", flip("signer", 2, 0x01, is_hex), Fault::Edited),
        ("sig", flip("sig", 2, 0x01, is_hex), Fault::BadSignature),
    ];
    let mut failures = Vec::new();
    for (field, mutated, fault) in cases {
        assert_ne!(&mutated.line, original);
        let mut lines = f.lines.clone();
        lines[MIDDLE] = mutated.line;
        let report = f.verify(&lines);
        let what = format!(
            "field `{field}` ({:?} → {:?})",
            mutated.before as char, mutated.after as char
        );
        if let Err(why) = first_is(&report, fault, Some(seq), Some(line)) {
            failures.push(format!("{what}: {why}"));
            continue;
        }
        let first = report.first().unwrap();
        // The verdict says what happened, not just that something did.
        let expected_words: &[&str] = match field {
            "seq" => &["`seq`", "6", "7"],
            "prev" => &["`prev`"],
            "hash" => &["`hash`"],
            "signer" => &["`signer`"],
            "type" => &["Note"],
            "sig" => &["signature"],
            _ => &["after signing"],
        };
        for word in expected_words {
            if !first.detail.contains(word) {
                failures.push(format!(
                    "{what}: the detail does not mention {word}: {first}"
                ));
            }
        }
        // Nothing else in the ledger is blamed on a later entry: the chain after the edited
        // entry still links to what was signed.
        if let Some(later) = report.findings.iter().find(|x| x.line > Some(line)) {
            failures.push(format!("{what}: a later entry is blamed too: {later}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// (b) An entry deleted: named at the place where it is missing.
#[test]
fn a_deleted_entry_is_caught() {
    let f = fixture();
    let mut lines = f.lines.clone();
    lines.remove(MIDDLE);
    let report = f.verify(&lines);
    // Line 7 now holds seq 7, right after seq 5.
    let first = assert_first(&report, Fault::Deleted, Some(7), Some(7));
    assert!(first.detail.contains("entry 6 is missing"), "{first}");
    // The truncation check does not double-count it as a cut tail: the head is still there.
    assert!(
        report.findings.iter().all(|x| x.fault != Fault::Truncated),
        "{:#?}",
        report.findings
    );
}

/// (c) Two adjacent entries swapped.
#[test]
fn swapped_entries_are_caught() {
    let f = fixture();
    let mut lines = f.lines.clone();
    lines.swap(MIDDLE, MIDDLE + 1);
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::Reordered, Some(7), Some(7));
    assert!(
        first.detail.contains("seq 7 stands where seq 6 belongs"),
        "{first}"
    );
    assert!(
        report.findings.iter().all(|x| x.fault == Fault::Reordered),
        "only the order is wrong: {:#?}",
        report.findings
    );
}

/// (d) An entry duplicated (the copy right after the original).
#[test]
fn a_duplicated_entry_is_caught() {
    let f = fixture();
    let mut lines = f.lines.clone();
    lines.insert(MIDDLE + 1, f.lines[MIDDLE].clone());
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::Duplicated, Some(6), Some(8));
    assert!(first.detail.contains("seq 6 appears twice"), "{first}");
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
}

/// (e) The tail cut by two entries. Only the checkpoint shows it: the shorter ledger is itself
/// a perfectly valid chain, so without the checkpoint this is undetectable (a limit of any
/// hash chain; the checkpoint narrows it to what was appended since the checkpoint was
/// written, and `ledger checkpoint` writes a durable one).
#[test]
fn a_truncated_tail_is_caught_against_the_checkpoint_only() {
    let f = fixture();
    let lines = &f.lines[..f.lines.len() - 2];
    let report = f.verify(lines);
    let first = assert_first(&report, Fault::Truncated, Some(10), None);
    assert!(
        first.detail.contains("12") && first.detail.contains("10"),
        "{first}"
    );
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let without = verify(&join(lines), &f.operators, None);
    assert!(
        without.passed(),
        "the documented limit: without the checkpoint a cut tail is invisible: {:#?}",
        without.findings
    );
}

/// (f) The signatures of two entries swapped.
#[test]
fn swapped_signatures_are_caught_on_the_first_entry() {
    let f = fixture();
    let mut entries = f.entries.clone();
    let sig = entries[MIDDLE].sig.clone();
    entries[MIDDLE].sig = entries[MIDDLE + 1].sig.clone();
    entries[MIDDLE + 1].sig = sig;
    let mut lines = f.lines.clone();
    lines[MIDDLE] = line_of(&entries[MIDDLE]);
    lines[MIDDLE + 1] = line_of(&entries[MIDDLE + 1]);
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::BadSignature, Some(6), Some(7));
    assert!(first.detail.contains("signature"), "{first}");
    assert!(
        report
            .findings
            .iter()
            .any(|x| (x.fault, x.seq) == (Fault::BadSignature, Some(7))),
        "{:#?}",
        report.findings
    );
}

/// (g) An entry re-signed, consistently, by a key that is not listed.
#[test]
fn an_entry_resigned_by_an_unlisted_key_is_caught() {
    let f = fixture();
    let intruder = PrivateKeySigner::random();
    let mut entry = f.entries[MIDDLE].clone();
    entry.signer = intruder.address().to_checksum(None);
    entry.hash = entry.compute_hash().unwrap();
    entry.sig = sign_hash(&entry.hash, &intruder).unwrap();
    assert_eq!(entry.recover_signer().unwrap(), intruder.address());
    let mut lines = f.lines.clone();
    lines[MIDDLE] = line_of(&entry);
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::UnknownSigner, Some(6), Some(7));
    assert!(first.detail.contains(&entry.signer), "{first}");
    // The chain breaks for the next entry: its `prev` is the hash that was replaced.
    assert!(
        report
            .findings
            .iter()
            .any(|x| (x.fault, x.seq, x.line) == (Fault::BrokenChain, Some(7), Some(8))),
        "{:#?}",
        report.findings
    );
}

/// (h) A body edited, its hash recomputed and every later `prev` (and so every later hash)
/// rewritten: the chain is consistent again, but no signature matches any more.
#[test]
fn a_rewritten_chain_is_caught_by_its_signatures() {
    let f = fixture();
    let mut entries = f.entries.clone();
    entries[MIDDLE].event = note("brief", "why and what, and more");
    for index in MIDDLE..entries.len() {
        if index > MIDDLE {
            entries[index].prev = entries[index - 1].hash.clone();
        }
        entries[index].hash = entries[index].compute_hash().unwrap();
    }
    let lines: Vec<String> = entries.iter().map(line_of).collect();
    let bare = verify(&join(&lines), &f.operators, None);
    assert!(
        bare.findings.iter().all(|x| x.fault == Fault::BadSignature),
        "the chain itself is consistent: {:#?}",
        bare.findings
    );
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::BadSignature, Some(6), Some(7));
    assert!(first.detail.contains("signature"), "{first}");
    for seq in MIDDLE as u64..12 {
        assert!(
            report
                .findings
                .iter()
                .any(|x| (x.fault, x.seq) == (Fault::BadSignature, Some(seq))),
            "seq {seq}: {:#?}",
            report.findings
        );
    }
    assert!(
        report
            .findings
            .iter()
            .any(|x| x.fault == Fault::CheckpointMismatch),
        "the checkpoint's head was replaced too: {:#?}",
        report.findings
    );
}

/// A line that is not JSON at all is named by its line.
#[test]
fn a_garbled_line_is_named_by_its_line() {
    let f = fixture();
    let mut lines = f.lines.clone();
    lines[MIDDLE] = flip_in(&f.lines[MIDDLE], "seq", 0, 0x10, |b| !b.is_ascii_digit()).line;
    let report = f.verify(&lines);
    let first = assert_first(&report, Fault::Unreadable, None, Some(MIDDLE + 1));
    assert!(
        !first.detail.contains("line 1 "),
        "the position is not given as line 1 of the ledger: {first}"
    );
    assert!(
        report.findings.iter().all(|x| x.fault != Fault::Deleted),
        "the unreadable line accounts for the missing seq: {:#?}",
        report.findings
    );
}

/// A checkpoint signed with `key` (the digest rebuilt as checkpoint.rs takes it: SHA-256 of
/// the canonical checkpoint without `sig`).
fn checkpoint_signed(entries: u64, head: &str, key: &PrivateKeySigner) -> Checkpoint {
    use sha2::Digest;
    let signer = key.address().to_checksum(None);
    let time = "2026-11-23T01:00:00Z";
    let canonical = serde_json_canonicalizer::to_vec(&serde_json::json!({
        "entries": entries,
        "head": head,
        "time": time,
        "signer": signer,
    }))
    .unwrap();
    let digest = hex::encode(sha2::Sha256::digest(canonical));
    let checkpoint = Checkpoint {
        entries,
        head: head.to_owned(),
        time: time.to_owned(),
        signer,
        sig: sign_hash(&digest, key).unwrap(),
    };
    checkpoint.check_signature().unwrap();
    checkpoint
}

/// A cut tail hidden behind a new checkpoint is caught when that checkpoint's signer is not a
/// listed operator.
#[test]
fn a_checkpoint_signed_by_an_unlisted_key_is_not_trusted() {
    let f = fixture();
    let lines = &f.lines[..10];
    let forged = checkpoint_signed(10, &f.entries[9].hash, &PrivateKeySigner::random());
    let report = verify(&join(lines), &f.operators, Some(&forged));
    let first = assert_first(&report, Fault::CheckpointMismatch, None, None);
    assert!(
        first.detail.contains("not in config/operators.toml"),
        "{first}"
    );
    let listed = checkpoint_signed(10, &f.entries[9].hash, &f.key);
    assert!(
        verify(&join(lines), &f.operators, Some(&listed)).passed(),
        "a listed operator's checkpoint of the shorter ledger is that ledger's"
    );
}

/// Odd but validly signed checkpoints are reported, never a panic.
#[test]
fn odd_checkpoints_are_reported_without_a_panic() {
    let f = fixture();
    let empty = checkpoint_signed(0, owner_console::ledger::entry::GENESIS, &f.key);
    assert!(verify(&join(&f.lines), &f.operators, Some(&empty)).passed());
    let wide = checkpoint_signed(12, "aéééééééééé", &f.key);
    let report = verify(&join(&f.lines), &f.operators, Some(&wide));
    assert_first(&report, Fault::CheckpointMismatch, Some(11), None);
    let beyond = checkpoint_signed(13, &f.entries[11].hash, &f.key);
    let report = verify(&join(&f.lines), &f.operators, Some(&beyond));
    assert_first(&report, Fault::Truncated, Some(12), None);
}
