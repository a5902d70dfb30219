//! Throwaway workspaces copied from the fixtures, and a tiny HTTP server on loopback.

use alloy_signer_local::PrivateKeySigner;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The operator key of in-process sessions that must trust each other's entries, as the
/// same operator on one machine does.
pub static TEST_KEY: LazyLock<PrivateKeySigner> = LazyLock::new(PrivateKeySigner::random);

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the `walk` fixture workspace in a temporary folder.
pub fn walk_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("walk"), dir.path());
    dir
}

/// `run start walk` on the demo network with a harmless label.
pub fn start_walk() -> Vec<&'static str> {
    "run start walk --network demo --input label=x"
        .split(' ')
        .collect()
}

/// A fresh copy of the repository's own workspace (runbooks, config, assets).
pub fn shipped_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["runbooks", "config", "assets"] {
        copy_tree(&root.join(part), &dir.path().join(part));
    }
    dir
}

/// A tiny HTTP server on loopback that answers every request with `status` and `body`, for
/// as many requests as `count`.
pub fn serve(status: u16, body: &'static str, count: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    port
}

/// Copies a folder tree (files and folders) into `to`.
pub fn copy_folder(from: &Path, to: &Path) {
    copy_tree(from, to);
}

/// Signs a state snapshot file again after a test changed it, with the example operator's
/// key (the well-known test key 0x…01 that `config/operators.toml` lists), as `snapshot
/// state` would have signed the changed state.
pub fn resign_snapshot(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut snapshot =
        owner_console::workspace::snapshot::StateSnapshot::parse("snapshot", &text).unwrap();
    snapshot.sign(&example_operator_key()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
}

/// The key of `example-operator` in the shipped `config/operators.toml`: the well-known test
/// key 0x…01.
pub fn example_operator_key() -> alloy_signer_local::PrivateKeySigner {
    let mut secret = [0u8; 32];
    secret[31] = 1;
    alloy_signer_local::PrivateKeySigner::from_bytes(&secret.into()).unwrap()
}

/// The run index file at `path` as JSON: its header line, with its second line (the closed
/// runs) under `"closed"`.
pub fn read_run_index(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let (header, closed) = text.trim_end().split_once('\n').expect("two lines");
    let mut index: serde_json::Value = serde_json::from_str(header).unwrap();
    index["closed"] = serde_json::from_str(closed).unwrap();
    index
}

/// Rewrites the run index file at `path` with `edit` applied to it as [`read_run_index`]
/// gives it (an index made to lie).
pub fn edit_run_index(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut index = read_run_index(path);
    edit(&mut index);
    let closed = index.as_object_mut().unwrap().remove("closed").unwrap();
    let text = format!("{}\n{}\n", index, closed);
    std::fs::write(path, text).unwrap();
}

/// Rewrites the JSON file at `path` with `edit` applied (a cache made to lie).
pub fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(path, serde_json::to_vec(&value).unwrap()).unwrap();
}

/// As [`edit_json`], but written pretty-printed as the shipped config files are (a config
/// change for the diff to find).
pub fn edit(path: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut json);
    std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}
