//! The diff as lines of tagged text: the CLI paints the tags as colours (or not), the TUI as
//! styles. Every line carries symbols and words, so nothing rests on colour alone.

use super::{ChangeKind, Diff};
use crate::catalogue::risk::RiskClass;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Plain,
    Bold,
    Risk(RiskClass),
    Violation,
    Muted,
    /// Words a long text loses (shown `[-like this-]`).
    Removed,
    /// Words a long text gains (shown `{+like this+}`).
    Inserted,
}

pub type Segment = (Tag, String);

pub fn lines(diff: &Diff, against: &str) -> Vec<Vec<Segment>> {
    let mut out = vec![
        vec![(
            Tag::Bold,
            format!("Proposed {} config against {against}", diff.network),
        )],
        vec![(Tag::Bold, diff.summary())],
    ];
    for note in &diff.notes {
        out.push(vec![(Tag::Muted, format!("note: {note}"))]);
    }
    for change in &diff.changes {
        let mut line = vec![
            (Tag::Plain, format!("{} ", change.kind.symbol())),
            (
                Tag::Risk(change.risk),
                format!("{:<12}", change.risk.badge()),
            ),
            (Tag::Plain, format!("{} ", change.id)),
        ];
        match change.kind {
            ChangeKind::Changed if !change.added.is_empty() || !change.removed.is_empty() => {
                for member in &change.added {
                    line.push((Tag::Plain, format!(" +{}", change.member_shown(member))));
                }
                for member in &change.removed {
                    line.push((Tag::Plain, format!(" -{}", change.member_shown(member))));
                }
            }
            ChangeKind::Changed if !change.inline.is_empty() => {
                for (mark, text) in &change.inline {
                    match mark {
                        '-' => line.push((Tag::Removed, format!("[-{text}-]"))),
                        '+' => line.push((Tag::Inserted, format!("{{+{text}+}}"))),
                        _ => line.push((Tag::Plain, text.clone())),
                    }
                }
            }
            ChangeKind::Changed => line.push((
                Tag::Plain,
                format!(
                    "{} → {}",
                    change.before.as_deref().unwrap_or("?"),
                    change.after.as_deref().unwrap_or("?")
                ),
            )),
            ChangeKind::Added => line.push((
                Tag::Plain,
                format!("(new) {}", change.after.as_deref().unwrap_or("?")),
            )),
            ChangeKind::Removed => line.push((
                Tag::Plain,
                format!("(removed) was {}", change.before.as_deref().unwrap_or("?")),
            )),
        }
        out.push(line);
    }
    for finding in &diff.guardrails {
        let v = &finding.violation;
        let tag = if finding.blocking {
            Tag::Violation
        } else {
            Tag::Muted
        };
        let headline = finding.headline("already broken, not touched by this change:");
        out.push(vec![
            (tag, format!("{headline}: {}", v.found)),
            (Tag::Plain, format!(" — valid: {}", v.valid)),
        ]);
    }
    let mut left_out: Vec<(&str, Vec<String>)> = Vec::new();
    for left in diff.incomplete() {
        let named = format!("{} = {}", left.id, left.proposed);
        match left_out.iter_mut().find(|(why, _)| *why == left.why) {
            Some((_, names)) => names.push(named),
            None => left_out.push((&left.why, vec![named])),
        }
    }
    if !left_out.is_empty() {
        out.push(vec![(
            Tag::Violation,
            format!(
                "⚠ INCOMPLETE: {} proposed value(s) not compared with the current state:",
                diff.incomplete().count()
            ),
        )]);
        for (why, names) in left_out {
            out.push(vec![
                (Tag::Plain, format!("  {why}: ")),
                (Tag::Bold, names.join(", ")),
            ]);
        }
    }
    if !diff.options.is_empty() {
        out.push(vec![(
            Tag::Muted,
            format!(
                "planning options (not contract state, never read from chain): {}",
                diff.options.join(", ")
            ),
        )]);
    }
    out.push(vec![(
        Tag::Muted,
        format!("fingerprint {}", diff.fingerprint),
    )]);
    out
}
