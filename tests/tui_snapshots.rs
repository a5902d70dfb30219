//! The whole app on ratatui's TestBackend after scripted keys, snapshotted with insta. Run
//! ids, times, ages and temporary folder names are filtered out.

mod support;

use support::workspace as common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use owner_console::session::Session;
use owner_console::tui::app::App;
use owner_console::tui::keymap::Keymap;
use owner_console::tui::theme::Theme;
use owner_console::tui::views;
use owner_console::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Harness {
    app: App,
    terminal: Terminal<TestBackend>,
    _workspace: tempfile::TempDir,
}

impl Harness {
    fn new(width: u16, height: u16) -> Self {
        Self::with_colour(width, height, false)
    }

    fn with_colour(width: u16, height: u16, colour: bool) -> Self {
        let workspace = common::shipped_workspace();
        let key = alloy_signer_local::PrivateKeySigner::from_bytes(
            &alloy_primitives::B256::repeat_byte(7),
        )
        .unwrap();
        let operators = format!(
            "[[operators]]\nname = \"alice\"\naddress = \"{}\"\nroles = [\"operator\"]\n",
            key.address().to_checksum(None)
        );
        let listed = workspace.path().join("config/operators.toml");
        let shipped = std::fs::read_to_string(&listed).unwrap();
        std::fs::write(listed, shipped + &operators).unwrap();
        let mut session =
            Session::open(Workspace::folder(workspace.path()), "nobody".into()).unwrap();
        session.unlock(key);
        let app = App::new(
            session,
            Keymap::default(),
            Theme::new(colour, &Default::default()).unwrap(),
        );
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let mut harness = Self {
            app,
            terminal,
            _workspace: workspace,
        };
        harness.verify();
        harness
    }

    /// Runs the background verification of the whole ledger, as the console does at start-up.
    fn verify(&mut self) -> &mut Self {
        let task = self.app.verify_task();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let done = runtime.block_on(task.execute());
        self.app.on_task_done(done);
        self
    }

    fn ledger_file(&self) -> std::path::PathBuf {
        self._workspace.path().join("storage/owner-ledger.jsonl")
    }

    fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for code in keys {
            assert!(
                self.app
                    .handle_key(KeyEvent::new(*code, KeyModifiers::NONE))
                    .is_none(),
                "no background task expected"
            );
        }
        self
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        let codes: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
        self.keys(&codes)
    }

    fn ctrl(&mut self, c: char) -> &mut Self {
        assert!(
            self.app
                .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
                .is_none()
        );
        self
    }

    /// Presses a key that starts background work, runs that work, and feeds its result back.
    fn key_running_task(&mut self, code: KeyCode) -> &mut Self {
        let task = self
            .app
            .handle_key(KeyEvent::new(code, KeyModifiers::NONE))
            .expect("a background task");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let done = runtime.block_on(task.execute());
        self.app.on_task_done(done);
        self
    }

    fn screen(&mut self) -> String {
        self.terminal
            .draw(|frame| views::draw(frame, &self.app))
            .unwrap();
        self.terminal.backend().to_string()
    }

    fn resize(&mut self, width: u16, height: u16) -> &mut Self {
        self.terminal.backend_mut().resize(width, height);
        self
    }

    /// Opens the failure-recovery matrix and starts it with an incident id.
    fn start_matrix(&mut self) -> &mut Self {
        self.keys(&[KeyCode::Enter, KeyCode::Tab])
            .typed("INC-42")
            .keys(&[KeyCode::Enter])
    }
}

