//! Logs go to a file under the user's state folder, never to the terminal; the file is the
//! user's alone (0600), as it names keys, runs and networks.

use std::fs::{OpenOptions, Permissions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;
use std::sync::Mutex;

/// alloy's HTTP transport puts the whole RPC URL, secrets included, into its spans at debug
/// and trace level: they are never logged, whatever `OWNER_CONSOLE_LOG` asks.
const NO_TRANSPORT_SPANS: &str = "alloy_transport_http=off";

pub fn log_file() -> Option<PathBuf> {
    let dirs = crate::workspace::project_dirs()?;
    let folder = dirs
        .state_dir()
        .unwrap_or(dirs.data_local_dir())
        .join("logs");
    Some(folder.join("owner-console.log"))
}

/// Starts logging to the log file; returns its path, or None when it cannot be opened (the
/// app then runs without logs rather than writing them to the screen).
pub fn init() -> Option<PathBuf> {
    let path = log_file()?;
    std::fs::create_dir_all(path.parent()?).ok()?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .ok()?;
    // A file an older version created 0644 is closed to others too.
    file.set_permissions(Permissions::from_mode(0o600)).ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("OWNER_CONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
        .add_directive(NO_TRANSPORT_SPANS.parse().ok()?);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}
