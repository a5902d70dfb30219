//! Printing helpers shared by the subcommands, and the only way the command forms write text:
//! [`outln!`] and [`out!`] (stdout), [`errln!`] and [`err!`] (stderr) redact secrets and show
//! control characters and bidi controls as text ([`crate::sanitize::for_terminal`]), whatever
//! file, ledger, command or person the text came from. `--json` keeps its value exactly
//! ([`print_json`]). `clippy.toml` forbids the standard printing macros everywhere else.

use crate::redact::Redactor;
use crate::sanitize::{for_terminal, json_for_terminal};
use serde::Serialize;
use std::io::Write;

/// The text as a terminal may see it: secrets masked, control characters shown as text.
pub fn shown(text: &str) -> String {
    for_terminal(&Redactor::of_process().text(text)).into_owned()
}

/// Writes `text`, made safe, to stdout. A closed stdout (`| head`) is not an error.
pub fn to_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(shown(text).as_bytes());
}

/// Writes `text`, made safe, to stderr.
pub fn to_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(shown(text).as_bytes());
    let _ = stderr.flush();
}

/// Writes a line whose every outside piece went through [`shown`] already and whose only
/// escape sequences are the caller's own colours (the diff's).
pub fn painted_to_stdout(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `println!` through [`to_stdout`].
macro_rules! outln {
    () => {
        $crate::cli::output::to_stdout("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::output::to_stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through [`to_stdout`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::to_stdout(&format!($($arg)*))
    };
}

/// `eprintln!` through [`to_stderr`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::to_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` through [`to_stderr`] (a question before an answer is read).
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::output::to_stderr(&format!($($arg)*))
    };
}

pub(crate) use {err, errln, out, outln};

/// The value as pretty JSON, exactly (not redacted); characters a terminal would obey are
/// written as JSON escapes.
pub fn print_json(value: &impl Serialize) -> color_eyre::Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    print_json_text(&text)
}

/// JSON text made elsewhere (the runbook schema), as [`print_json`] writes it.
pub fn print_json_text(text: &str) -> color_eyre::Result<()> {
    match write!(std::io::stdout().lock(), "{}", json_for_terminal(text)) {
        // A reader that stopped reading (`| head -c 600`) wanted no more.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => Ok(written?),
    }
}

/// A failed command's error as the JSON object `--json` promises: `{"error": "…"}` (secrets
/// masked).
pub fn print_json_error(message: &str) {
    let error = serde_json::json!({ "error": Redactor::of_process().text(message) });
    let _ = print_json(&error);
}

/// `--accept-stale REASON`: a stale snapshot is used when a reason is given, said on stderr
/// and in the log.
pub fn accept_stale(stale: &crate::change::offline_state::Stale, reason: Option<&str>) -> bool {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => {
            errln!("warning: {} — acknowledged: {reason}", stale.message());
            tracing::warn!(snapshot = %stale.snapshot, age = stale.age_secs, %reason, "stale snapshot acknowledged");
            true
        }
        None => false,
    }
}
