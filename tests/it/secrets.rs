//! Secrets stay out of what a run records: a command step runs with a scrubbed environment
//! (a short allowlist and the names its step declares in `env`, never the passphrase), and
//! its output is redacted (URL credentials and keys, the passphrase's value) before it is
//! hashed, recorded, stored as evidence or exported. The log file is private (0600), and
//! `OWNER_CONSOLE_OFFLINE` takes the usual boolean spellings.

use crate::support::cli::{Home, PASSPHRASE, json, operators_toml, run_of, text};
use crate::support::rpc_proxy::Proxy;
use crate::support::run_view::journal_entries;
use crate::support::workspace::walk_workspace;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The walk fixture's demo network reads its RPC URL from this variable.
const RPC_ENV: &str = "OWNER_CONSOLE_DEMO_RPC_URL";
/// A key in the path after `/v3/`, as Infura and Alchemy put it; short enough that a rule
/// keyed on length alone would keep it.
const PATH_KEY: &str = "K3yS3cr3t77";

fn rpc_url() -> String {
    format!("https://mainnet.example.io/v3/{PATH_KEY}")
}

fn runbook(step: &str) -> String {
    format!(
        r#"
id = "secrets"
title = "A command that prints its environment"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "Prints what the command sees."
networks = ["demo"]

[[steps]]
id = "print"
title = "Print the environment"
kind = "command"
run = "confirm"
timeout_secs = 10
{step}
"#
    )
}

/// A workspace with the `secrets` runbook whose step is `step`, and a home whose key the
/// workspace lists (so that `export` can sign its checkpoint).
fn workspace_with(step: &str) -> (Home, tempfile::TempDir) {
    let home = Home::new();
    let ws = walk_workspace();
    let keys = json(&home.cli(ws.path(), &["keys", "list", "--json"]));
    let address = keys[0]["address"].as_str().unwrap();
    std::fs::write(
        ws.path().join("config/operators.toml"),
        operators_toml(&[("tester", address, &["operator"])]),
    )
    .unwrap();
    std::fs::write(
        ws.path().join("runbooks/update/secrets.toml"),
        runbook(step),
    )
    .unwrap();
    (home, ws)
}

/// Every file under `folder`, read whole, with its path.
fn files_under(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path.display().to_string(), bytes));
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// The `command-ran` entry's body.
fn command_ran(ws: &Path) -> serde_json::Value {
    journal_entries(&ws.join("storage/owner-ledger.jsonl"))
        .into_iter()
        .find(|e| e["type"] == "command-ran")
        .expect("a command-ran entry")["body"]
        .clone()
}

