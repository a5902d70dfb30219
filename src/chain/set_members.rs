//! The members of a set that no getter lists (`rewarders(address)(bool)`): every address its
//! add/remove event (`RewarderUpdated(address indexed,bool)`) ever named, from the network's
//! `logs_from_block` up to the block the other values are read at, in pages of
//! `logs_page_blocks` (halved while the node refuses a range as too large). Each address found
//! is then asked of the getter at that block, with the config's own candidates, so the set is
//! read whole. What was found is cached with the range it covers and the hash of its last
//! block: a later read asks only for the blocks after it, or again from the start when that
//! block was reorganised away.

use super::block::BlockRef;
use super::client::{Chain, Log};
use super::error::ChainError;
use super::getter::Getter;
use alloy_primitives::{Address, B256};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One set whose members come from events.
#[derive(Debug, Clone)]
pub struct EventSet {
    /// The catalogue id of the set.
    pub key: String,
    pub module: Address,
    /// The event as the catalogue writes it, e.g. `RewarderUpdated(address,bool)`.
    pub event: String,
    pub topic0: B256,
    /// The getter that confirms a member at the pinned block.
    pub getter: Getter,
}

/// Where the search starts and how it pages, from the network's profile.
#[derive(Debug, Clone)]
pub struct LogSearch {
    pub from_block: u64,
    pub page_blocks: u64,
    /// The cache file of this network's sets, when the workspace has storage for one.
    pub cache: Option<PathBuf>,
}

/// More addresses than this in one set's events is refused rather than asked one by one.
pub const MOST_MEMBERS: usize = 10_000;

/// What the events named, per set, up to `block`; and the sets whose events could not be read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub block: Option<BlockRef>,
    pub members: BTreeMap<String, BTreeSet<Address>>,
    pub failures: BTreeMap<String, String>,
}

/// The cache file: the range searched and what it named, per set.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Seen {
    from_block: u64,
    to_block: u64,
    to_hash: B256,
    sets: BTreeMap<String, SeenSet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SeenSet {
    module: Address,
    topic0: B256,
    members: BTreeSet<Address>,
}

/// Every address the sets' events named up to `block`.
pub async fn find(chain: &Chain, sets: &[EventSet], search: &LogSearch, block: &BlockRef) -> Found {
    let mut found = Found {
        block: Some(*block),
        ..Found::default()
    };
    if sets.is_empty() {
        return found;
    }
    let (start, known) = resume(chain, sets, search, block).await;
    for set in sets {
        let members = known.get(&set.key).cloned().unwrap_or_default();
        found.members.insert(set.key.clone(), members);
    }
    let fresh: Vec<&EventSet> = sets
        .iter()
        .filter(|s| !known.contains_key(&s.key))
        .collect();
    let cached: Vec<&EventSet> = sets.iter().filter(|s| known.contains_key(&s.key)).collect();
    for (group, from) in [(fresh, search.from_block), (cached, start)] {
        if group.is_empty() || from > block.number {
            continue;
        }
        if let Err(why) = search_range(chain, &group, from, block.number, search, &mut found).await
        {
            for set in &group {
                found.members.remove(&set.key);
                found.failures.insert(
                    set.key.clone(),
                    format!(
                        "its members could not be listed from its {} events: {why}",
                        set.event
                    ),
                );
            }
        }
    }
    if let Some(file) = &search.cache {
        remember(file, sets, search, block, &found);
    }
    found
}

/// Where to start: after the cached range when its last block is still the chain's, with the
/// members it named for the sets it covers unchanged.
async fn resume(
    chain: &Chain,
    sets: &[EventSet],
    search: &LogSearch,
    block: &BlockRef,
) -> (u64, BTreeMap<String, BTreeSet<Address>>) {
    let Some(seen) = search.cache.as_deref().and_then(load) else {
        return (search.from_block, BTreeMap::new());
    };
    if seen.from_block != search.from_block || seen.to_block > block.number {
        return (search.from_block, BTreeMap::new());
    }
    let still_there = if seen.to_block == block.number {
        seen.to_hash == block.hash
    } else {
        matches!(chain.block_at(seen.to_block).await, Ok(Some(b)) if b.hash == seen.to_hash)
    };
    if !still_there {
        return (search.from_block, BTreeMap::new());
    }
    let known = sets
        .iter()
        .filter_map(|set| {
            let cached = seen.sets.get(&set.key)?;
            (cached.module == set.module && cached.topic0 == set.topic0)
                .then(|| (set.key.clone(), cached.members.clone()))
        })
        .collect();
    (seen.to_block + 1, known)
}

