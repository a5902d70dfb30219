use crate::ledger::operators::Operators;
use crate::tui::app::Verification;
use crate::tui::ledger_screen::LedgerScreen;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    screen: &LedgerScreen,
    verification: &Verification,
    operators: &Operators,
    theme: &Theme,
) {
    let [verdict_area, list_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let verdict = match verification {
        Verification::Pending => Line::from(Span::styled(
            "… verifying every hash, the chain, every signature and the checkpoint",
            theme.muted(),
        )),
        Verification::Passed { .. } => Line::from(Span::styled(
            "✓ VERIFIED: hashes, chain, signatures, signers and checkpoint all hold",
            theme.ok(),
        )),
        Verification::Unlisted { entries, .. } => Line::from(Span::styled(
            format!(
                "⚠ {entries} entries signed by an unlisted key; the rest holds. List it in {}: `owner-console keys add-to-operators`",
                Operators::FILE
            ),
            theme.warning(),
        )),
        Verification::Failed(finding) => Line::from(Span::styled(
            format!("✗ VERIFY FAILED: {finding}"),
            theme.danger(),
        )),
    };
    frame.render_widget(
        Paragraph::new(verdict).wrap(Wrap { trim: true }),
        verdict_area,
    );
    let items: Vec<ListItem> = screen
        .visible()
        .into_iter()
        .map(|entry| {
            let who = match operators.by_address(&entry.signer) {
                Some(operator) => Span::raw(operator.name.clone()),
                None => Span::styled(
                    format!("⚠ unlisted {}…", &entry.signer[..entry.signer.len().min(8)]),
                    theme.warning(),
                ),
            };
            let time = entry
                .time
                .get(5..16)
                .unwrap_or(&entry.time)
                .replace('T', " ");
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:>5} ", entry.seq), theme.muted()),
                Span::raw(format!("{time} {:<18} ", entry.event.type_name())),
                who,
            ]))
        })
        .collect();
    let title = match &screen.run {
        Some(run) => format!(" Ledger: run {run} (t: all) "),
        None => " Ledger: all entries (t: this run) ".to_owned(),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    if items.is_empty() {
        let empty = match &screen.run {
            Some(_) => "No entries for this run yet (t: all entries).",
            None => "No entries yet: every step you record appears here, signed with your key.",
        };
        frame.render_widget(
            Paragraph::new(Span::styled(empty, theme.muted()))
                .wrap(Wrap { trim: true })
                .block(block),
            list_area,
        );
        return;
    }
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.selected())
        .highlight_symbol("›");
    let mut state = ListState::default().with_selected(Some(screen.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
}
