//! `report`: the metrics of every change, from the ledger, as text, JSON or Markdown.

use super::output::print_json;
use super::output::{errln, out};
use crate::metrics::{Durations, Options, Overdue, Report, human, parse_since, percent};
use crate::session::Session;
use jiff::Timestamp;
use std::fmt::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Only runs started on or after this day (YYYY-MM-DD, from midnight UTC) or time
    /// (RFC 3339). Overdue runbooks are judged on the whole ledger.
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Timestamp>,
    /// Machine-readable, durations in seconds.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Tables for a postmortem or continuous-improvement document.
    #[arg(long)]
    pub markdown: bool,
}

pub fn run(session: &Session, args: &ReportArgs) -> color_eyre::Result<ExitCode> {
    let ledger = session.ledger();
    let contents = session.trusted_entries()?;
    for damage in &contents.damage {
        errln!(
            "warning: {}:{}: left out: {}",
            ledger.path().display(),
            damage.line,
            damage.why
        );
    }
    for run in &contents.left_out {
        errln!("warning: left out: {run}");
    }
    let options = Options {
        since: args.since,
        now: Timestamp::now(),
    };
    let report = Report::build(&contents.entries, &session.runbooks, options);
    for problem in &report.problems {
        errln!("warning: {problem}");
    }
    if args.json {
        print_json(&report)?;
    } else if args.markdown {
        out!("{}", markdown(&report));
    } else {
        out!("{}", text(&report));
    }
    Ok(ExitCode::SUCCESS)
}

