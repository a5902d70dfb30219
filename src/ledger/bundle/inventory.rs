//! What a bundle folder holds, listed without following links and held to the limits: the
//! listing stops at the first entry that crosses a cap, before any file is hashed or read.

use super::finding::Finding;
use super::limits::{Limits, Tally};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Inventory {
    /// Every entry that is not a folder, by relative path: whether it is a regular file.
    pub present: BTreeMap<String, bool>,
    /// Links, special files and unreadable folders.
    pub findings: Vec<Finding>,
}

/// Lists `root`; a cap crossed is the one finding returned, naming the entry.
pub fn take(root: &Path, limits: &Limits) -> Result<Inventory, Finding> {
    let mut listing = Listing {
        limits,
        tally: Tally::default(),
        inventory: Inventory::default(),
    };
    listing.walk(root, "")?;
    Ok(listing.inventory)
}

struct Listing<'a> {
    limits: &'a Limits,
    tally: Tally,
    inventory: Inventory,
}

impl Listing<'_> {
    fn walk(&mut self, folder: &Path, prefix: &str) -> Result<(), Finding> {
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(error) => {
                self.found(prefix, error.to_string());
                return Ok(());
            }
        };
        for item in entries.filter_map(Result::ok) {
            let name = item.file_name().to_string_lossy().into_owned();
            let relative = format!("{prefix}{name}");
            // The entry itself: a link is not followed.
            let metadata = match item.metadata() {
                Ok(metadata) => metadata,
                Err(error) => {
                    self.found(&relative, error.to_string());
                    continue;
                }
            };
            let kind = metadata.file_type();
            let size = if kind.is_file() { metadata.len() } else { 0 };
            self.tally
                .admit(size, self.limits)
                .map_err(|crossed| Finding {
                    file: relative.clone(),
                    seq: None,
                    line: None,
                    what: format!("{crossed}; nothing in the bundle was checked"),
                })?;
            if kind.is_dir() {
                self.walk(&item.path(), &format!("{relative}/"))?;
            } else if kind.is_file() {
                self.inventory.present.insert(relative, true);
            } else {
                let what = if kind.is_symlink() {
                    "is a symbolic link; a bundle holds only files and folders"
                } else {
                    "is not a regular file"
                };
                self.found(&relative, what.to_owned());
                self.inventory.present.insert(relative, false);
            }
        }
        Ok(())
    }

    fn found(&mut self, file: &str, what: String) {
        self.inventory.findings.push(Finding {
            file: file.to_owned(),
            seq: None,
            line: None,
            what,
        });
    }
}
