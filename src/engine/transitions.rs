//! What an operator can do to a run's current step: each transition checks the step and
//! returns the events to record. Nothing moves here: the run moves when the ledger has them
//! (`Run::apply`).

use super::event::Event;
use super::run::{EngineError, Run};
use crate::runbook::{Next, Step, StepAction};

impl Run {
    /// The events that end the run when the step being left leads to the end.
    fn closing(&self, leads_to_end: bool, mut events: Vec<Event>) -> Vec<Event> {
        if leads_to_end {
            events.push(Event::RunCompleted {});
        }
        events
    }

    pub fn toggle_item(&self, item: usize) -> Result<Event, EngineError> {
        let step = self.here()?;
        let StepAction::Checklist { items } = &step.action else {
            return Err(EngineError::Blocked(format!(
                "step `{}` is not a checklist",
                step.id
            )));
        };
        if item >= items.len() {
            return Err(EngineError::Blocked(format!(
                "the checklist has items 1 to {}, not {}",
                items.len(),
                item + 1
            )));
        }
        Ok(Event::ItemChecked {
            step: step.id.clone(),
            item,
            checked: !self.visit.checked.contains(&item),
        })
    }

    /// Ticks every item of the checklist not yet ticked, one event per item, in order.
    pub fn tick_rest(&self) -> Result<Vec<Event>, EngineError> {
        let step = self.here()?;
        let StepAction::Checklist { items } = &step.action else {
            return Err(EngineError::Blocked(format!(
                "step `{}` is not a checklist",
                step.id
            )));
        };
        Ok((0..items.len())
            .filter(|item| !self.visit.checked.contains(item))
            .map(|item| Event::ItemChecked {
                step: step.id.clone(),
                item,
                checked: true,
            })
            .collect())
    }

    pub fn note(&self, text: &str) -> Result<Event, EngineError> {
        let step = self.here()?;
        Ok(Event::Note {
            step: step.id.clone(),
            text: text.to_owned(),
        })
    }

    pub fn complete(&self, typed_confirmation: Option<&str>) -> Result<Vec<Event>, EngineError> {
        let step = self.here()?;
        if let Some(blocker) = self.completion_blocker() {
            return Err(EngineError::Blocked(blocker));
        }
        check_confirmation(step, typed_confirmation)?;
        Ok(self.closing(
            step.next == Next::End,
            vec![Event::StepCompleted {
                step: step.id.clone(),
            }],
        ))
    }

    pub fn skip(&self, reason: &str) -> Result<Vec<Event>, EngineError> {
        let step = self.here()?;
        if !step.skippable {
            return Err(EngineError::Blocked(format!(
                "step `{}` may not be skipped",
                step.id
            )));
        }
        if reason.trim().is_empty() {
            return Err(EngineError::Blocked("a skip needs a reason".to_owned()));
        }
        let event = Event::StepSkipped {
            step: step.id.clone(),
            reason: reason.trim().to_owned(),
        };
        Ok(self.closing(step.next == Next::End, vec![event]))
    }

    /// Chooses a decision's option by its label (case-insensitive).
    pub fn choose(
        &self,
        label: &str,
        typed_confirmation: Option<&str>,
    ) -> Result<Vec<Event>, EngineError> {
        let step = self.here()?;
        let StepAction::Decision { options, .. } = &step.action else {
            return Err(EngineError::Blocked(format!(
                "step `{}` is not a decision",
                step.id
            )));
        };
        let Some(option) = options
            .iter()
            .find(|o| o.label.eq_ignore_ascii_case(label.trim()))
        else {
            let valid: Vec<_> = options.iter().map(|o| o.label.as_str()).collect();
            return Err(EngineError::Blocked(format!(
                "`{label}` is not an option here (valid: {})",
                valid.join(", ")
            )));
        };
        check_confirmation(step, typed_confirmation)?;
        let event = Event::BranchChosen {
            step: step.id.clone(),
            option: option.label.clone(),
            goto: option.goto.clone(),
        };
        Ok(self.closing(option.goto == "end", vec![event]))
    }

    pub fn abort(&self, reason: &str) -> Result<Event, EngineError> {
        self.here()?;
        if reason.trim().is_empty() {
            return Err(EngineError::Blocked("an abort needs a reason".to_owned()));
        }
        Ok(Event::RunAborted {
            reason: reason.trim().to_owned(),
        })
    }
}

fn check_confirmation(step: &Step, typed: Option<&str>) -> Result<(), EngineError> {
    match &step.confirm {
        Some(word) if typed.map(str::trim) != Some(word.as_str()) => {
            Err(EngineError::Blocked(format!(
                "step `{}` is irreversible: type `{word}` to confirm",
                step.id
            )))
        }
        _ => Ok(()),
    }
}
