//! The whole app on ratatui's TestBackend, driven by scripted keys, for insta snapshots. Run
//! ids, times, ages and temporary folder names are filtered out of the snapshots.

use super::workspace as common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use owner_console::session::Session;
use owner_console::tui::app::App;
use owner_console::tui::keymap::Keymap;
use owner_console::tui::theme::Theme;
use owner_console::tui::views;
use owner_console::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// What changes from run to run on screen, and what stands in for it in a snapshot.
pub const FILTERS: [(&str, &str); 8] = [
    (r"r-\d{8}T\d{6}Z-[0-9a-f]{6}", "r-[RUN]"),
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[TIMESTAMP]"),
    (r"in \d+ ms +", "in [N] ms "),
    (r"\d{2}-\d{2} \d{2}:\d{2}", "[TIME]"),
    (r#"\(\d+[dhms]( \d+[hm])? old\)[^"\n]*""#, "([AGE] old)…\""),
    (r"· \.tmp\w+", "· [WS]"),
    // The age's width varies, so the padding after it up to the border goes too.
    (
        r"\b\d+[dhms]( \d+[hm])? old,([^│\n]*?) *│",
        "[AGE] old,${2}│",
    ),
    (r"\b\d+[dhms]( \d+[hm])? old,", "[AGE] old,"),
];

pub struct Harness {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    pub workspace: tempfile::TempDir,
}

impl Harness {
    pub fn new(width: u16, height: u16) -> Self {
        Self::with_colour(width, height, false)
    }

    pub fn with_colour(width: u16, height: u16, colour: bool) -> Self {
        Self::prepared(width, height, colour, |_| {})
    }

    /// The shipped workspace, changed by `prepare` before the console opens it.
    pub fn prepared(
        width: u16,
        height: u16,
        colour: bool,
        prepare: impl FnOnce(&std::path::Path),
    ) -> Self {
        let (mut app, workspace) = shipped_app(colour, prepare);
        app.resize(width, height);
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let mut harness = Self {
            app,
            terminal,
            workspace,
        };
        harness.verify();
        harness
    }

    /// Runs the background verification of the whole ledger, as the console does at start-up.
    pub fn verify(&mut self) -> &mut Self {
        verify(&mut self.app);
        self
    }

    pub fn ledger_file(&self) -> std::path::PathBuf {
        self.workspace.path().join("storage/owner-ledger.jsonl")
    }

    pub fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for code in keys {
            assert!(
                self.app
                    .handle_key(KeyEvent::new(*code, KeyModifiers::NONE))
                    .is_none(),
                "no background task expected"
            );
            self.verify_if_stale();
        }
        self
    }

    /// As the console's loop does after each key and task: the ledger verified again when
    /// entries were recorded since the last verification.
    pub fn verify_if_stale(&mut self) -> &mut Self {
        if let Some(task) = self.app.verify_if_stale() {
            let done = run_task(task);
            self.app.on_task_done(done);
        }
        self
    }

    pub fn typed(&mut self, text: &str) -> &mut Self {
        let codes: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
        self.keys(&codes)
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        assert!(
            self.app
                .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
                .is_none()
        );
        self.verify_if_stale()
    }

    /// Presses a key that starts background work, runs that work, and feeds its result back.
    pub fn key_running_task(&mut self, code: KeyCode) -> &mut Self {
        let task = self
            .app
            .handle_key(KeyEvent::new(code, KeyModifiers::NONE))
            .expect("a background task");
        let done = run_task(task);
        self.app.on_task_done(done);
        self.verify_if_stale()
    }

    pub fn screen(&mut self) -> String {
        self.terminal
            .draw(|frame| views::draw(frame, &self.app))
            .unwrap();
        self.terminal.backend().to_string()
    }

    pub fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self.app.resize(width, height);
        self
    }

    /// Opens the failure-recovery matrix and starts it with an incident id.
    pub fn start_matrix(&mut self) -> &mut Self {
        let keys: Vec<KeyCode> = START_MATRIX.chars().map(key_code).collect();
        self.keys(&keys)
    }
}

/// The keys that open the failure-recovery matrix and start it with an incident id (the form
/// opens on it), `\r` for Enter.
pub const START_MATRIX: &str = "\rINC-42\r";

/// The key a character of a key script stands for.
pub fn key_code(c: char) -> KeyCode {
    match c {
        '\r' => KeyCode::Enter,
        '\t' => KeyCode::Tab,
        c => KeyCode::Char(c),
    }
}

/// The console on a fresh copy of the shipped workspace (changed by `prepare` first), its
/// session unlocked with a key that `config/operators.toml` lists as an operator.
pub fn shipped_app(
    colour: bool,
    prepare: impl FnOnce(&std::path::Path),
) -> (App, tempfile::TempDir) {
    let workspace = common::shipped_workspace();
    prepare(workspace.path());
    let key =
        alloy_signer_local::PrivateKeySigner::from_bytes(&alloy_primitives::B256::repeat_byte(7))
            .unwrap();
    let operators = format!(
        "[[operators]]\nname = \"alice\"\naddress = \"{}\"\nroles = [\"operator\"]\n",
        key.address().to_checksum(None)
    );
    let listed = workspace.path().join("config/operators.toml");
    let shipped = std::fs::read_to_string(&listed).unwrap();
    std::fs::write(listed, shipped + &operators).unwrap();
    (app_on(workspace.path(), key, colour), workspace)
}

/// The console on the workspace in `folder` as it is (a new start), its session unlocked
/// with `key`.
pub fn app_on(
    folder: &std::path::Path,
    key: alloy_signer_local::PrivateKeySigner,
    colour: bool,
) -> App {
    let mut session = Session::open(Workspace::folder(folder), "nobody".into()).unwrap();
    session.unlock(key);
    App::new(
        session,
        Keymap::default(),
        Theme::new(colour, &Default::default()).unwrap(),
    )
}

/// Runs the background verification of the whole ledger, as the console does at start-up.
pub fn verify(app: &mut App) {
    let task = app.verify_task();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let done = runtime.block_on(task.execute());
    app.on_task_done(done);
}

/// Runs one background task to its end, as the console's loop would.
pub fn run_task(task: owner_console::tui::task::Task) -> owner_console::tui::task::TaskDone {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(task.execute())
}
