//! Walks a drill to its end through the library, in this process, as the CLI's `run next` does
//! at each step (`steps::prepare` → `Prepared::execute` → `Session::record`) and as `run signoff`
//! does for each approver: what each step kind is given, the decisions and the sign-offs are
//! those of the CLI walker (walk.rs), without a binary started and a keystore decrypted at each
//! step. A command step still goes through the binary (`run next --execute`): a command runs
//! with the environment of the process that runs it, and the stage's (its PATH of stand-ins, its
//! home) is not this process's. drill.rs keeps a walk wholly through the binary.

use super::walk::Walker;
use owner_console::chain::Target;
use owner_console::change::compare::{Against, diff_from};
use owner_console::cli::runtime::block_on;
use owner_console::engine::signoff::Approver;
use owner_console::engine::{Event, Mode, Position, Run};
use owner_console::runbook::{CommandRun, Runbook, Step, StepAction};
use owner_console::session::Session;
use owner_console::steps::{self, Act, receipt::ReceiptFrom};
use owner_console::workspace::Workspace;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// What to do at a step instead of the usual, by step id (give a receipt step a transaction the
/// test made as the Safe app would, say).
pub type Answer<'a> = &'a dyn Fn(&str) -> Option<Act>;

pub struct LibraryWalker<'a> {
    /// The binary's door, for command steps; its operator runs the steps and its approvers
    /// sign off.
    pub cli: Walker<'a>,
    pub answer: Option<Answer<'a>>,
    /// A session per key name, opened and unlocked once.
    sessions: RefCell<BTreeMap<String, std::rc::Rc<Session>>>,
}

impl<'a> LibraryWalker<'a> {
    pub fn new(cli: Walker<'a>, answer: Option<Answer<'a>>) -> Self {
        Self {
            cli,
            answer,
            sessions: RefCell::default(),
        }
    }

    /// The session of the key `name`, unlocked.
    fn session(&self, name: &str) -> std::rc::Rc<Session> {
        let mut sessions = self.sessions.borrow_mut();
        let session = sessions.entry(name.to_owned()).or_insert_with(|| {
            let workspace = Workspace::folder(self.cli.workspace);
            let mut session = Session::open(workspace, name.to_owned()).unwrap();
            session.unlock(super::team::signer(name));
            std::rc::Rc::new(session)
        });
        session.clone()
    }

    /// `drill <id> --network <network> --input …`: starts a drill and returns its run id.
    pub fn start_drill(&self, id: &str, network: &str, inputs: &[(String, String)]) -> String {
        let session = self.session(&self.cli.operator);
        let book = session.runbook(id).unwrap();
        let given = inputs.iter().cloned().collect();
        let run = session
            .start_drill(&book, network, given)
            .unwrap_or_else(|e| panic!("drill {id}: {e}"));
        run.id
    }

    /// Walks `run` of `book` to its end; `choose` answers each decision with an option label.
    /// Returns the ids of the steps visited, in order.
    pub fn walk(&self, book: &Runbook, run: &str, choose: &dyn Fn(&str) -> String) -> Vec<String> {
        let evidence = self.cli.workspace.join("walk-evidence.txt");
        std::fs::write(&evidence, "evidence for the walk\n").unwrap();
        let mut visited = Vec::new();
        for _ in 0..(book.steps.len() * 3 + 5) {
            let state = self.session(&self.cli.operator).open_run(run).unwrap();
            let Some(step) = state.current_step().cloned() else {
                assert!(
                    matches!(state.position, Position::Completed),
                    "run {run}: {:?}",
                    state.position
                );
                return visited;
            };
            visited.push(step.id.clone());
            if let StepAction::Signoff {
                require_fingerprint,
                ..
            } = &step.action
            {
                let fingerprint = require_fingerprint.then(|| self.reviewed_fingerprint(&state));
                for approver in &self.cli.approvers {
                    self.sign_off(approver, run, fingerprint.as_deref());
                }
            }
            let answered = self.answer.and_then(|answer| answer(&step.id));
            let moved = match (&step.action, answered) {
                (
                    StepAction::Command {
                        run: CommandRun::Confirm,
                        ..
                    },
                    None,
                ) => self.command_through_binary(run, &step),
                (_, answered) => self.next(run, &step, answered, &evidence, choose),
            };
            let module_receipt =
                matches!(&step.action, StepAction::Receipt { contract, .. } if contract != "Safe");
            let moved = match moved {
                // What a module receipt step's text asks: skip it when its event is not in this
                // change. A receipt step on the Safe itself is never skipped.
                Err(error)
                    if module_receipt
                        && error.contains("event from")
                        && error.contains("in the receipt") =>
                {
                    self.skip(run, &format!("not in this change: {}", error.trim()))
                }
                moved => moved,
            };
            if let Err(error) = moved {
                panic!(
                    "step `{}` ({}) did not move:\n{error}",
                    step.id,
                    step.action.kind_name()
                );
            }
        }
        panic!("run {run} did not end within the steps it has: {visited:?}");
    }

