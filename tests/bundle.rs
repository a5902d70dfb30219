//! Evidence bundles: `export` and `verify-bundle`, run as the real binary; `sha256sum -c` run
//! as the real tool; every kind of tampering caught and named.

mod support;

use support::cli::{Home, json, operators_toml, text};
use support::workspace as common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ok(output: Output) -> Output {
    assert!(output.status.success(), "{:?}", text(&output));
    output
}

/// A completed run of the walk runbook (a command's output and an attached file as evidence),
/// in a workspace whose operators.toml lists the tester's key.
struct Fixture {
    home: Home,
    ws: tempfile::TempDir,
    run: String,
    /// The workspace's checkpoint file as it stood after the first two steps.
    early_checkpoint: Vec<u8>,
    /// Entries in the ledger at that time.
    early_entries: usize,
    /// The SHA-256 of the attached file.
    attached: String,
    /// Where bundles go.
    out: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let home = Home::new();
        let ws = common::walk_workspace();
        let cwd = ws.path();
        let keys = json(&home.cli(cwd, &["keys", "list", "--json"]));
        let address = keys[0]["address"].as_str().unwrap();
        let operators = operators_toml(&[("tester", address, &["operator"])]);
        std::fs::write(cwd.join("config/operators.toml"), operators).unwrap();
        let started = json(&home.cli(
            cwd,
            &[
                "run",
                "start",
                "walk",
                "--network",
                "demo",
                "--input",
                "label=hello",
                "--json",
            ],
        ));
        let run = started["run"].as_str().unwrap().to_owned();
        let next = |args: &[&str]| {
            let mut all = vec!["run", "next", &run];
            all.extend_from_slice(args);
            all.push("--json");
            ok(home.cli(cwd, &all))
        };
        next(&["--check", "all"]);
        next(&["--execute"]);
        let storage = cwd.join("storage");
        ok(home.cli(cwd, &["ledger", "checkpoint"]));
        let early_checkpoint = std::fs::read(storage.join("owner-ledger.checkpoint.json")).unwrap();
        let early_entries = ledger_lines(&storage.join("owner-ledger.jsonl")).len();
        next(&["--choose", "Left"]);
        next(&["--note", "why and what"]);
        let file = cwd.join("tx.json");
        std::fs::write(&file, "{\"tx\":\"0xabc\"}").unwrap();
        next(&["--attach", file.to_str().unwrap()]);
        let done = json(&next(&["--check", "all", "--confirm", "COMMIT"]));
        assert_eq!(done["position"]["status"], "completed");
        let attached = sha256(b"{\"tx\":\"0xabc\"}");
        Self {
            home,
            ws,
            run,
            early_checkpoint,
            early_entries,
            attached,
            out: tempfile::tempdir().unwrap(),
        }
    }

    fn cli(&self, args: &[&str]) -> Output {
        self.home.cli(self.ws.path(), args)
    }

    /// Exports the run into `out/<name>` and returns that path.
    fn export(&self, name: &str) -> PathBuf {
        let target = self.out.path().join(name);
        ok(self.cli(&["export", &self.run, "--out", target.to_str().unwrap()]));
        target
    }

    /// verify-bundle from an empty folder, as a second person with nothing but the bundle.
    fn verify_elsewhere(&self, bundle: &Path) -> Output {
        let elsewhere = tempfile::tempdir().unwrap();
        self.home.cli(
            elsewhere.path(),
            &["verify-bundle", bundle.to_str().unwrap()],
        )
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn ledger_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

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
fn a_folder_bundle_passes_sha256sum_and_verify_bundle() {
    let fixture = Fixture::new();
    let bundle = fixture.export("bundle");
    let storage = fixture.ws.path().join("storage");
    assert_eq!(
        std::fs::read(bundle.join("ledger.jsonl")).unwrap(),
        std::fs::read(storage.join("owner-ledger.jsonl")).unwrap(),
        "the ledger is copied byte for byte"
    );
    for file in [
        "run.json",
        "runbook/walk.toml",
        "config/operators.toml",
        "checkpoint.json",
        "README.txt",
    ] {
        assert!(bundle.join(file).is_file(), "{file}");
    }
    assert!(bundle.join("evidence").join(&fixture.attached).is_file());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("run.json")).unwrap()).unwrap();
    assert_eq!(manifest["run"], fixture.run.as_str());
    assert_eq!(manifest["status"], "completed");
    let checkpoint: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("checkpoint.json")).unwrap()).unwrap();
    let lines = ledger_lines(&bundle.join("ledger.jsonl"));
    assert_eq!(checkpoint["entries"], lines.len());
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(checkpoint["head"], last["hash"]);

    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).unwrap();
    let listed: Vec<&str> = sums.lines().map(|l| &l[66..]).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "sorted by path");
    assert!(!listed.contains(&"SHA256SUMS"));
    assert!(listed.contains(&"README.txt") && listed.contains(&"ledger.jsonl"));
    let checked = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&bundle)
        .output()
        .unwrap();
    assert!(checked.status.success(), "{:?}", text(&checked));
    assert_eq!(
        text(&checked).0.lines().count(),
        listed.len(),
        "{:?}",
        text(&checked)
    );

    let inside = ok(fixture.cli(&["verify-bundle", bundle.to_str().unwrap()]));
    let (out, _) = text(&inside);
    assert!(
        out.contains("verified") && out.contains("(this workspace)"),
        "{out}"
    );
    let elsewhere = ok(fixture.verify_elsewhere(&bundle));
    assert!(
        text(&elsewhere)
            .0
            .contains("the bundle's own config/operators.toml"),
        "{:?}",
        text(&elsewhere)
    );
    let report = json(&fixture.cli(&["verify-bundle", bundle.to_str().unwrap(), "--json"]));
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["run"], fixture.run.as_str());
    // The command printed nothing: its stdout and stderr are one empty evidence file.
    assert_eq!(report["evidence"], 2, "the empty output and the attachment");

    let strangers = fixture.out.path().join("strangers.toml");
    std::fs::write(
        &strangers,
        "[[operators]]\nname = \"x\"\naddress = \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"\n",
    )
    .unwrap();
    let distrusted = fixture.cli(&[
        "verify-bundle",
        bundle.to_str().unwrap(),
        "--operators",
        strangers.to_str().unwrap(),
    ]);
    assert_eq!(distrusted.status.code(), Some(1));
    assert!(text(&distrusted).1.contains("unknown signer"));

    let again = fixture.cli(&["export", &fixture.run, "--out", bundle.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("not empty"), "{:?}", text(&again));
    let into_storage = storage.join("bundle");
    let refused = fixture.cli(&[
        "export",
        &fixture.run,
        "--out",
        into_storage.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).1.contains("run state"),
        "{:?}",
        text(&refused)
    );
    let unknown = fixture.cli(&["export", "r-nope", "--out", "elsewhere"]);
    assert!(text(&unknown).1.contains("no run `r-nope`"));
}

