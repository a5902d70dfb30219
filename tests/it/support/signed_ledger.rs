//! A small signed ledger to tamper with (twelve entries, two runs interleaved) and checks of
//! the first finding `verify` reports, for ledger_verify.rs and ledger_verify_signatures.rs.

use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::Entry;
use owner_console::ledger::Ledger;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::operators::Operators;
use owner_console::ledger::verify::{Fault, Finding, Report, verify};

/// The entry whose fields are mutated: a `note` in the middle of the ledger.
pub const MIDDLE: usize = 6;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub key: PrivateKeySigner,
    pub operators: Operators,
    /// The ledger's lines, each without its newline.
    pub lines: Vec<String>,
    pub entries: Vec<Entry>,
    pub checkpoint: Checkpoint,
}

pub fn note(step: &str, text: &str) -> Event {
    Event::Note {
        step: step.into(),
        text: text.into(),
    }
}

/// Twelve entries, two runs interleaved, one append of three events (seq 3..=5).
pub fn fixture() -> Fixture {
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

pub fn join(lines: &[String]) -> Vec<u8> {
    let mut bytes = lines.join("\n").into_bytes();
    bytes.push(b'\n');
    bytes
}

impl Fixture {
    pub fn verify(&self, lines: &[String]) -> Report {
        verify(&join(lines), &self.operators, Some(&self.checkpoint))
    }
}

/// Why the report's first finding is not `fault` at `seq` and `line`, if it is not.
pub fn first_is(
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

pub fn assert_first(
    report: &Report,
    fault: Fault,
    seq: Option<u64>,
    line: Option<usize>,
) -> &Finding {
    first_is(report, fault, seq, line).unwrap_or_else(|why| panic!("{why}"));
    report.first().unwrap()
}
