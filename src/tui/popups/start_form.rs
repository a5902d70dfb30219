//! The form that starts a run: network and typed inputs.

use super::reply::Reply;
use super::text_input::line_input;
use crate::runbook::{InputSpec, Runbook};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui_textarea::TextArea;
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct StartForm {
    pub runbook: Arc<Runbook>,
    pub networks: Vec<String>,
    pub network: usize,
    pub fields: Vec<(InputSpec, TextArea<'static>)>,
    /// 0 is the network; 1.. the inputs.
    pub focus: usize,
    pub error: Option<String>,
    /// The run starts as a drill, against the network's sandbox.
    pub drill: bool,
}

impl StartForm {
    /// The form of `runbook`, each input filled with its default (a drill's own first), the
    /// focus on the first required input left empty (else on the network).
    pub fn new(runbook: Arc<Runbook>, preferred_network: &str, drill: bool) -> Self {
        let networks = runbook.networks.clone();
        let network = networks
            .iter()
            .position(|n| n == preferred_network)
            .unwrap_or(0);
        let fields: Vec<_> = runbook
            .inputs
            .iter()
            .map(|spec| {
                (
                    spec.clone(),
                    line_input(spec.default_for(drill).unwrap_or("")),
                )
            })
            .collect();
        let first_empty_required = fields
            .iter()
            .position(|(spec, area)| spec.required && area.lines().join("").trim().is_empty());
        Self {
            runbook,
            networks,
            network,
            fields,
            focus: first_empty_required.map_or(0, |index| index + 1),
            error: None,
            drill,
        }
    }

    pub fn network(&self) -> &str {
        self.networks
            .get(self.network)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The inputs as given; empty fields are left out so that defaults and `required` apply.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|(spec, area)| (spec.name.clone(), area.lines().join("").trim().to_owned()))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }

    pub fn handle(&mut self, key: KeyEvent) -> Reply {
        let last = self.fields.len();
        match key.code {
            KeyCode::Esc => return Reply::Close,
            KeyCode::Enter => return Reply::StartRun,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1).min(last),
            KeyCode::BackTab | KeyCode::Up => self.focus = self.focus.saturating_sub(1),
            KeyCode::Left if self.focus == 0 => self.network = self.network.saturating_sub(1),
            KeyCode::Right if self.focus == 0 => {
                self.network = (self.network + 1).min(self.networks.len().saturating_sub(1))
            }
            _ if self.focus > 0 => {
                if let Some((_, area)) = self.fields.get_mut(self.focus - 1) {
                    area.input(key);
                }
            }
            _ => {}
        }
        self.error = None;
        Reply::Stay
    }
}
