//! The step actions that touch the outside world: running a command, calling a health
//! endpoint, attaching a file. Each is prepared from the run (pure), carried out (I/O, possibly
//! in the background), and yields the event to record.

use crate::engine::command::run_command;
use crate::engine::evidence::EvidenceStore;
use crate::engine::http_check::{Expectation, check};
use crate::engine::{Event, Run};
use crate::runbook::template::{render_shell, render_url};
use crate::runbook::{CommandRun, StepAction};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The current step's command with its inputs filled in, shell-quoted.
pub fn rendered_command(run: &Run) -> Option<Result<String, String>> {
    let step = run.current_step()?;
    let StepAction::Command { command, .. } = &step.action else {
        return None;
    };
    Some(render_shell(command, &run.template_values()).map_err(|e| e.to_string()))
}

pub struct PreparedCommand {
    step: String,
    rendered: String,
    timeout: Duration,
    expect_exit: i32,
    folder: PathBuf,
    evidence: PathBuf,
    env: Vec<(String, String)>,
}

/// What a drill's commands see: the network's RPC URL variable set to its sandbox, and
/// `OWNER_CONSOLE_DRILL` set to the network, so that a console command that a drill runs reads
/// and writes the sandbox's modules, never the real network.
pub fn drill_env(session: &crate::session::Session, run: &Run) -> Vec<(String, String)> {
    if run.started.mode != crate::engine::Mode::Drill {
        return Vec::new();
    }
    let network = &run.started.network;
    let sandbox = crate::sandbox::state::SandboxInfo::running(&session.workspace.storage, network);
    match (session.networks.get(network), sandbox) {
        (Some(profile), Ok(info)) => vec![
            (profile.rpc_env.clone(), info.url),
            (
                crate::sandbox::inherited::VARIABLE.to_owned(),
                network.clone(),
            ),
        ],
        _ => Vec::new(),
    }
}

pub fn prepare_command(
    run: &Run,
    folder: &Path,
    evidence: &Path,
) -> Result<PreparedCommand, String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::Command {
        run: mode,
        timeout_secs,
        expect_exit,
        ..
    } = &step.action
    else {
        return Err(format!("step `{}` is not a command step", step.id));
    };
    if *mode != CommandRun::Confirm {
        return Err(format!(
            "step `{}` only shows its command (run = \"never\"): run it yourself, then complete the step",
            step.id
        ));
    }
    let rendered = rendered_command(run).ok_or("no command")??;
    Ok(PreparedCommand {
        step: step.id.clone(),
        rendered,
        timeout: Duration::from_secs(*timeout_secs),
        expect_exit: *expect_exit,
        folder: folder.to_path_buf(),
        evidence: evidence.to_path_buf(),
        env: Vec::new(),
    })
}

impl PreparedCommand {
    pub fn command(&self) -> &str {
        &self.rendered
    }

    /// Adds environment variables for the command (a drill's sandbox URL).
    pub fn with_env(mut self, env: Vec<(String, String)>) -> Self {
        self.env = env;
        self
    }

    /// Runs the command; its whole (bounded) output goes to the evidence store.
    pub async fn execute(self) -> Result<Event, String> {
        let captured = run_command(
            &self.step,
            &self.rendered,
            self.timeout,
            self.expect_exit,
            &self.folder,
            &self.env,
        )
        .await
        .map_err(|e| format!("cannot start `sh`: {e}"))?;
        let store = EvidenceStore::new(self.evidence);
        store
            .put_bytes(&captured.stdout)
            .map_err(|e| format!("cannot store stdout as evidence: {e}"))?;
        store
            .put_bytes(&captured.stderr)
            .map_err(|e| format!("cannot store stderr as evidence: {e}"))?;
        Ok(Event::CommandRan(captured.ran))
    }
}

pub struct PreparedHttp {
    step: String,
    url: String,
    timeout: Duration,
    status: u16,
    pointer: Option<String>,
    equals: Option<String>,
    evidence: PathBuf,
}

