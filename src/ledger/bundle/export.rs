//! `export RUN --out DIR|FILE.tar.gz`: gathers the run's bundle in memory, checking every
//! source on the way (links, `..`, hashes), then writes it in one move: a folder built beside
//! the target and renamed into place, or a `.tar.gz` written to a temporary file and renamed.

use super::{
    CHECKPOINT, LEDGER, OPERATORS, README, RUN, SUMS, archive, claims, is_plain_name,
    read_no_follow, references, resolve_inside, sha256_hex, sums_text,
};
use crate::engine::Event;
use crate::engine::clock::now;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::entry::SignError;
use crate::ledger::operators::Operators;
use crate::ledger::store::{LedgerError, parse};
use crate::ledger::verify::verify;
use crate::workspace::Source;
use crate::workspace::context::Context;
use crate::workspace::durable::sync_folder;
use alloy_signer_local::PrivateKeySigner;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no run `{0}` in the ledger")]
    UnknownRun(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(
        "the ledger does not verify, so no bundle of it would (see `owner-console ledger verify`):\n{0}"
    )]
    LedgerFails(String),
    #[error(
        "run {run}: its runbook {path} changed since the run started (sha256 {recorded} recorded at run-started, {now} now); restore the file to export the run"
    )]
    RunbookChanged {
        run: String,
        path: String,
        recorded: String,
        now: String,
    },
    #[error("{0}")]
    Refused(String),
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |error| ExportError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What was exported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub out: PathBuf,
    pub archive: bool,
    pub run: String,
    pub run_entries: usize,
    pub ledger_entries: u64,
    pub files: usize,
    pub evidence: usize,
    pub checkpoint: Checkpoint,
}