fn day(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

fn minute(time: &str) -> String {
    time.get(..16).unwrap_or(time).replace('T', " ")
}

fn scope(report: &Report) -> String {
    match &report.since {
        Some(since) if since.ends_with("T00:00:00Z") => format!("since {}", day(since)),
        Some(since) => format!("since {}", minute(since)),
        None => "in the whole ledger".to_owned(),
    }
}

fn secs(value: Option<u64>) -> String {
    value.map_or_else(|| "—".to_owned(), human)
}

fn mean_median(durations: &Durations) -> String {
    match (durations.mean_secs, durations.median_secs) {
        (None, None) => "—".to_owned(),
        (mean, median) => format!("{} / {}", secs(mean), secs(median)),
    }
}

fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

fn rate_line(report: &Report) -> String {
    let totals = &report.totals;
    match totals.rollback_rate {
        Some(rate) => format!(
            "{} rollback(s) / {} completed update run(s) = {}",
            totals.rollbacks,
            totals.completed_updates,
            percent(rate)
        ),
        None => format!(
            "{} rollback(s), no completed update run: no rate",
            totals.rollbacks
        ),
    }
}

fn drills_line(report: &Report) -> String {
    let totals = &report.totals;
    let last = match &totals.last_drill {
        Some(last) => format!("last on {}", day(last)),
        None => "none yet".to_owned(),
    };
    format!(
        "{}, {last}; time to execute {}",
        totals.drills,
        mean_median(&totals.drill_time_to_execute)
    )
}

fn overdue_detail(o: &Overdue) -> String {
    let by = match &o.cadence_met_by {
        Some(runbook) => format!(" (a drill of {runbook})"),
        None => String::new(),
    };
    match (&o.cadence_met, &o.due) {
        (Some(last), Some(due)) => {
            format!("last met {}{by}, due {}", day(last), day(due))
        }
        _ => "never completed".to_owned(),
    }
}

/// Two tables of at most 80 columns, then the rates, drills and overdue runbooks.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let totals = &report.totals;
    let _ = writeln!(
        out,
        "{} run(s) started {}; as of {} UTC\n",
        totals.runs,
        scope(report),
        minute(&report.now)
    );
    let _ = writeln!(
        out,
        "{:<24} {:<9} {:>4} {:>4} {:>5} {:>4} {:>8} {:>8} {:>5}",
        "runbook", "kind", "runs", "done", "abort", "open", "rollback", "incident", "drill"
    );
    let counts = |out: &mut String, name: &str, kind: &str, c: [usize; 7]| {
        let _ = writeln!(
            out,
            "{:<24} {:<9} {:>4} {:>4} {:>5} {:>4} {:>8} {:>8} {:>5}",
            fit(name, 24),
            kind,
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            c[6]
        );
    };
    for m in &report.runbooks {
        let kind = m.kind.map_or("?", |k| k.name());
        let c = [
            m.runs,
            m.completed,
            m.aborted,
            m.unfinished,
            m.rollbacks,
            m.emergencies,
            m.drills,
        ];
        counts(&mut out, &m.runbook, kind, c);
    }
    let c = [
        totals.runs,
        totals.completed,
        totals.aborted,
        totals.unfinished,
        totals.rollbacks,
        totals.emergencies,
        totals.drills,
    ];
    counts(&mut out, "total", "", c);
    let heads = [
        ["", "execute (for real)", "waiting for sign-off", "last"],
        ["runbook", "mean / median", "mean / median", "drill"],
    ];
    out.push('\n');
    for [a, b, c, d] in heads {
        let _ = writeln!(out, "{a:<24} {b:<19} {c:<22} {d}");
    }
    for m in &report.runbooks {
        let _ = writeln!(
            out,
            "{:<24} {:<19} {:<22} {}",
            fit(&m.runbook, 24),
            mean_median(&m.time_to_execute),
            mean_median(&m.signoff_wait),
            m.last_drill.as_deref().map_or("—", day)
        );
    }
    let _ = writeln!(
        out,
        "{:<24} {:<19} {:<22} {}",
        "total",
        mean_median(&totals.time_to_execute),
        mean_median(&totals.signoff_wait),
        totals.last_drill.as_deref().map_or("—", day)
    );
    let _ = writeln!(out, "\nRollback rate: {}", rate_line(report));
    let _ = writeln!(out, "Emergencies (incidents): {}", totals.emergencies);
    let _ = writeln!(out, "Drills: {}", drills_line(report));
    if report.overdue.is_empty() {
        let _ = writeln!(out, "Overdue: none");
    } else {
        let _ = writeln!(
            out,
            "Overdue (due one `cadence` after the last completed run):"
        );
        for o in &report.overdue {
            let _ = writeln!(
                out,
                "  OVERDUE {} ({}): {}",
                o.runbook,
                o.cadence.name(),
                overdue_detail(o)
            );
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// A table per runbook and a summary list, for a postmortem or continuous-improvement doc.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let totals = &report.totals;
    let _ = writeln!(out, "## Change metrics\n");
    let _ = writeln!(
        out,
        "{} run(s) started {}, as of {} UTC.\n",
        totals.runs,
        scope(report),
        minute(&report.now)
    );
    let _ = writeln!(
        out,
        "| Runbook | Kind | Runs | Completed | Aborted | Unfinished | Time to execute (mean / median) | Waiting for sign-off (mean / median) | Rollbacks | Emergencies | Drills | Last drill | Overdue |"
    );
    let _ = writeln!(
        out,
        "|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|---|"
    );
    for m in &report.runbooks {
        let overdue = match (m.cadence_days, m.overdue) {
            (Some(_), true) => "**yes**",
            (Some(_), false) => "no",
            (None, _) => "—",
        };
        let _ = writeln!(
            out,
            "| `{}` {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.runbook,
            cell(&m.title),
            m.kind.map_or("?", |k| k.name()),
            m.runs,
            m.completed,
            m.aborted,
            m.unfinished,
            mean_median(&m.time_to_execute),
            mean_median(&m.signoff_wait),
            m.rollbacks,
            m.emergencies,
            m.drills,
            m.last_drill.as_deref().map_or("—", day),
            overdue
        );
    }
    let _ = writeln!(
        out,
        "| **Total** | | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        totals.runs,
        totals.completed,
        totals.aborted,
        totals.unfinished,
        mean_median(&totals.time_to_execute),
        mean_median(&totals.signoff_wait),
        totals.rollbacks,
        totals.emergencies,
        totals.drills,
        totals.last_drill.as_deref().map_or("—", day),
        totals.overdue
    );
    let _ = writeln!(out, "\n- Rollback rate: {}", rate_line(report));
    let _ = writeln!(out, "- Emergencies (incidents): {}", totals.emergencies);
    let _ = writeln!(out, "- Drills: {}", drills_line(report));
    if report.overdue.is_empty() {
        let _ = writeln!(out, "- Overdue: none");
    }
    for o in &report.overdue {
        let _ = writeln!(
            out,
            "- Overdue: `{}` (every {} days): {}",
            o.runbook,
            o.cadence_days,
            overdue_detail(o)
        );
    }
    out
}
