//! The real Safe v1.4.1 on anvil, deployed by the library as `sandbox up` deploys it
//! (`owner_console::sandbox::real_safe`, from the npm package `@safe-global/safe-contracts`):
//! one owner (the node's first account), threshold 1; it executes transactions with the
//! owner's pre-validated signature (v = 1).

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_rpc_client::RpcClient;
use alloy_sol_types::{SolCall, sol};
use owner_console::sandbox::deploy::Sender;
use owner_console::sandbox::node::Node;
use owner_console::sandbox::real_safe::{SafeContracts, SafeSetup, deploy_safe};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

sol! {
    function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32);
    function encodeTransactionData(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes);
    function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address payable gasToken, address payable refundReceiver, bytes signatures) payable returns (bool success);
    function domainSeparator() view returns (bytes32);
    function nonce() view returns (uint256);
    function getOwners() view returns (address[]);
    function getThreshold() view returns (uint256);
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

    /// The library's deployment (`sandbox up`'s): the node's first account the one owner.
    fn deploy(&mut self) {
        let sender = self.sender();
        let owner = self.runtime.block_on(sender.accounts()).unwrap()[0];
        let contracts = SafeContracts::find(&[Path::new(env!("CARGO_MANIFEST_DIR"))])
            .unwrap_or_else(|e| panic!("{e}"));
        let setup = SafeSetup {
            owners: vec![owner],
            threshold: 1,
        };
        let deployed = self
            .runtime
            .block_on(deploy_safe(&sender, owner, &contracts, &setup))
            .unwrap();
        self.safe = deployed.safe;
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
        let mut signature = vec![0u8; 65];
        signature[12..32].copy_from_slice(self.owner.as_slice());
        signature[64] = 1;
        let exec = execTransactionCall {
            to,
            value,
            data,
            operation,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            signatures: signature.into(),
        };
        let mined = self
            .runtime
            .block_on(
                self.sender()
                    .submit(self.owner, Some(self.safe), exec.abi_encode().into()),
            )
            .unwrap();
        assert!(mined.succeeded, "execTransaction reverted: {}", mined.hash);
    }
}
