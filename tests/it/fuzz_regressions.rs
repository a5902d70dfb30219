//! The parsers' contracts (`fuzz/src/contracts.rs`, the same file the fuzz targets run) on
//! every seed in `fuzz/seeds/` and every input the fuzzer once broke a parser with
//! (`fuzz/regressions/`), so a plain `cargo test` keeps what fuzzing found fixed.

#[path = "../../fuzz/src/contracts.rs"]
#[allow(dead_code)]
mod contracts;

use std::path::Path;

fn inputs(folder: &str, target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries.map(|e| e.unwrap().path()).collect()
}

#[test]
fn every_seed_and_every_past_crash_keeps_its_parsers_contract() {
    let mut checked = 0;
    for (target, contract) in contracts::TARGETS {
        for path in [inputs("seeds", target), inputs("regressions", target)].concat() {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| contract(&data));
            assert!(
                outcome.is_ok(),
                "{target}: {} breaks the contract",
                path.display()
            );
            checked += 1;
        }
    }
    eprintln!("{checked} inputs checked");
    assert!(
        checked >= contracts::TARGETS.len(),
        "only {checked} inputs found"
    );
}

#[test]
fn a_safe_batch_followed_by_a_second_json_value_is_refused_at_its_line() {
    let batch = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/safe/known-checksum.json"),
    )
    .unwrap();
    let text = format!("{}\n  \"more\"\n", batch.trim_end());
    let error = owner_console::safe::parse::parse_batch(&text).unwrap_err();
    let line = batch.trim_end().lines().count() + 1;
    assert_eq!(
        error.to_string(),
        format!(
            "not valid JSON at line {line}, column 3: trailing characters after the batch object"
        )
    );
}
