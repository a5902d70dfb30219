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
            Ok((
                checked.snapshot.values,
                format!("snapshot {}", checked.name),
            ))
        }
        SeedFrom::Config => {
            let proposed = ctx.proposed(catalogue, network);
            let mut seed = Seed::new();
            for (id, value) in &proposed.values {
                let Some(parameter) = catalogue.parameter(id) else {
                    continue;
                };
                let json = match value {
                    Value::Number(base) => serde_json::Value::String(
                        (*base / parameter.chain_unit().factor()).to_string(),
                    ),
                    Value::Bool(b) => serde_json::Value::Bool(*b),
                    Value::Text(text) => serde_json::Value::String(text.clone()),
                    Value::Set(members) => members.iter().cloned().collect(),
                    Value::Records(_) => continue,
                };
                seed.insert(id.clone(), json);
            }
            Ok((seed, format!("config/*.{network}.json")))
        }
    }
}
