//! Guardrails: bounds, sums, orderings, allowlists and uniqueness, evaluated over values.
//!
//! Each is of one kind. A `contract` guardrail is a limit the contract itself enforces (its
//! setter reverts): it always blocks. A `policy` guardrail is stricter than the contract by the
//! owner's choice: it is labelled `policy` wherever it is shown, its message says so, and a
//! network may make it a warning or turn it off (`[networks.<name>.policy]`).

use super::Catalogue;
use super::value::Value;
use alloy_primitives::I256;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Range,
    SumAtMost,
    SumEquals,
    GreaterThan,
    /// The first parameter is at most the second (a per-transaction limit within a daily one).
    AtMost,
    Positive,
    MemberOf,
    Differs,
    UniqueBy,
    /// The first parameter lies within the second (min) and the third (max), bounds included.
    Within,
    /// An address that is not the zero address.
    NotZero,
}

/// Where a guardrail's limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GuardKind {
    /// The contract's own limit: the setter would revert.
    Contract,
    /// The owner's choice, stricter than the contract.
    Policy,
}

/// What a network makes of a policy guardrail (`[networks.<name>.policy]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicySetting {
    Fail,
    Warn,
    Off,
}

/// A network's policy that the catalogue cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("network `{network}`: policy names `{id}`, which is no guardrail of the catalogue")]
    Unknown { network: String, id: String },
    #[error(
        "network `{network}`: `{id}` is a contract limit (the setter would revert), not a policy; it cannot be relaxed"
    )]
    ContractLimit { network: String, id: String },
}

/// The zero address, as the config writes it.
pub const ZERO_ADDRESS: &str = "0x0000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    #[default]
    Fail,
    Warn,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrail {
    pub id: String,
    pub kind: GuardKind,
    pub rule: Rule,
    pub params: Vec<String>,
    /// Bounds in the first parameter's config unit.
    pub min: Option<String>,
    pub max: Option<String>,
    /// For `sum-equals`: the total. For `member-of`: a value accepted without being a member
    /// (the zero address, which the contract takes to mean "burn").
    pub value: Option<String>,
    /// For `unique-by`: the field of each record.
    pub field: Option<String>,
    #[serde(default)]
    pub level: Level,
    pub remedy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub guardrail: String,
    pub kind: GuardKind,
    pub params: Vec<String>,
    pub level: Level,
    /// What was found, e.g. `40% + 60% + 5% = 105%`.
    pub found: String,
    /// What would be valid; for a policy guardrail, it says that the limit is the owner's policy.
    pub valid: String,
}

impl Violation {
    /// Whether this is the owner's policy rather than a contract limit.
    pub fn is_policy(&self) -> bool {
        self.kind == GuardKind::Policy
    }
}

pub type Values = BTreeMap<String, Value>;

impl Guardrail {
    fn bound(&self, text: &Option<String>, catalogue: &Catalogue) -> Option<I256> {
        let unit = catalogue.parameter(&self.params[0])?.unit;
        text.as_ref()?
            .parse::<I256>()
            .ok()?
            .checked_mul(unit.factor())
    }

    fn violation(&self, params: Vec<String>, found: String) -> Violation {
        let valid = match self.kind {
            GuardKind::Contract => self.remedy.clone(),
            GuardKind::Policy => format!(
                "{} (owner policy, stricter than the contract: see [networks.<name>.policy])",
                self.remedy
            ),
        };
        Violation {
            guardrail: self.id.clone(),
            kind: self.kind,
            params,
            level: self.level,
            found,
            valid,
        }
    }

