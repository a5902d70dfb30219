//! The committed contract builds are what the committed Solidity compiles to (solc-js from the
//! npm lockfile, offline), so the bytecode the tests and drills deploy is the source in review.
//! solc runs only when the sources, the compiler, `compile.js` or the build changed since the
//! last compile (`assets/contracts/build/sources.sha256`; see `compile.js`).

use std::process::Command;

#[test]
fn the_contract_builds_match_their_sources() {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new("node")
        .args(["assets/contracts/compile.js", "--check"])
        .current_dir(root)
        .output()
        .expect("node runs (npm ci installs solc)");
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{out}\n{err}");
    assert!(out.contains("up to date"), "{out}");
}
