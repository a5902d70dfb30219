//! The real binary with an isolated home: its own keys, data, config and state folders.

use std::path::Path;
use std::process::{Command, Output};

pub const PASSPHRASE: &str = "correct horse battery";

pub struct Home(pub tempfile::TempDir);

impl Home {
    /// A home with the operator key `tester`.
    pub fn new() -> Self {
        let home = Self::empty();
        home.add_key("tester");
        home
    }

    pub fn empty() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Creates an operator key and returns its address.
    pub fn add_key(&self, name: &str) -> String {
        let created = self.cli(Path::new("."), &["keys", "new", "--name", name, "--json"]);
        assert!(created.status.success(), "{:?}", text(&created));
        json(&created)["address"].as_str().unwrap().to_owned()
    }

    pub fn cli(&self, cwd: &Path, args: &[&str]) -> Output {
        self.cli_with(cwd, PASSPHRASE, args)
    }

    /// As `cli`, with another passphrase in the environment (to try a wrong one).
    pub fn cli_with(&self, cwd: &Path, passphrase: &str, args: &[&str]) -> Output {
        self.cli_env(cwd, passphrase, &[], args)
    }

    /// As `cli`, with more environment variables (an RPC URL).
    pub fn cli_env(
        &self,
        cwd: &Path,
        passphrase: &str,
        vars: &[(&str, &str)],
        args: &[&str],
    ) -> Output {
        self.command(cwd, passphrase, args)
            .envs(vars.iter().copied())
            .output()
            .unwrap()
    }

    /// The binary as `cli_env` runs it, not yet started.
    pub fn command(&self, cwd: &Path, passphrase: &str, args: &[&str]) -> Command {
        let home = self.0.path();
        let mut command = Command::new(env!("CARGO_BIN_EXE_owner-console"));
        command
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("USER", "tester")
            .env("OWNER_CONSOLE_PASSPHRASE", passphrase);
        // The project's anvil (`npm ci`), wherever the target folder is: the binary looks
        // beside the workspace, the current folder and itself, and here the workspace is a
        // temporary folder and the binary may be built outside the project (CARGO_TARGET_DIR).
        let project = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Ok(anvil) = owner_console::sandbox::node::find_anvil(&[project]) {
            command.env("OWNER_CONSOLE_ANVIL", anvil);
        }
        command
    }
}

pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs the binary in `cwd` and returns its exit code, stdout and stderr.
pub fn run(home: &Home, cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = home.cli(cwd, args);
    let (out, err) = text(&output);
    (output.status.code().unwrap_or(-1), out, err)
}

pub fn json(output: &Output) -> serde_json::Value {
    let (out, err) = text(output);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: stdout {out} stderr {err}"))
}

/// `config/operators.toml` text listing (name, address, roles).
pub fn operators_toml(operators: &[(&str, &str, &[&str])]) -> String {
    operators
        .iter()
        .map(|(name, address, roles)| {
            format!(
                "[[operators]]\nname = \"{name}\"\naddress = \"{address}\"\nroles = {roles:?}\n\n"
            )
        })
        .collect()
}

/// The run id that `run start` or `drill` printed (`run r-… — title on network`).
pub fn run_of(output: &Output) -> String {
    let (out, err) = text(output);
    out.split_whitespace()
        .nth(1)
        .filter(|id| id.starts_with("r-"))
        .unwrap_or_else(|| panic!("no run id in: {out}{err}"))
        .to_owned()
}

/// Adds `name` with `address` and the `operator` role to the workspace's
/// `config/operators.toml`, so that what that key signs verifies.
pub fn list_operator(workspace: &Path, name: &str, address: &str) {
    let operators = workspace.join("config/operators.toml");
    let listed = std::fs::read_to_string(&operators).unwrap()
        + &operators_toml(&[(name, address, &["operator"])]);
    std::fs::write(&operators, listed).unwrap();
}

/// `run start walk` (see [`super::workspace::start_walk`]) in `workspace`, signed with the
/// home's key; the run id.
pub fn start_walk_in(home: &Home, workspace: &Path) -> String {
    let started = home.cli(workspace, &super::workspace::start_walk());
    assert!(started.status.success(), "{:?}", text(&started));
    run_of(&started)
}

/// The address of the home's key `name`, as `keys show` gives it.
pub fn key_address(home: &Home, name: &str) -> String {
    let shown = home.cli(Path::new("."), &["keys", "show", name, "--json"]);
    assert!(shown.status.success(), "{:?}", text(&shown));
    json(&shown)["address"].as_str().unwrap().to_owned()
}