    /// The violations of this guardrail among `values`; parameters without a value are skipped.
    pub fn check(&self, values: &Values, catalogue: &Catalogue) -> Vec<Violation> {
        let shown = |id: &str| {
            let unit = catalogue
                .parameter(id)
                .map(|p| p.unit)
                .unwrap_or(super::units::Unit::None);
            values
                .get(id)
                .map(|v| v.show(unit))
                .unwrap_or_else(|| "?".into())
        };
        let numbers: Vec<(String, I256)> = self
            .params
            .iter()
            .filter_map(|id| Some((id.clone(), values.get(id)?.number()?)))
            .collect();
        let unit = catalogue
            .parameter(&self.params[0])
            .map(|p| p.unit)
            .unwrap_or(super::units::Unit::None);
        match self.rule {
            Rule::Range => {
                let (min, max) = (
                    self.bound(&self.min, catalogue),
                    self.bound(&self.max, catalogue),
                );
                numbers
                    .iter()
                    .filter(|(_, n)| min.is_some_and(|m| *n < m) || max.is_some_and(|m| *n > m))
                    .map(|(id, _)| {
                        self.violation(vec![id.clone()], format!("{id} = {}", shown(id)))
                    })
                    .collect()
            }
            Rule::SumAtMost | Rule::SumEquals => {
                if numbers.len() != self.params.len() {
                    return Vec::new();
                }
                let total = numbers
                    .iter()
                    .fold(I256::ZERO, |sum, (_, n)| sum.saturating_add(*n));
                let limit = if self.rule == Rule::SumAtMost {
                    self.bound(&self.max, catalogue)
                } else {
                    self.bound(&self.value, catalogue)
                };
                let broken = limit.is_some_and(|l| {
                    if self.rule == Rule::SumAtMost {
                        total > l
                    } else {
                        total != l
                    }
                });
                if !broken {
                    return Vec::new();
                }
                let terms = self
                    .params
                    .iter()
                    .map(|id| shown(id))
                    .collect::<Vec<_>>()
                    .join(" + ");
                vec![self.violation(
                    self.params.clone(),
                    format!("{terms} = {}", super::units::show(total, unit)),
                )]
            }
            Rule::GreaterThan => match numbers.as_slice() {
                [(a, x), (b, y)] if x <= y => vec![self.violation(
                    self.params.clone(),
                    format!("{a} = {} is not above {b} = {}", shown(a), shown(b)),
                )],
                _ => Vec::new(),
            },
            Rule::AtMost => match numbers.as_slice() {
                [(a, x), (b, y)] if x > y => vec![self.violation(
                    self.params.clone(),
                    format!("{a} = {} is above {b} = {}", shown(a), shown(b)),
                )],
                _ => Vec::new(),
            },
            Rule::Positive => numbers
                .iter()
                .filter(|(_, n)| !n.is_positive())
                .map(|(id, _)| self.violation(vec![id.clone()], format!("{id} = {}", shown(id))))
                .collect(),
            Rule::Within => match numbers.as_slice() {
                [(x, n), (lo, min), (hi, max)] if n < min || n > max => vec![self.violation(
                    self.params.clone(),
                    format!(
                        "{x} = {} is outside {lo} = {} .. {hi} = {}",
                        shown(x),
                        shown(lo),
                        shown(hi)
                    ),
                )],
                _ => Vec::new(),
            },
            Rule::NotZero => self
                .params
                .iter()
                .filter(
                    |id| matches!(values.get(*id), Some(Value::Text(text)) if text == ZERO_ADDRESS),
                )
                .map(|id| self.violation(vec![id.clone()], format!("{id} = {ZERO_ADDRESS}")))
                .collect(),
            Rule::MemberOf | Rule::Differs => {
                let (Some(Value::Text(item)), Some(other)) = (
                    values.get(&self.params[0]),
                    self.params.get(1).and_then(|id| values.get(id)),
                ) else {
                    return Vec::new();
                };
                if self.rule == Rule::MemberOf
                    && self
                        .value
                        .as_ref()
                        .is_some_and(|exempt| exempt.eq_ignore_ascii_case(item))
                {
                    return Vec::new();
                }
                let broken = match (self.rule, other) {
                    (Rule::MemberOf, Value::Set(set)) => !set.contains(item),
                    (Rule::Differs, Value::Text(other)) => item.eq_ignore_ascii_case(other),
                    _ => false,
                };
                let relation = if self.rule == Rule::MemberOf {
                    "is not in"
                } else {
                    "equals"
                };
                if broken {
                    vec![self.violation(
                        self.params.clone(),
                        format!("{} = {item} {relation} {}", self.params[0], self.params[1]),
                    )]
                } else {
                    Vec::new()
                }
            }
            Rule::UniqueBy => {
                let Some(Value::Records(records)) = values.get(&self.params[0]) else {
                    return Vec::new();
                };
                let field = self.field.as_deref().unwrap_or("id");
                let mut seen = std::collections::BTreeSet::new();
                records
                    .iter()
                    .filter_map(|r| r.get(field).map(|v| v.to_string()))
                    .filter(|key| !seen.insert(key.clone()))
                    .map(|key| {
                        self.violation(
                            self.params.clone(),
                            format!("{field} {key} appears more than once"),
                        )
                    })
                    .collect()
            }
        }
    }
}

/// Every guardrail of the catalogue over `values`.
pub fn check_all(values: &Values, catalogue: &Catalogue) -> Vec<Violation> {
    catalogue
        .guardrails
        .iter()
        .flat_map(|g| g.check(values, catalogue))
        .collect()
}

/// Every guardrail of the catalogue over the proposed values; a contract limit, which the
/// contract checks against what it holds, takes a parameter the config does not give from the
/// current state (the thermostat's bounds read from chain).
pub fn check_proposed(
    proposed: &Values,
    current: &Values,
    catalogue: &Catalogue,
) -> Vec<Violation> {
    let mut merged: Option<Values> = None;
    catalogue
        .guardrails
        .iter()
        .flat_map(|g| {
            let gaps = g.kind == GuardKind::Contract
                && g.params
                    .iter()
                    .any(|id| !proposed.contains_key(id) && current.contains_key(id));
            if !gaps {
                return g.check(proposed, catalogue);
            }
            let values = merged.get_or_insert_with(|| {
                let mut values = current.clone();
                values.extend(proposed.iter().map(|(k, v)| (k.clone(), v.clone())));
                values
            });
            g.check(values, catalogue)
        })
        .collect()
}

/// The catalogue's guardrails as `policy` (a network's `[networks.<name>.policy]`) sets them: a
/// policy guardrail made a warning, a failure, or turned off. A contract limit cannot be named.
pub fn apply_policy(
    guardrails: &mut Vec<Guardrail>,
    network: &str,
    policy: &BTreeMap<String, PolicySetting>,
) -> Result<(), PolicyError> {
    for id in policy.keys() {
        match guardrails.iter().find(|g| &g.id == id) {
            None => {
                return Err(PolicyError::Unknown {
                    network: network.to_owned(),
                    id: id.clone(),
                });
            }
            Some(g) if g.kind == GuardKind::Contract => {
                return Err(PolicyError::ContractLimit {
                    network: network.to_owned(),
                    id: id.clone(),
                });
            }
            Some(_) => {}
        }
    }
    guardrails.retain(|g| policy.get(&g.id) != Some(&PolicySetting::Off));
    for g in guardrails.iter_mut() {
        match policy.get(&g.id) {
            Some(PolicySetting::Fail) => g.level = Level::Fail,
            Some(PolicySetting::Warn) => g.level = Level::Warn,
            _ => {}
        }
    }
    Ok(())
}
