use super::output::print_json;
use super::output::{errln, outln};
use crate::engine::clock::now;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::verify::verify;
use crate::session::Session;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every hash, the chain, every signature, the signers and their roles, and the
    /// checkpoint; name the first bad entry. Exit 1 on any finding.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Record a checkpoint entry and write the checkpoint file durably.
    Checkpoint,
    /// Move an incomplete last line (a write cut off by a crash) into a backup file.
    Repair,
    /// Print entries, all or one run's.
    Show {
        #[arg(long)]
        run: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn records(command: &LedgerCommand) -> bool {
    matches!(command, LedgerCommand::Checkpoint)
}

pub fn dispatch(session: &Session, command: &LedgerCommand) -> color_eyre::Result<ExitCode> {
    let ledger = session.ledger();
    match command {
        LedgerCommand::Verify { json } => {
            let checkpoint = Checkpoint::read(&ledger.checkpoint_path())
                .map_err(color_eyre::eyre::Report::msg)?;
            let report = verify(
                &ledger.read_bytes()?,
                &session.operators,
                checkpoint.as_ref(),
            );
            if *json {
                print_json(&report)?;
            } else {
                for finding in &report.findings {
                    errln!("{}: {finding}", ledger.path().display());
                }
                let checkpoint = report
                    .checkpoint
                    .map(|n| format!("checkpoint at {n} entries"))
                    .unwrap_or_else(|| "no checkpoint file".into());
                let verdict = if report.passed() {
                    "verified".to_owned()
                } else {
                    format!("{} finding(s)", report.findings.len())
                };
                outln!(
                    "{}: {} entries by {} signer(s), {checkpoint}: {verdict}",
                    ledger.path().display(),
                    report.entries,
                    report.signers.len()
                );
            }
            Ok(if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        LedgerCommand::Checkpoint => {
            let key = session.key().ok_or(crate::session::SessionError::Locked)?;
            let last = ledger.checkpoint(&now(), key)?;
            outln!("checkpoint: {} entries, head {}", last.seq + 1, last.hash);
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Repair => {
            match ledger.repair()? {
                Some(backup) => {
                    outln!("moved the incomplete last line into {}", backup.display())
                }
                None => outln!(
                    "{}: the last line is whole; nothing to repair",
                    ledger.path().display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerCommand::Show { run, json } => {
            let contents = ledger.read()?;
            let entries: Vec<_> = contents
                .entries
                .iter()
                .filter(|e| run.as_ref().is_none_or(|r| &e.run == r))
                .collect();
            if *json {
                print_json(&entries)?;
            } else {
                for entry in entries {
                    let who = session
                        .operators
                        .by_address(&entry.signer)
                        .map(|o| o.name.clone())
                        .unwrap_or_else(|| format!("unlisted {}", entry.signer));
                    outln!(
                        "{:>6} {} {} {:<18} {}",
                        entry.seq,
                        entry.time,
                        entry.run,
                        entry.event.type_name(),
                        who
                    );
                }
            }
            for damage in &contents.damage {
                errln!(
                    "{}:{}: {}",
                    ledger.path().display(),
                    damage.line,
                    damage.why
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
