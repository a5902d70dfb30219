//! Tampered evidence bundles through the real binary: every kind of tampering with an exported
//! bundle (evidence, ledger, files added or removed, sums resealed, an older checkpoint) is
//! caught by `verify-bundle` and named, and an archive that escapes its folder or holds a link
//! is refused.

use crate::support::bundle::{Fixture, ledger_lines, sha256};
use crate::support::cli::{Home, json, text};
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
