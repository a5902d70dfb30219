//! A diff as recorded: its canonical JSON (the bytes its fingerprint hashes) is kept in the
//! evidence store under the fingerprint by the diff step, and read back by the batch step,
//! which builds only what that diff holds. The diff computed when the batch is built must be
//! the recorded one, or the recorded one less changes already made (by the run's own earlier
//! batch, say); a change that is new or different means the chain or the config moved since
//! the diff was reviewed, and nothing is built.

use super::StepError;
use crate::diff::Diff;
use crate::engine::DiffRecorded;
use crate::workspace::context::Context;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Read;

/// A recorded diff larger than this is not read back (a diff of every parameter of a large
/// catalogue is a few MiB).
const MAX_DIFF_BYTES: u64 = 64 * 1024 * 1024;

/// Keeps the diff in the evidence store, named by its fingerprint.
pub(super) fn archive(ctx: &Context, diff: &Diff) -> Result<(), StepError> {
    let stored = ctx
        .evidence()
        .put_bytes(&crate::diff::fingerprint::canonical(diff))
        .map_err(|error| StepError::Evidence {
            what: "the diff",
            error,
        })?;
    if stored != diff.fingerprint {
        return Err(StepError::ConfigUnreadable(format!(
            "the diff's canonical JSON hashes to {stored}, not to its fingerprint {}",
            diff.fingerprint
        )));
    }
    Ok(())
}

/// Refuses `now` (computed against `against`) unless it is the `recorded` diff or that diff
/// less changes already made.
pub(super) fn check(
    ctx: &Context,
    recorded: &DiffRecorded,
    now: &Diff,
    against: &str,
) -> Result<(), StepError> {
    if now.fingerprint == recorded.fingerprint {
        return Ok(());
    }
    let unexplained = match read(ctx, &recorded.fingerprint) {
        Ok(Some(stored)) => match unexplained(&stored, now) {
            found if found.is_empty() => return Ok(()),
            found => found,
        },
        Ok(None) => Vec::new(),
        Err(why) => vec![why],
    };
    Err(StepError::DiffMoved {
        step: recorded.step.clone(),
        recorded: recorded.fingerprint.clone(),
        now: now.fingerprint.clone(),
        against: against.to_owned(),
        unexplained,
    })
}

/// The recorded diff's JSON, checked against its name; `None` when the store does not hold
/// it (a diff recorded by an earlier version).
fn read(ctx: &Context, fingerprint: &str) -> Result<Option<Value>, String> {
    let path = ctx.evidence().path_of(fingerprint);
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    let mut bytes = Vec::new();
    file.take(MAX_DIFF_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let sha256 = crate::safe::binding::file_sha256(&bytes);
    if sha256 != fingerprint {
        return Err(format!(
            "the recorded diff {} hashes to {sha256}, not to its name: the evidence store was changed",
            path.display()
        ));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// Each change and guardrail finding of `now` that the recorded diff does not hold as it is.
fn unexplained(stored: &Value, now: &Diff) -> Vec<String> {
    let key = |value: &Value| serde_json_canonicalizer::to_vec(value).unwrap_or_default();
    let finding_key = |value: &Value| {
        let mut value = value.clone();
        if let Some(object) = value.as_object_mut() {
            object.remove("blocking");
        }
        key(&value)
    };
    let listed = |field: &str, make: &dyn Fn(&Value) -> Vec<u8>| -> HashSet<Vec<u8>> {
        stored[field]
            .as_array()
            .into_iter()
            .flatten()
            .map(make)
            .collect()
    };
    let changes = listed("changes", &key);
    let findings = listed("guardrails", &finding_key);
    let value = |item: Result<Value, serde_json::Error>| item.unwrap_or(Value::Null);
    let mut found = Vec::new();
    for change in &now.changes {
        if !changes.contains(&key(&value(serde_json::to_value(change)))) {
            let shown = |side: &Option<String>| side.clone().unwrap_or_else(|| "(none)".into());
            found.push(format!(
                "{}: {} → {} now, which the recorded diff does not hold",
                change.id,
                shown(&change.before),
                shown(&change.after)
            ));
        }
    }
    for finding in &now.guardrails {
        if !findings.contains(&finding_key(&value(serde_json::to_value(finding)))) {
            found.push(format!(
                "guardrail {}: {}, which the recorded diff does not hold",
                finding.violation.guardrail, finding.violation.found
            ));
        }
    }
    let left_out = listed("not_compared", &key);
    for left in &now.not_compared {
        let held = serde_json::json!({ "id": left.id, "proposed": left.proposed });
        if !left_out.contains(&key(&held)) {
            found.push(format!(
                "{} = {} proposed now (not compared), which the recorded diff does not hold",
                left.id, left.proposed
            ));
        }
    }
    found
}
