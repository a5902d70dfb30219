// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title MockSafe
/// @notice The owners/threshold part of a Safe (v1.4.1 OwnerManager): the same functions,
/// events and "GSxxx" revert reasons, without signatures or execution. As in the real Safe, the
/// owner-management calls are allowed only from the Safe itself (`msg.sender == address(this)`);
/// tests reach them by impersonating the Safe's address. `prevOwner` arguments are accepted and
/// ignored (the real Safe keeps owners in a linked list). `getOwners()` keeps the real order:
/// constructor order, a new owner first, a swapped owner in place.
contract MockSafe {
    string public constant VERSION = "1.4.1";

    address[] private _owners;
    mapping(address => bool) private _isOwner;
    uint256 private _threshold;
    /// @dev Always 0 here: this mock executes no transactions.
    uint256 public nonce;

    event AddedOwner(address indexed owner);
    event RemovedOwner(address indexed owner);
    event ChangedThreshold(uint256 threshold);
    event SafeReceived(address indexed sender, uint256 value);

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

    function _indexOf(address owner) private view returns (uint256) {
        for (uint256 i = 0; i < _owners.length; i++) {
            if (_owners[i] == owner) return i;
        }
        revert("GS205");
    }
}
