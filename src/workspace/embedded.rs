//! The default workspace compiled into the binary.

use include_dir::{Dir, include_dir};
use std::path::PathBuf;

static RUNBOOKS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/runbooks");
static CONFIG: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/config");
static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

const ROOTS: [(&str, &Dir<'static>); 3] = [
    ("runbooks", &RUNBOOKS),
    ("config", &CONFIG),
    ("assets", &ASSETS),
];

fn walk(prefix: &str, dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for file in dir.files() {
        out.push((PathBuf::from(prefix).join(file.path()), file.contents()));
    }
    for sub in dir.dirs() {
        walk(prefix, sub, out);
    }
}

pub fn all_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut out = Vec::new();
    for (prefix, dir) in ROOTS {
        walk(prefix, dir, &mut out);
    }
    out
}

pub fn runbook_files() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    walk("runbooks", &RUNBOOKS, &mut out);
    out.into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "toml"))
        .map(|(path, bytes)| (path, String::from_utf8_lossy(bytes).into_owned()))
        .collect()
}

pub fn file_text(relative: &str) -> Option<String> {
    let (root, rest) = relative.split_once('/')?;
    let (_, dir) = ROOTS.iter().find(|(name, _)| *name == root)?;
    dir.get_file(rest)
        .map(|file| String::from_utf8_lossy(file.contents()).into_owned())
}
