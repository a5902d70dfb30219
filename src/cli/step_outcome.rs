//! What `run next` says on stderr once a step action is done, before its event is recorded.

use crate::engine::Event;
use crate::steps::Done;
use std::path::Path;

pub fn lines(done: &Done, storage: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    match &done.event {
        Event::ChaosInjected(chaos) => lines.push(format!("  {}", chaos.detail)),
        Event::ChainChecked(checked) => {
            lines.extend(checked.results.iter().map(|r| format!("  {}", r.line())));
            lines.push(format!(
                "  at block #{} {}",
                checked.block_number, checked.block_hash
            ));
            if let Some(why) = &checked.refused {
                lines.push(format!("  ✗ verifies nothing: {why}"));
            }
        }
        Event::ReceiptChecked(checked) => {
            let mark = if checked.passed {
                "✓ pass"
            } else {
                "✗ FAIL"
            };
            lines.push(format!(
                "receipt {} {mark}: block #{}, archived as {}",
                checked.tx_hash,
                checked.block_number,
                storage.join(&checked.file).display()
            ));
            lines.extend(checked.problems.iter().map(|p| format!("  ✗ {p}")));
        }
        Event::SimulationRecorded(simulation) => {
            let verdict = if simulation.passed {
                "✓ PASS"
            } else {
                "✗ FAIL"
            };
            let how = if simulation.imported {
                "imported report"
            } else {
                "simulated"
            };
            lines.push(format!(
                "{how} at block #{} {verdict}: {}",
                simulation.fork_block, simulation.verdict
            ));
            if !simulation.atomic {
                lines.push(
                    "  ⚠ not atomic: the Safe is not a Safe v1.x, its calls were sent one by one"
                        .into(),
                );
            }
            lines.push(format!(
                "  report kept as evidence {} (batch {}, diff {})",
                simulation.report_sha256, simulation.batch_sha256, simulation.diff_fingerprint
            ));
        }
        Event::DiffRecorded(recorded) => lines.push(format!(
            "diff against {}: {} (fingerprint {})",
            recorded.against, recorded.summary, recorded.fingerprint
        )),
        Event::BatchPrepared(batch) => {
            lines.push(format!(
                "prepared {} ({} transaction(s), SHA-256 {}, Safe checksum {}{}): load it in the Safe app's Transaction Builder",
                storage.join(&batch.file).display(),
                batch.transactions,
                batch.file_sha256,
                batch.checksum,
                batch
                    .diff_fingerprint
                    .as_ref()
                    .map(|f| format!(", the recorded diff {f}"))
                    .unwrap_or_default()
            ));
            if let Some(tx) = &batch.safe_transaction {
                lines.push(format!(
                    "  Safe {} nonce {}: Domain hash {}, Message hash {}, Safe transaction hash {}",
                    tx.safe, tx.nonce, tx.domain_hash, tx.message_hash, tx.safe_tx_hash
                ));
            }
        }
        _ => {}
    }
    lines
}
