//! What a command step's process sees of the console's environment: a short list of harmless
//! variables, the names its step declares in `env` (`{{rpc_env}}` is the run's network's RPC
//! URL variable), and what the console sets itself: for a drill the network's RPC URL variable
//! pointed at the sandbox and `OWNER_CONSOLE_DRILL`, and `OWNER_CONSOLE_OFFLINE` when the
//! session is offline. The operator key's passphrase variable never passes, whatever is
//! declared; a network's RPC URL (which may hold an API key) only when declared or set.

use crate::engine::{Mode, Run};
use crate::keys::passphrase::ENV as PASSPHRASE_ENV;
use crate::redact::{Redactor, is_secret_name};
use crate::runbook::command_env::RPC_ENV;
use crate::workspace::context::Context;
use std::ffi::{OsStr, OsString};

/// What every command gets: where programs are, the home folder and the XDG folders (so a
/// console or tool it starts finds the operator's keys and settings), language and time zone,
/// the terminal type, who the user is, the temporary folder, and which operator key a console
/// it starts signs with (a name). None holds a secret.
pub const INHERITED: [&str; 16] = [
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
    "OWNER_CONSOLE_KEY",
];
/// And every variable named with this prefix: the locale's categories (`LC_ALL`, `LC_TIME`…).
pub const INHERITED_PREFIX: &str = "LC_";

/// A command's whole environment, and the redactor of its output: it knows the passphrase
/// (the console's own environment holds it, and a command can read that through /proc) and
/// the value of every secret-named variable declared (`…_KEY`, `…_TOKEN`…).
pub struct CommandEnv {
    pub vars: Vec<(OsString, OsString)>,
    pub redactor: Redactor,
}

impl CommandEnv {
    /// The environment of the run's current command step, which declares `declared`.
    pub fn for_step(ctx: &Context, run: &Run, declared: &[String]) -> Self {
        let network = ctx.networks.get(&run.started.network);
        let declared: Vec<String> = declared
            .iter()
            .filter_map(|name| match name.as_str() {
                RPC_ENV => network.map(|profile| profile.rpc_env.clone()),
                _ => Some(name.clone()),
            })
            .collect();
        let mut sets = drill_env(ctx, run);
        sets.extend(path_with_console(
            std::env::current_exe().ok().as_deref(),
            std::env::var_os("PATH"),
        ));
        if ctx.offline {
            sets.push(("OWNER_CONSOLE_OFFLINE".into(), "1".into()));
        }
        Self::new(std::env::vars_os(), &declared, sets)
    }

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
            .filter(|(name, _)| {
                let name = name.to_string_lossy();
                is_secret_name(&name) && declared.iter().any(|d| *d == name)
            })
            .map(|(_, value)| value.to_string_lossy().into_owned())
            .collect();
        let redactor = Redactor::of_process()
            .clone()
            .knowing(secrets.iter().map(String::as_str));
        Self { vars, redactor }
    }
}

/// `owner-console` in a command means the running console: the folder of its executable
/// (`exe`) comes first on the command's `PATH`, before the console's own `PATH`.
pub fn path_with_console(
    exe: Option<&std::path::Path>,
    path: Option<OsString>,
) -> Option<(String, String)> {
    let folder = exe?.parent()?.to_path_buf();
    let rest = path.unwrap_or_default();
    let joined =
        std::env::join_paths(std::iter::once(folder).chain(std::env::split_paths(&rest))).ok()?;
    Some(("PATH".to_owned(), joined.into_string().ok()?))
}

/// What a drill's commands see: the network's RPC URL variable set to its sandbox, and
/// `OWNER_CONSOLE_DRILL` set to the network, so that a console command that a drill runs reads
/// and writes the sandbox's modules, never the real network.
fn drill_env(ctx: &Context, run: &Run) -> Vec<(String, String)> {
    if run.started.mode != Mode::Drill {
        return Vec::new();
    }
    let network = &run.started.network;
    let sandbox = crate::sandbox::state::SandboxInfo::running(&ctx.workspace.storage, network);
    match (ctx.networks.get(network), sandbox) {
        (Some(profile), Ok(info)) => vec![
            (profile.rpc_env.clone(), info.url),
            (
                crate::sandbox::inherited::VARIABLE.to_owned(),
                network.clone(),
            ),
        ],
        _ => Vec::new(),
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
            ("OWNER_CONSOLE_KEY", "alice"),
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
        assert_eq!(names(&env), ["LC_TIME", "OWNER_CONSOLE_KEY", "PATH"]);
        assert_eq!(
            env.redactor.text("as alice"),
            "as alice",
            "a key's name is no secret"
        );
    }

    #[test]
    fn declared_names_pass_and_the_passphrase_never_does() {
        let declared =
            ["MAINNET_RPC_URL", "DEPLOY_KEY", "OWNER_CONSOLE_PASSPHRASE"].map(String::from);
        let env = CommandEnv::new(parent(), &declared, Vec::new());
        assert_eq!(
            names(&env),
            [
                "DEPLOY_KEY",
                "LC_TIME",
                "MAINNET_RPC_URL",
                "OWNER_CONSOLE_KEY",
                "PATH"
            ]
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
