use super::output::outln;
use super::output::print_json;
use crate::keys::{KeyStore, passphrase};
use clap::Subcommand;
use std::path::Path;
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
}

pub fn dispatch(
    command: &KeysCommand,
    passphrase_file: Option<&Path>,
) -> color_eyre::Result<ExitCode> {
    let store = KeyStore::default_location()?;
    match command {
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
                    "{}",
                    operators_snippet(&info.name, info.address.as_deref().unwrap_or("?"))
                );
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
                    "{}",
                    operators_snippet(&key.name, key.address.as_deref().unwrap_or("?"))
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn operators_snippet(name: &str, address: &str) -> String {
    format!("\n[[operators]]\nname = \"{name}\"\naddress = \"{address}\"\nroles = [\"operator\"]")
}
