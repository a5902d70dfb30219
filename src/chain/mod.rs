//! The live chain: a network's node over JSON-RPC (alloy), every read of a refresh in one
//! batch pinned to one block, chain-check expectations, receipts, and the live state as a
//! state snapshot that the diff and an air-gapped machine use like any other.

pub mod addresses;
pub mod block;
pub mod call_trace;
pub mod client;
pub mod deployed;
pub mod dispatcher;
pub mod error;
pub mod expect;
pub mod getter;
pub mod live;
pub mod reads;
pub mod receipt;
pub mod relay;
pub mod revert;
pub mod safe_nonce;
pub mod set_members;

pub use block::BlockRef;
pub use client::{Chain, Endpoint};
pub use error::{AddressError, ChainError, ReceiptError, TargetError};
pub use live::{LiveState, Target};
