// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev Raised by every `onlyOwner` function when someone else calls it.
error NotOwner(address caller);
/// @dev Raised where an address must be set (initial owner, new owner, treasury, signer).
error ZeroAddress();
/// @dev Raised by percentage setters for a value outside what the platform accepts.
error InvalidPercentage(uint256 pct);
/// @dev Raised by `setTreasury` when the treasury would be the owner itself.
error TreasuryIsOwner(address treasury);
/// @dev Raised by `setTreasury` on a module with an allowlist when the address is not on it.
error TreasuryNotAllowlisted(address treasury);

/// @title Governable
/// @notice Single-owner access control, shaped like OpenZeppelin's Ownable
/// (`owner()`, `transferOwnership(address)`, `OwnershipTransferred`).
abstract contract Governable {
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address initialOwner) {
        if (initialOwner == address(0)) revert ZeroAddress();
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        address previous = owner;
        owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }

    /// @dev Whole percent, 0 to 100.
    function _checkPct(uint256 pct) internal pure {
        if (pct > 100) revert InvalidPercentage(pct);
    }

    /// @dev A treasury is never the zero address nor the owner.
    function _checkTreasury(address treasury_) internal view {
        if (treasury_ == address(0)) revert ZeroAddress();
        if (treasury_ == owner) revert TreasuryIsOwner(treasury_);
    }
}
