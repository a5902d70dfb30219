//! The one way a file is written so that a reader, a crash or a power cut sees the old file
//! or the new one, never a mix: a temporary file beside it, written and fsync'd, renamed over
//! the file, then the folder fsync'd so that the rename itself survives.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` durably, creating its folder when missing. The file gets the
/// usual permissions (0644 less the umask); see [`write_private`] for secrets.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// As [`write`], for a file only its owner may read (0600 on Unix).
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(
        path,
        |file| file.write_all(bytes),
        Permissions::Private,
        Sync::Durable,
    )
}

/// As [`write`], with what goes into the file written by `fill` (a copy streamed from
/// another file, say).
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    replace(path, fill, Permissions::Usual, Sync::Durable)
}

/// Replaces a cache file atomically but without fsyncs: losing it costs a rebuild, not data.
pub fn write_cache(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(
        path,
        |file| file.write_all(bytes),
        Permissions::Usual,
        Sync::None,
    )
}

/// fsyncs a folder, so that the files created, renamed or removed in it stay so.
pub fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Permissions {
    Usual,
    Private,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sync {
    Durable,
    None,
}

/// Removes the temporary files that writes of `path` cut short left beside it. Only for a
/// caller that knows no other write of `path` is under way (it holds a lock over them).
pub fn remove_leftovers(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(".partial") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn replace(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
    permissions: Permissions,
    sync: Sync,
) -> io::Result<()> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    if permissions == Permissions::Usual {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666 & !umask()));
    }
    let mut file = builder.tempfile_in(folder)?;
    fill(file.as_file_mut())?;
    if sync == Sync::Durable {
        file.as_file().sync_all()?;
    }
    file.persist(path).map_err(|e| e.error)?;
    if sync == Sync::Durable {
        sync_folder(folder)?;
    }
    Ok(())
}

/// The process's umask, from `/proc/self/status` once (setting it to read it would race with
/// other threads creating files); 022 where that cannot be read.
#[cfg(unix)]
fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("Umask:"))?;
                u32::from_str_radix(line.trim_start_matches("Umask:").trim(), 8).ok()
            })
            .unwrap_or(0o022)
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_write_replaces_the_whole_file_and_leaves_no_temporary() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/file.json");
        write(&path, b"first, and longer").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("file.json")]);
        assert_eq!(mode(&path), 0o666 & !umask());
    }

    #[test]
    fn a_private_write_is_readable_by_its_owner_only() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("secret");
        write_private(&path, b"x").unwrap();
        assert_eq!(mode(&path), 0o600);
        write_cache(&folder.path().join("cache"), b"y").unwrap();
        assert_eq!(std::fs::read(folder.path().join("cache")).unwrap(), b"y");
    }
}
