//! Reads the real binary's run view off the pty's screen: the run id, the current step (its
//! `▶` mark in the Steps list and the detail pane's title), ticked items, the rows that
//! describe the run; and the ledger file as JSON lines.

use super::pty::{PtyApp, TIMEOUT, screen_rows};
use std::path::Path;

/// The run id shown on the screen (`r-<UTC stamp>-<hex>`), wherever the view puts it.
pub fn run_id_on_screen(screen: &vt100::Screen) -> Option<String> {
    screen
        .contents()
        .split(|c: char| c.is_whitespace() || c == '·')
        .find(|word| {
            word.strip_prefix("r-").is_some_and(|rest| {
                rest.len() >= 10
                    && rest.contains('T')
                    && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        })
        .map(str::to_owned)
}

/// The title of the run view's detail pane: the id of the step it shows. The pane's top
/// border is on the same row as the " Steps " list's, to its right.
pub fn detail_title(screen: &vt100::Screen) -> Option<String> {
    let rows = screen_rows(screen);
    let border = rows.iter().find(|row| row.contains("┌ Steps "))?;
    let after_steps = &border[border.find("┌ Steps ")? + "┌ Steps ".len()..];
    let pane = &after_steps[after_steps.find("┌ ")? + "┌ ".len()..];
    let title = pane.split(" ─").next()?.split(" ┐").next()?;
    Some(title.trim().to_owned())
}

/// The rows of the " Steps " list, without the borders: e.g. "✓ triage → High".
pub fn steps_list(screen: &vt100::Screen) -> Vec<String> {
    let rows = screen_rows(screen);
    let Some(top) = rows.iter().position(|row| row.contains("┌ Steps ")) else {
        return Vec::new();
    };
    rows[top + 1..]
        .iter()
        .take_while(|row| !row.starts_with('└'))
        .filter_map(|row| {
            let inner = row.strip_prefix('│')?;
            let end = inner.find('│')?;
            Some(inner[..end].trim().to_owned())
        })
        .collect()
}

/// Whether the run view shows `id` as the current step: marked `▶` in the list and shown in
/// the detail pane.
pub fn shows_current(screen: &vt100::Screen, id: &str) -> bool {
    detail_title(screen).as_deref() == Some(id)
        && steps_list(screen)
            .iter()
            .any(|row| row == &format!("▶ {id}"))
}

pub fn wait_current_step(app: &PtyApp, id: &str) -> String {
    app.wait_until(
        &format!("step `{id}` to be current in the run view"),
        TIMEOUT,
        |screen| shows_current(screen, id),
    )
}

pub fn ticked_items(screen: &vt100::Screen) -> usize {
    screen.contents().matches("[x] ").count()
}

/// The rows of the run view that describe the run: its header, the steps list and the
/// detail pane (not the title, hint and status rows, which may carry passing messages).
pub fn run_view_body(screen: &vt100::Screen) -> Vec<String> {
    let rows = screen_rows(screen);
    rows[1..rows.len() - 2].to_vec()
}

pub fn journal_entries(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read the journal {}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(index, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("journal line {} is not JSON ({e}): {line}", index + 1))
        })
        .collect()
}
