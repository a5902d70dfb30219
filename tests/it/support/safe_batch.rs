//! Safe Transaction Builder batches for the tests: the committed fixtures, one batch built
//! from five planned calls (one with a checksummed address that no module has), and ways to
//! check or change it.

use alloy_primitives::{Address, address};
use owner_console::safe::{Batch, PlannedCall, Status, build_batch, check_batch, parse_batch};
use std::path::{Path, PathBuf};

/// The checksum the Safe app gives tests/fixtures/safe/known-checksum.json.
pub const KNOWN_CHECKSUM: &str =
    "0x8b5032f716845c8b08bab3d63dbd9ba92e056f3557793cd041e59b84e16aa989";
/// The Safe the built batch is created from.
pub const SAFE: Address = address!("0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6");
/// The one module of the network in the built batch's checks.
pub const FEE_POOL: Address = address!("0x1111111111111111111111111111111111111111");
/// A target of the built batch that is no module of the network.
pub const TOKEN: Address = address!("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

/// The path of `name` in tests/fixtures/safe.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/safe")
        .join(name)
}

/// The text of `name` in tests/fixtures/safe.
pub fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// Five planned calls: scalars, an address, an array, bytes32 with a string and a negative
/// int24, and an array of tuples.
pub fn calls() -> Vec<PlannedCall> {
    vec![
        PlannedCall::new("FeePool", FEE_POOL, "setBurnPct(uint256 pct)", &["5"]),
        PlannedCall::new(
            "Token",
            TOKEN,
            "approve(address,uint256)",
            &["0x474e5ded6b5d078163bfb8f6dba355c3aa5478c8", "100000000000"],
        ),
        PlannedCall::new(
            "FeePool",
            FEE_POOL,
            "setTreasuryAllowlist(address[] treasuries, bool allowed)",
            &[
                "[0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8, 0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6]",
                "true",
            ],
        ),
        PlannedCall::new(
            "JobRegistry",
            FEE_POOL,
            "setSpecHash(bytes32 hash, string uri, int24 tick)",
            &[
                "0x3c0842c55548b2d2972b57504c6c582b7b4c8cd02b5113b122d2e825282a4b49",
                "ipfs://agi-jobs/spec — v2",
                "-42",
            ],
        ),
        PlannedCall::new(
            "FeePool",
            FEE_POOL,
            "setTiers((uint256,address)[] tiers)",
            &[
                "[(1, 0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8), (2, 0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6)]",
            ],
        ),
    ]
}

/// The batch of [`calls`] on chain 1 from [`SAFE`], at a fixed time.
pub fn built() -> Batch {
    build_batch(
        1,
        SAFE,
        "Raise the burn",
        "Fee changes — reviewed by the owners",
        &calls(),
        1_761_326_849_944,
    )
    .unwrap()
}

/// The failed checks of `batch` (without network modules), as they are described.
pub fn failures(batch: &Batch) -> Vec<String> {
    check_batch(batch, None)
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.describe())
        .collect()
}

/// The batch with one byte of `transactions[index].data` changed at hex offset `at`.
pub fn tamper(batch: &Batch, index: usize, at: usize) -> Batch {
    let mut raw = batch.to_value();
    let data = raw["transactions"][index]["data"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bytes = data.into_bytes();
    bytes[at] = if bytes[at] == b'f' { b'e' } else { b'f' };
    raw["transactions"][index]["data"] = String::from_utf8(bytes).unwrap().into();
    parse_batch(&raw.to_string()).unwrap()
}

/// tests/fixtures/safe/known-checksum.json as JSON.
pub fn known() -> serde_json::Value {
    serde_json::from_str(&read("known-checksum.json")).unwrap()
}

/// What an attacker with write access to `storage/` (or to a bundle) does to a prepared batch
/// file: appends `setBurnPct(pct)` to the module that the batch's first `setBurnPct` goes to,
/// recomputes `meta.checksum` as the Safe app would, so that `batch checksum` and every check
/// of the file alone pass. Returns the file's new SHA-256.
pub fn append_burn_pct(path: &Path, pct: &str) -> String {
    let mut batch = parse_batch(&std::fs::read_to_string(path).unwrap()).unwrap();
    let to = batch
        .transactions
        .iter()
        .find(|t| {
            t.contract_method
                .get()
                .is_some_and(|m| m.name == "setBurnPct")
        })
        .map(|t| t.to.address)
        .unwrap_or_else(|| panic!("no setBurnPct in {}", path.display()));
    let call = PlannedCall::new("FeePool", to, "setBurnPct(uint256)", &[pct]);
    batch
        .transactions
        .push(owner_console::safe::build_transaction(&call).unwrap());
    batch.meta.checksum = owner_console::safe::Slot::Set(batch.computed_checksum().to_string());
    let bytes = batch.to_json_pretty() + "\n";
    std::fs::write(path, &bytes).unwrap();
    super::bundle::sha256(bytes.as_bytes())
}
