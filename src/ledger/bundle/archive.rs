//! The `.tar.gz` form of a bundle: written from memory under one top folder; unpacked into a
//! private temporary folder, refusing absolute paths, `..`, links and anything but plain files
//! and folders.

use super::SUMS;
use super::finding::Finding;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Writes `files` (relative path → bytes) as a gzipped tar under the folder `top`; returns
/// the file, not yet synced.
pub fn write_tar_gz(file: File, top: &str, files: &BTreeMap<String, Vec<u8>>) -> io::Result<File> {
    let mtime = u64::try_from(jiff::Timestamp::now().as_second()).unwrap_or(0);
    let mut builder = tar::Builder::new(GzEncoder::new(file, Compression::default()));
    let mut folders = BTreeSet::from([String::new()]);
    for path in files.keys() {
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        for end in 1..=parts.len() {
            folders.insert(parts[..end].join("/"));
        }
    }
    for folder in &folders {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_size(0);
        header.set_mode(0o755);
        header.set_mtime(mtime);
        let name = if folder.is_empty() {
            format!("{top}/")
        } else {
            format!("{top}/{folder}/")
        };
        builder.append_data(&mut header, name, io::empty())?;
    }
    for (path, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(mtime);
        builder.append_data(&mut header, format!("{top}/{path}"), bytes.as_slice())?;
    }
    builder.into_inner()?.finish()
}

/// A private temporary folder, removed when dropped.
pub struct TempFolder(PathBuf);

impl TempFolder {
    pub fn new() -> io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut attempt = 0u32;
        loop {
            let path = std::env::temp_dir().join(format!(
                "owner-console-bundle-{}-{nanos:08x}-{attempt}",
                std::process::id()
            ));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An unpacked bundle: its root folder inside a temporary folder that lives as long as this.
pub struct Unpacked {
    pub root: PathBuf,
    _folder: TempFolder,
}

/// Unpacks `archive` into a temporary folder. Every unsafe entry is a finding, and then
/// nothing is checked further.
pub fn unpack(archive: &Path) -> Result<Unpacked, Vec<Finding>> {
    let label = archive.display().to_string();
    let whole = |what: String| {
        vec![Finding {
            file: label.clone(),
            seq: None,
            line: None,
            what,
        }]
    };
    let folder = TempFolder::new().map_err(|e| whole(format!("no temporary folder: {e}")))?;
    let file = File::open(archive).map_err(|e| whole(e.to_string()))?;
    let mut findings = Vec::new();
    let mut seen = BTreeSet::new();
    let mut tar = tar::Archive::new(GzDecoder::new(file));
    let entries = tar
        .entries()
        .map_err(|e| whole(format!("not a .tar.gz: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| whole(format!("not a readable .tar.gz: {e}")))?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut refuse = |what: &str| {
            findings.push(Finding {
                file: raw.clone(),
                seq: None,
                line: None,
                what: format!("archive entry refused: {what}"),
            })
        };
        let kind = entry.header().entry_type();
        if kind == tar::EntryType::XGlobalHeader {
            continue;
        }
        let relative = match safe_entry_path(&raw) {
            Ok(relative) => relative,
            Err(why) => {
                refuse(why);
                continue;
            }
        };
        if kind.is_symlink() || kind.is_hard_link() {
            refuse("it is a link (bundles hold only files and folders)");
            continue;
        }
        if relative.as_os_str().is_empty() && !kind.is_dir() {
            refuse("its path is empty");
            continue;
        }
        let target = folder.path().join(&relative);
        if kind.is_dir() {
            if let Err(error) = std::fs::create_dir_all(&target) {
                refuse(&error.to_string());
            }
            continue;
        }
        if !kind.is_file() && kind != tar::EntryType::Continuous {
            refuse("it is neither a file nor a folder");
            continue;
        }
        if !seen.insert(relative.clone()) {
            refuse("it appears twice");
            continue;
        }
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| File::create_new(&target))
            .and_then(|mut out| io::copy(&mut entry, &mut out));
        if let Err(error) = written {
            refuse(&error.to_string());
        }
    }
    if !findings.is_empty() {
        findings.push(Finding {
            file: label,
            seq: None,
            line: None,
            what: "the archive is unsafe to unpack; nothing in it was checked".to_owned(),
        });
        return Err(findings);
    }
    let root = bundle_root(folder.path());
    Ok(Unpacked {
        root,
        _folder: folder,
    })
}

/// The entry's path if it is plain and relative (`./` parts allowed; `./` alone is empty).
fn safe_entry_path(raw: &str) -> Result<PathBuf, &'static str> {
    let mut relative = PathBuf::new();
    for component in Path::new(raw).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("its path climbs out with `..`"),
            Component::RootDir | Component::Prefix(_) => return Err("its path is absolute"),
        }
    }
    Ok(relative)
}

/// The folder holding `SHA256SUMS`: the unpacked folder itself, or its one top folder.
fn bundle_root(unpacked: &Path) -> PathBuf {
    if unpacked.join(SUMS).exists() {
        return unpacked.to_path_buf();
    }
    let children: Vec<_> = std::fs::read_dir(unpacked)
        .map(|listing| listing.filter_map(Result::ok).collect())
        .unwrap_or_default();
    match children.as_slice() {
        [only] if only.file_type().is_ok_and(|t| t.is_dir()) => only.path(),
        _ => unpacked.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_paths_must_be_plain() {
        assert!(safe_entry_path("./b/ledger.jsonl").is_ok());
        assert!(safe_entry_path("../escape").is_err());
        assert!(safe_entry_path("b/../../escape").is_err());
        assert!(safe_entry_path("/etc/passwd").is_err());
        assert_eq!(safe_entry_path("./"), Ok(PathBuf::new()));
    }
}
