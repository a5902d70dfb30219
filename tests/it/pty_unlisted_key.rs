//! The real console in a pseudo-terminal, as a new operator first meets it (80×24, the
//! embedded workspace, a key that `config/operators.toml` does not list): once a run is
//! started and an item ticked, the status bar counts every entry as signed by an unlisted
//! key (verified again after each), and after a restart it says the same.

use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use crate::support::restored::assert_terminal_restored;

/// The status bar's ledger segment, once it counts every entry of the journal.
fn wait_unlisted_for_every_entry(app: &PtyApp, sandbox: &Sandbox) -> usize {
    let journal = sandbox.journal();
    app.wait_map(
        "the status bar counting every entry as signed by an unlisted key",
        TIMEOUT,
        |screen| {
            let entries = std::fs::read_to_string(&journal).ok()?.lines().count();
            let status = screen_rows(screen).last()?.clone();
            status
                .contains(&format!("ledger ⚠{entries} signed by an unlisted key"))
                .then_some(entries)
        },
    )
}

#[test]
fn a_new_operators_entries_are_signed_by_an_unlisted_key_before_and_after_a_restart() {
    let sandbox = Sandbox::new();
    let mut app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    app.wait_for(" Runbooks ", TIMEOUT);
    app.send(keys::ENTER);
    app.wait_for("Start: ", TIMEOUT);
    app.send("INC-7");
    app.wait_for("INC-7", TIMEOUT);
    app.send(keys::ENTER);
    let started = wait_unlisted_for_every_entry(&app, &sandbox);
    app.send(keys::SPACE);
    let journal = sandbox.journal();
    app.wait_until("the tick recorded", TIMEOUT, |_| {
        std::fs::read_to_string(&journal).map_or(0, |text| text.lines().count()) > started
    });
    let ticked = wait_unlisted_for_every_entry(&app, &sandbox);
    assert!(
        ticked > started,
        "the tick is counted: {ticked} > {started}"
    );
    let screen = app.contents();
    assert!(
        !screen.contains("verified") && !screen.contains("FAILED"),
        "{screen}"
    );
    app.send(keys::CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
    assert_terminal_restored(&app);
    drop(app);

    let app = PtyApp::spawn(sandbox.command(&[]), 80, 24);
    assert_eq!(wait_unlisted_for_every_entry(&app, &sandbox), ticked);
    assert!(!app.contents().contains("FAILED"), "{}", app.dump());
}

#[test]
fn a_key_created_at_start_comes_with_its_operators_entry() {
    let sandbox = Sandbox::new();
    let keys_folder = sandbox.data_home().join("owner-console/keys");
    std::fs::remove_dir_all(&keys_folder).unwrap();
    let mut command = sandbox.command(&[]);
    command.env_remove("OWNER_CONSOLE_PASSPHRASE");
    let mut app = PtyApp::spawn(command, 80, 24);
    app.wait_for("No operator key yet", TIMEOUT);
    app.send("y\r");
    app.wait_for("New passphrase", TIMEOUT);
    app.send("correct horse battery\r");
    app.wait_for("Again", TIMEOUT);
    app.send("correct horse battery\r");
    app.wait_for(" Runbooks ", TIMEOUT);
    let said = String::from_utf8_lossy(&app.raw_output()).into_owned();
    let address = std::fs::read_dir(&keys_folder)
        .unwrap()
        .flatten()
        .find_map(|file| {
            let text = std::fs::read_to_string(file.path()).ok()?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            json["address"].as_str().map(str::to_lowercase)
        })
        .expect("a keystore with its address");
    let entry_start = said
        .find("keys add-to-operators")
        .unwrap_or_else(|| panic!("the command is named: {said}"));
    let entry: String = said[entry_start..].replace("\r\n", "\n");
    assert!(
        entry.contains("[[operators]]\nname = \"tester\"\naddress = \"0x"),
        "{entry}"
    );
    assert!(
        entry.to_lowercase().contains(&address),
        "{address} in {entry}"
    );
    app.send(keys::CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
}
