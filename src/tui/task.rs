//! Slow work (commands, HTTP checks, verifying the ledger) runs off the draw path and reports
//! back.

use crate::chain::{Chain, ChainError, LiveState, Target};
use crate::cli::unlock::GivenKey;
use crate::ledger::Ledger;
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::operators::Operators;
use crate::ledger::verify::{Report, verify};
use crate::runbook::Loaded;
use crate::runbook::load::load_texts;
use crate::session::run_index::{IndexedRuns, replayed};
use crate::session::run_list::RunLister;
use crate::steps::{Done, Prepared};
use crate::workspace::Workspace;
use alloy_signer_local::PrivateKeySigner;
use std::path::PathBuf;
use std::sync::Arc;

pub enum Task {
    /// A step action of `run`, carried out off the draw path.
    Step {
        run: String,
        prepared: Box<Prepared>,
    },
    Verify {
        ledger: PathBuf,
        checkpoint: PathBuf,
        operators: Operators,
        /// How many entries the app knew of when it began.
        seen: usize,
    },
    /// The run list from a full replay, to check what the run index gave.
    ListRuns { ledger: PathBuf, lister: RunLister },
    /// The operator key's scrypt, when its passphrase was given.
    Unlock(GivenKey),
    /// The runbooks loaded afresh, to check what the runbook cache gave.
    LoadRunbooks(Workspace),
    /// The state panel's periodic read of the live chain.
    Refresh {
        network: String,
        target: Arc<Target>,
        chain: Arc<Chain>,
    },
}

/// The runbook files (shown path, text), each loaded afresh.
pub struct FreshRunbooks {
    pub files: Vec<(PathBuf, String)>,
    pub loaded: Vec<Loaded>,
}

pub enum TaskDone {
    /// A step action finished: its event is to be recorded against `run`.
    Action {
        run: String,
        result: Result<Done, String>,
    },
    Verified {
        /// How many entries the app knew of when the verification began.
        seen: usize,
        result: Result<Report, String>,
    },
    RunsListed(Result<IndexedRuns, String>),
    Unlocked(Result<PrivateKeySigner, String>),
    RunbooksLoaded(Result<FreshRunbooks, String>),
    Refreshed {
        network: String,
        result: Result<LiveState, ChainError>,
    },
}

impl Task {
    pub fn describe(&self) -> String {
        match self {
            Self::Step { prepared, .. } => prepared.describe(),
            Self::Verify { .. } => "verifying the ledger".to_owned(),
            Self::ListRuns { .. } => "listing the runs".to_owned(),
            Self::Unlock(_) => "unlocking the operator key".to_owned(),
            Self::LoadRunbooks(_) => "checking the runbooks".to_owned(),
            Self::Refresh { network, .. } => format!("reading {network}"),
        }
    }

    /// Whether the task holds up the step being worked on (and so a second one must wait).
    pub fn is_step_action(&self) -> bool {
        matches!(self, Self::Step { .. })
    }

    pub async fn execute(self) -> TaskDone {
        match self {
            Self::Step { run, prepared } => TaskDone::Action {
                run,
                result: prepared.execute().await.map_err(|e| e.to_string()),
            },
            Self::Refresh {
                network,
                target,
                chain,
            } => TaskDone::Refreshed {
                network,
                result: crate::chain::live::read_state(&chain, &target).await,
            },
            Self::ListRuns { ledger, lister } => TaskDone::RunsListed(
                in_the_background(move || {
                    replayed(&Ledger::new(ledger), &lister).map_err(|e| e.to_string())
                })
                .await,
            ),
            Self::LoadRunbooks(workspace) => TaskDone::RunbooksLoaded(
                off_the_loop(move || {
                    let files = workspace.runbook_files().map_err(|e| e.to_string())?;
                    let loaded = load_texts(&files);
                    Ok(FreshRunbooks { files, loaded })
                })
                .await,
            ),
            Self::Unlock(given) => TaskDone::Unlocked(
                off_the_loop(move || given.unlock().map_err(|e| e.to_string())).await,
            ),
            Self::Verify {
                ledger,
                checkpoint,
                operators,
                seen,
            } => {
                let work = move || -> Result<Report, String> {
                    let bytes = match std::fs::read(&ledger) {
                        Ok(bytes) => bytes,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                        Err(e) => return Err(format!("{}: {e}", ledger.display())),
                    };
                    let checkpoint = Checkpoint::read(&checkpoint)?;
                    Ok(verify(&bytes, &operators, checkpoint.as_ref()))
                };
                TaskDone::Verified {
                    seen,
                    result: in_the_background(work).await,
                }
            }
        }
    }
}

/// Runs blocking work that nothing waits for (the ledger's verification, the full replay
/// that checks the run index) on a thread of its own at a lower priority (nice +10), so that
/// it leaves the cores to the console's loop, the terminal and ssh.
async fn in_the_background<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("background-check".into())
        .spawn(move || {
            lower_this_threads_priority();
            let _ = done.send(work());
        })
        .map_err(|e| format!("cannot start a background thread: {e}"))?;
    result
        .await
        .unwrap_or_else(|_| Err("the background work stopped without an answer".into()))
}

/// Adds [`BACKGROUND_NICE`] to this thread's nice value (on Linux a thread has one of its
/// own); elsewhere this does nothing.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority on this thread's own id read and change only how
    // the kernel weighs it.
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        let nice = libc::getpriority(libc::PRIO_PROCESS, thread);
        libc::setpriority(libc::PRIO_PROCESS, thread, (nice + BACKGROUND_NICE).min(19));
    }
}

const BACKGROUND_NICE: i32 = 10;

/// Runs blocking work on tokio's blocking threads.
async fn off_the_loop<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn nice_of_this_thread() -> i32 {
        // SAFETY: getpriority only reads this thread's nice value.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[test]
    fn background_work_runs_at_a_lower_priority_and_the_loop_keeps_its_own() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let before = nice_of_this_thread();
        let nice = runtime.block_on(in_the_background(|| Ok(nice_of_this_thread())));
        assert_eq!(nice, Ok((before + BACKGROUND_NICE).min(19)));
        assert_eq!(
            nice_of_this_thread(),
            before,
            "the caller's priority changed"
        );
        let failed: Result<(), String> =
            runtime.block_on(in_the_background(|| Err("it failed".into())));
        assert_eq!(failed, Err("it failed".to_owned()));
    }
}
