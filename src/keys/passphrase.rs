//! Where the passphrase comes from: `--passphrase-file`, `OWNER_CONSOLE_PASSPHRASE`, or a
//! prompt on the terminal that does not echo. It is never logged, and zeroed when dropped.

use std::path::Path;
use zeroize::Zeroizing;

pub const ENV: &str = "OWNER_CONSOLE_PASSPHRASE";

/// The passphrase from a file or the environment, without asking.
pub fn given(file: Option<&Path>) -> Result<Option<Zeroizing<String>>, String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        return Ok(Some(Zeroizing::new(
            text.trim_end_matches(['\n', '\r']).to_owned(),
        )));
    }
    Ok(std::env::var(ENV).ok().map(Zeroizing::new))
}

/// The passphrase from a file or the environment, else asked on the terminal.
pub fn obtain(file: Option<&Path>, prompt: &str) -> Result<Zeroizing<String>, String> {
    if let Some(given) = given(file)? {
        return Ok(given);
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| format!("cannot read a passphrase ({e}); set {ENV} or use --passphrase-file"))
}
