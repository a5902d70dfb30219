use super::output::print_json;
use super::output::{errln, outln};
use super::run_report::report;
use super::runtime::block_on_text;
use crate::engine::{Mode, Run};
use crate::runbook::StepAction;
use crate::session::{Need, Session};
use crate::steps::{self, Act, receipt::ReceiptFrom};
use clap::{Args, Subcommand};
use color_eyre::eyre::Report;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum RunCommand {
    /// Start a run of RUNBOOK (its id or path).
    Start {
        runbook: String,
        #[arg(long)]
        network: String,
        /// An input as NAME=VALUE; repeat for each.
        #[arg(long = "input", value_name = "NAME=VALUE", value_parser = parse_pair)]
        inputs: Vec<(String, String)>,
        #[arg(long)]
        json: bool,
    },
    /// List runs, unfinished first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Where a run stands: its current step and what happened so far.
    Status {
        run: String,
        #[arg(long)]
        json: bool,
    },
    /// Act on the current step, then complete it (or choose, or skip).
    Next(NextArgs),
    /// End a run without finishing it.
    Abort {
        run: String,
        #[arg(long)]
        reason: String,
    },
    /// Approve the run at its current sign-off step with your own key, or import an
    /// attestation file made on another machine.
    Signoff(super::attest::SignoffArgs),
}

/// The runbooks the command needs: its runbook, or its run's; every one to list the runs.
pub fn need(command: &RunCommand) -> Need<'_> {
    match command {
        RunCommand::Start { runbook, .. } => Need::Runbook(runbook),
        RunCommand::List { .. } => Need::All,
        RunCommand::Status { run, .. } | RunCommand::Abort { run, .. } => Need::RunOf(run),
        RunCommand::Next(args) => Need::RunOf(&args.run),
        RunCommand::Signoff(args) => Need::RunOf(&args.run),
    }
}

/// Whether the command records, and so needs the operator's key.
pub fn records(command: &RunCommand) -> bool {
    !matches!(command, RunCommand::List { .. } | RunCommand::Status { .. })
}

#[derive(Debug, Args)]
pub struct NextArgs {
    run: String,
    /// Answer a decision with the option of this label.
    #[arg(long, conflicts_with = "skip")]
    choose: Option<String>,
    /// Record a note (for note steps).
    #[arg(long)]
    note: Option<String>,
    /// Attach a file as evidence; repeat for several.
    #[arg(long = "attach", value_name = "FILE")]
    attach: Vec<PathBuf>,
    /// Tick a checklist item by number (1-based), or `all`; repeat for several.
    #[arg(long = "check", value_name = "N|all")]
    check: Vec<String>,
    /// Run the step's command (only for `run = "confirm"` steps): this flag is the confirmation.
    /// At a drill's receipt step: execute the run's Safe batch in the sandbox, through the Safe.
    /// At a drill's chaos step: inject its fault into the sandbox.
    #[arg(long)]
    execute: bool,
    /// Run the step's HTTP check.
    #[arg(long)]
    http: bool,
    /// For a receipt step: the executed transaction's hash, fetched from the live node.
    #[arg(long, value_name = "HASH", conflicts_with = "receipt")]
    tx: Option<String>,
    /// For a receipt step: a receipt JSON file (offline, e.g. saved from a block explorer).
    #[arg(long, value_name = "FILE")]
    receipt: Option<PathBuf>,
    /// At a simulate step (or a prepared batch's step): import this simulation report, made
    /// and signed on a connected machine (`simulate FILE --network N --out REPORT`), after
    /// checking its signer, batch SHA-256 and diff fingerprint against this run.
    #[arg(long, value_name = "REPORT")]
    simulation: Option<PathBuf>,
    /// Record that the network's state snapshot is used although it is older than the
    /// network's limit, with this reason.
    #[arg(long, value_name = "REASON")]
    accept_stale: Option<String>,
    /// The word an irreversible step asks to be typed.
    #[arg(long, value_name = "WORD")]
    confirm: Option<String>,
    /// Skip the step instead of completing it; needs --reason.
    #[arg(long, requires = "reason")]
    skip: bool,
    #[arg(long)]
    reason: Option<String>,
    /// Record the actions but leave the step open.
    #[arg(long)]
    stay: bool,
    #[arg(long)]
    json: bool,
}

pub fn parse_pair(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))
}

