//! The diff step in the console: the table of changes with its summary and fingerprint, the
//! cursor and scrolling, the detail popup on Enter, completion with `c`, at 80×24 and 60×20,
//! with and without colour.

use crate::support::tui::{FILTERS, Harness};
use crossterm::event::KeyCode::{self, Down, End, Enter, Esc, Home, PageDown, Tab, Up};
use ratatui::style::{Color, Modifier};
use serde_json::{Value, json};
use std::path::Path;

macro_rules! snapshot {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({ filters => FILTERS.to_vec() }, {
            insta::assert_snapshot!($name, $screen);
        });
    };
}

/// Walks the fee update to its diff step and computes the diff there.
fn fee_update_diff(h: &mut Harness) -> String {
    h.keys(&[KeyCode::Char('/')])
        .typed("fee")
        .keys(&[Enter, Enter])
        .typed("3")
        .keys(&[Tab])
        .typed("5")
        .keys(&[Enter]);
    h.keys(&[KeyCode::Char('n')])
        .typed("Burn 2 -> 3.")
        .ctrl('s')
        .keys(&[Enter]);
    for _ in 0..4 {
        h.keys(&[KeyCode::Char(' ')]);
    }
    h.keys(&[Enter, KeyCode::Char('x')])
        .typed("run")
        .key_running_task(Enter)
        .keys(&[Enter])
        .key_running_task(KeyCode::Char('x'));
    h.screen()
}

fn edit(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}

const EVERYTHING: &str = r#"
id = "review-everything"
title = "Review every parameter"
kind = "update"
severity = "low"
version = "1.0.0"
summary = "A diff over every domain, for reading a long one."
networks = ["demo"]

[[steps]]
id = "diff-all"
title = "Diff every domain"
kind = "diff"
body = "Read every row before you go on."

[[steps]]
id = "after"
title = "After the diff"
kind = "checklist"
items = ["Every row was read"]
"#;

/// A runbook diffing every domain, against a state that differs from the config in many
/// places: every number in the snapshot one higher, a set member gone, a long text reworded.
fn long_diff(ws: &Path) {
    std::fs::write(
        ws.join("runbooks/update/review-everything.toml"),
        EVERYTHING,
    )
    .unwrap();
    edit(&ws.join("assets/demo-state.json"), |state| {
        for (key, value) in state["values"].as_object_mut().unwrap() {
            // A role share is a 1e18 fraction compared in basis points: one higher is 1e14.
            let one = if key.contains(".roleShare.") {
                10u128.pow(14)
            } else {
                1
            };
            match value {
                Value::Number(n) => *value = json!(n.as_u64().unwrap() + 1),
                Value::String(s) if s.chars().all(|c| c.is_ascii_digit()) => {
                    *value = json!((s.parse::<u128>().unwrap() + one).to_string())
                }
                _ => {}
            }
        }
        state["values"]["FeePool.rewarders"]
            .as_array_mut()
            .unwrap()
            .push(json!("0xDDdDddDdDdddDDddDDddDDDDdDdDDdDDdDDDDDDd"));
        state["values"]["IdentityRegistry.agentProfileURI"] =
            json!("ipfs://bafybeigdyrzt/agents/supply chain profile version one");
    });
    crate::support::workspace::resign_snapshot(&ws.join("assets/demo-state.json"));
    edit(&ws.join("config/identity-registry.demo.json"), |config| {
        config["agentProfiles"] = json!({"0xCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC": {
            "metadataURI": "ipfs://bafybeigdyrzt/agents/supply chain profile version two"
        }});
    });
}

fn open_long_diff(width: u16, height: u16, colour: bool, prepare: fn(&Path)) -> Harness {
    let mut h = Harness::prepared(width, height, colour, prepare);
    h.keys(&[KeyCode::Char('/')])
        .typed("review every")
        .keys(&[Enter, Enter, Enter])
        .key_running_task(KeyCode::Char('x'));
    h
}

/// The row under the cursor: the screen line that starts with `›` inside the step's box.
fn selected_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.trim_start_matches(['"', '│']).starts_with('›'))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_diff_step_shows_a_table_of_changes_under_its_summary_and_fingerprint() {
    let mut h = Harness::new(80, 24);
    let screen = fee_update_diff(&mut h);
    assert!(
        screen.contains("1 change: 1 financial")
            && screen.contains("› ~ [FINANCIAL] FeePool.burnPct")
            && screen.contains("2% → 3%"),
        "{screen}"
    );
    assert!(
        !screen.contains("EnergyOracle"),
        "the step's domains = [\"fees\"] leave the signer change out: {screen}"
    );
    snapshot!("diff_table", screen);
    h.keys(&[Enter]);
    let popup = h.screen();
    assert!(
        popup.contains("Change 1 of 1") && popup.contains("percentages, stakes, rewards"),
        "{popup}"
    );
    snapshot!("diff_change_popup", popup);
    h.keys(&[Esc]);
    assert!(
        h.screen().contains("diff-dry-run"),
        "Esc closes the popup only"
    );
    h.keys(&[KeyCode::Char('c')]);
    assert!(
        h.screen().contains("independent-review"),
        "c completes the diff step and the run moves on"
    );
}

