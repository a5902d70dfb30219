//! Acknowledging a stale state snapshot: recorded with a reason before a run uses it.

use super::StepError;
use crate::engine::{Event, Run};
use crate::workspace::context::Context;

/// Records that the run uses its network's state snapshot although it is older than the
/// network allows; refused when the snapshot is not stale (nothing to acknowledge).
pub fn acknowledge(ctx: &Context, run: &Run, reason: &str) -> Result<Event, StepError> {
    if reason.trim().is_empty() {
        return Err(StepError::NoReason);
    }
    let checked = crate::change::offline_state::of_network(ctx, &run.started.network)
        .map_err(StepError::Change)?;
    let stale = checked
        .stale
        .ok_or_else(|| StepError::NotStale(checked.name.clone()))?;
    Ok(Event::StateAcknowledged(crate::engine::StateAcknowledged {
        snapshot: stale.snapshot,
        block_hash: stale.block_hash,
        age_secs: stale.age_secs,
        limit_secs: stale.limit_secs,
        reason: reason.trim().to_owned(),
    }))
}
