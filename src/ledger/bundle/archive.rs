//! The `.tar.gz` form of a bundle: written from memory under one top folder; unpacked into a
//! private temporary folder, refusing absolute paths, `..`, links and anything but plain files
//! and folders.

use super::SUMS;
use super::finding::Finding;
use super::limits::{Limits, Size, Tally};
use super::metered::{Meter, Metered};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read};
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

/// Room for the headers before each entry (its own, and a long name or extended header):
/// far more than any path a bundle holds, far less than memory.
pub const HEADER_ROOM: u64 = 64 << 10;

/// Unpacks `archive` into a temporary folder, held to `limits` as it goes: each entry's size
/// is checked against the caps before anything of it is written, and the first cap crossed
/// stops everything (the folder and what it holds are removed). Every unsafe entry is a
/// finding, and then nothing is checked further.
pub fn unpack(archive: &Path, limits: &Limits) -> Result<Unpacked, Vec<Finding>> {
    let label = archive.display().to_string();
    let whole = |what: String| vec![finding(&label, what)];
    let folder = TempFolder::new().map_err(|e| whole(format!("no temporary folder: {e}")))?;
    let file = File::open(archive).map_err(|e| whole(e.to_string()))?;
    let meter = Meter::default();
    meter.allow_from_here(HEADER_ROOM);
    let mut tar = tar::Archive::new(Metered::new(GzDecoder::new(file), meter.clone()));
    let entries = tar
        .entries()
        .map_err(|e| whole(format!("not a .tar.gz: {e}")))?;
    let mut unpacking = Unpacking {
        root: folder.path(),
        tally: Tally::default(),
        seen: BTreeSet::new(),
        findings: Vec::new(),
    };
    for entry in entries {
        let mut entry = entry.map_err(|error| {
            whole(if meter.exhausted() {
                format!(
                    "the headers before an entry exceed {} (a long name or extended header that large is refused); {STOPPED}",
                    Size(HEADER_ROOM)
                )
            } else {
                format!("not a readable .tar.gz: {error}")
            })
        })?;
        let size = entry.size();
        let rounded = size.saturating_add(511) & !511;
        meter.allow_from_here(rounded.saturating_add(HEADER_ROOM));
        if let Err(crossed) = unpacking.tally.admit(size, limits) {
            let name = shown_name(&entry.path_bytes());
            let what = format!("archive entry refused: {crossed}; {STOPPED}");
            unpacking.findings.push(finding(&name, what));
            return Err(unpacking.findings);
        }
        unpacking.entry(&mut entry);
    }
    if !unpacking.findings.is_empty() {
        let mut findings = unpacking.findings;
        findings.push(finding(
            &label,
            "the archive is unsafe to unpack; nothing in it was checked".to_owned(),
        ));
        return Err(findings);
    }
    let root = bundle_root(folder.path());
    Ok(Unpacked {
        root,
        _folder: folder,
    })
}

const STOPPED: &str = "unpacking stopped and what it wrote was removed";

fn finding(file: &str, what: String) -> Finding {
    Finding {
        file: file.to_owned(),
        seq: None,
        line: None,
        what,
    }
}

/// An entry's name as it may be shown: control characters escaped, at most 200 characters.
fn shown_name(raw: &[u8]) -> String {
    const SHOWN: usize = 200;
    let text = String::from_utf8_lossy(raw);
    let mut shown: String = text
        .chars()
        .take(SHOWN)
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    if text.chars().nth(SHOWN).is_some() {
        shown.push_str(&format!("… ({} bytes)", raw.len()));
    }
    shown
}

/// What an unpacking has let in and found so far.
struct Unpacking<'a> {
    root: &'a Path,
    tally: Tally,
    seen: BTreeSet<PathBuf>,
    findings: Vec<Finding>,
}

impl Unpacking<'_> {
    /// Writes one admitted entry, or refuses it (a finding) when it is unsafe.
    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) {
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        let refused = match self.refusal(&raw, kind) {
            Err(why) => Some(why),
            Ok(None) => None,
            Ok(Some(relative)) => self.write(entry, &relative).err().map(Refused::Io),
        };
        if let Some(why) = refused {
            let name = shown_name(raw.as_bytes());
            let what = format!("archive entry refused: {why}");
            self.findings.push(finding(&name, what));
        }
    }

    /// Why the entry is refused; else the file to write (None for a folder, made here).
    fn refusal(&mut self, raw: &str, kind: tar::EntryType) -> Result<Option<PathBuf>, Refused> {
        if kind == tar::EntryType::XGlobalHeader {
            return Ok(None);
        }
        let relative = safe_entry_path(raw)?;
        if kind.is_symlink() || kind.is_hard_link() {
            return Err(Refused::Link);
        }
        if relative.as_os_str().is_empty() && !kind.is_dir() {
            return Err(Refused::EmptyPath);
        }
        if kind.is_dir() {
            std::fs::create_dir_all(self.root.join(&relative))?;
            return Ok(None);
        }
        if !kind.is_file() && kind != tar::EntryType::Continuous {
            return Err(Refused::NotAFileOrFolder);
        }
        if !self.seen.insert(relative.clone()) {
            return Err(Refused::Twice);
        }
        Ok(Some(relative))
    }

    /// Copies the entry's data (its admitted size, no more: tar reads no further) into a new
    /// file.
    fn write<R: Read>(&self, entry: &mut tar::Entry<'_, R>, relative: &Path) -> io::Result<()> {
        let target = self.root.join(relative);
        target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| File::create_new(&target))
            .and_then(|mut out| io::copy(entry, &mut out))
            .map(drop)
    }
}

/// Why an archive entry is refused (said after "archive entry refused: ").
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("its path climbs out with `..`")]
    ClimbsOut,
    #[error("its path is absolute")]
    Absolute,
    #[error("it is a link (bundles hold only files and folders)")]
    Link,
    #[error("its path is empty")]
    EmptyPath,
    #[error("it is neither a file nor a folder")]
    NotAFileOrFolder,
    #[error("it appears twice")]
    Twice,
    /// No source: the message is the I/O error's.
    #[error("{0}")]
    Io(io::Error),
}

impl From<io::Error> for Refused {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// The entry's path if it is plain and relative (`./` parts allowed; `./` alone is empty).
fn safe_entry_path(raw: &str) -> Result<PathBuf, Refused> {
    let mut relative = PathBuf::new();
    for component in Path::new(raw).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(Refused::ClimbsOut),
            Component::RootDir | Component::Prefix(_) => return Err(Refused::Absolute),
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
        assert_eq!(safe_entry_path("./").unwrap(), PathBuf::new());
    }
}
