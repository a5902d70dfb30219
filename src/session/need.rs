//! Which runbooks a command needs, so that a command about one runbook parses that one alone:
//! a huge or broken file elsewhere in the workspace neither slows it nor stops it.
//!
//! The runbook is found cheaply, by its file's path or by the `id = "…"` line at the top of
//! each file (only the first bytes are read); a file whose top declares no id in that form
//! is loaded too, as it may be the one. When the files picked do not give the runbook asked
//! for, every file is loaded, as before, and the answer is the one the whole workspace gives.

use super::error::SessionError;
use super::run_list::find_runbook;
use crate::engine::Event;
use crate::ledger::Ledger;
use crate::runbook::find::{Declared, declared_id};
use crate::runbook::load::load_texts;
use crate::runbook::{Loaded, Runbook};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How much of each file is read to find its `id` line.
const HEAD_BYTES: u64 = 16 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need<'a> {
    /// Every runbook: `validate`, the console, `run list`, `report`.
    All,
    /// The runbook of this id or path: `show`, `run start`, `drill`.
    Runbook(&'a str),
    /// The runbook that this run follows, as its `run-started` entry names it: `run status`,
    /// `run next`, `run abort`, `run signoff`, `attest`.
    RunOf(&'a str),
    /// None: the ledger, bundles, the chain, the sandbox, snapshots.
    Nothing,
}

/// The runbooks `need` asks for, loaded.
pub fn load(workspace: &Workspace, need: Need<'_>) -> Result<Vec<Loaded>, SessionError> {
    let name = match need {
        Need::All => return all(workspace),
        Need::Nothing => return Ok(Vec::new()),
        Need::Runbook(name) => name.to_owned(),
        Need::RunOf(run) => match runbook_of(&workspace.ledger(), run)? {
            Some(id) => id,
            None => return all(workspace),
        },
    };
    let picked = pick(workspace, &name)?;
    if picked.is_empty() {
        return all(workspace);
    }
    let files = picked
        .iter()
        .map(|shown| workspace.runbook_file(shown))
        .collect::<Result<Vec<_>, _>>()?;
    let loaded = load_texts(&files);
    let books: Vec<Arc<Runbook>> = loaded
        .iter()
        .filter_map(|l| l.runbook.clone().map(Arc::new))
        .collect();
    if find_runbook(&books, &name).is_ok() {
        Ok(loaded)
    } else {
        all(workspace)
    }
}

fn all(workspace: &Workspace) -> Result<Vec<Loaded>, SessionError> {
    Ok(load_texts(&workspace.runbook_files()?))
}

/// The files that may hold the runbook `name` (an id, or a path with or without `.toml`):
/// those at that path, those whose top declares that id, and those whose top declares none.
fn pick(workspace: &Workspace, name: &str) -> Result<Vec<PathBuf>, SessionError> {
    let bare = name.trim_end_matches(".toml");
    Ok(workspace
        .runbook_heads(HEAD_BYTES)?
        .into_iter()
        .filter(|(shown, head)| {
            shown.with_extension("") == Path::new(bare)
                || match declared_id(head) {
                    Declared::Id(id) => id == bare,
                    Declared::Unknown => true,
                }
        })
        .map(|(shown, _)| shown)
        .collect())
}

/// The id of the runbook that `run` follows, from its `run-started` entry; None when the
/// ledger holds no such entry. Only lines that name the run are parsed.
fn runbook_of(ledger: &Ledger, run: &str) -> Result<Option<String>, SessionError> {
    let bytes = ledger.read_bytes()?;
    let named = bytes
        .split_inclusive(|b| *b == b'\n')
        .filter(|line| std::str::from_utf8(line).is_ok_and(|text| text.contains(run)));
    for line in named {
        let contents = crate::ledger::store::parse(line);
        for entry in contents.entries {
            if let (true, Event::RunStarted(started)) = (entry.run == run, &entry.event) {
                return Ok(Some(started.runbook.clone()));
            }
        }
    }
    Ok(None)
}
