//! README's worked example of checking a ledger entry with standard tools: the entry verifies
//! here, and the README's own commands (Python's standard library for the hash, ethers for the
//! signature) print what the README says they print.

use owner_console::ledger::Entry;
use std::path::Path;
use std::process::Command;

struct Example {
    line: String,
    commands: Vec<(String, String)>,
}

fn example() -> Example {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("<!-- worked-example:begin -->")
        .expect("README has the worked example");
    let end = readme.find("<!-- worked-example:end -->").unwrap();
    let block = &readme[start..end];
    let json = block
        .split("```json\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    let lines: Vec<&str> = block.lines().collect();
    let commands = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("python3 ") || l.starts_with("node "))
        .map(|(i, l)| {
            (
                l.to_string(),
                lines[i + 1].trim_start_matches("# ").to_owned(),
            )
        })
        .collect();
    Example {
        line: json.to_owned(),
        commands,
    }
}

#[test]
fn the_entry_verifies_here() {
    let example = example();
    let entry: Entry = serde_json::from_str(&example.line).unwrap();
    assert_eq!(entry.compute_hash().unwrap(), entry.hash);
    assert_eq!(
        entry.recover_signer().unwrap().to_checksum(None),
        entry.signer
    );
}

#[test]
fn the_readme_commands_print_what_it_says() {
    let example = example();
    assert_eq!(
        example.commands.len(),
        2,
        "a hash command and a signature command"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entry.json"), &example.line).unwrap();
    let node_modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules");
    assert!(
        node_modules.join("ethers").is_dir(),
        "run `npm ci` first: the signature check uses ethers from node_modules"
    );
    for (command, expected) in example.commands {
        let output = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(dir.path())
            .env("NODE_PATH", &node_modules)
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(printed, expected, "{command}");
    }
}
