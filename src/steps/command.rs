//! A `command` step: its command rendered with the run's inputs (shell-quoted), run after a
//! typed confirmation as `sh -c` with a time limit that kills the whole process group and a
//! scrubbed environment ([`super::command_env`]), its output captured up to a bound and
//! redacted into the evidence store, and the `command-ran` event.

use super::StepError;
use super::command_env::CommandEnv;
use crate::engine::event::CommandRan;
use crate::engine::{Event, Run};
use crate::redact::Redactor;
use crate::runbook::template::render_shell;
use crate::runbook::{CommandRun, StepAction};
use crate::workspace::context::Context;
use crate::workspace::evidence::EvidenceStore;
use sha2::{Digest, Sha256};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;

/// The current step's command with its inputs filled in, shell-quoted.
pub fn rendered_command(run: &Run) -> Option<Result<String, StepError>> {
    let step = run.current_step()?;
    let StepAction::Command { command, .. } = &step.action else {
        return None;
    };
    Some(render_shell(command, &run.template_values()).map_err(StepError::from))
}

pub struct PreparedCommand {
    step: String,
    rendered: String,
    timeout: Duration,
    expect_exit: i32,
    folder: PathBuf,
    evidence: PathBuf,
    env: CommandEnv,
}

/// The current step's command, to run where the workspace runs commands, with the variables
/// it declares; a drill's with its sandbox in the environment.
pub fn prepare(ctx: &Context, run: &Run) -> Result<PreparedCommand, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::Command {
        run: mode,
        timeout_secs,
        expect_exit,
        env,
        ..
    } = &step.action
    else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a command",
        });
    };
    if *mode != CommandRun::Confirm {
        return Err(StepError::ShowOnly(step.id.clone()));
    }
    let rendered = rendered_command(run).ok_or(StepError::NoCommand)??;
    Ok(PreparedCommand {
        step: step.id.clone(),
        rendered,
        timeout: Duration::from_secs(*timeout_secs),
        expect_exit: *expect_exit,
        folder: ctx.workspace.command_folder()?,
        evidence: ctx.evidence().path_of(""),
        env: CommandEnv::for_step(ctx, run, env),
    })
}

impl PreparedCommand {
    pub fn command(&self) -> &str {
        &self.rendered
    }

    /// Runs the command; its whole (bounded) output goes to the evidence store.
    pub async fn execute(self) -> Result<Event, StepError> {
        let captured = run_command(
            &self.step,
            &self.rendered,
            self.timeout,
            self.expect_exit,
            &self.folder,
            &self.env.vars,
            &self.env.redactor,
        )
        .await
        .map_err(StepError::Start)?;
        let store = EvidenceStore::new(self.evidence);
        store
            .put_bytes(&captured.stdout)
            .map_err(|error| StepError::Evidence {
                what: "stdout",
                error,
            })?;
        store
            .put_bytes(&captured.stderr)
            .map_err(|error| StepError::Evidence {
                what: "stderr",
                error,
            })?;
        Ok(Event::CommandRan(captured.ran))
    }
}

/// Output beyond this is counted but not kept.
pub const CAPTURE_LIMIT: usize = 1 << 20;
/// How much of each stream goes into the journal entry itself.
pub const EXCERPT_LIMIT: usize = 4096;

pub struct Captured {
    pub ran: CommandRan,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

async fn drain(mut stream: impl AsyncRead + Unpin) -> (Vec<u8>, u64) {
    let mut kept = Vec::new();
    let mut total = 0u64;
    let mut buffer = [0u8; 8192];
    while let Ok(read) = stream.read(&mut buffer).await {
        if read == 0 {
            break;
        }
        total += read as u64;
        let room = CAPTURE_LIMIT.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..read.min(room)]);
    }
    (kept, total)
}

fn excerpt(bytes: &[u8]) -> String {
    let cut = bytes.len().min(EXCERPT_LIMIT);
    String::from_utf8_lossy(&bytes[..cut]).into_owned()
}