#[test]
fn a_tar_gz_bundle_verifies_and_unpacks_for_sha256sum() {
    let fixture = Fixture::new();
    let archive = fixture.export("walk-bundle.tar.gz");
    assert!(archive.is_file());
    let leftovers: Vec<_> = std::fs::read_dir(fixture.out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no partial files: {leftovers:?}");
    let verified = ok(fixture.verify_elsewhere(&archive));
    assert!(
        text(&verified).0.contains("verified"),
        "{:?}",
        text(&verified)
    );

    let unpacked = tempfile::tempdir().unwrap();
    let file = std::fs::File::open(&archive).unwrap();
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(unpacked.path())
        .unwrap();
    let checked = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(unpacked.path().join("walk-bundle"))
        .output()
        .unwrap();
    assert!(checked.status.success(), "{:?}", text(&checked));

    let again = fixture.cli(&["export", &fixture.run, "--out", archive.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again).1.contains("already exists"),
        "{:?}",
        text(&again)
    );
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
fn export_refuses_a_symlinked_evidence_file() {
    let fixture = Fixture::new();
    let stored = fixture
        .ws
        .path()
        .join("storage/evidence")
        .join(&fixture.attached);
    let outside = fixture.out.path().join("outside.json");
    std::fs::copy(&stored, &outside).unwrap();
    std::fs::remove_file(&stored).unwrap();
    std::os::unix::fs::symlink(&outside, &stored).unwrap();
    let target = fixture.out.path().join("bundle");
    let output = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output).1;
    assert!(
        err.contains("symbolic link")
            && err.contains(&fixture.attached)
            && err.contains("attachment `tx.json`")
            && err.contains("entry seq"),
        "{err}"
    );
    assert!(!target.exists(), "nothing is written");
    let leftovers = std::fs::read_dir(fixture.out.path()).unwrap().count();
    assert_eq!(leftovers, 1, "only the outside file");
}

#[test]
fn export_refuses_an_evidence_folder_linked_outside() {
    let fixture = Fixture::new();
    let evidence = fixture.ws.path().join("storage/evidence");
    let outside = fixture.out.path().join("elsewhere");
    std::fs::rename(&evidence, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &evidence).unwrap();
    let target = fixture.out.path().join("bundle");
    let output = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output).1;
    assert!(
        err.contains("outside") && err.contains("entry seq"),
        "{err}"
    );
    assert!(!target.exists(), "nothing is written");
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

#[test]
fn export_names_a_missing_evidence_file_and_a_changed_runbook() {
    let fixture = Fixture::new();
    let target = fixture.out.path().join("bundle");
    let runbook = fixture.ws.path().join("runbooks/update/walk.toml");
    let original = std::fs::read(&runbook).unwrap();
    let mut changed = original.clone();
    changed.extend_from_slice(b"\n# edited\n");
    std::fs::write(&runbook, &changed).unwrap();
    let output = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output).1;
    assert!(
        err.contains("runbooks/update/walk.toml changed since the run started")
            && err.contains(&sha256(&original))
            && err.contains(&sha256(&changed)),
        "{err}"
    );
    std::fs::write(&runbook, &original).unwrap();

    let stored = fixture
        .ws
        .path()
        .join("storage/evidence")
        .join(&fixture.attached);
    std::fs::remove_file(&stored).unwrap();
    let output = fixture.cli(&["export", &fixture.run, "--out", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output).1;
    assert!(
        err.contains("entry seq") && err.contains(&format!("evidence/{}", fixture.attached)),
        "{err}"
    );
    assert!(!target.exists());
}
