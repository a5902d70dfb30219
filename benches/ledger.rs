//! `cargo bench --bench ledger`: the ledger's two hot paths against their floors, measured in
//! the same run on the same machine and filesystem.
//!
//! - verify throughput on a 100,000-entry ledger, against the floor of the same number of bare
//!   SHA-256 digests over each entry's canonical bytes plus EIP-191 signature recoveries with
//!   libsecp256k1, on every core (the canonical bytes and parsed signatures prepared
//!   beforehand);
//! - opening one run (the run check before replay) on that ledger, against reading and parsing
//!   the ledger and picking the run's entries, which is what opening a run did before entries
//!   were checked: for a short run at the end, and for a run that started at the beginning;
//! - durable append latency (one event per `append`), against the floor of a bare `write_all`
//!   and `sync_data` of the same bytes to another file in the same folder; then append's steps
//!   replayed one by one, to show where the time beyond the floor goes.

// Prints tables for scripts/bench.sh; clippy.toml's printing rule is for the app.
#![allow(clippy::disallowed_macros)]

use alloy_primitives::eip191_hash_message;
use alloy_signer_local::PrivateKeySigner;
use owner_console::engine::Event;
use owner_console::ledger::checkpoint::Checkpoint;
use owner_console::ledger::entry::GENESIS;
use owner_console::ledger::operators::Operators;
use owner_console::ledger::run_check::checked_run;
use owner_console::ledger::store::parse;
use owner_console::ledger::trust::Trust;
use owner_console::ledger::verify::verify;
use owner_console::ledger::{Entry, Ledger};
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, SECP256K1};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

#[path = "support/report.rs"]
mod report;
use report::{Aim, SMOKE, bench_line, percentile};
static ENTRIES: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 1_000 } else { 100_000 });
const BATCH: usize = 1_000;
static APPENDS: LazyLock<usize> = LazyLock::new(|| if *SMOKE { 20 } else { 300 });
/// Verify passes measured; the best is reported (the first also warms the page cache).
const PASSES: usize = 2;

