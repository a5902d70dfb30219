use super::output::print_json;
use super::show::step_text;
use crate::engine::{Position, Run};
use crate::runbook::StepAction;
use crate::session::Session;
use crate::step_actions::{attach, prepare_command, prepare_http, rendered_command};
use clap::{Args, Subcommand};
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
                eprintln!(
                    "warning: {}:{}: {}",
                    session.ledger().path().display(),
                    line.line,
                    line.why
                );
            }
            if *json {
                print_json(&runs)?;
            } else if runs.is_empty() {
                println!("no runs yet");
            }
            for run in runs.iter().filter(|_| !*json) {
                let at = run.current_step.as_deref().unwrap_or("-");
                println!(
                    "{}  {:<10} {:<28} {:<8} at {at}  (last {})",
                    run.id, run.status, run.runbook, run.network, run.last_time
                );
                if let Some(problem) = &run.problem {
                    println!("    ⚠ {problem}");
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
        let event = attach(
            &run,
            &session.evidence(),
            &session.workspace.evidence_roots(),
            file,
        )
        .map_err(color_eyre::eyre::Report::msg)?;
        session.record(&mut run, vec![event])?;
    }
    for item in ticks(&run, &args.check)? {
        let event = run.toggle_item(item)?;
        session.record(&mut run, vec![event])?;
    }
    let drill_receipt = run.started.mode == crate::engine::Mode::Drill
        && run
            .current_step()
            .is_some_and(|s| matches!(s.action, StepAction::Receipt { .. }));
    let chaos_step = run
        .current_step()
        .is_some_and(|s| matches!(s.action, StepAction::Chaos { .. }));
    if args.execute && chaos_step {
        let prepared = crate::chaos_steps::prepare_chaos(session, &run)
            .map_err(color_eyre::eyre::Report::msg)?;
        eprintln!("injecting: {}", prepared.describe());
        let event = run_async(prepared.execute())?;
        if let crate::engine::Event::ChaosInjected(chaos) = &event {
            eprintln!("  {}", chaos.detail);
        }
        session.record(&mut run, vec![event])?;
    }
    if args.execute && !drill_receipt && !chaos_step {
        let prepared = prepare_command(
            &run,
            &session.workspace.command_folder()?,
            &session.evidence().path_of(""),
        )
        .map_err(color_eyre::eyre::Report::msg)?
        .with_env(crate::step_actions::drill_env(session, &run));
        eprintln!("running: {}", prepared.command());
        let event = run_async(prepared.execute())?;
        session.record(&mut run, vec![event])?;
    }
    if args.http {
        let prepared = prepare_http(&run, &session.evidence().path_of(""))
            .map_err(color_eyre::eyre::Report::msg)?;
        eprintln!("checking: {}", prepared.url());
        let event = run_async(prepared.execute())?;
        session.record(&mut run, vec![event])?;
    }
    if let Some(reason) = &args.accept_stale {
        let event = crate::step_actions::acknowledge_stale(session, &run, reason)
            .map_err(color_eyre::eyre::Report::msg)?;
        session.record(&mut run, vec![event])?;
    }
    if run
        .current_step()
        .is_some_and(|s| matches!(s.action, StepAction::ChainCheck { .. }))
        && !args.skip
        && !run.visit.chain_checks.last().is_some_and(|c| c.passed)
    {
        let prepared = crate::chain_steps::prepare_chain_check(session, &run)
            .map_err(color_eyre::eyre::Report::msg)?;
        eprintln!("reading: {}", prepared.describe());
        let event = run_async(prepared.execute())?;
        if let crate::engine::Event::ChainChecked(checked) = &event {
            for result in &checked.results {
                eprintln!("  {}", result.line());
            }
            eprintln!(
                "  at block #{} {}",
                checked.block_number, checked.block_hash
            );
            if let Some(why) = &checked.refused {
                eprintln!("  ✗ verifies nothing: {why}");
            }
        }
        session.record(&mut run, vec![event])?;
    }
    let receipt_from = match (&args.tx, &args.receipt) {
        (Some(hash), _) => Some(crate::chain_steps::ReceiptFrom::Hash(hash.clone())),
        (_, Some(file)) => Some(crate::chain_steps::ReceiptFrom::File(file.clone())),
        _ if args.execute && drill_receipt => Some(crate::chain_steps::ReceiptFrom::DrillExecution),
        _ => None,
    };
    if let Some(from) = receipt_from {
        let prepared = crate::chain_steps::prepare_receipt(session, &run, from)
            .map_err(color_eyre::eyre::Report::msg)?;
        let event = run_async(prepared.execute())?;
        if let crate::engine::Event::ReceiptChecked(checked) = &event {
            let mark = if checked.passed {
                "✓ pass"
            } else {
                "✗ FAIL"
            };
            eprintln!(
                "receipt {} {mark}: block #{}, archived as {}",
                checked.tx_hash,
                checked.block_number,
                session.workspace.storage.join(&checked.file).display()
            );
            for problem in &checked.problems {
                eprintln!("  ✗ {problem}");
            }
        }
        session.record(&mut run, vec![event])?;
    }
    if run
        .current_step()
        .is_some_and(|s| matches!(s.action, StepAction::Diff { .. }))
        && !args.skip
        && (run.visit.diff.is_none() || run.completion_blocker().is_some())
    {
        let (event, diff, against) = crate::step_actions::compute_diff(session, &run, None)
            .map_err(color_eyre::eyre::Report::msg)?;
        eprintln!(
            "diff against {against}: {} (fingerprint {})",
            diff.summary(),
            diff.fingerprint
        );
        session.record(&mut run, vec![event])?;
    }
    if run
        .current_step()
        .is_some_and(|s| matches!(s.action, StepAction::SafeBatch { .. }))
        && !args.skip
        && run.visit.batch.is_none()
    {
        let event = crate::step_actions::prepare_batch(session, &run, None)
            .map_err(color_eyre::eyre::Report::msg)?;
        if let crate::engine::Event::BatchPrepared(batch) = &event {
            eprintln!(
                "prepared {} ({} transaction(s), Safe checksum {}): load it in the Safe app's Transaction Builder",
                session.workspace.storage.join(&batch.file).display(),
                batch.transactions,
                batch.checksum
            );
        }
        session.record(&mut run, vec![event])?;
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
                eprintln!("error: the step stays open: {error}");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    report(&run, args.json)?;
    Ok(ExitCode::SUCCESS)
}

/// A step action's work, carried out on a one-off runtime (the command line acts once).
fn run_async(
    work: impl std::future::Future<Output = Result<crate::engine::Event, String>>,
) -> color_eyre::Result<crate::engine::Event> {
    crate::chain::live::block_on(work)
        .and_then(|result| result)
        .map_err(color_eyre::eyre::Report::msg)
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

pub fn report(run: &Run, json: bool) -> color_eyre::Result<()> {
    let position = match &run.position {
        Position::At(step) => serde_json::json!({ "status": "unfinished", "step": step }),
        Position::Completed => serde_json::json!({ "status": "completed" }),
        Position::Aborted(reason) => serde_json::json!({ "status": "aborted", "reason": reason }),
    };
    if json {
        let history: Vec<_> = run.history.iter().map(|v| serde_json::json!({ "step": v.step, "outcome": format!("{:?}", v.outcome), "time": v.time })).collect();
        return print_json(&serde_json::json!({
            "run": run.id,
            "runbook": run.started.runbook,
            "network": run.started.network,
            "mode": run.started.mode,
            "inputs": run.started.inputs,
            "position": position,
            "checked": run.visit.checked,
            "blocker": run.completion_blocker(),
            "history": history,
        }));
    }
    println!(
        "run {} — {} on {}",
        run.id, run.started.title, run.started.network
    );
    for visited in &run.history {
        println!("  ✓ {} {:?}", visited.step, visited.outcome);
    }
    match run.current_step() {
        Some(step) => {
            println!(
                "▶ now at step {} of {}:",
                run.runbook.step_index(&step.id).map_or(0, |i| i + 1),
                run.runbook.steps.len()
            );
            print!("{}", step_text(step));
            if let Some(Ok(command)) = rendered_command(run) {
                println!("   ready to copy: {command}");
            }
            if let StepAction::Checklist { items } = &step.action {
                for (index, item) in items.iter().enumerate() {
                    let mark = if run.visit.checked.contains(&index) {
                        "x"
                    } else {
                        " "
                    };
                    println!("   {}. [{mark}] {item}", index + 1);
                }
            }
            if let Some(blocker) = run.completion_blocker() {
                println!("   open: {blocker}");
            }
        }
        None => println!("{}", position["status"].as_str().unwrap_or_default()),
    }
    Ok(())
}
