//! A local Ethereum node: Foundry's `anvil`, as the npm package `@foundry-rs/anvil-linux-amd64`
//! installs it. Started on a free loopback port, ready when it says it is listening, stopped by
//! its PID.

use super::SandboxError;
use crate::workspace::context::Context;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PACKAGE_BINARY: &str = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

/// The anvil binary: `OWNER_CONSOLE_ANVIL`, else the npm package's under one of `roots` (and
/// their parents).
pub fn find_anvil(roots: &[&Path]) -> Result<PathBuf, SandboxError> {
    if let Some(path) = std::env::var_os("OWNER_CONSOLE_ANVIL") {
        return Ok(PathBuf::from(path));
    }
    for root in roots {
        for folder in root.ancestors() {
            let candidate = folder.join(PACKAGE_BINARY);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(SandboxError::NoAnvil)
}

/// The anvil binary for a workspace: `OWNER_CONSOLE_ANVIL`, else the npm package's beside the
/// workspace folder, the current folder or the console's own binary.
pub fn find_for(ctx: &Context) -> Result<PathBuf, SandboxError> {
    let roots = search_roots(ctx);
    let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    find_anvil(&roots)
}

/// Where the project's npm packages are looked for (each folder and its parents): the
/// workspace folder, the current folder and the console's own binary's folder.
pub fn search_roots(ctx: &Context) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let crate::workspace::Source::Folder(folder) = &ctx.workspace.source {
        roots.push(folder.clone());
    }
    if let Ok(cwd) = std::env::current_dir() {
        roots.push(cwd);
    }
    if let Some(folder) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from))
    {
        roots.push(folder);
    }
    roots
}

pub struct Node {
    child: Child,
    pub port: u16,
    pub chain_id: u64,
}

impl Node {
    /// Starts anvil with `chain_id` on a free port; `extra` are more anvil arguments.
    pub fn start(binary: &Path, chain_id: u64, extra: &[&str]) -> Result<Self, SandboxError> {
        let mut child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", "0", "--chain-id"])
            .arg(chain_id.to_string())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| SandboxError::CannotStart {
                binary: binary.to_owned(),
                error,
            })?;
        let stdout = child.stdout.take().ok_or(SandboxError::NoStdout)?;
        let deadline = Instant::now() + Duration::from_secs(20);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.trim().strip_prefix("Listening on ") {
                    let _ = sender.send(address.to_owned());
                }
            }
        });
        let address = receiver
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .map_err(|_| {
                let _ = child.kill();
                SandboxError::Silent
            })?;
        let port = address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| SandboxError::ListensWithoutPort(address.clone()))?;
        Ok(Self {
            child,
            port,
            chain_id,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Starts anvil in its own process group with its output in `log`, and leaves it running:
/// `sandbox up` (on a free port, `port` 0) and a chaos step's restart (on the port it had).
/// Returns the PID and the port once it listens.
pub fn start_detached(
    binary: &Path,
    chain_id: u64,
    port: u16,
    log: &Path,
) -> Result<(u32, u16), SandboxError> {
    let args = [
        "--host".to_owned(),
        "127.0.0.1".to_owned(),
        "--port".to_owned(),
        port.to_string(),
        "--chain-id".to_owned(),
        chain_id.to_string(),
    ];
    spawn_detached(binary, &args, log, Duration::from_secs(20))
}

/// Starts `binary` (anvil, or the console's relay) with `args` in its own process group, its
/// output appended to `log` (made anew), and waits up to `limit` until it says it listens
/// (`Listening on 127.0.0.1:PORT`). Returns the PID and the port.
pub fn spawn_detached(
    binary: &Path,
    args: &[impl AsRef<std::ffi::OsStr>],
    log: &Path,
    limit: Duration,
) -> Result<(u32, u16), SandboxError> {
    use std::os::unix::process::CommandExt;
    let io = |error: std::io::Error| SandboxError::Io {
        path: log.to_owned(),
        error,
    };
    match std::fs::remove_file(log) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(io(error)),
        _ => {}
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(io)?;
    let errors = file.try_clone().map_err(io)?;
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(errors)
        .process_group(0)
        .spawn()
        .map_err(|error| SandboxError::CannotStart {
            binary: binary.to_owned(),
            error,
        })?;
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let port = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("Listening on "))
            .and_then(|address| address.rsplit(':').next()?.parse().ok());
        if let Some(port) = port {
            return Ok((child.id(), port));
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(SandboxError::Exited {
                status,
                log: log.to_owned(),
            });
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(SandboxError::SilentSeeLog(log.to_owned()))
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Asks a node `sandbox up` started to stop (SIGTERM); false when there is no such process.
pub fn terminate(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill(2) with a PID this workspace's sandbox recorded.
    unsafe { libc::kill(pid, libc::SIGTERM) == 0 }
}

/// A JSON-RPC client of the sandbox's own node on loopback (`url`, as `sandbox up` made it).
pub fn client_at(url: &str) -> Result<alloy_rpc_client::RpcClient, SandboxError> {
    let parsed = url
        .parse()
        .map_err(|_| SandboxError::NotAUrl(url.to_owned()))?;
    Ok(alloy_rpc_client::RpcClient::new_http_with_client(
        crate::net::ExtraRoots::default().client()?,
        parsed,
    ))
}
