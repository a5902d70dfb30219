//! Nothing that matters is cut at 80×24 or 60×20 (issue #20): the real binary in a pseudo-
//! terminal previews every step of every shipped runbook (`p` on the start screen, → from
//! step to step, nothing recorded), opens each runbook's start form and scrolls the help to
//! its end, once at each size; each screen is compared with the same screen at 160×48 by
//! `support::fit` (a word cut without `…`, or text gone with no more-marker, fails), and no
//! screen may show Rust debug formatting.

use crate::support::fit::{Grid, Part, cuts, debug_formatting};
use crate::support::pty::{PtyApp, Sandbox, TIMEOUT, keys, screen_rows};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// The size at which nothing needs to give way: the reference every screen is read against.
const LARGE: (u16, u16) = (160, 48);

const RIGHT: &str = "\x1b[C";
const PAGE_DOWN: &str = "\x1b[6~";

/// A screen the walk read: where it was, and its rows.
struct Shot {
    part: &'static str,
    rows: Vec<String>,
}

/// What one console showed at one size, by the stop's name; and the runbook ids it previewed
/// (read off the start screen's details, whole at the large size only).
struct Walked {
    shots: BTreeMap<String, Shot>,
    ids: Vec<String>,
}

fn step_of(screen: &vt100::Screen) -> Option<(usize, usize)> {
    let header = screen_rows(screen).get(1).cloned().unwrap_or_default();
    if !header.contains("[PREVIEW]") {
        return None;
    }
    let (_, position) = header.rsplit_once("step ")?;
    let (at, of) = position.split_once('/')?;
    let of: String = of.chars().take_while(char::is_ascii_digit).collect();
    Some((at.parse().ok()?, of.parse().ok()?))
}

/// The runbook id the start screen's details name: `[CRITICAL] failure-recovery-matrix v1 · 20
/// steps`.
fn details_id(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (_, rest) = line.split_once("] ")?;
        let (id, rest) = rest.split_once(' ')?;
        (rest.starts_with('v') && rest.contains(" steps · ")).then(|| id.to_owned())
    })
}

fn shipped_runbook_ids() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let mut ids = BTreeSet::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read runbooks/") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("read a runbook");
                let value: toml::Value = toml::from_str(&text).expect("a runbook is TOML");
                ids.insert(value["id"].as_str().expect("a runbook id").to_owned());
            }
        }
    }
    ids
}

/// Walks every runbook of the start screen in one console of `cols`×`rows`.
fn walk(sandbox: &Sandbox, cols: u16, rows: u16, runbooks: usize) -> Walked {
    let begun = Instant::now();
    let mut app = PtyApp::spawn(sandbox.command(&[]), cols, rows);
    app.wait_for(" Runbooks ", TIMEOUT);
    let mut shots = BTreeMap::new();
    let mut ids = Vec::new();
    let shoot = |app: &PtyApp, part| Shot {
        part,
        rows: app.settled(screen_rows),
    };
    for index in 0..runbooks {
        if index > 0 {
            app.send(keys::DOWN);
        }
        app.send(keys::ENTER);
        app.wait_for("┌ Start: ", TIMEOUT);
        shots.insert(
            format!("runbook {index}: start form"),
            shoot(&app, "Start:"),
        );
        app.send(keys::ESC);
        app.wait_for_gone("┌ Start: ", TIMEOUT);
        if let Some(id) = app.settled(|s| details_id(&s.contents())) {
            ids.push(id);
        }
        app.send("p");
        let (_, steps) = app.wait_map("the preview's first step", TIMEOUT, |screen| {
            step_of(screen).filter(|(at, _)| *at == 1)
        });
        for step in 1..=steps {
            if step > 1 {
                app.send(RIGHT);
                app.wait_map(&format!("step {step}/{steps}"), TIMEOUT, |screen| {
                    step_of(screen).filter(|(at, _)| *at == step)
                });
            }
            shots.insert(
                format!("runbook {index}: step {step}/{steps}"),
                shoot(&app, ""),
            );
        }
        app.send(keys::ESC);
        app.wait_until("the start screen again", TIMEOUT, |screen| {
            let text = screen.contents();
            text.contains(" Runbooks ") && !text.contains("[PREVIEW]")
        });
    }
    app.send("?");
    app.wait_for("┌ Keys", TIMEOUT);
    shots.insert("help".into(), shoot(&app, "Keys"));
    for _ in 0..8 {
        app.send(PAGE_DOWN);
    }
    std::thread::sleep(Duration::from_millis(400));
    shots.insert("help scrolled to its end".into(), shoot(&app, "Keys"));
    // One Ctrl+C quits (nothing runs in a preview); a second could reach the terminal after
    // the console has left raw mode, and interrupt it.
    app.send(keys::CTRL_C);
    let status = app.wait_exit(TIMEOUT);
    assert!(status.success(), "{cols}×{rows}: {status}\n{}", app.dump());
    eprintln!(
        "{cols}×{rows}: walked in {:.1} s",
        begun.elapsed().as_secs_f64()
    );
    Walked { shots, ids }
}

