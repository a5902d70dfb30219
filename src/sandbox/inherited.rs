//! A console started by a drill's command step knows it is in the drill: the step sets
//! `OWNER_CONSOLE_DRILL` to the drill's network (beside the network's RPC URL variable, set to
//! the sandbox), so the child reads and writes the sandbox's modules and Safe, never the real
//! network's addresses, and marks what it writes as drill output.

/// The variable a drill's command steps set to the drill's network.
pub const VARIABLE: &str = "OWNER_CONSOLE_DRILL";

/// Whether this process runs inside a drill of `network`.
pub fn in_drill_of(network: &str) -> bool {
    std::env::var(VARIABLE).is_ok_and(|value| value.trim() == network)
}

/// The mode this process acts in on `network`: a drill when a drill started it, else `mode`.
pub fn mode_for(network: &str, mode: crate::engine::Mode) -> crate::engine::Mode {
    match in_drill_of(network) {
        true => crate::engine::Mode::Drill,
        false => mode,
    }
}
