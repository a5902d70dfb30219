//! The flowchart of a run (`f`): its lines wrapped, not cut, with markers of what is above
//! and below; it scrolls both ways from where the current step put it, and stops at its ends.

use crate::support::tui::Harness;
use crossterm::event::KeyCode::{Char, Down, PageDown, PageUp, Up};

/// The count in the flowchart's `↓ N more` (or `↑ N more`) marker, if it shows one.
fn marker(screen: &str, arrow: &str) -> Option<usize> {
    let at = screen.find(&format!("{arrow} "))?;
    screen[at + arrow.len() + 1..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[test]
fn the_flowchart_wraps_marks_and_stops_at_both_ends() {
    let mut h = Harness::new(60, 20);
    h.start_matrix().keys(&[Char('f')]);
    let first = h.screen();
    assert!(first.contains("Flowchart:"), "{first}");
    for words in [
        "Stabilise and gather",
        "facts",
        "Watch closely until",
        "the fix",
    ] {
        assert!(
            first.contains(words),
            "a long line wraps whole: {words}\n{first}"
        );
    }
    let total = marker(&first, "↓").unwrap_or_else(|| panic!("more below is marked:\n{first}"));
    for _ in 0..total / 10 + 3 {
        h.keys(&[PageDown]);
        h.screen();
    }
    let end = h.screen();
    assert_eq!(marker(&end, "↓"), None, "at the end, nothing below:\n{end}");
    assert!(marker(&end, "↑").is_some(), "{end}");
    assert_eq!(
        marker(&h.keys(&[Up]).screen(), "↓"),
        Some(1),
        "one ↑ moves back one line"
    );
    for _ in 0..total / 10 + 3 {
        h.keys(&[PageUp]);
        h.screen();
    }
    let top = h.screen();
    assert_eq!(marker(&top, "↑"), None, "at the top, nothing above:\n{top}");
    assert_eq!(marker(&h.keys(&[Down]).screen(), "↑"), Some(1));
}
