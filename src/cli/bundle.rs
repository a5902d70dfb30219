//! `export RUN --out DIR|FILE.tar.gz` and `verify-bundle PATH`.

use super::output::print_json;
use super::output::{errln, outln};
use super::{Cli, open_session_for};
use crate::ledger::bundle::limits::{Limits, Size};
use crate::ledger::bundle::{check, export as bundle_export};
use crate::ledger::operators::Operators;
use crate::session::{Need, Session};
use crate::workspace::Source;
use clap::Args;
use color_eyre::eyre::Report;
use std::path::Path;
use std::process::ExitCode;

pub fn export(session: &Session, run: &str, out: &Path) -> color_eyre::Result<ExitCode> {
    let key = session.key().ok_or(crate::session::SessionError::Locked)?;
    let exported = bundle_export::export(session, key, run, out)?;
    let checkpoint = &exported.checkpoint;
    outln!(
        "exported run {}: {} entries, {} evidence file(s), {} files; checkpoint at {} ledger entries (head {}…) signed by {}",
        exported.run,
        exported.run_entries,
        exported.evidence,
        exported.files,
        exported.ledger_entries,
        checkpoint.head.get(..12).unwrap_or(&checkpoint.head),
        checkpoint.signer
    );
    outln!("  into {}", exported.out.display());
    let sums = if exported.archive {
        "`sha256sum -c SHA256SUMS` in the unpacked folder"
    } else {
        "`sha256sum -c SHA256SUMS` in the folder"
    };
    outln!(
        "check it: {sums}; `owner-console verify-bundle {}`",
        exported.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The operators to check the signers against: `--operators FILE`, else a folder workspace's
/// own list, else none (the bundle's copy is used).
fn trusted_operators(
    cli: &Cli,
    file: Option<&Path>,
) -> color_eyre::Result<Option<(Operators, String)>> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Report::msg(format!("{}: {e}", file.display())))?;
        let operators = Operators::parse(&text)
            .map_err(|why| Report::msg(format!("{}: {why}", file.display())))?;
        return Ok(Some((operators, file.display().to_string())));
    }
    let session = open_session_for(cli, Need::Nothing)?;
    match &session.workspace.source {
        Source::Folder(root) if session.workspace.read_text(Operators::FILE).is_some() => {
            let source = format!("{} (this workspace)", root.join(Operators::FILE).display());
            Ok(Some((session.operators.clone(), source)))
        }
        _ => Ok(None),
    }
}

/// The caps `verify-bundle` holds a bundle to (defaults in `ledger::bundle::limits`).
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The most the bundle's files may hold together [default: 1GiB].
    #[arg(long, value_name = "SIZE")]
    max_bytes: Option<Size>,
    /// The most any one file of the bundle may hold [default: 256MiB].
    #[arg(long, value_name = "SIZE")]
    max_file_bytes: Option<Size>,
    /// The most files and folders the bundle may hold [default: 10000].
    #[arg(long, value_name = "N")]
    max_entries: Option<u64>,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let defaults = Limits::default();
        Limits {
            max_bytes: self.max_bytes.map_or(defaults.max_bytes, |s| s.0),
            max_file_bytes: self.max_file_bytes.map_or(defaults.max_file_bytes, |s| s.0),
            max_entries: self.max_entries.unwrap_or(defaults.max_entries),
        }
    }
}

pub fn verify(
    cli: &Cli,
    path: &Path,
    operators: Option<&Path>,
    json: bool,
    limits: &Limits,
) -> color_eyre::Result<ExitCode> {
    let trusted = trusted_operators(cli, operators)?;
    let own_list = trusted.is_none();
    let report = check::verify_bundle(path, trusted, limits);
    if json {
        print_json(&report)?;
    } else {
        for finding in &report.findings {
            errln!("{}: {finding}", report.bundle);
        }
        let verdict = if report.passed() {
            "verified".to_owned()
        } else {
            format!("{} finding(s)", report.findings.len())
        };
        let checkpoint = report
            .checkpoint
            .map(|n| format!("checkpoint at {n} entries"))
            .unwrap_or_else(|| "no checkpoint".into());
        outln!(
            "{}: run {}, {} ledger entries ({} of the run), {} evidence file(s), {} files in SHA256SUMS, {checkpoint}; signers checked against {}: {verdict}",
            report.bundle,
            report.run.as_deref().unwrap_or("?"),
            report.ledger_entries,
            report.run_entries,
            report.evidence,
            report.files,
            if report.operators.is_empty() {
                "nothing"
            } else {
                &report.operators
            }
        );
        if own_list && report.passed() {
            outln!(
                "note: that list came with the bundle; `--operators FILE` checks the signers against a list you trust"
            );
        }
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
