//! An attestation: a sign-off made on another machine over a copy of the workspace, signed by
//! the approver's key into a file that the executing machine imports into its ledger.

use super::entry::{recover, sign_hash};
use crate::engine::Signoff;
use alloy_signer_local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const KIND: &str = "owner-console-attestation";

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
    };
    hex::encode(Sha256::digest(
        serde_json_canonicalizer::to_vec(&signed).unwrap_or_default(),
    ))
}

/// Checks that an imported sign-off's attestation signature is its approver's.
pub fn check_signoff(run: &str, signoff: &Signoff) -> Result<(), String> {
    let (Some(sig), Some(time)) = (&signoff.attestation_sig, &signoff.attested_at) else {
        return Err(
            "a sign-off recorded by someone other than its approver carries no attestation".into(),
        );
    };
    let address = recover(&digest_of(run, signoff, time), sig).map_err(|e| e.to_string())?;
    if address
        .to_checksum(None)
        .eq_ignore_ascii_case(&signoff.approver)
    {
        Ok(())
    } else {
        Err(format!(
            "the attestation is signed by {address}, not by the approver {}",
            signoff.approver
        ))
    }
}

impl Attestation {
    pub fn sign(
        run: &str,
        signoff: &Signoff,
        time: &str,
        key: &PrivateKeySigner,
    ) -> Result<Self, String> {
        let sig = sign_hash(&digest_of(run, signoff, time), key).map_err(|e| e.to_string())?;
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
        })
    }

    /// Reads an attestation file; a malformed one gets an error naming the field.
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let attestation: Self = serde_json::from_str(text)
            .map_err(|e| format!("{name}:{}:{}: {e}", e.line(), e.column()))?;
        if attestation.kind != KIND {
            return Err(format!(
                "{name}: `kind` is `{}`, not `{KIND}`",
                attestation.kind
            ));
        }
        Ok(attestation)
    }

    /// The sign-off it carries, with its signature checked.
    pub fn into_signoff(self) -> Result<Signoff, String> {
        let signoff = Signoff {
            step: self.step,
            approver: self.approver,
            name: self.name,
            roles: self.roles,
            subject: self.subject,
            fingerprint: self.fingerprint,
            attestation_sig: Some(self.sig),
            attested_at: Some(self.time),
        };
        check_signoff(&self.run, &signoff)?;
        Ok(signoff)
    }
}
