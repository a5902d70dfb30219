//! Ledgers of known runs written with chosen times, for the metrics tests.

use alloy_primitives::B256;
use alloy_signer_local::PrivateKeySigner;
use jiff::Timestamp;
use owner_console::engine::{Event, Mode, RunStarted, Signoff};
use owner_console::ledger::attestation::Attestation;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::entry::{Entry, GENESIS};
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

pub const MINUTE: i64 = 60;
pub const DAY: i64 = 86_400;

pub fn time(seconds: i64) -> String {
    Timestamp::from_second(seconds).unwrap().to_string()
}

/// Writes runs into a workspace's ledger with chosen times, or (buffered) keeps the entries
/// for [`write_fee_updates`] to write in one go.
pub struct Writer {
    pub session: Session,
    pub key: PrivateKeySigner,
    buffer: Option<RefCell<Vec<(String, String, Event)>>>,
}

/// The address of the well-known test key `0x…03`, Bob the approver here (the shipped
/// `config/operators.toml` lists it as `example-approver`).
const BOB: &str = "0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69";

fn list_writer(workspace: &Path, key: &PrivateKeySigner) {
    let path = workspace.join("config/operators.toml");
    let address = key.address().to_checksum(None);
    let listed = std::fs::read_to_string(&path).unwrap_or_default();
    let mut entry = String::new();
    if !listed.contains(&address) {
        entry += &format!(
            "\n[[operators]]\nname = \"writer\"\naddress = \"{address}\"\nroles = [\"operator\"]\n"
        );
    }
    if !listed.contains(BOB) {
        entry += &format!(
            "\n[[operators]]\nname = \"bob\"\naddress = \"{BOB}\"\nroles = [\"approver\"]\n"
        );
    }
    if !entry.is_empty() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, listed + &entry).unwrap();
    }
}

impl Writer {
    /// A writer whose key is listed in the workspace's operators, as a real operator's is:
    /// entries by an unlisted signer move no run and count in no metric.
    pub fn new(workspace: &Path) -> Self {
        let key = super::workspace::TEST_KEY.clone();
        list_writer(workspace, &key);
        Self {
            session: Session::open(Workspace::folder(workspace), "tester".into()).unwrap(),
            key,
            buffer: None,
        }
    }

    /// A writer that keeps each (run, time, event) instead of appending it.
    #[allow(dead_code)] // Only benches/startup.rs writes buffered.
    pub fn buffered(session: Session, key: PrivateKeySigner) -> Self {
        Self {
            session,
            key,
            buffer: Some(RefCell::new(Vec::new())),
        }
    }

    pub fn at(&self, run: &str, at: i64, event: Event) {
        if let Some(buffer) = &self.buffer {
            buffer.borrow_mut().push((run.to_owned(), time(at), event));
            return;
        }
        self.session
            .ledger()
            .append(run, &time(at), vec![event], &self.key)
            .unwrap();
    }

    #[allow(dead_code)] // Only benches/startup.rs writes buffered.
    fn buffered_len(&self) -> usize {
        self.buffer.as_ref().map_or(0, |b| b.borrow().len())
    }

    pub fn start(&self, run: &str, runbook: &str, mode: Mode, at: i64) {
        self.at(run, at, self.started(runbook, mode));
    }

    fn started(&self, runbook: &str, mode: Mode) -> Event {
        let book = self.session.runbook(runbook).unwrap();
        Event::RunStarted(RunStarted {
            runbook: book.id.clone(),
            version: book.version.clone(),
            path: book.path.display().to_string(),
            sha256: book.sha256.clone(),
            title: book.title.clone(),
            inputs: Default::default(),
            network: "demo".into(),
            chain_id: Some(31337),
            mode,
            operator: "tester".into(),
        })
    }

