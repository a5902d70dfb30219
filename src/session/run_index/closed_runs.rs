//! The closed runs of the run index, kept as the index file's text until something needs them:
//! the start screen shows only the unfinished runs and the count of entries, so its first
//! frame does not wait for a thousand summaries to be parsed.
//!
//! The index file is two lines: the header (everything else, the unfinished runs among it),
//! then the JSON array of the closed runs.

use super::error::{ClosedRunsError, NotAnIndex};
use crate::session::run_list::RunSummary;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosedRuns {
    Parsed(Vec<RunSummary>),
    /// The index file's second line, not parsed yet.
    Text(Vec<u8>),
}

impl Default for ClosedRuns {
    fn default() -> Self {
        Self::Parsed(Vec::new())
    }
}

impl ClosedRuns {
    /// The summaries; Err (why) when the text is not a list of them.
    pub fn parse(self) -> Result<Vec<RunSummary>, ClosedRunsError> {
        match self {
            Self::Parsed(runs) => Ok(runs),
            Self::Text(text) => serde_json::from_slice(&text).map_err(ClosedRunsError::new),
        }
    }

    fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        match self {
            Self::Parsed(runs) => serde_json::to_vec(runs),
            Self::Text(text) => Ok(text.clone()),
        }
    }
}

/// Splits an index file into its header line and the closed runs' text; Err when it is not
/// two lines.
pub fn split(bytes: &[u8]) -> Result<(&[u8], ClosedRuns), NotAnIndex> {
    let body = bytes.strip_suffix(b"\n").ok_or(NotAnIndex::NoNewline)?;
    let at = body
        .iter()
        .position(|b| *b == b'\n')
        .ok_or(NotAnIndex::OneLine)?;
    Ok((&body[..at], ClosedRuns::Text(body[at + 1..].to_vec())))
}

/// An index file's bytes: `header` (JSON, one line), then the closed runs.
pub fn join(header: &[u8], closed: &ClosedRuns) -> serde_json::Result<Vec<u8>> {
    let closed = closed.to_json()?;
    let mut bytes = Vec::with_capacity(header.len() + closed.len() + 2);
    bytes.extend_from_slice(header);
    bytes.push(b'\n');
    bytes.extend_from_slice(&closed);
    bytes.push(b'\n');
    Ok(bytes)
}