/// The logs of `sets` in `from..=to`, page by page, into `found`.
async fn search_range(
    chain: &Chain,
    sets: &[&EventSet],
    from: u64,
    to: u64,
    search: &LogSearch,
    found: &mut Found,
) -> Result<(), String> {
    let addresses: Vec<Address> = sets.iter().map(|s| s.module).collect();
    let topics: Vec<B256> = sets.iter().map(|s| s.topic0).collect();
    let mut page = search.page_blocks.max(1);
    let mut start = from;
    while start <= to {
        let end = start.saturating_add(page - 1).min(to);
        match chain.logs(&addresses, &topics, start, end).await {
            Ok(logs) => {
                take(sets, &logs, found)?;
                start = end + 1;
            }
            Err(ChainError::Rpc { message, .. }) if end > start && range_refused(&message) => {
                page = (end - start).div_ceil(2).max(1);
            }
            Err(error) => return Err(error.to_string()),
        }
    }
    Ok(())
}

/// What nodes say when a range holds too many blocks or logs for one answer.
fn range_refused(message: &str) -> bool {
    let message = message.to_lowercase();
    [
        "range",
        "limit",
        "too many",
        "too large",
        "exceed",
        "response size",
        "10000",
    ]
    .iter()
    .any(|hint| message.contains(hint))
}

/// The member each log names, into its set.
fn take(sets: &[&EventSet], logs: &[Log], found: &mut Found) -> Result<(), String> {
    for log in logs {
        let Some(set) = sets
            .iter()
            .find(|s| s.module == log.address && log.topics.first() == Some(&s.topic0))
        else {
            continue;
        };
        let member = member_of(log).ok_or_else(|| {
            format!(
                "a {} log at {} does not name an address",
                set.event,
                log.address.to_checksum(None)
            )
        })?;
        let members = found.members.entry(set.key.clone()).or_default();
        members.insert(member);
        if members.len() > MOST_MEMBERS {
            return Err(format!(
                "more than {MOST_MEMBERS} addresses appear in them, too many to confirm one by one"
            ));
        }
    }
    Ok(())
}

/// The member: the first indexed argument, or else the first word of the data.
fn member_of(log: &Log) -> Option<Address> {
    let word = match log.topics.get(1) {
        Some(topic) => topic.0,
        None => log.data.get(..32)?.try_into().ok()?,
    };
    word[..12]
        .iter()
        .all(|b| *b == 0)
        .then(|| Address::from_slice(&word[12..]))
}

fn load(file: &Path) -> Option<Seen> {
    let text = std::fs::read(file).ok()?;
    serde_json::from_slice(&text).ok()
}

fn remember(file: &Path, sets: &[EventSet], search: &LogSearch, block: &BlockRef, found: &Found) {
    let seen = Seen {
        from_block: search.from_block,
        to_block: block.number,
        to_hash: block.hash,
        sets: sets
            .iter()
            .filter_map(|set| {
                let members = found.members.get(&set.key)?.clone();
                Some((
                    set.key.clone(),
                    SeenSet {
                        module: set.module,
                        topic0: set.topic0,
                        members,
                    },
                ))
            })
            .collect(),
    };
    let written = serde_json::to_vec(&seen)
        .map_err(std::io::Error::other)
        .and_then(|bytes| {
            if let Some(folder) = file.parent() {
                std::fs::create_dir_all(folder)?;
            }
            crate::workspace::durable::write_cache(file, &bytes)
        });
    if let Err(error) = written {
        tracing::warn!(file = %file.display(), %error, "set members not cached");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(topics: Vec<B256>, data: Vec<u8>) -> Log {
        Log {
            address: Address::ZERO,
            topics,
            data: data.into(),
        }
    }

    #[test]
    fn the_member_is_the_indexed_address_or_the_first_data_word() {
        let member: Address = "0x000000000000000000000000000000000000dEaD"
            .parse()
            .unwrap();
        let word = B256::left_padding_from(member.as_slice());
        assert_eq!(
            member_of(&log(vec![B256::ZERO, word], vec![])),
            Some(member)
        );
        assert_eq!(
            member_of(&log(vec![B256::ZERO], word.to_vec())),
            Some(member)
        );
    }

    #[test]
    fn a_word_that_is_no_address_or_no_word_names_no_member() {
        assert_eq!(
            member_of(&log(vec![B256::ZERO, B256::repeat_byte(0xff)], vec![])),
            None
        );
        assert_eq!(member_of(&log(vec![B256::ZERO], vec![0; 31])), None);
    }

    #[test]
    fn a_refused_range_is_told_from_other_errors() {
        assert!(range_refused("query returned more than 10000 results"));
        assert!(range_refused("eth_getLogs block range too large"));
        assert!(!range_refused("method not found"));
    }
}
