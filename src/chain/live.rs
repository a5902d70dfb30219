//! A network's live state: what to read (from the context's catalogue, config and profile),
//! the reading itself, and the result in the shape of a state snapshot.

use super::block::BlockRef;
use super::client::{Chain, Endpoint};
use super::error::{ChainError, TargetError};
use super::reads::{self, ReadPlan};
use super::set_members::{self, LogSearch};
use crate::catalogue::value::Value;
use crate::net::{ExtraRoots, RootsError};
use crate::workspace::context::Context;
use crate::workspace::networks::ReadSettings;
use crate::workspace::snapshot::StateSnapshot;
use alloy_primitives::Address;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Everything needed to read a network live, gathered from the context once.
#[derive(Debug, Clone)]
pub struct Target {
    pub network: String,
    pub endpoint: Endpoint,
    pub settings: ReadSettings,
    pub modules: BTreeMap<String, Address>,
    pub safe: Option<Address>,
    pub plan: ReadPlan,
    /// Where the members of sets read from their events are searched for.
    pub logs: LogSearch,
}

impl Target {
    /// The network's node, from the environment variable its profile names. Refused offline.
    /// Inside a drill of the network (a drill's command step), its sandbox.
    pub fn of(ctx: &Context, network: &str) -> Result<Self, TargetError> {
        if crate::sandbox::inherited::in_drill_of(network) {
            return Self::sandbox(ctx, network);
        }
        let (_, url) = node_url(ctx, network)?;
        Self::at(ctx, network, &url)
    }

    /// The network's node at `url`, whatever its profile's environment variable says.
    pub fn at(ctx: &Context, network: &str, url: &str) -> Result<Self, TargetError> {
        let profile = profile(ctx, network)?;
        let settings = profile.reads.clone();
        let endpoint = Endpoint::new(
            network,
            profile.chain_id,
            url,
            Duration::from_secs(settings.timeout_secs.max(1)),
        )
        .trusting(trusted_roots(ctx, profile).map_err(ChainError::from)?);
        let catalogue = ctx.catalogue()?;
        let modules = super::addresses::modules(ctx, &catalogue, network)?;
        let safe = super::addresses::safe(ctx, network)?;
        Self::build(ctx, &catalogue, endpoint, settings, modules, safe)
    }

    /// The network's sandbox (`sandbox up`): its loopback node, and the modules and Safe the
    /// sandbox deployed. Drill runs read and write there.
    pub fn sandbox(ctx: &Context, network: &str) -> Result<Self, TargetError> {
        if ctx.offline {
            return Err(ChainError::Offline.into());
        }
        let info = crate::sandbox::state::SandboxInfo::running(&ctx.workspace.storage, network)?;
        let profile = profile(ctx, network)?;
        let settings = ReadSettings {
            max_block_age_secs: None,
            confirmations: 1,
            ..profile.reads.clone()
        };
        let endpoint = Endpoint::new(
            network,
            info.chain_id,
            &info.url,
            Duration::from_secs(settings.timeout_secs.max(1)),
        );
        let catalogue = ctx.catalogue()?;
        Self::build(
            ctx,
            &catalogue,
            endpoint,
            settings,
            info.contracts,
            Some(info.safe),
        )
    }

    /// Where a run of `mode` reads: the sandbox for a drill, else the network's node.
    pub fn for_mode(
        ctx: &Context,
        network: &str,
        mode: crate::engine::Mode,
    ) -> Result<Self, TargetError> {
        match mode {
            crate::engine::Mode::Drill => Self::sandbox(ctx, network),
            _ => Self::of(ctx, network),
        }
    }

    fn build(
        ctx: &Context,
        catalogue: &crate::catalogue::Catalogue,
        endpoint: Endpoint,
        settings: ReadSettings,
        modules: BTreeMap<String, Address>,
        safe: Option<Address>,
    ) -> Result<Self, TargetError> {
        let network = endpoint.network.clone();
        let candidates = candidates(ctx, catalogue, &network);
        let plan = reads::plan(catalogue, &modules, safe, &candidates);
        let logs = LogSearch {
            from_block: settings.logs_from_block,
            page_blocks: settings.logs_page_blocks,
            cache: Some(
                ctx.workspace
                    .storage
                    .join("cache/set-members")
                    .join(format!("{network}-{}.json", endpoint.chain_id)),
            ),
        };
        Ok(Self {
            logs,
            network,
            endpoint,
            settings,
            modules,
            safe,
            plan,
        })
    }

    pub fn connect(&self) -> Result<Chain, ChainError> {
        Chain::connect(self.endpoint.clone())
    }
}

/// The network's node alone, from the environment variable its profile names (no catalogue
/// or modules needed): for a read of one contract, such as a Safe's nonce. Refused offline.
pub fn endpoint(ctx: &Context, network: &str) -> Result<Endpoint, TargetError> {
    let (profile, url) = node_url(ctx, network)?;
    Ok(Endpoint::new(
        network,
        profile.chain_id,
        &url,
        Duration::from_secs(profile.reads.timeout_secs.max(1)),
    )
    .trusting(trusted_roots(ctx, profile).map_err(ChainError::from)?))
}

/// The network's profile and its node's URL, from the environment variable the profile names.
/// Refused offline.
fn node_url<'a>(
    ctx: &'a Context,
    network: &str,
) -> Result<(&'a crate::workspace::networks::Network, String), TargetError> {
    let profile = profile(ctx, network)?;
    if ctx.offline {
        return Err(ChainError::Offline.into());
    }
    let url = std::env::var(&profile.rpc_env)
        .ok()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| ChainError::NoRpcUrl {
            network: network.to_owned(),
            variable: profile.rpc_env.clone(),
        })?;
    Ok((profile, url.trim().to_owned()))
}