    /// One step as `run next` does it, with what the CLI walker passes for the step's kind;
    /// an error says what `run next` would have said.
    fn next(
        &self,
        id: &str,
        step: &Step,
        answered: Option<Act>,
        evidence: &std::path::Path,
        choose: &dyn Fn(&str) -> String,
    ) -> Result<(), String> {
        let session = self.session(&self.cli.operator);
        let mut run = session.open_run(id).map_err(|e| e.to_string())?;
        let mut label = None;
        match (&step.action, answered) {
            (_, Some(act)) => self.act(&session, &mut run, act)?,
            (StepAction::Checklist { items }, None) => {
                let unticked: Vec<usize> = (0..items.len())
                    .filter(|i| !run.visit.checked.contains(i))
                    .collect();
                for item in unticked {
                    let event = run.toggle_item(item).map_err(|e| e.to_string())?;
                    record(&session, &mut run, vec![event])?;
                }
            }
            (StepAction::Note { .. }, None) => {
                let event = run
                    .note(&format!("walked: {}", step.id))
                    .map_err(|e| e.to_string())?;
                record(&session, &mut run, vec![event])?;
            }
            (StepAction::Evidence { .. }, None) => {
                self.act(&session, &mut run, Act::Attach(evidence.to_path_buf()))?
            }
            (StepAction::HttpCheck { .. }, None) => self.act(&session, &mut run, Act::CheckHttp)?,
            (StepAction::Receipt { .. }, None) if run.started.mode == Mode::Drill => self.act(
                &session,
                &mut run,
                Act::Receipt(ReceiptFrom::DrillExecution),
            )?,
            (StepAction::Receipt { .. }, None) => self.act(&session, &mut run, Act::RunCommand)?,
            (StepAction::Chaos { .. }, None) => self.act(&session, &mut run, Act::InjectChaos)?,
            (StepAction::Decision { .. }, None) => label = Some(choose(&step.id)),
            _ => {}
        }
        if let Some(still) = steps::still_to_do(&run) {
            self.act(&session, &mut run, still)?;
        }
        let confirm = step.confirm.as_deref();
        let events = match &label {
            Some(label) => run.choose(label, confirm),
            None => run.complete(confirm),
        };
        let events = events.map_err(|e| format!("the step stays open: {e}"))?;
        record(&session, &mut run, events)
    }

    /// Carries out one step action as `run next` does, and records its event.
    fn act(&self, session: &Session, run: &mut Run, act: Act) -> Result<(), String> {
        let prepared = steps::prepare(session, run, act).map_err(|e| e.to_string())?;
        let done = block_on(prepared.execute())
            .unwrap()
            .map_err(|e| e.to_string())?;
        record(session, run, vec![done.event])
    }

    fn skip(&self, id: &str, reason: &str) -> Result<(), String> {
        let session = self.session(&self.cli.operator);
        let mut run = session.open_run(id).map_err(|e| e.to_string())?;
        let events = run.skip(reason).map_err(|e| e.to_string())?;
        record(&session, &mut run, events)
    }

    /// `run next <run> --execute [--confirm WORD]` through the binary, in the stage's
    /// environment.
    fn command_through_binary(&self, run: &str, step: &Step) -> Result<(), String> {
        let mut args = vec!["run", "next", run, "--execute"];
        if let Some(word) = &step.confirm {
            args.extend(["--confirm", word]);
        }
        let moved = self.cli.cli(&self.cli.operator, &args);
        let (out, err) = super::cli::text(&moved);
        moved
            .status
            .success()
            .then_some(())
            .ok_or(format!("{out}\n{err}"))
    }

    /// `run signoff` by the key `name` (with their signature over the run's prepared Safe
    /// transaction, as `run signoff` signs it): an approval already given or one the
    /// approver's roles do not allow is said and left, as the CLI walker leaves it.
    fn sign_off(&self, name: &str, id: &str, fingerprint: Option<&str>) {
        let session = self.session(name);
        let mut run = session.open_run(id).unwrap();
        let address = session.key().unwrap().address().to_checksum(None);
        let operator = session.operators.by_address(&address).unwrap();
        let approver = Approver {
            address: &address,
            name: &operator.name,
            roles: &operator.roles,
        };
        let signed = run
            .sign_off(&approver, fingerprint)
            .map_err(|e| e.to_string())
            .and_then(|signoff| {
                let key = session.key().unwrap();
                owner_console::safe::approval::signed_off(&run, signoff, key)
                    .map_err(|e| e.to_string())
            })
            .and_then(|signoff| record(&session, &mut run, vec![Event::Signoff(signoff)]));
        match signed {
            Err(error) if !error.contains("already") => {
                let at = run.current_step().map(|step| step.id.as_str());
                eprintln!("{name} at {}: {error}", at.unwrap_or("the end"))
            }
            _ => {}
        }
    }

    /// What a reviewer computes on their own machine for the run's last diff step, as
    /// `diff --drill --fingerprint` does: the same network, domains and proposal, against the
    /// drill's sandbox.
    fn reviewed_fingerprint(&self, run: &Run) -> String {
        assert_eq!(
            run.started.mode,
            Mode::Drill,
            "the library walker walks drills"
        );
        let diff = run.history.iter().rev().find_map(|visited| {
            match &run.runbook.step(&visited.step)?.action {
                StepAction::Diff {
                    domains, proposed, ..
                } => Some((domains, proposed)),
                _ => None,
            }
        });
        let (domains, proposed) = diff.expect("a fingerprint sign-off follows a diff step");
        let proposed = proposed.as_ref().map(|template| {
            let filled = run
                .started
                .inputs
                .iter()
                .fold(template.clone(), |p, (k, v)| {
                    p.replace(&format!("{{{{{k}}}}}"), v)
                });
            self.cli.workspace.join(filled)
        });
        let session = self.session(&self.cli.operator);
        let network = &run.started.network;
        let target = Target::sandbox(&session, network).unwrap();
        let live = block_on(owner_console::chain::live::read(&target))
            .unwrap()
            .unwrap();
        let (diff, _, _) = diff_from(
            &session,
            network,
            proposed.as_deref(),
            Against::given(None, Some(&live)),
            domains,
            &|_| false,
        )
        .unwrap_or_else(|e| panic!("the reviewer's diff: {e}"));
        diff.fingerprint
    }
}

fn record(session: &Session, run: &mut Run, events: Vec<Event>) -> Result<(), String> {
    session.record(run, events).map_err(|e| e.to_string())
}