macro_rules! snapshot {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({ filters => vec![
            (r"r-\d{8}T\d{6}Z-[0-9a-f]{6}", "r-[RUN]"),
            (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "[TIMESTAMP]"),
            (r"in \d+ ms +", "in [N] ms "),
            (r"\d{2}-\d{2} \d{2}:\d{2}", "[TIME]"),
            (r#"\(\d+[dhms]( \d+[hm])? old\)[^"\n]*""#, "([AGE] old)…\""),
            (r"· \.tmp\w+", "· [WS]"),
        ]}, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

use KeyCode::{Down, Enter, Esc, Tab};

#[test]
fn start_screen() {
    let mut h = Harness::new(80, 24);
    snapshot!("start_screen", h.screen());
    h.keys(&[KeyCode::Char('/')]).typed("pause");
    snapshot!("start_screen_filtered", h.screen());
}

#[test]
fn start_form() {
    let mut h = Harness::new(80, 24);
    h.keys(&[Enter]);
    snapshot!("start_form", h.screen());
    h.keys(&[Enter]);
    snapshot!("start_form_missing_input", h.screen());
}

#[test]
fn walking_the_high_branch() {
    let mut h = Harness::new(80, 24);
    h.start_matrix();
    snapshot!("run_first_step", h.screen());
    h.keys(&[KeyCode::Char(' '), Down, KeyCode::Char(' ')]);
    snapshot!("run_two_ticked", h.screen());
    h.keys(&[Enter]);
    snapshot!("run_blocked_enter", h.screen());
    h.keys(&[
        Down,
        KeyCode::Char(' '),
        Down,
        KeyCode::Char(' '),
        Enter,
        Down,
        Down,
    ]);
    snapshot!("run_triage_high_selected", h.screen());
    h.keys(&[Enter]);
    snapshot!("run_after_high", h.screen());
    h.keys(&[KeyCode::Char('f')]);
    snapshot!("flowchart_after_high", h.screen());
}

#[test]
fn help_lists_every_binding() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char('?')]);
    let first = h.screen();
    let mut screen = first.clone();
    for _ in 0..40 {
        screen.push_str(&h.keys(&[Down]).screen());
    }
    for binding in &Keymap::default().bindings {
        if binding.context != owner_console::tui::keymap::Context::Flowchart {
            assert!(
                screen.contains(binding.description),
                "help shows `{}`",
                binding.description
            );
        }
    }
    snapshot!("help", first);
}

#[test]
fn skip_asks_for_a_reason_and_abort_for_the_word() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char('s')]);
    snapshot!("skip_prompt", h.screen());
    h.typed("facts already known").keys(&[Enter]);
    snapshot!("after_skip", h.screen());
    h.keys(&[KeyCode::Char('A')])
        .typed("drill over")
        .keys(&[Enter]);
    snapshot!("abort_confirm", h.screen());
    h.typed("abrt").keys(&[Enter]);
    snapshot!("abort_confirm_wrong_word", h.screen());
}

#[test]
fn small_and_too_small_terminals() {
    let mut h = Harness::new(60, 20);
    h.start_matrix();
    snapshot!("run_60x20", h.screen());
    h.resize(50, 15);
    snapshot!("too_small", h.screen());
    h.resize(80, 24);
    assert!(
        h.screen().contains("stabilise"),
        "a resize back redraws the run"
    );
}

#[test]
fn resuming_from_the_start_screen() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char(' '), Esc]);
    snapshot!("start_screen_with_unfinished_run", h.screen());
    h.keys(&[Enter]);
    let screen = h.screen();
    assert!(screen.contains("[x] I know which alert fired"), "{screen}");
}

#[test]
fn a_command_runs_only_after_its_confirmation_and_its_result_gates_the_step() {
    let mut h = Harness::new(80, 24);
    h.keys(&[KeyCode::Char('/')])
        .typed("fee")
        .keys(&[Enter, Enter, Tab])
        .typed("3")
        .keys(&[Tab])
        .typed("5")
        .keys(&[Enter]);
    h.keys(&[KeyCode::Char('n')])
        .typed("Burn 2 -> 3, fee 5 stays.")
        .ctrl('s');
    snapshot!("note_recorded", h.screen());
    h.keys(&[Enter]);
    for _ in 0..4 {
        h.keys(&[KeyCode::Char(' '), Down]);
    }
    h.keys(&[Enter, KeyCode::Char('x')]);
    snapshot!("command_confirm", h.screen());
    let wrong = h.typed("yes").keys(&[Enter]).screen();
    assert!(wrong.contains("type `run` exactly"), "{wrong}");
    for _ in 0..3 {
        h.keys(&[KeyCode::Backspace]);
    }
    h.typed("run").key_running_task(Enter);
    snapshot!("command_passed", h.screen());
    h.keys(&[Enter]);
    assert!(
        h.screen().contains("diff-dry-run"),
        "the passing command let the run move on"
    );
}

