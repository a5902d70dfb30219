//! Guardrails: bounds, sums, orderings, allowlists and uniqueness, evaluated over values.

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
}

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
    pub rule: Rule,
    pub params: Vec<String>,
    /// Bounds in the first parameter's config unit.
    pub min: Option<String>,
    pub max: Option<String>,
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
    pub params: Vec<String>,
    pub level: Level,
    /// What was found, e.g. `40% + 60% + 5% = 105%`.
    pub found: String,
    /// What would be valid.
    pub valid: String,
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
        Violation {
            guardrail: self.id.clone(),
            params,
            level: self.level,
            found,
            valid: self.remedy.clone(),
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
            Rule::MemberOf | Rule::Differs => {
                let (Some(Value::Text(item)), Some(other)) = (
                    values.get(&self.params[0]),
                    self.params.get(1).and_then(|id| values.get(id)),
                ) else {
                    return Vec::new();
                };
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
