//! A throwaway anvil forking a network's node at one block: the chain as it was there, on a
//! loopback port, stopped when dropped. anvil takes the node's URL on its command line only
//! (`--fork-url`; it reads no environment variable for it): while a simulation runs, a user of
//! the same machine who lists processes sees it. Whatever anvil says is redacted before it is
//! shown.

use super::SimulateError;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Fork {
    child: Child,
    pub url: String,
    pub block: u64,
}

/// How long anvil may take to fetch the fork's block and listen.
const START_LIMIT: Duration = Duration::from_secs(30);

impl Fork {
    /// Starts `anvil` forking `upstream` at `block`, with `chain_id`.
    pub fn start(
        anvil: &Path,
        upstream: &str,
        shown: &str,
        chain_id: u64,
        block: u64,
    ) -> Result<Self, SimulateError> {
        let mut errors = tempfile::tempfile().map_err(|error| SimulateError::AnvilStart {
            binary: anvil.to_owned(),
            error: error.to_string(),
        })?;
        let stderr = errors
            .try_clone()
            .map_err(|error| SimulateError::AnvilStart {
                binary: anvil.to_owned(),
                error: error.to_string(),
            })?;
        let mut child = Command::new(anvil)
            .args(["--host", "127.0.0.1", "--port", "0", "--chain-id"])
            .arg(chain_id.to_string())
            .arg("--fork-url")
            .arg(upstream)
            .arg("--fork-block-number")
            .arg(block.to_string())
            .args(["--disable-code-size-limit", "--no-rate-limit"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|error| SimulateError::AnvilStart {
                binary: anvil.to_owned(),
                error: error.to_string(),
            })?;
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
        let listening = receiver.recv_timeout(START_LIMIT);
        let port = listening
            .ok()
            .and_then(|address| address.rsplit(':').next()?.parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let mut said = String::new();
            if errors.rewind().is_ok() {
                let _ = errors.by_ref().take(16 * 1024).read_to_string(&mut said);
            }
            let said = said.replace(upstream, shown);
            let last = said.lines().rev().find(|l| !l.trim().is_empty());
            return Err(SimulateError::ForkFailed {
                block,
                node: shown.to_owned(),
                detail: last.map_or_else(
                    || format!("anvil did not listen within {} s", START_LIMIT.as_secs()),
                    |line| crate::sanitize::for_terminal(line.trim()).into_owned(),
                ),
            });
        };
        Ok(Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            block,
        })
    }
}

impl Drop for Fork {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
