//! Bundles built to exhaust the verifier: a gzip bomb, too many entries, a huge long-name
//! header, a ledger bigger than the cap and a ledger line of 2 GiB. `verify-bundle` (the real
//! binary) refuses each by name, its cap and the flag that raises it, stays under 64 MiB of
//! resident memory, writes no more than its caps allow and leaves nothing behind.

use crate::support::bundle::{Fixture, ledger_lines};
use crate::support::cli::{Home, PASSPHRASE};
use crate::support::measured::{MIB, Measured, measure};

use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

const GIB: u64 = 1 << 30;
const PEAK_RSS: u64 = 64 * MIB;
/// The bomb's one file: 2 GiB of zeros (2 MB gzipped).
const BOMB_FILE: &str =
    "b/evidence/0000000000000000000000000000000000000000000000000000000000000000";

type TarGz = tar::Builder<GzEncoder<File>>;

/// Writes a `.tar.gz` at `path` through `fill`, streaming: nothing of it is held in memory.
fn tar_gz(path: &Path, fill: impl FnOnce(&mut TarGz)) {
    let file = File::create(path).unwrap();
    let mut builder = tar::Builder::new(GzEncoder::new(file, Compression::default()));
    fill(&mut builder);
    builder.into_inner().unwrap().finish().unwrap();
}

/// Appends a file of `size` bytes of `byte`, streamed.
fn append_file(builder: &mut TarGz, path: &str, size: u64, byte: u8) {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(size);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, path, io::repeat(byte).take(size))
        .unwrap();
}

/// A temporary folder for the binary's own (`TMPDIR`), to see what it leaves there.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    /// Every file and folder left under it.
    fn left(&self) -> Vec<String> {
        fn walk(folder: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                out.push(path.display().to_string());
                if path.is_dir() {
                    walk(&path, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.0.path(), &mut out);
        out
    }
}

/// `verify-bundle BUNDLE ARGS…` from an empty folder, measured.
fn verify(home: &Home, scratch: &Scratch, bundle: &Path, args: &[&str]) -> Measured {
    let elsewhere = tempfile::tempdir().unwrap();
    let mut all = vec!["verify-bundle", bundle.to_str().unwrap()];
    all.extend_from_slice(args);
    let command = || {
        let mut command = home.command(elsewhere.path(), PASSPHRASE, &all);
        command.env("TMPDIR", scratch.0.path());
        command
    };
    // A quick refusal can end before its memory is first read (on a loaded machine): it is
    // run again, at most twice, until it is read.
    let mut measured = measure(command());
    for _ in 0..2 {
        if measured.samples > 0 {
            break;
        }
        measured = measure(command());
    }
    eprintln!(
        "verify-bundle {args:?}: exit {}, peak RSS {:.1} MiB, wrote {} bytes",
        measured.code,
        measured.peak_rss as f64 / MIB as f64,
        measured.written
    );
    assert!(measured.samples > 0, "the child's memory was never read");
    measured
}

fn refused(measured: &Measured, needles: &[&str]) {
    assert_eq!(
        measured.code, 1,
        "stdout {} stderr {}",
        measured.stdout, measured.stderr
    );
    for needle in needles {
        assert!(
            measured.stderr.contains(needle),
            "`{needle}` not in stderr: {}",
            measured.stderr
        );
    }
    assert!(
        measured.peak_rss < PEAK_RSS,
        "peak RSS {} MiB",
        measured.peak_rss / MIB
    );
}

#[test]
fn a_gzip_bomb_is_refused_at_its_header_and_nothing_of_it_is_written() {
    let home = Home::empty();
    let out = tempfile::tempdir().unwrap();
    let bomb = out.path().join("bomb.tar.gz");
    tar_gz(&bomb, |builder| {
        append_file(builder, "b/SHA256SUMS", 0, b'\n');
        append_file(builder, BOMB_FILE, 2 * GIB, 0);
    });
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 * MIB);

    // The default caps: the header's size alone is over 256 MiB per file.
    let scratch = Scratch::new();
    let measured = verify(&home, &scratch, &bomb, &[]);
    refused(
        &measured,
        &[
            BOMB_FILE,
            "2147483648 bytes",
            "256 MiB per file",
            "--max-file-bytes",
            "unpacking stopped",
        ],
    );
    assert!(measured.written < MIB, "wrote {} bytes", measured.written);
    assert_eq!(scratch.left(), Vec::<String>::new());

    // With the file cap raised, the total cap refuses it, still before writing it.
    let scratch = Scratch::new();
    let measured = verify(
        &home,
        &scratch,
        &bomb,
        &["--max-file-bytes", "4GiB", "--max-bytes", "64MiB"],
    );
    refused(&measured, &[BOMB_FILE, "64 MiB in total", "--max-bytes"]);
    assert!(measured.written < MIB, "wrote {} bytes", measured.written);
    assert_eq!(scratch.left(), Vec::<String>::new());
}