fn profile<'a>(
    ctx: &'a Context,
    network: &str,
) -> Result<&'a crate::workspace::networks::Network, TargetError> {
    ctx.networks
        .get(network)
        .ok_or_else(|| TargetError::UnknownNetwork(network.to_owned()))
}

/// The members a set read member by member asks about: the proposed config's and the
/// network's snapshot's.
fn candidates(
    ctx: &Context,
    catalogue: &crate::catalogue::Catalogue,
    network: &str,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut candidates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let proposed = ctx.proposed(catalogue, network);
    for (id, value) in &proposed.values {
        if let Value::Set(members) = value {
            candidates
                .entry(id.clone())
                .or_default()
                .extend(members.iter().cloned());
        }
    }
    if let Some(Ok(snapshot)) = ctx.snapshot(network) {
        for (id, value) in &snapshot.values {
            if let Some(members) = value.as_array() {
                let members = members.iter().filter_map(|m| m.as_str()).map(str::to_owned);
                candidates.entry(id.clone()).or_default().extend(members);
            }
        }
    }
    candidates
}

#[derive(Debug, Clone)]
pub struct LiveState {
    pub network: String,
    pub chain_id: u64,
    pub block: BlockRef,
    pub read_at: jiff::Timestamp,
    /// The node's URL, redacted.
    pub source: String,
    pub values: BTreeMap<String, serde_json::Value>,
    pub failures: BTreeMap<String, String>,
    /// Keys that cannot be read on chain at all (no getter, no module address), and why.
    pub not_read: BTreeMap<String, String>,
    pub requests: u32,
    /// Set when the node's latest block is older than the network allows.
    pub lagging: Option<ChainError>,
}

impl LiveState {
    pub fn to_snapshot(&self) -> StateSnapshot {
        StateSnapshot {
            network: self.network.clone(),
            chain_id: self.chain_id,
            block: self.block.to_snapshot_block(),
            taken_at: self
                .read_at
                .round(jiff::Unit::Second)
                .unwrap_or(self.read_at)
                .to_string(),
            source: Some(self.source.clone()),
            values: self.values.clone(),
            unreadable: self
                .not_read
                .iter()
                .chain(&self.failures)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            drill: false,
            signer: None,
            signature: None,
        }
    }

    /// Reads that may verify something: not from a lagging node.
    pub fn fresh(&self) -> Result<(), ChainError> {
        self.lagging.clone().map_or(Ok(()), Err)
    }
}

/// Reads every planned value of `target` at one block, connecting first.
pub async fn read(target: &Target) -> Result<LiveState, ChainError> {
    let chain = target.connect()?;
    read_state(&chain, target).await
}

/// Set when `block` is older than the network allows: reads at it verify nothing.
pub fn lag(block: &BlockRef, settings: &ReadSettings, now: jiff::Timestamp) -> Option<ChainError> {
    let limit = settings.max_block_age_secs?;
    let age = block.age_secs(now);
    (age > limit).then_some(ChainError::Lagging {
        number: block.number,
        age_secs: age,
        limit_secs: limit,
    })
}

/// Reads every planned value at one block. A set read from its events is asked about every
/// member they name up to that block: when they name one the plan did not ask about, the
/// values are read again with it (at the newest block, whose events are then searched too).
pub async fn read_state(chain: &Chain, target: &Target) -> Result<LiveState, ChainError> {
    let mut plan = target.plan.clone();
    let mut reading = chain.read(&plan.calls()).await?;
    let mut unlisted = BTreeMap::new();
    if !plan.event_sets.is_empty() {
        let mut attempts = 0;
        loop {
            let found =
                set_members::find(chain, &plan.event_sets, &target.logs, &reading.block).await;
            let wider = target.plan.with_members(&found.members);
            unlisted = found.failures;
            if wider.reads.len() == plan.reads.len() {
                break;
            }
            attempts += 1;
            if attempts > 3 {
                for set in &plan.event_sets {
                    unlisted.insert(
                        set.key.clone(),
                        "new members kept appearing in its events while it was read; try again"
                            .into(),
                    );
                }
                break;
            }
            plan = wider;
            reading = chain.read(&plan.calls()).await?;
        }
    }
    let mut assembled = reads::assemble(&plan, &reading);
    for (key, why) in unlisted {
        assembled.values.remove(&key);
        assembled.failures.insert(key, why);
    }
    let read_at = jiff::Timestamp::now();
    let lagging = lag(&reading.block, &target.settings, read_at);
    Ok(LiveState {
        network: target.network.clone(),
        chain_id: target.endpoint.chain_id,
        block: reading.block,
        read_at,
        source: target.endpoint.shown(),
        values: assembled.values,
        failures: assembled.failures,
        not_read: target.plan.unreadable.clone(),
        requests: reading.requests,
        lagging,
    })
}

/// The certificate authorities a network's node is trusted under besides the machine's: the
/// file `OWNER_CONSOLE_CA_FILE` names and the network's `ca_file`.
fn trusted_roots(
    ctx: &Context,
    profile: &crate::workspace::networks::Network,
) -> Result<ExtraRoots, RootsError> {
    let roots = ExtraRoots::from_env()?;
    let Some(file) = &profile.ca_file else {
        return Ok(roots);
    };
    match ctx.workspace.file_on_disk(file) {
        Some(path) => roots.with_file(&path),
        None => match ctx.workspace.read_text(file) {
            Some(pem) => roots.with_pem(file, pem.as_bytes()),
            None => Err(RootsError::Unreadable {
                file: file.clone(),
                reason: "not in the workspace".into(),
            }),
        },
    }
}
