//! The workspace's proposed config for a network against a chosen current state: the inputs of
//! every diff, plan and diff step.

use super::ChangeError;
use crate::catalogue::Catalogue;
use crate::catalogue::config_set::ConfigSet;
use crate::diff::source::{Current, from_config, from_snapshot};
use crate::diff::{Diff, compute};
use crate::workspace::context::Context;
use std::path::Path;

/// The proposed values from a saved config snapshot (a rollback), after its hashes check.
pub fn proposed_from(
    catalogue: &Catalogue,
    network: &str,
    folder: &Path,
) -> Result<ConfigSet, ChangeError> {
    crate::change::config_backup::verify(folder)?;
    Ok(ConfigSet::load(catalogue, network, |name| {
        std::fs::read_to_string(folder.join(name)).ok()
    }))
}

/// The workspace's config, or the saved snapshot `from` when one is given.
pub fn proposed_or_saved(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
    from: Option<&Path>,
) -> Result<ConfigSet, ChangeError> {
    match from {
        Some(folder) => proposed_from(catalogue, network, folder),
        None => Ok(ctx.proposed(catalogue, network)),
    }
}

/// What the proposed config is compared with.
#[derive(Clone, Copy)]
pub enum Against<'a> {
    /// A state snapshot file, or a saved config folder.
    Path(&'a Path),
    /// A live reading already made (the console's state panel, or [`read_default`]).
    Live(&'a crate::chain::LiveState),
    /// The network's own snapshot from `config/networks.toml`.
    Snapshot,
}

impl<'a> Against<'a> {
    /// A file or folder when one is given, else the live reading when there is one, else the
    /// network's snapshot.
    pub fn given(path: Option<&'a Path>, live: Option<&'a crate::chain::LiveState>) -> Self {
        match (path, live) {
            (Some(path), _) => Self::Path(path),
            (None, Some(live)) => Self::Live(live),
            (None, None) => Self::Snapshot,
        }
    }
}

/// The live reading a comparison defaults to: the network's node when its RPC URL is set and
/// the machine is online; none (the network's snapshot) otherwise.
pub async fn read_default(
    ctx: &Context,
    network: &str,
) -> Result<Option<crate::chain::LiveState>, ChangeError> {
    if ctx.mode_for(network) != crate::engine::Mode::Live {
        return Ok(None);
    }
    let target = crate::chain::Target::of(ctx, network)?;
    Ok(Some(crate::chain::live::read(&target).await?))
}

/// The current state the proposed config is compared with.
pub fn current(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
    against: Against,
) -> Result<Current, ChangeError> {
    let path = match against {
        Against::Live(state) => return Ok(crate::diff::source::from_live(catalogue, state)),
        Against::Snapshot => return network_snapshot(ctx, catalogue, network),
        Against::Path(path) => path,
    };
    let name = path.display().to_string();
    if path.is_dir() {
        if path.join(crate::change::config_backup::MANIFEST).exists() {
            crate::change::config_backup::verify(path)?;
        }
        return Ok(from_config(catalogue, network, &name, |file| {
            std::fs::read_to_string(path.join(file)).ok()
        }));
    }
    let text = std::fs::read_to_string(path).map_err(|error| ChangeError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let checked = crate::change::offline_state::check(ctx, network, &name, &text)?;
    Ok(offline(catalogue, &checked))
}

fn network_snapshot(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
) -> Result<Current, ChangeError> {
    let checked = crate::change::offline_state::of_network(ctx, network)
        .map_err(|e| ChangeError::NoState(Box::new(e)))?;
    Ok(offline(catalogue, &checked))
}

fn offline(
    catalogue: &Catalogue,
    checked: &crate::change::offline_state::CheckedSnapshot,
) -> Current {
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
    pub stale: Option<crate::change::offline_state::Stale>,
    pub proposed: ConfigSet,
    pub against: String,
    pub diff: Diff,
    pub problems: Vec<String>,
}

/// Whether a stale snapshot may be used: the operator acknowledged it.
pub type AcceptStale<'a> = &'a dyn Fn(&crate::change::offline_state::Stale) -> bool;

/// Compares the proposed config (the workspace's, or the saved snapshot `from`) with the
/// current state `against`, narrowed to `domains` when given. A stale snapshot is used only
/// when `accept_stale` says so.
pub fn compare(
    ctx: &Context,
    network: &str,
    from: Option<&Path>,
    against: Against,
    domains: &[String],
    accept_stale: AcceptStale,
) -> Result<Compared, ChangeError> {
    let policy = ctx
        .networks
        .get(network)
        .map(|profile| &profile.policy)
        .filter(|policy| !policy.is_empty());
    let catalogue = match policy {
        Some(policy) => ctx.catalogue()?.for_network(network, policy)?,
        None => (*ctx.catalogue()?).clone(),
    }
    .restricted(domains);
    let proposed = proposed_or_saved(ctx, &catalogue, network, from)?;
    let current = current(ctx, &catalogue, network, against)?;
    if let Some(stale) = current.stale.as_ref().filter(|s| !accept_stale(s)) {
        return Err(ChangeError::Stale(stale.clone()));
    }
    let mut problems: Vec<String> = proposed
        .problems
        .iter()
        .filter(|p| p.level == crate::catalogue::guardrails::Level::Fail)
        .map(|p| format!("config/{}: {}: {}", p.file, p.field, p.message))
        .collect();
    problems.extend(current.problems.iter().cloned());
    let mut diff = compute(
        &catalogue,
        network,
        &current.values,
        &proposed.values,
        current.complete,
        &current.unread,
    );
    diff.notes = current.notes;
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
    ctx: &Context,
    network: &str,
    from: Option<&Path>,
    against: Against,
    domains: &[String],
    accept_stale: AcceptStale,
) -> Result<(Diff, String, Vec<String>), ChangeError> {
    let compared = compare(ctx, network, from, against, domains, accept_stale)?;
    Ok((compared.diff, compared.against, compared.problems))
}