fn main() {
    // A filter, if any, is ignored: there is one benchmark.
    let appends_n = *APPENDS;
    let folder = scratch_folder();
    let key = PrivateKeySigner::random();
    let operators = Operators::parse(&format!(
        "[[operators]]\nname = \"bench\"\naddress = \"{}\"\nroles = [\"operator\"]\n",
        key.address().to_checksum(None)
    ))
    .expect("operators.toml");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "ledger bench{}: {} cores; scratch folder {}",
        if *SMOKE {
            " (smoke run: sizes cut; `cargo bench` for figures)"
        } else {
            ""
        },
        cores,
        folder.path().display()
    );

    let (verify_rate, floor_rate, entries) = verify_throughput(folder.path(), &key, &operators);
    let opening = open_run_cost(folder.path(), &key, &operators);
    let (append, floor) = append_latency(folder.path(), &key);
    let breakdown = append_breakdown(folder.path(), &key);

    let (am, ap) = (percentile(&append, 50.0), percentile(&append, 99.0));
    let (fm, fp) = (percentile(&floor, 50.0), percentile(&floor, 99.0));
    println!();
    row("measure", "figure", "floor", "ratio");
    println!("|{:-<44}|{:-<19}|{:-<19}|{:-<7}|", "", "", "", "");
    row(
        &format!("verify, {entries} entries (entries/s, ↑)"),
        &format!("{verify_rate:.0}/s"),
        &format!("{floor_rate:.0}/s"),
        &format!("{:.2}", verify_rate / floor_rate),
    );
    for (name, took, floor) in &opening {
        row(
            name,
            &micros(*took),
            &micros(*floor),
            &format!("{:.2}", took.as_secs_f64() / floor.as_secs_f64()),
        );
    }
    row(
        &format!("durable append, median ({appends_n} appends, ↓)"),
        &micros(am),
        &micros(fm),
        &format!("{:.2}", am.as_secs_f64() / fm.as_secs_f64()),
    );
    row(
        "durable append, p99",
        &micros(ap),
        &micros(fp),
        &format!("{:.2}", ap.as_secs_f64() / fp.as_secs_f64()),
    );
    println!();
    println!("verify ratio = verify entries/s ÷ floor entries/s (aim ≥ 0.70; both on every core);");
    println!(
        "open ratio = read, parse and check the run ÷ read, parse and pick its entries (aim ≤ 2.00 for a short run);"
    );
    println!("append ratio = append median ÷ write_all+sync_data median (aim ≤ 1.50).");
    println!();
    println!("where an append's time goes (its steps replayed from outside, medians):");
    part("part of append", "median");
    println!("|{:-<44}|{:-<11}|", "", "");
    let mut parts = Duration::ZERO;
    for (name, median) in &breakdown {
        part(name, &micros(*median));
        parts += *median;
    }
    part("sum of the parts", &micros(parts));
    let without: Duration = breakdown
        .iter()
        .filter(|(name, _)| !name.contains("checkpoint"))
        .map(|(_, median)| *median)
        .sum();
    part("sum without the two checkpoint steps", &micros(without));
    part("append, measured above", &micros(am));
    println!();
    println!(
        "without its checkpoint update an append would take {:.2}× the floor's median",
        without.as_secs_f64() / fm.as_secs_f64()
    );
    bench_line(
        "ledger_verify_rate",
        verify_rate,
        floor_rate,
        "entries/s",
        Aim::RatioAtLeast(0.7),
    );
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    bench_line(
        "ledger_append_median",
        us(am),
        us(fm),
        "µs",
        Aim::RatioAtMost(1.5),
    );
    bench_line("ledger_append_p99", us(ap), us(fp), "µs", Aim::None);
    let (_, short, short_floor) = &opening[0];
    bench_line(
        "ledger_open_short_run",
        us(*short),
        us(*short_floor),
        "µs",
        Aim::RatioAtMost(2.0),
    );
    let (_, long, long_floor) = &opening[1];
    bench_line(
        "ledger_open_run_from_the_start",
        us(*long),
        us(*long_floor),
        "µs",
        Aim::None,
    );
}

fn row(measure: &str, figure: &str, floor: &str, ratio: &str) {
    println!("| {measure:<42} | {figure:>17} | {floor:>17} | {ratio:>5} |");
}

fn part(name: &str, median: &str) {
    println!("| {name:<42} | {median:>9} |");
}

/// A temporary folder on the target directory's filesystem (the bench binary lives in
/// `target/<profile>/deps/`).
fn scratch_folder() -> tempfile::TempDir {
    let exe = std::env::current_exe().expect("current_exe");
    let target: PathBuf = exe
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    tempfile::Builder::new()
        .prefix("ledger-bench-")
        .tempdir_in(target)
        .expect("scratch folder")
}

