//! What a refresh reads: every catalogue parameter that has a getter, each module's pause flag
//! and the Safe's owners and threshold, planned as calls, then assembled back into values.
//! A set behind a mapping getter (`rewarders(address)(bool)`) cannot be listed by a getter: its
//! candidate members (the proposed config's, the last snapshot's, and those its add/remove
//! events name when the catalogue gives the event: `set_members`) are asked one by one.

use super::client::{Call, CallFailure, Reading};
use super::getter::{Getter, to_json};
use super::set_members::EventSet;
use crate::catalogue::Catalogue;
use crate::catalogue::value::Kind;
use alloy_dyn_abi::DynSolValue;
use alloy_primitives::Address;
use std::collections::{BTreeMap, BTreeSet};

/// The Safe's reads, under these keys.
pub const SAFE_OWNERS: &str = "Safe.getOwners";
pub const SAFE_THRESHOLD: &str = "Safe.getThreshold";

#[derive(Debug, Clone)]
pub struct PlannedRead {
    /// The value's key: a catalogue id, `Module.paused`, or `Safe.*`.
    pub key: String,
    pub getter: Getter,
    pub call: Call,
    /// For a set read member by member: the member this call asks about.
    pub member: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReadPlan {
    pub reads: Vec<PlannedRead>,
    /// Keys that cannot be read on chain, and why.
    pub unreadable: BTreeMap<String, String>,
    /// Keys whose set is assembled from the members asked about.
    pub partial_sets: BTreeSet<String>,
    /// Of those, the sets whose add/remove events name the members to ask about.
    pub event_sets: Vec<EventSet>,
}

impl ReadPlan {
    pub fn calls(&self) -> Vec<Call> {
        self.reads.iter().map(|r| r.call.clone()).collect()
    }

    /// The plan, asking also about the members `found` in the sets' events that it does not
    /// ask about yet.
    pub fn with_members(&self, found: &BTreeMap<String, BTreeSet<Address>>) -> ReadPlan {
        let mut wider = self.clone();
        for set in &self.event_sets {
            let asked: BTreeSet<&str> = self
                .reads
                .iter()
                .filter(|r| r.key == set.key)
                .filter_map(|r| r.member.as_deref())
                .collect();
            for member in found.get(&set.key).into_iter().flatten() {
                let shown = member.to_checksum(None);
                if !asked.contains(shown.as_str()) {
                    let argument = [DynSolValue::Address(*member)];
                    wider.push(&set.key, &set.getter, set.module, &argument, Some(shown));
                }
            }
        }
        wider
    }

