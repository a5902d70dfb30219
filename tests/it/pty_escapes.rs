//! Nothing raw reaches a terminal: escape sequences (ESC[2J, OSC 52 that writes the
//! clipboard, OSC 0 that sets the title) and a bidi override (U+202E) put into runbook fields,
//! a file name, run inputs on the command line, a Safe batch, a config file and a node's
//! answer reach the real binary's pseudo-terminal, through every text output of the command
//! forms and through the console, only as visible text: the raw bytes the pty received hold
//! none of them.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, contains_bytes, keys};
use crate::support::run_view::journal_entries;
use std::time::Duration;

/// The payload as TOML writes it (TOML strings cannot hold control characters raw).
const PAYLOAD_TOML: &str =
    r"\u001b[2J\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b]0;pwned\u0007\u202Eevil";
/// The same payload as bytes.
const PAYLOAD: &str = "\x1b[2J\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;pwned\x07\u{202e}evil";
/// How the payload's OSC 52 shows once made harmless: its ESC as text.
const SHOWN: &str = r"\x1b]52;c;ZWNobyBwd25lZA==";

/// What must never reach the terminal from a command form (which writes no colour at all).
const RAW: [(&str, &[u8]); 7] = [
    ("ESC", b"\x1b"),
    ("BEL", b"\x07"),
    ("C1 CSI", "\u{9b}".as_bytes()),
    ("C1 OSC", "\u{9d}".as_bytes()),
    ("RLO U+202E", "\u{202e}".as_bytes()),
    ("LRI U+2066", "\u{2066}".as_bytes()),
    ("PDI U+2069", "\u{2069}".as_bytes()),
];

fn hostile_runbook() -> String {
    format!(
        r#"
id = "hostile"
title = "Hostile title {p}"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "Summary {p}"
networks = ["demo"]

[[inputs]]
name = "label"
type = "string"
description = "Input {p}"

[[steps]]
id = "tick"
title = "Step title {p}"
body = "Body {p}"
kind = "checklist"
items = ["Item {p}"]

[[steps]]
id = "echo"
title = "Echo {p}"
kind = "command"
run = "confirm"
command = "printf '%s\\n' {{{{label}}}} 'Command {p}'"
timeout_secs = 5
"#,
        p = PAYLOAD_TOML
    )
}

/// A runbook whose file name carries the payload, whose step kind is the payload.
fn broken_runbook() -> String {
    format!(
        r#"
id = "broken"
title = "Broken"
kind = "update"
summary = "x"
networks = ["demo"]

[[steps]]
id = "one"
title = "One"
kind = "kind {PAYLOAD_TOML}"
"#
    )
}

/// A Safe batch whose description is the payload.
fn hostile_batch() -> String {
    let description = serde_json::to_string(&format!("Description {PAYLOAD}")).unwrap();
    format!(
        r#"{{"version":"1.0","chainId":"1","createdAt":1761326849944,"meta":{{"name":"Batch","description":{description},"txBuilderVersion":"1.18.2","createdFromSafeAddress":"0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6","createdFromOwnerAddress":""}},"transactions":[{{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","value":"0","data":null,"contractMethod":{{"inputs":[{{"internalType":"address","name":"spender","type":"address"}},{{"internalType":"uint256","name":"value","type":"uint256"}}],"name":"approve","payable":false}},"contractInputsValues":{{"spender":"0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8","value":"100000000000"}}}}]}}"#
    )
}

/// Runs a command form in a pty; returns everything it wrote there, raw.
fn in_pty(sandbox: &Sandbox, args: &[&str], vars: &[(&str, &str)]) -> Vec<u8> {
    let mut command = sandbox.command(args);
    for (name, value) in vars {
        command.env(name, value);
    }
    let mut app = PtyApp::spawn(command, 200, 60);
    app.wait_exit(Duration::from_secs(30));
    app.raw_output()
}

/// What must never reach the terminal from output in colour (the diff's): the payload's
/// sequences, BEL, C1 and bidi controls, but not ESC itself.
const RAW_BESIDE_COLOUR: [(&str, &[u8]); 5] = [
    ("ESC[2J", b"\x1b[2J"),
    ("OSC", b"\x1b]"),
    ("BEL", b"\x07"),
    ("C1 CSI", "\u{9b}".as_bytes()),
    ("RLO U+202E", "\u{202e}".as_bytes()),
];

