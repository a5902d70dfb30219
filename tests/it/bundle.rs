//! Evidence bundles: `export` and `verify-bundle`, run as the real binary, of a folder and a
//! `.tar.gz`; `sha256sum -c` run as the real tool; what `export` refuses to bundle (linked
//! evidence, a missing file, a changed runbook). Tampered bundles and hostile archives are in
//! bundle_tampering.rs.

use crate::support::bundle::{Fixture, ledger_lines, ok, sha256};
use crate::support::cli::{json, text};

use std::process::Command;

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
    assert!(text(&distrusted).1.contains("signed by an unlisted key"));

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
fn export_first_records_a_checkpoint_entry_and_writes_the_checkpoint_durably() {
    let fixture = Fixture::new();
    let storage = fixture.ws.path().join("storage");
    let before = ledger_lines(&storage.join("owner-ledger.jsonl")).len();
    let bundle = fixture.export("bundle");
    let lines = ledger_lines(&storage.join("owner-ledger.jsonl"));
    assert_eq!(lines.len(), before + 1, "one entry recorded by export");
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last["type"], "checkpoint");
    assert_eq!(last["body"]["entries"], before);
    let file: serde_json::Value = serde_json::from_slice(
        &std::fs::read(storage.join("owner-ledger.checkpoint.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(file["entries"], before + 1);
    assert_eq!(file["head"], last["hash"]);
    assert_eq!(
        ledger_lines(&bundle.join("ledger.jsonl")).last(),
        lines.last(),
        "the bundle's ledger ends with it"
    );
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
