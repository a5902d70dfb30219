//! The run view's chain steps: a chain-check reads in the background, a receipt asks for its
//! transaction hash or file first, and a stale snapshot is used only after a recorded reason.

use super::RunScreen;
use super::step_actions::Refusal;
use crate::chain::LiveState;
use crate::engine::Mode;
use crate::steps::Act;
use crate::steps::receipt::ReceiptFrom;
use crate::tui::live::Freshness;
use crate::tui::popups::{Popup, Purpose};
use crate::tui::shared::{Ctx, Shared};
use crate::tui::status::Status;
use crate::tui::task::Task;
use std::path::PathBuf;

impl RunScreen {
    /// True when the run is offline on a stale, unacknowledged snapshot: the operator is asked
    /// for a reason first.
    pub(super) fn stale_gate(&self, ctx: &mut Ctx) -> bool {
        if self.run.started.mode != Mode::Offline {
            return false;
        }
        let Ok(checked) =
            crate::change::offline_state::of_network(ctx.session, &self.run.started.network)
        else {
            return false;
        };
        match checked.stale {
            Some(stale) if !self.run.acknowledged.contains(&stale.block_hash) => {
                ctx.shared.push(Popup::prompt(
                    "Use a stale snapshot?",
                    &format!(
                        "{} · Type why it is used anyway · Enter records it · Esc cancels",
                        stale.message()
                    ),
                    Purpose::StaleReason,
                    "",
                ));
                true
            }
            _ => false,
        }
    }

    pub(super) fn acknowledge_stale(&mut self, ctx: &mut Ctx, reason: &str) {
        match crate::steps::stale::acknowledge(ctx.session, &self.run, reason) {
            Ok(event) => {
                self.record(ctx, vec![event]);
                ctx.shared.say(Status::info("acknowledged: press x again"));
            }
            Err(error) => ctx.shared.say(Status::warning(error.to_string())),
        }
    }

    /// The state panel's latest reading, for a diff or batch of a live run: never a blocking
    /// read on the draw path, and never a stale one.
    pub(super) fn fresh_live_state(&self, ctx: &Ctx) -> Result<Option<LiveState>, String> {
        let live_run = self.run.started.mode != Mode::Offline;
        match ctx.live {
            Some(live) if live_run => match (live.freshness(std::time::Instant::now()), &live.last)
            {
                (Freshness::Fresh { .. }, Some(state)) => Ok(Some(state.clone())),
                (Freshness::Stale { why, .. }, _) => Err(format!(
                    "⚠ the live state is stale ({why}): wait for a fresh read (i shows it)"
                )),
                _ => Err("⚠ waiting for the first live read: try again in a moment".into()),
            },
            _ if live_run => Err(
                "⚠ this live run has no live node in this session (offline, or no RPC URL)".into(),
            ),
            _ => Ok(None),
        }
    }

    pub(super) fn check_chain(&mut self, ctx: &mut Ctx) -> Option<Task> {
        if self.stale_gate(ctx) {
            return None;
        }
        self.act(
            ctx,
            Act::CheckChain,
            Refusal::Popup("The chain cannot be checked"),
        )
    }

    /// A drill whose prepared batch has not been sent yet: `x` on its receipt step sends it
    /// through the sandbox Safe at once (the batch was confirmed with its word already; the
    /// prompt for a hash comes once it has been sent).
    pub(super) fn drill_batch_to_execute(&self) -> bool {
        self.run.started.mode == Mode::Drill
            && self.run.last_batch.is_some()
            && self.run.executed_batch.is_empty()
    }

    pub(super) fn ask_receipt(&self, shared: &mut Shared) {
        let hint = match self.run.started.mode {
            Mode::Drill => {
                "Drill: Enter on an empty line executes the run's Safe batch through the sandbox Safe · or a hash · Esc cancels"
            }
            Mode::Live => {
                "The executed transaction's hash (0x…), or a receipt JSON file · Enter checks · Esc cancels"
            }
            Mode::Offline => {
                "Offline: the path of a receipt JSON file · Enter checks · Esc cancels"
            }
        };
        shared.push(Popup::prompt(
            "Check a receipt",
            hint,
            Purpose::ReceiptSource,
            "",
        ));
    }

    pub(super) fn check_receipt(&mut self, ctx: &mut Ctx, text: &str) -> Option<Task> {
        let text = text.trim();
        let drill = self.run.started.mode == Mode::Drill;
        let is_hash = text.starts_with("0x") && !std::path::Path::new(text).exists();
        let from = if text.is_empty() && drill {
            ReceiptFrom::DrillExecution
        } else if is_hash {
            ReceiptFrom::Hash(text.to_owned())
        } else {
            ReceiptFrom::File(PathBuf::from(text))
        };
        self.act(
            ctx,
            Act::Receipt(from),
            Refusal::Popup("The receipt cannot be checked"),
        )
    }
}
