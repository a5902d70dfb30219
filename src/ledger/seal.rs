//! What an entry's own hash and signature say, before its place in the chain is looked at:
//! the hash is taken over the line as written (see [`line_hash`]), and the signature is
//! recovered with libsecp256k1, on every core when there are many.

use super::entry::{Entry, line_hash, recover};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    /// The hash is the line's, and the named signer signed it.
    Sound,
    /// The hash is the line's, but the signature is not the named signer's.
    BadSignature(String),
    /// The line no longer hashes to `hash`.
    Edited {
        computed: String,
    },
    Unhashable(String),
}

/// The entry's seal; `line` is the line it was read from.
pub fn seal(entry: &Entry, line: &[u8]) -> Seal {
    match line_hash(line) {
        Ok(hash) if hash == entry.hash => match recover(&entry.hash, &entry.sig) {
            Ok(address) if address.to_checksum(None) == entry.signer => Seal::Sound,
            Ok(address) => Seal::BadSignature(format!(
                "the signature does not match the entry: it recovers to {address}, not to the named signer {} (the signature was replaced, or the entry and its hash were rewritten)",
                entry.signer
            )),
            Err(why) => Seal::BadSignature(format!("the signature does not check: {why}")),
        },
        Ok(computed) => Seal::Edited { computed },
        Err(why) => Seal::Unhashable(why.to_string()),
    }
}

/// The seal of every entry, in order, computed on every core.
pub fn seal_all(entries: &[&Entry], lines: &[&[u8]]) -> Vec<Seal> {
    let pairs: Vec<(&Entry, &[u8])> = entries.iter().copied().zip(lines.iter().copied()).collect();
    on_every_core(&pairs, |(entry, line)| seal(entry, line))
}

/// The line hash of every line (see [`line_hash`]), computed on every core; None for a line
/// that is not a JSON object.
pub fn line_hashes(lines: &[&[u8]]) -> Vec<Option<String>> {
    on_every_core(lines, |line| line_hash(line).ok())
}

/// `f` of every item, in order, the items shared out among the cores.
fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(256);
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

pub struct Edit {
    /// The seq the entry was signed with.
    pub seq: u64,
    /// The hash the next entry's `prev` should hold.
    pub link: String,
    pub detail: String,
    /// The verdict already says that `prev` was changed.
    pub prev_blamed: bool,
}

/// Which field of an entry whose line no longer hashes to `hash` was changed, when the
/// signature and the entry's place tell: a field added, `seq`, `prev`, `signer`, the `hash`
/// itself, or else the content (time, run, type or body).
pub fn diagnose(
    entry: &Entry,
    line: &[u8],
    computed: &str,
    expected: u64,
    want_prev: Option<&str>,
) -> Edit {
    let signed = |change: &dyn Fn(&mut Entry)| {
        let mut original = entry.clone();
        change(&mut original);
        original.compute_hash().is_ok_and(|hash| hash == entry.hash)
    };
    let edit = |detail: String| Edit {
        seq: entry.seq,
        link: entry.hash.clone(),
        detail,
        prev_blamed: false,
    };
    if signed(&|_| {}) {
        return edit(format!(
            "fields were added to the entry after signing ({}): as written it hashes to {}…, but {}… was signed",
            added_fields(entry, line).join(", "),
            short(computed),
            short(&entry.hash)
        ));
    }
    if entry.seq != expected && signed(&|e| e.seq = expected) {
        return Edit {
            seq: expected,
            ..edit(format!(
                "`seq` was changed from {expected} to {} after signing",
                entry.seq
            ))
        };
    }
    if let Some(want) = want_prev
        && entry.prev != want
        && signed(&|e| want.clone_into(&mut e.prev))
    {
        let was = match expected {
            0 => "GENESIS".to_owned(),
            n => format!("{}…, the hash of entry {}", short(want), n - 1),
        };
        return Edit {
            prev_blamed: true,
            ..edit(format!("`prev` was changed after signing: it was {was}"))
        };
    }
    let signed_by = recover(&entry.hash, &entry.sig)
        .ok()
        .map(|a| a.to_checksum(None));
    if let Some(address) = &signed_by
        && *address != entry.signer
        && signed(&|e| address.clone_into(&mut e.signer))
    {
        return edit(format!(
            "`signer` was changed from {address} to {} after signing",
            entry.signer
        ));
    }
    if signed_by.as_deref() == Some(entry.signer.as_str()) {
        return edit(format!(
            "the entry's content (its time, run, type or body) was changed after signing: it hashes to {}…, but {} signed {}…",
            short(computed),
            entry.signer,
            short(&entry.hash)
        ));
    }
    if recover(computed, &entry.sig).is_ok_and(|a| a.to_checksum(None) == entry.signer) {
        return Edit {
            link: computed.to_owned(),
            ..edit(format!(
                "`hash` was changed after signing: it reads {}…, but the entry hashes to {}…, which is what {} signed",
                short(&entry.hash),
                short(computed),
                entry.signer
            ))
        };
    }
    edit(format!(
        "the entry hashes to {}…, not to its `hash` {}…, and the signature matches neither: the entry and its hash were changed after signing",
        short(computed),
        short(&entry.hash)
    ))
}

/// The fields of the line that the entry's signed form does not have (top level and `body`).
fn added_fields(entry: &Entry, line: &[u8]) -> Vec<String> {
    use serde_json::Value;
    let written: Value = serde_json::from_slice(line).unwrap_or_default();
    let signed = serde_json::to_value(entry).unwrap_or_default();
    let mut added = Vec::new();
    for (prefix, written, signed) in [
        ("", &written, &signed),
        ("body.", &written["body"], &signed["body"]),
    ] {
        if let Some(fields) = written.as_object() {
            added.extend(
                fields
                    .keys()
                    .filter(|key| signed.get(key.as_str()).is_none())
                    .map(|key| format!("`{prefix}{key}`")),
            );
        }
    }
    if added.is_empty() {
        added.push("a value written differently".to_owned());
    }
    added
}

/// The line of `bytes` that starts at `offset`, without its newline.
pub fn line_at(bytes: &[u8], offset: usize) -> &[u8] {
    let rest = bytes.get(offset..).unwrap_or_default();
    let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    &rest[..end]
}

/// The start of a hash, for messages.
pub fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
