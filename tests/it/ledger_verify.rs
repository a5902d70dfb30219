//! The mutation battery: a pristine signed ledger verifies, and every way of tampering with its
//! lines (a flipped bit in any field, an entry deleted, swapped, duplicated or garbled, the tail
//! cut) is caught, with the FIRST finding naming the right entry (seq and line) and the right
//! fault. Tampering with signatures and checkpoints is in ledger_verify_signatures.rs.

use crate::support::signed_ledger::{MIDDLE, assert_first, first_is, fixture, join};
use owner_console::ledger::verify::{Fault, verify};

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