/// Exports run `run` of the workspace's ledger into `out` (a new or empty folder, or a new
/// `.tar.gz` file). The checkpoint is signed with `key`.
pub fn export(
    ctx: &Context,
    key: &PrivateKeySigner,
    run: &str,
    out: &Path,
) -> Result<Exported, ExportError> {
    let archive = out.to_string_lossy().ends_with(".tar.gz");
    let target = resolve_output(out, &ctx.workspace.storage, archive)?;

    let ledger = ctx.ledger();
    let bytes = ledger.read_bytes()?;
    let operators_bytes = workspace_file(ctx, OPERATORS)?.ok_or_else(|| {
        ExportError::Refused(format!(
            "the workspace has no {OPERATORS}: list the operators whose keys signed the ledger (`owner-console keys list` shows yours) so that the bundle can be checked"
        ))
    })?;
    let operators = Operators::parse(&String::from_utf8_lossy(&operators_bytes))
        .map_err(|why| ExportError::Refused(why.to_string()))?;
    let local_checkpoint =
        Checkpoint::read(&ledger.checkpoint_path()).map_err(ExportError::Refused)?;
    let report = verify(&bytes, &operators, local_checkpoint.as_ref());
    if !report.passed() {
        let lines: Vec<String> = report.findings.iter().map(|f| format!("  {f}")).collect();
        return Err(ExportError::LedgerFails(lines.join("\n")));
    }
    // A ledger handed over is first pinned, as `ledger checkpoint` does: a checkpoint entry
    // recorded and the checkpoint file written durably.
    ledger.checkpoint(&now(), key)?;
    let bytes = ledger.read_bytes()?;
    let contents = parse(&bytes);
    let entries: Vec<_> = contents.entries.iter().filter(|e| e.run == run).collect();
    let Some(first) = entries.first() else {
        return Err(ExportError::UnknownRun(run.to_owned()));
    };
    let Event::RunStarted(started) = &first.event else {
        return Err(ExportError::Refused(format!(
            "`{run}` is not a run: its first entry (seq {}) is {}, not run-started",
            first.seq,
            first.event.type_name()
        )));
    };
    let Some(last) = contents.entries.last() else {
        return Err(ExportError::UnknownRun(run.to_owned()));
    };

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let runbook = workspace_file(ctx, &started.path)?.ok_or_else(|| {
        ExportError::Refused(format!(
            "run {run}: its runbook {} is no longer in the workspace",
            started.path
        ))
    })?;
    let runbook_sha256 = sha256_hex(&runbook);
    if runbook_sha256 != started.sha256 {
        return Err(ExportError::RunbookChanged {
            run: run.to_owned(),
            path: started.path.clone(),
            recorded: started.sha256.clone(),
            now: runbook_sha256,
        });
    }
    files.insert(claims::runbook_path(started), runbook);

    let referenced = references(entries.iter().copied());
    for reference in &referenced {
        let culprit = format!("entry seq {} ({})", reference.seq, reference.what);
        if let Some(why) = reference.bad_name() {
            return Err(ExportError::Refused(format!("{culprit}: {why}")));
        }
        let (shown, content) = match &reference.source {
            Some(source) => (
                source.clone(),
                workspace_file(ctx, source)?.ok_or_else(|| {
                    ExportError::Refused(format!(
                        "{culprit}: {source} is no longer in the workspace; restore it to export the run"
                    ))
                })?,
            ),
            None => {
                let storage = &ctx.workspace.storage;
                let source = resolve_inside(storage, &reference.path()).map_err(|why| {
                    ExportError::Refused(format!(
                        "{culprit} references {}, which cannot be copied out: {why}",
                        reference.path()
                    ))
                })?;
                let content = read_no_follow(&source).map_err(io_at(&source))?;
                (source.display().to_string(), content)
            }
        };
        if let Some(why) = reference.mismatch(&content) {
            return Err(ExportError::Refused(format!(
                "{culprit}: {shown}: {why}: it changed since it was recorded; restore it to export the run"
            )));
        }
        files.insert(reference.path(), content);
    }

    let checkpoint = Checkpoint::of(last, &now(), key)?;
    let manifest = claims::manifest(run, started, &entries, &checkpoint);
    files.insert(LEDGER.to_owned(), bytes);
    files.insert(OPERATORS.to_owned(), operators_bytes);
    files.insert(CHECKPOINT.to_owned(), pretty(&checkpoint)?);
    files.insert(RUN.to_owned(), pretty(&manifest)?);
    files.insert(
        README.to_owned(),
        claims::readme(&manifest, &started.title, &referenced).into_bytes(),
    );
    let hashes: BTreeMap<String, String> = files
        .iter()
        .map(|(path, bytes)| (path.clone(), sha256_hex(bytes)))
        .collect();
    files.insert(SUMS.to_owned(), sums_text(&hashes).into_bytes());

    if archive {
        write_archive(&target, &files)?;
    } else {
        write_folder(&target, &files)?;
    }
    Ok(Exported {
        out: target,
        archive,
        run: run.to_owned(),
        run_entries: entries.len(),
        ledger_entries: checkpoint.entries,
        files: files.len(),
        evidence: referenced.len(),
        checkpoint,
    })
}