#[test]
fn enter_before_the_diff_is_computed_says_what_to_do() {
    let mut h = Harness::prepared(80, 24, false, long_diff);
    h.keys(&[KeyCode::Char('/')])
        .typed("review every")
        .keys(&[Enter, Enter, Enter, Enter]);
    let screen = h.screen();
    assert!(
        screen.contains("x computes the diff first; c completes the step"),
        "{screen}"
    );
}

/// Moves the cursor to the row of `id` and opens it.
fn open_row(h: &mut Harness, id: &str) -> String {
    h.keys(&[Home]);
    for _ in 0..60 {
        if selected_row(&h.screen()).contains(id) {
            return h.keys(&[Enter]).screen();
        }
        h.keys(&[Down]);
    }
    panic!("no row for {id}");
}

#[test]
fn a_long_diff_scrolls_with_the_cursor_and_every_row_opens() {
    let mut h = open_long_diff(80, 24, false, long_diff);
    let first = h.screen();
    snapshot!("diff_table_long", first);
    assert!(selected_row(&first).contains("[SECURITY]"), "{first}");
    h.keys(&[Down; 14]);
    let scrolled = h.screen();
    snapshot!("diff_table_scrolled", scrolled);
    assert!(scrolled.contains("change 15 of"), "{scrolled}");
    assert_ne!(selected_row(&first), selected_row(&scrolled));
    h.keys(&[End]);
    let last = h.screen();
    assert!(
        selected_row(&last).contains("[COSMETIC]") && last.contains("change 52 of 52"),
        "{last}"
    );
    h.keys(&[PageDown, Up, Home]);
    assert_eq!(selected_row(&h.screen()), selected_row(&first));
    h.keys(&[PageDown]);
    assert!(h.screen().contains("change 11 of"));

    let members = open_row(&mut h, "FeePool.rewarders");
    snapshot!("diff_change_popup_members", members);
    assert!(
        members.contains("removed  - 0xDDdD"),
        "a set's members that went: {members}"
    );
    h.keys(&[Esc]);
    let words = open_row(&mut h, "ProfileURI");
    assert!(
        words.contains("[-one-]{+two+}") && words.contains("none in the catalogue"),
        "a long text's words that changed: {words}"
    );
    snapshot!("diff_change_popup_words", words);
}

#[test]
fn the_diff_table_fits_60x20() {
    let mut h = open_long_diff(60, 20, false, long_diff);
    let screen = h.screen();
    snapshot!("diff_table_60x20", screen);
    assert!(screen.contains("fingerprint "), "{screen}");
    h.keys(&[Down, Down, Enter]);
    snapshot!("diff_change_popup_60x20", h.screen());
}

fn blocked(ws: &Path) {
    long_diff(ws);
    edit(&ws.join("config/fee-pool.demo.json"), |j| {
        j["burnPct"] = json!(101)
    });
}

#[test]
fn a_blocking_guardrail_shows_above_the_table_and_keeps_the_step_open() {
    let mut h = open_long_diff(80, 24, false, blocked);
    let screen = h.screen();
    snapshot!("diff_table_blocked", screen);
    assert!(
        screen.contains("✗ BLOCKED by guardrail burn-pct-range: FeePool.burnPct = 101%"),
        "{screen}"
    );
    h.keys(&[KeyCode::Char('c')]);
    assert!(h.screen().contains("⚠ not yet"), "{}", h.screen());
}

/// One character per cell of the screen: the first letter of its colour (`.` for dark grey,
/// space for none), upper case where the cell is shown reversed (the selected row).
/// Every row but the status bar's, whose snapshot age grows with the date.
fn colour_map(h: &Harness) -> String {
    let buffer = h.terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height - 1)
        .map(|y| {
            (0..area.width)
                .map(|x| {
                    let cell = &buffer[(x, y)];
                    let mark = match cell.fg {
                        Color::Red => 'r',
                        Color::Yellow => 'y',
                        Color::Green => 'g',
                        Color::Cyan => 'c',
                        Color::DarkGray => '.',
                        _ => ' ',
                    };
                    match (cell.modifier.contains(Modifier::REVERSED), mark) {
                        (true, ' ') => '#',
                        (true, mark) => mark.to_ascii_uppercase(),
                        (false, mark) => mark,
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn risk_badges_are_coloured_only_when_colour_is_on_and_always_worded() {
    let mut coloured = open_long_diff(80, 24, true, long_diff);
    let mut plain = open_long_diff(80, 24, false, long_diff);
    let below_title = |screen: String| screen.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(
        below_title(coloured.screen()),
        below_title(plain.screen()),
        "the same words and symbols either way"
    );
    snapshot!("diff_table_colours", colour_map(&coloured));
    snapshot!("diff_table_no_colour", colour_map(&plain));

    let badge_colour = |colour: bool| {
        let mut h = Harness::with_colour(80, 24, colour);
        fee_update_diff(&mut h);
        let buffer = h.terminal.backend().buffer().clone();
        let area = buffer.area;
        (0..area.height)
            .flat_map(|y| (0..area.width).map(move |x| (x, y)))
            .find(|&(x, y)| {
                buffer[(x, y)].symbol() == "["
                    && buffer[(x + 1, y)].symbol() == "F"
                    && buffer[(x + 2, y)].symbol() == "I"
            })
            .map(|(x, y)| buffer[(x, y)].fg)
            .expect("a [FINANCIAL] badge on screen")
    };
    assert_eq!(badge_colour(true), Color::Yellow);
    assert_eq!(badge_colour(false), Color::Reset);
}
