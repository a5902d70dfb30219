// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governable, ZeroAddress} from "./Governable.sol";

/// @dev Raised when the per-transaction limit would exceed the daily limit.
error LimitOrder(uint256 perTx, uint256 perDay);

/// @title Paymaster (mock)
/// @notice The spend limits of the platform's gas paymaster, in the shape this project's
/// catalogue gives them (no upstream fixture exists): daily and per-transaction limits, the
/// contracts whose calls are sponsored, and a pauser.
contract Paymaster is Governable {
    uint256 public maxSpendPerDay;
    uint256 public maxSpendPerTx;
    mapping(address => bool) public sponsoredContracts;
    address public pauser;

    event MaxSpendPerDayUpdated(uint256 maxSpendPerDay);
    event MaxSpendPerTxUpdated(uint256 maxSpendPerTx);
    event SponsoredContractUpdated(address target, bool sponsored);
    event PauserUpdated(address pauser);

    constructor(address initialOwner) Governable(initialOwner) {}

    function setMaxSpendPerDay(uint256 limit) external onlyOwner {
        if (maxSpendPerTx > limit) revert LimitOrder(maxSpendPerTx, limit);
        maxSpendPerDay = limit;
        emit MaxSpendPerDayUpdated(limit);
    }

    function setMaxSpendPerTx(uint256 limit) external onlyOwner {
        if (limit > maxSpendPerDay) revert LimitOrder(limit, maxSpendPerDay);
        maxSpendPerTx = limit;
        emit MaxSpendPerTxUpdated(limit);
    }

    function setSponsoredContract(address target, bool sponsored) external onlyOwner {
        if (target == address(0)) revert ZeroAddress();
        sponsoredContracts[target] = sponsored;
        emit SponsoredContractUpdated(target, sponsored);
    }

    function setPauser(address pauser_) external onlyOwner {
        pauser = pauser_;
        emit PauserUpdated(pauser_);
    }
}
