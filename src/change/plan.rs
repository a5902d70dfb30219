//! From a diff to the calls that make it: each changed parameter's setter, with its value in
//! the chain's unit, sent to its module's address on the network.

use super::ChangeError;
use crate::catalogue::Catalogue;
use crate::catalogue::guardrails::Values;
use crate::catalogue::value::Value;
use crate::diff::{ChangeKind, Diff};
use crate::safe::PlannedCall;
use crate::workspace::context::Context;
use alloy_primitives::Address;
use std::collections::BTreeMap;

/// What a diff plans to: the calls, and the changes no setter can make.
#[derive(Debug, Default)]
pub struct Plan {
    pub calls: Vec<PlannedCall>,
    pub by_hand: Vec<String>,
}

fn chain_text(value: &Value, parameter: &crate::catalogue::Parameter) -> String {
    value.chain_text(parameter)
}

/// A setter's arguments: the parameter's fixed leading ones (a role, an agent), then `values`.
fn with_leading<'a>(
    parameter: &'a crate::catalogue::Parameter,
    values: &'a [String],
) -> Vec<&'a str> {
    parameter
        .args
        .iter()
        .chain(values)
        .map(String::as_str)
        .collect()
}

pub fn plan(
    catalogue: &Catalogue,
    diff: &Diff,
    proposed: &Values,
    modules: &BTreeMap<String, Address>,
) -> Result<Plan, ChangeError> {
    if diff.blocking() > 0 {
        return Err(ChangeError::Blocked(diff.summary()));
    }
    let mut plan = Plan::default();
    let mut joint_calls_made = std::collections::BTreeSet::new();
    // Sets first: a setter such as setTreasury requires its value already on an allowlist.
    let is_set =
        |change: &&crate::diff::Change| matches!(proposed.get(&change.id), Some(Value::Set(_)));
    let sets_first = diff
        .changes
        .iter()
        .filter(is_set)
        .chain(diff.changes.iter().filter(|c| !is_set(c)));
    for change in sets_first {
        let Some(parameter) = catalogue.parameter(&change.id) else {
            continue;
        };
        let Some(setter) = &parameter.setter else {
            plan.by_hand
                .push(format!("{}: no setter in the catalogue", change.id));
            continue;
        };
        let module = parameter.contract();
        let to = *modules
            .get(module)
            .ok_or_else(|| ChangeError::NoModule(module.to_owned()))?;
        if !parameter.setter_args.is_empty() {
            if joint_calls_made.insert((module, setter)) {
                match joint_arguments(catalogue, parameter, proposed) {
                    Ok(args) => {
                        let args = with_leading(parameter, &args);
                        plan.calls.push(PlannedCall::new(module, to, setter, &args));
                    }
                    Err(why) => plan.by_hand.push(format!("{}: {why}", change.id)),
                }
            }
            continue;
        }
        let per_member = setter.ends_with(",bool)");
        match (change.kind, proposed.get(&change.id)) {
            (_, Some(Value::Set(_))) if per_member => {
                for member in &change.added {
                    plan.calls
                        .push(PlannedCall::new(module, to, setter, &[member, "true"]));
                }
                let retained = retains_unknown(proposed, module);
                for member in change.removed.iter().filter(|_| !retained) {
                    plan.calls
                        .push(PlannedCall::new(module, to, setter, &[member, "false"]));
                }
                if retained && !change.removed.is_empty() {
                    plan.by_hand.push(format!(
                        "{}: {} member(s) on chain and not in the config kept, as {module}.retainUnknown says",
                        change.id,
                        change.removed.len()
                    ));
                }
            }
            (_, Some(Value::Set(_))) => {
                for member in &change.added {
                    plan.calls
                        .push(PlannedCall::new(module, to, setter, &[member]));
                }
                if !change.removed.is_empty() {
                    plan.by_hand.push(format!(
                        "{}: {} member(s) to remove, and {setter} only adds",
                        change.id,
                        change.removed.len()
                    ));
                }
            }
            (ChangeKind::Removed, _) | (_, None) => plan.by_hand.push(format!(
                "{}: removed from the config; nothing to set",
                change.id
            )),
            (_, Some(value)) => plan.calls.push(PlannedCall::new(
                module,
                to,
                setter,
                &with_leading(parameter, &[chain_text(value, parameter)]),
            )),
        }
    }
    Ok(plan)
}

