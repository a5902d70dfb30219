//! The diff's fingerprint: the SHA-256 of the RFC 8785 (JCS) canonical JSON of the network,
//! the changes, the guardrail findings and, when there are any, the proposed values not
//! compared (id and value: what they would be set to is part of what is signed; why they were
//! not compared is not, as it depends on the reviewer's node), written straight into the
//! hasher.
//!
//! The covered types hold only strings, booleans, nulls, arrays and objects with ASCII keys, so
//! JCS reduces to: no whitespace, keys in byte order, strings escaped as serde_json escapes
//! them. Each object below writes its keys in that order; a test checks the bytes against a
//! general JCS canonicaliser, so a field added to `Change` without being added here fails it.

use super::{Change, Diff, GuardrailFinding, NotCompared};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{self, BufWriter, Write};

/// Hex SHA-256 of the canonical JSON of `{network, changes, guardrails, not_compared?}`.
pub fn fingerprint(
    network: &str,
    changes: &[Change],
    guardrails: &[GuardrailFinding],
    not_compared: &[NotCompared],
) -> String {
    let mut out = BufWriter::with_capacity(1 << 16, Sha256::new());
    let written = write_canonical(&mut out, network, changes, guardrails, not_compared);
    match (written, out.into_inner()) {
        (Ok(()), Ok(hasher)) => hex::encode(hasher.finalize()),
        _ => String::new(),
    }
}

/// The canonical JSON the fingerprint is the SHA-256 of: what the diff step keeps as the
/// recorded diff.
pub fn canonical(diff: &Diff) -> Vec<u8> {
    let mut out = Vec::new();
    match write_canonical(
        &mut out,
        &diff.network,
        &diff.changes,
        &diff.guardrails,
        &diff.not_compared,
    ) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

pub(super) fn write_canonical(
    out: &mut impl Write,
    network: &str,
    changes: &[Change],
    guardrails: &[GuardrailFinding],
    not_compared: &[NotCompared],
) -> io::Result<()> {
    let mut w = Canonical(out);
    w.raw(b"{\"changes\":")?;
    w.array(changes, |w, change| w.change(change))?;
    w.raw(b",\"guardrails\":")?;
    w.array(guardrails, |w, finding| w.finding(finding))?;
    w.raw(b",\"network\":")?;
    w.string(network)?;
    if !not_compared.is_empty() {
        w.raw(b",\"not_compared\":")?;
        w.array(not_compared, |w, left| {
            w.raw(b"{\"id\":")?;
            w.string(&left.id)?;
            w.raw(b",\"proposed\":")?;
            w.string(&left.proposed)?;
            w.raw(b"}")
        })?;
    }
    w.raw(b"}")
}

struct Canonical<'a, W: Write>(&'a mut W);

