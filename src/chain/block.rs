//! A block as the console pins reads to it: number, hash and time.

use alloy_primitives::{B256, U64};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRef {
    pub number: u64,
    pub hash: B256,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
}

impl BlockRef {
    pub fn hash_hex(&self) -> String {
        format!("{:#x}", self.hash)
    }

    pub fn time_rfc3339(&self) -> String {
        i64::try_from(self.timestamp)
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .map(|t| t.to_string())
            .unwrap_or_else(|| self.timestamp.to_string())
    }

    /// How old the block is at `now`, in whole seconds (0 for a block from the future).
    pub fn age_secs(&self, now: jiff::Timestamp) -> u64 {
        u64::try_from(now.as_second())
            .unwrap_or(0)
            .saturating_sub(self.timestamp)
    }

    pub fn to_snapshot_block(self) -> crate::workspace::snapshot::Block {
        crate::workspace::snapshot::Block {
            number: self.number,
            hash: self.hash_hex(),
            timestamp: self.time_rfc3339(),
        }
    }
}

/// The fields of `eth_getBlockByNumber`'s answer that the console uses.
#[derive(Debug, Deserialize)]
pub struct Header {
    number: U64,
    hash: B256,
    timestamp: U64,
}

impl From<Header> for BlockRef {
    fn from(header: Header) -> Self {
        Self {
            number: header.number.to(),
            hash: header.hash,
            timestamp: header.timestamp.to(),
        }
    }
}
