//! Tampered evidence bundles through the real binary: every kind of tampering with an exported
//! bundle (evidence, ledger, files added or removed, sums resealed, an older checkpoint) is
//! caught by `verify-bundle` and named, and an archive that escapes its folder or holds a link
//! is refused.

use crate::support::bundle::{BatchFixture, Fixture, ledger_lines, ok, sha256, verify_elsewhere};
use crate::support::cli::{Home, json, text};
use crate::support::safe_batch::append_burn_pct;
use crate::support::workspace as common;

use std::path::Path;
use std::process::Command;

/// Rewrites the `SHA256SUMS` line of `file` to its current hash, as a careful forger would.
fn reseal(bundle: &Path, file: &str) {
    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).unwrap();
    let hash = sha256(&std::fs::read(bundle.join(file)).unwrap());
    let resealed: String = sums
        .lines()
        .map(|line| match line.split_once("  ") {
            Some((_, path)) if path == file => format!("{hash}  {path}\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    std::fs::write(bundle.join("SHA256SUMS"), resealed).unwrap();
}

#[test]
fn every_kind_of_tampering_is_caught_and_named() {
    let fixture = Fixture::new();
    let pristine = fixture.export("pristine");
    let note_seq = ledger_lines(&pristine.join("ledger.jsonl"))
        .iter()
        .position(|l| l.contains("why and what"))
        .unwrap();
    let edit_note = |bundle: &Path| {
        let path = bundle.join("ledger.jsonl");
        let edited = std::fs::read_to_string(&path)
            .unwrap()
            .replace("why and what", "why and who");
        std::fs::write(path, edited).unwrap();
    };
    let early_checkpoint = &fixture.early_checkpoint;
    let early_entries = fixture.early_entries;
    let attached = &fixture.attached;
    type Edit<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: Vec<(&str, Edit, Vec<String>)> = vec![
        (
            "evidence-edited",
            Box::new(move |b: &Path| {
                std::fs::write(b.join("evidence").join(attached), "{\"tx\":\"0xdef\"}").unwrap()
            }),
            vec![
                format!("evidence/{}", fixture.attached),
                "the file was changed".into(),
                "attachment `tx.json`".into(),
            ],
        ),
        (
            "ledger-line-edited",
            Box::new(edit_note),
            vec![
                "ledger.jsonl: its SHA-256 is".into(),
                format!("ledger.jsonl:{} (seq {note_seq}): edited", note_seq + 1),
            ],
        ),
        (
            "file-added",
            Box::new(|b: &Path| std::fs::write(b.join("extra.txt"), "hi").unwrap()),
            vec!["extra.txt: is not listed in SHA256SUMS".into()],
        ),
        (
            "file-deleted",
            Box::new(|b: &Path| std::fs::remove_file(b.join("runbook/walk.toml")).unwrap()),
            vec!["lists `runbook/walk.toml`, which is missing".into()],
        ),
        (
            "ledger-edited-and-resealed",
            Box::new(move |b: &Path| {
                edit_note(b);
                reseal(b, "ledger.jsonl");
            }),
            vec![format!(
                "ledger.jsonl:{} (seq {note_seq}): edited",
                note_seq + 1
            )],
        ),
        (
            "older-checkpoint",
            Box::new(move |b: &Path| {
                std::fs::write(b.join("checkpoint.json"), early_checkpoint).unwrap();
                reseal(b, "checkpoint.json");
            }),
            vec![format!("checkpoint.json: records {early_entries} entries")],
        ),
        (
            "truncated-to-older-checkpoint",
            Box::new(move |b: &Path| {
                let lines = ledger_lines(&b.join("ledger.jsonl"));
                let kept: String = lines[..early_entries]
                    .iter()
                    .map(|l| format!("{l}\n"))
                    .collect();
                std::fs::write(b.join("ledger.jsonl"), kept).unwrap();
                std::fs::write(b.join("checkpoint.json"), early_checkpoint).unwrap();
                reseal(b, "ledger.jsonl");
                reseal(b, "checkpoint.json");
            }),
            vec![
                "run.json: lists the entries of run".into(),
                "listed but not held".into(),
            ],
        ),
    ];
    for (name, edit, expected) in cases {
        let bundle = fixture.out.path().join(name);
        common::copy_folder(&pristine, &bundle);
        edit(&bundle);
        let output = fixture.verify_elsewhere(&bundle);
        let (out, err) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {out}{err}");
        for needle in &expected {
            assert!(
                err.contains(needle.as_str()),
                "{name}: `{needle}` not in\n{err}"
            );
        }
        assert!(out.contains("finding(s)"), "{name}: {out}");
        if name == "ledger-edited-and-resealed" {
            assert!(
                !err.contains("the file was changed"),
                "{name}: sums were resealed\n{err}"
            );
        }
    }
    let report = json(&fixture.home.cli(
        fixture.ws.path(),
        &[
            "verify-bundle",
            fixture.out.path().join("file-added").to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(report["findings"][0]["file"], "extra.txt");
}

#[test]
fn verify_bundle_refuses_an_archive_that_escapes_or_links() {
    let home = Home::new();
    let scratch = tempfile::tempdir().unwrap();
    let tmp = scratch.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let evil = scratch.path().join("evil.tar.gz");
    {
        let file = std::fs::File::create(&evil).unwrap();
        let encoder = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut builder = tar::Builder::new(encoder);
        let payload = b"gotcha";
        let mut header = tar::Header::new_old();
        let name = b"../escape";
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_size(payload.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, &payload[..]).unwrap();
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Symlink);
        link.set_size(0);
        builder
            .append_link(&mut link, "bundle/evidence/passwd", "/etc/passwd")
            .unwrap();
        builder.into_inner().unwrap().finish().unwrap();
    }
    // The same environment as `Home::cli`, with the temporary folder where the test sees it.
    let output = Command::new(env!("CARGO_BIN_EXE_owner-console"))
        .args(["verify-bundle", evil.to_str().unwrap()])
        .current_dir(scratch.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output).1;
    assert!(
        err.contains("../escape: archive entry refused: its path climbs out with `..`"),
        "{err}"
    );
    assert!(
        err.contains("bundle/evidence/passwd: archive entry refused: it is a link"),
        "{err}"
    );
    assert!(!tmp.join("escape").exists() && !scratch.path().join("escape").exists());
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "the temporary folder is removed"
    );
}

/// The body of the run's entry of `kind` in the workspace's ledger.
fn recorded(fixture: &BatchFixture, kind: &str) -> serde_json::Value {
    let shown = json(&fixture.cli(&["ledger", "show", "--run", &fixture.run, "--json"]));
    let entries = shown.as_array().unwrap();
    let entry = entries.iter().find(|e| e["type"] == kind);
    entry.unwrap_or_else(|| panic!("no {kind}"))["body"].clone()
}

fn fails_naming(output: &std::process::Output, needles: &[&str]) {
    let (out, err) = text(output);
    assert_eq!(output.status.code(), Some(1), "{out}{err}");
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` not in\n{out}{err}");
    }
}

#[test]
fn a_batch_swapped_in_a_bundle_is_named_though_its_checksum_and_sums_were_redone() {
    let fixture = BatchFixture::new();
    let pristine = fixture.export("pristine");
    ok(verify_elsewhere(&fixture.home, &pristine));
    let bundle = fixture.out.path().join("swapped");
    common::copy_folder(&pristine, &bundle);
    let file = bundle.join(&fixture.batch);
    let swapped = append_burn_pct(&file, "99");
    reseal(&bundle, &fixture.batch);
    let prepared = recorded(&fixture, "batch-prepared");
    let expected = prepared["file_sha256"].as_str().unwrap_or("(not recorded)");

    let verified = verify_elsewhere(&fixture.home, &bundle);
    fails_naming(&verified, &[&fixture.batch, expected, &swapped]);
    let shown = fixture.cli(&["batch", "show", file.to_str().unwrap()]);
    let (out, err) = text(&shown);
    assert_eq!(shown.status.code(), Some(1), "{out}{err}");
    let said = format!("{out}{err}");
    assert!(said.contains(expected) && said.contains(&swapped), "{said}");
}

#[test]
fn a_batch_changed_in_storage_is_refused_by_batch_show_and_by_export() {
    let fixture = BatchFixture::new();
    let file = fixture.storage().join(&fixture.batch);
    let swapped = append_burn_pct(&file, "99");
    let prepared = recorded(&fixture, "batch-prepared");
    let expected = prepared["file_sha256"].as_str().unwrap_or("(not recorded)");

    let shown = fixture.cli(&["batch", "show", file.to_str().unwrap()]);
    let (out, err) = text(&shown);
    assert_eq!(shown.status.code(), Some(1), "{out}{err}");
    let said = format!("{out}{err}");
    assert!(said.contains(expected) && said.contains(&swapped), "{said}");
    let target = fixture.out.path().join("refused");
    let exported = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    let (_, err) = text(&exported);
    assert!(
        !exported.status.success(),
        "exported a changed batch: {err}"
    );
    assert!(err.contains(expected) && err.contains(&swapped), "{err}");
    assert!(!target.exists(), "no bundle written");
}

#[test]
fn a_bundle_carries_and_checks_the_receipts_its_entries_name() {
    let fixture = BatchFixture::new();
    let pristine = fixture.export("pristine");
    let stored = std::fs::read(fixture.storage().join(&fixture.receipt)).unwrap();
    let exported = std::fs::read(pristine.join(&fixture.receipt)).ok();
    assert!(exported == Some(stored), "the receipt is not in the bundle");
    ok(verify_elsewhere(&fixture.home, &pristine));

    let bundle = fixture.out.path().join("receipt-edited");
    common::copy_folder(&pristine, &bundle);
    let file = bundle.join(&fixture.receipt);
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"0x1\"", "\"0x0\"");
    std::fs::write(&file, &edited).unwrap();
    reseal(&bundle, &fixture.receipt);
    let checked = recorded(&fixture, "receipt-checked");
    let expected = checked["sha256"].as_str().unwrap();
    fails_naming(
        &verify_elsewhere(&fixture.home, &bundle),
        &[&fixture.receipt, expected, &sha256(edited.as_bytes())],
    );
}

#[test]
fn edits_to_run_json_and_readme_are_named_though_the_sums_were_redone() {
    let fixture = BatchFixture::new();
    let pristine = fixture.export("pristine");
    let aborted = fixture.out.path().join("aborted");
    common::copy_folder(&pristine, &aborted);
    let manifest = std::fs::read_to_string(aborted.join("run.json")).unwrap();
    assert!(manifest.contains("\"completed\""), "{manifest}");
    std::fs::write(
        aborted.join("run.json"),
        manifest.replace("\"completed\"", "\"aborted\""),
    )
    .unwrap();
    reseal(&aborted, "run.json");
    fails_naming(
        &verify_elsewhere(&fixture.home, &aborted),
        &["run.json", "status", "aborted", "completed"],
    );

    let readme = fixture.out.path().join("readme");
    common::copy_folder(&pristine, &readme);
    let text_before = std::fs::read_to_string(readme.join("README.txt")).unwrap();
    std::fs::write(
        readme.join("README.txt"),
        text_before.replacen(
            "How to check it",
            "Approved by the board; no need to check",
            1,
        ),
    )
    .unwrap();
    reseal(&readme, "README.txt");
    fails_naming(
        &verify_elsewhere(&fixture.home, &readme),
        &["README.txt", "Approved by the board"],
    );
}

/// The state snapshot an offline run read is in its bundle, bound to the block its entry
/// recorded and to its signature: a snapshot edited (values changed, sums resealed) is named,
/// and export refuses once the workspace's snapshot is no longer the one the run read.
#[test]
fn a_bundle_carries_the_state_snapshot_its_run_read_and_checks_it() {
    let fixture = BatchFixture::new();
    let read = recorded(&fixture, "chain-checked");
    assert!(
        read["source"]
            .as_str()
            .unwrap()
            .starts_with("snapshot assets/demo-state.json"),
        "{read}"
    );
    let pristine = fixture.export("pristine");
    let snapshot = "snapshots/assets_demo-state.json";
    let shipped = std::fs::read(fixture.ws.path().join("assets/demo-state.json")).unwrap();
    let exported = std::fs::read(pristine.join(snapshot)).ok();
    assert!(
        exported == Some(shipped.clone()),
        "the snapshot is not in the bundle"
    );
    ok(verify_elsewhere(&fixture.home, &pristine));
    let keys = json(&fixture.cli(&["keys", "list", "--json"]));
    let tester = keys[0]["address"].as_str().unwrap();
    let only_tester = fixture.out.path().join("only-tester.toml");
    let listed = crate::support::cli::operators_toml(&[("tester", tester, &["operator"])]);
    std::fs::write(&only_tester, listed).unwrap();
    let distrusted = fixture.cli(&[
        "verify-bundle",
        pristine.to_str().unwrap(),
        "--operators",
        only_tester.to_str().unwrap(),
    ]);
    fails_naming(&distrusted, &[snapshot, "who is not among the operators"]);

    let bundle = fixture.out.path().join("snapshot-edited");
    common::copy_folder(&pristine, &bundle);
    let original = std::fs::read_to_string(bundle.join(snapshot)).unwrap();
    let edited = original.replacen("\"FeePool.burnPct\": 2", "\"FeePool.burnPct\": 9", 1);
    assert_ne!(edited, original);
    std::fs::write(bundle.join(snapshot), edited).unwrap();
    reseal(&bundle, snapshot);
    fails_naming(
        &verify_elsewhere(&fixture.home, &bundle),
        &[snapshot, "signature"],
    );

    let refreshed = String::from_utf8(shipped).unwrap().replacen(
        read["block_hash"].as_str().unwrap(),
        &format!("0x{}", "e".repeat(64)),
        1,
    );
    std::fs::write(fixture.ws.path().join("assets/demo-state.json"), refreshed).unwrap();
    let target = fixture.out.path().join("refused");
    let exported = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    let (_, err) = text(&exported);
    assert!(
        !exported.status.success(),
        "exported another snapshot: {err}"
    );
    assert!(
        err.contains("assets/demo-state.json")
            && err.contains(read["block_hash"].as_str().unwrap()),
        "{err}"
    );
}
