//! An isolated home for the real binary: HOME and the XDG folders inside one temporary
//! folder, an operator key made with the CLI, and commands for the pty or for the CLI that
//! point into it.

use portable_pty::CommandBuilder;
use std::path::{Path, PathBuf};

/// The passphrase of the sandbox's operator key.
pub const PASSPHRASE: &str = "correct horse battery";

/// The binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_owner-console"))
}

/// An isolated home for the child: HOME and the XDG folders inside one temporary folder, and
/// an empty current folder (no `runbooks/`, so the embedded workspace is used).
pub struct Sandbox {
    root: tempfile::TempDir,
    /// A workspace folder the child opens instead of the embedded one.
    workspace: Option<tempfile::TempDir>,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("owner-console-pty-")
            .tempdir()
            .expect("create a temporary folder");
        let sandbox = Self {
            root,
            workspace: None,
        };
        for folder in [
            sandbox.home(),
            sandbox.data_home(),
            sandbox.config_home(),
            sandbox.state_home(),
            sandbox.cwd(),
        ] {
            std::fs::create_dir_all(&folder)
                .unwrap_or_else(|e| panic!("create {}: {e}", folder.display()));
        }
        sandbox.create_key();
        sandbox
    }

    /// A sandbox whose child opens a copy of the repository's workspace (through
    /// `OWNER_CONSOLE_WORKSPACE`) that lists the sandbox's key in `config/operators.toml`, so
    /// that what it signs verifies.
    pub fn listed() -> Self {
        let mut sandbox = Self::new();
        let shown = sandbox.cli(&["keys", "show", "--json", "tester"]);
        let key: serde_json::Value = serde_json::from_slice(&shown.stdout)
            .unwrap_or_else(|e| panic!("keys show --json: {e}: {shown:?}"));
        let address = key["address"].as_str().expect("the key's address");
        let workspace = super::workspace::shipped_workspace();
        super::cli::list_operator(workspace.path(), "tester", address);
        sandbox.workspace = Some(workspace);
        sandbox
    }

    /// Creates the operator key `tester` with the CLI, as an operator would before a shift.
    fn create_key(&self) {
        let output = self.cli(&["keys", "new", "--name", "tester"]);
        assert!(
            output.status.success(),
            "keys new: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The environment of every command run in the sandbox: the folders, the operator, the
    /// passphrase, `TERM=xterm-256color` and the PATH (no `NO_COLOR`).
    fn environment(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        let workspace = self.workspace.iter().map(|folder| {
            let path: std::ffi::OsString = folder.path().into();
            ("OWNER_CONSOLE_WORKSPACE", path)
        });
        let mut environment: Vec<_> = workspace.collect();
        environment.extend([
            ("HOME", self.home().into()),
            ("XDG_DATA_HOME", self.data_home().into()),
            ("XDG_CONFIG_HOME", self.config_home().into()),
            ("XDG_STATE_HOME", self.state_home().into()),
            ("USER", "tester".into()),
            ("LOGNAME", "tester".into()),
            ("TERM", "xterm-256color".into()),
            ("OWNER_CONSOLE_PASSPHRASE", PASSPHRASE.into()),
            (
                "PATH",
                std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
            ),
        ]);
        environment
    }

    /// Runs the binary's command form `args` in the sandbox, without a terminal.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_env(args, &[])
    }

    /// As `cli`, with more environment variables (where anvil is, for `sandbox up`).
    pub fn cli_env(&self, args: &[&str], vars: &[(&str, &Path)]) -> std::process::Output {
        std::process::Command::new(binary())
            .args(args)
            .env_clear()
            .envs(self.environment())
            .envs(vars.iter().copied())
            .current_dir(self.cwd())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("run `owner-console {}`: {e}", args.join(" ")))
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn data_home(&self) -> PathBuf {
        self.home().join(".local/share")
    }

    pub fn config_home(&self) -> PathBuf {
        self.home().join(".config")
    }

    pub fn state_home(&self) -> PathBuf {
        self.home().join(".local/state")
    }

    /// The child's current folder: empty.
    pub fn cwd(&self) -> PathBuf {
        self.root().join("cwd")
    }

    /// The workspace folder of a [`Sandbox::listed`] sandbox.
    pub fn workspace(&self) -> &Path {
        self.workspace
            .as_ref()
            .map(tempfile::TempDir::path)
            .expect("a listed sandbox has a workspace folder")
    }

    /// Where the workspace keeps its run state.
    pub fn storage(&self) -> PathBuf {
        match &self.workspace {
            Some(folder) => folder.path().join("storage"),
            None => self.data_home().join("owner-console/storage"),
        }
    }

    /// The journal of the workspace.
    pub fn journal(&self) -> PathBuf {
        self.storage().join("owner-ledger.jsonl")
    }

    /// The app's log file (it logs there, never to the terminal).
    pub fn log_file(&self) -> PathBuf {
        self.state_home()
            .join("owner-console/logs/owner-console.log")
    }

    /// A command for the binary with `args`, a clean environment pointing into the sandbox
    /// (no `NO_COLOR`, `TERM=xterm-256color`, `USER=tester`) and the empty current folder. Add or
    /// remove variables on the result before spawning it.
    pub fn command(&self, args: &[&str]) -> CommandBuilder {
        self.program(&binary().to_string_lossy(), args)
    }

    /// `sh -c script` with the sandbox's environment, the binary's path in `$OWNER_CONSOLE`:
    /// for redirections (`"$OWNER_CONSOLE" > out`).
    pub fn shell(&self, script: &str) -> CommandBuilder {
        let mut command = self.program("/bin/sh", &["-c", script]);
        command.env("OWNER_CONSOLE", binary());
        command
    }

    fn program(&self, program: &str, args: &[&str]) -> CommandBuilder {
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env_clear();
        for (name, value) in self.environment() {
            command.env(name, value);
        }
        command.cwd(self.cwd());
        command
    }
}
