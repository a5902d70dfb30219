//! `validate`'s config checks: every guardrail and every value of each network's config set,
//! as pass / warn / fail with the remedy.

use crate::catalogue::Catalogue;
use crate::catalogue::guardrails::Level;
use crate::session::Session;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub network: String,
    /// `pass`, `warn` or `fail`.
    pub verdict: &'static str,
    pub check: String,
    pub detail: String,
    pub remedy: String,
}

fn verdict(level: Level) -> &'static str {
    match level {
        Level::Fail => "fail",
        Level::Warn => "warn",
    }
}

/// The networks of `config/networks.toml` that have a config set in the workspace.
pub fn networks_with_config(session: &Session, catalogue: &Catalogue) -> Vec<String> {
    let files = catalogue.files();
    session
        .networks
        .names()
        .into_iter()
        .filter(|network| {
            files.iter().any(|stem| {
                session
                    .workspace
                    .read_text(&format!("config/{stem}.{network}.json"))
                    .is_some()
            })
        })
        .map(str::to_owned)
        .collect()
}

pub fn run(session: &Session, catalogue: &Catalogue, network: &str) -> Vec<Check> {
    let set = session.proposed(catalogue, network);
    let mut checks: Vec<Check> = set
        .problems
        .iter()
        .map(|p| Check {
            network: network.to_owned(),
            verdict: verdict(p.level),
            check: format!("config/{}", p.file),
            detail: format!("{}: {}", p.field, p.message),
            remedy: String::new(),
        })
        .collect();
    for guardrail in &catalogue.guardrails {
        if !guardrail
            .params
            .iter()
            .all(|id| set.values.contains_key(id))
        {
            continue;
        }
        let violations = guardrail.check(&set.values, catalogue);
        if violations.is_empty() {
            checks.push(Check {
                network: network.to_owned(),
                verdict: "pass",
                check: guardrail.id.clone(),
                detail: guardrail.params.join(", "),
                remedy: String::new(),
            });
        }
        for violation in violations {
            checks.push(Check {
                network: network.to_owned(),
                verdict: verdict(violation.level),
                check: guardrail.id.clone(),
                detail: violation.found,
                remedy: violation.valid,
            });
        }
    }
    checks
}
