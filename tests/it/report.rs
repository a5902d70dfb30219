//! `report` on a ledger with known runs gives known figures: the metrics module on its own,
//! and the real binary's `--json`, text and `--markdown` forms and its `--since` checks.

use crate::support::cli::{Home, json, text};
use crate::support::ledger::{DAY, Writer, known_runs, time};
use crate::support::workspace::shipped_workspace;
use jiff::Timestamp;
use owner_console::engine::{Event, Mode};
use owner_console::metrics::{Options, Report, parse_since};
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::path::Path;

fn now() -> Timestamp {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

fn build(workspace: &Path, since: Option<&str>, now: Timestamp) -> Report {
    let session = Session::open(Workspace::folder(workspace), "tester".into()).unwrap();
    let entries = session.ledger().read().unwrap().entries;
    let since = since.map(|s| parse_since(s).unwrap());
    Report::build(&entries, &session.runbooks, Options { since, now })
}

fn row<'a>(report: &'a Report, runbook: &str) -> &'a owner_console::metrics::RunbookMetrics {
    report
        .runbooks
        .iter()
        .find(|m| m.runbook == runbook)
        .unwrap_or_else(|| panic!("no row for {runbook}"))
}

#[test]
fn known_runs_give_known_figures() {
    let ws = shipped_workspace();
    known_runs(ws.path(), now().as_second());
    let report = build(ws.path(), None, now());
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    let fee = row(&report, "fee-update");
    assert_eq!(
        (fee.runs, fee.completed, fee.aborted, fee.unfinished),
        (5, 3, 1, 1)
    );
    // 3000 s, 4200 s and 1441 s: mean 2880.3 s, median 3000 s.
    let execute = &fee.time_to_execute;
    assert_eq!(
        (execute.count, execute.mean_secs, execute.median_secs),
        (3, Some(2880), Some(3000))
    );
    // 30, 10, 5 and 20 minutes at the sign-off step (the aborted run never reached it).
    let wait = &fee.signoff_wait;
    assert_eq!(
        (wait.count, wait.mean_secs, wait.median_secs),
        (4, Some(975), Some(900))
    );
    assert_eq!((fee.rollbacks, fee.emergencies, fee.drills), (0, 0, 0));
    assert_eq!((fee.cadence_days, fee.overdue), (None, false));

    let matrix = row(&report, "failure-recovery-matrix");
    assert_eq!((matrix.runs, matrix.completed), (2, 2));
    assert_eq!(
        (matrix.rollbacks, matrix.emergencies, matrix.drills),
        (1, 1, 1),
        "the drill is neither a rollback nor an incident"
    );
    assert_eq!(matrix.last_drill.as_deref(), Some("2026-11-20T12:00:00Z"));
    // The drill took 900 s, the run for real 2400 s: each counts on its own side.
    assert_eq!(matrix.time_to_execute.median_secs, Some(2400));
    assert_eq!(matrix.drill_time_to_execute.median_secs, Some(900));

    let restore = row(&report, "restore-config-snapshot");
    assert_eq!((restore.runs, restore.rollbacks), (1, 1));
    let pause = row(&report, "pause-job-intake");
    assert_eq!((pause.aborted, pause.emergencies), (1, 1));
    assert_eq!(pause.signoff_wait.count, 0);
    let unpause = row(&report, "unpause-job-intake");
    assert_eq!((unpause.runs, unpause.overdue), (0, false));

    let drill = row(&report, "quarterly-incident-drill");
    assert_eq!(drill.cadence_days, Some(92));
    assert_eq!(
        drill.last_completed.as_deref(),
        Some("2026-08-15T12:30:00Z")
    );
    // Its own last run is overdue, and the failure-recovery matrix's drill (which its
    // `cadence_met_by` names) met the cadence since.
    assert_eq!(drill.cadence_met.as_deref(), Some("2026-11-20T12:15:00Z"));
    assert_eq!(
        drill.cadence_met_by.as_deref(),
        Some("failure-recovery-matrix")
    );
    assert_eq!(drill.due.as_deref(), Some("2027-02-20T12:15:00Z"));
    assert!(!drill.overdue);

    let totals = &report.totals;
    assert_eq!(
        (
            totals.runs,
            totals.completed,
            totals.aborted,
            totals.unfinished
        ),
        (10, 7, 2, 1)
    );
    // For real 600, 1441, 2400, 3000, 4200: mean 2328.2 s; the drills 900 and 1800 apart.
    assert_eq!(
        (
            totals.time_to_execute.mean_secs,
            totals.time_to_execute.median_secs
        ),
        (Some(2328), Some(2400))
    );
    assert_eq!(
        (
            totals.drill_time_to_execute.mean_secs,
            totals.drill_time_to_execute.median_secs
        ),
        (Some(1350), Some(1350))
    );
    assert_eq!((totals.rollbacks, totals.completed_updates), (2, 3));
    let rate = totals.rollback_rate.unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-12, "{rate}");
    assert_eq!((totals.emergencies, totals.drills), (2, 2));
    assert_eq!(totals.last_drill.as_deref(), Some("2026-11-20T12:00:00Z"));
    assert_eq!(totals.overdue, 1);
    let overdue: Vec<_> = report.overdue.iter().map(|o| o.runbook.as_str()).collect();
    assert_eq!(overdue, ["security-hardening-review"]);
    let by_kind = report.runs_by_kind();
    let drill_bar = by_kind
        .iter()
        .find(|(kind, _)| *kind == owner_console::runbook::RunbookKind::Drill)
        .map(|(_, runs)| *runs);
    assert_eq!(
        drill_bar,
        Some(totals.drills),
        "the chart counts every drill run as a drill, as the totals do"
    );
}