    /// `runs` runs of the failure-recovery matrix of ten entries each (started, eight ticks on
    /// and off at `stabilise`, aborted), one append and so one fsync per run, a minute apart
    /// from `start`. Run ids are `r-big-00000`…
    pub fn ticked_and_aborted_runs(&self, runs: usize, start: i64) {
        for index in 0..runs {
            let run = format!("r-big-{index:05}");
            let mut events = vec![self.started("failure-recovery-matrix", Mode::Offline)];
            events.extend((0..8).map(|tick| Event::ItemChecked {
                step: "stabilise".into(),
                item: tick / 2,
                checked: tick % 2 == 0,
            }));
            events.push(Event::RunAborted {
                reason: format!("load test {index}"),
            });
            let at = time(start + MINUTE * i64::try_from(index).unwrap());
            self.session
                .ledger()
                .append(&run, &at, events, &self.key)
                .unwrap();
        }
    }

    pub fn done(&self, run: &str, step: &str, at: i64) {
        let step = step.to_owned();
        self.at(run, at, Event::StepCompleted { step });
    }

    pub fn chose(&self, run: &str, step: &str, option: &str, goto: &str, at: i64) {
        let (step, option, goto) = (step.into(), option.into(), goto.into());
        self.at(run, at, Event::BranchChosen { step, option, goto });
    }

    /// Bob's approval, attested with his own key (the well-known test key `0x…03`, listed
    /// as an approver) and recorded by the writer, as `run signoff --import` does.
    pub fn signoff(&self, run: &str, step: &str, at: i64) {
        let bob = PrivateKeySigner::from_bytes(&B256::with_last_byte(3)).unwrap();
        let signoff = Signoff {
            step: step.into(),
            approver: bob.address().to_checksum(None),
            name: "bob".into(),
            roles: vec!["approver".into()],
            subject: "0".repeat(64),
            fingerprint: None,
            attestation_sig: None,
            attested_at: None,
            safe_tx: None,
        };
        let attested = Attestation::sign(run, &signoff, &time(at), &bob)
            .and_then(Attestation::into_signoff)
            .unwrap();
        self.at(run, at, Event::Signoff(attested));
    }

    pub fn completed(&self, run: &str, at: i64) {
        self.at(run, at, Event::RunCompleted {});
    }

    pub fn aborted(&self, run: &str, at: i64) {
        let reason = "wrong window".into();
        self.at(run, at, Event::RunAborted { reason });
    }

    /// A fee update: four steps, then the sign-off after `wait` seconds there (when given),
    /// then the execution window and, when `duration` is given, the rest up to the end.
    pub fn fee_update(&self, run: &str, start: i64, wait: Option<i64>, duration: Option<i64>) {
        self.start(run, "fee-update", Mode::Offline, start);
        for (step, minute) in [
            ("change-brief", 1),
            ("quorum-deadline", 2),
            ("config-lint", 3),
            ("diff-dry-run", 5),
        ] {
            self.done(run, step, start + minute * MINUTE);
        }
        let Some(wait) = wait else {
            self.aborted(run, start + 15 * MINUTE);
            return;
        };
        let arrived = start + 5 * MINUTE;
        self.signoff(run, "independent-review", arrived + wait - 10);
        self.done(run, "independent-review", arrived + wait);
        let Some(duration) = duration else { return };
        self.chose(
            run,
            "execution-window",
            "Open",
            "safe-batch",
            arrived + wait + 30,
        );
        self.done(run, "safe-batch", arrived + wait + 60);
        self.done(run, "health-check", start + duration);
        self.completed(run, start + duration);
    }

    /// The failure-recovery matrix down the high-severity branch to a rollback.
    pub fn rollback_incident(&self, run: &str, mode: Mode, start: i64, duration: i64) {
        self.start(run, "failure-recovery-matrix", mode, start);
        self.done(run, "stabilise", start + MINUTE);
        self.chose(
            run,
            "triage",
            "High",
            "incident-response",
            start + 2 * MINUTE,
        );
        self.done(run, "incident-response", start + 5 * MINUTE);
        self.chose(
            run,
            "response",
            "Roll back",
            "rollback-prepare",
            start + 6 * MINUTE,
        );
        self.done(run, "rollback-prepare", start + duration);
        self.completed(run, start + duration);
    }
}

