//! The real Safe v1.4.1 on anvil, from the npm package `@safe-global/safe-contracts@1.4.1`
//! (`npm ci`): the Safe singleton, a proxy made by the SafeProxyFactory with `setup(…)`, and
//! MultiSendCallOnly's code at its canonical address. One owner (the node's first account),
//! threshold 1; it executes transactions with the owner's pre-validated signature (v = 1).

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_rpc_client::RpcClient;
use alloy_sol_types::{SolCall, sol};
use owner_console::safe::multisend::MULTI_SEND_CALL_ONLY;
use owner_console::sandbox::deploy::{Artifact, Sender};
use owner_console::sandbox::node::Node;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

sol! {
    function setup(address[] _owners, uint256 _threshold, address to, bytes data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver);
    function createProxyWithNonce(address _singleton, bytes initializer, uint256 saltNonce) returns (address proxy);
    function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32);
    function encodeTransactionData(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes);
    function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address payable gasToken, address payable refundReceiver, bytes signatures) payable returns (bool success);
    function domainSeparator() view returns (bytes32);
    function nonce() view returns (uint256);
    function getOwners() view returns (address[]);
    function getThreshold() view returns (uint256);
}

/// The Safe's artifact `relative` to the npm package's build/artifacts/contracts.
fn artifact(relative: &str) -> Artifact {
    serde_json::from_value(artifact_json(relative)).unwrap()
}

/// Deploys, from `from`, the Safe singleton, its proxy factory and a proxy set up with
/// `owners` and `threshold`, and MultiSendCallOnly's code at its canonical address; the
/// proxy's address.
pub fn deploy_safe(
    rpc: &RpcClient,
    runtime: &tokio::runtime::Runtime,
    from: Address,
    owners: &[Address],
    threshold: u64,
) -> Address {
    let sender = Sender {
        rpc,
        timeout: Duration::from_secs(10),
    };
    let deploy = |relative: &str| {
        runtime
            .block_on(sender.deploy(from, &artifact(relative), &[]))
            .unwrap()
    };
    let singleton = deploy("Safe.sol/Safe.json");
    let factory = deploy("proxies/SafeProxyFactory.sol/SafeProxyFactory.json");
    let multi_send = artifact_json("libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json");
    let _: serde_json::Value = runtime
        .block_on(rpc.request(
            "anvil_setCode",
            (MULTI_SEND_CALL_ONLY, multi_send["deployedBytecode"].clone()),
        ))
        .unwrap();
    let initializer = setupCall {
        _owners: owners.to_vec(),
        _threshold: U256::from(threshold),
        to: Address::ZERO,
        data: Bytes::new(),
        fallbackHandler: Address::ZERO,
        paymentToken: Address::ZERO,
        payment: U256::ZERO,
        paymentReceiver: Address::ZERO,
    }
    .abi_encode();
    let create: Bytes = createProxyWithNonceCall {
        _singleton: singleton,
        initializer: initializer.into(),
        saltNonce: U256::from(7),
    }
    .abi_encode()
    .into();
    let output: Bytes = runtime
        .block_on(rpc.request(
            "eth_call",
            (
                json!({ "from": from, "to": factory, "data": create }),
                "latest",
            ),
        ))
        .unwrap();
    let proxy = Address::from_slice(&output[12..32]);
    runtime
        .block_on(sender.send(from, Some(factory), create))
        .unwrap();
    proxy
}

/// `execTransaction` of `safe` sent by its `owner` with the owner's pre-validated signature
/// (v = 1): enough when the threshold is 1. Whether the Safe ran it.
pub fn execute_as_owner(
    rpc: &RpcClient,
    runtime: &tokio::runtime::Runtime,
    safe: Address,
    owner: Address,
    call: (Address, Bytes, u8),
) -> bool {
    let (to, data, operation) = call;
    let mut signature = vec![0u8; 65];
    signature[12..32].copy_from_slice(owner.as_slice());
    signature[64] = 1;
    let exec = execTransactionCall {
        to,
        value: U256::ZERO,
        data,
        operation,
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        signatures: signature.into(),
    };
    let sender = Sender {
        rpc,
        timeout: Duration::from_secs(10),
    };
    runtime
        .block_on(sender.submit(owner, Some(safe), exec.abi_encode().into()))
        .unwrap()
        .succeeded
}