/// The arguments of a setter that sets several parameters at once: every one of them from the
/// proposed config, in the chain's unit, since the call sets all of them together.
fn joint_arguments(
    catalogue: &Catalogue,
    parameter: &crate::catalogue::Parameter,
    proposed: &Values,
) -> Result<Vec<String>, String> {
    parameter
        .setter_args
        .iter()
        .map(|id| {
            let missing = || {
                format!(
                    "{} also sets {id}, which the proposed config does not give",
                    parameter.setter.as_deref().unwrap_or_default()
                )
            };
            let value = proposed.get(id).ok_or_else(missing)?;
            let member = catalogue.parameter(id).ok_or_else(missing)?;
            Ok(chain_text(value, member))
        })
        .collect()
}

/// A checked batch of explicit calls (a runbook's safe-batch step), for `network`.
pub fn batch_for_calls(
    ctx: &Context,
    network: &str,
    title: &str,
    calls: &[(String, String, Vec<String>)],
    mode: crate::engine::Mode,
) -> Result<crate::safe::Batch, ChangeError> {
    let catalogue = ctx.catalogue()?;
    let placement = crate::chain::addresses::placement(ctx, &catalogue, network, mode)?;
    let modules = &placement.modules;
    let planned = calls
        .iter()
        .map(|(contract, method, args)| {
            let to = *modules
                .get(contract)
                .ok_or_else(|| ChangeError::NoAddress {
                    module: contract.clone(),
                    network: network.to_owned(),
                })?;
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            Ok(PlannedCall::new(contract, to, method, &args))
        })
        .collect::<Result<Vec<_>, ChangeError>>()?;
    finish(ctx, network, title, title, &planned, &placement)
}

fn finish(
    ctx: &Context,
    network: &str,
    name: &str,
    description: &str,
    calls: &[PlannedCall],
    placement: &crate::chain::addresses::Placement,
) -> Result<crate::safe::Batch, ChangeError> {
    let profile = ctx
        .networks
        .get(network)
        .ok_or_else(|| ChangeError::UnknownNetwork(network.to_owned()))?;
    let safe = placement
        .safe
        .ok_or_else(|| ChangeError::NoSafe(network.to_owned()))?;
    let modules = &placement.modules;
    let created = jiff::Timestamp::now().as_millisecond().max(0) as u64;
    let batch =
        crate::safe::build_batch(profile.chain_id, safe, name, description, calls, created)?;
    let targets = modules
        .iter()
        .map(|(name, address)| (*address, name.clone()))
        .collect();
    let failed: Vec<String> = crate::safe::check_batch(&batch, Some(&targets))
        .into_iter()
        .filter(|c| !c.passed)
        .map(|c| format!("transaction {:?} {}: {}", c.index, c.method, c.detail))
        .collect();
    if !failed.is_empty() {
        return Err(ChangeError::FailsChecks(failed));
    }
    Ok(batch)
}

/// A batch made from a diff, and the diff it makes.
pub struct DiffBatch {
    pub batch: crate::safe::Batch,
    /// Changes no setter can make.
    pub by_hand: Vec<String>,
    /// The diff the batch makes.
    pub diff: Diff,
    /// The current state it was compared with.
    pub against: String,
}

/// The batch that makes the diff of `network`, every transaction checked before it is returned.
pub fn batch_for_diff(
    ctx: &Context,
    network: &str,
    from: Option<&std::path::Path>,
    against: crate::change::compare::Against,
    domains: &[String],
    accept_stale: crate::change::compare::AcceptStale,
    mode: crate::engine::Mode,
) -> Result<DiffBatch, ChangeError> {
    let crate::change::compare::Compared {
        catalogue,
        proposed,
        diff,
        problems,
        against,
        ..
    } = crate::change::compare::compare(ctx, network, from, against, domains, accept_stale)?;
    if let Some(problem) = problems.first() {
        return Err(ChangeError::Unreadable(problem.clone()));
    }
    let placement = crate::chain::addresses::placement(ctx, &catalogue, network, mode)?;
    let planned = plan(&catalogue, &diff, &proposed.values, &placement.modules)?;
    if planned.calls.is_empty() {
        return Err(ChangeError::NothingToDo(diff.summary()));
    }
    let description = format!("{} · diff fingerprint {}", diff.summary(), diff.fingerprint);
    let batch = finish(
        ctx,
        network,
        &format!("owner-console: {network} parameter update"),
        &description,
        &planned.calls,
        &placement,
    )?;
    Ok(DiffBatch {
        batch,
        by_hand: planned.by_hand,
        diff,
        against,
    })
}

/// Whether the config keeps members of `module`'s sets that are on chain and not in the config
/// (its planning option `<module>.retainUnknown`, as the platform's own planner reads it).
fn retains_unknown(proposed: &Values, module: &str) -> bool {
    matches!(
        proposed.get(&format!("{module}.retainUnknown")),
        Some(Value::Bool(true))
    )
}