#[test]
fn the_total_cap_stops_unpacking_at_the_entry_that_crosses_it_and_removes_what_was_written() {
    let home = Home::empty();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("four.tar.gz");
    tar_gz(&archive, |builder| {
        for n in 1..=4 {
            append_file(builder, &format!("b/evidence/part-{n}"), 3 * MIB, b'x');
        }
    });
    let scratch = Scratch::new();
    let measured = verify(&home, &scratch, &archive, &["--max-bytes", "8MiB"]);
    refused(
        &measured,
        &["b/evidence/part-3", "8 MiB in total", "--max-bytes"],
    );
    assert!(
        !measured.stderr.contains("part-4"),
        "it went on past the cap: {}",
        measured.stderr
    );
    // The first two parts were written (6 MiB), the third never was.
    assert!(
        (6 * MIB..=8 * MIB).contains(&measured.written),
        "wrote {} bytes",
        measured.written
    );
    assert_eq!(scratch.left(), Vec::<String>::new());
}

#[test]
fn too_many_entries_are_refused_in_an_archive_and_in_a_folder() {
    let home = Home::empty();
    let out = tempfile::tempdir().unwrap();

    // The default cap: 10,000 entries; the archive holds 10,001 empty files.
    let archive = out.path().join("many.tar.gz");
    tar_gz(&archive, |builder| {
        for n in 1..=10_001 {
            append_file(builder, &format!("b/evidence/{n:05}"), 0, 0);
        }
    });
    let scratch = Scratch::new();
    let measured = verify(&home, &scratch, &archive, &[]);
    refused(
        &measured,
        &["b/evidence/10001", "10000 entries", "--max-entries"],
    );
    assert_eq!(scratch.left(), Vec::<String>::new());

    // A folder is held to the same caps, here lowered by the flag.
    let folder = out.path().join("folder");
    std::fs::create_dir_all(folder.join("evidence")).unwrap();
    for n in 1..=30 {
        std::fs::write(folder.join(format!("evidence/{n:02}")), "").unwrap();
    }
    let measured = verify(&home, &Scratch::new(), &folder, &["--max-entries", "20"]);
    refused(&measured, &["20 entries", "--max-entries"]);
}

#[test]
fn a_long_name_header_of_256_mib_is_refused_without_being_held() {
    let home = Home::empty();
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("longname.tar.gz");
    let size = 256 * MIB;
    tar_gz(&archive, |builder| {
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
        header.set_entry_type(tar::EntryType::GNULongName);
        header.set_size(size);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append(&header, io::repeat(b'a').take(size))
            .unwrap();
        append_file(builder, "b/SHA256SUMS", 0, 0);
    });
    let scratch = Scratch::new();
    let measured = verify(&home, &scratch, &archive, &[]);
    refused(&measured, &["headers", "64 KiB"]);
    assert_eq!(scratch.left(), Vec::<String>::new());
}

#[test]
fn a_ledger_over_the_file_cap_is_neither_hashed_nor_read() {
    let home = Home::empty();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("bundle");
    std::fs::create_dir(&folder).unwrap();
    // 2 GiB of zeros, no newline: one line, sparse on disk.
    File::create(folder.join("ledger.jsonl"))
        .unwrap()
        .set_len(2 * GIB)
        .unwrap();
    std::fs::write(
        folder.join("SHA256SUMS"),
        format!("{}  ledger.jsonl\n", "0".repeat(64)),
    )
    .unwrap();
    let measured = verify(&home, &Scratch::new(), &folder, &[]);
    refused(
        &measured,
        &[
            "ledger.jsonl: it is 2147483648 bytes",
            "256 MiB per file",
            "--max-file-bytes",
        ],
    );
    assert!(measured.written < MIB, "wrote {} bytes", measured.written);
}

#[test]
fn a_ledger_line_of_2_gib_is_damage_named_by_its_line() {
    let fixture = Fixture::new();
    let bundle = fixture.export("long-line");
    let ledger = bundle.join("ledger.jsonl");
    let lines = ledger_lines(&ledger).len();
    // A last line of 2 GiB of zeros (sparse on disk), and no newline.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&ledger)
        .unwrap();
    let length = file.metadata().unwrap().len();
    file.set_len(length + 2 * GIB).unwrap();
    let measured = verify(
        &fixture.home,
        &Scratch::new(),
        &bundle,
        &["--max-file-bytes", "3GiB", "--max-bytes", "3GiB"],
    );
    let line = lines + 1;
    refused(
        &measured,
        &[
            &format!("ledger.jsonl:{line}: line {line} is longer than 1 MiB"),
            "not checked further",
        ],
    );
    assert!(measured.written < MIB, "wrote {} bytes", measured.written);
}