fn artifact_json(relative: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("node_modules/@safe-global/safe-contracts/build/artifacts/contracts")
        .join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `npm ci`)", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub struct RealSafe {
    pub node: Node,
    pub runtime: tokio::runtime::Runtime,
    rpc: RpcClient,
    pub safe: Address,
    pub owner: Address,
}

impl RealSafe {
    /// A node of chain `chain_id` with a Safe proxy set up for its first account.
    pub fn start(chain_id: u64) -> Self {
        let node = Node::start(&super::chain::anvil(), chain_id, &[]).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let rpc = RpcClient::new_http_with_client(
            owner_console::net::ExtraRoots::default().client().unwrap(),
            node.url().parse().unwrap(),
        );
        let mut safe = Self {
            node,
            runtime,
            rpc,
            safe: Address::ZERO,
            owner: Address::ZERO,
        };
        safe.deploy();
        safe
    }

    fn sender(&self) -> Sender<'_> {
        Sender {
            rpc: &self.rpc,
            timeout: Duration::from_secs(10),
        }
    }

    fn deploy(&mut self) {
        let owner = self.runtime.block_on(self.sender().accounts()).unwrap()[0];
        self.safe = deploy_safe(&self.rpc, &self.runtime, owner, &[owner], 1);
        self.owner = owner;
    }

    pub fn url(&self) -> String {
        self.node.url()
    }

    fn call(&self, to: Address, data: Bytes) -> Bytes {
        self.runtime
            .block_on(
                self.rpc
                    .request::<_, Bytes>("eth_call", (json!({ "to": to, "data": data }), "latest")),
            )
            .unwrap()
    }

    /// The Safe's own `getTransactionHash(…)`, no gas refund.
    pub fn transaction_hash(
        &self,
        to: Address,
        value: U256,
        data: Bytes,
        operation: u8,
        nonce: U256,
    ) -> B256 {
        let call = getTransactionHashCall {
            to,
            value,
            data,
            operation,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            _nonce: nonce,
        };
        let output = self.call(self.safe, call.abi_encode().into());
        getTransactionHashCall::abi_decode_returns(&output).unwrap()
    }

    /// The SafeTx struct hash, from the Safe's own `encodeTransactionData(…)`
    /// (`0x19 0x01 ‖ domain separator ‖ struct hash`).
    pub fn struct_hash(
        &self,
        to: Address,
        value: U256,
        data: Bytes,
        operation: u8,
        nonce: U256,
    ) -> B256 {
        let call = encodeTransactionDataCall {
            to,
            value,
            data,
            operation,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            _nonce: nonce,
        };
        let output = self.call(self.safe, call.abi_encode().into());
        let encoded = encodeTransactionDataCall::abi_decode_returns(&output).unwrap();
        assert_eq!(encoded.len(), 66);
        assert_eq!(&encoded[..2], &[0x19, 0x01]);
        B256::from_slice(&encoded[34..])
    }

    pub fn domain_separator(&self) -> B256 {
        let output = self.call(self.safe, domainSeparatorCall {}.abi_encode().into());
        domainSeparatorCall::abi_decode_returns(&output).unwrap()
    }

    pub fn nonce(&self) -> U256 {
        let output = self.call(self.safe, nonceCall {}.abi_encode().into());
        nonceCall::abi_decode_returns(&output).unwrap()
    }

    pub fn owners(&self) -> Vec<Address> {
        let output = self.call(self.safe, getOwnersCall {}.abi_encode().into());
        getOwnersCall::abi_decode_returns(&output).unwrap()
    }

    pub fn threshold(&self) -> U256 {
        let output = self.call(self.safe, getThresholdCall {}.abi_encode().into());
        getThresholdCall::abi_decode_returns(&output).unwrap()
    }

    /// Executes a Safe transaction signed by the owner (who sends it: a pre-validated
    /// signature, v = 1) and asserts the Safe ran it (`execTransaction` did not revert).
    pub fn execute(&self, to: Address, value: U256, data: Bytes, operation: u8) {
        assert_eq!(value, U256::ZERO, "the helper sends no value");
        assert!(
            execute_as_owner(
                &self.rpc,
                &self.runtime,
                self.safe,
                self.owner,
                (to, data, operation)
            ),
            "execTransaction reverted"
        );
    }
}
