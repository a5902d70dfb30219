//! Before the console takes the screen: unlock the operator's key, asked once per session;
//! offer to create one when there is none. Without a key the console opens read-only.

use super::Cli;
use super::output::{err, errln};
use crate::keys::{KeyError, KeyInfo, KeyStore, passphrase};
use crate::ledger::operators::Operators;
use alloy_signer_local::PrivateKeySigner;
use std::io::{BufRead, Write};
use zeroize::Zeroizing;

const TRIES: usize = 3;

/// The operator's key as the console opens: unlocked (or none, read-only), or, when its
/// passphrase was given rather than typed, still to be unlocked (scrypt) after the first frame.
pub enum ConsoleKey {
    Ready(Option<PrivateKeySigner>),
    Given(GivenKey),
}

pub struct GivenKey {
    store: KeyStore,
    info: KeyInfo,
    secret: Zeroizing<String>,
}

impl GivenKey {
    /// The slow part: the keystore's scrypt.
    pub fn unlock(self) -> Result<PrivateKeySigner, KeyError> {
        self.store.unlock(&self.info, &self.secret)
    }
}

pub fn key_for_console(cli: &Cli) -> color_eyre::Result<ConsoleKey> {
    let store = KeyStore::default_location()?;
    let given =
        passphrase::given(cli.passphrase_file.as_deref()).map_err(color_eyre::eyre::Report::msg)?;
    let info = match store.choose(cli.key.as_deref()) {
        Ok(info) => info,
        Err(KeyError::NoKey) if given.is_none() => {
            return offer_new_key(&store).map(ConsoleKey::Ready);
        }
        Err(KeyError::NoKey) => {
            errln!(
                "owner-console: no operator key; opening read-only (create one with `owner-console keys new`)"
            );
            return Ok(ConsoleKey::Ready(None));
        }
        Err(error) => return Err(error.into()),
    };
    if let Some(secret) = given {
        return Ok(ConsoleKey::Given(GivenKey {
            store,
            info,
            secret,
        }));
    }
    for attempt in 1..=TRIES {
        let secret = passphrase::obtain(
            None,
            &super::output::shown(&format!("Passphrase for operator key `{}`: ", info.name)),
        )
        .map_err(color_eyre::eyre::Report::msg)?;
        match store.unlock(&info, &secret) {
            Ok(key) => {
                tracing::info!(key = %info.name, address = %key.address(), "operator key unlocked");
                return Ok(ConsoleKey::Ready(Some(key)));
            }
            Err(KeyError::WrongPassphrase(_)) if attempt < TRIES => {
                tracing::warn!(key = %info.name, attempt, "wrong passphrase");
                errln!("wrong passphrase, try again")
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(ConsoleKey::Ready(None))
}

fn offer_new_key(store: &KeyStore) -> color_eyre::Result<Option<PrivateKeySigner>> {
    let name = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    err!(
        "No operator key yet: every recorded step is signed with one. Create `{name}` now? [Y/n] "
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim().eq_ignore_ascii_case("n") {
        errln!(
            "opening read-only: nothing can be recorded until a key exists (`owner-console keys new`)"
        );
        return Ok(None);
    }
    let first = passphrase::obtain(None, "New passphrase (8+ characters): ")
        .map_err(color_eyre::eyre::Report::msg)?;
    let again = passphrase::obtain(None, "Again: ").map_err(color_eyre::eyre::Report::msg)?;
    color_eyre::eyre::ensure!(
        *first == *again && first.len() >= 8,
        "the passphrases differ or are too short; nothing was created"
    );
    let info = store.create(&name, &first)?;
    let address = info.address.as_deref().unwrap_or("?");
    errln!(
        "created {} ({address}). Until {} lists it, your entries are signed by an unlisted key: `owner-console keys add-to-operators` adds this entry:\n\n{}",
        info.path.display(),
        Operators::FILE,
        Operators::entry_text(&info.name, address)
    );
    Ok(Some(store.unlock(&info, &first)?))
}
