use super::output::print_json;
use super::output::{errln, outln};
use crate::engine::clock::now;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::operators::Operators;
use crate::ledger::verify::{UnlistedKey, Verdict, verify};
use crate::session::Session;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every hash, the chain, every signature, the signers and their roles, and the
    /// checkpoint; name each bad entry. Exit 0 verified, 3 when the only findings are entries
    /// signed by a key not listed in config/operators.toml (the entry to add is printed), 1 on
    /// any other finding.
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
                let verdict = match report.verdict() {
                    Verdict::Verified => "verified".to_owned(),
                    Verdict::Unlisted { entries, .. } => format!(
                        "{entries} entr{} signed by an unlisted key",
                        if entries == 1 { "y" } else { "ies" }
                    ),
                    Verdict::Failed(_) => format!("{} finding(s)", report.findings.len()),
                };
                outln!(
                    "{}: {} entries by {} signer(s), {checkpoint}: {verdict}",
                    ledger.path().display(),
                    report.entries,
                    report.signers.len()
                );
                if let Verdict::Unlisted { keys, .. } = report.verdict() {
                    outln!("{}", how_to_list(keys));
                }
            }
            Ok(match report.verdict() {
                Verdict::Verified => ExitCode::SUCCESS,
                Verdict::Unlisted { .. } => ExitCode::from(UNLISTED_ONLY),
                Verdict::Failed(_) => ExitCode::FAILURE,
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

/// `ledger verify`'s exit status when all holds but some entries are signed by keys not listed.
pub const UNLISTED_ONLY: u8 = 3;

/// What to do about keys that signed without being listed: the entry for each, named after
/// this machine's key of that address when there is one, and the command that adds it.
fn how_to_list(keys: &[UnlistedKey]) -> String {
    let own = crate::keys::KeyStore::default_location()
        .and_then(|store| store.list())
        .unwrap_or_default();
    let mut text = format!(
        "\nEverything else holds: these entries are signed by a key that {} does not list (yet). If it is your key, `owner-console keys add-to-operators` lists it; else add its entry to {}:\n",
        Operators::FILE,
        Operators::FILE
    );
    for key in keys {
        let name = own
            .iter()
            .find(|k| {
                k.address
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(&key.address))
            })
            .map_or("NAME", |k| k.name.as_str());
        text.push('\n');
        text.push_str(&format!(
            "# signed {} entr{}\n",
            key.entries,
            if key.entries == 1 { "y" } else { "ies" }
        ));
        text.push_str(&Operators::entry_text(name, &key.address));
    }
    text.trim_end().to_owned()
}
