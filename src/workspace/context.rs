//! The loaded context that domain code is handed: the workspace, its network profiles and
//! operators, the parameter catalogue (parsed once, when first asked for) and whether the
//! machine is offline. It holds no key and no runbooks: those are the session's.

use super::Workspace;
use super::evidence::EvidenceStore;
use super::networks::Networks;
use super::snapshot::{SnapshotError, StateSnapshot};
use crate::catalogue::Catalogue;
use crate::catalogue::config_set::ConfigSet;
use crate::engine::Mode;
use crate::ledger::Ledger;
use crate::ledger::operators::Operators;
use crate::ledger::trust::Trust;
use std::sync::{Arc, OnceLock};

/// Why the context's files cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error(transparent)]
    Networks(#[from] super::toml_file::TomlError),
    #[error(transparent)]
    Operators(#[from] crate::ledger::operators::OperatorsError),
    #[error("{0}: missing")]
    NoCatalogue(&'static str),
    #[error(transparent)]
    Catalogue(#[from] crate::catalogue::CatalogueError),
}

/// Cheap to clone (a few small maps and paths; the catalogue is shared), so that a step
/// prepared here can carry it into the background.
#[derive(Debug, Clone)]
pub struct Context {
    pub workspace: Workspace,
    pub networks: Networks,
    pub operators: Operators,
    /// The addresses of this machine's operator keystores (see [`Trust::own_keys`]).
    pub own_keys: Vec<String>,
    /// No network connection at all: state comes from snapshots only.
    pub offline: bool,
    catalogue: OnceLock<Result<Arc<Catalogue>, ContextError>>,
}

impl Context {
    /// Reads the workspace's network profiles and operators; a file that does not parse is an
    /// error naming it.
    pub fn load(workspace: Workspace) -> Result<Self, ContextError> {
        let networks = match workspace.read_text(Networks::FILE) {
            Some(text) => Networks::parse(&text)?,
            None => Networks::default(),
        };
        let operators = match workspace.read_text(Operators::FILE) {
            Some(text) => Operators::parse(&text).map_err(ContextError::Operators)?,
            None => Operators::default(),
        };
        let own_keys = crate::keys::KeyStore::default_location()
            .and_then(|store| store.list())
            .map(|keys| keys.into_iter().filter_map(|key| key.address).collect())
            .unwrap_or_default();
        Ok(Self {
            workspace,
            networks,
            operators,
            own_keys,
            offline: false,
            catalogue: OnceLock::new(),
        })
    }

    /// The workspace's `config/catalogue.toml`, parsed on first use and kept.
    pub fn catalogue(&self) -> Result<Arc<Catalogue>, ContextError> {
        self.catalogue
            .get_or_init(|| {
                let text = self
                    .workspace
                    .read_text(Catalogue::FILE)
                    .ok_or(ContextError::NoCatalogue(Catalogue::FILE))?;
                Catalogue::parse(&text)
                    .map(Arc::new)
                    .map_err(ContextError::Catalogue)
            })
            .clone()
    }

    /// The workspace's ledger, whose appends chain only onto a trusted last entry.
    pub fn ledger(&self) -> Ledger {
        self.workspace.ledger().trusting(self.trust())
    }

    /// Whose entries move runs here: the listed operators and this machine's own keys.
    pub fn trust(&self) -> Trust {
        Trust {
            operators: self.operators.clone(),
            own_keys: self.own_keys.clone(),
        }
    }

    pub fn evidence(&self) -> EvidenceStore {
        self.workspace.evidence()
    }

    /// The proposed values: `config/<file>.<network>.json` of the workspace.
    pub fn proposed(&self, catalogue: &Catalogue, network: &str) -> ConfigSet {
        ConfigSet::load(catalogue, network, |name| {
            self.workspace.read_text(&format!("config/{name}"))
        })
    }

    /// The offline state snapshot of a network, when it has one.
    pub fn snapshot(&self, network: &str) -> Option<Result<StateSnapshot, SnapshotError>> {
        let file = self.networks.get(network)?.snapshot.as_deref()?;
        Some(match self.workspace.read_text(file) {
            Some(text) => StateSnapshot::parse(file, &text),
            None => Err(SnapshotError::Missing(file.to_owned())),
        })
    }

    /// Live when the network's RPC URL is set and the machine is not offline.
    pub fn mode_for(&self, network: &str) -> Mode {
        let live = !self.offline
            && self.networks.get(network).is_some_and(|profile| {
                std::env::var(&profile.rpc_env).is_ok_and(|url| !url.trim().is_empty())
            });
        if live { Mode::Live } else { Mode::Offline }
    }
}
