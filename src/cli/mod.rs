//! The command line: one file per subcommand, each a thin door into `Session`.

mod completions;
mod init;
mod journal;
mod output;
mod run;
mod show;
mod validate;

use crate::session::Session;
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
    /// Who is operating, as recorded in the journal. Default: $USER.
    #[arg(
        long,
        global = true,
        env = "OWNER_CONSOLE_OPERATOR",
        value_name = "NAME"
    )]
    pub operator: Option<String>,
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
    /// Look after the run journal.
    #[command(subcommand)]
    Journal(journal::JournalCommand),
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
    /// Print the JSON Schema of the runbook format.
    Schema,
}

pub fn operator_name(cli: &Cli) -> String {
    cli.operator
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "operator".to_owned())
}

pub fn open_session(cli: &Cli) -> color_eyre::Result<Session> {
    let workspace = Workspace::discover(cli.workspace.as_deref())?;
    Ok(Session::open(workspace, operator_name(cli))?)
}

/// Runs a subcommand; `Ok` carries the exit status it asks for.
pub fn dispatch(cli: &Cli, command: &Command) -> color_eyre::Result<ExitCode> {
    match command {
        Command::Validate { paths, json } => validate::run(cli, paths, *json),
        Command::Init { dir } => init::run(dir),
        Command::Show { runbook, json } => show::run(&open_session(cli)?, runbook, *json),
        Command::Run(command) => run::dispatch(&open_session(cli)?, command),
        Command::Journal(command) => journal::dispatch(&open_session(cli)?, command),
        Command::Completions { shell } => completions::completions(*shell),
        Command::Man => completions::man(),
        Command::Schema => {
            print!("{}", crate::runbook::schema::runbook_schema_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}