pub fn prepare_http(run: &Run, evidence: &Path) -> Result<PreparedHttp, String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::HttpCheck {
        url,
        timeout_secs,
        expect_status,
        json_pointer,
        json_equals,
    } = &step.action
    else {
        return Err(format!("step `{}` is not an http-check step", step.id));
    };
    Ok(PreparedHttp {
        step: step.id.clone(),
        url: render_url(url, &run.template_values()).map_err(|e| e.to_string())?,
        timeout: Duration::from_secs(*timeout_secs),
        status: *expect_status,
        pointer: json_pointer.clone(),
        equals: json_equals.clone(),
        evidence: evidence.to_path_buf(),
    })
}

impl PreparedHttp {
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn execute(self) -> Result<Event, String> {
        let expect = Expectation {
            status: self.status,
            json_pointer: self.pointer.as_deref(),
            json_equals: self.equals.as_deref(),
        };
        let checked = check(&self.step, &self.url, self.timeout, &expect).await;
        if checked.result.body_sha256.is_some() {
            EvidenceStore::new(self.evidence)
                .put_bytes(&checked.body)
                .map_err(|e| format!("cannot store the response as evidence: {e}"))?;
        }
        Ok(Event::HttpChecked(checked.result))
    }
}

/// Copies a file from inside the workspace (`roots`) into the evidence store for the current
/// evidence step.
pub fn attach(
    run: &Run,
    store: &EvidenceStore,
    roots: &[std::path::PathBuf],
    file: &Path,
) -> Result<Event, String> {
    let step = run.current_step().ok_or("the run is over")?;
    if !matches!(step.action, StepAction::Evidence { .. }) {
        return Err(format!("step `{}` is not an evidence step", step.id));
    }
    let inside = crate::engine::evidence::confine(file, roots)?;
    let (sha256, size) = store
        .put_file(&inside)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Event::EvidenceAttached {
        step: step.id.clone(),
        name,
        sha256,
        size,
    })
}

/// Computes the diff of the run's network (config against its state snapshot) for the current
/// diff step; returns the event to record and the diff to show.
pub fn compute_diff(
    session: &crate::session::Session,
    run: &Run,
    live: Option<&crate::chain::LiveState>,
) -> Result<(Event, crate::diff::Diff, String), String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::Diff {
        domains, proposed, ..
    } = &step.action
    else {
        return Err(format!("step `{}` is not a diff step", step.id));
    };
    let from = saved_config(session, run, proposed.as_deref())?;
    let sandbox = drill_state(session, run, live)?;
    let (diff, against, problems) = crate::changes::diff_from(
        session,
        &run.started.network,
        from.as_deref(),
        run_against(run, live, sandbox.as_ref()),
        domains,
        &|stale| run.acknowledged.contains(&stale.block_hash),
    )?;
    if let Some(problem) = problems.first() {
        return Err(format!("the config cannot be read: {problem}"));
    }
    let event = Event::DiffRecorded(crate::engine::DiffRecorded {
        step: step.id.clone(),
        fingerprint: diff.fingerprint.clone(),
        summary: diff.summary(),
        risk: diff.risk().map(|r| r.words().to_owned()),
        changes: diff.changes.len(),
        blocking: diff.blocking(),
        against: against.clone(),
        changed: diff.changes.iter().map(|c| c.id.clone()).collect(),
    });
    Ok((event, diff, against))
}

