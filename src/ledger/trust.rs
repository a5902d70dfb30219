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

/// What is wrong with who signed `entry`: an unknown signer; for a sign-off, an approver who
/// is not listed or holds none of its roles, or an imported attestation that does not check.
pub fn signer_faults(entry: &Entry, trust: &Trust) -> Vec<(Fault, String)> {
    let mut faults = Vec::new();
    if !trust.signs(&entry.signer) {
        faults.push((
            Fault::UnknownSigner,
            format!("{} is not in config/operators.toml", entry.signer),
        ));
    }
    let Event::Signoff(signoff) = &entry.event else {
        return faults;
    };
    if !signoff.approver.eq_ignore_ascii_case(&entry.signer)
        && let Err(why) = check_signoff(&entry.run, signoff)
    {
        faults.push((Fault::BadSignature, format!("imported sign-off: {why}")));
    }
    match trust.operators.by_address(&signoff.approver) {
        None => faults.push((
            Fault::UnknownSigner,
            format!(
                "the approver {} is not in config/operators.toml",
                signoff.approver
            ),
        )),
        Some(operator)
            if !signoff
                .roles
                .iter()
                .any(|role| operator.roles.contains(role)) =>
        {
            faults.push((
                Fault::RoleNotHeld,
                format!(
                    "{} signed off as {:?} but holds {:?}",
                    operator.name, signoff.roles, operator.roles
                ),
            ))
        }
        Some(_) => {}
    }
    faults
}