#[test]
fn an_env_printing_command_leaks_neither_the_passphrase_nor_the_rpc_key_anywhere() {
    // `env`, then the console's own environment read through /proc: the first is scrubbed,
    // the second only redaction can catch.
    let (home, ws) = workspace_with(
        r#"command = "env; tr '\\0' '\\n' < /proc/$PPID/environ 2>/dev/null; true""#,
    );
    let cwd = ws.path();
    let url = rpc_url();
    let mut said = Vec::new();
    let mut cli = |args: &[&str]| {
        let output = home.cli_env(cwd, PASSPHRASE, &[(RPC_ENV, url.as_str())], args);
        said.extend_from_slice(&output.stdout);
        said.extend_from_slice(&output.stderr);
        output
    };
    let run = run_of(&cli(&["run", "start", "secrets", "--network", "demo"]));
    let executed = cli(&["run", "next", &run, "--execute"]);
    assert!(executed.status.success(), "{:?}", text(&executed));
    let bundle = tempfile::tempdir().unwrap();
    let out = bundle.path().join("bundle");
    let exported = cli(&["export", &run, "--out", out.to_str().unwrap()]);
    assert!(exported.status.success(), "{:?}", text(&exported));

    let ran = command_ran(cwd);
    let stdout = ran["stdout"].as_str().unwrap();
    assert!(
        stdout.contains("PATH=") && stdout.contains("HOME="),
        "the command printed its environment: {stdout}"
    );
    let mut places = vec![("the console's output".to_owned(), said)];
    places.extend(files_under(&cwd.join("storage")));
    places.extend(files_under(&out));
    assert!(
        places.iter().any(|(path, _)| path.contains("evidence")),
        "the output went to the evidence store and the bundle: {:?}",
        places.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for (place, bytes) in &places {
        for secret in [PASSPHRASE, PATH_KEY] {
            assert!(
                !contains(bytes, secret),
                "{secret:?} reached {place}:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

#[test]
fn a_step_gets_only_the_variables_it_declares_and_never_the_passphrase() {
    let (home, ws) = workspace_with(&format!(
        r#"env = ["{RPC_ENV}", "EXTRA_SETTING"]
command = '''printf '%s|%s|%s|%s' "${RPC_ENV}" "$EXTRA_SETTING" "${{UNDECLARED_SETTING-unset}}" "${{OWNER_CONSOLE_PASSPHRASE-unset}}"'''"#
    ));
    let cwd = ws.path();
    let url = rpc_url();
    let vars = [
        (RPC_ENV, url.as_str()),
        ("EXTRA_SETTING", "on"),
        ("UNDECLARED_SETTING", "leaked"),
    ];
    let cli = |args: &[&str]| home.cli_env(cwd, PASSPHRASE, &vars, args);
    let shown = text(&cli(&["show", "secrets"])).0;
    assert!(
        shown.contains(&format!("env: {RPC_ENV}, EXTRA_SETTING")),
        "show says what the command may see: {shown}"
    );
    let run = run_of(&cli(&["run", "start", "secrets", "--network", "demo"]));
    let executed = cli(&["run", "next", &run, "--execute"]);
    assert!(executed.status.success(), "{:?}", text(&executed));
    assert_eq!(
        command_ran(cwd)["stdout"],
        "https://mainnet.example.io/v3/***|on|unset|unset",
        "declared names pass (the URL redacted in the record), others do not"
    );
}

#[test]
fn rpc_env_names_the_runs_network_url_and_an_offline_session_tells_its_commands() {
    let (home, ws) = workspace_with(&format!(
        r#"env = ["{{{{rpc_env}}}}"]
command = '''printf '%s|%s|%s' "${RPC_ENV}" "${{OWNER_CONSOLE_OFFLINE-unset}}" "${{OWNER_CONSOLE_KEY-unset}}"'''"#
    ));
    let cwd = ws.path();
    let url = rpc_url();
    let vars = [(RPC_ENV, url.as_str()), ("OWNER_CONSOLE_KEY", "tester")];
    let cli = |args: &[&str]| {
        let mut all = vec!["--offline"];
        all.extend_from_slice(args);
        home.cli_env(cwd, PASSPHRASE, &vars, &all)
    };
    let run = run_of(&cli(&["run", "start", "secrets", "--network", "demo"]));
    let executed = cli(&["run", "next", &run, "--execute"]);
    assert!(executed.status.success(), "{:?}", text(&executed));
    assert_eq!(
        command_ran(cwd)["stdout"],
        "https://mainnet.example.io/v3/***|1|tester",
        "the demo network's URL variable, offline (given as a flag), the key's name"
    );
}

#[test]
fn declaring_the_passphrase_variable_is_a_validation_error_that_names_it() {
    let (home, ws) = workspace_with(
        r#"env = ["PATH_EXTRA", "OWNER_CONSOLE_PASSPHRASE", "9BAD"]
command = "true""#,
    );
    let file = ws.path().join("runbooks/update/secrets.toml");
    let checked = home.cli(ws.path(), &["validate", file.to_str().unwrap()]);
    let (out, err) = text(&checked);
    assert!(!checked.status.success(), "{out}{err}");
    let line = err
        .lines()
        .find(|l| l.contains("OWNER_CONSOLE_PASSPHRASE"))
        .unwrap_or_else(|| panic!("no error names the passphrase variable: {err}"));
    assert!(
        line.contains("secrets.toml:") && line.contains("steps[0].env"),
        "located at the field: {line}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("9BAD") && l.contains("steps[0].env")),
        "a name that no shell could set is refused too: {err}"
    );
}

#[test]
fn the_log_file_is_private_even_when_an_older_version_left_it_open() {
    let home = Home::new();
    let log = home
        .path()
        .join("state/owner-console/logs/owner-console.log");
    let listed = home.cli(home.path(), &["keys", "list"]);
    assert!(listed.status.success(), "{:?}", text(&listed));
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a new log file is 0600, not {mode:o}");

    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    home.cli(home.path(), &["keys", "list"]);
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o600,
        "an old 0644 log file is made 0600, not {mode:o}"
    );
}

#[test]
fn offline_takes_the_usual_boolean_spellings() {
    let ws = crate::support::workspace::shipped_workspace();
    let home = Home::new();
    // No node behind the proxy: a connection is seen, then refused at once.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let watched = Proxy::start(nowhere.local_addr().unwrap().port());
    drop(nowhere);
    let url = watched.url();
    let status = |offline: &str| {
        let vars = [
            ("OWNER_CONSOLE_DEMO_RPC_URL", url.as_str()),
            ("OWNER_CONSOLE_OFFLINE", offline),
        ];
        let output = home.cli_env(
            ws.path(),
            PASSPHRASE,
            &vars,
            &["chain", "status", "--network", "demo"],
        );
        text(&output).1
    };
    for on in ["1", "true", "yes", "on", "TRUE"] {
        let err = status(on);
        assert!(
            err.contains("offline: no network connection is opened"),
            "OWNER_CONSOLE_OFFLINE={on}: {err}"
        );
    }
    assert_eq!(watched.connections(), 0, "offline, nothing connects");
    for off in ["0", "false", "no", "off"] {
        let err = status(off);
        assert!(
            !err.contains("offline") && !err.contains("invalid value"),
            "OWNER_CONSOLE_OFFLINE={off} is not offline: {err}"
        );
    }
    assert!(watched.connections() > 0, "online, the node is asked");
}

#[test]
fn an_rpc_key_in_the_path_stays_out_of_error_messages() {
    let ws = crate::support::workspace::shipped_workspace();
    let home = Home::new();
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    for url in [
        format!("http://127.0.0.1:{port}/v3/{PATH_KEY}"),
        format!("http://127.0.0.1:{port}/v2/{PATH_KEY}?apikey=Q1w2e3"),
        format!("http://user:{PATH_KEY}@127.0.0.1:{port}/"),
    ] {
        let vars = [(RPC_ENV, url.as_str()), ("OWNER_CONSOLE_LOG", "trace")];
        let status = home.cli_env(
            ws.path(),
            PASSPHRASE,
            &vars,
            &["chain", "status", "--network", "demo"],
        );
        let (out, err) = text(&status);
        assert!(!status.status.success(), "{out}{err}");
        assert!(err.contains("127.0.0.1"), "the error names the node: {err}");
        let log = std::fs::read_to_string(
            home.path()
                .join("state/owner-console/logs/owner-console.log"),
        )
        .unwrap_or_default();
        for secret in [PATH_KEY, "Q1w2e3"] {
            assert!(!err.contains(secret), "{secret} in the error: {err}");
            assert!(!log.contains(secret), "{secret} in the log: {log}");
        }
    }
}

/// Stops the sandbox however the test ends.
struct SandboxDown<'a>(&'a Home, &'a Path);

impl Drop for SandboxDown<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .cli(self.1, &["sandbox", "down", "--network", "demo"]);
    }
}

#[test]
fn a_drills_command_still_gets_the_sandbox_url_and_the_drill_variable_undeclared() {
    let ws = crate::support::workspace::shipped_workspace();
    let home = Home::new();
    std::fs::write(
        ws.path().join("runbooks/update/secrets.toml"),
        runbook(r#"command = '''printf '%s|%s' "$OWNER_CONSOLE_DRILL" "$OWNER_CONSOLE_DEMO_RPC_URL"'''"#),
    )
    .unwrap();
    let up = home.cli(ws.path(), &["sandbox", "up", "--network", "demo"]);
    let _down = SandboxDown(&home, ws.path());
    assert!(up.status.success(), "{:?}", text(&up));
    let sandbox: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(ws.path().join("storage/sandbox/demo.json")).unwrap(),
    )
    .unwrap();
    let url = rpc_url();
    let cli = |args: &[&str]| home.cli_env(ws.path(), PASSPHRASE, &[(RPC_ENV, url.as_str())], args);
    let run = run_of(&cli(&["drill", "secrets", "--network", "demo"]));
    let executed = cli(&["run", "next", &run, "--execute"]);
    assert!(executed.status.success(), "{:?}", text(&executed));
    assert_eq!(
        command_ran(ws.path())["stdout"],
        format!("demo|{}", sandbox["url"].as_str().unwrap()),
        "the console's own drill variables reach the command, the real URL does not"
    );
}
