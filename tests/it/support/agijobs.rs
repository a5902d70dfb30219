//! Where the platform's real files are (`shared/fixtures/agijobs/`, beside the project, never
//! copied into it): `OWNER_CONSOLE_AGIJOBS_FIXTURES` when set, else the first
//! `shared/fixtures/agijobs` beside the project or beside a folder above it (a clone made
//! elsewhere on the same machine finds the same files through `/work/shared`).

use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    if let Some(given) = std::env::var_os("OWNER_CONSOLE_AGIJOBS_FIXTURES") {
        return PathBuf::from(given);
    }
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside = project
        .ancestors()
        .skip(1)
        .map(|folder| folder.join("shared/fixtures/agijobs"));
    beside
        .chain([PathBuf::from("/work/shared/fixtures/agijobs")])
        .find(|candidate| candidate.join("SOURCE.md").is_file())
        .unwrap_or_else(|| {
            panic!(
                "the platform's real files (shared/fixtures/agijobs/) are neither beside {} nor in \
                 a folder above it nor at /work/shared; set OWNER_CONSOLE_AGIJOBS_FIXTURES",
                project.display()
            )
        })
}

/// The real compiled contracts: `<Name>.json` with abi, bytecode, deployedBytecode.
pub fn build() -> PathBuf {
    fixtures().join("build")
}
