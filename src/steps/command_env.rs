//! What a command step's process sees of the console's environment: a short list of harmless
//! variables, the names its step declares in `env`, and what the console sets itself for a
//! drill (the network's RPC URL variable pointed at the sandbox, `OWNER_CONSOLE_DRILL`). The
//! operator key's passphrase variable never passes, whatever is declared; a network's RPC
//! URL (which may hold an API key) only when declared or set for a drill.

use crate::keys::passphrase::ENV as PASSPHRASE_ENV;
use crate::redact::{Redactor, is_secret_name};
use std::ffi::{OsStr, OsString};

/// What every command gets: where programs are, the home folder and the XDG folders (so a
/// console or tool it starts finds the operator's keys and settings), language and time zone,
/// the terminal type, who the user is, and the temporary folder. None holds a secret.
pub const INHERITED: [&str; 15] = [
    "PATH",
    "HOME",
    "LANG",
    "LANGUAGE",
    "TERM",
    "TZ",
    "USER",
    "LOGNAME",
    "SHELL",
    "TMPDIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR",
];
/// And every variable named with this prefix: the locale's categories (`LC_ALL`, `LC_TIME`…).
pub const INHERITED_PREFIX: &str = "LC_";

/// A command's whole environment, and the redactor of its output: it knows the passphrase
/// (the console's own environment holds it, and a command can read that through /proc) and
/// the value of every secret-named variable passed (`…_KEY`, `…_TOKEN`…).
pub struct CommandEnv {
    pub vars: Vec<(OsString, OsString)>,
    pub redactor: Redactor,
}

impl CommandEnv {
    /// From the console's environment (`parent`), the step's `declared` names and the
    /// variables the console `sets` (which win).
    pub fn new(
        parent: impl IntoIterator<Item = (OsString, OsString)>,
        declared: &[String],
        sets: Vec<(String, String)>,
    ) -> Self {
        let passes = |name: &OsStr| {
            let name = name.to_string_lossy();
            INHERITED.contains(&name.as_ref())
                || name.starts_with(INHERITED_PREFIX)
                || declared.iter().any(|d| *d == name)
        };
        let mut vars: Vec<(OsString, OsString)> = parent
            .into_iter()
            .filter(|(name, _)| passes(name) && !sets.iter().any(|(set, _)| name == set.as_str()))
            .collect();
        vars.extend(sets.into_iter().map(|(k, v)| (k.into(), v.into())));
        vars.retain(|(name, _)| name != PASSPHRASE_ENV);
        let secrets: Vec<String> = vars
            .iter()
            .filter(|(name, _)| is_secret_name(&name.to_string_lossy()))
            .map(|(_, value)| value.to_string_lossy().into_owned())
            .collect();
        let redactor = Redactor::of_process()
            .clone()
            .knowing(secrets.iter().map(String::as_str));
        Self { vars, redactor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> Vec<(OsString, OsString)> {
        [
            ("PATH", "/usr/bin"),
            ("LC_TIME", "C"),
            ("OWNER_CONSOLE_PASSPHRASE", "hunter22"),
            ("MAINNET_RPC_URL", "https://x.org/v3/Key1"),
            ("DEPLOY_KEY", "0xabc123"),
            ("HOMEWORK", "not HOME"),
        ]
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
    }

    fn names(env: &CommandEnv) -> Vec<String> {
        let mut names: Vec<_> = env
            .vars
            .iter()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn only_the_allowlist_passes_unless_declared() {
        let env = CommandEnv::new(parent(), &[], Vec::new());
        assert_eq!(names(&env), ["LC_TIME", "PATH"]);
    }

    #[test]
    fn declared_names_pass_and_the_passphrase_never_does() {
        let declared =
            ["MAINNET_RPC_URL", "DEPLOY_KEY", "OWNER_CONSOLE_PASSPHRASE"].map(String::from);
        let env = CommandEnv::new(parent(), &declared, Vec::new());
        assert_eq!(
            names(&env),
            ["DEPLOY_KEY", "LC_TIME", "MAINNET_RPC_URL", "PATH"]
        );
        assert_eq!(
            env.redactor.text("key 0xabc123"),
            "key ***",
            "a secret-named value is known"
        );
    }

    #[test]
    fn what_the_console_sets_passes_undeclared_and_wins() {
        let sets = vec![
            (
                "MAINNET_RPC_URL".to_owned(),
                "http://127.0.0.1:8545".to_owned(),
            ),
            ("OWNER_CONSOLE_DRILL".to_owned(), "mainnet".to_owned()),
            ("OWNER_CONSOLE_PASSPHRASE".to_owned(), "never".to_owned()),
        ];
        let env = CommandEnv::new(parent(), &["MAINNET_RPC_URL".into()], sets);
        let url: Vec<_> = env
            .vars
            .iter()
            .filter(|(k, _)| k == "MAINNET_RPC_URL")
            .map(|(_, v)| v.clone())
            .collect();
        assert_eq!(url, ["http://127.0.0.1:8545"]);
        assert!(names(&env).contains(&"OWNER_CONSOLE_DRILL".to_owned()));
        assert!(!names(&env).contains(&"OWNER_CONSOLE_PASSPHRASE".to_owned()));
    }
}
