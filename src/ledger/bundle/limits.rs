//! How much a bundle may hold, folder or `.tar.gz` alike: bytes in all, bytes per file and
//! entries. `verify-bundle` checks each cap before it writes, hashes or reads a file, and
//! stops at the first one crossed.
//!
//! The defaults are far above what an export makes and far below what hurts the machine
//! that checks it:
//! - **256 MiB per file**: command output is captured up to 1 MiB, attachments are documents
//!   and logs, and the ledger (the largest file, read whole to be verified) holds some
//!   200,000–500,000 entries at that size, years of a busy workspace;
//! - **1 GiB in total**: a run's evidence, unpacked into a temporary folder;
//! - **10,000 entries** (files and folders): a run of a few dozen steps exports a few dozen
//!   files.

use std::fmt;

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in all the bundle's files together (`--max-bytes`).
    pub max_bytes: u64,
    /// Bytes in any one file (`--max-file-bytes`).
    pub max_file_bytes: u64,
    /// Files, folders and other entries (`--max-entries`).
    pub max_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: GIB,
            max_file_bytes: 256 * MIB,
            max_entries: 10_000,
        }
    }
}

/// Which cap a bundle crossed, and how: the text that names it, the cap and its flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Crossed {
    FileBytes { size: u64, cap: u64 },
    TotalBytes { size: u64, total: u64, cap: u64 },
    Entries { count: u64, cap: u64 },
}

impl fmt::Display for Crossed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FileBytes { size, cap } => write!(
                f,
                "it is {size} bytes, over the cap of {} per file (raise it with --max-file-bytes)",
                Size(*cap)
            ),
            Self::TotalBytes { size, total, cap } => write!(
                f,
                "it is {size} bytes, which takes the bundle to {total} bytes, over the cap of {} in total (raise it with --max-bytes)",
                Size(*cap)
            ),
            Self::Entries { count, cap } => write!(
                f,
                "it is entry {count}, over the cap of {cap} entries (raise it with --max-entries)"
            ),
        }
    }
}

/// What has been let in so far, against the limits.
#[derive(Debug, Default)]
pub struct Tally {
    entries: u64,
    bytes: u64,
}

impl Tally {
    /// Counts one more entry of `size` bytes, or says which cap it would cross (then it is
    /// not counted).
    pub fn admit(&mut self, size: u64, limits: &Limits) -> Result<(), Crossed> {
        let count = self.entries + 1;
        if count > limits.max_entries {
            return Err(Crossed::Entries {
                count,
                cap: limits.max_entries,
            });
        }
        if size > limits.max_file_bytes {
            return Err(Crossed::FileBytes {
                size,
                cap: limits.max_file_bytes,
            });
        }
        let total = self.bytes.saturating_add(size);
        if total > limits.max_bytes {
            return Err(Crossed::TotalBytes {
                size,
                total,
                cap: limits.max_bytes,
            });
        }
        self.entries = count;
        self.bytes = total;
        Ok(())
    }
}

/// A byte count as the caps are written: `256 MiB`, `1 GiB`, else in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0;
        for (unit, name) in [(GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")] {
            if bytes >= unit && bytes.is_multiple_of(unit) {
                return write!(f, "{} {name}", bytes / unit);
            }
        }
        write!(f, "{bytes} bytes")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a size: a number of bytes, or one followed by KiB, MiB, GiB or TiB (K, M, G, T)"
)]
pub struct BadSize(String);

impl std::str::FromStr for Size {
    type Err = BadSize;

    /// `1073741824`, `1GiB`, `1G`, `256 MiB`, `64k`: binary units only.
    fn from_str(text: &str) -> Result<Self, BadSize> {
        let bad = || BadSize(text.to_owned());
        let trimmed = text.trim();
        let digits = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(digits);
        let number: u64 = number.parse().map_err(|_| bad())?;
        let scale = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kib" => KIB,
            "m" | "mib" => MIB,
            "g" | "gib" => GIB,
            "t" | "tib" => GIB << 10,
            _ => return Err(bad()),
        };
        number.checked_mul(scale).map(Size).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print_in_binary_units() {
        for (text, bytes) in [
            ("1024", 1024),
            ("1GiB", GIB),
            ("1G", GIB),
            ("256 MiB", 256 * MIB),
            ("64k", 64 * KIB),
            ("4GiB", 4 * GIB),
        ] {
            assert_eq!(text.parse::<Size>(), Ok(Size(bytes)), "{text}");
        }
        for bad in ["", "MiB", "1MB", "-1", "1.5GiB", "99999999999999999999T"] {
            assert!(bad.parse::<Size>().is_err(), "{bad}");
        }
        assert_eq!(Size(256 * MIB).to_string(), "256 MiB");
        assert_eq!(Size(GIB).to_string(), "1 GiB");
        assert_eq!(Size(1000).to_string(), "1000 bytes");
    }

    #[test]
    fn the_tally_names_the_first_cap_crossed_and_counts_nothing_then() {
        let limits = Limits {
            max_bytes: 10,
            max_file_bytes: 6,
            max_entries: 3,
        };
        let mut tally = Tally::default();
        assert_eq!(tally.admit(6, &limits), Ok(()));
        assert_eq!(
            tally.admit(7, &limits),
            Err(Crossed::FileBytes { size: 7, cap: 6 })
        );
        assert_eq!(
            tally.admit(5, &limits),
            Err(Crossed::TotalBytes {
                size: 5,
                total: 11,
                cap: 10
            })
        );
        assert_eq!(tally.admit(4, &limits), Ok(()));
        assert_eq!(tally.admit(0, &limits), Ok(()));
        assert_eq!(
            tally.admit(0, &limits),
            Err(Crossed::Entries { count: 4, cap: 3 })
        );
    }
}
