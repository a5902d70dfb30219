//! An attestation: a sign-off made on another machine over a copy of the workspace, signed by
//! the approver's key into a file that the executing machine imports into its ledger.

use super::entry::{RecoverError, SignError, recover, sign_hash};
use crate::engine::Signoff;
use crate::engine::event::SafeTxSignature;
use alloy_primitives::Address;
use alloy_signer_local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const KIND: &str = "owner-console-attestation";

/// Why an attestation is not made, not read, or does not hold.
#[derive(Debug, thiserror::Error)]
pub enum AttestationError {
    #[error("a sign-off recorded by someone other than its approver carries no attestation")]
    NotAttested,
    #[error(transparent)]
    Recover(#[from] RecoverError),
    #[error("the attestation is signed by {signer}, not by the approver {approver}")]
    WrongSigner { signer: Address, approver: String },
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("the approver's Safe transaction signature does not hold: {0}")]
    SafeTx(#[from] crate::safe::approval::ApprovalError),
    /// `name`: the file; the JSON error says where in it.
    #[error("{name}:{}:{}: {error}", .error.line(), .error.column())]
    NotJson {
        name: String,
        error: serde_json::Error,
    },
    #[error("{name}: `kind` is `{kind}`, not `{}`", KIND)]
    WrongKind { name: String, kind: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub kind: String,
    pub run: String,
    pub step: String,
    pub subject: String,
    pub fingerprint: Option<String>,
    pub roles: Vec<String>,
    pub approver: String,
    pub name: String,
    pub time: String,
    pub sig: String,
    /// The approver's signature over the run's prepared Safe transaction, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_tx: Option<SafeTxSignature>,
}

#[derive(Serialize)]
struct Signed<'a> {
    kind: &'a str,
    run: &'a str,
    step: &'a str,
    subject: &'a str,
    fingerprint: Option<&'a str>,
    roles: &'a [String],
    approver: &'a str,
    name: &'a str,
    time: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    safe_tx: Option<&'a SafeTxSignature>,
}

/// SHA-256 of the canonical attestation without `sig`, rebuilt from a recorded sign-off.
pub fn digest_of(run: &str, signoff: &Signoff, time: &str) -> String {
    let signed = Signed {
        kind: KIND,
        run,
        step: &signoff.step,
        subject: &signoff.subject,
        fingerprint: signoff.fingerprint.as_deref(),
        roles: &signoff.roles,
        approver: &signoff.approver,
        name: &signoff.name,
        time,
        safe_tx: signoff.safe_tx.as_ref(),
    };
    hex::encode(Sha256::digest(
        serde_json_canonicalizer::to_vec(&signed).unwrap_or_default(),
    ))
}

/// Checks that an imported sign-off's attestation signature is its approver's.
pub fn check_signoff(run: &str, signoff: &Signoff) -> Result<(), AttestationError> {
    let (Some(sig), Some(time)) = (&signoff.attestation_sig, &signoff.attested_at) else {
        return Err(AttestationError::NotAttested);
    };
    let address = recover(&digest_of(run, signoff, time), sig)?;
    if address
        .to_checksum(None)
        .eq_ignore_ascii_case(&signoff.approver)
    {
        Ok(())
    } else {
        Err(AttestationError::WrongSigner {
            signer: address,
            approver: signoff.approver.clone(),
        })
    }
}

impl Attestation {
    pub fn sign(
        run: &str,
        signoff: &Signoff,
        time: &str,
        key: &PrivateKeySigner,
    ) -> Result<Self, AttestationError> {
        let sig = sign_hash(&digest_of(run, signoff, time), key)?;
        Ok(Self {
            kind: KIND.to_owned(),
            run: run.to_owned(),
            step: signoff.step.clone(),
            subject: signoff.subject.clone(),
            fingerprint: signoff.fingerprint.clone(),
            roles: signoff.roles.clone(),
            approver: signoff.approver.clone(),
            name: signoff.name.clone(),
            time: time.to_owned(),
            sig,
            safe_tx: signoff.safe_tx.clone(),
        })
    }

    /// Reads an attestation file; a malformed one gets an error naming the field.
    pub fn parse(name: &str, text: &str) -> Result<Self, AttestationError> {
        let attestation: Self =
            serde_json::from_str(text).map_err(|error| AttestationError::NotJson {
                name: name.to_owned(),
                error,
            })?;
        if attestation.kind != KIND {
            return Err(AttestationError::WrongKind {
                name: name.to_owned(),
                kind: attestation.kind,
            });
        }
        Ok(attestation)
    }

    /// The sign-off it carries, with its signature checked.
    pub fn into_signoff(self) -> Result<Signoff, AttestationError> {
        let signoff = Signoff {
            step: self.step,
            approver: self.approver,
            name: self.name,
            roles: self.roles,
            subject: self.subject,
            fingerprint: self.fingerprint,
            attestation_sig: Some(self.sig),
            attested_at: Some(self.time),
            safe_tx: self.safe_tx,
        };
        check_signoff(&self.run, &signoff)?;
        if let Some(signed) = &signoff.safe_tx {
            crate::safe::approval::check(signed, &signoff.approver)?;
        }
        Ok(signoff)
    }
}
