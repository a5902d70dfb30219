//! Who may sign what: an entry's signer must be a listed operator (or, for moving runs on
//! this machine, one of its own operator keys), and a sign-off's approver must be listed and
//! hold a role the sign-off claims.

use super::attestation::check_signoff;
use super::entry::Entry;
use super::fault::Fault;
use super::operators::Operators;
use crate::engine::Event;

/// The signers whose entries move runs here.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    pub operators: Operators,
    /// The addresses of this machine's own operator keystores: an operator's own entries
    /// move their runs before their key is listed (`ledger verify`, an auditor's check,
    /// still names such a signer as unknown).
    pub own_keys: Vec<String>,
}

impl Trust {
    pub fn listed(operators: Operators) -> Self {
        Self {
            operators,
            own_keys: Vec::new(),
        }
    }

    pub fn signs(&self, address: &str) -> bool {
        self.operators.by_address(address).is_some()
            || self
                .own_keys
                .iter()
                .any(|own| own.eq_ignore_ascii_case(address))
    }
}

/// The keys behind `entry` that `trust` does not list: its signer, and for a sign-off
/// imported from another machine, the approver who signed it there.
pub fn unlisted_keys<'e>(entry: &'e Entry, trust: &Trust) -> Vec<&'e str> {
    let mut unlisted = Vec::new();
    if !trust.signs(&entry.signer) {
        unlisted.push(entry.signer.as_str());
    }
    if let Event::Signoff(signoff) = &entry.event
        && trust.operators.by_address(&signoff.approver).is_none()
        && !unlisted
            .iter()
            .any(|key| key.eq_ignore_ascii_case(&signoff.approver))
    {
        unlisted.push(signoff.approver.as_str());
    }
    unlisted
}

/// What is wrong with who signed `entry`: a key not listed; for a sign-off, an approver who
/// holds none of its roles, an imported attestation that does not check, or a signature over
/// a Safe transaction that is not the approver's.
pub fn signer_faults(entry: &Entry, trust: &Trust) -> Vec<(Fault, String)> {
    let mut faults: Vec<(Fault, String)> = unlisted_keys(entry, trust)
        .into_iter()
        .map(|key| {
            let who = if key.eq_ignore_ascii_case(&entry.signer) {
                "the signer"
            } else {
                "the approver"
            };
            (
                Fault::UnlistedSigner,
                format!("{who} {key} is not in config/operators.toml"),
            )
        })
        .collect();
    let Event::Signoff(signoff) = &entry.event else {
        return faults;
    };
    if !signoff.approver.eq_ignore_ascii_case(&entry.signer)
        && let Err(why) = check_signoff(&entry.run, signoff)
    {
        faults.push((Fault::BadSignature, format!("imported sign-off: {why}")));
    }
    if let Some(signed) = &signoff.safe_tx
        && let Err(why) = crate::safe::approval::check(signed, &signoff.approver)
    {
        faults.push((
            Fault::BadSignature,
            format!("the sign-off of {}: {why}", signoff.name),
        ));
    }
    if let Some(operator) = trust.operators.by_address(&signoff.approver)
        && !signoff
            .roles
            .iter()
            .any(|role| operator.roles.contains(role))
    {
        faults.push((
            Fault::RoleNotHeld,
            format!(
                "{} signed off as {} but holds {}",
                operator.name,
                words(&signoff.roles, " or "),
                words(&operator.roles, " and ")
            ),
        ))
    }
    faults
}

/// Roles as a reader writes them: `reviewer`, `operator and pauser`, `no role`.
fn words(roles: &[String], joiner: &str) -> String {
    match roles {
        [] => "no role".to_owned(),
        roles => roles.join(joiner),
    }
}