impl<W: Write> Canonical<'_, W> {
    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)
    }

    fn string(&mut self, text: &str) -> io::Result<()> {
        serde_json::to_writer(&mut *self.0, text).map_err(io::Error::other)
    }

    /// A unit enum variant, under its serde name.
    fn name(&mut self, value: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut *self.0, value).map_err(io::Error::other)
    }

    fn optional(&mut self, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(text) => self.string(text),
            None => self.raw(b"null"),
        }
    }

    fn array<T>(
        &mut self,
        items: &[T],
        mut each: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        self.raw(b"[")?;
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.raw(b",")?;
            }
            each(self, item)?;
        }
        self.raw(b"]")
    }

    fn strings(&mut self, items: &[String]) -> io::Result<()> {
        self.array(items, |w, item| w.string(item))
    }

    fn change(&mut self, change: &Change) -> io::Result<()> {
        self.raw(b"{\"added\":")?;
        self.strings(&change.added)?;
        self.raw(b",\"after\":")?;
        self.optional(change.after.as_deref())?;
        self.raw(b",\"before\":")?;
        self.optional(change.before.as_deref())?;
        self.raw(b",\"domain\":")?;
        self.string(&change.domain)?;
        self.raw(b",\"id\":")?;
        self.string(&change.id)?;
        if !change.inline.is_empty() {
            self.raw(b",\"inline\":")?;
            self.array(&change.inline, |w, (mark, text)| {
                w.raw(b"[")?;
                w.string(mark.encode_utf8(&mut [0; 4]))?;
                w.raw(b",")?;
                w.string(text)?;
                w.raw(b"]")
            })?;
        }
        self.raw(b",\"kind\":")?;
        self.name(&change.kind)?;
        self.raw(b",\"removed\":")?;
        self.strings(&change.removed)?;
        self.raw(b",\"risk\":")?;
        self.name(&change.risk)?;
        self.raw(b",\"why\":")?;
        self.string(&change.why)?;
        self.raw(b"}")
    }

    fn finding(&mut self, finding: &GuardrailFinding) -> io::Result<()> {
        let violation = &finding.violation;
        self.raw(if finding.blocking {
            b"{\"blocking\":true"
        } else {
            b"{\"blocking\":false"
        })?;
        self.raw(b",\"found\":")?;
        self.string(&violation.found)?;
        self.raw(b",\"guardrail\":")?;
        self.string(&violation.guardrail)?;
        self.raw(b",\"kind\":")?;
        self.name(&violation.kind)?;
        self.raw(b",\"level\":")?;
        self.name(&violation.level)?;
        self.raw(b",\"params\":")?;
        self.strings(&violation.params)?;
        self.raw(b",\"valid\":")?;
        self.string(&violation.valid)?;
        self.raw(b"}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::guardrails::{GuardKind, Level, Violation};
    use crate::catalogue::risk::RiskClass;
    use crate::diff::ChangeKind;

    /// What the fingerprint covers, as serde sees it: the reference for the hand-written form.
    #[derive(Serialize)]
    struct Fingerprinted<'a> {
        network: &'a str,
        changes: &'a [Change],
        guardrails: &'a [GuardrailFinding],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        not_compared: &'a [Left<'a>],
    }

    /// A value not compared, as the fingerprint covers it (without why).
    #[derive(Serialize)]
    struct Left<'a> {
        id: &'a str,
        proposed: &'a str,
    }

    fn change(id: &str, kind: ChangeKind, inline: Vec<(char, String)>) -> Change {
        Change {
            id: id.into(),
            domain: "fees \"quoted\" \\ / \u{7f}".into(),
            risk: RiskClass::Financial,
            kind,
            before: Some("line\nbreak\ttab\u{1}\u{1f}\u{8}\u{c}\r".into()),
            after: None,
            added: vec!["é".into(), "😀".into(), "\u{2028}\u{2029}".into()],
            removed: vec![],
            inline,
            why: "percentages move money".into(),
            checked_by: vec!["not-fingerprinted".into()],
            names: [("é".to_owned(), "not-fingerprinted".to_owned())].into(),
        }
    }

    #[test]
    fn the_written_bytes_are_those_of_a_general_jcs_canonicaliser() {
        let changes = [
            change("A.b", ChangeKind::Changed, vec![]),
            change(
                "C.d",
                ChangeKind::Added,
                vec![
                    ('-', "old ".into()),
                    (' ', "same".into()),
                    ('+', "new".into()),
                ],
            ),
            change("E.f", ChangeKind::Removed, vec![]),
        ];
        let guardrails = [
            GuardrailFinding {
                violation: Violation {
                    guardrail: "slashing-split".into(),
                    kind: GuardKind::Contract,
                    params: vec!["A.b".into(), "C.d".into()],
                    level: Level::Fail,
                    found: "40% + 60% + 5% = 105%".into(),
                    valid: "at most 100 — “quoted”".into(),
                },
                blocking: true,
            },
            GuardrailFinding {
                violation: Violation {
                    guardrail: "treasury-allowlisted".into(),
                    kind: GuardKind::Policy,
                    params: vec![],
                    level: Level::Warn,
                    found: String::new(),
                    valid: "\u{0}".into(),
                },
                blocking: false,
            },
        ];
        let not_compared = [
            NotCompared {
                id: "RewardEngine.roleShare.agent".into(),
                proposed: "65 \"%\"\n".into(),
                why: "not fingerprinted".into(),
            },
            NotCompared {
                id: "Z.z".into(),
                proposed: "\u{2028}".into(),
                why: String::new(),
            },
        ];
        for (changes, guardrails, not_compared) in [
            (&changes[..], &guardrails[..], &not_compared[..]),
            (&changes[..], &guardrails[..], &[][..]),
            (&[][..], &[][..], &[][..]),
        ] {
            let left: Vec<Left> = not_compared
                .iter()
                .map(|n| Left {
                    id: &n.id,
                    proposed: &n.proposed,
                })
                .collect();
            let reference = serde_json_canonicalizer::to_vec(&Fingerprinted {
                network: "demo",
                changes,
                guardrails,
                not_compared: &left,
            })
            .unwrap();
            let mut written = Vec::new();
            write_canonical(&mut written, "demo", changes, guardrails, not_compared).unwrap();
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(reference.clone()).unwrap()
            );
            assert_eq!(
                fingerprint("demo", changes, guardrails, not_compared),
                hex::encode(Sha256::digest(&reference))
            );
        }
    }
}