#[test]
fn since_counts_later_runs_only_and_overdue_still_reads_the_whole_ledger() {
    let ws = shipped_workspace();
    known_runs(ws.path(), now().as_second());
    let report = build(ws.path(), Some("2026-10-19"), now());
    assert_eq!(report.since.as_deref(), Some("2026-10-19T00:00:00Z"));
    let fee = row(&report, "fee-update");
    assert_eq!((fee.runs, fee.completed), (4, 2));
    // 4200 s and 1441 s: both mean and median 2820.5 s, rounded up.
    assert_eq!(
        (
            fee.time_to_execute.mean_secs,
            fee.time_to_execute.median_secs
        ),
        (Some(2821), Some(2821))
    );
    assert_eq!(
        (fee.signoff_wait.mean_secs, fee.signoff_wait.median_secs),
        (Some(700), Some(600))
    );
    let totals = &report.totals;
    assert_eq!((totals.runs, totals.completed, totals.drills), (8, 5, 1));
    assert_eq!((totals.rollbacks, totals.completed_updates), (2, 2));
    assert_eq!(totals.rollback_rate, Some(1.0));
    let drill = row(&report, "quarterly-incident-drill");
    assert_eq!(
        (drill.runs, drill.overdue),
        (0, false),
        "met by the matrix's drill"
    );

    let at = build(ws.path(), Some("2026-10-24T12:00:00Z"), now());
    assert_eq!(at.totals.runs, 8, "a run started at the very time counts");
    let after = build(ws.path(), Some("2026-10-24T12:00:01Z"), now());
    assert_eq!(after.totals.runs, 7);
}

#[test]
fn overdue_is_measured_against_the_given_now() {
    let ws = shipped_workspace();
    known_runs(ws.path(), now().as_second());
    let earlier: Timestamp = "2026-10-24T12:00:00Z".parse().unwrap();
    let report = build(ws.path(), None, earlier);
    let drill = row(&report, "quarterly-incident-drill");
    assert_eq!(drill.due.as_deref(), Some("2026-11-15T12:30:00Z"));
    assert!(!drill.overdue);
    let overdue: Vec<_> = report.overdue.iter().map(|o| o.runbook.as_str()).collect();
    assert_eq!(
        overdue,
        ["security-hardening-review"],
        "never run, so always overdue"
    );
}

