//! The diff of proposed parameters (the config files) against current state (a snapshot, a
//! saved config, or the chain): structural changes, each classed by risk, with the guardrails
//! it breaks, and a fingerprint that is the same on any machine for the same inputs.

pub mod fingerprint;
pub mod source;
pub mod text;

use crate::catalogue::Catalogue;
use crate::catalogue::guardrails::{Level, Values, Violation, check_proposed};
use crate::catalogue::index::seek;
use crate::catalogue::risk::{RiskClass, classify};
use crate::catalogue::value::{Kind, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Added => "+",
            Self::Removed => "-",
            Self::Changed => "~",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub domain: String,
    pub risk: RiskClass,
    pub kind: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For sets: the members that came and went.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// For long text: the words removed (`-`) and inserted (`+`) between the two, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inline: Vec<(char, String)>,
    /// Why the parameter has its risk class.
    pub why: String,
    /// The catalogue's guardrails over this parameter, for people: not part of the fingerprint.
    #[serde(skip)]
    pub checked_by: Vec<String>,
    /// The names of the ENS nodes among `added` and `removed` (hashes), where known, for
    /// people: not part of the fingerprint.
    #[serde(skip)]
    pub names: BTreeMap<String, String>,
}

impl Change {
    /// A member of `added` or `removed` as an operator reads it: an ENS node with its name.
    pub fn member_shown(&self, member: &str) -> String {
        match self.names.get(member) {
            Some(name) => crate::catalogue::value::node_shown(member, Some(name)),
            None => member.to_owned(),
        }
    }
}

/// Text longer than this is shown as an inline diff of words rather than before → after.
pub const LONG_TEXT: usize = 40;

