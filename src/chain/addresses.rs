//! Where the platform's modules live on a network: `config/owner-control.<network>.json`
//! (through the catalogue's `[modules]` pointers), overridden by the network's deployment
//! manifest when `config/networks.toml` names one.

use super::error::{AddressError, TargetError};
use crate::catalogue::Catalogue;
use crate::workspace::context::Context;
use alloy_primitives::Address;
use std::collections::BTreeMap;

pub fn modules(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
) -> Result<BTreeMap<String, Address>, AddressError> {
    let name = format!("config/owner-control.{network}.json");
    let mut modules = match ctx.workspace.read_text(&name) {
        Some(text) => {
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| AddressError::Json {
                    file: name.clone(),
                    detail: e.to_string(),
                })?;
            catalogue.module_addresses(&json)
        }
        None => BTreeMap::new(),
    };
    let manifest = ctx
        .networks
        .get(network)
        .and_then(|profile| profile.deployment.clone());
    if let Some(file) = manifest {
        let text = ctx
            .workspace
            .read_text(&file)
            .ok_or_else(|| AddressError::ManifestMissing(file.clone()))?;
        modules.extend(from_manifest(&file, &text, catalogue)?);
    } else if modules.is_empty() {
        return Err(AddressError::Nowhere {
            file: name,
            network: network.to_owned(),
        });
    }
    Ok(modules)
}

/// The contract names a deployment file may use for a module whose catalogue name differs.
const DEPLOYED_NAMES: [(&str, &str); 1] = [("RewardEngineMB", "RewardEngine")];

/// A deployment file in any of the shapes the platform's own tooling writes:
/// `{"contracts": {"FeePool": "0x…" | {"address": "0x…"}}}` (with other fields beside it, as
/// `deployment-config/latest-deployment.json`), or a flat map of camelCase names
/// (`{"feePool": "0x…", "_comment": …}`, as `docs/deployment-addresses.json`). Names match
/// the catalogue's modules whatever their case; in a flat map, fields that name no module are
/// not addresses of this platform's modules and are left alone.
pub fn from_manifest(
    name: &str,
    text: &str,
    catalogue: &Catalogue,
) -> Result<BTreeMap<String, Address>, AddressError> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| AddressError::ManifestJson {
            file: name.to_owned(),
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        })?;
    let (entries, prefix, every_field) = match json.get("contracts") {
        Some(contracts) => (
            contracts
                .as_object()
                .ok_or_else(|| AddressError::NoContracts(name.to_owned()))?,
            "contracts.",
            true,
        ),
        None => (
            json.as_object()
                .ok_or_else(|| AddressError::NoContracts(name.to_owned()))?,
            "",
            false,
        ),
    };
    let mut modules = BTreeMap::new();
    for (field, entry) in entries {
        let module = module_named(catalogue, field);
        let Some(module) = module.or_else(|| every_field.then(|| field.clone())) else {
            continue;
        };
        let at = format!("{prefix}{field}");
        let text = entry
            .as_str()
            .or_else(|| entry.get("address").and_then(|a| a.as_str()))
            .ok_or_else(|| AddressError::NotAnEntry {
                file: name.to_owned(),
                field: at.clone(),
            })?;
        let address = text
            .parse::<Address>()
            .map_err(|_| AddressError::NotAnAddress {
                file: name.to_owned(),
                field: at.clone(),
                text: text.to_owned(),
            })?;
        if address.is_zero() {
            return Err(AddressError::NotDeployed {
                file: name.to_owned(),
                field: at,
            });
        }
        modules.insert(module, address);
    }
    if modules.is_empty() {
        return Err(AddressError::NoContracts(name.to_owned()));
    }
    Ok(modules)
}

/// The catalogue's module a deployment file's field names (`feePool`, `FeePool`,
/// `RewardEngineMB`).
fn module_named(catalogue: &Catalogue, field: &str) -> Option<String> {
    let field = DEPLOYED_NAMES
        .iter()
        .find(|(deployed, _)| deployed.eq_ignore_ascii_case(field))
        .map_or(field, |(_, module)| module);
    catalogue
        .modules
        .keys()
        .find(|module| module.eq_ignore_ascii_case(field))
        .cloned()
}

/// The network's Safe, from `config/networks.toml`.
pub fn safe(ctx: &Context, network: &str) -> Result<Option<Address>, AddressError> {
    match ctx.networks.get(network).and_then(|n| n.safe.as_deref()) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| AddressError::NotAnAddress {
                file: crate::workspace::networks::Networks::FILE.to_owned(),
                field: format!("networks.{network}.safe"),
                text: text.to_owned(),
            }),
    }
}

/// Where a run of `mode` acts: the network's modules and Safe, or for a drill the sandbox's.
#[derive(Debug, Clone)]
pub struct Placement {
    pub modules: BTreeMap<String, Address>,
    pub safe: Option<Address>,
}

pub fn placement(
    ctx: &Context,
    catalogue: &Catalogue,
    network: &str,
    mode: crate::engine::Mode,
) -> Result<Placement, TargetError> {
    if mode == crate::engine::Mode::Drill {
        let info = crate::sandbox::state::SandboxInfo::load(&ctx.workspace.storage, network)?;
        return Ok(Placement {
            modules: info.contracts,
            safe: Some(info.safe),
        });
    }
    Ok(Placement {
        modules: modules(ctx, catalogue, network)?,
        safe: safe(ctx, network)?,
    })
}
