//! An `evidence` step: a file from inside the workspace (or its storage) copied into the
//! evidence store.

use super::StepError;
use crate::engine::{Event, Run};
use crate::runbook::StepAction;
use crate::workspace::context::Context;
use crate::workspace::evidence::{EvidenceStore, confine};
use std::path::{Path, PathBuf};

pub struct PreparedAttach {
    step: String,
    file: PathBuf,
    inside: PathBuf,
    store: EvidenceStore,
}

/// Refuses a file outside the workspace and its storage before anything is copied.
pub fn prepare(ctx: &Context, run: &Run, file: &Path) -> Result<PreparedAttach, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    if !matches!(step.action, StepAction::Evidence { .. }) {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "an evidence",
        });
    }
    Ok(PreparedAttach {
        step: step.id.clone(),
        file: file.to_path_buf(),
        inside: confine(file, &ctx.workspace.evidence_roots())?,
        store: ctx.evidence(),
    })
}

impl PreparedAttach {
    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn execute(self) -> Result<Event, StepError> {
        let (sha256, size) =
            self.store
                .put_file(&self.inside)
                .map_err(|error| StepError::File {
                    path: self.file.clone(),
                    error,
                })?;
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Event::EvidenceAttached {
            step: self.step,
            name,
            sha256,
            size,
        })
    }
}
