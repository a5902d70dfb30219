//! A fork sandbox's way to its network's node: the console itself, started detached as
//! `owner-console sandbox relay --network N` (a hidden command), relaying its anvil's requests
//! (crate::chain::relay). It reads the node's URL from the network's RPC URL variable, which it
//! inherits: the URL is on no command line (a process's environment is for its own user to
//! read), and the profile's certificate authorities are trusted. It stops on SIGTERM (`sandbox
//! down`), or by itself once the sandbox's record no longer names it.

use super::SandboxError;
use super::state::SandboxInfo;
use crate::chain::relay::Relay;
use crate::workspace::context::Context;
use std::ffi::OsString;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a relay waits for the sandbox's record to name it (anvil starting, the Safe
/// handed over) before it stops when the record does not.
const GRACE: Duration = Duration::from_secs(120);

/// Starts the relay of `network`'s sandbox, its output in `log`. Returns its PID and URL.
pub fn start_detached(
    ctx: &Context,
    network: &str,
    log: &Path,
) -> Result<(u32, String), SandboxError> {
    let binary = std::env::current_exe().map_err(|error| SandboxError::CannotStart {
        binary: "owner-console".into(),
        error,
    })?;
    let mut args: Vec<OsString> = Vec::new();
    if let crate::workspace::Source::Folder(folder) = &ctx.workspace.source {
        args.extend(["--workspace".into(), folder.clone().into_os_string()]);
    }
    args.extend(["sandbox", "relay", "--network", network].map(OsString::from));
    match super::node::spawn_detached(&binary, &args, log, Duration::from_secs(20)) {
        Ok((pid, port)) => Ok((pid, format!("http://127.0.0.1:{port}/"))),
        Err(SandboxError::Exited { .. }) | Err(SandboxError::SilentSeeLog(_)) => {
            let said = std::fs::read_to_string(log).unwrap_or_default();
            let last = said.lines().rev().find(|line| !line.trim().is_empty());
            Err(SandboxError::RelayFailed(last.map_or_else(
                || "it did not listen within 20 s".to_owned(),
                |line| crate::sanitize::for_terminal(line.trim()).into_owned(),
            )))
        }
        Err(error) => Err(error),
    }
}

/// The relay itself: relays to the network's node, says where it listens through `listening`
/// (its port), and returns once the sandbox's record no longer names this process.
pub async fn serve(
    ctx: &Context,
    network: &str,
    listening: impl FnOnce(u16),
) -> Result<(), SandboxError> {
    let endpoint = crate::chain::live::endpoint(ctx, network)?;
    let relay = Relay::start(&endpoint).await?;
    listening(relay.port);
    let me = std::process::id();
    let started = Instant::now();
    let mut named_once = false;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let named = SandboxInfo::load(&ctx.workspace.storage, network)
            .ok()
            .and_then(|info| info.fork)
            .is_some_and(|fork| fork.relay_pid == me);
        if named {
            named_once = true;
        } else if named_once || started.elapsed() > GRACE {
            return Ok(());
        }
    }
}
