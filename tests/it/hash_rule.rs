//! One hash rule: an entry's hash is the SHA-256 of the RFC 8785 form of its line without
//! `hash` and `sig`, every other field included. `ledger verify`, `verify-bundle` and an
//! independent verifier (npm `canonicalize` and ethers, no code of ours) agree on every
//! mutation: fields added at the top or in `body` are edits; keys reordered, spaces added or a
//! character written as a `\u` escape are the same entry.

use crate::support::bundle::{Fixture, ledger_lines, sha256};
use std::path::Path;
use std::process::Command;

/// Checks each line of a ledger file as the README says, with nothing of this project: the
/// numbers of the lines whose hash or signature does not hold, or whose `prev` is not the
/// previous line's hash.
const INDEPENDENT: &str = r#"
const fs = require("fs");
const crypto = require("crypto");
const canonicalize = require("canonicalize");
const { verifyMessage, getBytes } = require("ethers");
const bad = [];
let prev = "0".repeat(64);
fs.readFileSync(process.argv[1], "utf8").split("\n").filter(l => l).forEach((line, i) => {
  const entry = JSON.parse(line);
  const { hash, sig, ...signed } = entry;
  const digest = crypto.createHash("sha256").update(canonicalize(signed)).digest("hex");
  let signer = "";
  try { signer = verifyMessage(getBytes("0x" + hash), sig); } catch (e) {}
  if (digest !== hash || signer !== entry.signer || entry.prev !== prev) bad.push(i + 1);
  prev = hash;
});
console.log(JSON.stringify(bad));
"#;

fn independent(ledger: &Path) -> Vec<usize> {
    let node_modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    assert!(
        node_modules.join("canonicalize").is_dir(),
        "run `npm ci` first: the independent verifier uses canonicalize and ethers"
    );
    let output = Command::new("node")
        .args(["-e", INDEPENDENT])
        .arg(ledger)
        .env("NODE_PATH", &node_modules)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A change to one line of the ledger, and whether it leaves the signed entry the same.
struct Mutation {
    name: &'static str,
    same_entry: bool,
    apply: fn(&str) -> String,
}

const MUTATIONS: &[Mutation] = &[
    Mutation {
        name: "a field added at the top",
        same_entry: false,
        apply: |line| line.replacen('{', r#"{"approved":true,"#, 1),
    },
    Mutation {
        name: "a field added in body",
        same_entry: false,
        apply: |line| line.replacen(r#""body":{"#, r#""body":{"approved":true,"#, 1),
    },
    Mutation {
        name: "a value changed",
        same_entry: false,
        apply: |line| line.replacen(r#""step":"prepare""#, r#""step":"prepar""#, 1),
    },
    Mutation {
        name: "the signature replaced",
        same_entry: false,
        apply: |line| {
            let at = line.find(r#""sig":"0x"#).unwrap() + 9;
            format!("{}{}{}", &line[..at], "11".repeat(65), &line[at + 130..])
        },
    },
    Mutation {
        name: "spaces after the separators",
        same_entry: true,
        apply: |line| line.replace(r#"",""#, r#"", ""#).replace(r#"":"#, r#"": "#),
    },
    Mutation {
        name: "keys in another order",
        same_entry: true,
        apply: |line| {
            let value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap();
            let reversed: Vec<String> = value
                .iter()
                .rev()
                .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
                .collect();
            format!("{{{}}}", reversed.join(","))
        },
    },
    Mutation {
        name: "a letter written as a \\u escape",
        same_entry: true,
        apply: |line| line.replacen(r#""step":"prepare""#, r#""step":"\u0070repare""#, 1),
    },
];

fn mutate_line(path: &Path, index: usize, mutation: &Mutation) -> usize {
    let mut lines = ledger_lines(path);
    let changed = (mutation.apply)(&lines[index]);
    assert_ne!(changed, lines[index], "{} changed nothing", mutation.name);
    lines[index] = changed;
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    index + 1
}

/// The line numbers `ledger verify --json` or `verify-bundle --json` names.
fn named_lines(report: &serde_json::Value) -> Vec<usize> {
    let mut lines: Vec<usize> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["line"].as_u64())
        .map(|l| l as usize)
        .collect();
    lines.dedup();
    lines
}

#[test]
fn ledger_verify_verify_bundle_and_an_independent_verifier_agree_on_every_mutation() {
    let fixture = Fixture::new();
    let workspace_ledger = fixture.ws.path().join("storage/owner-ledger.jsonl");
    let pristine = std::fs::read(&workspace_ledger).unwrap();
    let index = ledger_lines(&workspace_ledger)
        .iter()
        .position(|l| l.contains(r#""step":"prepare""#))
        .expect("an entry of the `prepare` step");
    assert_eq!(independent(&workspace_ledger), Vec::<usize>::new());
    for mutation in MUTATIONS {
        std::fs::write(&workspace_ledger, &pristine).unwrap();
        let line = mutate_line(&workspace_ledger, index, mutation);
        let ours = fixture.cli(&["ledger", "verify", "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap();
        let theirs = independent(&workspace_ledger);
        if mutation.same_entry {
            assert!(ours.status.success(), "{}: {report}", mutation.name);
            assert_eq!(theirs, Vec::<usize>::new(), "{}", mutation.name);
        } else {
            assert_eq!(ours.status.code(), Some(1), "{}: {report}", mutation.name);
            assert_eq!(named_lines(&report)[0], line, "{}: {report}", mutation.name);
            assert_eq!(
                theirs[0], line,
                "{}: the independent verifier",
                mutation.name
            );
        }
    }
    std::fs::write(&workspace_ledger, &pristine).unwrap();

    for mutation in MUTATIONS {
        let bundle = fixture.export(&format!("bundle-{}", mutation.name.replace(' ', "-")));
        let ledger = bundle.join("ledger.jsonl");
        let index = ledger_lines(&ledger)
            .iter()
            .position(|l| l.contains(r#""step":"prepare""#))
            .unwrap();
        let line = mutate_line(&ledger, index, mutation);
        reseal_sums(&bundle);
        let checked = fixture.verify_elsewhere(&bundle);
        let text = String::from_utf8_lossy(&checked.stdout).into_owned()
            + &String::from_utf8_lossy(&checked.stderr);
        let theirs = independent(&ledger);
        if mutation.same_entry {
            assert!(checked.status.success(), "{}: {text}", mutation.name);
            assert_eq!(theirs, Vec::<usize>::new(), "{}", mutation.name);
        } else {
            assert_eq!(checked.status.code(), Some(1), "{}: {text}", mutation.name);
            assert!(
                text.contains(&format!("ledger.jsonl:{line} ")),
                "{}: {text}",
                mutation.name
            );
            assert_eq!(
                theirs[0], line,
                "{}: the independent verifier",
                mutation.name
            );
        }
    }
}

/// Rewrites `SHA256SUMS` for the bundle's files as they are now, as a forger would.
fn reseal_sums(bundle: &Path) {
    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).unwrap();
    let resealed: String = sums
        .lines()
        .map(|line| {
            let (_, name) = line.split_once("  ").unwrap();
            let bytes = std::fs::read(bundle.join(name)).unwrap();
            format!("{}  {name}\n", sha256(&bytes))
        })
        .collect();
    std::fs::write(bundle.join("SHA256SUMS"), resealed).unwrap();
}
