//! The preview of a runbook (`p` on the start screen): every step shown as it will be, its
//! closing line saying what a key would do in a run, and nothing done or recorded by any key.

use crate::support::tui::Harness;
use crossterm::event::KeyCode::{Char, Enter, Esc, Right};

#[test]
fn a_preview_says_what_a_run_would_do_and_enter_does_nothing() {
    let mut h = Harness::new(80, 24);
    let ledger_before = std::fs::read_to_string(h.ledger_file()).unwrap_or_default();
    h.keys(&[Char('/')])
        .typed("failure-recovery")
        .keys(&[Enter, Char('p')]);
    let mut seen = String::new();
    for _ in 0..20 {
        let screen = h.screen();
        assert!(screen.contains("[PREVIEW]"), "{screen}");
        assert_eq!(
            h.keys(&[Enter]).screen(),
            screen,
            "Enter neither completes nor chooses in a preview"
        );
        seen.push_str(&screen);
        h.keys(&[Right]);
    }
    assert!(
        seen.contains("in a run, Enter chooses the option under ›"),
        "a decision says what Enter would do in a run:\n{seen}"
    );
    for offer in ["✓ ready:", "│Enter chooses"] {
        assert!(!seen.contains(offer), "a preview offers no action: {offer}");
    }
    h.keys(&[Esc]);
    assert_eq!(
        std::fs::read_to_string(h.ledger_file()).unwrap_or_default(),
        ledger_before,
        "a preview records nothing"
    );
}
