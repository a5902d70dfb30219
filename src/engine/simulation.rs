//! Whether the run's prepared batch has a passing simulation recorded: what a `simulate` step
//! and a sign-off with `require_simulation` wait for.

use super::run::Run;

impl Run {
    /// Why no passing simulation of the run's last prepared batch (of its diff) is recorded,
    /// if none is.
    pub fn simulation_missing(&self) -> Option<String> {
        let Some(batch) = &self.last_batch else {
            return Some("no batch is prepared yet to simulate".to_owned());
        };
        let Some(simulation) = &self.last_simulation else {
            return Some(format!(
                "no simulation of the batch {} is recorded yet",
                short(&batch.file_sha256)
            ));
        };
        if !simulation
            .batch_sha256
            .eq_ignore_ascii_case(&batch.file_sha256)
        {
            return Some(format!(
                "the last simulation is of another batch ({}), not the prepared one ({})",
                short(&simulation.batch_sha256),
                short(&batch.file_sha256)
            ));
        }
        if let Some(fingerprint) = &batch.diff_fingerprint
            && !simulation
                .diff_fingerprint
                .eq_ignore_ascii_case(fingerprint)
        {
            return Some(format!(
                "the last simulation was made against the diff {}, not the batch's {}: the chain moved since; simulate again",
                short(&simulation.diff_fingerprint),
                short(fingerprint)
            ));
        }
        (!simulation.passed).then(|| format!("the last simulation failed: {}", simulation.verdict))
    }
}

fn short(text: &str) -> String {
    text.chars().take(12).collect()
}