/// The runbook's `cadence` field, not its name, says when it is due: fee-update given a
/// monthly cadence is due 31 days after its last completed run; a cadence that is not one of
/// the names is refused by file, line and field.
#[test]
fn a_runbooks_cadence_field_sets_when_it_is_due() {
    let ws = shipped_workspace();
    known_runs(ws.path(), now().as_second());
    let file = ws.path().join("runbooks/update/fee-update.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let with = |cadence: &str| {
        let given = original.replacen(
            "\n[[inputs]]",
            &format!("cadence = \"{cadence}\"\n\n[[inputs]]"),
            1,
        );
        assert_ne!(given, original, "the cadence is written into the runbook");
        std::fs::write(&file, given).unwrap();
    };
    with("monthly");
    let report = build(ws.path(), None, now());
    let fee = row(&report, "fee-update");
    assert_eq!(fee.cadence_days, Some(31));
    let last: Timestamp = fee.last_completed.as_deref().unwrap().parse().unwrap();
    let due: Timestamp = fee.due.as_deref().unwrap().parse().unwrap();
    assert_eq!(due.as_second() - last.as_second(), 31 * DAY);
    assert_eq!(fee.overdue, now() > due);
    let late = build(
        ws.path(),
        None,
        due.checked_add(jiff::SignedDuration::from_secs(1)).unwrap(),
    );
    assert!(row(&late, "fee-update").overdue);
    let on_time = build(ws.path(), None, due);
    assert!(!row(&on_time, "fee-update").overdue);

    with("fortnightly");
    let home = Home::empty();
    let refused = home.cli(ws.path(), &["validate"]);
    let (_, err) = text(&refused);
    assert!(!refused.status.success());
    assert!(
        err.contains("fee-update.toml:")
            && err.contains("`cadence`")
            && err.contains("`fortnightly` is not allowed")
            && err.contains("weekly, monthly, quarterly, half-yearly, yearly"),
        "{err}"
    );
}

#[test]
fn an_empty_ledger_has_no_figures_and_quarterly_runbooks_never_run_are_overdue() {
    let ws = shipped_workspace();
    let report = build(ws.path(), None, now());
    assert_eq!(report.totals.runs, 0);
    assert_eq!(report.totals.time_to_execute.mean_secs, None);
    assert_eq!(report.totals.rollback_rate, None);
    assert_eq!(
        report.runbooks.len(),
        shipped_runbooks(ws.path()),
        "every runbook of the workspace"
    );
    let overdue = &report.overdue;
    assert_eq!(overdue.len(), 2, "both quarterly runbooks, never run");
    assert_eq!(
        (overdue[0].last_completed.as_ref(), overdue[0].due.as_ref()),
        (None, None)
    );
}

#[test]
fn runs_with_unreadable_times_or_gone_runbooks_are_said() {
    let ws = shipped_workspace();
    let w = Writer::new(ws.path());
    w.start("r-ok", "fee-update", Mode::Offline, now().as_second() - DAY);
    w.start(
        "r-bad",
        "restore-config-snapshot",
        Mode::Offline,
        now().as_second() - DAY,
    );
    let (ledger, key) = (w.session.ledger(), &w.key);
    ledger
        .append("r-bad", "yesterday", vec![Event::RunCompleted {}], key)
        .unwrap();
    let text = std::fs::read_to_string(ws.path().join("runbooks/update/fee-update.toml")).unwrap();
    std::fs::write(
        ws.path().join("runbooks/update/fee-update.toml"),
        text.replace("id = \"fee-update\"", "id = \"fee-update-v2\""),
    )
    .unwrap();
    let report = build(ws.path(), None, now());
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert!(
        problem.contains("r-bad") && problem.contains("`yesterday`"),
        "{problem}"
    );
    assert_eq!(row(&report, "restore-config-snapshot").runs, 0);
    let gone = row(&report, "fee-update");
    assert_eq!((gone.runs, gone.kind), (1, None));
    assert_eq!(
        report.runbooks.last().map(|m| m.runbook.as_str()),
        Some("fee-update")
    );
}

