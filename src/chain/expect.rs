//! A chain-check's expectations against the values read: each pass, fail or unknown (nothing
//! could be read), with the value seen. Pure: the values come from a live reading or a
//! snapshot, said by the caller.

use crate::runbook::ChainCheck;
use alloy_primitives::{Address, I256};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Unknown,
}

impl Outcome {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Pass => "✓",
            Self::Fail => "✗",
            Self::Unknown => "?",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub contract: String,
    pub call: String,
    pub op: String,
    /// What was expected, as written (for `role`, the role and the address it stands for).
    pub expected: String,
    /// The value read, or why none could be.
    pub actual: String,
    pub outcome: Outcome,
}

impl CheckResult {
    /// "✓ pass JobRegistry.paused()(bool) == false — read false"
    pub fn line(&self) -> String {
        format!(
            "{} {} {}.{} {} {} — read {}",
            self.outcome.symbol(),
            self.outcome.word(),
            self.contract,
            self.call,
            self.op,
            self.expected,
            self.actual
        )
    }
}

/// Evaluates one check. `read` is the value read (JSON in chain units) or why there is none;
/// `role` resolves a role name (`safe`, a catalogue parameter id) to an address.
pub fn evaluate(
    check: &ChainCheck,
    read: Result<&serde_json::Value, &str>,
    role: &(dyn Fn(&str) -> Option<String> + Sync),
) -> CheckResult {
    let mut expected = match check.op.as_str() {
        "in" => format!("one of {}", check.values.join(", ")),
        _ => check.value.clone().unwrap_or_default(),
    };
    let (actual, outcome) = match read {
        Err(why) => (why.to_owned(), Outcome::Unknown),
        Ok(value) => {
            let actual = text_of(value);
            let outcome = match check.op.as_str() {
                "in" => pass_if(check.values.iter().any(|v| equal(&actual, v))),
                "role" => {
                    let name = check.value.as_deref().unwrap_or_default();
                    match role(name) {
                        Some(address) => {
                            expected = format!("{name} ({address})");
                            pass_if(equal(&actual, &address))
                        }
                        None => {
                            expected = format!("{name} (no such role on this network)");
                            Outcome::Unknown
                        }
                    }
                }
                op => compare(&actual, op, check.value.as_deref().unwrap_or_default()),
            };
            (actual, outcome)
        }
    };
    CheckResult {
        contract: check.contract.clone(),
        call: check.call.clone(),
        op: check.op.clone(),
        expected,
        actual,
        outcome,
    }
}

fn pass_if(ok: bool) -> Outcome {
    if ok { Outcome::Pass } else { Outcome::Fail }
}

fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Equal as numbers, as addresses (any case), or as text.
fn equal(actual: &str, expected: &str) -> bool {
    if let (Ok(a), Ok(b)) = (actual.parse::<I256>(), expected.trim().parse::<I256>()) {
        return a == b;
    }
    if let (Ok(a), Ok(b)) = (
        actual.parse::<Address>(),
        expected.trim().parse::<Address>(),
    ) {
        return a == b;
    }
    actual == expected.trim()
}

fn compare(actual: &str, op: &str, expected: &str) -> Outcome {
    match op {
        "==" => pass_if(equal(actual, expected)),
        "!=" => pass_if(!equal(actual, expected)),
        _ => {
            let (Ok(a), Ok(b)) = (actual.parse::<I256>(), expected.trim().parse::<I256>()) else {
                return Outcome::Unknown;
            };
            pass_if(match op {
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                ">=" => a >= b,
                _ => return Outcome::Unknown,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(op: &str, value: &str) -> ChainCheck {
        ChainCheck {
            contract: "FeePool".into(),
            call: "burnPct()(uint256)".into(),
            op: op.into(),
            value: Some(value.into()),
            values: vec!["1".into(), "2".into()],
        }
    }

    fn no_roles(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn every_operator_at_its_boundary() {
        let cases = [
            ("==", "2", Outcome::Pass),
            ("==", "3", Outcome::Fail),
            ("!=", "2", Outcome::Fail),
            ("<", "2", Outcome::Fail),
            ("<", "3", Outcome::Pass),
            ("<=", "2", Outcome::Pass),
            (">", "2", Outcome::Fail),
            (">", "1", Outcome::Pass),
            (">=", "2", Outcome::Pass),
            (">=", "3", Outcome::Fail),
            ("in", "", Outcome::Pass),
            ("<", "not a number", Outcome::Unknown),
        ];
        for (op, value, outcome) in cases {
            let result = evaluate(&check(op, value), Ok(&json!("2")), &no_roles);
            assert_eq!(result.outcome, outcome, "{op} {value}");
        }
    }

    #[test]
    fn roles_and_addresses_compare_in_any_case() {
        let safe = "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE";
        let role = |name: &str| (name == "safe").then(|| safe.to_owned());
        let read = json!(safe.to_lowercase());
        let mut owner = check("role", "safe");
        assert_eq!(evaluate(&owner, Ok(&read), &role).outcome, Outcome::Pass);
        owner.value = Some("treasurer".into());
        assert_eq!(evaluate(&owner, Ok(&read), &role).outcome, Outcome::Unknown);
    }

    #[test]
    fn nothing_read_is_unknown_never_pass() {
        let result = evaluate(&check("!=", "5"), Err("reverted"), &no_roles);
        assert_eq!(result.outcome, Outcome::Unknown);
        assert_eq!(result.actual, "reverted");
    }
}
