//! Printing helpers shared by the subcommands.

use serde::Serialize;

pub fn print_json(value: &impl Serialize) -> color_eyre::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// `--accept-stale REASON`: a stale snapshot is used when a reason is given, said on stderr
/// and in the log.
pub fn accept_stale(stale: &crate::change::offline_state::Stale, reason: Option<&str>) -> bool {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => {
            eprintln!("warning: {} — acknowledged: {reason}", stale.message());
            tracing::warn!(snapshot = %stale.snapshot, age = stale.age_secs, %reason, "stale snapshot acknowledged");
            true
        }
        None => false,
    }
}
