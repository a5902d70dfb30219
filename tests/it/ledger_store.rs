//! The ledger store: appends are whole signed lines with consecutive sequence numbers even when
//! several writers race; a torn last line is reported by number, blocks appends, and is moved
//! aside only when asked.

use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::store::parse;
use owner_console::ledger::{Ledger as Journal, LedgerError as JournalError};
use std::sync::LazyLock;

static KEY: LazyLock<PrivateKeySigner> = LazyLock::new(PrivateKeySigner::random);

fn note(text: &str) -> Vec<Event> {
    vec![Event::Note {
        step: "s".into(),
        text: text.into(),
    }]
}

#[test]
fn concurrent_writers_never_interleave_or_lose_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("storage/owner-ledger.jsonl");
    let writers = 4;
    let per_writer = 50;
    let threads: Vec<_> = (0..writers)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || {
                let journal = Journal::new(path);
                for index in 0..per_writer {
                    let text = format!("{writer}-{index}-{}", "x".repeat(3000));
                    journal
                        .append(
                            &format!("run-{writer}"),
                            "2026-11-23T00:00:00Z",
                            note(&text),
                            &KEY,
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let contents = Journal::new(path).read().unwrap();
    assert!(contents.damage.is_empty(), "{:?}", contents.damage);
    let seqs: Vec<u64> = contents.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (0..(writers * per_writer) as u64).collect::<Vec<_>>());
    for writer in 0..writers {
        let mine: Vec<String> = contents
            .entries
            .iter()
            .filter(|e| e.run == format!("run-{writer}"))
            .map(|e| match &e.event {
                Event::Note { text, .. } => text.split('-').nth(1).unwrap().to_owned(),
                other => panic!("{other:?}"),
            })
            .collect();
        let expected: Vec<String> = (0..per_writer).map(|i| i.to_string()).collect();
        assert_eq!(
            mine, expected,
            "writer {writer}'s entries are all there, in order"
        );
    }
}

#[test]
fn a_torn_tail_is_reported_blocks_appends_and_is_repaired_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("owner-ledger.jsonl");
    let journal = Journal::new(path.clone());
    journal
        .append("r", "2026-11-23T00:00:00Z", note("one"), &KEY)
        .unwrap();
    journal
        .append("r", "2026-11-23T00:00:01Z", note("two"), &KEY)
        .unwrap();
    let whole = std::fs::read(&path).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(br#"{"seq":2,"time":"2026-11-23T00:00:02Z","run":"r","type":"no"#);
    std::fs::write(&path, &torn).unwrap();

    let contents = journal.read().unwrap();
    assert_eq!(contents.entries.len(), 2, "the whole entries are all read");
    assert_eq!(contents.damage.len(), 1);
    assert_eq!(contents.damage[0].line, 3);
    assert!(contents.damage[0].why.contains("incomplete last line"));

    let refused = journal
        .append("r", "2026-11-23T00:00:03Z", note("three"), &KEY)
        .unwrap_err();
    assert!(
        matches!(refused, JournalError::TornTail { line: 3, .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("ledger repair"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        torn,
        "a refused append changes nothing"
    );

    let backup = journal.repair().unwrap().unwrap();
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        &torn[whole.len()..],
        "the torn bytes are kept"
    );
    assert_eq!(std::fs::read(&path).unwrap(), whole);
    let appended = journal
        .append("r", "2026-11-23T00:00:03Z", note("three"), &KEY)
        .unwrap();
    assert_eq!(appended[0].seq, 2);
    assert_eq!(
        journal.repair().unwrap(),
        None,
        "a whole journal needs no repair"
    );
}

#[test]
fn a_garbled_middle_line_is_reported_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::new(dir.path().join("owner-ledger.jsonl"));
    journal.append("r", "t", note("one"), &KEY).unwrap();
    let first = std::fs::read_to_string(journal.path()).unwrap();
    journal.append("r", "t", note("two"), &KEY).unwrap();
    let whole = std::fs::read_to_string(journal.path()).unwrap();
    let text = format!("{first}not json\n{}", &whole[first.len()..]);
    let contents = parse(text.as_bytes());
    assert_eq!(contents.entries.len(), 2);
    assert_eq!(contents.damage.len(), 1);
    assert_eq!(contents.damage[0].line, 2);
}