pub fn dispatch(session: &Session, command: &RunCommand) -> color_eyre::Result<ExitCode> {
    match command {
        RunCommand::Start {
            runbook,
            network,
            inputs,
            json,
        } => {
            let book = session.runbook(runbook)?;
            let given: BTreeMap<_, _> = inputs.iter().cloned().collect();
            let run = session.start(&book, network, given)?;
            report(&run, *json)?;
        }
        RunCommand::List { json } => {
            let (runs, damage) = session.runs()?;
            for line in &damage {
                errln!(
                    "warning: {}:{}: {}",
                    session.ledger().path().display(),
                    line.line,
                    line.why
                );
            }
            if *json {
                print_json(&runs)?;
            } else if runs.is_empty() {
                outln!("no runs yet");
            }
            for run in runs.iter().filter(|_| !*json) {
                let at = run.current_step.as_deref().unwrap_or("-");
                // Beside the status, where a narrow terminal still shows it.
                let drill = if run.mode == crate::engine::Mode::Drill {
                    "DRILL"
                } else {
                    ""
                };
                outln!(
                    "{}  {:<10} {drill:<5} {:<28} {:<8} at {at}  (last {})",
                    run.id,
                    run.status,
                    run.runbook,
                    run.network,
                    run.last_time
                );
                if let Some(problem) = &run.problem {
                    outln!("    ⚠ {problem}");
                }
            }
        }
        RunCommand::Status { run, json } => report(&session.open_run(run)?, *json)?,
        RunCommand::Next(args) => return next(session, args),
        RunCommand::Signoff(args) => return super::attest::signoff(session, args),
        RunCommand::Abort { run, reason } => {
            let mut state = session.open_run(run)?;
            let event = state.abort(reason)?;
            session.record(&mut state, vec![event])?;
            report(&state, false)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn next(session: &Session, args: &NextArgs) -> color_eyre::Result<ExitCode> {
    let mut run = session.open_run(&args.run)?;
    if let Some(text) = &args.note {
        let event = run.note(text)?;
        session.record(&mut run, vec![event])?;
    }
    for file in &args.attach {
        act(session, &mut run, Act::Attach(file.clone()))?;
    }
    for item in ticks(&run, &args.check)? {
        let event = run.toggle_item(item)?;
        session.record(&mut run, vec![event])?;
    }
    if args.execute {
        let execute = execute_act(&run);
        act(session, &mut run, execute)?;
    }
    if args.http {
        act(session, &mut run, Act::CheckHttp)?;
    }
    if let Some(reason) = &args.accept_stale {
        act(session, &mut run, Act::AcknowledgeStale(reason.clone()))?;
    }
    let receipt = match (&args.tx, &args.receipt) {
        (Some(hash), _) => Some(ReceiptFrom::Hash(hash.clone())),
        (_, Some(file)) => Some(ReceiptFrom::File(file.clone())),
        _ => None,
    };
    if let Some(from) = receipt {
        act(session, &mut run, Act::Receipt(from))?;
    }
    if let Some(report) = &args.simulation {
        act(
            session,
            &mut run,
            Act::Simulate {
                import: Some(report.clone()),
            },
        )?;
    }
    if let Some(still) = steps::still_to_do(&run).filter(|_| !args.skip) {
        act(session, &mut run, still)?;
    }
    if !args.stay {
        let confirm = args.confirm.as_deref();
        let events = if args.skip {
            run.skip(args.reason.as_deref().unwrap_or_default())
        } else if let Some(label) = &args.choose {
            run.choose(label, confirm)
        } else {
            run.complete(confirm)
        };
        match events {
            Ok(events) => session.record(&mut run, events)?,
            Err(error) => {
                report(&run, args.json)?;
                errln!("error: the step stays open: {error}");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    report(&run, args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// What `--execute` means at the current step: a chaos step injects its fault, a drill's
/// receipt step executes the run's batch in the sandbox, any other step runs its command.
fn execute_act(run: &Run) -> Act {
    match run.current_step().map(|s| &s.action) {
        Some(StepAction::Chaos { .. }) => Act::InjectChaos,
        Some(StepAction::Receipt { .. }) if run.started.mode == Mode::Drill => {
            Act::Receipt(ReceiptFrom::DrillExecution)
        }
        _ => Act::RunCommand,
    }
}

/// Carries out one step action on the command line's runtime, says what it did on stderr,
/// and records its event.
fn act(session: &Session, run: &mut Run, act: Act) -> color_eyre::Result<()> {
    let prepared = steps::prepare(session, run, act).map_err(Report::msg)?;
    errln!("{}", prepared.describe());
    let done = block_on_text(prepared.execute())?;
    for line in super::step_outcome::lines(&done, &session.workspace.storage) {
        errln!("{line}");
    }
    session.record(run, vec![done.event])?;
    Ok(())
}

fn ticks(run: &Run, given: &[String]) -> color_eyre::Result<Vec<usize>> {
    let count = match run.current_step().map(|s| &s.action) {
        Some(StepAction::Checklist { items }) => items.len(),
        _ if given.is_empty() => return Ok(Vec::new()),
        _ => color_eyre::eyre::bail!("--check is for checklist steps"),
    };
    let mut items = Vec::new();
    for text in given {
        if text == "all" {
            items.extend(0..count);
            continue;
        }
        match text.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => items.push(n - 1),
            _ => color_eyre::eyre::bail!(
                "--check {text}: the checklist has items 1 to {count}, or `all`"
            ),
        }
    }
    items.sort_unstable();
    items.dedup();
    Ok(items
        .into_iter()
        .filter(|i| !run.visit.checked.contains(i))
        .collect())
}