fn verify_throughput(
    folder: &Path,
    key: &PrivateKeySigner,
    operators: &Operators,
) -> (f64, f64, usize) {
    let ledger = Ledger::new(folder.join("verify/owner-ledger.jsonl"));
    let started = Instant::now();
    for batch in 0..*ENTRIES / BATCH {
        let events = (0..BATCH)
            .map(|index| Event::Note {
                step: format!("step-{}", index % 7),
                text: format!("batch {batch} note {index}: the operator checked the dashboard"),
            })
            .collect();
        let run = if batch % 2 == 0 { "r-alpha" } else { "r-bravo" };
        let time = format!("2026-11-23T{:02}:{:02}:00Z", batch / 60, batch % 60);
        ledger.append(run, &time, events, key).expect("append");
    }
    let bytes = ledger.read_bytes().expect("read");
    let checkpoint = Checkpoint::read(&ledger.checkpoint_path())
        .expect("checkpoint")
        .expect("a checkpoint was written");
    println!(
        "generated {} entries ({:.1} MB) in {:.1?}",
        *ENTRIES,
        bytes.len() as f64 / 1e6,
        started.elapsed()
    );

    let mut best = Duration::MAX;
    for _ in 0..PASSES {
        let started = Instant::now();
        let report = verify(black_box(&bytes), operators, Some(&checkpoint));
        best = best.min(started.elapsed());
        assert!(report.passed(), "{:?}", report.first());
        assert_eq!(report.entries, *ENTRIES);
    }

    // The floor: what verify cannot avoid doing per entry.
    let entries: Vec<Entry> = bytes
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("entry"))
        .collect();
    let prepared: Vec<(Vec<u8>, RecoverableSignature)> = entries
        .iter()
        .map(|entry| {
            let raw = hex::decode(entry.sig.trim_start_matches("0x")).expect("hex");
            let id = if raw[64] % 27 == 0 {
                RecoveryId::Zero
            } else {
                RecoveryId::One
            };
            let signature = RecoverableSignature::from_compact(&raw[..64], id).expect("signature");
            (entry.canonical().expect("canonical"), signature)
        })
        .collect();
    let expected = SECP256K1
        .recover_ecdsa(
            Message::from_digest(eip191_hash_message(Sha256::digest(&prepared[0].0)).0),
            &prepared[0].1,
        )
        .expect("recover");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut floor = Duration::MAX;
    for _ in 0..PASSES {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for part in black_box(&prepared).chunks(prepared.len().div_ceil(cores)) {
                scope.spawn(move || {
                    for (canonical, signature) in part {
                        let digest = eip191_hash_message(Sha256::digest(canonical));
                        let key = SECP256K1
                            .recover_ecdsa(Message::from_digest(digest.0), signature)
                            .expect("recover");
                        assert_eq!(key, expected);
                    }
                });
            }
        });
        floor = floor.min(started.elapsed());
    }
    println!("verify: best of {PASSES} {best:.2?}; floor: best of {PASSES} {floor:.2?}");
    (
        *ENTRIES as f64 / best.as_secs_f64(),
        *ENTRIES as f64 / floor.as_secs_f64(),
        *ENTRIES,
    )
}

/// Opening a run of the verify ledger: a short run appended at its end, and `r-alpha`, which
/// started on its first line; each against reading, parsing and picking the run's entries.
fn open_run_cost(
    folder: &Path,
    key: &PrivateKeySigner,
    operators: &Operators,
) -> Vec<(String, Duration, Duration)> {
    let ledger = Ledger::new(folder.join("verify/owner-ledger.jsonl"));
    for index in 0..10 {
        ledger
            .append("r-short", "2026-11-24T00:00:00Z", vec![note(index)], key)
            .expect("append");
    }
    let trust = Trust::listed(operators.clone());
    let entries = *ENTRIES;
    let mut measured = Vec::new();
    for (name, run) in [
        (
            format!("open a 10-entry run, {entries}-entry ledger (↓)"),
            "r-short",
        ),
        (
            format!("open a run from line 1, {entries}-entry ledger"),
            "r-alpha",
        ),
    ] {
        let mut took = Duration::MAX;
        let mut floor = Duration::MAX;
        for _ in 0..PASSES {
            let started = Instant::now();
            let bytes = ledger.read_bytes().expect("read");
            let picked: Vec<Entry> = parse(&bytes)
                .entries
                .into_iter()
                .filter(|e| e.run == run)
                .collect();
            black_box(picked);
            floor = floor.min(started.elapsed());

            let started = Instant::now();
            let checkpoint = Checkpoint::read(&ledger.checkpoint_path()).expect("checkpoint");
            let bytes = ledger.read_bytes().expect("read");
            let checked = checked_run(&bytes, parse(&bytes), run, &trust, checkpoint.as_ref());
            black_box(checked.expect("the run checks"));
            took = took.min(started.elapsed());
        }
        measured.push((name, took, floor));
    }
    measured
}

