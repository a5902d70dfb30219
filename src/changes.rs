//! The workspace's proposed config for a network against a chosen current state: the inputs of
//! every diff, plan and diff step.

use crate::catalogue::Catalogue;
use crate::catalogue::config_set::ConfigSet;
use crate::diff::source::{Current, from_config, from_snapshot};
use crate::diff::{Diff, compute};
use crate::session::Session;
use std::path::Path;

pub fn catalogue(session: &Session) -> Result<Catalogue, String> {
    let text = session
        .workspace
        .read_text(Catalogue::FILE)
        .ok_or_else(|| format!("{}: missing", Catalogue::FILE))?;
    Catalogue::parse(&text)
}

/// The proposed values: `config/<file>.<network>.json` of the workspace.
pub fn proposed(session: &Session, catalogue: &Catalogue, network: &str) -> ConfigSet {
    ConfigSet::load(catalogue, network, |name| {
        session.workspace.read_text(&format!("config/{name}"))
    })
}

/// The proposed values from a saved config snapshot (a rollback), after its hashes check.
pub fn proposed_from(
    catalogue: &Catalogue,
    network: &str,
    folder: &Path,
) -> Result<ConfigSet, String> {
    crate::config_snapshot::verify(folder)?;
    Ok(ConfigSet::load(catalogue, network, |name| {
        std::fs::read_to_string(folder.join(name)).ok()
    }))
}

/// The workspace's config, or the saved snapshot `from` when one is given.
pub fn proposed_or_saved(
    session: &Session,
    catalogue: &Catalogue,
    network: &str,
    from: Option<&Path>,
) -> Result<ConfigSet, String> {
    match from {
        Some(folder) => proposed_from(catalogue, network, folder),
        None => Ok(proposed(session, catalogue, network)),
    }
}

/// What the proposed config is compared with.
#[derive(Clone, Copy)]
pub enum Against<'a> {
    /// The live chain when the network's RPC URL is set (and the session is not offline),
    /// else the network's own snapshot from `config/networks.toml`.
    Default,
    /// A state snapshot file, or a saved config folder.
    Path(&'a Path),
    /// A live reading already made (the console's state panel).
    Live(&'a crate::chain::LiveState),
    /// The network's own snapshot, even when its RPC URL is set: an offline run's state.
    Snapshot,
}

impl<'a> Against<'a> {
    pub fn path(path: Option<&'a Path>) -> Self {
        path.map_or(Self::Default, Self::Path)
    }
}

/// The current state the proposed config is compared with.
pub fn current(
    session: &Session,
    catalogue: &Catalogue,
    network: &str,
    against: Against,
) -> Result<Current, String> {
    let against = match against {
        Against::Live(state) => return Ok(crate::diff::source::from_live(catalogue, state)),
        Against::Path(path) => Some(path),
        Against::Default => None,
        Against::Snapshot => return network_snapshot(session, catalogue, network),
    };
    match against {
        Some(path) if path.is_dir() => {
            if path.join(crate::config_snapshot::MANIFEST).exists() {
                crate::config_snapshot::verify(path)?;
            }
            let name = path.display().to_string();
            Ok(from_config(catalogue, network, &name, |file| {
                std::fs::read_to_string(path.join(file)).ok()
            }))
        }
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.display().to_string();
            let checked = crate::offline_state::check(session, network, &name, &text)?;
            Ok(offline(catalogue, &checked))
        }
        None if session.mode_for(network) == crate::engine::event::Mode::Live => {
            let target = crate::chain::Target::of(session, network)?;
            let state = crate::chain::live::read_once(&target)?;
            Ok(crate::diff::source::from_live(catalogue, &state))
        }
        None => network_snapshot(session, catalogue, network),
    }
}

fn network_snapshot(
    session: &Session,
    catalogue: &Catalogue,
    network: &str,
) -> Result<Current, String> {
    let checked = crate::offline_state::of_network(session, network)
        .map_err(|e| format!("{e}; give one with --against FILE"))?;
    Ok(offline(catalogue, &checked))
}

fn offline(catalogue: &Catalogue, checked: &crate::offline_state::CheckedSnapshot) -> Current {
    let mut current = from_snapshot(catalogue, &checked.snapshot, &checked.name);
    current.describe = checked.describe();
    current.stale = checked.stale.clone();
    current
}

/// One comparison: the catalogue it used, both sides, the diff, and every problem reading
/// either side.
pub struct Compared {
    pub catalogue: Catalogue,
    /// Set when the current state is a snapshot older than the network allows.
    pub stale: Option<crate::offline_state::Stale>,
    pub proposed: ConfigSet,
    pub against: String,
    pub diff: Diff,
    pub problems: Vec<String>,
}

/// Whether a stale snapshot may be used: the operator acknowledged it.
pub type AcceptStale<'a> = &'a dyn Fn(&crate::offline_state::Stale) -> bool;

/// Compares the proposed config (the workspace's, or the saved snapshot `from`) with the
/// current state (`against`, else live, else the network's snapshot), narrowed to `domains`
/// when given. A stale snapshot is used only when `accept_stale` says so.
pub fn compare(
    session: &Session,
    network: &str,
    from: Option<&Path>,
    against: Against,
    domains: &[String],
    accept_stale: AcceptStale,
) -> Result<Compared, String> {
    let catalogue = catalogue(session)?.restricted(domains);
    let proposed = proposed_or_saved(session, &catalogue, network, from)?;
    let current = current(session, &catalogue, network, against)?;
    if let Some(stale) = current.stale.as_ref().filter(|s| !accept_stale(s)) {
        return Err(stale.message());
    }
    let mut problems: Vec<String> = proposed
        .problems
        .iter()
        .filter(|p| p.level == crate::catalogue::guardrails::Level::Fail)
        .map(|p| format!("config/{}: {}: {}", p.file, p.field, p.message))
        .collect();
    problems.extend(current.problems.iter().cloned());
    let diff = compute(
        &catalogue,
        network,
        &current.values,
        &proposed.values,
        current.complete,
    );
    Ok(Compared {
        stale: current.stale.clone(),
        catalogue,
        proposed,
        against: current.describe,
        diff,
        problems,
    })
}

/// As `diff`, with `from` proposing a saved config snapshot instead of the workspace's config.
pub fn diff_from(
    session: &Session,
    network: &str,
    from: Option<&Path>,
    against: Against,
    domains: &[String],
    accept_stale: AcceptStale,
) -> Result<(Diff, String, Vec<String>), String> {
    let compared = compare(session, network, from, against, domains, accept_stale)?;
    Ok((compared.diff, compared.against, compared.problems))
}