/// Prepares the current safe-batch step's batch (from the run's diff, or the step's calls),
/// writes it under `storage/batches/`, and returns the event that records its hash.
pub fn prepare_batch(
    session: &crate::session::Session,
    run: &Run,
    live: Option<&crate::chain::LiveState>,
) -> Result<Event, String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::SafeBatch {
        source,
        calls,
        proposed,
    } = &step.action
    else {
        return Err(format!("step `{}` is not a safe-batch step", step.id));
    };
    let network = &run.started.network;
    let batch = if source == "diff" {
        let from = saved_config(session, run, proposed.as_deref())?;
        let domains = last_diff_domains(run);
        let sandbox = drill_state(session, run, live)?;
        crate::plan::batch_for_diff(
            session,
            network,
            from.as_deref(),
            run_against(run, live, sandbox.as_ref()),
            &domains,
            &|stale| run.acknowledged.contains(&stale.block_hash),
            run.started.mode,
        )?
        .0
    } else {
        let values = run.template_values();
        let calls = calls
            .iter()
            .map(|call| {
                let args = call
                    .args
                    .iter()
                    .map(|a| {
                        crate::runbook::template::render_plain(a, &values)
                            .map_err(|e| e.to_string())
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((call.contract.clone(), call.method.clone(), args))
            })
            .collect::<Result<Vec<_>, String>>()?;
        crate::plan::batch_for_calls(
            session,
            network,
            &format!("{}: {}", run.started.title, step.title),
            &calls,
            run.started.mode,
        )?
    };
    let relative = format!("batches/{}-{}.json", run.id, step.id);
    let path = session.workspace.storage.join(&relative);
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    std::fs::create_dir_all(path.parent().unwrap_or(&session.workspace.storage)).map_err(io)?;
    let mut file = std::fs::File::create(&path).map_err(io)?;
    std::io::Write::write_all(&mut file, (batch.to_json_pretty() + "\n").as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(Event::BatchPrepared(crate::engine::event::BatchPrepared {
        step: step.id.clone(),
        file: relative,
        sha256: crate::safe::batch_hash(&batch),
        checksum: batch.computed_checksum().to_string(),
        transactions: batch.transactions.len(),
    }))
}

/// A step's `proposed` folder with its placeholders filled, relative to the folder that holds
/// the workspace's `storage/`.
fn saved_config(
    session: &crate::session::Session,
    run: &Run,
    proposed: Option<&str>,
) -> Result<Option<PathBuf>, String> {
    let Some(template) = proposed else {
        return Ok(None);
    };
    let folder = crate::runbook::template::render_plain(template, &run.template_values())
        .map_err(|e| e.to_string())?;
    let base = session
        .workspace
        .storage
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok(Some(base.join(folder)))
}

/// The domains of the diff step this run last computed, so that its batch makes exactly that diff.
fn last_diff_domains(run: &Run) -> Vec<String> {
    let step = run
        .last_diff
        .as_ref()
        .and_then(|d| run.runbook.step(&d.step));
    match step.map(|s| &s.action) {
        Some(StepAction::Diff { domains, .. }) => domains.clone(),
        _ => Vec::new(),
    }
}

/// Records that the run uses its network's state snapshot although it is older than the
/// network allows; refused when the snapshot is not stale (nothing to acknowledge).
pub fn acknowledge_stale(
    session: &crate::session::Session,
    run: &Run,
    reason: &str,
) -> Result<Event, String> {
    if reason.trim().is_empty() {
        return Err("an acknowledgement needs a reason".into());
    }
    let checked = crate::offline_state::of_network(session, &run.started.network)?;
    let stale = checked.stale.ok_or_else(|| {
        format!(
            "{} is within the network's age limit: nothing to acknowledge",
            checked.name
        )
    })?;
    Ok(Event::StateAcknowledged(crate::engine::StateAcknowledged {
        snapshot: stale.snapshot,
        block_hash: stale.block_hash,
        age_secs: stale.age_secs,
        limit_secs: stale.limit_secs,
        reason: reason.trim().to_owned(),
    }))
}

/// A drill run's sandbox state, read now, unless a fresh reading is already at hand.
/// The current state a run compares with, chosen by the run's mode and not the session's: an
/// offline run resumed where the network's RPC URL is set still reads its snapshot, and never
/// stalls on a node.
fn run_against<'a>(
    run: &Run,
    live: Option<&'a crate::chain::LiveState>,
    sandbox: Option<&'a crate::chain::LiveState>,
) -> crate::changes::Against<'a> {
    use crate::changes::Against;
    match run.started.mode {
        crate::engine::Mode::Offline => Against::Snapshot,
        crate::engine::Mode::Drill | crate::engine::Mode::Live => {
            live.or(sandbox).map_or(Against::Default, Against::Live)
        }
    }
}

fn drill_state(
    session: &crate::session::Session,
    run: &Run,
    live: Option<&crate::chain::LiveState>,
) -> Result<Option<crate::chain::LiveState>, String> {
    if live.is_some() || run.started.mode != crate::engine::Mode::Drill {
        return Ok(None);
    }
    let target = crate::chain::Target::sandbox(session, &run.started.network)?;
    crate::chain::live::read_once(&target).map(Some)
}