/// Pretty JSON with a final newline.
fn pretty(value: &impl serde::Serialize) -> Result<Vec<u8>, ExportError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| ExportError::Refused(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A file of the workspace by its relative path; in a folder workspace, refused when it leaves
/// the folder through `..` or a link. `None` when it does not exist.
fn workspace_file(ctx: &Context, relative: &str) -> Result<Option<Vec<u8>>, ExportError> {
    match &ctx.workspace.source {
        Source::Embedded => Ok(ctx.workspace.read_text(relative).map(String::into_bytes)),
        Source::Folder(root) => {
            let joined = root.join(relative);
            if !relative.contains("..") && std::fs::symlink_metadata(&joined).is_err() {
                return Ok(None);
            }
            let path = resolve_inside(root, relative).map_err(|why| {
                ExportError::Refused(format!("{relative} cannot be copied out: {why}"))
            })?;
            read_no_follow(&path).map(Some).map_err(io_at(&path))
        }
    }
}

/// The output path made absolute with its existing part resolved; refused when it lies in
/// the workspace's `storage/`, is a link, or already holds something.
fn resolve_output(out: &Path, storage: &Path, archive: bool) -> Result<PathBuf, ExportError> {
    let refuse = |why: String| Err(ExportError::Refused(format!("{}: {why}", out.display())));
    let absolute = std::path::absolute(out).map_err(io_at(out))?;
    if let Ok(metadata) = std::fs::symlink_metadata(&absolute) {
        if metadata.file_type().is_symlink() {
            return refuse("is a symbolic link; give a new path".into());
        }
        if archive || !metadata.is_dir() {
            return refuse("already exists; give a new path (nothing is overwritten)".into());
        }
        let mut listing = std::fs::read_dir(&absolute).map_err(io_at(&absolute))?;
        if listing.next().is_some() {
            return refuse("is a folder that is not empty; give a new or empty folder".into());
        }
    }
    let mut existing = absolute.as_path();
    let mut tail = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            return refuse("climbs with `..` through folders that do not exist".into());
        };
        tail.push(name.to_owned());
        existing = parent;
    }
    if absolute.strip_prefix(existing).is_ok_and(|rest| {
        rest.components()
            .any(|c| !matches!(c, Component::Normal(_)))
    }) {
        return refuse("climbs with `..` through folders that do not exist".into());
    }
    let mut resolved = existing.canonicalize().map_err(io_at(existing))?;
    resolved.extend(tail.iter().rev());
    if let Ok(storage) = storage.canonicalize()
        && resolved.starts_with(&storage)
    {
        return refuse(format!(
            "lies inside the workspace's run state ({}); export somewhere else",
            storage.display()
        ));
    }
    if resolved.file_name().is_none() {
        return refuse("names no file or folder".into());
    }
    Ok(resolved)
}

/// `(parent, .<name>.partial-<pid>)` beside `target`, the parent created.
fn staging(target: &Path) -> Result<(PathBuf, PathBuf), ExportError> {
    let parent = target.parent().unwrap_or(Path::new("/")).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(io_at(&parent))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = parent.join(format!(".{name}.partial-{}", std::process::id()));
    Ok((parent, partial))
}

/// Removes a partial output unless the export finished.
struct Cleanup(Option<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
}

fn write_folder(target: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), ExportError> {
    let (parent, partial) = staging(target)?;
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir(&partial).map_err(io_at(&partial))?;
    let mut cleanup = Cleanup(Some(partial.clone()));
    for (relative, bytes) in files {
        let path = partial.join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io_at(folder))?;
        }
        let mut file = std::fs::File::create_new(&path).map_err(io_at(&path))?;
        file.write_all(bytes).map_err(io_at(&path))?;
        file.sync_all().map_err(io_at(&path))?;
    }
    let folders: std::collections::BTreeSet<PathBuf> = files
        .keys()
        .filter_map(|relative| partial.join(relative).parent().map(Path::to_path_buf))
        .collect();
    for folder in folders.iter().rev() {
        sync_folder(folder).map_err(io_at(folder))?;
    }
    // Replaces an empty folder at `target`, never a non-empty one.
    std::fs::rename(&partial, target).map_err(io_at(target))?;
    cleanup.0 = None;
    sync_folder(&parent).map_err(io_at(&parent))
}

fn write_archive(target: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), ExportError> {
    let (parent, partial) = staging(target)?;
    let top = target
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".tar.gz").to_owned())
        .filter(|n| is_plain_name(n))
        .unwrap_or_else(|| "bundle".to_owned());
    let file = std::fs::File::create_new(&partial).map_err(io_at(&partial))?;
    let mut cleanup = Cleanup(Some(partial.clone()));
    let file = archive::write_tar_gz(file, &top, files).map_err(io_at(&partial))?;
    file.sync_all().map_err(io_at(&partial))?;
    // A hard link fails when `target` appeared meanwhile, where a rename would replace it;
    // on file systems without hard links, the rename.
    match std::fs::hard_link(&partial, target) {
        Ok(()) => std::fs::remove_file(&partial).map_err(io_at(&partial))?,
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ExportError::Refused(format!(
                "{}: appeared while the bundle was written; nothing is overwritten",
                target.display()
            )));
        }
        Err(_) => std::fs::rename(&partial, target).map_err(io_at(target))?,
    }
    cleanup.0 = None;
    sync_folder(&parent).map_err(io_at(&parent))
}