#[test]
fn the_ledger_view_lists_entries_and_shows_one_in_full() {
    let mut h = Harness::new(80, 24);
    h.start_matrix()
        .keys(&[KeyCode::Char(' '), KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(screen.contains("✓ VERIFIED"), "{screen}");
    snapshot!("ledger_run", screen);
    h.keys(&[Enter]);
    let entry = h.screen();
    assert!(
        entry.contains("signed by alice (operator)")
            && entry.contains("\"type\": \"item-checked\""),
        "{entry}"
    );
    h.keys(&[Esc, KeyCode::Char('t')]);
    assert!(h.screen().contains("Ledger: all entries"));
}

#[test]
fn a_tampered_ledger_shows_as_failed() {
    let mut h = Harness::new(80, 24);
    h.start_matrix().keys(&[KeyCode::Char(' '), Esc]);
    let path = h.ledger_file();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"item\":0", "\"item\":1", 1)).unwrap();
    h.verify();
    let screen = h.screen();
    assert!(screen.contains("ledger ✗ FAILED"), "{screen}");
    h.keys(&[KeyCode::Char('l')]);
    let screen = h.screen();
    assert!(
        screen.contains("✗ VERIFY FAILED: seq 1 (line 2): edited"),
        "{screen}"
    );
}

/// Walks the fee update to its diff step and computes the diff there.
fn fee_update_diff(h: &mut Harness) -> String {
    h.keys(&[KeyCode::Char('/')])
        .typed("fee")
        .keys(&[Enter, Enter, Tab])
        .typed("3")
        .keys(&[Tab])
        .typed("5")
        .keys(&[Enter]);
    h.keys(&[KeyCode::Char('n')])
        .typed("Burn 2 -> 3.")
        .ctrl('s')
        .keys(&[Enter]);
    for _ in 0..4 {
        h.keys(&[KeyCode::Char(' '), Down]);
    }
    h.keys(&[Enter, KeyCode::Char('x')])
        .typed("run")
        .key_running_task(Enter)
        .keys(&[Enter, KeyCode::Char('x')]);
    h.screen()
}

#[test]
fn the_diff_step_shows_each_change_with_its_badge() {
    let mut h = Harness::new(80, 24);
    let screen = fee_update_diff(&mut h);
    assert!(
        screen.contains("[FINANCIAL] FeePool.burnPct 2% → 3%"),
        "{screen}"
    );
    assert!(
        !screen.contains("EnergyOracle"),
        "the step's domains = [\"fees\"] leave the signer change out: {screen}"
    );
    insta::with_settings!({ filters => vec![(r"r-\d{8}T\d{6}Z-[0-9a-f]{6}", "r-[RUN]"), (r"fingerprint [0-9a-f]{64}", "fingerprint [FP]"), (r#"\(\d+[dhms]( \d+[hm])? old\)[^"\n]*""#, "([AGE] old)…\""), (r"· \.tmp\w+", "· [WS]"), (r"of \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "of [TIME]")]}, {
        insta::assert_snapshot!("diff_step", screen);
    });
    h.keys(&[Enter]);
    assert!(
        h.screen().contains("independent-review"),
        "the computed diff lets the run move on"
    );
}

#[test]
fn risk_badges_are_coloured_only_when_colour_is_on() {
    let badge_colour = |colour: bool| {
        let mut h = Harness::with_colour(80, 24, colour);
        fee_update_diff(&mut h);
        let buffer = h.terminal.backend().buffer().clone();
        let area = buffer.area;
        (0..area.height)
            .flat_map(|y| (0..area.width).map(move |x| (x, y)))
            .find(|&(x, y)| {
                buffer[(x, y)].symbol() == "["
                    && buffer[(x + 1, y)].symbol() == "F"
                    && buffer[(x + 2, y)].symbol() == "I"
            })
            .map(|(x, y)| buffer[(x, y)].fg)
            .expect("a [FINANCIAL] badge on screen")
    };
    assert_eq!(badge_colour(true), ratatui::style::Color::Yellow);
    assert_eq!(badge_colour(false), ratatui::style::Color::Reset);
}
