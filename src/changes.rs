//! The workspace's proposed config for a network against a chosen current state: the inputs of
//! every diff, plan and diff step.

use crate::catalogue::Catalogue;
use crate::catalogue::config_set::ConfigSet;
use crate::diff::source::{Current, from_config, from_snapshot};
use crate::diff::{Diff, compute};
use crate::session::Session;
use crate::workspace::snapshot::StateSnapshot;
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

/// The current state: `against` (a state snapshot file, or a saved config folder), else the
/// network's own snapshot from `config/networks.toml`.
pub fn current(
    session: &Session,
    catalogue: &Catalogue,
    network: &str,
    against: Option<&Path>,
) -> Result<Current, String> {
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
            let snapshot = StateSnapshot::parse(&name, &text)?;
            check_network(&snapshot, session, network, &name)?;
            Ok(from_snapshot(catalogue, &snapshot, &name))
        }
        None => {
            let file = session.networks.get(network).and_then(|n| n.snapshot.clone()).ok_or_else(|| {
                format!("network `{network}` has no offline snapshot in config/networks.toml; give one with --against FILE")
            })?;
            let snapshot = session
                .snapshot(network)
                .ok_or_else(|| format!("{file}: missing"))??;
            check_network(&snapshot, session, network, &file)?;
            Ok(from_snapshot(catalogue, &snapshot, &file))
        }
    }
}

fn check_network(
    snapshot: &StateSnapshot,
    session: &Session,
    network: &str,
    name: &str,
) -> Result<(), String> {
    if snapshot.network != network {
        return Err(format!(
            "{name}: the snapshot is of network `{}`, not `{network}`",
            snapshot.network
        ));
    }
    match session.networks.get(network) {
        Some(profile) if profile.chain_id != snapshot.chain_id => Err(format!(
            "{name}: chain id {} differs from {network}'s {}",
            snapshot.chain_id, profile.chain_id
        )),
        _ => Ok(()),
    }
}

/// The diff, the description of the current state, and the problems reading either side.
pub fn diff(
    session: &Session,
    network: &str,
    against: Option<&Path>,
) -> Result<(Diff, String, Vec<String>), String> {
    diff_from(session, network, None, against, &[])
}

/// One comparison: the catalogue it used, both sides, the diff, and every problem reading
/// either side.
pub struct Compared {
    pub catalogue: Catalogue,
    pub proposed: ConfigSet,
    pub against: String,
    pub diff: Diff,
    pub problems: Vec<String>,
}

/// Compares the proposed config (the workspace's, or the saved snapshot `from`) with the
/// current state (`against`, else the network's snapshot), narrowed to `domains` when given.
pub fn compare(
    session: &Session,
    network: &str,
    from: Option<&Path>,
    against: Option<&Path>,
    domains: &[String],
) -> Result<Compared, String> {
    let catalogue = catalogue(session)?.restricted(domains);
    let proposed = proposed_or_saved(session, &catalogue, network, from)?;
    let current = current(session, &catalogue, network, against)?;
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
    against: Option<&Path>,
    domains: &[String],
) -> Result<(Diff, String, Vec<String>), String> {
    let compared = compare(session, network, from, against, domains)?;
    Ok((compared.diff, compared.against, compared.problems))
}