/// Nothing of `forbidden` is in `raw`, and `shown` (the payload as visible text) is.
fn assert_none_of(forbidden: &[(&str, &[u8])], what: &str, raw: &[u8], shown: Option<&str>) {
    let text = String::from_utf8_lossy(raw);
    for (name, bytes) in forbidden {
        assert!(
            !contains_bytes(raw, bytes),
            "{what}: {name} reached the terminal raw:\n{text}"
        );
    }
    if let Some(shown) = shown {
        assert!(
            text.contains(shown),
            "{what}: the payload shows as visible text {shown:?}:\n{text}"
        );
    }
}

/// Nothing of [`RAW`] is in `raw`, and the payload shows as text where `shows` says it does.
fn assert_nothing_raw(what: &str, raw: &[u8], shows: bool) {
    assert_none_of(&RAW, what, raw, shows.then_some(SHOWN));
}

/// The id of the run that `run start` printed (`run r-… — title on network`).
fn run_id(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.split_whitespace()
        .find(|word| word.starts_with("r-"))
        .unwrap_or_else(|| panic!("no run id in: {text}"))
        .to_owned()
}

#[test]
fn runbook_fields_and_inputs_reach_the_command_forms_only_as_visible_text() {
    let sandbox = Sandbox::listed();
    let runbooks = sandbox.workspace().join("runbooks/update");
    std::fs::write(runbooks.join("hostile.toml"), hostile_runbook()).unwrap();
    let input = format!("label=Input {PAYLOAD}");
    let cli = |args: &[&str]| in_pty(&sandbox, args, &[]);

    let shown = cli(&["show", "hostile"]);
    assert_nothing_raw("show", &shown, true);
    let text = String::from_utf8_lossy(&shown);
    for field in [
        "Hostile title",
        "Summary",
        "Input",
        "Step title",
        "Body",
        "Item",
        "Echo",
        "Command",
    ] {
        assert!(
            text.contains(&format!("{field} \\x1b[2J\\x1b]52")),
            "show prints the {field} visibly:\n{text}"
        );
    }

    let started = cli(&[
        "run",
        "start",
        "hostile",
        "--network",
        "demo",
        "--input",
        &input,
    ]);
    assert_nothing_raw("run start", &started, true);
    let run = run_id(&started);
    let next = cli(&["run", "next", &run, "--check", "all"]);
    assert_nothing_raw("run next", &next, true);
    assert!(
        String::from_utf8_lossy(&next).contains("ready to copy"),
        "the command with its input is shown: {}",
        String::from_utf8_lossy(&next)
    );
    let status = cli(&["run", "status", &run]);
    assert_nothing_raw("run status", &status, true);
    let executed = cli(&["run", "next", &run, "--execute"]);
    assert_nothing_raw("run next --execute", &executed, true);
    let ran = journal_entries(&sandbox.journal())
        .into_iter()
        .find(|e| e["type"] == "command-ran")
        .expect("the command ran");
    assert!(
        ran["body"]["stdout"]
            .as_str()
            .is_some_and(|out| out.contains("Input \u{1b}[2J")),
        "the ledger keeps the output exact (JSON escapes it): {ran}"
    );

    let markdown = cli(&["report", "--markdown"]);
    assert_nothing_raw("report --markdown", &markdown, true);
    let listed = cli(&["run", "list"]);
    assert_nothing_raw("run list", &listed, false);

    let unknown = cli(&["run", "status", &format!("r-{PAYLOAD}")]);
    assert_nothing_raw("an error printed by main", &unknown, true);
    let no_equals_sign = PAYLOAD.replace('=', "");
    let not_a_pair = cli(&[
        "run",
        "start",
        "hostile",
        "--network",
        "demo",
        "--input",
        &no_equals_sign,
    ]);
    assert_none_of(
        &RAW,
        "a command-line parsing error",
        &not_a_pair,
        Some(r"is not NAME=VALUE"),
    );
    // clap drops the escape sequences from the value it quotes; the bidi override shows.
    assert_none_of(&RAW, "", &not_a_pair, Some(r"\u{202e}evil"));
}

