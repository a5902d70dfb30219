//! The status bar: the network and how its state is read, the ledger's verification, who
//! signs, the block shown and the workspace; most important first, and only what fits.

use crate::session::Session;
use crate::tui::app::Verification;
use crate::tui::live::Freshness;
use crate::tui::network::NetworkState;
use crate::tui::run_listing::RunList;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn line(
    session: &Session,
    network: &NetworkState,
    (verification, runs): (&Verification, &RunList),
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let segments = [
        mode_segment(session, network, theme),
        ledger_segment(verification, runs, theme),
        operator_segment(session, theme),
        block_segment(network, theme),
        Span::styled(workspace_name(session), theme.muted()),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    for segment in segments {
        let cost = segment.content.chars().count() + 3;
        if used + cost > width {
            break;
        }
        used += cost;
        spans.push(Span::raw(if spans.is_empty() { " " } else { " · " }));
        spans.push(segment);
    }
    Line::from(spans)
}

fn ledger_segment(verification: &Verification, runs: &RunList, theme: &Theme) -> Span<'static> {
    match verification {
        _ if !runs.damage.is_empty() => Span::styled(
            format!("ledger ⚠ {} bad line(s)", runs.damage.len()),
            theme.danger(),
        ),
        Verification::Pending => {
            Span::styled(format!("ledger {} verifying…", runs.entries), theme.muted())
        }
        Verification::Passed { entries } => {
            Span::styled(format!("ledger ✓{entries} verified"), theme.ok())
        }
        Verification::Unlisted { entries, .. } => Span::styled(
            format!("ledger ⚠{entries} signed by an unlisted key (l)"),
            theme.warning(),
        ),
        Verification::Failed(_) => Span::styled("ledger ✗ FAILED (l)", theme.danger()),
    }
}

/// The block the state shown was read at: the live reading's, or the snapshot's.
fn block_segment(network: &NetworkState, theme: &Theme) -> Span<'static> {
    if let Some(live) = &network.live {
        return match &live.last {
            Some(state) => Span::styled(
                format!(
                    "#{} ({}s old)",
                    state.block.number,
                    state.block.age_secs(jiff::Timestamp::now())
                ),
                theme.muted(),
            ),
            None => Span::styled("no block yet", theme.muted()),
        };
    }
    match &network.snapshot {
        Some(Ok(snapshot)) => {
            let age = snapshot.age_shown();
            Span::styled(
                format!("#{} ({age} old)", snapshot.block.number),
                theme.muted(),
            )
        }
        Some(Err(_)) => Span::styled("snapshot unreadable", theme.danger()),
        None => Span::styled("no snapshot", theme.muted()),
    }
}

fn workspace_name(session: &Session) -> String {
    match &session.workspace.source {
        crate::workspace::Source::Embedded => "embedded".to_owned(),
        crate::workspace::Source::Folder(path) => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The network, and whether its state is read offline, live or from a drill's sandbox, and
/// how fresh it is.
fn mode_segment(session: &Session, network: &NetworkState, theme: &Theme) -> Span<'static> {
    let name = &network.name;
    let chain = session
        .networks
        .get(name)
        .map(|n| format!(" {}", n.chain_id))
        .unwrap_or_default();
    let Some(live) = &network.live else {
        return Span::styled(format!("{name}{chain} offline"), theme.bold());
    };
    let source = if live.drill { "drill" } else { "live" };
    match live.freshness(std::time::Instant::now()) {
        Freshness::Fresh { read_secs } => {
            Span::styled(format!("{name}{chain} ✓ {source} {read_secs}s"), theme.ok())
        }
        Freshness::Waiting { secs } => {
            Span::styled(format!("{name}{chain} … {source} {secs}s"), theme.warning())
        }
        Freshness::Stale { why, .. } if why.contains("WRONG CHAIN") => {
            Span::styled(format!("{name}{chain} ✗ WRONG CHAIN"), theme.danger())
        }
        Freshness::Stale { since_secs, .. } => Span::styled(
            format!(
                "{name}{chain} ✗ STALE {}",
                since_secs.map_or("no read".to_owned(), |s| format!("{s}s"))
            ),
            theme.danger(),
        ),
    }
}

/// Who signs: the operator's name, a shortened unlisted address, or read-only.
fn operator_segment(session: &Session, theme: &Theme) -> Span<'static> {
    if !session.is_unlocked() {
        return Span::styled("🔒 read-only (no key)", theme.danger());
    }
    match session.operator.strip_prefix("unlisted 0x") {
        Some(hex) if hex.len() == 40 => Span::styled(
            format!("unlisted 0x{}…{}", &hex[..4], &hex[36..]),
            theme.warning(),
        ),
        _ => Span::raw(session.operator.clone()),
    }
}
