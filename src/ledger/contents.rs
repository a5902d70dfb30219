//! A ledger file read: its entries with the line and offset of each, and every line that is
//! not an entry (damage), by number. Lines over [`MAX_LINE_BYTES`] are damage, never parsed.

use super::MAX_LINE_BYTES;
use super::entry::Entry;

/// A line that could not be read as an entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Damage {
    pub line: usize,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct LedgerContents {
    /// Entries with the line each was read from.
    pub entries: Vec<Entry>,
    pub lines: Vec<usize>,
    /// The byte offset in the file of each entry's line.
    pub offsets: Vec<u64>,
    pub damage: Vec<Damage>,
}

pub fn parse(bytes: &[u8]) -> LedgerContents {
    parse_at(bytes, 0, 0)
}

/// [`parse`] with the file cut at line ends into one part per core, parsed side by side.
pub fn parse_on_every_core(bytes: &[u8]) -> LedgerContents {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut parts = Vec::with_capacity(cores);
    let (mut start, mut lines_before) = (0, 0);
    for part in 1..=cores {
        let target = (bytes.len() * part / cores).max(start);
        let end = match bytes[target..].iter().position(|b| *b == b'\n') {
            Some(at) if part < cores => target + at + 1,
            _ => bytes.len(),
        };
        parts.push((start, end, lines_before));
        lines_before += bytes[start..end].iter().filter(|b| **b == b'\n').count();
        start = end;
    }
    let parsed: Vec<LedgerContents> = std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|(start, end, before)| {
                scope.spawn(move || parse_at(&bytes[start..end], before, start as u64))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut contents = LedgerContents::default();
    for part in parsed {
        contents.entries.extend(part.entries);
        contents.lines.extend(part.lines);
        contents.offsets.extend(part.offsets);
        contents.damage.extend(part.damage);
    }
    contents
}

/// Parses the part of a ledger file that starts at byte `offset`, after `lines_before` lines
/// (it must start a line): line numbers and offsets are the file's.
pub fn parse_at(bytes: &[u8], lines_before: usize, offset: u64) -> LedgerContents {
    let mut contents = LedgerContents::default();
    let mut at = offset;
    let torn = !bytes.is_empty() && bytes.last() != Some(&b'\n');
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last_line = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |at| at + 1);
    for (index, line) in lines.iter().enumerate() {
        let start = at;
        at += line.len() as u64 + 1;
        if line.is_empty() {
            continue;
        }
        let number = lines_before + index + 1;
        if line.len() > MAX_LINE_BYTES {
            contents.damage.push(Damage {
                line: number,
                why: format!(
                    "the line is {} bytes, longer than the {MAX_LINE_BYTES} a ledger line may be",
                    line.len()
                ),
            });
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => {
                contents.entries.push(entry);
                contents.lines.push(number);
                contents.offsets.push(start);
            }
            Err(_) if torn && index + 1 == last_line => contents.damage.push(Damage {
                line: number,
                why: "incomplete last line (the write was cut off)".to_owned(),
            }),
            Err(error) => contents.damage.push(Damage {
                line: number,
                why: error.to_string(),
            }),
        }
    }
    contents
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Event;
    use crate::ledger::entry::GENESIS;
    use alloy_signer_local::PrivateKeySigner;

    #[test]
    fn parsing_on_every_core_gives_what_parsing_on_one_gives() {
        let key = PrivateKeySigner::random();
        let mut bytes = Vec::new();
        let mut prev = GENESIS.to_owned();
        for seq in 0..2_000u64 {
            let event = Event::Note {
                step: "s".into(),
                text: format!("note {seq}"),
            };
            let entry = Entry::signed(seq, "t", "r", event, &prev, &key).unwrap();
            prev = entry.hash.clone();
            serde_json::to_writer(&mut bytes, &entry).unwrap();
            bytes.extend_from_slice(if seq % 701 == 0 {
                b"\n\n{oops\n"
            } else {
                b"\n"
            });
        }
        bytes.extend_from_slice(b"{\"torn");
        let one = parse(&bytes);
        let every = parse_on_every_core(&bytes);
        assert_eq!(every.entries, one.entries);
        assert_eq!(every.lines, one.lines);
        assert_eq!(every.offsets, one.offsets);
        assert_eq!(every.damage, one.damage);
        assert!(
            one.damage
                .last()
                .is_some_and(|d| d.why.starts_with("incomplete"))
        );
    }
}
