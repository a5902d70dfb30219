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

/// `*` matches any run of characters; nothing else is special. The parts between stars are
/// found left to right, each as early as it occurs, which is enough when `*` is the only
/// wildcard.
pub fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(mut rest) = parts.next().and_then(|first| text.strip_prefix(first)) else {
        return false;
    };
    let Some(mut part) = parts.next() else {
        return rest.is_empty();
    };
    for next in parts {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
        part = next;
    }
    rest.ends_with(part)
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

    /// The definition: `*` tries every split of the text.
    fn reference(pattern: &str, text: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == text,
            Some((head, rest)) => text.strip_prefix(head).is_some_and(|after| {
                (0..=after.len())
                    .filter(|i| after.is_char_boundary(*i))
                    .any(|i| reference(rest, &after[i..]))
            }),
        }
    }

    #[test]
    fn glob_agrees_with_trying_every_split() {
        let patterns = [
            "",
            "*",
            "**",
            "a",
            "a*",
            "*a",
            "a*a",
            "*a*",
            "a*b*c",
            "*URI",
            "Fee*.burn*",
            "é*ü",
        ];
        let texts = [
            "",
            "a",
            "aa",
            "aba",
            "abc",
            "acb",
            "xabcx",
            "FeePool.burnPct",
            "agentProfileURI",
            "éü",
            "éxü",
            "ü",
        ];
        for pattern in patterns {
            for text in texts {
                assert_eq!(
                    glob(pattern, text),
                    reference(pattern, text),
                    "{pattern:?} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn glob_matches_stars_only() {
        assert!(glob("*URI", "IdentityRegistry.agentProfileURI"));
        assert!(glob("*.rewardRole", "FeePool.rewardRole"));
        assert!(glob("*", "anything"));
        assert!(!glob("*URI", "FeePool.burnPct"));
        assert!(glob("Fee*.burn*", "FeePool.burnPct"));
    }
}
