//! A step's pane without a cursor scrolls with ↑ and ↓, and stops at its end: keys pressed
//! past the end are not owed back, so the first ↑ after them moves the text.

use crate::support::tui::Harness;
use crossterm::event::KeyCode::{Char, Down, Enter, Right, Up};

/// The count in the `↓ N more` marker on the step pane's bottom border, if it shows one.
fn below(screen: &str) -> Option<usize> {
    let border = screen.lines().find_map(|row| row.split_once("┘└"))?.1;
    let at = border.find("↓ ")?;
    border[at + "↓ ".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[test]
fn a_pane_stops_at_its_end_and_the_first_up_moves_it_back() {
    let mut h = Harness::new(60, 20);
    h.keys(&[Char('/')])
        .typed("failure-recovery")
        .keys(&[Enter, Char('p')]);
    let mut screen = h.screen();
    for _ in 0..20 {
        if below(&screen).is_some() && !screen.contains("│› ") {
            break;
        }
        screen = h.keys(&[Right]).screen();
    }
    let total = below(&screen)
        .unwrap_or_else(|| panic!("a step without a cursor, taller than its pane:\n{screen}"));
    for _ in 0..total + 20 {
        h.keys(&[Down]).screen();
    }
    let end = h.screen();
    assert_eq!(below(&end), None, "at the end, nothing is below:\n{end}");
    let back = h.keys(&[Up]).screen();
    assert_eq!(
        below(&back),
        Some(1),
        "one ↑ moves the text one line back:\n{back}"
    );
}