/// The real binary, over a ledger of the same runs around the real time.
struct Binary {
    home: Home,
    ws: tempfile::TempDir,
    base: i64,
}

impl Binary {
    fn new() -> Self {
        let ws = shipped_workspace();
        let base = Timestamp::now().as_second();
        known_runs(ws.path(), base);
        Self {
            home: Home::empty(),
            ws,
            base,
        }
    }

    fn report(&self, args: &[&str]) -> std::process::Output {
        let mut full = vec!["report"];
        full.extend_from_slice(args);
        self.home.cli(self.ws.path(), &full)
    }

    fn day(&self, days_ago: i64) -> String {
        time(self.base - days_ago * DAY)[..10].to_owned()
    }
}

#[test]
fn report_json_gives_the_same_figures() {
    let bin = Binary::new();
    let out = bin.report(&["--json"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let report = json(&out);
    let fee = report["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["runbook"] == "fee-update")
        .unwrap();
    assert_eq!(fee["runs"], 5);
    assert_eq!(fee["completed"], 3);
    assert_eq!(fee["aborted"], 1);
    assert_eq!(fee["unfinished"], 1);
    assert_eq!(fee["kind"], "update");
    assert_eq!(fee["time_to_execute"]["mean_secs"], 2880);
    assert_eq!(fee["time_to_execute"]["median_secs"], 3000);
    assert_eq!(fee["signoff_wait"]["count"], 4);
    assert_eq!(fee["signoff_wait"]["mean_secs"], 975);
    assert_eq!(fee["signoff_wait"]["median_secs"], 900);
    let totals = &report["totals"];
    assert_eq!(totals["runs"], 10);
    assert_eq!(totals["aborted"], 2);
    assert_eq!(totals["rollbacks"], 2);
    assert_eq!(totals["completed_updates"], 3);
    let rate = totals["rollback_rate"].as_f64().unwrap();
    assert!((rate - 2.0 / 3.0).abs() < 1e-12, "{rate}");
    assert_eq!(totals["emergencies"], 2);
    assert_eq!(totals["drills"], 2);
    assert_eq!(totals["last_drill"], time(bin.base - 3 * DAY));
    assert_eq!(totals["time_to_execute"]["mean_secs"], 2328);
    assert_eq!(totals["drill_time_to_execute"]["mean_secs"], 1350);
    let overdue = report["overdue"].as_array().unwrap();
    let review = overdue
        .iter()
        .find(|o| o["runbook"] == "security-hardening-review")
        .unwrap();
    assert_eq!(review["cadence_days"], 92);
    assert_eq!(overdue.len(), 1);
    assert_eq!(report["since"], serde_json::Value::Null);
}

#[test]
fn report_text_fits_80_columns_and_says_the_figures() {
    let bin = Binary::new();
    let out = bin.report(&[]);
    assert!(out.status.success(), "{:?}", text(&out));
    let (stdout, stderr) = text(&out);
    assert!(stderr.is_empty(), "{stderr}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    let fee_lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("fee-update "))
        .collect();
    assert_eq!(fee_lines.len(), 2, "{stdout}");
    let counts: Vec<&str> = fee_lines[0].split_whitespace().collect();
    assert_eq!(
        counts,
        ["fee-update", "update", "5", "3", "1", "1", "0", "0", "0"]
    );
    assert!(
        fee_lines[1].contains("48m / 50m") && fee_lines[1].contains("16m 15s / 15m"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Rollback rate: 2 rollback(s) / 3 completed update run(s) = 66.7%"),
        "{stdout}"
    );
    assert!(stdout.contains("Emergencies (incidents): 2"), "{stdout}");
    assert!(
        stdout.contains(&format!("Drills: 2, last on {}", bin.day(3))),
        "{stdout}"
    );
    assert!(
        stdout.contains("OVERDUE security-hardening-review (quarterly): never completed"),
        "{stdout}"
    );
}

#[test]
fn report_markdown_is_a_table_for_a_postmortem() {
    let bin = Binary::new();
    let out = bin.report(&["--markdown", "--since", &bin.day(35)]);
    assert!(out.status.success(), "{:?}", text(&out));
    let stdout = text(&out).0;
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "## Change metrics", "{stdout}");
    assert!(
        lines[2].starts_with(&format!("8 run(s) started since {}", bin.day(35))),
        "{stdout}"
    );
    let table: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        table.len(),
        2 + shipped_runbooks(bin.ws.path()) + 1,
        "header, rule, a row per runbook, total: {stdout}"
    );
    let columns = table[0].matches('|').count();
    assert!(
        table.iter().all(|l| l.matches('|').count() == columns),
        "{stdout}"
    );
    assert!(table[1].starts_with("|---|---|---:|"), "{stdout}");
    let fee = table
        .iter()
        .find(|l| l.starts_with("| `fee-update`"))
        .unwrap();
    assert!(
        fee.contains("| update | 4 | 2 | 1 | 1 | 47m 1s / 47m 1s | 11m 40s / 10m |"),
        "{fee}"
    );
    assert!(
        table
            .last()
            .unwrap()
            .starts_with("| **Total** | | 8 | 5 | 2 | 1 |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- Rollback rate: 2 rollback(s) / 2 completed update run(s) = 100%"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- Overdue: `security-hardening-review` (every 92 days)"),
        "{stdout}"
    );
}

#[test]
fn a_bad_since_is_refused_naming_the_flag_and_the_value() {
    let bin = Binary::new();
    for bad in ["yesterday", "2026-02-30", "23/11/2026"] {
        let out = bin.report(&["--since", bad]);
        assert!(!out.status.success(), "{bad}");
        let stderr = text(&out).1;
        assert!(
            stderr.contains("--since") && stderr.contains(bad) && stderr.contains("YYYY-MM-DD"),
            "{stderr}"
        );
        assert!(text(&out).0.is_empty());
    }
    let rfc = bin.report(&["--json", "--since", &time(bin.base - 35 * DAY)]);
    assert!(rfc.status.success(), "{:?}", text(&rfc));
    assert_eq!(json(&rfc)["totals"]["runs"], 8);
    let both = bin.report(&["--json", "--markdown"]);
    assert!(!both.status.success());
}

/// How many runbooks the shipped workspace holds.
fn shipped_runbooks(workspace: &std::path::Path) -> usize {
    std::fs::read_dir(workspace.join("runbooks"))
        .unwrap()
        .flat_map(|kind| std::fs::read_dir(kind.unwrap().path()).unwrap())
        .filter(|file| {
            file.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "toml")
        })
        .count()
}

/// The quarterly incident drill names the failure-recovery matrix in `cadence_met_by`: a drill
/// of the matrix meets its cadence, and without that line the same ledger leaves it overdue.
#[test]
fn a_drill_of_a_runbook_named_in_cadence_met_by_meets_the_cadence() {
    let ws = shipped_workspace();
    known_runs(ws.path(), now().as_second());
    let met = build(ws.path(), None, now());
    let drill = row(&met, "quarterly-incident-drill");
    assert!(!drill.overdue, "{:?}", drill.due);
    assert_eq!(
        drill.cadence_met_by.as_deref(),
        Some("failure-recovery-matrix")
    );

    let file = ws
        .path()
        .join("runbooks/drill/quarterly-incident-drill.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let without = original.replace("cadence_met_by = [\"failure-recovery-matrix\"]\n", "");
    assert_ne!(without, original);
    std::fs::write(&file, &without).unwrap();
    let unmet = build(ws.path(), None, now());
    let drill = row(&unmet, "quarterly-incident-drill");
    assert!(drill.overdue);
    assert_eq!(drill.cadence_met, drill.last_completed);

    std::fs::write(
        &file,
        original.replace("[\"failure-recovery-matrix\"]", "[\"no-such-runbook\"]"),
    )
    .unwrap();
    let named_wrong = build(ws.path(), None, now());
    assert!(
        named_wrong
            .problems
            .iter()
            .any(|p| p.contains("cadence_met_by names `no-such-runbook`")),
        "{:?}",
        named_wrong.problems
    );
}
