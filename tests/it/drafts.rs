//! Note drafts on disk, with real files: written whole (a second save replaces the first and
//! leaves no temporary file), readable by the owner only, read back, removed; a run or step id
//! that is not a plain file name is refused, naming both, and nothing is written.

use owner_console::session::drafts::Drafts;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_draft_is_written_whole_owner_only_read_back_and_removed() {
    let storage = tempfile::tempdir().unwrap();
    let drafts = Drafts::in_storage(storage.path());
    assert_eq!(drafts.load("r-1", "brief").unwrap(), None);

    drafts.save("r-1", "brief", "first words").unwrap();
    let path = drafts
        .save("r-1", "brief", "first words, then more\nand a line")
        .unwrap();
    assert_eq!(path, storage.path().join("drafts/r-1-brief.txt"));
    assert_eq!(
        drafts.load("r-1", "brief").unwrap().as_deref(),
        Some("first words, then more\nand a line")
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let files: Vec<_> = std::fs::read_dir(storage.path().join("drafts"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files, ["r-1-brief.txt"], "no temporary file is left");

    assert!(drafts.discard("r-1", "brief").unwrap(), "there was a draft");
    assert!(!path.exists());
    assert_eq!(drafts.load("r-1", "brief").unwrap(), None);
    assert!(
        !drafts.discard("r-1", "brief").unwrap(),
        "discarding no draft is not an error, and says there was none"
    );
}

#[test]
fn ids_that_are_not_plain_file_names_are_refused_and_nothing_is_written() {
    let storage = tempfile::tempdir().unwrap();
    let drafts = Drafts::in_storage(storage.path());
    for (run, step) in [("../r-1", "brief"), ("r-1", "a/b"), ("r-1", "b/..")] {
        let error = drafts.save(run, step, "text").unwrap_err().to_string();
        assert!(
            error.contains(&format!("run `{run}`")) && error.contains(&format!("step `{step}`")),
            "{error}"
        );
    }
    assert!(!storage.path().join("drafts").exists());
    assert!(
        !storage
            .path()
            .parent()
            .unwrap()
            .join("r-1-brief.txt")
            .exists()
    );
}
