//! The real binary in a pseudo-terminal against a real node: the status bar and the state
//! panel show the live state; when the node stops answering the screen says STALE within
//! about a second and keeps answering keys; offline, nothing connects to the node.

use crate::support::chain::{DEMO_RPC_ENV, Platform, set_reads, snapshot_values};
use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys};
use crate::support::rpc_proxy::{Fault, Proxy};
use crate::support::sgr::colour_sequences;
use crate::support::workspace::shipped_workspace;
use std::time::{Duration, Instant};

#[test]
fn the_live_state_shows_and_a_dead_node_turns_stale_without_freezing() {
    let workspace = shipped_workspace();
    set_reads(
        workspace.path(),
        "demo",
        "refresh_secs = 1\ntimeout_secs = 3",
    );
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    platform.as_safe(platform.module("JobRegistry"), "pause()", &[]);
    let proxy = Proxy::start(platform.node.port);
    let sandbox = Sandbox::new();
    let folder = workspace.path().to_str().unwrap().to_owned();
    let mut command = sandbox.command(&["--workspace", &folder]);
    let secrets = [
        "hunter2secret",
        "0123456789abcdef0123456789abcdef",
        "s3cr3tkey",
    ];
    command.env(
        DEMO_RPC_ENV,
        format!(
            "http://ops:{}@127.0.0.1:{}/v3/{}?token={}",
            secrets[0], proxy.port, secrets[1], secrets[2]
        ),
    );
    command.env("OWNER_CONSOLE_LOG", "trace");
    // Without colour: live and stale must read in words and symbols alone.
    command.env("NO_COLOR", "1");
    let mut app = PtyApp::spawn(command, 80, 24);
    app.wait_for("✓ live", TIMEOUT);
    app.send("i");
    let panel = app.wait_for("Safe: 2 of 3 owners must sign", TIMEOUT);
    assert!(
        panel.contains("JobRegistry") && panel.contains("‖ PAUSED"),
        "{panel}"
    );
    assert!(
        panel.contains("FeePool") && panel.contains("▶ running"),
        "{panel}"
    );
    assert!(panel.contains("✓ chain id checked"), "{panel}");
    assert!(panel.contains("live http://***:***@127.0.0.1:"), "{panel}");
    assert!(
        !panel.contains("hunter2secret"),
        "the password is on the screen: {panel}"
    );
    app.send(keys::ESC);
    app.wait_for_gone("Safe: 2 of 3", TIMEOUT);

    proxy.set(Fault::Delay(Duration::from_secs(30)));
    let dead = Instant::now();
    app.wait_for("✗ STALE", Duration::from_secs(5));
    let noticed = dead.elapsed();
    assert!(
        noticed < Duration::from_millis(3500),
        "stale after {noticed:?}"
    );
    let asked = Instant::now();
    app.send("?");
    app.wait_for("Everywhere", Duration::from_secs(2));
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "the screen answered in {:?}",
        asked.elapsed()
    );
    app.send(keys::ESC);

    proxy.set(Fault::None);
    app.wait_for("✓ live", Duration::from_secs(10));
    app.wait_for_gone("Everywhere", TIMEOUT);
    app.send("q");
    app.wait_exit(TIMEOUT);
    let screen = String::from_utf8_lossy(&app.raw_output()).into_owned();
    let log = std::fs::read_to_string(sandbox.log_file()).unwrap();
    assert!(log.contains("TRACE"), "trace logging is on");
    for secret in secrets {
        assert!(!screen.contains(secret), "{secret} reached the terminal");
        let leaks: Vec<&str> = log.lines().filter(|l| l.contains(secret)).take(3).collect();
        assert!(leaks.is_empty(), "{secret} reached the log: {leaks:#?}");
    }
    let colours = colour_sequences(&app.raw_output());
    assert!(colours.is_empty(), "NO_COLOR, yet colour: {colours:?}");
}

#[test]
fn offline_the_console_never_connects() {
    let workspace = shipped_workspace();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let watched = Proxy::start(listener.local_addr().unwrap().port());
    let sandbox = Sandbox::new();
    let folder = workspace.path().to_str().unwrap().to_owned();
    let mut command = sandbox.command(&["--offline", "--workspace", &folder]);
    command.env(DEMO_RPC_ENV, watched.url());
    let mut app = PtyApp::spawn(command, 80, 24);
    app.wait_for("offline", TIMEOUT);
    app.send("i");
    let panel = app.wait_for("snapshot block #19876543", TIMEOUT);
    assert!(
        panel.contains("JobRegistry") && panel.contains("▶ running"),
        "{panel}"
    );
    std::thread::sleep(Duration::from_millis(1500));
    app.send(keys::ESC);
    app.wait_for_gone("snapshot block #", TIMEOUT);
    app.send("q");
    app.wait_exit(TIMEOUT);
    assert_eq!(
        watched.connections(),
        0,
        "offline, the console opened a connection"
    );
}

#[test]
fn a_drill_resumed_in_the_console_reads_its_sandbox() {
    let workspace = shipped_workspace();
    let sandbox = Sandbox::new();
    let folder = workspace.path().to_str().unwrap().to_owned();
    let cli = |args: &[&str]| {
        let output = std::process::Command::new(crate::support::pty::binary())
            .args(["--workspace", &folder])
            .args(args)
            .env_clear()
            .env("HOME", sandbox.home())
            .env("XDG_DATA_HOME", sandbox.data_home())
            .env("XDG_CONFIG_HOME", sandbox.config_home())
            .env("XDG_STATE_HOME", sandbox.state_home())
            .env("OWNER_CONSOLE_PASSPHRASE", crate::support::pty::PASSPHRASE)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let _sandbox = crate::support::saved_chain::sandbox_up(
        workspace.path(),
        "demo",
        owner_console::sandbox::seed::SeedFrom::Snapshot,
    );
    let started = cli(&[
        "drill",
        "pause-job-intake",
        "--network",
        "demo",
        "--input",
        "incident_id=INC-9",
    ]);
    let run = started.split_whitespace().nth(1).unwrap().to_owned();
    let mut app = PtyApp::spawn(sandbox.command(&["--workspace", &folder]), 80, 24);
    app.wait_for(&run, TIMEOUT);
    app.send(keys::ENTER);
    let screen = app.wait_for("✓ drill", TIMEOUT);
    assert!(screen.contains("confirm-incident"), "{screen}");
    app.send("i");
    let panel = app.wait_for("Safe: 2 of 3 owners must sign", TIMEOUT);
    assert!(
        panel.contains("JobRegistry") && panel.contains("▶ running"),
        "{panel}"
    );
    app.send(keys::ESC);
    app.wait_for_gone("Safe: 2 of 3", TIMEOUT);
    app.send("q");
    app.send("q");
    app.wait_exit(TIMEOUT);
}
