//! Why a path of a bundle, or of a file copied into one, is refused.

use std::path::PathBuf;

/// Why a relative path is not plain: each said with the path as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("the path is empty")]
    Empty,
    #[error("`{0}` holds a backslash or a NUL")]
    BackslashOrNul(String),
    #[error("`{0}` is absolute")]
    Absolute(String),
    #[error("`{0}` has an empty or `.` component")]
    EmptyComponent(String),
    #[error("`{0}` climbs out with `..`")]
    ClimbsOut(String),
}

/// Why a file under a root is not read: its path, a link, not a file, or outside the root.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Path(#[from] PathError),
    #[error("{}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is a symbolic link; links are not followed when copying out", .0.display())]
    Link(PathBuf),
    #[error("{} is not a regular file", .0.display())]
    NotAFile(PathBuf),
    #[error("{} resolves to {}, outside {}", .path.display(), .resolved.display(), .root.display())]
    Outside {
        path: PathBuf,
        resolved: PathBuf,
        root: PathBuf,
    },
}
