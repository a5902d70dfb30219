//! The offline state panel (`i`) shows what the network's snapshot holds: the Safe's owners
//! and threshold, the signer by operator name (or why the snapshot is refused as a state
//! source), and its age against the network's limit.

use crate::support::tui::Harness;
use crossterm::event::KeyCode::Char;

fn panel(prepare: impl FnOnce(&std::path::Path)) -> String {
    let mut h = Harness::prepared(80, 40, false, prepare);
    h.keys(&[Char('i')]);
    h.screen()
}

#[test]
fn the_offline_panel_shows_the_snapshots_safe_signer_and_age_limit() {
    let shown = panel(|_| {});
    for words in [
        "✓ signed by example-operator",
        "Safe: 2 of 3 owners must sign",
        "0xa11ce00000000000000000000000000000000001",
        "no age limit for this network",
    ] {
        assert!(shown.contains(words), "{words:?} not in\n{shown}");
    }
    assert!(!shown.contains("not read"), "{shown}");
}

#[test]
fn an_over_age_snapshot_is_said_with_the_limit_and_an_unlisted_signer_refused() {
    let stale = panel(|ws| {
        let file = ws.join("config/networks.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        let limited = text.replacen(
            "safe = \"0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE\"\n",
            "safe = \"0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE\"\n\n[networks.demo.reads]\nmax_state_age_secs = 3600\n",
            1,
        );
        assert_ne!(limited, text);
        std::fs::write(&file, limited).unwrap();
    });
    assert!(
        stale.contains("✗ STALE STATE") && stale.contains("limit of 1h"),
        "{stale}"
    );

    let unlisted = panel(|ws| {
        std::fs::write(ws.join("config/operators.toml"), "").unwrap();
    });
    assert!(
        unlisted.contains("✗ REFUSED as a state source") && unlisted.contains("who is not in"),
        "{unlisted}"
    );
}
