//! Properties of the run engine and its ledger: for any sequence of actions on a runbook (ticks,
//! choices, notes, skips, files attached, its command run for real, its health check asked of
//! a real endpoint on loopback that answers well or badly, sign-offs by approvers who count,
//! who do not and who sign twice, aborts) and
//! any kill point (the ledger cut to a durable prefix of whole lines, perhaps with a torn line
//! after it, then repaired), the run reopened from the file equals the run replayed from the
//! prefix's entries, and equals the live run as it was when that prefix was all it had written.

use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::engine::run::{Visit, Visited};
use owner_console::engine::signoff::Approver;
use owner_console::engine::{Position, Run};
use owner_console::ledger::attestation::Attestation;
use owner_console::ledger::store::Ledger;
use owner_console::session::Session;
use owner_console::steps::{self, Act};
use owner_console::workspace::Workspace;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
enum Action {
    Toggle(usize),
    Complete,
    Skip,
    Choose(&'static str),
    Note,
    /// Attaches a file of the workspace (on an evidence step).
    Attach,
    /// Runs the command step's command for real.
    Execute,
    /// Asks the health endpoint, for real, on an http-check step.
    Check,
    /// A sign-off by one of [`APPROVERS`].
    SignOff(usize),
    /// Does what the current step asks (ticks its items, writes its note, attaches a file or
    /// runs its command), then completes it: what an operator mostly does.
    Advance,
    Abort,
}

/// Who may try to sign off: two approvers, and a reviewer whose role does not count; each
/// with their own key, listed in the workspace's operators.
const APPROVERS: [(&str, &str); 3] = [
    ("ann", "approver"),
    ("ben", "approver"),
    ("cat", "reviewer"),
];

static APPROVER_KEYS: LazyLock<[PrivateKeySigner; 3]> =
    LazyLock::new(|| std::array::from_fn(|_| PrivateKeySigner::random()));

fn approver_address(n: usize) -> String {
    APPROVER_KEYS[n].address().to_checksum(None)
}

fn list_approvers(folder: &std::path::Path) {
    let listed: String = APPROVERS
        .iter()
        .enumerate()
        .map(|(n, (name, role))| {
            format!(
                "[[operators]]\nname = \"{name}\"\naddress = \"{}\"\nroles = [\"{role}\"]\n\n",
                approver_address(n)
            )
        })
        .collect();
    std::fs::write(folder.join("config/operators.toml"), listed).unwrap();
}

/// The walk runbook with a sign-off step (a quorum of two approvers) before its last step,
/// on the Left branch.
const SIGNOFF_STEP: &str = r#"[[steps]]
id = "approve"
title = "Approve"
kind = "signoff"
quorum = 2
signer_roles = ["approver"]

[[steps]]
id = "commit""#;

fn add_signoff_step(folder: &std::path::Path) {
    let path = folder.join("runbooks/update/walk.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let with_signoff = text
        .replace("next = \"commit\"", "next = \"approve\"")
        .replace("[[steps]]\nid = \"commit\"", SIGNOFF_STEP);
    assert_ne!(text, with_signoff, "the walk runbook changed shape");
    std::fs::write(path, with_signoff).unwrap();
}

/// The single actions `action` stands for at `run`'s current step; `right`: which branch an
/// advance takes at the decision.
fn expand(run: &Run, action: Action, right: bool) -> Vec<Action> {
    use owner_console::runbook::StepAction;
    if !matches!(action, Action::Advance) {
        return vec![action];
    }
    let Some(step) = run.current_step() else {
        return Vec::new();
    };
    let mut single = match &step.action {
        StepAction::Checklist { items, .. } => (0..items.len())
            .filter(|item| !run.visit.checked.contains(item))
            .map(Action::Toggle)
            .collect(),
        StepAction::Note { .. } => vec![Action::Note],
        StepAction::Evidence { .. } => vec![Action::Attach],
        StepAction::Command { .. } => vec![Action::Execute],
        StepAction::Signoff { .. } => (0..2)
            .filter(|&n| {
                !run.visit
                    .signoffs
                    .iter()
                    .any(|s| s.approver == approver_address(n))
            })
            .map(Action::SignOff)
            .collect(),
        StepAction::Decision { .. } => {
            return vec![Action::Choose(if right { "Right" } else { "Left" })];
        }
        StepAction::HttpCheck { .. } => vec![Action::Check],
        _ => Vec::new(),
    };
    single.push(Action::Complete);
    single
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0usize..3).prop_map(Action::Toggle),
        3 => Just(Action::Complete),
        6 => Just(Action::Advance),
        1 => Just(Action::Skip),
        2 => prop::sample::select(vec!["Left", "Right", "Nowhere"]).prop_map(Action::Choose),
        2 => Just(Action::Note),
        2 => Just(Action::Attach),
        2 => Just(Action::Execute),
        2 => Just(Action::Check),
        2 => (0usize..APPROVERS.len()).prop_map(Action::SignOff),
    ]
}

/// What the actions that touch the world need: the session and its workspace folder.
struct World<'a> {
    session: &'a Session,
    folder: &'a std::path::Path,
    runtime: &'a tokio::runtime::Runtime,
}

