// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title MockSafe
/// @notice The owners/threshold part of a Safe (v1.4.1 OwnerManager) and its `execTransaction`:
/// the same functions, events and "GSxxx" revert reasons. As in the real Safe, the
/// owner-management calls are allowed only from the Safe itself (`msg.sender == address(this)`),
/// which is what `execTransaction` of such a call gives. `prevOwner` arguments are accepted and
/// ignored (the real Safe keeps owners in a linked list). `getOwners()` keeps the real order:
/// constructor order, a new owner first, a swapped owner in place.
/// @dev Drill limits, on purpose: `execTransaction` checks NO signatures (the sandbox trusts
/// whoever executes: any account may run any Safe transaction), runs calls only (operation 0;
/// delegatecall is refused, there is no MultiSend here), pays no gas refunds (gasPrice must be
/// 0), and has no guard, modules or fallback handler.
contract MockSafe {
    string public constant VERSION = "1.4.1";

    address[] private _owners;
    mapping(address => bool) private _isOwner;
    uint256 private _threshold;
    /// @dev The next Safe transaction's nonce: one more after each `execTransaction`.
    uint256 public nonce;

    bytes32 private constant DOMAIN_SEPARATOR_TYPEHASH =
        keccak256("EIP712Domain(uint256 chainId,address verifyingContract)");
    bytes32 private constant SAFE_TX_TYPEHASH = keccak256(
        "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
    );

    event AddedOwner(address indexed owner);
    event RemovedOwner(address indexed owner);
    event ChangedThreshold(uint256 threshold);
    event SafeReceived(address indexed sender, uint256 value);
    event ExecutionFailure(bytes32 indexed txHash, uint256 payment);
    event ExecutionSuccess(bytes32 indexed txHash, uint256 payment);

    constructor(address[] memory owners, uint256 threshold) {
        require(threshold <= owners.length, "GS201");
        require(threshold >= 1, "GS202");
        for (uint256 i = 0; i < owners.length; i++) {
            _requireNewOwner(owners[i]);
            _owners.push(owners[i]);
            _isOwner[owners[i]] = true;
        }
        _threshold = threshold;
    }

    modifier authorized() {
        require(msg.sender == address(this), "GS031");
        _;
    }

    receive() external payable {
        emit SafeReceived(msg.sender, msg.value);
    }

    fallback() external payable {
        if (msg.value > 0) emit SafeReceived(msg.sender, msg.value);
    }

    /// @notice The Safe's `execTransaction`, without the signature check (see the drill limits
    /// above). The `txHash` in its events is the real Safe's: the EIP-712 hash of the SafeTx
    /// fields and the nonce, under this Safe's domain (chain id, address), as
    /// `getTransactionHash` gives it. As in the Safe, a failing call reverts the whole
    /// transaction with "GS013" when safeTxGas and gasPrice are both 0, and otherwise emits
    /// `ExecutionFailure` (the nonce is still used).
    function execTransaction(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address payable refundReceiver,
        bytes memory signatures
    ) public payable returns (bool success) {
        signatures; // not checked: the sandbox trusts whoever executes
        require(operation == 0, "MockSafe: only calls (operation 0); delegatecall needs a MultiSend, which the sandbox has not");
        require(gasPrice == 0, "MockSafe: no gas refunds (gasPrice must be 0)");
        bytes32 txHash = getTransactionHash(
            to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken, refundReceiver, nonce
        );
        nonce++;
        require(gasleft() >= _max((safeTxGas * 64) / 63, safeTxGas + 2500) + 500, "GS010");
        (success, ) = to.call{value: value, gas: gasleft() - 2500}(data); // gasPrice is 0, as in the Safe
        require(success || safeTxGas != 0, "GS013");
        if (success) emit ExecutionSuccess(txHash, 0);
        else emit ExecutionFailure(txHash, 0);
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_SEPARATOR_TYPEHASH, block.chainid, address(this)));
    }

    /// @notice The real Safe's transaction hash (EIP-712 SafeTx under `domainSeparator()`).
    function getTransactionHash(
        address to,
        uint256 value,
        bytes calldata data,
        uint8 operation,
        uint256 safeTxGas,
        uint256 baseGas,
        uint256 gasPrice,
        address gasToken,
        address refundReceiver,
        uint256 _nonce
    ) public view returns (bytes32) {
        bytes32 safeTxHash = keccak256(
            abi.encode(
                SAFE_TX_TYPEHASH,
                to,
                value,
                keccak256(data),
                operation,
                safeTxGas,
                baseGas,
                gasPrice,
                gasToken,
                refundReceiver,
                _nonce
            )
        );
        return keccak256(abi.encodePacked(bytes1(0x19), bytes1(0x01), domainSeparator(), safeTxHash));
    }

    function getOwners() external view returns (address[] memory) {
        return _owners;
    }

    function getThreshold() external view returns (uint256) {
        return _threshold;
    }

    function isOwner(address owner) external view returns (bool) {
        return _isOwner[owner];
    }

    function addOwnerWithThreshold(address owner, uint256 threshold) external authorized {
        _requireNewOwner(owner);
        _owners.push(owner);
        // A new owner goes first, as in the Safe's linked list.
        for (uint256 i = _owners.length - 1; i > 0; i--) {
            _owners[i] = _owners[i - 1];
        }
        _owners[0] = owner;
        _isOwner[owner] = true;
        emit AddedOwner(owner);
        if (_threshold != threshold) _changeThreshold(threshold);
    }

    function removeOwner(address prevOwner, address owner, uint256 threshold) external authorized {
        prevOwner; // the linked-list predecessor: not needed here
        require(_owners.length - 1 >= threshold, "GS201");
        require(_isOwner[owner], "GS205");
        uint256 i = _indexOf(owner);
        for (; i + 1 < _owners.length; i++) {
            _owners[i] = _owners[i + 1];
        }
        _owners.pop();
        _isOwner[owner] = false;
        emit RemovedOwner(owner);
        if (_threshold != threshold) _changeThreshold(threshold);
    }

    function swapOwner(address prevOwner, address oldOwner, address newOwner) external authorized {
        prevOwner; // the linked-list predecessor: not needed here
        _requireNewOwner(newOwner);
        require(_isOwner[oldOwner], "GS205");
        _owners[_indexOf(oldOwner)] = newOwner;
        _isOwner[oldOwner] = false;
        _isOwner[newOwner] = true;
        emit RemovedOwner(oldOwner);
        emit AddedOwner(newOwner);
    }

    function changeThreshold(uint256 threshold) external authorized {
        _changeThreshold(threshold);
    }

    function _changeThreshold(uint256 threshold) private {
        require(threshold <= _owners.length, "GS201");
        require(threshold >= 1, "GS202");
        _threshold = threshold;
        emit ChangedThreshold(threshold);
    }

    /// @dev The Safe's owner checks: not zero, not the sentinel (0x1), not the Safe, not an owner.
    function _requireNewOwner(address owner) private view {
        require(owner != address(0) && owner != address(1) && owner != address(this), "GS203");
        require(!_isOwner[owner], "GS204");
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a >= b ? a : b;
    }

    function _indexOf(address owner) private view returns (uint256) {
        for (uint256 i = 0; i < _owners.length; i++) {
            if (_owners[i] == owner) return i;
        }
        revert("GS205");
    }
}