/// Runs `command` with exactly the environment `env`; what it wrote, and the command as
/// recorded, pass through `redactor` before they are hashed.
pub async fn run_command(
    step: &str,
    command: &str,
    timeout: Duration,
    expect_exit: i32,
    folder: &Path,
    env: &[(OsString, OsString)],
    redactor: &Redactor,
) -> std::io::Result<Captured> {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(folder)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()?;
    let group = child.id().map(|pid| pid as i32);
    let stdout = tokio::spawn(drain(
        child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout pipe"))?,
    ));
    let stderr = tokio::spawn(drain(
        child
            .stderr
            .take()
            .ok_or_else(|| std::io::Error::other("no stderr pipe"))?,
    ));
    let (status, timed_out) = match tokio::time::timeout(timeout, child.wait()).await {
        Ok(status) => (Some(status?), false),
        Err(_) => {
            if let Some(group) = group {
                // SAFETY: killpg only sends a signal to the group this function created.
                unsafe { libc::killpg(group, libc::SIGKILL) };
            }
            let _ = child.wait().await;
            (None, true)
        }
    };
    if let Some(group) = group {
        // Whatever the shell left running in its group must not outlive the step.
        // SAFETY: as above.
        unsafe { libc::killpg(group, libc::SIGKILL) };
    }
    let (out, out_total) = stdout.await.unwrap_or_default();
    let (err, err_total) = stderr.await.unwrap_or_default();
    let (out, err) = (redactor.bytes(&out), redactor.bytes(&err));
    let exit_code = status.and_then(|s| s.code());
    let ran = CommandRan {
        step: step.to_owned(),
        command: redactor.text(command),
        exit_code,
        timed_out,
        duration_ms: started.elapsed().as_millis() as u64,
        stdout: excerpt(&out),
        stdout_sha256: hex::encode(Sha256::digest(&out)),
        stdout_bytes: out_total,
        stderr: excerpt(&err),
        stderr_sha256: hex::encode(Sha256::digest(&err)),
        stderr_bytes: err_total,
        passed: !timed_out && exit_code == Some(expect_exit),
    };
    Ok(Captured {
        ran,
        stdout: out,
        stderr: err,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn captures_status_and_output() {
        let captured = run_command(
            "s",
            "echo out; echo err >&2; exit 3",
            Duration::from_secs(5),
            3,
            Path::new("."),
            &[],
            &Redactor::default(),
        )
        .await
        .unwrap();
        assert_eq!(captured.ran.exit_code, Some(3));
        assert!(captured.ran.passed);
        assert_eq!(captured.stdout, b"out\n");
        assert_eq!(captured.ran.stderr, "err\n");
        assert_eq!(
            captured.ran.stdout_sha256,
            hex::encode(Sha256::digest(b"out\n"))
        );
    }

    #[tokio::test]
    async fn output_and_command_are_redacted_before_they_are_hashed() {
        let redactor = Redactor::default().knowing(["hunter22"]);
        let captured = run_command(
            "s",
            "echo https://x.org/v3/Ab12Cd hunter22; echo API_KEY=k >&2",
            Duration::from_secs(5),
            0,
            Path::new("."),
            &[],
            &redactor,
        )
        .await
        .unwrap();
        assert_eq!(captured.stdout, b"https://x.org/v3/*** ***\n");
        assert_eq!(captured.ran.stderr, "API_KEY=***\n");
        assert_eq!(
            captured.ran.stdout_sha256,
            hex::encode(Sha256::digest(b"https://x.org/v3/*** ***\n"))
        );
        assert_eq!(
            captured.ran.command,
            "echo https://x.org/v3/*** ***; echo API_KEY=*** >&2"
        );
    }

    #[tokio::test]
    async fn the_environment_is_exactly_the_one_given() {
        let env = [(OsString::from("ONLY"), OsString::from("this"))];
        let captured = run_command(
            "s",
            "env",
            Duration::from_secs(5),
            0,
            Path::new("."),
            &env,
            &Redactor::default(),
        )
        .await
        .unwrap();
        let names: Vec<&str> = captured
            .ran
            .stdout
            .lines()
            .filter_map(|line| line.split_once('=').map(|(name, _)| name))
            .filter(|name| !["PWD", "SHLVL", "_", "OLDPWD"].contains(name))
            .collect();
        assert_eq!(names, ["ONLY"], "{}", captured.ran.stdout);
    }

    #[tokio::test]
    async fn a_hung_command_is_killed_with_its_children() {
        let captured = run_command(
            "s",
            "sleep 30 & sleep 30",
            Duration::from_millis(300),
            0,
            Path::new("."),
            &[],
            &Redactor::default(),
        )
        .await
        .unwrap();
        assert!(captured.ran.timed_out);
        assert!(!captured.ran.passed);
        assert!(captured.ran.duration_ms < 10_000);
    }

    #[tokio::test]
    async fn output_is_bounded_but_counted() {
        let captured = run_command(
            "s",
            "head -c 3000000 /dev/zero",
            Duration::from_secs(10),
            0,
            Path::new("."),
            &[],
            &Redactor::default(),
        )
        .await
        .unwrap();
        assert_eq!(captured.stdout.len(), CAPTURE_LIMIT);
        assert_eq!(captured.ran.stdout_bytes, 3_000_000);
        assert_eq!(captured.ran.stdout.len(), EXCERPT_LIMIT);
    }
}
