//! Where a run stands, as `run start`, `run next`, `run status` and `run signoff` print it
//! (text, or `--json`).

use super::output::print_json;
use super::output::{out, outln};
use super::show::step_text;
use crate::engine::{Position, Run};
use crate::runbook::StepAction;
use crate::steps::command::rendered_command;

pub fn report(run: &Run, json: bool) -> color_eyre::Result<()> {
    let position = match &run.position {
        Position::At(step) => serde_json::json!({ "status": "unfinished", "step": step }),
        Position::Completed => serde_json::json!({ "status": "completed" }),
        Position::Aborted(reason) => serde_json::json!({ "status": "aborted", "reason": reason }),
    };
    if json {
        let history: Vec<_> = run.history.iter().map(|v| serde_json::json!({ "step": v.step, "outcome": v.outcome.to_string(), "time": v.time })).collect();
        return print_json(&serde_json::json!({
            "run": run.id,
            "runbook": run.started.runbook,
            "network": run.started.network,
            "mode": run.started.mode,
            "inputs": run.started.inputs,
            "position": position,
            "checked": run.visit.checked,
            "blocker": run.completion_blocker(),
            "history": history,
        }));
    }
    let drill = if run.started.mode == crate::engine::Mode::Drill {
        " [DRILL: against the sandbox]"
    } else {
        ""
    };
    outln!(
        "run {} — {} on {}{drill}",
        run.id,
        run.started.title,
        run.started.network
    );
    for visited in &run.history {
        outln!("  ✓ {} {}", visited.step, visited.outcome);
    }
    match run.current_step() {
        Some(step) => {
            outln!(
                "▶ now at step {} of {}:",
                run.runbook.step_index(&step.id).map_or(0, |i| i + 1),
                run.runbook.steps.len()
            );
            out!("{}", step_text(step));
            if let Some(Ok(command)) = rendered_command(run) {
                outln!("   ready to copy: {command}");
            }
            if let StepAction::Checklist { items } = &step.action {
                for (index, item) in items.iter().enumerate() {
                    let mark = if run.visit.checked.contains(&index) {
                        "x"
                    } else {
                        " "
                    };
                    outln!("   {}. [{mark}] {item}", index + 1);
                }
            }
            if let Some(blocker) = run.completion_blocker() {
                outln!("   open: {blocker}");
            }
        }
        None => outln!("{}", position["status"].as_str().unwrap_or_default()),
    }
    Ok(())
}