impl World<'_> {
    /// The step action carried out as either door carries it out, or none where it is refused.
    fn act(&self, run: &Run, act: Act) -> Option<Vec<owner_console::engine::Event>> {
        let prepared = steps::prepare(self.session, run, act).ok()?;
        let done = self.runtime.block_on(prepared.execute()).ok()?;
        Some(vec![done.event])
    }
}

fn events_of(
    run: &Run,
    action: &Action,
    world: &World,
) -> Option<Vec<owner_console::engine::Event>> {
    match action {
        Action::Toggle(item) => run.toggle_item(*item).ok().map(|e| vec![e]),
        // The command step asks for its confirm word; any other step takes none.
        Action::Complete => run
            .complete(Some("confirm"))
            .or_else(|_| run.complete(None))
            .ok(),
        Action::Skip => run.skip("not needed here").ok(),
        Action::Choose(label) => run.choose(label, None).ok(),
        Action::Note => run.note("a note").ok().map(|e| vec![e]),
        Action::Attach => {
            let file = world.folder.join("evidence.txt");
            std::fs::write(&file, run.id.as_bytes()).unwrap();
            world.act(run, Act::Attach(file))
        }
        Action::Execute => world.act(run, Act::RunCommand),
        Action::Check => world.act(run, Act::CheckHttp),
        Action::SignOff(who) => {
            let (name, role) = APPROVERS[*who];
            let roles = [role.to_owned()];
            let address = approver_address(*who);
            let approver = Approver {
                address: &address,
                name,
                roles: &roles,
            };
            // Made on the approver's machine and imported, as `attest` and `run signoff --import` do.
            let signoff = run.sign_off(&approver, None).ok()?;
            let attested = Attestation::sign(
                &run.id,
                &signoff,
                "2026-12-03T00:00:00Z",
                &APPROVER_KEYS[*who],
            )
            .unwrap()
            .into_signoff()
            .unwrap();
            Some(vec![Event::Signoff(attested)])
        }
        Action::Abort => run.abort("stopped by the test").ok().map(|e| vec![e]),
        Action::Advance => None,
    }
}

type State = (Position, Vec<Visited>, Visit);

fn state(run: &Run) -> State {
    (run.position.clone(), run.history.clone(), run.visit.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_run_resumed_after_any_kill_equals_its_replay_and_the_live_run(
        mut actions in prop::collection::vec(action(), 0..40),
        then_abort in any::<bool>(),
        kill in 0.0f64..=1.0,
        torn in any::<bool>(),
        healthy in any::<bool>(),
        right in any::<bool>(),
    ) {
        let dir = crate::support::workspace::walk_workspace();
        add_signoff_step(dir.path());
        list_approvers(dir.path());
        let mut session = Session::open(Workspace::folder(dir.path()), "tester".into()).unwrap();
        session.unlock(alloy_signer_local::PrivateKeySigner::random());
        let book = session.runbook("walk").unwrap();
        // The endpoint answers what the step expects, or a status that fails the check.
        let body = if healthy { r#"{"status":"ok"}"# } else { r#"{"status":"degraded"}"# };
        let port = crate::support::workspace::serve(200, body, usize::MAX);
        let inputs = BTreeMap::from([
            ("label".to_owned(), "x".to_owned()),
            ("port".to_owned(), port.to_string()),
        ]);
        let mut run = session.start(&book, "demo", inputs).unwrap();
        if then_abort {
            actions.push(Action::Abort);
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

        // The live run's state after each append, by how many entries were on disk then.
        let mut live = BTreeMap::from([(1usize, state(&run))]);
        let mut written = 1;
        let world = World { session: &session, folder: dir.path(), runtime: &runtime };
        for given in &actions {
            for action in expand(&run, given.clone(), right) {
                if let Some(events) = events_of(&run, &action, &world) {
                    written += events.len();
                    session.record(&mut run, events).unwrap();
                    live.insert(written, state(&run));
                }
            }
        }

        let ledger = Ledger::new(session.ledger().path().to_path_buf());
        let bytes = ledger.read_bytes().unwrap();
        let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
        prop_assert_eq!(lines.len(), written);
        let keep = 1 + ((written - 1) as f64 * kill).round() as usize;
        let mut cut: Vec<u8> = lines[..keep].concat();
        if torn && keep < written {
            let next = lines[keep];
            cut.extend_from_slice(&next[..next.len() / 2]);
        }
        std::fs::write(ledger.path(), &cut).unwrap();
        // A checkpoint is written only after the entries it counts are durable: at a kill
        // that left this prefix, none counting more existed.
        let _ = std::fs::remove_file(ledger.checkpoint_path());
        prop_assert_eq!(ledger.repair().unwrap().is_some(), torn && keep < written);

        let entries = ledger.read().unwrap().entries;
        prop_assert_eq!(entries.len(), keep);
        let resumed = session.open_run(&run.id).unwrap();
        let replayed = Run::replay(book.clone(), &entries).unwrap();
        prop_assert_eq!(state(&resumed), state(&replayed));
        prop_assert_eq!(&resumed.started, &replayed.started);
        if let Some(at_kill) = live.get(&keep) {
            prop_assert_eq!(&state(&resumed), at_kill);
        }
        if keep == written {
            prop_assert_eq!(state(&resumed), state(&run));
        }
    }
}
