//! The README's picture of the console (`docs/console.svg`) is the real render of a run view
//! at 80×24, in colour. This test renders it again and fails when the committed picture
//! differs; `UPDATE_PICTURE=1 cargo test --test it readme_picture::` writes it anew.

use crate::support::tui::Harness;
use crossterm::event::KeyCode;
use owner_console::tui::views;
use ratatui::buffer::Buffer;
use std::path::Path;

const PICTURE: &str = "docs/console.svg";
/// Stands in for the run id, which changes from run to run.
const RUN_ID: &str = "r-20260101T090000Z-c0ffee";
/// Stands in for the snapshot's age, which grows every day.
const AGE: &str = "(2d old)";

/// The cells of `row` as text, and for each character the column it starts at.
fn row_text(buffer: &Buffer, row: u16) -> (String, Vec<u16>) {
    let mut text = String::new();
    let mut columns = Vec::new();
    for column in 0..buffer.area.width {
        for c in buffer[(column, row)].symbol().chars() {
            text.push(c);
            columns.push(column);
        }
    }
    (text, columns)
}

/// Writes `with` over the characters `start..end` of `row` (by character index), blanking
/// what `with` does not cover.
fn overwrite(buffer: &mut Buffer, row: u16, columns: &[u16], start: usize, end: usize, with: &str) {
    let mut replacement = with.chars();
    for &column in &columns[start..end] {
        let cell = &mut buffer[(column, row)];
        match replacement.next() {
            Some(c) => {
                cell.set_char(c);
            }
            None => {
                cell.reset();
            }
        }
    }
}

/// Replaces what changes from run to run (the run id, the snapshot's age) with fixed text.
fn mask(buffer: &mut Buffer) {
    for row in 0..buffer.area.height {
        let (text, columns) = row_text(buffer, row);
        let chars: Vec<char> = text.chars().collect();
        let find = |needle: &str, from: usize| {
            let needle: Vec<char> = needle.chars().collect();
            (from..chars.len().saturating_sub(needle.len() - 1))
                .find(|&i| chars[i..i + needle.len()] == needle[..])
        };
        if let Some(start) = find("r-20", 0) {
            let end = (start + RUN_ID.len()).min(chars.len());
            overwrite(buffer, row, &columns, start, end, RUN_ID);
        }
        if let Some(old) = find(" old)", 0) {
            let open = (0..old).rev().find(|&i| chars[i] == '(').unwrap_or(old);
            overwrite(buffer, row, &columns, open, old + " old)".len(), AGE);
        }
    }
}

fn picture() -> String {
    let mut h = Harness::with_colour(80, 24, true);
    h.start_matrix().keys(&[KeyCode::Char(' ')]);
    let app = &h.app;
    h.terminal
        .draw(|frame| views::draw(frame, app))
        .expect("draw the run view");
    let mut buffer = h.terminal.backend().buffer().clone();
    mask(&mut buffer);
    crate::support::svg::render(&buffer)
}

#[test]
fn the_readme_picture_is_the_current_render() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PICTURE);
    let fresh = picture();
    assert!(
        fresh.contains("Failure recovery matrix") && fresh.contains(RUN_ID),
        "the picture shows the run view"
    );
    if std::env::var_os("UPDATE_PICTURE").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{PICTURE} is not the current render of the run view; look at the change, then run \
         `UPDATE_PICTURE=1 cargo test --test it readme_picture::` and commit the picture"
    );
}