/// The rows inside the help box: the last one must hold text (the help stops at its end).
fn help_stops_at_its_end(rows: &[String]) -> Result<(), String> {
    let top = rows
        .iter()
        .position(|r| r.contains("┌ Keys"))
        .ok_or("no help box")?;
    let bottom = rows[top..]
        .iter()
        .position(|r| r.contains('└'))
        .map(|at| top + at)
        .ok_or("no bottom to the help box")?;
    let last_inner = &rows[bottom - 1];
    let text = last_inner.trim().trim_matches('│').trim();
    if text.is_empty() {
        return Err("the help scrolled past its end: its last row is blank".into());
    }
    Ok(())
}

/// A wrapped checklist item keeps its indent: in a checklist step, each row between the first
/// item and the blank row after the items is an item (`[ ]`, `[x]`) or indented under one.
fn checklist_indent(rows: &[String]) -> Result<(), String> {
    if !rows.iter().any(|r| r.contains("[checklist]")) {
        return Ok(());
    }
    let inner = |row: &str| -> String {
        let parts: Vec<&str> = row.split('│').collect();
        parts
            .get(parts.len().saturating_sub(2))
            .copied()
            .unwrap_or("")
            .to_owned()
    };
    let mut in_items = false;
    for row in rows.iter().take_while(|row| !row.contains('└')) {
        let text = inner(row);
        let is_item = text.contains("[ ] ") || text.contains("[x] ");
        if is_item {
            in_items = true;
            continue;
        }
        if !in_items {
            continue;
        }
        if text.trim().is_empty() {
            break;
        }
        if !text.starts_with("      ") {
            return Err(format!(
                "a wrapped item lost its indent: “{}”",
                text.trim_end()
            ));
        }
    }
    Ok(())
}

/// What is wrong with the screens of `walked`, drawn at `cols`×`rows`, against `wide`.
fn problems_of(wide: &Walked, walked: &Walked, (cols, rows): (u16, u16)) -> Vec<String> {
    assert_eq!(
        walked.shots.keys().collect::<Vec<_>>(),
        wide.shots.keys().collect::<Vec<_>>(),
        "the same stops at every size"
    );
    let mut problems = Vec::new();
    for (name, shot) in &walked.shots {
        let reference = &wide.shots[name];
        let part = match shot.part {
            "" => Part::Whole,
            title => Part::Popup(title),
        };
        let mut found = cuts(
            &Grid::new(&reference.rows, usize::from(LARGE.0)),
            &Grid::new(&shot.rows, usize::from(cols)),
            &part,
        );
        found.extend(debug_formatting(&shot.rows.join("\n")));
        if let Err(why) = checklist_indent(&shot.rows) {
            found.push(why);
        }
        if name == "help scrolled to its end"
            && let Err(why) = help_stops_at_its_end(&shot.rows)
        {
            found.push(why);
        }
        if !found.is_empty() {
            let screen: Vec<String> = shot
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| format!("{i:>3} {r}"))
                .collect();
            problems.push(format!(
                "{cols}×{rows} {name}:\n  {}\n{}",
                found.join("\n  "),
                screen.join("\n")
            ));
        }
    }
    problems
}

#[test]
fn every_step_of_every_runbook_reads_whole_at_80x24_and_60x20() {
    let started = Instant::now();
    let shipped = shipped_runbook_ids();
    let sandbox = Sandbox::new();
    eprintln!(
        "sandbox ready after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let sizes = [(LARGE.0, LARGE.1), (80, 24), (60, 20)];
    let walks: Vec<Walked> = std::thread::scope(|scope| {
        let handles: Vec<_> = sizes
            .iter()
            .map(|&(cols, rows)| {
                let (sandbox, count) = (&sandbox, shipped.len());
                scope.spawn(move || walk(sandbox, cols, rows, count))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a walk"))
            .collect()
    });
    let visited: BTreeSet<String> = walks[0].ids.iter().cloned().collect();
    assert_eq!(visited, shipped, "the walk previews every shipped runbook");
    assert!(
        !sandbox.journal().exists()
            || std::fs::read_to_string(sandbox.journal()).is_ok_and(|l| l.trim().is_empty()),
        "a preview records nothing"
    );

    let wide = &walks[0];
    let mut problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = walks
            .iter()
            .zip(&sizes)
            .skip(1)
            .map(|(walked, &size)| scope.spawn(move || problems_of(wide, walked, size)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a comparison"))
            .collect()
    });
    for shot in wide.shots.values() {
        for found in debug_formatting(&shot.rows.join("\n")) {
            problems.push(format!("{}×{}: {found}", LARGE.0, LARGE.1));
        }
    }
    let marked = wide
        .shots
        .values()
        .filter(|shot| shot.rows.iter().any(|r| r.contains(" more ")))
        .count();
    eprintln!("{marked} screens scroll even at {}×{}", LARGE.0, LARGE.1);
    let screens: usize = walks.iter().map(|w| w.shots.len()).sum();
    eprintln!(
        "{screens} screens read and compared in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} screens cut:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}
