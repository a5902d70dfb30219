use super::output::print_json;
use super::output::{out, outln};
use crate::keys::{KeyInfo, KeyStore, passphrase};
use crate::ledger::operators::Operators;
use crate::workspace::{Workspace, durable};
use clap::Subcommand;
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an operator key (encrypted keystore, mode 0600). It signs ledger entries only.
    New {
        /// Default: $USER.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List operator keys.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one key: address, file, permissions, and the operators.toml line for it.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// List your key (the one --key names, else the only one) in the workspace's
    /// config/operators.toml with the role `operator`, after you confirm; the file's comments
    /// and layout are kept. Refused for the embedded (read-only) workspace.
    AddToOperators {
        /// The operator's name in the file. Default: the key's name.
        #[arg(long)]
        name: Option<String>,
        /// Add it without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
}

pub fn dispatch(cli: &super::Cli, command: &KeysCommand) -> color_eyre::Result<ExitCode> {
    let passphrase_file = cli.passphrase_file.as_deref();
    let store = KeyStore::default_location()?;
    match command {
        KeysCommand::AddToOperators { name, yes } => {
            let key = store.choose(cli.key.as_deref())?;
            let workspace = Workspace::discover(cli.workspace.as_deref())?;
            return add_to_operators(&workspace, &key, name.as_deref(), *yes);
        }
        KeysCommand::New { name, json } => {
            let name = name
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "operator".into());
            let secret =
                match passphrase::given(passphrase_file).map_err(color_eyre::eyre::Report::msg)? {
                    Some(given) => given,
                    None => {
                        let first = passphrase::obtain(None, "New passphrase: ")
                            .map_err(color_eyre::eyre::Report::msg)?;
                        let again = passphrase::obtain(None, "Again: ")
                            .map_err(color_eyre::eyre::Report::msg)?;
                        color_eyre::eyre::ensure!(
                            *first == *again,
                            "the passphrases differ; nothing was created"
                        );
                        first
                    }
                };
            color_eyre::eyre::ensure!(
                secret.len() >= 8,
                "the passphrase is shorter than 8 characters; nothing was created"
            );
            let info = store.create(&name, &secret)?;
            if *json {
                print_json(&info)?;
            } else {
                outln!(
                    "created {} ({})",
                    info.path.display(),
                    info.address.as_deref().unwrap_or("?")
                );
                outln!("list it in config/operators.toml so that verify knows it:");
                outln!(
                    "\n{}",
                    Operators::entry_text(&info.name, info.address.as_deref().unwrap_or("?"))
                );
                outln!("or let `owner-console keys add-to-operators` add it for you.");
            }
        }
        KeysCommand::List { json } => {
            let keys = store.list()?;
            if *json {
                print_json(&keys)?;
            } else if keys.is_empty() {
                outln!("no operator key yet: `owner-console keys new --name NAME`");
            }
            for key in keys.iter().filter(|_| !*json) {
                let warning = if key.mode == "600" || key.mode == "400" {
                    ""
                } else {
                    "  ⚠ too open: chmod 600"
                };
                outln!(
                    "{:<16} {}  {} ({}){warning}",
                    key.name,
                    key.address.as_deref().unwrap_or("?"),
                    key.path.display(),
                    key.mode
                );
            }
        }
        KeysCommand::Show { name, json } => {
            let key = store.choose(Some(name))?;
            if *json {
                print_json(&key)?;
            } else {
                outln!(
                    "name     {}\naddress  {}\nfile     {}\nmode     {}",
                    key.name,
                    key.address.as_deref().unwrap_or("?"),
                    key.path.display(),
                    key.mode
                );
                outln!(
                    "\n{}",
                    Operators::entry_text(&key.name, key.address.as_deref().unwrap_or("?"))
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists `key` in the workspace's operators file, once the operator confirms (or `yes`).
fn add_to_operators(
    workspace: &Workspace,
    key: &KeyInfo,
    name: Option<&str>,
    yes: bool,
) -> color_eyre::Result<ExitCode> {
    let Some(path) = workspace.file_on_disk(Operators::FILE) else {
        color_eyre::eyre::bail!(
            "the workspace is {}: its {} cannot be changed. `owner-console init DIR` writes a copy you can change (then --workspace DIR)",
            workspace.describe(),
            Operators::FILE
        );
    };
    let address = key.address.as_deref().ok_or_else(|| {
        color_eyre::eyre::eyre!("{}: the keystore holds no address", key.path.display())
    })?;
    let name = name.unwrap_or(&key.name);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => color_eyre::eyre::bail!("{}: {e}", path.display()),
    };
    let written =
        Operators::with_entry(&text, name, address).map_err(color_eyre::eyre::Report::msg)?;
    outln!(
        "This entry goes at the end of {}:\n\n{}",
        path.display(),
        Operators::entry_text(name, address)
    );
    if !yes && !confirmed()? {
        outln!("nothing was changed");
        return Ok(ExitCode::FAILURE);
    }
    durable::write(&path, written.as_bytes())
        .map_err(|e| color_eyre::eyre::eyre!("{}: not written: {e}", path.display()))?;
    outln!("listed {address} as `{name}` in {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The operator's answer to "Add it?" on the terminal; refused without one.
fn confirmed() -> color_eyre::Result<bool> {
    color_eyre::eyre::ensure!(
        std::io::stdin().is_terminal(),
        "not confirmed: no terminal to ask on; pass --yes to add it without asking"
    );
    out!("Add it? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