fn inline_diff(before: &str, after: &str) -> Vec<(char, String)> {
    if before.len() <= LONG_TEXT && after.len() <= LONG_TEXT {
        return Vec::new();
    }
    let one_word = |text: &str| !text.contains(char::is_whitespace);
    if before != after && one_word(before) && one_word(after) {
        // An address or a hash each: what the word diff gives, without building it.
        return [('-', before), ('+', after)]
            .into_iter()
            .filter(|(_, word)| !word.is_empty())
            .map(|(mark, word)| (mark, word.to_owned()))
            .collect();
    }
    similar::TextDiff::from_words(before, after)
        .iter_all_changes()
        .map(|change| {
            let mark = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            (mark, change.value().to_owned())
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardrailFinding {
    #[serde(flatten)]
    pub violation: Violation,
    /// Whether it involves a changed parameter (and so blocks the change).
    pub blocking: bool,
}

impl GuardrailFinding {
    /// The finding's opening words, its id among them: blocked by a contract limit or by the
    /// owner's policy, a policy warning, or a guardrail broken already and not touched.
    pub fn headline(&self, untouched: &str) -> String {
        let v = &self.violation;
        let policy = if v.is_policy() { "policy " } else { "" };
        if self.blocking {
            let by = if v.is_policy() { "policy" } else { "guardrail" };
            format!("✗ BLOCKED by {by} {}", v.guardrail)
        } else if v.level == Level::Warn {
            format!("⚠ {policy}warning {}", v.guardrail)
        } else {
            format!("⚠ {untouched} {policy}{}", v.guardrail)
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub network: String,
    pub changes: Vec<Change>,
    pub guardrails: Vec<GuardrailFinding>,
    /// Parameters the proposed side has and the current state does not cover, each with its
    /// proposed value and why it was not compared.
    pub not_compared: Vec<NotCompared>,
    /// Of `not_compared`, the planning options: values of the config that are no contract
    /// state (the catalogue's `option`), so that no chain or snapshot ever holds them.
    pub options: Vec<String>,
    /// How the current state was read where the chain keeps a value in more than one form
    /// (the slashing split in basis points), for people: not part of the fingerprint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub fingerprint: String,
}

/// A proposed value the diff could not hold against the current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCompared {
    pub id: String,
    pub proposed: String,
    pub why: String,
}

impl Diff {
    /// The parameters of contract state left out (planning options are never state): while
    /// there is one, the diff says less than the change does.
    pub fn incomplete(&self) -> impl Iterator<Item = &NotCompared> {
        self.not_compared
            .iter()
            .filter(|n| !self.options.contains(&n.id))
    }

    pub fn risk(&self) -> Option<RiskClass> {
        self.changes.iter().map(|c| c.risk).max()
    }

    pub fn count(&self, risk: RiskClass) -> usize {
        self.changes.iter().filter(|c| c.risk == risk).count()
    }

    pub fn blocking(&self) -> usize {
        self.guardrails.iter().filter(|g| g.blocking).count()
    }

    /// "3 changes: 1 security-critical, 1 financial, 1 cosmetic; 1 guardrail violated"
    pub fn summary(&self) -> String {
        let mut text = match self.changes.len() {
            0 => "no changes".to_owned(),
            n => {
                let parts: Vec<String> = [
                    RiskClass::Security,
                    RiskClass::Financial,
                    RiskClass::Cosmetic,
                ]
                .into_iter()
                .filter(|r| self.count(*r) > 0)
                .map(|r| format!("{} {}", self.count(r), r.words()))
                .collect();
                format!(
                    "{n} change{}: {}",
                    if n == 1 { "" } else { "s" },
                    parts.join(", ")
                )
            }
        };
        match self.blocking() {
            0 => {}
            1 => text.push_str("; 1 guardrail violated"),
            n => text.push_str(&format!("; {n} guardrails violated")),
        }
        text
    }
}

/// Compares `proposed` with `current` (both normalised catalogue values). `current_is_complete`
/// says whether a parameter missing from `current` was removed (a saved config) or is simply
/// not covered by it (a state snapshot or a partial read of the chain); `unread` says why
/// the current state lacks a parameter where its source knows (a failed read).
pub fn compute(
    catalogue: &Catalogue,
    network: &str,
    current: &Values,
    proposed: &Values,
    current_is_complete: bool,
    unread: &BTreeMap<String, String>,
) -> Diff {
    let mut checked_by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for guardrail in &catalogue.guardrails {
        for id in &guardrail.params {
            checked_by.entry(id).or_default().push(guardrail.id.clone());
        }
    }
    let mut changes = Vec::new();
    let mut not_compared = Vec::new();
    // ENS nodes the config names: a hash read from chain is shown with its name when known.
    let names: BTreeMap<&str, &str> = proposed
        .values()
        .chain(current.values())
        .flat_map(|value| match value {
            Value::Named(hash, name) => vec![(hash.as_str(), name.as_str())],
            Value::NamedSet(nodes) => nodes
                .iter()
                .filter_map(|(hash, name)| Some((hash.as_str(), name.as_deref()?)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let show = |value: &Value, parameter: &crate::catalogue::Parameter| match value {
        Value::Text(hash) if parameter.kind == Kind::Namehash => {
            crate::catalogue::value::node_shown(hash, names.get(hash.as_str()).copied())
        }
        Value::NamedSet(nodes) => Value::NamedSet(
            nodes
                .iter()
                .map(|(hash, name)| {
                    let known = names.get(hash.as_str()).map(|n| (*n).to_owned());
                    (hash.clone(), name.clone().or(known))
                })
                .collect(),
        )
        .show(parameter.unit),
        other => other.show(parameter.unit),
    };
    let (mut currents, mut proposals) = (current.iter().peekable(), proposed.iter().peekable());
    for (position, parameter) in catalogue.in_id_order() {
        let before = seek(&mut currents, &parameter.id);
        let after = seek(&mut proposals, &parameter.id);
        let kind = match (before, after) {
            (Some(b), Some(a)) if b == a => continue,
            (Some(_), Some(_)) => ChangeKind::Changed,
            (None, Some(proposed)) if !current_is_complete => {
                let why = match unread.get(&parameter.id) {
                    _ if parameter.option => "a planning option, not contract state".to_owned(),
                    Some(why) => why.clone(),
                    None if parameter.getter.is_none() => {
                        "no getter in the catalogue: not read on chain".to_owned()
                    }
                    None => "the current state does not hold it".to_owned(),
                };
                let proposed = show(proposed, parameter);
                not_compared.push((
                    position,
                    NotCompared {
                        id: parameter.id.clone(),
                        proposed,
                        why,
                    },
                ));
                continue;
            }
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) if current_is_complete => ChangeKind::Removed,
            _ => continue,
        };
        let (added, removed) = match (before, after) {
            (Some(Value::Set(b)), Some(Value::Set(a))) => (
                a.difference(b).cloned().collect(),
                b.difference(a).cloned().collect(),
            ),
            (Some(Value::NamedSet(b)), Some(Value::NamedSet(a))) => (
                a.keys().filter(|k| !b.contains_key(*k)).cloned().collect(),
                b.keys().filter(|k| !a.contains_key(*k)).cloned().collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        let member_names: BTreeMap<String, String> = added
            .iter()
            .chain(&removed)
            .filter_map(|m: &String| Some((m.clone(), (*names.get(m.as_str())?).to_owned())))
            .collect();
        let inline = match (before, after) {
            (Some(Value::Text(b)), Some(Value::Text(a))) => inline_diff(b, a),
            _ => Vec::new(),
        };
        let (risk, why) = classify(&catalogue.risk_rules, parameter);
        changes.push(Change {
            id: parameter.id.clone(),
            domain: parameter.domain.clone(),
            risk,
            kind,
            before: before.map(|v| show(v, parameter)),
            after: after.map(|v| show(v, parameter)),
            added,
            removed,
            inline,
            why: why.to_owned(),
            checked_by: checked_by
                .get(parameter.id.as_str())
                .cloned()
                .unwrap_or_default(),
            names: member_names,
        });
    }
    changes.sort_by(|a, b| b.risk.cmp(&a.risk).then_with(|| a.id.cmp(&b.id)));
    not_compared.sort_unstable_by_key(|(position, _)| *position);
    let not_compared: Vec<NotCompared> = not_compared.into_iter().map(|(_, n)| n).collect();
    let options: Vec<String> = not_compared
        .iter()
        .filter(|n| catalogue.parameter(&n.id).is_some_and(|p| p.option))
        .map(|n| n.id.clone())
        .collect();
    // A proposed value left out of the comparison may be a change as well as one compared.
    let changed: BTreeSet<&str> = changes
        .iter()
        .map(|c| c.id.as_str())
        .chain(
            not_compared
                .iter()
                .map(|n| n.id.as_str())
                .filter(|id| !options.iter().any(|o| o == id)),
        )
        .collect();
    let guardrails: Vec<GuardrailFinding> = check_proposed(proposed, current, catalogue)
        .into_iter()
        .map(|violation| {
            // A policy warning is shown and never blocks; a contract limit always blocks.
            let blocking = (violation.level == Level::Fail || !violation.is_policy())
                && violation
                    .params
                    .iter()
                    .any(|p| changed.contains(p.as_str()));
            GuardrailFinding {
                violation,
                blocking,
            }
        })
        .collect();
    let fingerprint = fingerprint::fingerprint(network, &changes, &guardrails, &not_compared);
    Diff {
        network: network.to_owned(),
        changes,
        guardrails,
        not_compared,
        options,
        notes: Vec::new(),
        fingerprint,
    }
}

#[cfg(test)]
mod tests {
    use super::inline_diff;

    #[test]
    fn one_word_texts_diff_as_the_word_diff_does() {
        let long = "0xf777777777777777777777777777777777777777";
        let other = "0xF888888888888888888888888888888888888888";
        for (before, after) in [(long, other), (long, ""), ("", long), (long, long)] {
            let words: Vec<(char, String)> = similar::TextDiff::from_words(before, after)
                .iter_all_changes()
                .map(|c| {
                    let mark = match c.tag() {
                        similar::ChangeTag::Delete => '-',
                        similar::ChangeTag::Insert => '+',
                        similar::ChangeTag::Equal => ' ',
                    };
                    (mark, c.value().to_owned())
                })
                .collect();
            assert_eq!(inline_diff(before, after), words, "{before:?} → {after:?}");
        }
    }
}