/// Ten runs around `now`: five fee updates (three completed, one aborted, one waiting after
/// its sign-off), a restore, an incident rolled back, the same as a drill, an aborted pause,
/// and a quarterly drill 100 days ago.
pub fn known_runs(workspace: &Path, now: i64) {
    let w = Writer::new(workspace);
    w.fee_update("r-01", now - 60 * DAY, Some(30 * MINUTE), Some(3000));
    w.fee_update("r-02", now - 30 * DAY, Some(10 * MINUTE), Some(4200));
    w.fee_update("r-03", now - 20 * DAY, None, None);
    w.fee_update("r-04", now - 10 * DAY, Some(5 * MINUTE), Some(1441));
    w.fee_update("r-05", now - 5 * DAY, Some(20 * MINUTE), None);
    w.start(
        "r-06",
        "restore-config-snapshot",
        Mode::Offline,
        now - 15 * DAY,
    );
    w.done("r-06", "confirm-snapshot", now - 15 * DAY + 60);
    w.completed("r-06", now - 15 * DAY + 600);
    w.rollback_incident("r-07", Mode::Live, now - 25 * DAY, 2400);
    w.rollback_incident("r-08", Mode::Drill, now - 3 * DAY, 900);
    w.start("r-09", "pause-job-intake", Mode::Live, now - 12 * DAY);
    w.aborted("r-09", now - 12 * DAY + 300);
    w.start(
        "r-10",
        "quarterly-incident-drill",
        Mode::Offline,
        now - 100 * DAY,
    );
    w.completed("r-10", now - 100 * DAY + 1800);
    w.session.ledger().checkpoint(&time(now), &w.key).unwrap();
}

/// Writes a ledger of `count` entries into `path` (which must not exist yet): incidents rolled
/// back and aborted fee updates in turn (no sign-offs, so one operator's key signs them all),
/// the last run cut off where the count ends (so it is unfinished).
/// The entries are signed and chained as `append` chains them and written with one fsync,
/// followed by a checkpoint of the last entry; the session gives the runbooks (their SHA-256)
/// and `key` signs, so the ledger verifies when `key` is a listed operator.
#[allow(dead_code)] // benches/startup.rs writes its big ledger with it.
pub fn write_runs(session: Session, key: PrivateKeySigner, path: &Path, count: usize) {
    let writer = Writer::buffered(session, key);
    let start = 1_700_000_000;
    let mut run = 0;
    while writer.buffered_len() < count {
        run += 1;
        let (id, at) = (format!("r-{run:06}"), start + run * DAY / 4);
        if run % 2 == 0 {
            writer.fee_update(&id, at, None, None);
        } else {
            writer.rollback_incident(&id, Mode::Offline, at, 1800);
        }
    }
    let events = writer.buffer.unwrap().into_inner();
    let mut bytes = Vec::new();
    let mut prev = GENESIS.to_owned();
    let mut last = None;
    for (seq, (run, time, event)) in events.into_iter().take(count).enumerate() {
        let entry = Entry::signed(seq as u64, &time, &run, event, &prev, &writer.key).unwrap();
        serde_json::to_writer(&mut bytes, &entry).unwrap();
        bytes.push(b'\n');
        prev = entry.hash.clone();
        last = Some(entry);
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut file = std::fs::File::create_new(path).unwrap();
    file.write_all(&bytes).unwrap();
    file.sync_all().unwrap();
    let last = last.expect("at least one entry");
    let checkpoint_path = owner_console::ledger::Ledger::new(path.to_path_buf()).checkpoint_path();
    Checkpoint::of(&last, &last.time, &writer.key)
        .unwrap()
        .write(&checkpoint_path, true)
        .unwrap();
}