    fn push(
        &mut self,
        key: &str,
        getter: &Getter,
        to: Address,
        args: &[DynSolValue],
        member: Option<String>,
    ) {
        match getter.calldata(args) {
            Ok(data) => self.reads.push(PlannedRead {
                key: key.to_owned(),
                getter: getter.clone(),
                call: Call { to, data },
                member,
            }),
            Err(why) => {
                self.unreadable.insert(key.to_owned(), why);
            }
        }
    }
}

/// Plans the reads of `catalogue` on a network whose modules live at `modules`.
pub fn plan(
    catalogue: &Catalogue,
    modules: &BTreeMap<String, Address>,
    safe: Option<Address>,
    candidates: &BTreeMap<String, BTreeSet<String>>,
) -> ReadPlan {
    let mut plan = ReadPlan::default();
    for parameter in &catalogue.parameters {
        let key = parameter.id.as_str();
        if parameter.option {
            plan.unreadable.insert(
                key.to_owned(),
                "a planning option, not contract state: never read from chain".into(),
            );
            continue;
        }
        let Some(signature) = &parameter.getter else {
            plan.unreadable
                .insert(key.to_owned(), "the catalogue names no getter".into());
            continue;
        };
        let Some(to) = modules.get(parameter.contract()) else {
            plan.unreadable.insert(
                key.to_owned(),
                format!("no address for module {}", parameter.contract()),
            );
            continue;
        };
        let getter = match Getter::parse(signature) {
            Ok(getter) => getter,
            Err(why) => {
                plan.unreadable.insert(key.to_owned(), why);
                continue;
            }
        };
        match (getter.inputs(), parameter.kind) {
            (0, _) => plan.push(key, &getter, *to, &[], None),
            (n, _) if n == parameter.getter_arguments().len() => {
                match getter.arguments(parameter.getter_arguments()) {
                    Ok(args) => plan.push(key, &getter, *to, &args, None),
                    Err(why) => {
                        plan.unreadable.insert(key.to_owned(), why);
                    }
                }
            }
            (1, Kind::AddressSet) => {
                plan.partial_sets.insert(key.to_owned());
                if let Some(event) = &parameter.members_event
                    && let Ok(parsed) = alloy_json_abi::Event::parse(event)
                {
                    plan.event_sets.push(EventSet {
                        key: key.to_owned(),
                        module: *to,
                        event: event.clone(),
                        topic0: parsed.selector(),
                        getter: getter.clone(),
                    });
                }
                for member in candidates.get(key).into_iter().flatten() {
                    match member.parse::<Address>() {
                        Ok(address) => plan.push(
                            key,
                            &getter,
                            *to,
                            &[DynSolValue::Address(address)],
                            Some(address.to_checksum(None)),
                        ),
                        Err(_) => {
                            plan.unreadable.insert(
                                key.to_owned(),
                                format!("candidate `{member}` is not an address"),
                            );
                        }
                    }
                }
            }
            _ => {
                plan.unreadable.insert(
                    key.to_owned(),
                    format!("{signature} takes arguments the console cannot supply"),
                );
            }
        }
    }
    let status = |signature: &str| Getter::parse(signature).ok();
    if let Some(paused) = status("paused()(bool)") {
        for module in &catalogue.pausable {
            match modules.get(module) {
                Some(address) => {
                    plan.push(&format!("{module}.paused"), &paused, *address, &[], None)
                }
                None => {
                    plan.unreadable.insert(
                        format!("{module}.paused"),
                        format!("no address for module {module}"),
                    );
                }
            }
        }
    }
    if let Some(safe) = safe {
        if let Some(owners) = status("getOwners()(address[])") {
            plan.push(SAFE_OWNERS, &owners, safe, &[], None);
        }
        if let Some(threshold) = status("getThreshold()(uint256)") {
            plan.push(SAFE_THRESHOLD, &threshold, safe, &[], None);
        }
    }
    plan
}

/// Values by key (JSON in chain units, as a state snapshot keeps them), and the keys whose
/// read failed, with the reason (those the plan could not read at all are in its `unreadable`).
#[derive(Debug, Clone, Default)]
pub struct Assembled {
    pub values: BTreeMap<String, serde_json::Value>,
    pub failures: BTreeMap<String, String>,
}

pub fn assemble(plan: &ReadPlan, reading: &Reading) -> Assembled {
    let mut assembled = Assembled::default();
    let mut members: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for key in &plan.partial_sets {
        members.insert(key.as_str(), Vec::new());
    }
    for (read, outcome) in plan.reads.iter().zip(&reading.outcomes) {
        let decoded = match outcome {
            Ok(bytes) => read.getter.decode(bytes),
            Err(CallFailure::Reverted(reason)) => Err(format!(
                "{} reverted ({}): the contract lacks it or refuses it",
                read.getter.signature,
                if reason.is_empty() {
                    "no reason given"
                } else {
                    reason
                }
            )),
            Err(failure) => Err(format!("{}: {failure}", read.getter.signature)),
        };
        match (decoded, &read.member) {
            (Err(why), _) => {
                assembled.failures.entry(read.key.clone()).or_insert(why);
            }
            (Ok(value), Some(member)) => {
                if let Some(list) = members
                    .get_mut(read.key.as_str())
                    .filter(|_| value.as_bool() == Some(true))
                {
                    list.push(member.clone());
                }
            }
            (Ok(value), None) => {
                assembled.values.insert(read.key.clone(), to_json(&value));
            }
        }
    }
    for (key, list) in members {
        if !assembled.failures.contains_key(key) {
            assembled
                .values
                .insert(key.to_owned(), serde_json::Value::from(list));
        }
    }
    assembled
}
