//! What a sandbox's modules start with: the network's state snapshot (so a drill rehearses the
//! real change), or the workspace's config (so config and chain agree from the start), in the
//! chain's units as a snapshot holds them.

use crate::catalogue::Catalogue;
use crate::catalogue::value::Value;
use crate::workspace::context::Context;
use std::collections::BTreeMap;

pub type Seed = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeedFrom {
    Snapshot,
    Config,
}

/// The values to seed and a word on where they came from.
pub fn seed(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
    from: SeedFrom,
) -> Result<(Seed, String), super::SandboxError> {
    match from {
        SeedFrom::Snapshot => {
            let checked = crate::change::offline_state::of_network(ctx, network)
                .map_err(|e| super::SandboxError::State(Box::new(e)))?;
            // A snapshot holds contract state only: the planning options a setter also takes
            // (`setWindow(window, resetHistory)`) come from the config, as in a plan.
            let mut values = checked.snapshot.values;
            for (id, json) in from_config(ctx, catalogue, network, |p| p.option) {
                values.entry(id).or_insert(json);
            }
            Ok((values, format!("snapshot {}", checked.name)))
        }
        SeedFrom::Config => Ok((
            from_config(ctx, catalogue, network, |_| true),
            format!("config/*.{network}.json"),
        )),
    }
}

/// The config's values of the parameters `wanted` picks, in the chain's units.
fn from_config(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
    wanted: impl Fn(&crate::catalogue::Parameter) -> bool,
) -> Seed {
    let proposed = ctx.proposed(catalogue, network);
    let mut seed = Seed::new();
    for (id, value) in &proposed.values {
        let Some(parameter) = catalogue.parameter(id).filter(|p| wanted(p)) else {
            continue;
        };
        let json = match value {
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Set(members) => members.iter().cloned().collect(),
            Value::NamedSet(nodes) => nodes.keys().cloned().collect(),
            Value::Records(_) => continue,
            other => serde_json::Value::String(other.chain_text(parameter)),
        };
        seed.insert(id.clone(), json);
    }
    seed
}
