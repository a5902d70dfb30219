//! The mutation battery's signatures and checkpoints: swapped signatures, an entry re-signed
//! by an unlisted key, a chain rewritten and re-hashed by an outsider, and a checkpoint signed
//! by an unlisted key are caught, with the FIRST finding naming the right entry (seq and line)
//! and the right fault; odd but validly signed checkpoints are reported, never a panic.

use crate::support::signed_ledger::{MIDDLE, assert_first, fixture, join, note};
use alloy_signer_local::PrivateKeySigner;
use owner_console::ledger::Entry;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::entry::sign_hash;
use owner_console::ledger::verify::{Fault, verify};

fn line_of(entry: &Entry) -> String {
    serde_json::to_string(entry).unwrap()
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
    let first = assert_first(&report, Fault::UnlistedSigner, Some(6), Some(7));
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
