//! anvil forking a network's node at one block: the chain as it was there, on a loopback port.
//! Either throwaway ([`Fork`], for a simulation: stopped when dropped) or detached
//! ([`start_detached`], for `sandbox up --fork`: it survives the command, its output in a log).
//!
//! anvil takes the node's URL on its command line only (`--fork-url`; it reads no environment
//! variable for it), where a user of the same machine who lists processes sees it: the console
//! gives it a loopback relay's URL instead (`crate::chain::relay`: in the console for a
//! simulation, detached beside a sandbox's anvil). Whatever anvil says is redacted before it is
//! shown, and a detached fork's log has the URL it printed on start redacted.

use super::SandboxError;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// How long anvil may take to fetch the fork's block and listen.
const START_LIMIT: Duration = Duration::from_secs(30);

/// The node forked, and where.
pub struct Upstream<'a> {
    /// The URL anvil forks: the node's (a secret: it may carry an API key), or a relay's.
    pub url: &'a str,
    /// The node's URL as it may be shown.
    pub shown: &'a str,
    pub chain_id: u64,
    pub block: u64,
}

impl Upstream<'_> {
    /// anvil's arguments for the fork: loopback, the chain id, the node and block, no limits of
    /// a public chain's (a contract may be larger than mainnet allows, requests are not
    /// rate-limited).
    fn args(&self, port: u16) -> Vec<String> {
        [
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--chain-id",
            &self.chain_id.to_string(),
            "--fork-url",
            self.url,
            "--fork-block-number",
            &self.block.to_string(),
            "--disable-code-size-limit",
            "--no-rate-limit",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// `text` with the node's URL in its shown form, and any other URL (anvil's HTTP client
    /// prints the node's URL without its credentials, but with its query) redacted as well.
    fn redact(&self, text: &str) -> String {
        crate::redact::Redactor::default().text(&text.replace(self.url, self.shown))
    }

    /// Why the fork did not start, from what anvil said last (redacted).
    fn failed(&self, said: &str) -> SandboxError {
        let said = self.redact(said);
        let last = said.lines().rev().find(|l| !l.trim().is_empty());
        SandboxError::ForkFailed {
            block: self.block,
            node: self.shown.to_owned(),
            detail: last.map_or_else(
                || format!("anvil did not listen within {} s", START_LIMIT.as_secs()),
                |line| crate::sanitize::for_terminal(line.trim()).into_owned(),
            ),
        }
    }
}

/// A throwaway fork, stopped when dropped.
pub struct Fork {
    child: Child,
    pub url: String,
    pub block: u64,
}

impl Fork {
    pub fn start(anvil: &Path, upstream: &Upstream) -> Result<Self, SandboxError> {
        let cannot_start = |error: std::io::Error| SandboxError::CannotStart {
            binary: anvil.to_owned(),
            error,
        };
        let mut errors = tempfile::tempfile().map_err(cannot_start)?;
        let stderr = errors.try_clone().map_err(cannot_start)?;
        let mut child = Command::new(anvil)
            .args(upstream.args(0))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(cannot_start)?;
        let stdout = child.stdout.take();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Some(stdout) = stdout else { return };
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.trim().strip_prefix("Listening on ") {
                    let _ = sender.send(address.to_owned());
                }
            }
        });
        let port = receiver
            .recv_timeout(START_LIMIT)
            .ok()
            .and_then(|address| address.rsplit(':').next()?.parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let mut said = String::new();
            if errors.rewind().is_ok() {
                let _ = errors.by_ref().take(16 * 1024).read_to_string(&mut said);
            }
            return Err(upstream.failed(&said));
        };
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            block: upstream.block,
        })
    }
}

impl Drop for Fork {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a fork in its own process group with its output in `log`, and leaves it running:
/// `sandbox up --fork` (on a free port, `port` 0) and a chaos step's restart (on the port it
/// had).
/// Returns its PID and port once it listens; the node's URL anvil printed is redacted in the
/// log then (anvil appends to it, so it keeps writing after what is rewritten).
pub fn start_detached(
    anvil: &Path,
    upstream: &Upstream,
    port: u16,
    log: &Path,
) -> Result<(u32, u16), SandboxError> {
    let started = super::node::spawn_detached(anvil, &upstream.args(port), log, START_LIMIT);
    let redact_log = || -> Result<(), SandboxError> {
        let io = |error| SandboxError::Io {
            path: log.to_owned(),
            error,
        };
        let text = std::fs::read_to_string(log).map_err(io)?;
        std::fs::write(log, upstream.redact(&text)).map_err(io)
    };
    match started {
        Ok((pid, port)) => match redact_log() {
            Ok(()) => Ok((pid, port)),
            Err(error) => {
                super::node::terminate(pid);
                Err(error)
            }
        },
        Err(SandboxError::Exited { .. }) | Err(SandboxError::SilentSeeLog(_)) => {
            let said = std::fs::read_to_string(log).unwrap_or_default();
            let _ = redact_log();
            Err(upstream.failed(&said))
        }
        Err(error) => Err(error),
    }
}
