//! The run view's chain steps: a chain-check reads in the background, a receipt asks for its
//! transaction hash or file first, and a stale snapshot is used only after a recorded reason.

use super::app::App;
use super::popup::{Popup, Purpose};
use super::run_actions::Refusal;
use super::task::Task;
use crate::engine::Mode;
use crate::steps::Act;
use crate::steps::receipt::ReceiptFrom;
use std::path::PathBuf;

impl App {
    /// True when the run is offline on a stale, unacknowledged snapshot: the operator is asked
    /// for a reason first.
    pub(super) fn stale_gate(&mut self) -> bool {
        let Some(screen) = self.run.as_ref() else {
            return false;
        };
        if screen.run.started.mode != Mode::Offline {
            return false;
        }
        let Ok(checked) =
            crate::change::offline_state::of_network(&self.session, &screen.run.started.network)
        else {
            return false;
        };
        match checked.stale {
            Some(stale) if !screen.run.acknowledged.contains(&stale.block_hash) => {
                self.popups.push(Popup::prompt(
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

    pub(super) fn acknowledge_stale(&mut self, reason: &str) {
        let event = self
            .run
            .as_ref()
            .map(|s| crate::steps::stale::acknowledge(&self.session, &s.run, reason));
        match event {
            Some(Ok(event)) => {
                self.record(vec![event]);
                self.status = Some(("acknowledged: press x again".into(), false));
            }
            Some(Err(error)) => self.status = Some((error.to_string(), true)),
            None => {}
        }
    }

    /// The state panel's latest reading, for a diff or batch of a live run: never a blocking
    /// read on the draw path, and never a stale one.
    pub(super) fn fresh_live_state(&self) -> Result<Option<crate::chain::LiveState>, String> {
        let live_run = self
            .run
            .as_ref()
            .is_some_and(|s| s.run.started.mode != Mode::Offline);
        match &self.live {
            Some(live) if live_run => match (live.freshness(std::time::Instant::now()), &live.last)
            {
                (super::live::Freshness::Fresh { .. }, Some(state)) => Ok(Some(state.clone())),
                (super::live::Freshness::Stale { why, .. }, _) => Err(format!(
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

    pub(super) fn check_chain(&mut self) -> Option<Task> {
        if self.stale_gate() {
            return None;
        }
        self.act(
            Act::CheckChain,
            Refusal::Popup("The chain cannot be checked"),
        )
    }

    pub(super) fn ask_receipt(&mut self) {
        let mode = self.run.as_ref().map(|s| s.run.started.mode);
        let hint = if mode == Some(Mode::Drill) {
            "Drill: Enter on an empty line executes the run's Safe batch through the sandbox Safe · or a hash · Esc cancels"
        } else if mode == Some(Mode::Live) {
            "The executed transaction's hash (0x…), or a receipt JSON file · Enter checks · Esc cancels"
        } else {
            "Offline: the path of a receipt JSON file · Enter checks · Esc cancels"
        };
        self.popups.push(Popup::prompt(
            "Check a receipt",
            hint,
            Purpose::ReceiptSource,
            "",
        ));
    }

    pub(super) fn check_receipt(&mut self, text: &str) -> Option<Task> {
        let text = text.trim();
        let drill = self
            .run
            .as_ref()
            .is_some_and(|s| s.run.started.mode == Mode::Drill);
        let is_hash = text.starts_with("0x") && !std::path::Path::new(text).exists();
        let from = if text.is_empty() && drill {
            ReceiptFrom::DrillExecution
        } else if is_hash {
            ReceiptFrom::Hash(text.to_owned())
        } else {
            ReceiptFrom::File(PathBuf::from(text))
        };
        self.act(
            Act::Receipt(from),
            Refusal::Popup("The receipt cannot be checked"),
        )
    }
}
