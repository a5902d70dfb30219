//! The command line: one file per subcommand, each a thin door into `Session`.

mod attest;
mod batch;
mod bundle;
mod chain;
mod completions;
mod config_checks;
mod diff;
mod init;
mod keys;
mod ledger;
pub mod logging;
pub mod output;
mod plan;
mod report;
mod run;
mod run_report;
pub mod runtime;
mod sandbox;
mod show;
mod simulate;
mod step_outcome;
pub mod unlock;
mod validate;

use self::output::outln;
use crate::session::run_index::IndexFile;
use crate::session::{Need, Session};
use crate::workspace::Workspace;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "owner-console", version, about = "Walks the AGI Jobs platform's owners and operators through runbooks, step by step, with every step recorded.", long_about = None)]
pub struct Cli {
    /// The workspace folder (holding runbooks/ and config/). Default: the current folder when
    /// it holds runbooks/, else the workspace embedded in this binary.
    #[arg(
        long,
        global = true,
        env = "OWNER_CONSOLE_WORKSPACE",
        value_name = "DIR"
    )]
    pub workspace: Option<PathBuf>,
    /// The operator key that signs what this session records (see `keys list`). Default: the
    /// only key.
    #[arg(long, global = true, env = "OWNER_CONSOLE_KEY", value_name = "NAME")]
    pub key: Option<String>,
    /// Read the key's passphrase from this file instead of asking (or OWNER_CONSOLE_PASSPHRASE).
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Open no network connection at all: state comes from the networks' snapshots only.
    /// OWNER_CONSOLE_OFFLINE takes 1/0, true/false, yes/no, on/off.
    #[arg(
        long,
        global = true,
        env = "OWNER_CONSOLE_OFFLINE",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub offline: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check runbooks (all of the workspace's, or the files and folders given); exits non-zero
    /// on any error.
    Validate {
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Warnings fail too.
        #[arg(long)]
        strict: bool,
        /// Check only this network's config set.
        #[arg(long)]
        network: Option<String>,
    },
    /// Write the embedded default workspace into DIR as a starting workspace.
    Init { dir: PathBuf },
    /// Print a runbook as text, its flowchart included.
    Show {
        runbook: String,
        #[arg(long)]
        json: bool,
    },
    /// Start, list, inspect and advance runs.
    #[command(subcommand)]
    Run(run::RunCommand),
    /// Verify, checkpoint, repair and show the signed ledger.
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// Create and list operator keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// On another machine, over a copy of the workspace: sign an approval of a run's current
    /// sign-off step into a file that the first machine imports (`run signoff RUN --import`).
    Attest(attest::AttestArgs),
    /// Export a run as an evidence bundle: its ledger, runbook, evidence files, the operators,
    /// a signed checkpoint and SHA256SUMS, in a folder or a FILE.tar.gz.
    Export {
        run: String,
        /// A new or empty folder, or a new file ending in .tar.gz.
        #[arg(long, value_name = "DIR|FILE.tar.gz")]
        out: PathBuf,
    },
    /// Check an evidence bundle (folder or .tar.gz) offline; name every failure, exit 1 on any.
    VerifyBundle {
        path: PathBuf,
        /// Check the signers against this operators.toml instead of the workspace's or the
        /// bundle's own.
        #[arg(long, value_name = "FILE")]
        operators: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        limits: bundle::LimitArgs,
    },
    /// The proposed config against the current state: each change with its risk class, the
    /// guardrails it breaks, and the diff's fingerprint. Exit 0 none, 3 changes, 4 blocked.
    Diff(diff::DiffArgs),
    /// A local chain with the mock platform, for drills: `sandbox up|down|status`.
    #[command(subcommand)]
    Sandbox(sandbox::SandboxCommand),
    /// Start a drill of RUNBOOK on the network's sandbox: its batch is executed there, its
    /// receipts and checks are real, and every entry is flagged as a drill.
    Drill {
        runbook: String,
        #[arg(long, default_value = "demo")]
        network: String,
        /// An input as NAME=VALUE; repeat for each.
        #[arg(long = "input", value_name = "NAME=VALUE", value_parser = run::parse_pair)]
        inputs: Vec<(String, String)>,
        #[arg(long)]
        json: bool,
    },
    /// The live chain: `chain status --network N`.
    #[command(subcommand)]
    Chain(chain::ChainCommand),
    /// Decode and check Safe Transaction Builder batch files (the console prepares them; the
    /// Safe's owners sign in the Safe app).
    #[command(subcommand)]
    Batch(batch::BatchCommand),
    /// Dry-run a batch file before anyone signs it: anvil forks the network's node at one
    /// block, the Safe executes the batch there (its own execTransaction, all or nothing),
    /// each call's status, gas, events and decoded revert are reported, and the config is
    /// compared with the chain after it. Passes (exit 0) only when the batch executes and
    /// nothing of the config remains to change; else exit 1, naming the call or the values.
    Simulate(simulate::SimulateArgs),
    /// Build the Safe Transaction Builder batch that makes the diff of a network, every
    /// transaction checked (selector, round trip, target) before the file is written.
    Plan(plan::PlanArgs),
    /// Save the workspace's config into storage/backups/<date>-<id>/ with a manifest of hashes,
    /// for a later rollback (`diff --from DIR`, `plan --from DIR`).
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Metrics of every change, from the ledger: per runbook, runs, time to execute, waiting
    /// for sign-off, aborts, rollbacks, emergencies, drills, overdue quarterly runbooks.
    Report(report::ReportArgs),
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
    /// Print the JSON Schema of the runbook format.
    Schema,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// The config files, hashed, for rollbacks.
    Config,
    /// Every catalogue value of a network, read live at one block and signed with your key:
    /// the state source of an air-gapped machine.
    State {
        #[arg(long)]
        network: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn operator_name() -> String {
    std::env::var("USER")
        .ok()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "operator".to_owned())
}

pub fn open_session(cli: &Cli) -> color_eyre::Result<Session> {
    open_session_for(cli, Need::All)
}

/// [`open_session`] with only the runbooks the command needs.
pub fn open_session_for(cli: &Cli, need: Need<'_>) -> color_eyre::Result<Session> {
    let workspace = Workspace::discover(cli.workspace.as_deref())?;
    let mut session = Session::open_for(workspace, operator_name(), need)?;
    session.offline = cli.offline;
    Ok(session)
}

/// The console's start-up: [`open_session`] through the runbook cache (which the console
/// checks after its first frame), and the run index file read.
pub fn open_session_with_index(cli: &Cli) -> color_eyre::Result<(Session, IndexFile)> {
    let workspace = Workspace::discover(cli.workspace.as_deref())?;
    let mut session = Session::open_cached(workspace, operator_name())?;
    session.offline = cli.offline;
    let index_file = IndexFile::read(&session.ledger());
    Ok((session, index_file))
}

/// The operator's key, unlocked with the passphrase from a file, the environment or a prompt.
pub fn unlock_key(cli: &Cli) -> color_eyre::Result<alloy_signer_local::PrivateKeySigner> {
    let store = crate::keys::KeyStore::default_location()?;
    let key = store.choose(cli.key.as_deref())?;
    let secret = crate::keys::passphrase::obtain(
        cli.passphrase_file.as_deref(),
        &output::shown(&format!("Passphrase for operator key `{}`: ", key.name)),
    )
    .map_err(color_eyre::eyre::Report::msg)?;
    Ok(store.unlock(&key, &secret)?)
}

/// A session that can record: its operator key is unlocked.
pub fn recording_session(cli: &Cli) -> color_eyre::Result<Session> {
    recording_session_for(cli, Need::All)
}

/// [`recording_session`] with only the runbooks the command needs.
pub fn recording_session_for(cli: &Cli, need: Need<'_>) -> color_eyre::Result<Session> {
    let mut session = open_session_for(cli, need)?;
    session.unlock(unlock_key(cli)?);
    Ok(session)
}

/// Runs a subcommand; `Ok` carries the exit status it asks for.
pub fn dispatch(cli: &Cli, command: &Command) -> color_eyre::Result<ExitCode> {
    match command {
        Command::Validate {
            paths,
            json,
            strict,
            network,
        } => validate::run(cli, paths, *json, *strict, network.as_deref()),
        Command::Init { dir } => init::run(dir),
        Command::Show { runbook, json } => show::run(
            &open_session_for(cli, Need::Runbook(runbook))?,
            runbook,
            *json,
        ),
        Command::Run(command) if run::records(command) => {
            run::dispatch(&recording_session_for(cli, run::need(command))?, command)
        }
        Command::Run(command) => {
            run::dispatch(&open_session_for(cli, run::need(command))?, command)
        }
        Command::Ledger(command) if ledger::records(command) => {
            ledger::dispatch(&recording_session_for(cli, Need::Nothing)?, command)
        }
        Command::Ledger(command) => {
            ledger::dispatch(&open_session_for(cli, Need::Nothing)?, command)
        }
        Command::Keys(command) => keys::dispatch(cli, command),
        Command::Attest(args) => attest::run(cli, args),
        Command::Export { run, out } => bundle::export(&recording_session(cli)?, run, out),
        Command::VerifyBundle {
            path,
            operators,
            json,
            limits,
        } => bundle::verify(cli, path, operators.as_deref(), *json, &limits.limits()),
        Command::Diff(args) => diff::run(&open_session(cli)?, args),
        Command::Batch(command) => batch::dispatch(cli, command),
        Command::Plan(args) => plan::run(&open_session(cli)?, args),
        Command::Simulate(args) => simulate::run(cli, args),
        Command::Chain(command) => chain::dispatch(&open_session_for(cli, Need::Nothing)?, command),
        Command::Sandbox(command) => {
            sandbox::dispatch(&open_session_for(cli, Need::Nothing)?, command)
        }
        Command::Drill {
            runbook,
            network,
            inputs,
            json,
        } => {
            let session = recording_session_for(cli, Need::Runbook(runbook))?;
            let book = session.runbook(runbook)?;
            let given = inputs.iter().cloned().collect();
            let run = session.start_drill(&book, network, given)?;
            run_report::report(&run, *json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Snapshot(SnapshotCommand::State { network, out }) => {
            chain::snapshot_state(&recording_session_for(cli, Need::Nothing)?, network, out)
        }
        Command::Snapshot(SnapshotCommand::Config) => {
            let session = open_session_for(cli, Need::Nothing)?;
            let files = session.workspace.config_files()?;
            let folder = crate::change::config_backup::save(
                &session.workspace.storage.join("backups"),
                &files,
                &session.operator,
            )
            .map_err(color_eyre::eyre::Report::msg)?;
            outln!(
                "saved {} config file(s) into {}",
                files.len(),
                folder.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(args) => report::run(&open_session(cli)?, args),
        Command::Completions { shell } => completions::completions(*shell),
        Command::Man => completions::man(),
        Command::Schema => {
            output::print_json_text(&crate::runbook::schema::runbook_schema_text())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
