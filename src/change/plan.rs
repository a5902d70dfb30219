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

/// The calls of one setter: a parameter's, or a joint setter's for all its parameters.
struct Step {
    /// The module and the setter, which orders steps and finds a value's setter.
    key: (String, String),
    /// The parameter the step was made for.
    id: String,
    calls: Vec<PlannedCall>,
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
    let mut steps: Vec<Step> = Vec::new();
    let mut joint_calls_made = std::collections::BTreeSet::new();
    // Sets first: a setter such as setTreasury requires its value already on an allowlist.
    let is_set = |change: &&crate::diff::Change| {
        matches!(
            proposed.get(&change.id),
            Some(Value::Set(_) | Value::NamedSet(_))
        )
    };
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
        let mut calls = Vec::new();
        if !parameter.setter_args.is_empty() {
            if joint_calls_made.insert((module, setter)) {
                match joint_arguments(catalogue, parameter, proposed) {
                    Ok(args) => {
                        let args = with_leading(parameter, &args);
                        calls.push(PlannedCall::new(module, to, setter, &args));
                    }
                    Err(why) => plan.by_hand.push(format!("{}: {why}", change.id)),
                }
            }
        } else {
            let per_member = setter.ends_with(",bool)");
            match (change.kind, proposed.get(&change.id)) {
                (_, Some(Value::Set(_) | Value::NamedSet(_))) if per_member => {
                    for member in &change.added {
                        calls.push(PlannedCall::new(module, to, setter, &[member, "true"]));
                    }
                    let retained = retains_unknown(proposed, module);
                    for member in change.removed.iter().filter(|_| !retained) {
                        calls.push(PlannedCall::new(module, to, setter, &[member, "false"]));
                    }
                    if retained && !change.removed.is_empty() {
                        plan.by_hand.push(format!(
                            "{}: {} member(s) on chain and not in the config kept, as {module}.retainUnknown says",
                            change.id,
                            change.removed.len()
                        ));
                    }
                }
                (_, Some(Value::Set(_) | Value::NamedSet(_))) => {
                    for member in &change.added {
                        calls.push(PlannedCall::new(module, to, setter, &[member]));
                    }
                    let retained = retains_unknown(proposed, module);
                    if let Some(remover) = parameter.remover.as_ref().filter(|_| !retained) {
                        for member in &change.removed {
                            calls.push(PlannedCall::new(module, to, remover, &[member]));
                        }
                    } else if retained && !change.removed.is_empty() {
                        plan.by_hand.push(format!(
                            "{}: {} member(s) on chain and not in the config kept, as {module}.retainUnknown says",
                            change.id,
                            change.removed.len()
                        ));
                    } else if !change.removed.is_empty() {
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
                (_, Some(value)) => calls.push(PlannedCall::new(
                    module,
                    to,
                    setter,
                    &with_leading(parameter, &[chain_text(value, parameter)]),
                )),
            }
        }
        if !calls.is_empty() {
            steps.push(Step {
                key: (module.to_owned(), setter.clone()),
                id: change.id.clone(),
                calls,
            });
        }
    }
    restore_overwritten(catalogue, proposed, modules, &mut steps, &mut plan.by_hand)?;
    plan.calls = coupled_order(catalogue, steps)
        .into_iter()
        .flat_map(|step| step.calls)
        .collect();
    Ok(plan)
}

/// The module and setter of parameter `id`.
fn setter_key(catalogue: &Catalogue, id: &str) -> Option<(String, String)> {
    let parameter = catalogue.parameter(id)?;
    Some((parameter.contract().to_owned(), parameter.setter.clone()?))
}

/// For each planned setter that also overwrites another value (`also_writes`) with its own
/// new value, where the config wants another value there and the plan does not set it: the
/// call of that value's setter, which restores it once the coupled setter has run.
fn restore_overwritten(
    catalogue: &Catalogue,
    proposed: &Values,
    modules: &BTreeMap<String, Address>,
    steps: &mut Vec<Step>,
    by_hand: &mut Vec<String>,
) -> Result<(), ChangeError> {
    let mut restores = Vec::new();
    for step in steps.iter() {
        let Some(parameter) = catalogue.parameter(&step.id) else {
            continue;
        };
        for overwritten in &parameter.also_writes {
            let (Some(member), Some(key)) = (
                catalogue.parameter(overwritten),
                setter_key(catalogue, overwritten),
            ) else {
                continue;
            };
            let planned =
                steps.iter().any(|s| s.key == key) || restores.iter().any(|s: &Step| s.key == key);
            if planned {
                continue;
            }
            let Some(wanted) = proposed.get(overwritten) else {
                by_hand.push(format!(
                    "{}: {} also overwrites {overwritten}, which the proposed config does not give; check it after the batch",
                    step.id, key.1
                ));
                continue;
            };
            let written = proposed.get(&step.id).map(|v| chain_text(v, parameter));
            if written.as_deref() == Some(chain_text(wanted, member).as_str()) {
                continue;
            }
            let to = *modules
                .get(&key.0)
                .ok_or_else(|| ChangeError::NoModule(key.0.clone()))?;
            let args = if member.setter_args.is_empty() {
                vec![chain_text(wanted, member)]
            } else {
                match joint_arguments(catalogue, member, proposed) {
                    Ok(args) => args,
                    Err(why) => {
                        by_hand.push(format!("{overwritten}: {why}"));
                        continue;
                    }
                }
            };
            let args = with_leading(member, &args);
            restores.push(Step {
                calls: vec![PlannedCall::new(&key.0, to, &key.1, &args)],
                key,
                id: overwritten.clone(),
            });
        }
    }
    steps.extend(restores);
    Ok(())
}

/// `steps` in their order, except that a setter that overwrites other values (`also_writes`)
/// comes before the setters of those values, so that one pass leaves each as the config says.
fn coupled_order(catalogue: &Catalogue, steps: Vec<Step>) -> Vec<Step> {
    // `before[i]`: the steps that must come before step i.
    let before: Vec<Vec<usize>> = steps
        .iter()
        .map(|step| {
            steps
                .iter()
                .enumerate()
                .filter(|(_, other)| {
                    other.key != step.key
                        && catalogue.parameter(&other.id).is_some_and(|p| {
                            p.also_writes
                                .iter()
                                .any(|w| setter_key(catalogue, w).as_ref() == Some(&step.key))
                        })
                })
                .map(|(j, _)| j)
                .collect()
        })
        .collect();
    let mut placed = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    while order.len() < steps.len() {
        // The first step whose predecessors are placed; on a cycle, the first unplaced one.
        let ready = (0..steps.len())
            .find(|&i| !placed[i] && before[i].iter().all(|&j| placed[j]))
            .or_else(|| (0..steps.len()).find(|&i| !placed[i]));
        let Some(next) = ready else { break };
        placed[next] = true;
        order.push(next);
    }
    let mut steps: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| steps.get_mut(i).and_then(Option::take))
        .collect()
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
        .map(|c| {
            let which = c
                .index
                .map_or_else(|| "the batch".to_owned(), |i| format!("transaction {i}"));
            format!("{which} {}: {}", c.method, c.detail)
        })
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

impl DiffBatch {
    /// Refuses the batch when proposed values were left out of the diff (the batch would set
    /// none of them), unless `allowed`.
    pub fn refuse_incomplete(&self, allowed: bool) -> Result<(), ChangeError> {
        let left_out: Vec<String> = self
            .diff
            .incomplete()
            .map(|n| format!("{} = {} ({})", n.id, n.proposed, n.why))
            .collect();
        if left_out.is_empty() || allowed {
            Ok(())
        } else {
            Err(ChangeError::Incomplete(left_out))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::risk::RiskClass;
    use crate::diff::{Change, ChangeKind};

    fn catalogue() -> Catalogue {
        Catalogue::parse(include_str!("../../config/catalogue.toml")).expect("the catalogue")
    }

    fn change(id: &str) -> Change {
        Change {
            id: id.to_owned(),
            domain: String::new(),
            risk: RiskClass::Financial,
            kind: ChangeKind::Changed,
            before: None,
            after: None,
            added: Vec::new(),
            removed: Vec::new(),
            inline: Vec::new(),
            why: String::new(),
            checked_by: Vec::new(),
            names: Default::default(),
        }
    }

    fn diff(ids: &[&str]) -> Diff {
        Diff {
            network: "demo".into(),
            changes: ids.iter().map(|id| change(id)).collect(),
            guardrails: Vec::new(),
            not_compared: Vec::new(),
            options: Vec::new(),
            notes: Vec::new(),
            fingerprint: String::new(),
        }
    }

    fn proposed(validator_reward: i64, slash: [i64; 3]) -> Values {
        // Base units: a whole percent is 100 of them.
        let pct = |n: i64| Value::Number(alloy_primitives::I256::try_from(n * 100).expect("small"));
        [
            ("StakeManager.validatorRewardPct", validator_reward),
            ("StakeManager.employerSlashPct", slash[0]),
            ("StakeManager.treasurySlashPct", slash[1]),
            ("StakeManager.validatorSlashRewardPct", slash[2]),
        ]
        .into_iter()
        .map(|(id, n)| (id.to_owned(), pct(n)))
        .collect()
    }

    fn modules() -> BTreeMap<String, Address> {
        [("StakeManager".to_owned(), Address::repeat_byte(0x66))].into()
    }

    fn calls(plan: &Plan) -> Vec<(String, Vec<String>)> {
        plan.calls
            .iter()
            .map(|c| (c.signature.clone(), c.args.clone()))
            .collect()
    }

    #[test]
    fn a_setter_that_overwrites_another_value_goes_before_that_values_setter() {
        // In id order (the diff's), the slashing split comes first: run so, the reward's
        // setter would overwrite the validator's slash share the split had just set.
        let diff = diff(&[
            "StakeManager.employerSlashPct",
            "StakeManager.validatorSlashRewardPct",
            "StakeManager.validatorRewardPct",
        ]);
        let plan =
            plan(&catalogue(), &diff, &proposed(20, [30, 60, 10]), &modules()).expect("a plan");
        assert_eq!(
            calls(&plan),
            [
                (
                    "setValidatorRewardPct(uint256)".to_owned(),
                    vec!["20".to_owned()]
                ),
                (
                    "setSlashingDistribution(uint256,uint256,uint256)".to_owned(),
                    vec!["30".to_owned(), "60".to_owned(), "10".to_owned()]
                ),
            ]
        );
    }

    #[test]
    fn an_unchanged_value_the_setter_overwrites_is_set_again_after_it() {
        let catalogue = catalogue();
        let only_reward = diff(&["StakeManager.validatorRewardPct"]);
        let plan = plan(
            &catalogue,
            &only_reward,
            &proposed(20, [40, 55, 5]),
            &modules(),
        )
        .expect("a plan");
        assert_eq!(
            calls(&plan),
            [
                (
                    "setValidatorRewardPct(uint256)".to_owned(),
                    vec!["20".to_owned()]
                ),
                (
                    "setSlashingDistribution(uint256,uint256,uint256)".to_owned(),
                    vec!["40".to_owned(), "55".to_owned(), "5".to_owned()]
                ),
            ]
        );
        // When the config wants the value the setter writes, nothing is restored.
        let same = super::plan(
            &catalogue,
            &only_reward,
            &proposed(20, [40, 55, 20]),
            &modules(),
        )
        .expect("a plan");
        assert_eq!(
            calls(&same),
            [(
                "setValidatorRewardPct(uint256)".to_owned(),
                vec!["20".to_owned()]
            )]
        );
    }

    #[test]
    fn a_member_the_config_drops_is_removed_with_the_sets_remover() {
        let stranger = "0x000000000000000000000000000000000000dead".to_owned();
        let mut diff = diff(&["IdentityRegistry.additionalAgents"]);
        diff.changes[0].removed = vec![stranger.clone()];
        let mut proposed = Values::new();
        proposed.insert(
            "IdentityRegistry.additionalAgents".into(),
            Value::Set(Default::default()),
        );
        let modules = [("IdentityRegistry".to_owned(), Address::repeat_byte(0x77))].into();
        let removing = plan(&catalogue(), &diff, &proposed, &modules).expect("a plan");
        assert_eq!(
            calls(&removing),
            [("removeAdditionalAgent(address)".to_owned(), vec![stranger])]
        );
        assert!(removing.by_hand.is_empty(), "{:?}", removing.by_hand);
        proposed.insert("IdentityRegistry.retainUnknown".into(), Value::Bool(true));
        let kept = plan(&catalogue(), &diff, &proposed, &modules).expect("a plan");
        assert!(calls(&kept).is_empty());
        assert_eq!(kept.by_hand.len(), 1, "{:?}", kept.by_hand);
    }
}
