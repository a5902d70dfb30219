//! Risk classes by rule: the first rule that matches a parameter gives its class.

use super::Parameter;
use super::units::Unit;
use super::value::Kind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskClass {
    Cosmetic,
    Financial,
    Security,
}

impl RiskClass {
    /// The badge a change carries in text, so that risk never rests on colour alone.
    pub fn badge(self) -> &'static str {
        match self {
            Self::Security => "[SECURITY]",
            Self::Financial => "[FINANCIAL]",
            Self::Cosmetic => "[COSMETIC]",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::Security => "security-critical",
            Self::Financial => "financial",
            Self::Cosmetic => "cosmetic",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRule {
    pub class: RiskClass,
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub units: Vec<Unit>,
    pub why: String,
}

/// `*` matches any run of characters; nothing else is special.
pub fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(after) = text.strip_prefix(head) else {
                return false;
            };
            (0..=after.len())
                .filter(|i| after.is_char_boundary(*i))
                .any(|i| glob(rest, &after[i..]))
        }
    }
}

impl RiskRule {
    /// Every field the rule sets must match.
    fn matches(&self, parameter: &Parameter) -> bool {
        (self.ids.is_empty() || self.ids.iter().any(|p| glob(p, &parameter.id)))
            && (self.domains.is_empty() || self.domains.contains(&parameter.domain))
            && (self.kinds.is_empty() || self.kinds.contains(&parameter.kind))
            && (self.units.is_empty() || self.units.contains(&parameter.unit))
    }
}

/// The class of a parameter and the rule's reason; cosmetic when no rule matches.
pub fn classify<'a>(rules: &'a [RiskRule], parameter: &Parameter) -> (RiskClass, &'a str) {
    rules
        .iter()
        .find(|rule| rule.matches(parameter))
        .map(|rule| (rule.class, rule.why.as_str()))
        .unwrap_or((RiskClass::Cosmetic, "no rule matched"))
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_stars_only() {
        assert!(glob("*URI", "IdentityRegistry.agentProfileURI"));
        assert!(glob("*.rewardRole", "FeePool.rewardRole"));
        assert!(glob("*", "anything"));
        assert!(!glob("*URI", "FeePool.burnPct"));
        assert!(glob("Fee*.burn*", "FeePool.burnPct"));
    }
}
