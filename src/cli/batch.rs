//! `batch`: Safe Transaction Builder batch files, decoded and checked for review. The console
//! never signs these: the Safe's owners load them into the Safe web app.

use super::output::print_json;
use super::output::{out, outln};
use crate::safe::{self, Batch, Status};
use clap::Subcommand;
use color_eyre::eyre::{WrapErr, eyre};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Decode a batch file method by method and run every check that needs no network
    /// configuration (selectors, values, value sent, chain id, checksum); a run's batch (in a
    /// workspace's storage/batches/ or a bundle's batches/) is also checked against the SHA-256
    /// its batch-prepared entry recorded. Exits 1 if any fails.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print the checksum the Safe app computes for a batch file, and whether the file's own
    /// `meta.checksum` matches it (exits 1 when it is present and does not).
    Checksum {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn dispatch(command: &BatchCommand) -> color_eyre::Result<ExitCode> {
    match command {
        BatchCommand::Show { file, json } => show(file, *json),
        BatchCommand::Checksum { file, json } => checksum(file, *json),
    }
}

fn read(file: &Path) -> color_eyre::Result<Batch> {
    let text = std::fs::read_to_string(file)
        .wrap_err_with(|| format!("cannot read {}", file.display()))?;
    safe::parse_batch(&text).map_err(|e| eyre!("{}: {e}", file.display()))
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn show(file: &Path, json: bool) -> color_eyre::Result<ExitCode> {
    let batch = read(file)?;
    let review = safe::review(&batch, None);
    let recorded = recorded_check(file)?;
    if json {
        let mut value = serde_json::to_value(&review)?;
        if let (Some(object), Some(check)) = (value.as_object_mut(), &recorded) {
            object.insert("recorded".into(), serde_json::to_value(check)?);
        }
        print_json(&value)?;
    } else {
        outln!("file: {}", file.display());
        out!("{}", safe::review_text(&review));
        if let Some(check) = &recorded {
            outln!("  {} recorded: {}", check.status.mark(), check.detail);
        }
    }
    let bound = recorded.is_none_or(|c| c.status != Status::Fail);
    Ok(exit(review.ok() && bound))
}

/// How the file compares with the entry that recorded it, when a ledger lies beside it.
#[derive(serde::Serialize)]
struct RecordedCheck {
    status: Status,
    detail: String,
}

fn recorded_check(file: &Path) -> color_eyre::Result<Option<RecordedCheck>> {
    use crate::ledger::bundle::recorded::{RecordError, batch_record};
    let check = |status, detail| Ok(Some(RecordedCheck { status, detail }));
    let recorded = match batch_record(file) {
        None => return Ok(None),
        Some(Err(error @ RecordError::NotRecorded { .. })) => {
            return check(Status::Warn, error.to_string());
        }
        Some(Err(error)) => return check(Status::Fail, error.to_string()),
        Some(Ok(recorded)) => recorded,
    };
    let bytes = std::fs::read(file).wrap_err_with(|| format!("cannot read {}", file.display()))?;
    let reference = &recorded.reference;
    let ledger = format!("run {}, {}", recorded.run, recorded.ledger.display());
    match reference.mismatch(&bytes) {
        Some(why) => check(
            Status::Fail,
            format!("{why} ({ledger}): this is not the batch the run prepared and approved"),
        ),
        None => check(
            Status::Pass,
            format!(
                "SHA-256 {}, as batch-prepared recorded at seq {} ({ledger})",
                crate::ledger::bundle::sha256_hex(&bytes),
                reference.seq
            ),
        ),
    }
}

fn checksum(file: &Path, json: bool) -> color_eyre::Result<ExitCode> {
    let batch = read(file)?;
    let computed = batch.computed_checksum().to_string();
    let given = batch.meta.checksum.get().filter(|c| !c.is_empty()).cloned();
    let matches = given.as_ref().map(|g| g.eq_ignore_ascii_case(&computed));
    if json {
        print_json(&serde_json::json!({
            "file": file,
            "computed": computed,
            "inFile": given,
            "matches": matches,
        }))?;
    } else {
        outln!("{computed}");
        match (&given, matches) {
            (Some(given), Some(true)) => {
                outln!("{} meta.checksum {given} matches", Status::Pass.mark())
            }
            (Some(given), _) => outln!(
                "{} meta.checksum {given} does not match: expected {computed}",
                Status::Fail.mark()
            ),
            (None, _) => outln!(
                "{} the file has no meta.checksum (the Safe app adds one on export)",
                Status::Warn.mark()
            ),
        }
    }
    Ok(exit(matches != Some(false)))
}