#[test]
fn a_hostile_file_name_and_field_reach_validate_and_run_list_only_as_visible_text() {
    let sandbox = Sandbox::listed();
    let runbooks = sandbox.workspace().join("runbooks/update");
    let named = runbooks.join(format!("named{PAYLOAD}.toml"));
    std::fs::write(
        &named,
        hostile_runbook().replace("\"hostile\"", "\"named\""),
    )
    .unwrap();
    let cli = |args: &[&str]| in_pty(&sandbox, args, &[]);

    let started = cli(&[
        "run",
        "start",
        "named",
        "--network",
        "demo",
        "--input",
        "label=x",
    ]);
    assert_nothing_raw("run start", &started, true);
    let mut changed = std::fs::read_to_string(&named).unwrap();
    changed.push_str("\n# changed while the run was open\n");
    std::fs::write(&named, changed).unwrap();
    let listed = cli(&["run", "list"]);
    assert_nothing_raw("run list with a problem naming the file", &listed, true);

    let broken = runbooks.join(format!("broken{PAYLOAD}.toml"));
    std::fs::write(&broken, broken_runbook()).unwrap();
    let checked = cli(&["validate", broken.to_str().unwrap()]);
    assert_nothing_raw("validate errors", &checked, true);
    assert!(
        String::from_utf8_lossy(&checked).contains("unknown step kind"),
        "{}",
        String::from_utf8_lossy(&checked)
    );
}

#[test]
fn a_batch_a_config_file_and_a_nodes_answer_reach_the_command_forms_only_as_visible_text() {
    let sandbox = Sandbox::listed();
    let batch = sandbox.workspace().join("hostile-batch.json");
    std::fs::write(&batch, hostile_batch()).unwrap();
    let shown = in_pty(&sandbox, &["batch", "show", batch.to_str().unwrap()], &[]);
    assert_nothing_raw("batch show", &shown, true);

    let config = sandbox
        .workspace()
        .join("config/identity-registry.demo.json");
    let hostile = std::fs::read_to_string(&config).unwrap().replace(
        "\"beta.agent.ci.agi.eth\"",
        &serde_json::to_string(&format!("beta {PAYLOAD}")).unwrap(),
    );
    std::fs::write(&config, hostile).unwrap();
    let plain = in_pty(
        &sandbox,
        &["diff", "--network", "demo", "--color", "never"],
        &[],
    );
    assert_nothing_raw("diff", &plain, true);
    let coloured = in_pty(&sandbox, &["diff", "--network", "demo"], &[]);
    assert_none_of(&RAW_BESIDE_COLOUR, "diff in colour", &coloured, Some(SHOWN));
    assert!(
        contains_bytes(&coloured, b"\x1b[38;5;"),
        "the diff keeps its colours: {}",
        String::from_utf8_lossy(&coloured)
    );

    let answer: &'static str = Box::leak(
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": 0,
            "error": { "code": -32000, "message": format!("node says {PAYLOAD}") }
        })
        .to_string()
        .into_boxed_str(),
    );
    let port = crate::support::workspace::serve(200, answer, 8);
    let url = format!("http://127.0.0.1:{port}/");
    let status = in_pty(
        &sandbox,
        &["chain", "status", "--network", "demo"],
        &[("OWNER_CONSOLE_DEMO_RPC_URL", &url)],
    );
    assert_nothing_raw("chain status", &status, true);
    assert!(
        String::from_utf8_lossy(&status).contains("node says"),
        "the node's answer is shown: {}",
        String::from_utf8_lossy(&status)
    );
}

#[test]
fn the_console_writes_no_osc_and_no_bidi_control_from_a_runbook() {
    let sandbox = Sandbox::listed();
    let runbooks = sandbox.workspace().join("runbooks/update");
    std::fs::write(runbooks.join("hostile.toml"), hostile_runbook()).unwrap();
    let input = format!("label=Input {PAYLOAD}");
    let started = sandbox.cli(&[
        "run",
        "start",
        "hostile",
        "--network",
        "demo",
        "--input",
        &input,
    ]);
    assert!(started.status.success(), "{started:?}");

    let mut app = PtyApp::spawn(sandbox.command(&[]), 120, 40);
    app.wait_for("Unfinished runs", TIMEOUT);
    app.send(keys::ENTER);
    app.wait_for("Step title", TIMEOUT);
    app.send(keys::CTRL_C);
    app.wait_exit(TIMEOUT);
    let raw = app.raw_output();
    let text = String::from_utf8_lossy(&raw);
    for (name, bytes) in [
        ("OSC", &b"\x1b]"[..]),
        ("BEL", b"\x07"),
        ("RLO U+202E", "\u{202e}".as_bytes()),
    ] {
        assert!(
            !contains_bytes(&raw, bytes),
            "the console wrote {name} raw:\n{text}"
        );
    }
}
