//! A command step's `env`: the names of the operator's environment variables its command may
//! see, beyond the short list every command gets (`steps::command_env`), and `{{rpc_env}}`
//! for the run's network's RPC URL variable. A name must be one a shell can set, given once,
//! and never the operator key's passphrase variable.

use super::problem::{FieldPath, Level};
use super::raw::RawStep;
use super::validate::Validator;
use crate::keys::passphrase::ENV as PASSPHRASE_ENV;
use std::collections::BTreeSet;

/// In `env`: the RPC URL variable of the network the run is on (`rpc_env` in
/// `config/networks.toml`), whatever it is named.
pub const RPC_ENV: &str = "{{rpc_env}}";

/// Whether `name` is a variable name a shell can set: a letter or `_`, then letters, digits
/// and `_`.
pub fn is_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl<F: FnMut(&FieldPath, Level, String, Option<String>)> Validator<F> {
    /// The step's declared variable names, each checked.
    pub(super) fn command_env(&mut self, at: &FieldPath, step: &RawStep) -> Vec<String> {
        let mut names = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, name) in step.env.iter().flatten().enumerate() {
            let path = at.key("env").index(index);
            if name == PASSPHRASE_ENV {
                self.error(
                    &path,
                    format!(
                        "`{PASSPHRASE_ENV}` never reaches a command: it unlocks the operator's key"
                    ),
                    Some("leave it out; a command that needs a key reads its own".into()),
                );
            } else if !is_variable_name(name) && name != RPC_ENV {
                self.error(
                    &path,
                    format!("`{name}` is not a variable name"),
                    Some(format!(
                        "a letter or `_`, then letters, digits and `_`; or {RPC_ENV}"
                    )),
                );
            } else if !seen.insert(name.as_str()) {
                self.error(&path, format!("`{name}` is listed twice"), None);
            } else {
                names.push(name.clone());
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::is_variable_name;

    #[test]
    fn variable_names_are_what_a_shell_can_set() {
        for good in ["PATH", "_X", "MAINNET_RPC_URL", "a1"] {
            assert!(is_variable_name(good), "{good}");
        }
        for bad in ["", "9BAD", "A-B", "A B", "A=B", "É"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }
}
