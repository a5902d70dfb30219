//! The team that signs a stage's runs (alice, bob, carol, dave): their keystores made once per
//! test process with the library's `KeyStore` (scrypt is slow on purpose), written into each
//! stage's home as `keys new` leaves them (0600 files in a 0700 folder), and each key unlocked
//! once, for the walks that run through the library.

use super::cli::{Home, PASSPHRASE, operators_toml};
use alloy_primitives::Address;
use alloy_signer_local::PrivateKeySigner;
use owner_console::keys::KeyStore;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Each member's name and roles.
pub const ROLES: [(&str, &[&str]); 4] = [
    ("alice", &["operator", "pauser", "incident-commander"]),
    ("bob", &["pauser", "approver"]),
    ("carol", &["approver", "reviewer"]),
    ("dave", &["reviewer", "approver"]),
];

struct Member {
    name: &'static str,
    address: String,
    keystore: Vec<u8>,
    signer: PrivateKeySigner,
}

fn members() -> &'static [Member] {
    static MEMBERS: OnceLock<Vec<Member>> = OnceLock::new();
    MEMBERS.get_or_init(|| {
        let folder = tempfile::tempdir().unwrap();
        let store = KeyStore::new(folder.path().join("keys"));
        ROLES
            .iter()
            .map(|(name, _)| {
                let created = store.create(name, PASSPHRASE).unwrap();
                Member {
                    name,
                    address: created.address.clone().unwrap(),
                    keystore: std::fs::read(&created.path).unwrap(),
                    signer: store.unlock(&created, PASSPHRASE).unwrap(),
                }
            })
            .collect()
    })
}

fn member(name: &str) -> &'static Member {
    members()
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not in the team"))
}

/// Where the binary run in `home` keeps its keys (`$XDG_DATA_HOME/owner-console/keys`).
fn keys_folder(home: &Home) -> PathBuf {
    home.path().join("data/owner-console/keys")
}

/// Gives `home` the team's keys; returns each member's name, address and roles, for
/// `config/operators.toml`.
pub fn give_keys(home: &Home) -> Vec<(&'static str, String, &'static [&'static str])> {
    let folder = keys_folder(home);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    ROLES
        .iter()
        .map(|(name, roles)| {
            let member = member(name);
            let path = folder.join(format!("{name}.json"));
            std::fs::write(&path, &member.keystore).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            (*name, member.address.clone(), *roles)
        })
        .collect()
}

/// Gives `home` the team's keys and lists the team in `workspace`'s config/operators.toml.
pub fn list_in(workspace: &Path, home: &Home) {
    let team = give_keys(home);
    let listed: Vec<(&str, &str, &[&str])> = team
        .iter()
        .map(|(name, address, roles)| (*name, address.as_str(), *roles))
        .collect();
    let path = workspace.join("config/operators.toml");
    let mut operators = std::fs::read_to_string(&path).unwrap();
    operators.push_str(&operators_toml(&listed));
    std::fs::write(path, operators).unwrap();
}

/// A member's address.
pub fn address(name: &str) -> Address {
    signer(name).address()
}

/// A member's key, unlocked.
pub fn signer(name: &str) -> PrivateKeySigner {
    member(name).signer.clone()
}
