//! The one-line text field of prompts, confirmations and the start form.

use ratatui_textarea::{CursorMove, TextArea};

/// A one-line field holding `text`, the cursor at its end.
pub fn line_input(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_owned()]);
    input.move_cursor(CursorMove::End);
    input
}
