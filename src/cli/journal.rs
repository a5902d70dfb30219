use crate::session::Session;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Check that every line of the journal reads as an entry.
    Check,
    /// Move an incomplete last line (a write cut off by a crash) into a backup file.
    Repair,
}

pub fn dispatch(session: &Session, command: &JournalCommand) -> color_eyre::Result<ExitCode> {
    let journal = session.journal();
    match command {
        JournalCommand::Check => {
            let contents = journal.read()?;
            for damage in &contents.damage {
                eprintln!(
                    "{}:{}: {}",
                    journal.path().display(),
                    damage.line,
                    damage.why
                );
            }
            println!(
                "{}: {} entries, {} damaged line(s)",
                journal.path().display(),
                contents.entries.len(),
                contents.damage.len()
            );
            Ok(if contents.damage.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        JournalCommand::Repair => {
            match journal.repair()? {
                Some(backup) => {
                    println!("moved the incomplete last line into {}", backup.display())
                }
                None => println!(
                    "{}: the last line is whole; nothing to repair",
                    journal.path().display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