fn append_latency(folder: &Path, key: &PrivateKeySigner) -> (Vec<Duration>, Vec<Duration>) {
    let ledger = Ledger::new(folder.join("append/owner-ledger.jsonl"));
    // The first append creates the folder and file (and syncs the folder); not measured.
    ledger
        .append("r-bench", "2026-11-23T00:00:00Z", vec![note(0)], key)
        .expect("append");
    let mut floor_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(folder.join("append/floor.jsonl"))
        .expect("floor file");
    floor_file.sync_all().expect("sync");
    let mut append = Vec::with_capacity(*APPENDS);
    let mut floor = Vec::with_capacity(*APPENDS);
    for index in 1..=*APPENDS {
        let started = Instant::now();
        let written = ledger
            .append("r-bench", "2026-11-23T00:00:01Z", vec![note(index)], key)
            .expect("append");
        append.push(started.elapsed());

        let mut line = serde_json::to_vec(&written[0]).expect("json");
        line.push(b'\n');
        let started = Instant::now();
        floor_file.write_all(&line).expect("write");
        floor_file.sync_data().expect("sync");
        floor.push(started.elapsed());
    }
    (append, floor)
}

/// Where an append's time goes: `append`'s steps replayed one by one from outside, in its
/// order (so that each checkpoint rename follows a sync, as in `append`), on another ledger
/// file and checkpoint in the same folder; medians over `APPENDS` rounds.
fn append_breakdown(folder: &Path, key: &PrivateKeySigner) -> Vec<(&'static str, Duration)> {
    let ledger_path = folder.join("append/replay.jsonl");
    let checkpoint_path = folder.join("append/replay.checkpoint.json");
    let mut last =
        Entry::signed(0, "2026-11-23T00:00:00Z", "r-bench", note(0), GENESIS, key).expect("sign");
    let mut first = serde_json::to_vec(&last).expect("json");
    first.push(b'\n');
    std::fs::write(&ledger_path, first).expect("write");
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for index in 1..=*APPENDS {
        // Open, lock, read and parse the last line.
        let started = Instant::now();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(&ledger_path)
            .expect("open");
        file.lock().expect("lock");
        let length = file.seek(SeekFrom::End(0)).expect("seek");
        file.seek(SeekFrom::Start(length.saturating_sub(4096)))
            .expect("seek");
        let mut window = Vec::new();
        file.read_to_end(&mut window).expect("read");
        let body = &window[..window.len() - 1];
        let line = &body[body
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |at| at + 1)..];
        let previous: Entry = serde_json::from_slice(line).expect("last entry");
        steps[0].push(started.elapsed());

        let started = Instant::now();
        let entry = Entry::signed(
            previous.seq + 1,
            "2026-11-23T00:00:01Z",
            "r-bench",
            note(index),
            &previous.hash,
            key,
        )
        .expect("sign");
        let mut bytes = serde_json::to_vec(&entry).expect("json");
        bytes.push(b'\n');
        steps[1].push(started.elapsed());

        let started = Instant::now();
        file.write_all(&bytes).expect("write");
        file.sync_data().expect("sync");
        steps[2].push(started.elapsed());

        let started = Instant::now();
        let checkpoint = Checkpoint::of(&entry, "2026-11-23T00:00:01Z", key).expect("checkpoint");
        steps[3].push(started.elapsed());
        let started = Instant::now();
        checkpoint.write(&checkpoint_path, false).expect("write");
        steps[4].push(started.elapsed());
        file.unlock().expect("unlock");
        last = entry;
    }
    black_box(last);
    let names = [
        "open + lock + read the last entry",
        "sign the entry (JCS + SHA-256 + ECDSA)",
        "write_all + sync_data of the line",
        "sign the checkpoint (ECDSA)",
        "write + rename the checkpoint (no fsync)",
    ];
    names
        .into_iter()
        .zip(&steps)
        .map(|(name, samples)| (name, percentile(samples, 50.0)))
        .collect()
}

fn note(index: usize) -> Event {
    Event::Note {
        step: "brief".into(),
        text: format!("note {index}: the operator confirmed the change window"),
    }
}

fn micros(duration: Duration) -> String {
    format!("{:.0} µs", duration.as_secs_f64() * 1e6)
}
