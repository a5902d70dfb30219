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
        modules.extend(from_manifest(&file, &text)?);
    } else if modules.is_empty() {
        return Err(AddressError::Nowhere {
            file: name,
            network: network.to_owned(),
        });
    }
    Ok(modules)
}

/// `{"contracts": {"FeePool": "0x…" | {"address": "0x…"}}}`.
pub fn from_manifest(name: &str, text: &str) -> Result<BTreeMap<String, Address>, AddressError> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| AddressError::ManifestJson {
            file: name.to_owned(),
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        })?;
    let contracts = json
        .get("contracts")
        .and_then(|c| c.as_object())
        .ok_or_else(|| AddressError::NoContracts(name.to_owned()))?;
    contracts
        .iter()
        .map(|(module, entry)| {
            let text = entry
                .as_str()
                .or_else(|| entry.get("address").and_then(|a| a.as_str()))
                .ok_or_else(|| AddressError::NotAnEntry {
                    file: name.to_owned(),
                    module: module.clone(),
                })?;
            let address = text
                .parse::<Address>()
                .map_err(|_| AddressError::NotAnAddress {
                    file: name.to_owned(),
                    field: format!("contracts.{module}"),
                    text: text.to_owned(),
                })?;
            Ok((module.clone(), address))
        })
        .collect()
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
