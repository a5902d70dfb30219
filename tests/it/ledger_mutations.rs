//! A property of replay: any mutation of a run's ledger lines (a bit flipped anywhere in a
//! line, a line deleted, repeated, moved, a field added, a line slipped in by someone without
//! a listed key) either makes the session refuse the run, naming it, or leaves the run exactly
//! as it was. Never a silently different run.

use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::{Event, Run};
use owner_console::ledger::Entry;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { at: usize, bit: u8 },
    Delete,
    Repeat,
    SwapWithNext,
    AddField,
    SlipInBefore,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => Just(Mutation::Delete),
        1 => Just(Mutation::Repeat),
        1 => Just(Mutation::SwapWithNext),
        1 => Just(Mutation::AddField),
        1 => Just(Mutation::SlipInBefore),
    ]
}

/// Two runs of the walk runbook, their entries interleaved, and a checkpoint after them.
fn two_runs(dir: &Path) -> (Session, Run) {
    let mut session = Session::open(Workspace::folder(dir), "tester".into()).unwrap();
    session.unlock(crate::support::workspace::TEST_KEY.clone());
    let book = session.runbook("walk").unwrap();
    let inputs = BTreeMap::from([("label".to_owned(), "x".to_owned())]);
    let mut target = session.start(&book, "demo", inputs.clone()).unwrap();
    let mut other = session.start(&book, "demo", inputs).unwrap();
    for item in 0..2 {
        let event = target.toggle_item(item).unwrap();
        session.record(&mut target, vec![event]).unwrap();
        let note = other.note(&format!("other {item}")).unwrap();
        session.record(&mut other, vec![note]).unwrap();
    }
    let note = target.note("why").unwrap();
    session.record(&mut target, vec![note]).unwrap();
    let done = target.complete(None).unwrap();
    session.record(&mut target, done).unwrap();
    let note = other.note("other last").unwrap();
    session.record(&mut other, vec![note]).unwrap();
    session
        .ledger()
        .checkpoint("2026-12-03T00:00:00Z", session.key().unwrap())
        .unwrap();
    (session, target)
}

fn apply(lines: &mut Vec<Vec<u8>>, index: usize, mutation: &Mutation) {
    match mutation {
        Mutation::FlipBit { at, bit } => {
            let line = &mut lines[index];
            let at = at % line.len();
            line[at] ^= 1 << bit;
        }
        Mutation::Delete => {
            lines.remove(index);
        }
        Mutation::Repeat => lines.insert(index + 1, lines[index].clone()),
        Mutation::SwapWithNext => lines.swap(index, index + 1),
        Mutation::AddField => {
            let text = String::from_utf8(lines[index].clone()).unwrap();
            lines[index] = text.replacen('{', r#"{"approved":true,"#, 1).into_bytes();
        }
        Mutation::SlipInBefore => {
            let entry: Entry = serde_json::from_slice(&lines[index]).unwrap();
            let before: Option<Entry> = index
                .checked_sub(1)
                .map(|b| serde_json::from_slice(&lines[b]).unwrap());
            let prev = before.map_or(entry.prev.clone(), |b| b.hash);
            let event = Event::Note {
                step: "prepare".into(),
                text: "slipped in".into(),
            };
            let stranger = PrivateKeySigner::random();
            let forged = Entry::signed(entry.seq, &entry.time, &entry.run, event, &prev, &stranger);
            lines.insert(index, serde_json::to_vec(&forged.unwrap()).unwrap());
        }
    }
}

type State = (
    owner_console::engine::Position,
    Vec<owner_console::engine::run::Visited>,
    owner_console::engine::run::Visit,
);

fn state(run: &Run) -> State {
    (run.position.clone(), run.history.clone(), run.visit.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_run_is_refused_by_name_or_unchanged(
        pick in any::<prop::sample::Index>(),
        mutation in mutation(),
    ) {
        let dir = crate::support::workspace::walk_workspace();
        let (session, target) = two_runs(dir.path());
        let before = state(&session.open_run(&target.id).unwrap());
        prop_assert_eq!(&before, &state(&target));
        let path = session.ledger().path().to_path_buf();
        let bytes = std::fs::read(&path).unwrap();
        let mut lines: Vec<Vec<u8>> = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        let own: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                serde_json::from_slice::<Entry>(&lines[i]).is_ok_and(|e| e.run == target.id)
            })
            .collect();
        let index = own[pick.index(own.len())];
        apply(&mut lines, index, &mutation);
        std::fs::write(&path, lines.join(&b'\n') .into_iter().chain([b'\n']).collect::<Vec<u8>>()).unwrap();

        match session.open_run(&target.id) {
            Ok(reopened) => prop_assert_eq!(state(&reopened), before, "{:?} changed the run silently", mutation),
            Err(error) => prop_assert!(
                error.to_string().contains(&target.id),
                "{:?}: the refusal does not name the run: {}", mutation, error
            ),
        }
    }
}
